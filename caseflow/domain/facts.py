"""What changed in a household's facts: each fact's old and new value, and which members were
added, removed or changed, as the history records it (an `edit` event's data)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from caseflow.domain.errors import N_, InvalidInput, Msg
from caseflow.domain.planner import EDIT
from caseflow.domain.text import mask

#: the household's own facts that a change of facts may touch
FACTS = ("head_name", "village", "address", "phone", "national_id", "area")
#: a member's facts
MEMBER_FACTS = ("full_name", "birth_date", "sex", "relation", "ethnicity", "disability")
#: personal identifiers: shown masked to the roles that do not need them
IDENTIFIERS = ("national_id", "phone")


@dataclass
class Changes:
    """A change of facts: what to write, and what history records of it."""

    #: the household's facts that change, with their new values
    facts: dict[str, object] = field(default_factory=dict)
    #: the members to add, with their values
    added: list[dict] = field(default_factory=list)
    #: the ids of the members to remove
    removed: list[int] = field(default_factory=list)
    #: the facts that change of each member kept, by member id
    updated: dict[int, dict[str, object]] = field(default_factory=dict)
    #: the history event's data: {"facts": {name: {"old", "new"}}, "members": {"added",
    #: "removed", "changed"}}, each part present only when something changed; {} for nothing
    record: dict = field(default_factory=dict)


def clean(value: object) -> object:
    """Return text trimmed, blank text as None, anything else as it is."""
    if isinstance(value, str):
        return value.strip() or None
    return value


def changes(
    facts: Mapping[str, object],
    members: Sequence[Mapping[str, object]],
    given: Mapping[str, object],
) -> Changes:
    """Compare what a household holds (`facts`, `members` with their ids) with what is given.

    A given member with an `id` is that member; one without an id is an existing member with
    exactly the same values if there is one left, else a new member; an existing member left
    out of a given list is removed. Leaving `members` out keeps them all.
    """
    found = Changes()
    old = {
        name: {"old": _json(clean(facts.get(name))), "new": _json(clean(given[name]))}
        for name in FACTS
        if name in given and clean(given[name]) != clean(facts.get(name))
    }
    found.facts = {name: clean(given[name]) for name in old}
    record: dict = {"facts": old} if old else {}
    if "members" in given:
        changed = _members(found, members, given["members"])
        if changed:
            record["members"] = changed
    found.record = record
    return found


def _members(found: Changes, members: Sequence[Mapping], given: Sequence[Mapping]) -> dict:
    held = {m["id"]: m for m in members}
    left = dict(held)  # the members not yet matched by a given one
    _check_ids(given, held)
    for member in given:
        if member.get("id") is not None:
            left.pop(member["id"])
    changed, added = [], []
    for member in given:
        values = {name: clean(member.get(name)) for name in MEMBER_FACTS}
        if member.get("id") is not None:
            before = held[member["id"]]
            differ = {n: v for n, v in values.items() if v != clean(before.get(n))}
            if differ:
                found.updated[member["id"]] = differ
                changed.append(
                    {
                        "id": member["id"],
                        "full_name": values["full_name"],
                        "facts": {
                            n: {"old": _json(clean(before.get(n))), "new": _json(v)}
                            for n, v in differ.items()
                        },
                    }
                )
            continue
        same = next(
            (i for i, m in left.items() if all(clean(m.get(n)) == values[n] for n in MEMBER_FACTS)),
            None,
        )
        if same is not None:
            left.pop(same)
        else:
            found.added.append(values)
            added.append(_json_member(values))
    found.removed = list(left)
    record = {
        "added": added,
        "removed": [_json_member(held[i], with_id=True) for i in left],
        "changed": changed,
    }
    return {part: rows for part, rows in record.items() if rows}


def _check_ids(given: Sequence[Mapping], held: Mapping[int, Mapping]) -> None:
    seen: set[int] = set()
    for member in given:
        member_id = member.get("id")
        if member_id is None:
            continue
        if member_id not in held or member_id in seen:
            raise InvalidInput(
                N_("A member given with an id must be one of the household's members, given once."),
                fields={
                    "members": [
                        Msg(
                            N_(
                                "Member %(id)s is not a member of this household, or "
                                "is given twice."
                            ),
                            id=member_id,
                        )
                    ]
                },
            )
        seen.add(member_id)


def shown_data(trigger: str, data: Mapping | None, identifiers_masked: bool) -> dict:
    """Return a history event's data as its reader may see it."""
    if trigger == EDIT and identifiers_masked:
        return masked(data or {})
    return dict(data or {})


def masked(record: Mapping) -> dict:
    """Return a record of changes with every personal identifier masked."""
    shown = dict(record)
    if "facts" in record:
        shown["facts"] = _masked_facts(record["facts"])
    if "members" in record:
        members = record["members"]
        shown["members"] = {
            part: [_masked_member(m) for m in rows] for part, rows in members.items()
        }
    return shown


def _masked_facts(facts: Mapping[str, Mapping]) -> dict:
    return {
        name: (
            {"old": mask(change.get("old")), "new": mask(change.get("new"))}
            if name in IDENTIFIERS
            else dict(change)
        )
        for name, change in facts.items()
    }


def _masked_member(member: Mapping) -> dict:
    shown = {name: mask(value) if name in IDENTIFIERS else value for name, value in member.items()}
    if isinstance(member.get("facts"), Mapping):
        shown["facts"] = _masked_facts(member["facts"])
    return shown


def _json_member(member: Mapping, *, with_id: bool = False) -> dict:
    values = {name: _json(clean(member.get(name))) for name in MEMBER_FACTS}
    return {"id": member["id"], **values} if with_id else values


def _json(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value
