"""The one writer of moves, and the reader of what moves are planned from.

Planning is pure (caseflow.domain.planner); this module reads the households a plan needs in a
few queries per batch and writes a list of planned moves with batched statements: the same
rows for one household (an API call) as for ten thousand (a round, an import, the clock).
The caller owns the transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import (
    JSON,
    Column,
    MetaData,
    Table,
    bindparam,
    case,
    select,
    type_coerce,
    update,
)
from sqlalchemy.schema import CreateTable

from caseflow import clock
from caseflow.domain.errors import N_, StaleVersion
from caseflow.domain.planner import EDIT, SYSTEM, CaseView, LiveDeadline, Move, moved_to
from caseflow.domain.statuses import LIVE_DEADLINES, ApprovalStatus, DeadlineStatus
from caseflow.extensions import db
from caseflow.models import (
    Approval,
    Assessment,
    Deadline,
    Event,
    Household,
    SupportItem,
    Unit,
    User,
)
from caseflow.services import alerts, listed_spans, whatif_table
from caseflow.services.effects import EFFECTS
from caseflow.services.id_lists import IDS, among, per_database
from caseflow.services.inserts import COPIED, insert_ids, insert_rows

#: the household columns a plan reads, in CaseView's order
COLUMNS = (
    "id",
    "unit_id",
    "area",
    "state",
    "classification",
    "proposed_classification",
    "version",
    "workflow",
    "workflow_version",
    "recorded_on",
    "recorded_field",
)


#: the ORM UPDATEs of `write` leave the session's objects alone (matching each against the
#: rows it would change cost more than the statement): `write` expires them all at its end
NO_SYNC = {"synchronize_session": False}


@dataclass
class Written:
    """The ids of the rows written for each move, in the order of the moves (when asked)."""

    events: list[int | None] = field(default_factory=list)
    assessments: list[int | None] = field(default_factory=list)


def views(ids: Iterable[int], actor: User | None = None) -> dict[int, CaseView]:
    """Read what moving these households needs, in one query; within `actor`'s units."""
    ids = list(dict.fromkeys(ids))
    if actor is not None and actor.scope_path:
        query, params = _SCOPED_VIEWS(), {IDS: ids, "scope": _under(actor.scope_path)}
    else:
        query, params = _VIEWS(), {IDS: ids}
    views = {}
    for row in db.session.execute(query, params):
        live = sorted((LiveDeadline(*d) for d in row.live or ()), key=lambda d: d.id)
        views[row.id] = CaseView(
            *row[: len(COLUMNS)],
            live=tuple(live),
            state_data=row.state_data or {},
            proposed_supports=tuple(sorted(row.proposed or ())),
            pending_version=row.pending_version,
            requests_read=True,
        )
    return views


def _under(path: str) -> str:
    """The LIKE pattern of the unit paths under `path` (access.scoped's startswith)."""
    escaped = path.replace("/", "//").replace("%", "/%").replace("_", "/_")
    return escaped + "%"


