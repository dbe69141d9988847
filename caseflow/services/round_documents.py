"""The papers a round prints, filled from its rows: the survey list of a village, the meeting
minutes, the posting list, the chair's decision with its four annexed lists (form 02), and the
certificates (form 03). Each is print-ready A4 HTML (templates/documents/) and an xlsx.

These are the forms of Decision 24/2021, printed in Vietnamese whoever reads the screen: their
column headings below are the forms' own words. Units and people are named as the data names
them; nothing here belongs to one province.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from caseflow.domain.classification import CLASSIFICATION_NAMES
from caseflow.domain.errors import N_, NotFound
from caseflow.domain.rounds import DECISIONS, decision_for
from caseflow.domain.standards import Standard
from caseflow.extensions import db
from caseflow.models import (
    Assessment,
    Event,
    Household,
    ReviewRound,
    RoundHousehold,
    RoundMeeting,
    User,
)
from caseflow.services import round_roster, rounds
from caseflow.services.definitions import business_calendar, current_workflow, standards
from caseflow.services.round_rules import kind as kind_of
from caseflow.services.round_rules import rules
from caseflow.services.spreadsheets import Sheet

KINDS = ("survey_list", "meeting_minutes", "posting_list", "decision", "certificates")
CLASS_NAMES = CLASSIFICATION_NAMES["vi"]
#: what a posted household's result asks the chair for, as the posting list says it
PROPOSALS = {
    ("recognise", "poor"): "Đề nghị công nhận hộ nghèo",
    ("recognise", "near_poor"): "Đề nghị công nhận hộ cận nghèo",
    ("exit", "poor"): "Đề nghị công nhận thoát nghèo",
    ("exit", "near_poor"): "Đề nghị công nhận thoát cận nghèo",
}
NOT_LISTED = "Không thuộc diện hộ nghèo, hộ cận nghèo"


@dataclass
class Line:
    """One household as a document lists it."""

    number: int
    household: Household
    village: str
    survey: Assessment | None = None
    decision: Event | None = None
    agreement: float | None = None
    outcome: str | None = None
    proposal: str = ""
    certificate: str = ""
    before: str | None = None

    @property
    def decided_on(self) -> date | None:
        day = self.decision.data.get("decided_on") if self.decision else None
        return date.fromisoformat(day) if day else None


@dataclass
class Document:
    """A document to print: what its template shows, and its sheets for xlsx."""

    kind: str
    round: ReviewRound
    title: str
    village: str | None
    village_name: str | None
    context: dict = field(default_factory=dict)
    sheets: Callable[[], list[Sheet]] = list

    @property
    def template(self) -> str:
        return f"documents/{self.kind}.html"

    @property
    def filename(self) -> str:
        from caseflow.domain.text import fold

        where = f"-{fold(self.village_name or '').replace(' ', '-')}" if self.village else ""
        return f"round-{self.round.id}-{self.kind}{where}"


def build(actor: User, round_id: int, kind: str, village: str | None) -> Document:
    """Fill one of the round's documents; a village with no households gives empty lists."""
    if kind not in KINDS:
        raise NotFound(N_("No document '%(kind)s'."), params={"kind": kind})
    found = rounds.get_round(actor, round_id)
    key = round_roster.resolve_village(found, village) if village else None
    names = round_roster.village_names([key] if key else [])
    document = Document(
        kind,
        found,
        kind_of(found.kind).title("vi", found.year, found.month),
        key,
        names.get(key, key) if key else None,
    )
    _builder(kind)(actor, document)
    return document


def lines_of(actor: User, document: Document, *, members: bool = False) -> list[Line]:
    """The households a document lists (the actor may see), numbered, by village and name."""
    listed, _ = round_roster.members(actor, document.round.id, village=document.village)
    ids = [m.household_id for m in listed]
    query = select(Household).where(Household.id.in_(ids))
    if members:
        query = query.options(selectinload(Household.members))
    found = {h.id: h for h in db.session.scalars(query)} if ids else {}
    names = round_roster.village_names({m.village for m in listed})
    return [
        Line(i, found[m.household_id], names.get(m.village, m.village))
        for i, m in enumerate(listed, start=1)
    ]


