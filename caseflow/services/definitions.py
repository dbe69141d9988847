"""Definitions loaded once per process: workflows, poverty standards, the business calendar."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from flask import current_app
from sqlalchemy.exc import IntegrityError

from caseflow.domain.calendar import BusinessCalendar
from caseflow.domain.errors import N_, Conflict, NotFound, WorkflowError
from caseflow.domain.guards import ACTION_NAMES, GUARDS
from caseflow.domain.standards import Standard
from caseflow.domain.standards_files import load_standards_dir
from caseflow.domain.workflow import WorkflowDef, parse_workflow
from caseflow.extensions import db
from caseflow.models import CalendarDay, WorkflowDefinition

CALENDAR_TTL_SECONDS = 60


def load_workflow_file(path: Path) -> tuple[WorkflowDef, str]:
    """Parse and validate one workflow file; return the definition and its text."""
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise WorkflowError(str(path), f"not valid YAML: {error}") from error
    return parse_workflow(data, str(path), GUARDS, ACTION_NAMES), text


def check_folder(folder: str | Path) -> list[WorkflowDef]:
    """Validate every workflow, standard, the rounds and the reports file in `folder`; raise on
    the first problem."""
    from caseflow.services.reports_up_rules import load_reports_up_file
    from caseflow.services.round_rules import LIFECYCLE, load_rounds_file

    folder = Path(folder)
    definitions = [load_workflow_file(p)[0] for p in sorted(folder.glob("*.yaml"))]
    load_standards_dir(folder / "standards")
    newest = {}
    for definition in definitions:
        if definition.version > getattr(newest.get(definition.name), "version", 0):
            newest[definition.name] = definition
    load_rounds_file(folder, newest.get(LIFECYCLE))
    load_reports_up_file(folder)
    return definitions


@dataclass
class Definitions:
    """What the workflows folder holds, parsed once per process."""

    folder: Path
    workflows: dict[tuple[str, int], WorkflowDef] = field(default_factory=dict)
    texts: dict[tuple[str, int], str] = field(default_factory=dict)
    current: dict[str, WorkflowDef] = field(default_factory=dict)
    standards: list[Standard] = field(default_factory=list)
    deployed: bool = False
    #: versions from the files found to match what the database holds under their number
    verified: set[tuple[str, int]] = field(default_factory=set)
    calendar: BusinessCalendar | None = None
    calendar_loaded_at: float = 0.0

    @classmethod
    def load(cls, folder: str | Path) -> Definitions:
        found = cls(Path(folder))
        for path in sorted(found.folder.glob("*.yaml")):
            definition, text = load_workflow_file(path)
            found.workflows[(definition.name, definition.version)] = definition
            found.texts[(definition.name, definition.version)] = text
            newest = found.current.get(definition.name)
            if newest is None or definition.version > newest.version:
                found.current[definition.name] = definition
        found.standards = load_standards_dir(found.folder / "standards")
        return found


def definitions() -> Definitions:
    """Return this app's definitions."""
    return current_app.extensions["caseflow.definitions"]


def current_workflow(name: str) -> WorkflowDef:
    """Return the newest version of a workflow, deployed to the database first."""
    deploy()
    try:
        return definitions().current[name]
    except KeyError:
        raise NotFound(N_("No workflow named '%(name)s'."), params={"name": name}) from None


def workflow(name: str, version: int) -> WorkflowDef:
    """Return a pinned workflow version: from the files, else as deployed in the database."""
    found = definitions()
    if (name, version) in found.texts and (name, version) not in found.verified:
        _verify(found, (name, version))
    if (name, version) not in found.workflows:
        row = db.session.scalar(db.select(WorkflowDefinition).filter_by(name=name, version=version))
        if row is None:
            raise NotFound(
                N_("Workflow %(name)s version %(version)s is not deployed."),
                params={"name": name, "version": version},
            )
        data = yaml.safe_load(row.body)
        source = f"{name}@{version}"
        found.workflows[(name, version)] = parse_workflow(data, source, GUARDS, ACTION_NAMES)
    return found.workflows[(name, version)]


def _verify(found: Definitions, key: tuple[str, int]) -> None:
    """Refuse a file whose body differs from the one deployed under its version (read only)."""
    digest = db.session.scalar(
        db.select(WorkflowDefinition.digest).filter_by(name=key[0], version=key[1])
    )
    if digest is None:
        return  # not deployed yet: deploy() stores it
    if digest != found.workflows[key].digest:
        raise _changed_body(*key)
    found.verified.add(key)


def _changed_body(name: str, version: int) -> Conflict:
    return Conflict(
        N_(
            "Workflow %(name)s version %(version)s was deployed with another "
            "body; give the changed file a new version number."
        ),
        params={"name": name, "version": version},
    )


def deploy() -> None:
    """Store each workflow with its hash; refuse a changed body under a deployed version."""
    found = definitions()
    if found.deployed:
        return
    rows = {(r.name, r.version): r for r in db.session.scalars(db.select(WorkflowDefinition))}
    for key, definition in list(found.workflows.items()):
        if key not in found.texts:
            continue
        row = rows.get(key)
        if row is None:
            db.session.add(
                WorkflowDefinition(
                    name=key[0], version=key[1], digest=definition.digest, body=found.texts[key]
                )
            )
        elif row.digest != definition.digest:
            db.session.rollback()  # nor the rows added above
            raise _changed_body(*key)
    try:
        db.session.commit()
    except IntegrityError:  # another process deployed the same rows just now
        db.session.rollback()
        return deploy()
    found.deployed = True


def business_calendar() -> BusinessCalendar:
    """Return the calendar with the admin's extra days off, reloaded every minute."""
    found = definitions()
    if found.calendar is None or time.monotonic() - found.calendar_loaded_at > CALENDAR_TTL_SECONDS:
        days = db.session.scalars(db.select(CalendarDay)).all()
        found.calendar = BusinessCalendar(
            current_app.config["CASEFLOW_TIMEZONE"],
            days_off=[d.day for d in days if d.kind == "off"],
            working_days=[d.day for d in days if d.kind == "working"],
        )
        found.calendar_loaded_at = time.monotonic()
    return found.calendar


def standards() -> list[Standard]:
    return definitions().standards


def standard_by_code(code: str) -> Standard | None:
    """Return the standard a survey names (its code), or None if no file holds it any more."""
    return next((s for s in definitions().standards if s.code == code), None)
