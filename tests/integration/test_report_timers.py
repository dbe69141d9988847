"""The reports that go up keep the clock: a reminder to the officers before each last day (the
file's lead time), an overdue alert after it, through the one sweep; each fired once."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest

from caseflow import clock
from caseflow.extensions import db
from caseflow.models import Alert, Deadline, Unit
from caseflow.services import alerts, deadlines, report_timers
from tests.factories import at

YEAR = 2026


def _unit_id(code: str) -> int:
    return db.session.scalar(db.select(Unit.id).where(Unit.code == code))


def _alerts(code: str = "C1") -> list[Alert]:
    return list(
        db.session.scalars(
            db.select(Alert)
            .join(Deadline, Deadline.id == Alert.deadline_id)
            .where(Deadline.unit_id == _unit_id(code))
            .order_by(Alert.id)
            .execution_options(populate_existing=True)
        )
    )


def _scheduled(on: date = date(YEAR, 1, 10)) -> int:
    with clock.frozen_at(at(on)):
        return report_timers.schedule(YEAR)


def test_a_year_makes_a_reminder_and_an_alert_per_report_for_each_sending_unit(ctx, world) -> None:
    # C1, C2 (communes) and W1 (a ward) send; the province and the village do not
    assert _scheduled() == 3 * 10 * 2
    assert _scheduled() == 0  # made once, however often it runs
    keys = set(
        db.session.scalars(db.select(Deadline.key).where(Deadline.unit_id == _unit_id("C1")))
    )
    assert "monthly:2026-02:remind:officer" in keys and "official:2026:overdue:officer" in keys
    assert not any(k.startswith("monthly:2026-01") or k.startswith("monthly:2026-10") for k in keys)


def test_the_command_makes_the_years_timers_once(ctx, world) -> None:
    from click.testing import CliRunner

    from caseflow.cli_reports_up import schedule

    with clock.frozen_at(at(date(YEAR, 1, 10))):
        first = CliRunner().invoke(schedule, ["--year", str(YEAR)])
        again = CliRunner().invoke(schedule, ["--year", str(YEAR)])

    assert first.exit_code == 0, first.output
    assert first.output.strip() == f"reports that go up: 60 timers made for {YEAR}"
    assert again.output.strip() == f"reports that go up: 0 timers made for {YEAR}"


def test_only_the_timers_still_to_come_are_made(ctx, world) -> None:
    assert _scheduled(date(YEAR, 11, 12)) == 3 * 3  # preliminary's overdue, official's two


def test_the_reminder_comes_the_lead_time_before_the_last_day_once(ctx, world) -> None:
    _scheduled()

    deadlines.sweep(at(date(YEAR, 4, 1), 23))
    assert [a for a in _alerts() if "04/2026" in a.message or "05/04" in a.message] == []
    for _ in range(3):
        deadlines.sweep(at(date(YEAR, 4, 2), 0) + timedelta(minutes=1))

    april = [a for a in _alerts() if "05/04/2026" in a.message]
    assert [(a.kind, a.role) for a in april] == [("reminder", "officer")]
    assert april[0].message == (
        "Báo cáo kết quả rà soát thường xuyên hộ nghèo, hộ cận nghèo hằng tháng của Xã Hải Đông "
        "kỳ 03/2026 phải gửi chậm nhất ngày 05/04/2026."
    )
    assert "Monthly report of the regular review" in april[0].message_en
    assert april[0].due_at == at(date(YEAR, 4, 5), 0)


def test_the_overdue_alert_comes_the_day_after_the_last_day_once(ctx, world) -> None:
    _scheduled()

    deadlines.sweep(at(date(YEAR, 11, 14), 23))
    assert {a.kind for a in _alerts() if "14/11/2026" in a.message} == {"reminder"}
    for _ in range(3):
        deadlines.sweep(at(date(YEAR, 11, 15), 0))

    overdue = [a for a in _alerts() if a.kind == "overdue" and "14/11/2026" in a.message]
    assert len(overdue) == 1
    assert "Báo cáo sơ bộ" in overdue[0].message and "quá hạn" in overdue[0].message


def test_the_officers_over_the_commune_see_its_alerts_and_another_commune_does_not(
    ctx, world
) -> None:
    _scheduled()
    deadlines.sweep(at(date(YEAR, 2, 3)))

    [reminder] = _alerts("C1")
    seen, _ = alerts.list_for(world.user("officer"))  # the officer sits at the province
    assert reminder.id in {a.id for a in seen}
    others, _ = alerts.list_for(world.user("chair2"))
    assert reminder.id not in {a.id for a in others}


def test_the_years_last_alert_makes_the_next_years_timers(ctx, world) -> None:
    _scheduled(date(YEAR, 12, 1))

    deadlines.sweep(at(date(YEAR, 12, 20)))

    rows = db.session.scalars(
        db.select(Deadline.key).where(
            Deadline.unit_id == _unit_id("C1"), Deadline.status == "pending"
        )
    ).all()
    assert len(rows) == 20 and "monthly:2027-02:remind:officer" in rows


def test_a_timer_of_a_report_no_longer_in_the_file_is_cancelled(ctx, world) -> None:
    _scheduled(date(YEAR, 12, 1))
    db.session.execute(
        db.update(Deadline)
        .where(Deadline.unit_id.is_not(None), Deadline.timer == "official")
        .values(timer="weekly", key=db.func.replace(Deadline.key, "official", "weekly"))
    )
    db.session.commit()

    deadlines.sweep(at(date(YEAR, 12, 20)))

    statuses = set(db.session.scalars(db.select(Deadline.status).where(Deadline.timer == "weekly")))
    assert statuses == {"cancelled"}
    assert _alerts() == []


@pytest.mark.postgres_only
def test_two_sweeps_at_once_raise_each_reports_alert_exactly_once(
    on_postgres, committed, ctx, world
) -> None:
    made = _scheduled()
    results, errors = [], []
    start = threading.Barrier(2)

    def run():
        with ctx.app_context():
            try:
                start.wait()
                results.append(deadlines.sweep(at(date(YEAR, 12, 21)), batch=5))
            except Exception as error:  # noqa: BLE001 - reported by the assertion below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert sum(r.fired for r in results) == made
    fired = db.session.scalars(
        db.select(Deadline.id).where(Deadline.unit_id.is_not(None), Deadline.status == "fired")
    ).all()
    raised = db.session.scalars(db.select(Alert.deadline_id).where(Alert.deadline_id.in_(fired)))
    assert sorted(raised) == sorted(fired) and len(fired) == made
