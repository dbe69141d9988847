"""The whiles households stood listed (report_listed_span): kept in step by the one writer,
they equal what `caseflow report rebuild` derives from the history, and on every day they list
the households whose latest event by then put them on a list."""

from __future__ import annotations

from datetime import timedelta

import pytest

from caseflow import clock
from caseflow.domain.statuses import LISTED
from caseflow.extensions import db
from caseflow.models import ListedSpan
from caseflow.services import listed_spans
from caseflow.services.report_basis import listed, standing
from tests.factories import at
from tests.reports_support import D1, D2, D3, D4, D5, D6, D7, approve, known_history

DAYS = [D1 - timedelta(days=1), D1, D2, D3, D4, D5, D6, D7, D7 + timedelta(days=1)]


def spans() -> list[tuple]:
    rows = db.session.execute(
        db.select(
            ListedSpan.household_id,
            ListedSpan.unit_id,
            ListedSpan.classification,
            ListedSpan.since,
            ListedSpan.until,
        ).order_by(ListedSpan.household_id, ListedSpan.since)
    )
    return [tuple(row) for row in rows]


@pytest.fixture
def history(api, clean):
    ids = known_history(api)
    return clean, ids


def test_the_writer_keeps_the_spans_the_history_gives(history) -> None:
    app, ids = history
    with app.app_context():
        kept = spans()
        assert [(h, c, s.date(), u and u.date()) for h, _, c, s, u in kept] == [
            (ids["A"], "poor", at(D3).date(), at(D6).date()),
            (ids["B"], "near_poor", at(D3).date(), None),
        ]
        assert listed_spans.rebuild() == 2
        assert spans() == kept
        db.session.rollback()


def test_on_every_day_the_listed_are_those_the_latest_events_list(history) -> None:
    app, _ = history
    with app.app_context():
        for day in DAYS:
            now, was = listed(day), standing(day)
            from_spans = set(db.session.execute(db.select(now)).all())
            from_events = set(
                db.session.execute(
                    db.select(was.c.household_id, was.c.unit_id, was.c.classification).where(
                        was.c.classification.in_(LISTED)
                    )
                ).all()
            )
            assert from_spans == from_events, day


def test_a_household_listed_again_has_a_second_span(api, clean) -> None:
    """Recognised, exited and relapsed into the list again: each while is its own span, and
    a move that keeps the class opens none."""
    ids = known_history(api)
    later = D7 + timedelta(days=1)
    with clock.frozen_at(at(later)):
        day = later.isoformat()
        surveyed = api.survey(ids["A"], surveyed_on=day)
        assert surveyed.status_code == 201, surveyed.json
        agreed = api.fire(ids["A"], "agree", agreement_pct=90, meeting_on=day, posted_on=day)
        assert agreed.status_code == 200, agreed.json
    with clock.frozen_at(at(later + timedelta(days=7))):
        approve(api, api.fire(ids["A"], "recognise"))
    with clean.app_context():
        mine = [(c, u is None) for h, _, c, _, u in spans() if h == ids["A"]]
        assert mine == [("poor", False), ("poor", True)]
        kept = spans()
        listed_spans.rebuild()
        assert spans() == kept
        db.session.rollback()