def _joined(found: ReviewRound, ids: Sequence[int]) -> dict[int, RoundHousehold]:
    if not ids:
        return {}
    rows = db.session.scalars(
        select(RoundHousehold).where(
            RoundHousehold.round_id == found.id, RoundHousehold.household_id.in_(ids)
        )
    )
    return {row.household_id: row for row in rows}


def _surveys(found: ReviewRound, lines: list[Line], before: datetime | None = None) -> None:
    """Each household's latest survey recorded since it joined the round (and before
    `before`: the survey a meeting discussed)."""
    joined = _joined(found, [line.household.id for line in lines])
    if not joined:
        return
    latest: dict[int, Assessment] = {}
    for survey in db.session.scalars(
        select(Assessment).where(Assessment.household_id.in_(list(joined))).order_by(Assessment.id)
    ):
        if survey.created_at >= joined[survey.household_id].added_at and (
            before is None or survey.created_at <= before
        ):
            latest[survey.household_id] = survey
    for line in lines:
        line.survey = latest.get(line.household.id)
        line.before = joined[line.household.id].classification_before


def add_decisions(found: ReviewRound, lines: list[Line]) -> None:
    """Each household's decision since it joined the round, and its class before."""
    joined = _joined(found, [line.household.id for line in lines])
    events = {}
    if joined:
        for event in db.session.scalars(
            select(Event)
            .where(Event.household_id.in_(list(joined)), Event.trigger.in_(DECISIONS))
            .order_by(Event.id)
        ):
            if event.id > joined[event.household_id].since_event_id:
                events[event.household_id] = event
    for line in lines:
        line.decision = events.get(line.household.id)
        line.before = joined[line.household.id].classification_before if joined else None


def _standards_of(lines: Sequence[Line]) -> list[Standard]:
    codes = {line.survey.standard for line in lines if line.survey}
    return [s for s in standards() if s.code in codes]


def survey_list(actor: User, document: Document) -> None:
    lines = lines_of(actor, document)
    _surveys(document.round, lines)
    used = _standards_of(lines)
    indicators = list({i.key: i for s in used for i in s.indicators}.values())
    document.context.update(lines=lines, indicators=indicators, standards=used)
    headers = [
        "STT",
        "Mã hộ",
        "Họ và tên chủ hộ",
        "Thôn",
        "Ngày khảo sát",
        "Thu nhập (đồng/người/tháng)",
        "Điểm thu nhập",
        *(i.name("vi") for i in indicators),
        "Số chỉ số thiếu hụt",
        "Kết quả",
    ]

    def rows():
        for line in lines:
            survey = line.survey
            yield [
                line.number,
                line.household.code,
                line.household.head_name,
                line.village,
                survey.surveyed_on if survey else None,
                survey.income_per_capita_month if survey else None,
                survey.income_score if survey else None,
                *((bool(survey.deprivations.get(i.key)) if survey else None) for i in indicators),
                survey.deprivation_count if survey else None,
                CLASS_NAMES.get(survey.classification, "") if survey else "Chưa khảo sát",
            ]

    document.sheets = lambda: [Sheet("Danh sách khảo sát", headers, rows())]


