"""The reports' summary: derived from the history by `caseflow report rebuild`, it gives the
same counts as the history, and steps aside for a day that history written since then reaches."""

from __future__ import annotations

from datetime import timedelta

import pytest

from caseflow import clock, scheduler
from caseflow.extensions import db
from caseflow.models import StandingDay, SummaryBuilt, Unit
from caseflow.services import report_summary, report_units
from caseflow.services.report_basis import standing
from tests.factories import at
from tests.reports_support import D1, D3, D4, D6, D7, known_history, report


def _c1(api, day) -> tuple[int, int, int]:
    found = report(api, "units", unit="P", as_of=day.isoformat())
    row = next(r for r in found["rows"] if r["unit_code"] == "C1")
    return row["households"], row["poor"], row["near_poor"]


@pytest.fixture
def rebuilt(api, clean):
    known_history(api)
    result = clean.test_cli_runner().invoke(args=["report", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "summary built through" in result.output
    return clean


@pytest.mark.parametrize(
    ("day", "c1"),
    [
        (D1 - timedelta(days=1), (0, 0, 0)),
        (D1, (3, 0, 0)),
        (D3, (3, 1, 1)),
        (D4, (3, 1, 1)),
        (D6, (3, 0, 1)),
        (D7, (3, 0, 1)),
    ],
)
def test_the_summary_counts_as_the_history_does(api, rebuilt, day, c1) -> None:
    with rebuilt.app_context():
        assert report_summary.usable(day)

    assert _c1(api, day) == c1


def test_history_written_since_the_rebuild_on_an_earlier_day_sets_the_summary_aside(
    api, rebuilt
) -> None:
    with clock.frozen_at(at(D4)):
        api.register(head_name="Hộ Muộn")

    with rebuilt.app_context():
        assert not report_summary.usable(D6)
    assert _c1(api, D6) == (4, 0, 1)


@pytest.mark.parametrize("day", [D1 - timedelta(days=1), D1, D3, D4, D6, D7])
def test_the_summary_gives_the_households_by_state_and_class_the_history_gives(
    rebuilt, day
) -> None:
    with rebuilt.app_context():
        province = db.session.scalar(db.select(Unit).where(Unit.code == "P"))
        assert report_summary.usable(day)
        was = standing(day)
        from_history = db.session.execute(
            db.select(was.c.to_state, was.c.classification, db.func.count()).group_by(
                was.c.to_state, was.c.classification
            )
        ).all()

        assert sorted(report_units.by_standing(province, day), key=str) == sorted(
            map(tuple, from_history), key=str
        )


def _rows() -> list[tuple]:
    day = StandingDay
    found = db.session.execute(
        db.select(day.unit_id, day.day, day.state, day.classification, day.households)
    )
    return sorted(map(tuple, found), key=str)


def test_extending_the_summary_adds_the_days_it_lacks_as_a_rebuild_would(api, clean) -> None:
    known_history(api)
    with clean.app_context():
        report_summary.rebuild(D3)
        extended = report_summary.extend(D7)
        assert extended == {"built_through": D7, "extended_from": D3}
        found = _rows()
        report_summary.rebuild(D7)

        assert found == _rows()
        assert report_summary.usable(D7)
        assert report_summary.extend(D7) is None


def test_a_late_event_makes_the_extension_a_rebuild(api, clean) -> None:
    known_history(api)
    with clean.app_context():
        report_summary.rebuild(D6)
    with clock.frozen_at(at(D4)):
        api.register(head_name="Hộ Muộn")
    with clean.app_context():
        assert "rows" in report_summary.extend(D7)
        assert report_summary.usable(D6)
    assert _c1(api, D6) == (4, 0, 1)


def test_the_clock_keeps_the_summary_up_to_yesterday(api, clean) -> None:
    known_history(api)
    scheduler.tick(clean)
    with clean.app_context():
        assert report_summary.usable(clock.today() - timedelta(days=1))
        built = db.session.scalar(db.select(db.func.count(SummaryBuilt.id)))
    scheduler.tick(clean)
    with clean.app_context():
        assert db.session.scalar(db.select(db.func.count(SummaryBuilt.id))) == built
