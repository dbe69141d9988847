"""Households walked through the lifecycle by the services, each step on a chosen day."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from caseflow import clock
from caseflow.config import ROOT
from caseflow.extensions import db
from caseflow.models import Alert, Deadline, Event, Household
from caseflow.services import approvals, assessments, cases, households
from tests.factories import POOR_SURVEY, World, at, deprived, of_its_standard

#: above every line of both standards, with no deprivation
WELL_OFF_SURVEY = {"income_per_capita_month": 6_000_000, "deprivations": deprived()}


@dataclass
class Case:
    """One household of the test world, moved by a case worker and approved by the chair."""

    world: World
    id: int

    @classmethod
    def register(cls, world: World, on: date, unit_code: str = "C1-V1") -> Case:
        with clock.frozen_at(at(on)):
            household = households.register(
                world.user("worker"),
                {"head_name": "Trần Thị Lan", "unit_code": unit_code, "village": "Đông Hải"},
            )
        return cls(world, household.id)

    def fire(self, on: date, trigger: str, who: str = "worker", **data) -> None:
        """Fire `trigger` on `on` (09:00 local); a request for approval is approved by the chair."""
        with clock.frozen_at(at(on)):
            outcome = cases.fire(self.world.user(who), self.id, trigger, data)
            if outcome.approval is not None:
                approvals.approve(self.world.user("chair"), outcome.approval.id)

    def survey(self, on: date, fields: dict = POOR_SURVEY) -> None:
        with clock.frozen_at(at(on)):
            survey = of_its_standard({"surveyed_on": on, **fields}, on)
            assessments.record(self.world.user("worker"), self.id, survey)

    def review(self, started_on: date, kind: str = "regular", survey: dict = POOR_SURVEY) -> None:
        self.fire(started_on, "start_review", review_kind=kind, started_on=started_on)
        self.survey(started_on, survey)

    def post(self, posted_on: date) -> None:
        self.fire(posted_on, "agree", meeting_on=posted_on, posted_on=posted_on, agreement_pct=80)

    @property
    def household(self) -> Household:
        return db.session.get(Household, self.id, populate_existing=True)

    def deadlines(self, status: str = "pending") -> dict[str, Deadline]:
        """Return the household's deadlines of one status by key (the latest of each key)."""
        rows = db.session.scalars(
            db.select(Deadline)
            .where(Deadline.household_id == self.id, Deadline.status == status)
            .order_by(Deadline.id)
            .execution_options(populate_existing=True)
        )
        return {d.key: d for d in rows}

    def alerts(self, status: str | None = None) -> list[Alert]:
        query = db.select(Alert).where(Alert.household_id == self.id)
        if status:
            query = query.where(Alert.status == status)
        return list(
            db.session.scalars(query.order_by(Alert.id).execution_options(populate_existing=True))
        )

    def history(self) -> list[tuple[str, str]]:
        return [
            (e.trigger, e.actor)
            for e in db.session.scalars(
                db.select(Event).where(Event.household_id == self.id).order_by(Event.id)
            )
        ]


def posted_case(world: World, posted_on: date) -> Case:
    """A household surveyed poor and posted on `posted_on` (its review started 10 days before)."""
    case = Case.register(world, posted_on - timedelta(days=10))
    case.review(posted_on - timedelta(days=10), kind="periodic")
    case.post(posted_on)
    return case


def recognised_case(world: World, posted_on: date, decided_on: date) -> Case:
    case = posted_case(world, posted_on)
    case.fire(decided_on, "recognise", decided_on=decided_on)
    return case


def exited_case(world: World, decided_on: date) -> Case:
    """A poor household found above the line by a periodic review, exit decided on `decided_on`."""
    recognised_on = date(decided_on.year - 1, 3, 10)
    case = recognised_case(world, date(decided_on.year - 1, 3, 1), recognised_on)
    started = decided_on - timedelta(days=12)
    case.review(started, kind="periodic", survey=WELL_OFF_SURVEY)
    case.post(decided_on - timedelta(days=10))
    case.fire(decided_on, "exit", decided_on=decided_on)
    return case


class WallClock:
    """The machine's clock, moved by hand: leases, retries and sending are timed on it, and
    clock.frozen_at (like `sweep --as-of`) does not move it."""

    def __init__(self, monkeypatch):
        self.moment = datetime.now(clock.UTC_TZ)
        monkeypatch.setattr(clock, "wall_now", lambda: self.moment)

    def advance(self, delta: timedelta) -> None:
        self.moment += delta

    def move_to(self, moment: datetime) -> None:
        self.moment = moment


def local(moment: datetime) -> datetime:
    """The business-local wall time of an aware moment."""
    return moment.astimezone(clock.BUSINESS_TZ)


def caseflow_process(app, *args: str, prelude: str = "", **env: str) -> subprocess.Popen:
    """Start `caseflow ARGS` as its own process on the test database, `prelude` run first."""
    code = f"{prelude}\nimport sys\nfrom caseflow.cli import main\nmain()"
    environment = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "CASEFLOW_SECRET_KEY": "test",
        "CASEFLOW_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "CASEFLOW_SMTP_URL": "",
        "CASEFLOW_WEBHOOK_URL": "",
        "CASEFLOW_SCHEDULER": "0",
        **env,
    }
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_for(process: subprocess.Popen, ready, seconds: float = 60) -> None:
    """Wait until `ready()` holds while the process runs; fail with its output if it ends."""
    deadline = time.monotonic() + seconds
    while not ready():
        if process.poll() is not None:
            raise AssertionError(f"the process ended early:\n{process.stdout.read()}")
        if time.monotonic() > deadline:
            process.kill()
            raise AssertionError(f"not ready in {seconds} s:\n{process.communicate()[0]}")
        time.sleep(0.05)


def kill_9(process: subprocess.Popen) -> None:
    process.kill()  # SIGKILL: no finally, no atexit, no rollback
    process.communicate(timeout=30)


def short_lease(seconds: float) -> str:
    """Code for caseflow_process: its sweep's claims expire after `seconds`."""
    return f"""
from datetime import timedelta
from caseflow.services import deadlines
deadlines.LEASE = timedelta(seconds={seconds})
"""


def hang_after_firing(count: int, marker: Path) -> str:
    """Code for caseflow_process: the sweep fires sets of `count` deadlines; once it has fired
    `count`, it fires the next set and hangs before committing it, saying so."""
    return f"""
import time
from caseflow.services import deadline_sets, deadlines
deadlines.BATCH = {count}
_fire_set, _fired = deadline_sets.fire_set, []
def _fire_then_hang(claims):
    fired = _fire_set(claims)
    if len(_fired) >= {count}:
        open({str(marker)!r}, "w").close()
        time.sleep(600)
    _fired.extend(o for o in fired.outcomes.values() if o == "fired")
    return fired
deadline_sets.fire_set = _fire_then_hang
"""
