"""One household at a time or a whole list at once: the same steps on the same days write the
same rows (DESIGN.md, "One move, one plan").

Two identical sets of households (same names, same village) walk the same lifecycle on the same
frozen days: one set one household at a time (cases.fire, assessments.record,
approvals.approve), the other as lists (bulk.fire_many, bulk.record_surveys,
approvals.decide_many). The clock's sweep fires both sets' deadlines. After every step, every
row of one set must equal the same row of the other, column by column, ids read as places
(household 2's fourth event); a failure names the first step after which they differ.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

import pytest

from caseflow import clock
from caseflow.domain.errors import DomainError
from caseflow.extensions import db
from caseflow.models import Alert, Approval, Assessment, Deadline, Event, Household, SupportItem
from caseflow.services import approvals, assessments, bulk, cases, deadlines, households, supports
from tests.factories import ABOVE_LINE_SURVEY, POOR_SURVEY, World, at, deprived

SIZE = 6
NEAR_POOR_SURVEY = {"income_per_capita_month": 1_400_000, "deprivations": deprived("water")}
WELL_OFF_SURVEY = {"income_per_capita_month": 6_000_000, "deprivations": deprived()}
ALL = range(SIZE)


@dataclass
class Walk:
    """Two sets of households moved through the same steps: one by one, and as lists."""

    world: World
    one: list[int] = field(default_factory=list)
    many: list[int] = field(default_factory=list)
    #: what each order became, per set: (step, household's place, status, error code, message)
    outcomes: dict[str, list[tuple]] = field(default_factory=lambda: {"one": [], "many": []})
    #: the first step after which the sets' rows differed, and how
    diverged: tuple[str, list[str]] | None = None

    @property
    def worker(self):
        return self.world.user("worker")

    @property
    def chair(self):
        return self.world.user("chair")

    def register(self, on: date) -> None:
        with clock.frozen_at(at(on)):
            for ids in (self.one, self.many):
                ids += [
                    households.register(
                        self.worker,
                        {
                            "head_name": f"Nguyễn Văn Hộ {i}",
                            "unit_code": "C1-V1",
                            "village": "Đông Hải",
                        },
                    ).id
                    for i in ALL
                ]
        self._compare(f"{on} register")

    def fire(
        self,
        on: date,
        places: Iterable[int],
        trigger: str,
        data: dict | None = None,
        reason: str | None = None,
        *,
        each: bool = False,
    ) -> None:
        """Fire `trigger`; with `each`, a refusal is kept as an outcome, not raised."""
        places = list(places)
        label = f"{on} {trigger}"
        with clock.frozen_at(at(on)):
            for place in places:
                try:
                    outcome = cases.fire(self.worker, self.one[place], trigger, data, reason)
                except DomainError as error:
                    if not each:
                        raise
                    self._outcome("one", label, place, "refused", error)
                else:
                    status = "requested" if outcome.approval is not None else "applied"
                    self._outcome("one", label, place, status)
            results = bulk.fire_many(
                self.worker, [self.many[p] for p in places], trigger, data, reason, each=each
            )
            for place, result in zip(places, results, strict=True):
                self._outcome("many", label, place, result.status, result.error)
        self._compare(label)

    def survey(self, on: date, surveys: dict[int, dict]) -> None:
        with clock.frozen_at(at(on)):
            for place, fields in surveys.items():
                assessments.record(self.worker, self.one[place], {"surveyed_on": on, **fields})
            bulk.record_surveys(
                self.worker,
                [
                    {"household_id": self.many[place], "surveyed_on": on, **fields}
                    for place, fields in surveys.items()
                ],
            )
        self._compare(f"{on} surveys")

    def approve(self, on: date, places: Iterable[int], hour: int = 11) -> None:
        self._decide(
            on,
            places,
            hour,
            "approve",
            None,
            lambda approval_id: approvals.approve(self.chair, approval_id),
        )

    def reject(self, on: date, places: Iterable[int], reason: str, hour: int = 11) -> None:
        self._decide(
            on,
            places,
            hour,
            "reject",
            reason,
            lambda approval_id: approvals.reject(self.chair, approval_id, reason),
        )

    def _decide(
        self,
        on: date,
        places: Iterable[int],
        hour: int,
        decision: str,
        comment: str | None,
        one_by_one: Callable[[int], object],
    ) -> None:
        places = list(places)
        with clock.frozen_at(at(on, hour)):
            for place in places:
                one_by_one(pending(self.one[place]))
            decided = approvals.decide_many(
                self.chair, [pending(self.many[p]) for p in places], decision, comment
            )
        assert [d["error"] for d in decided] == [None] * len(places)
        self._compare(f"{on} {decision}")

    def propose(self, on: date, places: Iterable[int], program: str) -> None:
        with clock.frozen_at(at(on)):
            for place in places:
                for ids in (self.one, self.many):
                    supports.propose(self.worker, ids[place], program, "Vay vốn chăn nuôi bò")
        self._compare(f"{on} propose")

    def sweep(self, on: date, hour: int = 10) -> None:
        deadlines.sweep(at(on, hour), deliver=False)
        self._compare(f"{on} sweep")

    def _compare(self, step: str) -> None:
        """Remember the first step after which the two sets' rows differ."""
        if self.diverged is None and (found := differences(self)):
            self.diverged = (step, found)

    def _outcome(
        self, which: str, label: str, place: int, status: str, error: DomainError | None = None
    ) -> None:
        self.outcomes[which].append(
            (label, place, status, error and error.code, error and error.message)
        )

    def states(self) -> list[str]:
        return [db.session.get(Household, hid, populate_existing=True).state for hid in self.one]


