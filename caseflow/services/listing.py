"""Long lists: keyset pages (`after`) and a total exact up to a bound, estimated past it.

A million households cannot be counted on every page, nor skipped through with OFFSET. A
list's page is found from the sort key of the last row shown (the cursor `next`), and its
total is counted over at most BOUND + 1 rows: past the bound PostgreSQL's planner estimates
it (`total_exact` false), SQLite says only that there are more than BOUND.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import Select, func, literal, select, tuple_
from sqlalchemy.orm import InstrumentedAttribute

from caseflow.domain import cursors
from caseflow.domain.errors import N_, InvalidInput, Msg
from caseflow.extensions import PLAN_FOR_VALUES, db

#: totals are exact up to this many rows, unless CASEFLOW_EXACT_TOTAL_UP_TO says
BOUND = 10_000
#: a list's statements are planned for their values (a commune or the province, a phone or a
#: common word): see caseflow._configure_postgresql
FOR_VALUES = {PLAN_FOR_VALUES: True}
BAD_CURSOR = N_("Not a valid cursor: send the `next` of the previous page.")


@dataclass
class Page:
    items: list
    total: int
    page: int
    per_page: int
    total_exact: bool = True
    next: str | None = None
    #: how `total` was found: "exact", "estimate" (the planner's) or "more_than" (`total` is
    #: the bound, and there are more)
    total_kind: str = "exact"


def keyset_page(
    query: Select,
    order: Sequence[InstrumentedAttribute],
    *,
    descending: bool = False,
    after: str | None = None,
    page: int = 1,
    per_page: int = 50,
    options: Sequence = (),
    counted: Select | None = None,
) -> Page:
    """Return a page of `query` sorted by the columns `order` (a unique key, last column
    unique): after the cursor `after` when given, else page `page`. Its total counts the
    rows of `counted` when given: a query of one column with as many rows, cheaper to run."""
    known = None  # the total, when a longer list's keys have been counted already
    if counted is not None and after is None and len(order) == 1 and page * per_page <= _bound():
        found = _counted_page(query, order[0], counted, descending, page, per_page, options)
        if isinstance(found, Page):
            return found
        known = found
    sort = [c.desc() if descending else c for c in order]
    rows = query.order_by(*sort).options(*options).limit(per_page + 1)
    if after is not None:
        key = tuple_(*order) if len(order) > 1 else order[0]
        start = _start(order, after)
        rows = rows.where(key < start if descending else key > start)
    else:
        rows = rows.offset((page - 1) * per_page)
    found = list(db.session.scalars(rows.execution_options(**FOR_VALUES)).unique())
    items = found[:per_page]
    following = cursors.encode(_key(items[-1], order)) if len(found) > per_page else None
    if after is None and page == 1 and following is None and len(items) <= _bound():
        total, kind = len(items), "exact"  # the whole list is on its first page: not counted
    elif known is not None:
        total, kind = known
    elif counted is None:
        total, kind = bounded_total(query, order[-1])
    else:
        total, kind = bounded_total(counted, counted.selected_columns[0])
    return Page(items, total, page, per_page, kind == "exact", following, kind)


def _counted_page(
    query: Select,
    column: InstrumentedAttribute,
    counted: Select,
    descending: bool,
    page: int,
    per_page: int,
    options: Sequence,
) -> Page | tuple[int, str]:
    """A page of a list of at most BOUND rows and its total, from `counted` (the same rows'
    keys, cheaper to find: a search's index) in one statement: at most BOUND + 1 of its keys,
    in no order (so found as the bounded count finds them, never by walking the key's index
    for a rare word), counted by a window beside the page's keys; then the page's rows by
    their keys. A list longer than the bound gives only its total and the total's kind: its
    page is the first of all its rows in order, found as any list's. A search at 1,000,000
    households found its matches once, not for the page and again for the count."""
    key = counted.selected_columns[0]
    some = counted.order_by(None).limit(_bound() + 1).subquery()
    kept = some.c[0]
    keys = (
        select(kept, func.count().over())
        .order_by(kept.desc() if descending else kept)
        .offset((page - 1) * per_page)
        .limit(per_page + 1)
    )
    found = db.session.execute(keys.execution_options(**FOR_VALUES)).all()
    if not found:  # past the list's end: counted on its own
        total, kind = bounded_total(counted, key)
        return Page([], total, page, per_page, kind == "exact", None, kind)
    if found[0][1] > _bound():
        return _bounded(found[0][1], counted, key)
    shown = [row[0] for row in found[:per_page]]
    entity = query.column_descriptions[0]["entity"]
    sort = column.desc() if descending else column
    rows = select(entity).where(column.in_(shown)).order_by(sort).options(*options)
    items = list(db.session.scalars(rows).unique())
    following = cursors.encode(_key(items[-1], [column])) if len(found) > per_page else None
    return Page(items, found[0][1], page, per_page, True, following, "exact")


def bounded_total(query: Select, column: InstrumentedAttribute) -> tuple[int, str]:
    """Count the rows of `query` up to BOUND; past it, estimate (PostgreSQL) or say so."""
    bound = _bound()
    bounded = query.with_only_columns(column).order_by(None).limit(bound + 1).subquery()
    counting = select(func.count()).select_from(bounded).execution_options(**FOR_VALUES)
    return _bounded(db.session.scalar(counting) or 0, query, column)


def _bounded(counted: int, query: Select, column: InstrumentedAttribute) -> tuple[int, str]:
    """The total of `query`, of which `counted` rows were counted (at most BOUND + 1)."""
    bound = _bound()
    if counted <= bound:
        return counted, "exact"
    if db.session.get_bind().dialect.name == "postgresql":
        estimate = _estimate(query.with_only_columns(column).order_by(None))
        return max(estimate, bound + 1), "estimate"
    return bound, "more_than"


def _bound() -> int:
    return current_app.config.get("CASEFLOW_EXACT_TOTAL_UP_TO", BOUND)


def _estimate(query: Select) -> int:
    """The planner's estimate of how many rows `query` returns, to three figures."""
    connection = db.session.connection()
    compiled = query.compile(
        dialect=connection.dialect, compile_kwargs={"render_postcompile": True}
    )
    explain = "EXPLAIN (FORMAT JSON) " + str(compiled)
    plan = connection.exec_driver_sql(explain, compiled.params, FOR_VALUES).scalar()
    if isinstance(plan, str):
        plan = json.loads(plan)
    rows = int(plan[0]["Plan"]["Plan Rows"])
    return int(float(f"{rows:.3g}"))


def _key(item, order: Sequence[InstrumentedAttribute]) -> list[int | str]:
    values = [getattr(item, column.key) for column in order]
    return [v.isoformat() if isinstance(v, datetime) else v for v in values]


def _start(order: Sequence[InstrumentedAttribute], after: str) -> object:
    try:
        key = cursors.decode(after)
        if len(key) != len(order):
            raise ValueError("not this list's cursor")
        values = [
            literal(_value(column, part), column.type)
            for column, part in zip(order, key, strict=True)
        ]
    except ValueError as error:
        raise InvalidInput(BAD_CURSOR, fields={"after": [Msg(BAD_CURSOR)]}) from error
    return tuple_(*values) if len(values) > 1 else values[0]


def _value(column: InstrumentedAttribute, part: int | str) -> object:
    kind = getattr(column.type, "impl", column.type).python_type  # through a TypeDecorator
    if kind is datetime and isinstance(part, str):
        moment = datetime.fromisoformat(part)
        if moment.tzinfo is None:
            raise ValueError("a cursor's times are aware")
        return moment
    if kind is int and isinstance(part, int):
        return part
    if kind is str and isinstance(part, str):
        return part
    raise ValueError("not this list's cursor")
