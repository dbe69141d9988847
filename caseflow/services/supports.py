"""The programme catalogue and support items proposed for households."""

from __future__ import annotations

from pathlib import Path

import yaml

from caseflow import clock
from caseflow.domain.errors import N_, InvalidInput
from caseflow.extensions import db
from caseflow.models import Program, SupportItem, User
from caseflow.services import transaction
from caseflow.services.access import WRITERS, household_for, require_role
from caseflow.services.definitions import definitions

FOLLOW_UP = "follow_up"


def sync_programs(path: Path | None = None) -> int:
    """Load workflows/programs.yaml into the catalogue table; return how many there are."""
    path = path or definitions().folder / "catalogue" / "programs.yaml"
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))["programs"]
    with transaction():
        for entry in entries:
            program = db.session.get(Program, entry["code"]) or Program(code=entry["code"])
            program.name_vi, program.name_en = entry["name"]["vi"], entry["name"]["en"]
            program.dimensions = list(entry["dimensions"])
            program.eligible_classes = list(entry["eligible_classes"])
            db.session.add(program)
    return len(entries)


def programs() -> list[Program]:
    return list(db.session.scalars(db.select(Program).order_by(Program.code)))


def propose(actor: User, household_id: int, program_code: str, note: str | None) -> SupportItem:
    """Propose one programme for a household the programme serves."""
    require_role(actor, *WRITERS)
    with transaction():
        household = household_for(actor, household_id)
        program = db.session.get(Program, program_code)
        if program is None:
            raise InvalidInput.on("program", N_("Unknown programme '%(code)s'."), code=program_code)
        status = served_as(household)
        if status not in program.eligible_classes:
            raise InvalidInput.on(
                "program",
                N_("This programme serves %(classes)s households; this one is %(status)s."),
                classes=", ".join(program.eligible_classes),
                status=status or "-",
            )
        item = SupportItem(
            household_id=household.id,
            program_code=program.code,
            note=note,
            state="proposed",
            created_by=actor.username,
        )
        db.session.add(item)
        # the plan changed: a request for its approval made before now covers less than it
        # holds, so the household's version moves and that request is stale when decided
        household.updated_at = clock.now()
    return item


def served_as(household) -> str | None:
    """The class programmes serve the household as: poor, near_poor, exited (or None)."""
    return "exited" if household.state == FOLLOW_UP else household.classification


def eligible_programs(household) -> list[Program]:
    """Return the programmes that serve this household now."""
    status = served_as(household)
    return [p for p in programs() if status in p.eligible_classes]


def list_for(actor: User, household_id: int) -> list[SupportItem]:
    household_for(actor, household_id)
    return list(
        db.session.scalars(
            db.select(SupportItem)
            .where(SupportItem.household_id == household_id)
            .order_by(SupportItem.id)
        )
    )