def pending(household_id: int) -> int:
    return db.session.scalar(
        db.select(Approval.id).where(
            Approval.household_id == household_id, Approval.status == "pending"
        )
    )


# -- the walk, in three parts ------------------------------------------------------------------

REGULAR, PERIODIC = [0, 1, 2], [3, 4, 5]


def dated(survey: dict, surveyed_on: date) -> dict:
    """A survey made on paper on `surveyed_on` (by default: the day it is typed in)."""
    return {**survey, "surveyed_on": surveyed_on}


def review(walk: Walk) -> None:
    """A periodic and a regular review of the village to the chair's decisions (2025)."""
    walk.register(date(2025, 3, 3))
    walk.fire(
        date(2025, 3, 10),
        REGULAR,
        "start_review",
        {"review_kind": "regular", "started_on": date(2025, 3, 10)},
    )
    walk.fire(
        date(2025, 3, 10),
        PERIODIC,
        "start_review",
        {"review_kind": "periodic", "started_on": date(2025, 3, 10)},
    )
    # typed in on one day, surveyed on paper on three
    walk.survey(
        date(2025, 3, 12),
        {
            0: dated(POOR_SURVEY, date(2025, 3, 10)),
            1: dated(NEAR_POOR_SURVEY, date(2025, 3, 11)),
            2: ABOVE_LINE_SURVEY,
            3: dated(POOR_SURVEY, date(2025, 3, 11)),
            4: dated(NEAR_POOR_SURVEY, date(2025, 3, 10)),
            5: WELL_OFF_SURVEY,
        },
    )
    meeting = {"meeting_on": date(2025, 3, 14), "agreement_pct": 80, "posted_on": date(2025, 3, 14)}
    walk.fire(date(2025, 3, 14), [0, 1, 3, 4, 5], "agree", meeting)
    walk.fire(
        date(2025, 3, 14), [2], "disagree", {"meeting_on": date(2025, 3, 14), "agreement_pct": 30}
    )
    walk.fire(date(2025, 3, 17), [1], "complain", reason="Hộ bên cạnh khiếu nại kết quả")
    walk.survey(date(2025, 3, 17), {2: ABOVE_LINE_SURVEY})
    walk.fire(
        date(2025, 3, 18),
        [2],
        "agree",
        {**meeting, "meeting_on": date(2025, 3, 18), "posted_on": date(2025, 3, 18)},
    )
    walk.survey(date(2025, 3, 18), {1: NEAR_POOR_SURVEY})
    walk.fire(
        date(2025, 3, 19),
        [1],
        "agree",
        {**meeting, "meeting_on": date(2025, 3, 19), "posted_on": date(2025, 3, 19)},
    )
    walk.sweep(date(2025, 3, 20))  # the postings of 14 March ended on the 19th
    decided = {"decided_on": date(2025, 3, 21)}
    # the chair is asked for the whole list: each household is asked for, or refused, alone
    walk.fire(date(2025, 3, 21), ALL, "recognise", decided, each=True)
    walk.fire(date(2025, 3, 21), [2, 5], "decline", decided)
    walk.sweep(date(2025, 3, 22))  # the regular reviews' reminders, 3 days before the limit
    walk.approve(date(2025, 3, 24), [0, 2, 3, 4])
    walk.reject(date(2025, 3, 24), [5], "Thiếu biên bản họp thôn")
    walk.fire(date(2025, 3, 25), [5], "decline", decided)
    walk.approve(date(2025, 3, 25), [5])
    walk.sweep(date(2025, 3, 26))  # household 1's review is past its 15 days: overdue
    walk.sweep(date(2025, 3, 28))  # and escalated to the supervisors 3 days later
    walk.fire(date(2025, 3, 31), [1], "recognise", {"decided_on": date(2025, 3, 31)})
    walk.approve(date(2025, 3, 31), [1])


