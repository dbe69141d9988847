"""Exports of lists: households (the import's sheets), surveys and a unit's history.

Rows are read a chunk of households at a time (keyset by id) and streamed to
caseflow.services.spreadsheets, so memory stays flat whatever the list's length. Officers get
personal identifiers masked, as the API shows them. Each `*_sheet` function returns a
spreadsheets.Sheet, for reports and other lists to reuse.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from sqlalchemy.orm import selectinload

from caseflow import clock
from caseflow.domain.errors import N_, InvalidInput
from caseflow.domain.facts import shown_data
from caseflow.domain.planner import EDIT
from caseflow.domain.sheet_format import (
    HOUSEHOLD_SHEET,
    MEMBER_SHEET,
    STANDING_STATES,
    STANDINGS,
)
from caseflow.domain.text import mask
from caseflow.extensions import db
from caseflow.models import Assessment, Event, Household, Unit, User
from caseflow.services import spreadsheets
from caseflow.services.access import require_role, unit_by_code
from caseflow.services.definitions import standards
from caseflow.services.households import FILTERS, SEES_IDENTIFIERS, filtered
from caseflow.services.import_rows import surveys_format
from caseflow.services.spreadsheets import Sheet

CHUNK = 1000
KINDS = ("households", "assessments", "history")
HISTORY_HEADERS = (
    "Mã hộ",
    "Thời điểm",
    "Sự kiện",
    "Từ trạng thái",
    "Đến trạng thái",
    "Người thực hiện",
    "Người phê duyệt",
    "Lý do",
    "Dữ liệu",
)
#: (state, class) -> the word of `Tình trạng`
_STANDING_WORDS = {value: word for word, value in STANDINGS.items()}


def _chunks(query, *, members: bool = False) -> Iterator[list[Household]]:
    """Yield the query's households a chunk at a time, by id (with their members if asked)."""
    after = 0
    if members:
        query = query.options(selectinload(Household.members))
    while True:
        chunk = db.session.scalars(
            query.where(Household.id > after).order_by(Household.id).limit(CHUNK)
        ).all()
        if not chunk:
            return
        yield list(chunk)
        after = chunk[-1].id


def household_sheets(actor: User, **filters) -> list[Sheet]:
    """Return the households matching the list's filters as the import's three sheets (the
    list's paging arguments, when given, are not filters: the whole list is exported)."""
    require_role(actor, "case_worker", "supervisor", "officer", "admin")
    query = filtered(actor, **{k: v for k, v in filters.items() if k in FILTERS})
    masked = actor.role not in SEES_IDENTIFIERS
    survey_format, _ = surveys_format(standards())
    return [
        Sheet(HOUSEHOLD_SHEET.title, HOUSEHOLD_SHEET.headers, _households(query, masked)),
        Sheet(MEMBER_SHEET.title, MEMBER_SHEET.headers, _members(query)),
        Sheet(survey_format.title, survey_format.headers, _surveys(query, survey_format)),
    ]


def _households(query, masked: bool) -> Iterator[list]:
    sheet = HOUSEHOLD_SHEET
    for chunk in _chunks(query):
        decided = _decided_on([h.id for h in chunk if h.state in STANDING_STATES])
        for h in chunk:
            standing = _standing(h)
            yield [
                h.code,
                h.head_name,
                h.unit.code,
                h.village,
                h.address,
                mask(h.phone) if masked else h.phone,
                mask(h.national_id) if masked else h.national_id,
                sheet.column("area").word(h.area),
                standing,
                decided.get(h.id) if standing else None,
            ]


def _standing(household: Household) -> str | None:
    if household.state == "follow_up":
        return _STANDING_WORDS[("follow_up", None)]
    if household.state in STANDING_STATES:
        return _STANDING_WORDS.get(("recognised", household.classification))
    return None


