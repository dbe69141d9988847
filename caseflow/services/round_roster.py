"""Where each household of a round is, read from the rows themselves: its village, its step,
and what is late; counted in the database, one query for a page of rounds.

Nothing here is stored twice: a household's step follows from its state, its pending request
and its history since it joined the round, whichever way it moved (a round's step, its own
page, the API).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Select, case, exists, func, or_, select

from caseflow import clock
from caseflow.domain.rounds import DECISIONS, STEP_OF_STATE, STEPS, RoundKind, Step
from caseflow.domain.text import fold
from caseflow.extensions import db
from caseflow.models import (
    Approval,
    Deadline,
    Event,
    Household,
    ReviewRound,
    RoundHousehold,
    Unit,
    User,
)
from caseflow.services.round_rules import rules
from caseflow.services.worklist import late

VILLAGE_LEVEL = "village"


def village_key():
    """A household's village: the code of the village unit it is registered at, else the
    village name it records, else the code of its unit."""
    recorded = func.trim(Household.village)
    return case(
        (Unit.level == VILLAGE_LEVEL, Unit.code),
        (func.coalesce(recorded, "") != "", recorded),
        else_=Unit.code,
    )


def _decided():
    return exists().where(
        Event.household_id == RoundHousehold.household_id,
        Event.id > RoundHousehold.since_event_id,
        Event.trigger.in_(DECISIONS),
    )


def _awaiting():
    return exists().where(
        Approval.household_id == RoundHousehold.household_id,
        Approval.status == "pending",
        Approval.trigger.in_(DECISIONS),
    )


def _posting_ends():
    """When the household's latest posting ends (its posting timer's due moment)."""
    return (
        select(Deadline.due_at)
        .where(Deadline.household_id == RoundHousehold.household_id)
        .where(Deadline.timer == rules().posting_timer)
        .order_by(Deadline.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def _past_limit(now):
    return exists().where(
        Deadline.household_id == RoundHousehold.household_id,
        Deadline.timer == rules().decision_timer,
        late(now),
    )


def roster(actor: User | None) -> Select:
    """Every household of every round, with its village, step and lateness, as the actor may
    see it (a village's case worker sees the village's households); narrow it with .where."""
    now = clock.now()
    base = (
        select(
            RoundHousehold.round_id,
            RoundHousehold.household_id,
            RoundHousehold.form,
            village_key().label("village"),
            Household.state,
            Household.search_name,
            ReviewRound.kind,
            ReviewRound.closes_on,
            _decided().label("decided"),
            _awaiting().label("awaiting"),
            _posting_ends().label("posting_ends"),
            _past_limit(now).label("past_limit"),
        )
        .join(Household, Household.id == RoundHousehold.household_id)
        .join(Unit, Unit.id == Household.unit_id)
        .join(ReviewRound, ReviewRound.id == RoundHousehold.round_id)
    )
    if actor is not None and actor.scope_path:
        base = base.where(Unit.path.startswith(actor.scope_path, autoescape=True))
    return base


def stepped(base: Select):
    """The roster as a subquery with each household's step and reasons to be late.

    The roster is computed once (MATERIALIZED on PostgreSQL: each household's look-ups are
    made once, not once for each flag that reads them). PostgreSQL's JIT is off on caseflow's
    connections (caseflow/__init__.py): its correlated look-ups make the planner's estimate
    large, and compiling the query took several times longer than running it (3.0 s against
    0.4 s, 10,000 households).
    """
    rows = base.cte("roster").prefix_with("MATERIALIZED", dialect="postgresql")
    now, today = clock.now(), clock.today()
    undecided = ~rows.c.decided
    step = case(
        (rows.c.decided, Step.DECIDED.value),
        (rows.c.awaiting, Step.AWAITING_DECISION.value),
        *((rows.c.state == state, value.value) for state, value in STEP_OF_STATE.items()),
        else_=Step.LISTED.value,
    )
    closing = undecided & (rows.c.closes_on < today)
    limit = undecided & (rows.c.kind == RoundKind.REGULAR.value) & rows.c.past_limit
    posting = (
        (rows.c.state == "posted") & undecided & ~rows.c.awaiting & (rows.c.posting_ends <= now)
    )
    return select(
        rows.c.round_id,
        rows.c.household_id,
        rows.c.form,
        rows.c.village,
        rows.c.search_name,
        step.label("step"),
        _flag(closing).label("closing_day"),
        _flag(limit).label("decision_limit"),
        _flag(posting).label("posting_over"),
    ).subquery("stepped")


def _flag(condition):
    return case((condition, 1), else_=0)


@dataclass
class Progress:
    """Counts per step (each household in exactly one), and what is late, of a round or a
    village."""

    households: int = 0
    steps: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STEPS, 0))
    late: dict[str, int] = field(
        default_factory=lambda: {
            "households": 0,
            "closing_day": 0,
            "decision_limit": 0,
            "posting_over": 0,
        }
    )

    def add(self, step: str, count: int, late: Sequence[int], late_households: int) -> None:
        self.households += count
        self.steps[step] += count
        for name, value in zip(
            ("closing_day", "decision_limit", "posting_over"), late, strict=True
        ):
            self.late[name] += value
        self.late["households"] += late_households

    @property
    def undecided(self) -> int:
        return self.households - self.steps[Step.DECIDED]


@dataclass
class VillageProgress:
    village: str
    name: str
    progress: Progress


def progress_of(actor: User | None, round_ids: Iterable[int]) -> dict[int, tuple[Progress, list]]:
    """Return, per round, its progress and its villages' progress, in one query."""
    ids = list(round_ids)
    found: dict[int, tuple[Progress, dict[str, Progress]]] = {i: (Progress(), {}) for i in ids}
    if not ids:
        return {}
    rows = stepped(roster(actor).where(RoundHousehold.round_id.in_(ids)))
    any_late = case(
        (rows.c.closing_day + rows.c.decision_limit + rows.c.posting_over > 0, 1), else_=0
    )
    counted = db.session.execute(
        select(
            rows.c.round_id,
            rows.c.village,
            rows.c.step,
            func.count(),
            func.sum(rows.c.closing_day),
            func.sum(rows.c.decision_limit),
            func.sum(rows.c.posting_over),
            func.sum(any_late),
        ).group_by(rows.c.round_id, rows.c.village, rows.c.step)
    )
    for round_id, village, step, count, closing, limit, posting, late_count in counted:
        total, villages = found[round_id]
        late_counts = (int(closing or 0), int(limit or 0), int(posting or 0))
        total.add(step, count, late_counts, int(late_count or 0))
        villages.setdefault(village, Progress()).add(step, count, late_counts, int(late_count or 0))
    names = village_names(v for _, villages in found.values() for v in villages)
    return {
        round_id: (
            total,
            sorted(
                (VillageProgress(v, names.get(v, v), p) for v, p in villages.items()),
                key=lambda village: fold(village.name),  # Đông Hải beside Dương, not after Tây
            ),
        )
        for round_id, (total, villages) in found.items()
    }