def support(walk: Walk) -> None:
    """A support plan for one household; the others' plans fall overdue (2025)."""
    walk.propose(date(2025, 4, 1), [0], "preferential_credit")
    walk.fire(date(2025, 4, 2), [0], "assign_support", {"decided_on": date(2025, 4, 2)})
    walk.approve(date(2025, 4, 2), [0])
    walk.sweep(date(2025, 4, 25))  # support plans due 30 days after the decision: overdue
    walk.sweep(date(2025, 5, 2))  # escalated 7 days later
    walk.sweep(date(2025, 9, 1))  # the annual periodic review opens


def follow_up(walk: Walk) -> None:
    """Two households exit; one relapses, the other graduates 36 months later (2025-2028)."""
    walk.fire(
        date(2025, 9, 3),
        [3, 4],
        "start_review",
        {"review_kind": "periodic", "started_on": date(2025, 9, 3)},
    )
    # recorded in one list: two classify their household, two outside review only record
    walk.survey(
        date(2025, 9, 5),
        {
            3: dated(WELL_OFF_SURVEY, date(2025, 9, 4)),
            4: WELL_OFF_SURVEY,
            0: dated(POOR_SURVEY, date(2025, 9, 3)),
            1: NEAR_POOR_SURVEY,
        },
    )
    walk.fire(
        date(2025, 9, 8),
        [3, 4],
        "agree",
        {"meeting_on": date(2025, 9, 8), "agreement_pct": 95, "posted_on": date(2025, 9, 8)},
    )
    walk.sweep(date(2025, 9, 11))
    walk.fire(date(2025, 9, 15), [3, 4], "exit", {"decided_on": date(2025, 9, 15)})
    walk.approve(date(2025, 9, 15), [3, 4])
    walk.fire(
        date(2026, 1, 15),
        [4],
        "relapse",
        {
            "reason": "Chủ hộ ốm nặng, mất thu nhập",
            "review_kind": "regular",
            "started_on": date(2026, 1, 15),
        },
    )
    walk.survey(date(2026, 1, 20), {4: POOR_SURVEY})
    walk.sweep(date(2026, 3, 16))  # a monitoring visit is due; the relapse review is late
    for year in (2026, 2027, 2028):
        walk.sweep(date(year, 9, 1))
    walk.sweep(date(2028, 9, 15))  # 36 months after the exit decision: graduated


# -- comparing the two sets --------------------------------------------------------------------

#: each household's rows, compared column by column, in id order
TABLES = {
    "events": Event,
    "deadlines": Deadline,
    "alerts": Alert,
    "approvals": Approval,
    "assessments": Assessment,
    "support_items": SupportItem,
}
#: the columns that differ by construction: the row's own id, its household's (read as its
#: place in its set), and the household's random code
UNCOMPARED = {"id", "household_id", "code"}
#: columns holding the id of another row of the household, and the table it is in
REFERENCES = {"approval_id": "approvals", "deadline_id": "deadlines"}


def snapshot(ids: list[int]) -> dict[str, dict]:
    """Every row of the households by name ("household 2 events[3]"), ids read as places."""
    db.session.expire_all()
    places = {hid: place for place, hid in enumerate(ids)}
    rows = {name: _rows(model, ids) for name, model in TABLES.items()}
    # another row's id reads as (its table, its household's place, its place among them)
    refs = {
        (name, row.id): (name, places[hid], n)
        for name in rows
        for hid in ids
        for n, row in enumerate(r for r in rows[name] if r.household_id == hid)
    }
    found = {}
    for place, hid in enumerate(ids):
        found[f"household {place}"] = _columns(db.session.get(Household, hid), refs)
        for name in TABLES:
            mine = (row for row in rows[name] if row.household_id == hid)
            found |= {
                f"household {place} {name}[{n}]": _columns(row, refs) for n, row in enumerate(mine)
            }
    return found


