"""Review rounds: make one for a unit, list its households, see how far it is, close it.

A round is one review of one commune's households (DESIGN.md, "Review rounds"). Its steps
(services.round_steps) move households through the one move path; this module keeps the
round itself: its dates (workflows/rounds/), its list, and its closing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from caseflow import clock
from caseflow.domain.errors import N_, Conflict, InvalidInput, Msg, NotFound
from caseflow.domain.planner import SYSTEM
from caseflow.domain.rounds import RoundKind, RoundStatus
from caseflow.extensions import db
from caseflow.models import Household, ReviewRound, RoundHousehold, Unit, User
from caseflow.services import round_roster, round_timers, transaction
from caseflow.services.access import WRITERS, in_scope, require_role, storable_id, unit_by_code
from caseflow.services.round_roster import Progress, VillageProgress
from caseflow.services.round_rules import kind as kind_of

#: the units a round is made for
ROUND_LEVELS = ("commune", "ward", "township")
CHUNK = 1000


@dataclass
class RoundView:
    """A round with where its households are."""

    round: ReviewRound
    progress: Progress
    villages: list[VillageProgress] = field(default_factory=list)

    def __getattr__(self, name):  # the round's own columns, for schemas and templates
        return getattr(self.round, name)


def create(actor: User, fields: Mapping) -> RoundView:
    """Make a round for a commune: its dates from workflows/rounds/, its timers; one open
    round of a kind per unit (409), one periodic round a year and one regular a month."""
    require_role(actor, *WRITERS)
    with transaction():
        unit = unit_by_code(fields["unit_code"], actor)
        if unit.level not in ROUND_LEVELS:
            raise InvalidInput(
                N_("A round reviews a commune, a ward or a township."),
                fields={"unit_code": [Msg(N_("Not a commune, ward or township."))]},
            )
        kind = kind_of(fields["kind"])
        year, month = fields["year"], _month(fields)
        opens_on, closes_on = _window(kind.window(year, month), fields)
        _refuse_second(unit, fields["kind"], year, month)
        found = ReviewRound(
            unit=unit,
            kind=fields["kind"],
            year=year,
            month=month,
            opens_on=opens_on,
            closes_on=closes_on,
            status=RoundStatus.OPEN,
            created_by=actor.username,
            created_at=clock.now(),
            undecided=[],
        )
        db.session.add(found)
        db.session.flush()
        round_timers.schedule(found)
    return view(found)


def _month(fields: Mapping) -> int | None:
    month = fields.get("month")
    if fields["kind"] == RoundKind.REGULAR and month is None:
        raise InvalidInput(
            N_("A regular round is for one month: give the month."),
            fields={"month": [Msg(N_("Missing data for required field."))]},
        )
    if fields["kind"] == RoundKind.PERIODIC and month is not None:
        raise InvalidInput(
            N_("A periodic round is for the whole year: give no month."),
            fields={"month": [Msg(N_("A periodic round has no month."))]},
        )
    return month


def _window(window: tuple[date, date], fields: Mapping) -> tuple[date, date]:
    """The round's days: the kind's window, or the part of it a province chose."""
    earliest, latest = window
    opens_on = fields.get("opens_on") or earliest
    closes_on = fields.get("closes_on") or latest
    errors = {}
    for name, day in (("opens_on", opens_on), ("closes_on", closes_on)):
        if not earliest <= day <= latest:
            errors[name] = [
                Msg(N_("Must be from %(first)s to %(last)s."), first=earliest, last=latest)
            ]
    if not errors and closes_on < opens_on:
        errors["closes_on"] = [
            Msg(
                N_("%(field)s (%(day)s) cannot be before %(other)s (%(after)s)."),
                field="closes_on",
                day=closes_on,
                other="opens_on",
                after=opens_on,
            )
        ]
    if errors:
        raise InvalidInput(N_("The round's days are outside its window."), fields=errors)
    return opens_on, closes_on


def _refuse_second(unit: Unit, kind: str, year: int, month: int | None) -> None:
    rounds = db.session.scalars(
        select(ReviewRound).where(ReviewRound.unit_id == unit.id, ReviewRound.kind == kind)
    ).all()
    for other in rounds:
        if other.status == RoundStatus.OPEN:
            raise Conflict(
                N_("%(unit)s already has an open round of this kind (round %(id)s)."),
                params={"unit": unit.name, "id": other.id},
            )
        if (other.year, other.month) == (year, month):
            raise Conflict(
                N_("%(unit)s already had this round (round %(id)s, closed)."),
                params={"unit": unit.name, "id": other.id},
            )


def get_round(actor: User, round_id: int, *, lock: bool = False) -> ReviewRound:
    """Return a round the actor may see (its unit in their units, or theirs in its), else 404."""
    if not storable_id(round_id):
        raise _not_found(round_id)
    query = select(ReviewRound).where(ReviewRound.id == round_id)
    if lock:
        query = query.with_for_update(of=ReviewRound).execution_options(populate_existing=True)
    found = db.session.scalar(query)
    if found is None or not sees(actor, found):
        raise _not_found(round_id)
    return found


def sees(actor: User, found: ReviewRound) -> bool:
    """Tell whether the actor may see a round: a village's case worker sees its commune's."""
    return in_scope(actor, found.unit) or (
        actor.unit is not None and found.unit.contains(actor.unit)
    )


def _not_found(round_id: int) -> NotFound:
    return NotFound(N_("Round %(id)s not found."), params={"id": round_id})


def open_round(actor: User, round_id: int) -> ReviewRound:
    """Return a round that is still open, locked for the step; a closed one is a 409."""
    found = get_round(actor, round_id, lock=True)
    if found.status != RoundStatus.OPEN:
        raise Conflict(
            N_("Round %(id)s is closed: nothing more can be done in it."),
            params={"id": round_id},
        )
    return found


def show(actor: User, round_id: int) -> RoundView:
    """Return a round and its progress; a round whose households are all decided closes."""
    found = get_round(actor, round_id)
    if found.status == RoundStatus.OPEN:
        with transaction():
            settle(get_round(actor, round_id, lock=True))
    return view(found, actor)


def view(found: ReviewRound, actor: User | None = None) -> RoundView:
    return views([found], actor)[0]


def views(rounds: Sequence[ReviewRound], actor: User | None = None) -> list[RoundView]:
    progress = round_roster.progress_of(actor, [r.id for r in rounds])
    return [RoundView(r, *progress.get(r.id, (Progress(), []))) for r in rounds]


def list_rounds(
    actor: User,
    *,
    unit: str | None = None,
    status: str | None = None,
    page: int = 1,
    per_page: int = 50,
) -> tuple[list[RoundView], int]:
    """Return a page of the rounds the actor may see, newest first, with their progress."""
    query = select(ReviewRound).join(Unit, Unit.id == ReviewRound.unit_id)
    if actor.scope_path:
        ancestors = [
            int(part) for part in (actor.unit.path if actor.unit else "").split("/") if part
        ]
        query = query.where(
            Unit.path.startswith(actor.scope_path, autoescape=True) | Unit.id.in_(ancestors)
        )
    if unit:
        query = query.where(Unit.path.startswith(unit_by_code(unit, actor, "unit").path))
    if status:
        query = query.where(ReviewRound.status == status)
    total = db.session.scalar(query.with_only_columns(func.count(ReviewRound.id)))
    rounds = db.session.scalars(
        query.order_by(ReviewRound.opens_on.desc(), ReviewRound.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return views(list(rounds), actor), total or 0


@dataclass
class Closed:
    view: RoundView
    undecided: list[int]


def close(actor: User, round_id: int, note: str | None = None) -> Closed:
    """Close a round by hand, listing the households not decided."""
    require_role(actor, *WRITERS)
    with transaction():
        found = open_round(actor, round_id)
        undecided = round_roster.undecided_ids(found.id)
        _close(found, actor.username, note, undecided)
    return Closed(view(found, actor), undecided)


def settle(found: ReviewRound) -> bool:
    """Close an open round once every household on its list is decided; the caller commits."""
    if found.status != RoundStatus.OPEN or not round_roster.all_decided(found.id):
        return False
    _close(found, SYSTEM, None, [])
    return True


def _close(found: ReviewRound, by: str, note: str | None, undecided: list[int]) -> None:
    found.status, found.closed_by, found.closed_at = RoundStatus.CLOSED, by, clock.now()
    found.close_note, found.undecided = note, undecided
    db.session.execute(
        db.update(RoundHousehold).where(RoundHousehold.round_id == found.id).values(active=False)
    )
    round_timers.cancel_while_open(found)


def household_rows(ids: Sequence[int]) -> dict[int, Household]:
    """Load households by id (with their unit), in one query per thousand."""
    found: dict[int, Household] = {}
    for start in range(0, len(ids), CHUNK):
        found.update(
            (h.id, h)
            for h in db.session.scalars(
                select(Household).where(Household.id.in_(ids[start : start + CHUNK]))
            )
        )
    return found


def households_page(
    actor: User,
    round_id: int,
    *,
    village: str | None = None,
    step: str | None = None,
    late: bool | None = None,
    page: int = 1,
    per_page: int = 50,
) -> tuple[list[Household], int]:
    """Return a page of the round's households with their step, village and lateness."""
    from sqlalchemy.orm import selectinload

    from caseflow.services import households

    found = get_round(actor, round_id)
    listed, total = round_roster.members(
        actor,
        found.id,
        village=round_roster.resolve_village(found, village),
        step=step,
        late_only=bool(late),
        page=(page, per_page),
    )
    loaded = {
        h.id: h
        for h in db.session.scalars(
            select(Household)
            .where(Household.id.in_([m.household_id for m in listed]))
            .options(selectinload(Household.members))
        )
    }
    items = households.annotate(actor, [loaded[m.household_id] for m in listed])
    for household, member in zip(items, listed, strict=True):
        household.round_step, household.round_village = member.step, member.village
        household.round_late, household.round_form = list(member.late), member.form
    return items, total