def meeting_minutes(actor: User, document: Document) -> None:
    query = select(RoundMeeting).where(RoundMeeting.round_id == document.round.id)
    if document.village:
        query = query.where(RoundMeeting.village == document.village)
    meetings = list(db.session.scalars(query.order_by(RoundMeeting.meeting_on, RoundMeeting.id)))
    visible = {line.household.id: line for line in lines_of(actor, document)}
    names = round_roster.village_names({m.village for m in meetings})
    shown = []
    for meeting in meetings:
        lines = [
            Line(
                n,
                visible[r["household_id"]].household,
                visible[r["household_id"]].village,
                agreement=r["agreement_pct"],
                outcome=r["outcome"],
            )
            for n, r in enumerate(
                (
                    r
                    for r in meeting.results
                    if r["outcome"] != "refused" and r["household_id"] in visible
                ),
                start=1,
            )
        ]
        _surveys(document.round, lines, before=meeting.recorded_at)
        shown.append((meeting, names.get(meeting.village, meeting.village), lines))
    document.context.update(meetings=shown)
    headers = [
        "Ngày họp",
        "Thôn",
        "STT",
        "Họ và tên chủ hộ",
        "Kết quả khảo sát",
        "Tỷ lệ đồng ý (%)",
        "Kết luận",
    ]

    def rows():
        for meeting, village, lines in shown:
            for line in lines:
                yield [
                    meeting.meeting_on,
                    village,
                    line.number,
                    line.household.head_name,
                    CLASS_NAMES.get(line.survey.classification, "") if line.survey else "",
                    line.agreement,
                    "Thống nhất" if line.outcome == "agreed" else "Rà soát lại",
                ]

    document.sheets = lambda: [Sheet("Biên bản họp", headers, rows())]


def posting_list(actor: User, document: Document) -> None:
    query = select(RoundMeeting).where(RoundMeeting.round_id == document.round.id)
    if document.village:
        query = query.where(RoundMeeting.village == document.village)
    posted: dict[int, RoundMeeting] = {}
    for meeting in db.session.scalars(query.order_by(RoundMeeting.meeting_on, RoundMeeting.id)):
        for result in meeting.results:
            if result["outcome"] == "agreed":
                posted[result["household_id"]] = meeting
    lines = [line for line in lines_of(actor, document) if line.household.id in posted]
    for number, line in enumerate(lines, start=1):
        line.number = number
    _surveys(document.round, lines)
    for line in lines:
        line.proposal = _proposal(line)
    meetings = sorted({id(m): m for m in posted.values()}.values(), key=lambda m: m.meeting_on)
    posted_on = min((m.posted_on for m in meetings if m.posted_on), default=None)
    chaired = next((m.chaired_by for m in meetings if m.chaired_by), None)
    document.context.update(
        lines=lines, posted_on=posted_on, ends_on=_posting_ends(posted_on), chaired_by=chaired
    )
    headers = [
        "STT",
        "Mã hộ",
        "Họ và tên chủ hộ",
        "Thôn",
        "Kết quả rà soát",
        "Đề nghị",
        "Ngày niêm yết",
    ]

    def rows():
        for line in lines:
            yield [
                line.number,
                line.household.code,
                line.household.head_name,
                line.village,
                CLASS_NAMES.get(line.survey.classification, "") if line.survey else "",
                line.proposal,
                posted[line.household.id].posted_on,
            ]

    document.sheets = lambda: [Sheet("Danh sách niêm yết", headers, rows())]


def _proposal(line: Line) -> str:
    from caseflow.domain.guards import CaseFacts

    proposed = line.survey.classification if line.survey else None
    facts = CaseFacts(line.household.state, line.before, proposed)
    trigger = decision_for(facts)
    cls = proposed if trigger == "recognise" else line.before
    return PROPOSALS.get((trigger, cls), NOT_LISTED)


def _posting_ends(posted_on: date | None) -> date | None:
    """The last day of the posting period the workflow sets (its posting timer)."""
    if posted_on is None:
        return None
    calendar = business_calendar()
    definition = current_workflow("household_lifecycle")
    for state in definition.states.values():
        for timer in state.timers:
            if timer.key == rules().posting_timer:
                return calendar.local_date(timer.due.apply(posted_on, calendar))
    return None


def _builder(kind: str) -> Callable[[User, Document], None]:
    if kind in DECISION_DOCUMENTS:  # the chair's papers have a module of their own
        from caseflow.services import round_decision_documents

        return getattr(round_decision_documents, kind)
    return BUILDERS[kind]


BUILDERS = {
    "survey_list": survey_list,
    "meeting_minutes": meeting_minutes,
    "posting_list": posting_list,
}
DECISION_DOCUMENTS = ("decision", "certificates")