def _rows(model, ids: list[int]) -> list:
    query = db.select(model).where(model.household_id.in_(ids)).order_by(model.id)
    return list(db.session.scalars(query))


def _columns(row, refs: dict) -> dict:
    values = {c.key: getattr(row, c.key) for c in row.__table__.columns if c.key not in UNCOMPARED}
    for name, table in REFERENCES.items():
        if values.get(name) is not None:
            values[name] = refs[(table, values[name])]
    data = values.get("data")
    if data and "support_items" in data:
        items = [refs[("support_items", i)] for i in data["support_items"]]
        values["data"] = {**data, "support_items": items}
    return values


def _with_outcomes(rows: dict[str, dict], outcomes: list[tuple]) -> dict[str, dict]:
    return rows | {
        f"order {n} ({label}) for household {place}": {
            "status": status,
            "code": code,
            "message": message,
        }
        for n, (label, place, status, code, message) in enumerate(outcomes)
    }


def differences(walk: Walk) -> list[str]:
    """Name each row and column, and each order's outcome, that differ between the sets."""
    one = _with_outcomes(snapshot(walk.one), walk.outcomes["one"])
    many = _with_outcomes(snapshot(walk.many), walk.outcomes["many"])
    lines = [
        f"{key}: {column}: {value!r} one by one, {many[key].get(column)!r} as lists"
        for key, row in one.items()
        if key in many
        for column, value in row.items()
        if value != many[key].get(column)
    ]
    lines += [f"{key}: one by one only: {row}" for key, row in one.items() if key not in many]
    lines += [f"{key}: as lists only: {row}" for key, row in many.items() if key not in one]
    return lines


def assert_same_rows(walk: Walk) -> None:
    """Fail with the rows that differ: after the first step they did, and at the end."""
    report = []
    if walk.diverged is not None:
        step, found = walk.diverged
        report += [f"The sets' rows first differ after {step}:", *found]
    if found := differences(walk):
        report += ["The sets' rows differ at the end:", *found]
    if report:
        pytest.fail("\n".join(report), pytrace=False)


@pytest.fixture
def walk(ctx, world) -> Walk:
    return Walk(world)


def test_a_review_to_the_chairs_decisions_writes_the_same_rows_one_by_one_as_in_lists(walk):
    review(walk)

    assert walk.states() == [
        "recognised",
        "recognised",
        "registered",
        "recognised",
        "recognised",
        "registered",
    ]
    assert_same_rows(walk)


def test_support_plans_and_their_late_reminders_write_the_same_rows(walk):
    review(walk)
    support(walk)

    assert walk.states() == [
        "supported",
        "recognised",
        "registered",
        "recognised",
        "recognised",
        "registered",
    ]
    assert_same_rows(walk)


def test_exit_relapse_and_graduation_by_the_clock_write_the_same_rows(walk):
    review(walk)
    support(walk)
    follow_up(walk)

    assert walk.states() == [
        "supported",
        "recognised",
        "registered",
        "graduated",
        "classified",
        "registered",
    ]
    assert_same_rows(walk)


def test_asking_for_a_whole_list_refuses_each_household_not_ready_on_its_own(walk):
    review(walk)

    refused = [(o[1], o[3]) for o in walk.outcomes["many"] if o[2] == "refused"]
    # 1: its second posting is not over; 2 and 5: surveyed above the line
    assert refused == [(1, "guard_failed"), (2, "guard_failed"), (5, "guard_failed")]


def test_the_comparison_names_the_household_and_the_row_that_differ(walk):
    walk.register(date(2025, 3, 3))
    with clock.frozen_at(at(date(2025, 3, 10))):
        cases.fire(walk.worker, walk.many[4], "start_review", {"started_on": date(2025, 3, 10)})

    with pytest.raises(pytest.fail.Exception) as failed:
        assert_same_rows(walk)

    lines = str(failed.value).splitlines()
    assert "household 4: state: 'registered' one by one, 'under_review' as lists" in lines
    assert "household 4: version: 1 one by one, 2 as lists" in lines
    assert any(line.startswith("household 4 events[1]: as lists only: {") for line in lines)
