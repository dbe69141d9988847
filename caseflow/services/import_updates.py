"""An import's households already registered: found by code, the head's national ID, or the
head's folded name, birth date and village; each compared with its rows at the end of the
members sheet, and its changes recorded as PATCH records them."""

from __future__ import annotations

from sqlalchemy.orm import selectinload

from caseflow.domain import facts
from caseflow.domain.duplicates import identity
from caseflow.domain.errors import N_, Msg
from caseflow.domain.planner import CaseView, plan_edit
from caseflow.domain.sheet_format import CODE, HOUSEHOLD_SHEET, HOUSEHOLDS
from caseflow.domain.text import fold
from caseflow.extensions import db
from caseflow.models import Event, Household
from caseflow.services import moves
from caseflow.services.definitions import workflow
from caseflow.services.households import _apply, _member_values


class MatchedUpdates:
    """The part of the import's writer that finds the households its rows are, registered
    before, and updates them."""

    def _existing(self, rows: list) -> dict[str, int]:
        """Find the registered household each row is: by code, national ID, then name."""
        found: dict[str, int] = {}
        codes = [row.code for _, row in rows]
        ids = [row.fields["national_id"] for _, row in rows if row.fields.get("national_id")]
        names = [fold(row.fields["head_name"]) for _, row in rows]
        query = db.select(Household).options(selectinload(Household.members))
        by_code = {h.code: h for h in db.session.scalars(query.where(Household.code.in_(codes)))}
        by_id = {
            h.national_id: h
            for h in db.session.scalars(query.where(Household.national_id.in_(ids)))
        }
        by_name: dict[tuple, Household] = {}
        unit_ids = list({row.unit.id for _, row in rows})
        candidates = query.where(Household.search_name.in_(names), Household.unit_id.in_(unit_ids))
        for other in db.session.scalars(candidates):
            members = [_member_values(m) for m in other.members]
            them = identity(other.unit_id, other.head_name, other.village, members)
            if them.head_born is not None:
                by_name.setdefault(
                    (them.unit_id, them.head_name, them.head_born, them.village), other
                )
        for number, row in rows:
            household, by = by_code.get(row.code), None
            if household is None and row.fields.get("national_id") in by_id:
                household, by = by_id[row.fields["national_id"]], "national_id"
            if household is None and row.identity in by_name:
                household, by = by_name[row.identity], "name"
            if household is None:
                continue
            if not household.unit.path.startswith(self.unit.path):
                self.error(
                    HOUSEHOLDS,
                    number,
                    HOUSEHOLD_SHEET.column(CODE).title,
                    Msg(
                        N_("The household %(code)s is registered outside this unit."),
                        code=household.code,
                    ),
                )
                self.refused.add(row.code)
                continue
            holder = by_id.get(row.fields.get("national_id"))
            if holder is not None and holder.id != household.id:
                self.error(
                    HOUSEHOLDS,
                    number,
                    HOUSEHOLD_SHEET.column("national_id").title,
                    Msg(
                        N_("Household %(name)s (%(code)s) already has this national ID number."),
                        name=holder.head_name,
                        code=holder.code,
                    ),
                )
                self.refused.add(row.code)
                continue
            if by is not None:
                self.report.duplicates.append(
                    {"sheet": HOUSEHOLDS, "row": number, "household_id": household.id, "by": by}
                )
            found[row.code] = household.id
        return found

    def _claim(self, number: int, household_id: int, claimed: dict[int, int]) -> bool:
        """Tell whether a registered household is this row's alone; `claimed` holds the rows
        that found each household before (this chunk's added as they claim)."""
        if household_id in claimed:
            column = HOUSEHOLD_SHEET.column(CODE).title
            self._twice(HOUSEHOLDS, number, column, claimed[household_id])
            return False
        claimed[household_id] = number
        return True

    def update_matched(self) -> None:
        """Compare each matched household with its rows; record what changed, as PATCH does."""
        for chunk in self.index.updates():
            held = {household_id: rest for household_id, *rest in chunk}
            query = db.select(Household).where(Household.id.in_(held))
            for household in db.session.scalars(query.options(selectinload(Household.members))):
                self._update(household, *held[household.id])
            db.session.flush()  # then clean: the session holds them weakly, memory is freed

    def _update(self, household: Household, number: int, fields: dict, members: list) -> None:
        given = {n: fields.get(n) for n in facts.FACTS if n != "area"}
        if fields.get("area"):
            given["area"] = fields["area"]
        if members:
            given["members"] = members
        self.report.members += len(members)
        found = facts.changes(
            {name: getattr(household, name) for name in facts.FACTS},
            [_member_values(m) for m in household.members],
            given,
        )
        self._link(household.id, household.code, household.head_name)
        if not found.record:
            self.report.unchanged += 1
            return
        self.report.updated += 1
        record = {**found.record, "file": self.filename, "row": number}
        event = plan_edit(
            CaseView(*(getattr(household, c) for c in moves.COLUMNS)),
            workflow(household.workflow, household.workflow_version),
            record,
            actor=self.who,
            now=self.now,
        )
        _apply(household, found)
        db.session.add(Event(**event))