def _decided_on(ids: list[int]):
    """The date of the decision (or import) that gave each household its standing."""
    if not ids:
        return {}
    latest = (
        db.select(db.func.max(Event.id))
        .where(
            Event.household_id.in_(ids),
            Event.to_state.in_(("recognised", "follow_up")),
            Event.trigger != EDIT,
        )
        .group_by(Event.household_id)
    )
    rows = db.session.execute(db.select(Event.household_id, Event.data).where(Event.id.in_(latest)))
    return {
        row.household_id: date.fromisoformat(row.data["decided_on"])
        for row in rows
        if (row.data or {}).get("decided_on")
    }


def _members(query) -> Iterator[list]:
    sheet = MEMBER_SHEET
    for chunk in _chunks(query, members=True):
        for h in chunk:
            for m in h.members:
                yield [
                    h.code,
                    m.full_name,
                    m.birth_date,
                    sheet.column("sex").word(m.sex),
                    sheet.column("relation").word(m.relation),
                    m.ethnicity,
                    "x" if m.disability else None,
                    None,
                ]


def _surveys(query, survey_format) -> Iterator[list]:
    keys = [c.field.split(":", 1)[1] for c in survey_format.columns if ":" in c.field]
    for chunk in _chunks(query):
        codes = {h.id: h.code for h in chunk}
        surveys = db.session.scalars(
            db.select(Assessment)
            .where(Assessment.household_id.in_(list(codes)))
            .order_by(Assessment.household_id, Assessment.surveyed_on, Assessment.id)
        )
        for a in surveys:
            given = a.deprivations or {}
            yield [
                codes[a.household_id],
                a.surveyed_on,
                a.income_per_capita_month,
                a.income_score,
                *("x" if given.get(k) else None for k in keys),
            ]


def assessment_sheet(actor: User, **filters) -> Sheet:
    """Return the surveys of the households matching the filters (the import's sheet)."""
    return household_sheets(actor, **filters)[2]


def history_sheet(actor: User, unit: str) -> Sheet:
    """Return a unit's history, oldest first; identifiers masked for officers."""
    require_role(actor, "case_worker", "supervisor", "officer", "admin")
    found = unit_by_code(unit, actor, "unit")
    masked = actor.role not in SEES_IDENTIFIERS
    return Sheet("Lịch sử", HISTORY_HEADERS, _history(found, masked))


def _history(unit: Unit, masked: bool) -> Iterator[list]:
    after = 0
    while True:
        rows = db.session.execute(
            db.select(Event, Household.code)
            .join(Household, Household.id == Event.household_id)
            .join(Unit, Unit.id == Household.unit_id)
            .where(Unit.path.startswith(unit.path, autoescape=True), Event.id > after)
            .order_by(Event.id)
            .limit(CHUNK)
        ).all()
        if not rows:
            return
        for event, code in rows:
            data = shown_data(event.trigger, event.data, masked)
            yield [
                code,
                event.at.astimezone(clock.BUSINESS_TZ).replace(tzinfo=None),
                event.trigger,
                event.from_state,
                event.to_state,
                event.actor,
                event.approved_by,
                event.reason,
                json.dumps(data, ensure_ascii=False) if data else None,
            ]
        after = rows[-1][0].id


def sheets_of(actor: User, kind: str, **filters) -> list[Sheet]:
    """Return the sheets of an export by its kind (households, assessments, history)."""
    if kind == "households":
        return household_sheets(actor, **filters)
    if kind == "assessments":
        return [assessment_sheet(actor, **filters)]
    if kind == "history":
        return [history_sheet(actor, filters.get("unit") or "")]
    raise InvalidInput(N_("Unknown export '%(kind)s'."), params={"kind": kind})


def write_file(actor: User, kind: str, fmt: str, output: Path, **filters) -> None:
    """Write an export to `output` as xlsx or CSV (a CSV holds the first sheet)."""
    sheets = sheets_of(actor, kind, **filters)
    if fmt == "csv":
        with output.open("w", encoding="utf-8", newline="") as file:
            file.writelines(spreadsheets.csv_lines(sheets[0]))
        return
    with spreadsheets.xlsx(sheets) as made, output.open("wb") as file:
        shutil.copyfileobj(made, file)
