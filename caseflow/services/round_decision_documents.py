"""The chair's papers of a round: the decision with its four annexed lists (form 02), and one
certificate per household it recognises as poor or near-poor (form 03, numbered
"N/GCN-HN.HCN" in the order the chair decided them). Printed in Vietnamese, as the forms are."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date

from sqlalchemy import select

from caseflow.domain.standards import Standard
from caseflow.domain.statuses import LISTED
from caseflow.extensions import db
from caseflow.models import ReviewRound, User
from caseflow.services import round_roster
from caseflow.services.definitions import standards
from caseflow.services.round_documents import (
    CLASS_NAMES,
    Document,
    Line,
    add_decisions,
    lines_of,
)
from caseflow.services.spreadsheets import Sheet

#: form 02's four annexed lists: (title, who is on it)
ANNEXES = (
    ("I", "DANH SÁCH HỘ NGHÈO", "recognise", "poor"),
    ("II", "DANH SÁCH HỘ CẬN NGHÈO", "recognise", "near_poor"),
    ("III", "DANH SÁCH HỘ THOÁT NGHÈO", "exit", "poor"),
    ("IV", "DANH SÁCH HỘ THOÁT CẬN NGHÈO", "exit", "near_poor"),
)
CERTIFICATE_NUMBER = "{number}/GCN-HN.HCN"
RELATIONS = {
    "head": "Chủ hộ",
    "spouse": "Vợ/chồng",
    "child": "Con",
    "parent": "Bố/mẹ",
    "grandchild": "Cháu",
    "sibling": "Anh/chị/em",
    "other": "Khác",
}


def _decided(actor: User, document: Document, *, members: bool = False) -> list[Line]:
    lines = lines_of(actor, document, members=members)
    add_decisions(document.round, lines)
    return [line for line in lines if line.decision is not None]


def _decision_facts(found: ReviewRound, lines: Sequence[Line]) -> dict:
    """The decision's date and signer: the latest decision date, the chair who approved most."""
    days = [line.decision.data.get("decided_on") for line in lines if line.decision]
    signers = Counter(line.decision.approved_by for line in lines if line.decision.approved_by)
    signer = signers.most_common(1)[0][0] if signers else None
    user = db.session.scalar(select(User).where(User.username == signer)) if signer else None
    return {
        "decided_on": date.fromisoformat(max(days)) if days else None,
        "chair": (user.full_name or user.username) if user else None,
        "standard": _standard_on(found.closes_on),
    }


def _standard_on(day: date) -> Standard | None:
    return next((s for s in standards() if s.covers(day)), None)


def _annexes(lines: Sequence[Line]) -> list[tuple[str, str, list[Line]]]:
    annexes = []
    for number, title, trigger, cls in ANNEXES:
        chosen = [
            line
            for line in lines
            if line.decision.trigger == trigger
            and (line.decision.classification if trigger == "recognise" else line.before) == cls
        ]
        for n, line in enumerate(chosen, start=1):
            line.number = n
        annexes.append((number, title, chosen))
    return annexes


def decision(actor: User, document: Document) -> None:
    lines = _decided(actor, document)
    annexes = _annexes(lines)
    waiting = round_roster.members(
        actor, document.round.id, village=document.village, step="awaiting_decision"
    )[1]
    document.context.update(
        annexes=annexes, waiting=waiting, **_decision_facts(document.round, lines)
    )
    headers = ["Phụ lục", "STT", "Mã hộ", "Họ và tên chủ hộ", "Thôn", "Ngày quyết định"]

    def rows():
        for number, title, chosen in annexes:
            for line in chosen:
                yield [
                    f"{number}. {title}",
                    line.number,
                    line.household.code,
                    line.household.head_name,
                    line.village,
                    line.decided_on,
                ]

    document.sheets = lambda: [Sheet("Quyết định - danh sách", headers, rows())]


def certificates(actor: User, document: Document) -> None:
    everyone = _decided(actor, Document("certificates", document.round, "", None, None))
    recognised = [
        line
        for line in everyone
        if line.decision.trigger == "recognise" and line.decision.classification in LISTED
    ]
    # numbered in the order the chair decided them, for the whole round: a village's
    # certificates keep their numbers whichever list is printed
    recognised.sort(key=lambda line: line.decision.id)
    numbers = {line.household.id: n for n, line in enumerate(recognised, start=1)}
    lines = [
        line for line in _decided(actor, document, members=True) if line.household.id in numbers
    ]
    lines.sort(key=lambda line: numbers[line.household.id])
    for line in lines:
        line.certificate = CERTIFICATE_NUMBER.format(number=numbers[line.household.id])
    document.context.update(
        lines=lines, relations=RELATIONS, **_decision_facts(document.round, lines)
    )
    headers = [
        "Số giấy chứng nhận",
        "Mã hộ",
        "Họ và tên chủ hộ",
        "Thôn",
        "Loại hộ",
        "Số thành viên",
        "Ngày quyết định",
    ]

    def rows():
        for line in lines:
            yield [
                line.certificate,
                line.household.code,
                line.household.head_name,
                line.village,
                CLASS_NAMES.get(line.decision.classification, ""),
                len(line.household.members),
                line.decided_on,
            ]

    document.sheets = lambda: [Sheet("Giấy chứng nhận", headers, rows())]