def village_names(keys: Iterable[str]) -> dict[str, str]:
    """Return the names of the village keys that are unit codes (the others are names)."""
    keys = set(keys)
    if not keys:
        return {}
    rows = db.session.execute(select(Unit.code, Unit.name).where(Unit.code.in_(keys)))
    return dict(rows.all())


def resolve_village(round_: ReviewRound, village: str | None) -> str | None:
    """Return the village key a `village` parameter names: a key itself, or a village unit's
    name or code within the round's unit."""
    if village is None:
        return None
    village = village.strip()
    unit = db.session.scalar(
        select(Unit).where(
            or_(Unit.code == village, Unit.name == village),
            Unit.path.startswith(round_.unit.path, autoescape=True),
        )
    )
    return unit.code if unit is not None else village


@dataclass
class Member:
    """One household of a round, where it is now."""

    household_id: int
    village: str
    step: str
    late: tuple[str, ...]
    #: a regular round's request form (01 or 04)
    form: str | None = None


def members(
    actor: User | None,
    round_id: int,
    *,
    village: str | None = None,
    step: str | None = None,
    late_only: bool = False,
    household_ids: Sequence[int] | None = None,
    page: tuple[int, int] | None = None,
) -> tuple[list[Member], int]:
    """Return the round's households the actor may see, ordered by village and name, narrowed
    as asked; with `page` (number, size), that page and the count of all."""
    rows = stepped(_narrowed(roster(actor), round_id, household_ids))
    query = select(rows)
    if village is not None:
        query = query.where(rows.c.village == village)
    if step is not None:
        query = query.where(rows.c.step == step)
    if late_only:
        query = query.where(rows.c.closing_day + rows.c.decision_limit + rows.c.posting_over > 0)
    total = None
    if page is not None:
        total = db.session.scalar(select(func.count()).select_from(query.subquery()))
        number, size = page
        query = query.limit(size).offset((number - 1) * size)
    found = [
        Member(
            row.household_id,
            row.village,
            row.step,
            tuple(
                name
                for name in ("closing_day", "decision_limit", "posting_over")
                if getattr(row, name)
            ),
            row.form,
        )
        for row in db.session.execute(
            query.order_by(rows.c.village, rows.c.search_name, rows.c.household_id)
        )
    ]
    return found, len(found) if total is None else total


def _narrowed(base: Select, round_id: int, household_ids: Sequence[int] | None) -> Select:
    base = base.where(RoundHousehold.round_id == round_id)
    if household_ids is not None:
        base = base.where(RoundHousehold.household_id.in_(list(household_ids)))
    return base


def all_decided(round_id: int) -> bool:
    """Tell whether the round has households and every one of them is decided (two cheap
    look-ups, not the round's whole progress)."""
    listed = select(RoundHousehold.id).where(RoundHousehold.round_id == round_id)
    undecided = listed.where(~_decided())
    return bool(
        db.session.scalar(select(listed.exists()))
        and not db.session.scalar(select(undecided.exists()))
    )


def undecided_ids(round_id: int) -> list[int]:
    """Return the round's households not decided, whoever looks."""
    return [m.household_id for m in members(None, round_id)[0] if m.step != Step.DECIDED]