def _views(among) -> object:
    """What views reads of each household, each list of its rows gathered as JSON in a
    column of the household's row: one statement for a move instead of five (a transition
    sent 13 statements, each costing a request a third of a millisecond or more)."""
    postgres = db.session.get_bind().dialect.name == "postgresql"
    array = db.func.json_build_array if postgres else db.func.json_array
    gathered = db.func.json_agg if postgres else db.func.json_group_array
    live = (
        select(gathered(array(Deadline.id, Deadline.key, Deadline.state, Deadline.until_states)))
        .where(Deadline.household_id == Household.id, Deadline.status.in_(LIVE_DEADLINES))
        .scalar_subquery()
    )
    # the payload of the move that entered the household's state (edits are not moves)
    state_data = (
        select(Event.data)
        .where(Event.household_id == Household.id, Event.trigger != EDIT)
        .order_by(Event.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    proposed = (
        select(gathered(SupportItem.id))
        .where(SupportItem.household_id == Household.id, SupportItem.state == "proposed")
        .scalar_subquery()
    )
    pending = (
        select(db.func.max(Approval.case_version))
        .where(Approval.household_id == Household.id, Approval.status == ApprovalStatus.PENDING)
        .scalar_subquery()
    )
    return select(
        *(getattr(Household, c) for c in COLUMNS),
        type_coerce(live, JSON).label("live"),
        state_data.label("state_data"),
        type_coerce(proposed, JSON).label("proposed"),
        pending.label("pending_version"),
    ).where(among(Household.id))


#: views' statement, built once for each database (a single move runs it): for everyone, and
#: within a scope (the units under a path)
_VIEWS = per_database(_views)
_SCOPED_VIEWS = per_database(
    lambda among: (
        _views(among)
        .join(Unit, Unit.id == Household.unit_id)
        .where(Unit.path.like(bindparam("scope"), escape="/"))
    )
)


def write(moves: Sequence[Move], *, returning: bool = False) -> Written:
    """Write every planned move: households, deadlines, alerts, requests, history, effects."""
    session = db.session
    session.flush()  # the caller's own changes (a decided request) go first, then ours
    written = Written()
    if not moves:
        return written
    _update_households(moves)
    ended = [i for move in moves for i in move.ended_deadlines]
    if ended:
        session.execute(
            update(Deadline)
            .where(among(Deadline.id, ended))
            .values(status=DeadlineStatus.CANCELLED),
            execution_options=NO_SYNC,
        )
    moved = moved_to(moves)
    alerts.close_ended(moved)
    _close_stale_requests(moves)
    surveys = [m.assessment for m in moves]
    written.assessments = _insert(Assessment, surveys, returning or any(surveys))
    whatif_table.follow_surveys(moves, written.assessments)
    written.events = _insert(Event, [m.event or None for m in moves], returning)
    listed_spans.follow(moves)
    _insert(
        Deadline,
        [_deadline_row(m.case.id, plan, m.event["at"]) for m in moves for plan in m.new_deadlines],
        False,
    )
    for name in dict.fromkeys(e for m in moves for e in m.effects):
        EFFECTS[name]([m for m in moves if name in m.effects])
    session.expire_all()
    return written


def request(rows: Sequence[dict]) -> list[int]:
    """Write requests for approval (planner.plan_request); return their ids in order.

    A household's pending request made on an older version could only be closed as stale, so
    it is, now; the caller has refused households whose pending request is still current. One
    made on the same version meanwhile (another request for it, committed since the caller
    read the household) is left pending: the new one is then refused by the one pending
    request a household may have (409), never put in its place.
    """
    if not rows:
        return []
    db.session.flush()
    versions = {row["household_id"]: row["case_version"] for row in rows}
    db.session.execute(
        update(Approval)
        .where(
            among(Approval.household_id, list(versions)),
            Approval.status == ApprovalStatus.PENDING,
            Approval.case_version < case(versions, value=Approval.household_id),
        )
        .values(status=ApprovalStatus.STALE, decided_by=SYSTEM, decided_at=clock.now())
    )
    ids = _insert(Approval, list(rows), True)
    db.session.expire_all()
    return ids


def _update_households(moves: Sequence[Move]) -> None:
    """Move each household once, checking its version like the ORM does for one."""
    latest = {m.case.id: m for m in moves}  # a survey then classify: the last plan wins
    rows = [
        {
            "id": m.case.id,
            "version": m.case.version,
            "state": m.dest,
            "classification": m.classification,
            "proposed_classification": m.proposed_classification,
            "recorded_on": m.recorded_on,
            "recorded_field": m.recorded_field,
        }
        for m in latest.values()
    ]
    if len(rows) >= COPIED and db.engine.dialect.name == "postgresql":
        updated = _update_from_copy(rows)
    elif db.engine.dialect.supports_sane_multi_rowcount:
        updated = db.session.connection().execute(_UPDATE_EACH, _bound(rows)).rowcount
    else:
        db.session.connection().execute(_UPDATE_EACH, _bound(rows))
        updated = len(rows)
    if updated != len(rows):
        raise StaleVersion(
            N_("The household was changed by someone else meanwhile; reload it and try again.")
            if len(rows) == 1
            else N_(
                "Some households were changed meanwhile; nothing was saved. "
                "Reload the list and try again."
            )
        )


_HOUSEHOLD = Household.__table__
#: the household columns a move sets from its plan (and the version it was planned on)
_MOVED = ("state", "classification", "proposed_classification", "recorded_on", "recorded_field")
_UPDATE_EACH = (
    update(_HOUSEHOLD)
    .where(_HOUSEHOLD.c.id == bindparam("b_id"), _HOUSEHOLD.c.version == bindparam("b_version"))
    .values(
        **{name: bindparam(f"b_{name}") for name in _MOVED},
        version=_HOUSEHOLD.c.version + 1,
        updated_at=bindparam("b_now"),
    )
)
#: the moves of a chunk, copied in on PostgreSQL: one UPDATE ... FROM it instead of an UPDATE
#: per household (1,000 households: about half the executemany's time); emptied at each commit
_MOVES = Table(
    "moved_household",
    MetaData(),
    *(Column(name, _HOUSEHOLD.c[name].type) for name in ("id", "version", *_MOVED)),
    prefixes=["TEMPORARY"],
    postgresql_on_commit="DELETE ROWS",
)
_UPDATE_FROM = (
    update(_HOUSEHOLD)
    .where(_HOUSEHOLD.c.id == _MOVES.c.id, _HOUSEHOLD.c.version == _MOVES.c.version)
    .values(
        **{name: _MOVES.c[name] for name in _MOVED},
        version=_HOUSEHOLD.c.version + 1,
        updated_at=bindparam("now"),
    )
)


def _bound(rows: list[dict]) -> list[dict]:
    now = clock.now()
    return [{**{f"b_{k}": v for k, v in row.items()}, "b_now": now} for row in rows]


def _update_from_copy(rows: list[dict]) -> int:
    session = db.session
    session.execute(CreateTable(_MOVES, if_not_exists=True))
    session.execute(_MOVES.delete())  # an earlier chunk's, in this transaction
    insert_rows(_MOVES, rows)
    return session.connection().execute(_UPDATE_FROM, {"now": clock.now()}).rowcount


def _close_stale_requests(moves: Sequence[Move]) -> None:
    """A request made on a version now gone is stale; the one a move carries out is not.

    Households whose view found no pending request are left out (in most moves, all of them:
    the statement is not sent). A request made meanwhile by another transaction on the
    version this move leaves is stale all the same; approving it marks it so
    (approvals.decide), as for one made after this statement ran."""
    keep = [m.approval_id for m in moves if m.approval_id is not None]
    ids = [
        m.case.id for m in moves if m.case.pending_version is not None or not m.case.requests_read
    ]
    if not ids:
        return
    statement = update(Approval).where(
        among(Approval.household_id, ids), Approval.status == ApprovalStatus.PENDING
    )
    if keep:
        statement = statement.where(Approval.id.not_in(keep))
    db.session.execute(
        statement.values(status=ApprovalStatus.STALE, decided_by=SYSTEM, decided_at=clock.now()),
        execution_options=NO_SYNC,
    )


def _insert(model, rows: list[dict | None], returning: bool) -> list[int | None]:
    """Insert the rows (None: nothing for that move); return their ids in order when asked."""
    present = [row for row in rows if row]
    if not present:
        return [None] * len(rows)
    table = model.__table__
    if not returning:
        insert_rows(table, present)
        return []
    ids = iter(insert_ids(table, present))
    return [next(ids) if row else None for row in rows]


def _deadline_row(household_id: int, plan, now) -> dict:
    return {
        "household_id": household_id,
        "key": plan.key,
        "timer": plan.timer,
        "kind": plan.kind,
        "due_at": plan.due_at,
        "state": plan.state,
        "until_states": ",".join(plan.until),
        "status": DeadlineStatus.PENDING,
        "attempts": 0,
        "created_at": now,
    }
