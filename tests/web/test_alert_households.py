"""Alerts name their household (head's name and code) in the inbox, the worklist, the API and
e-mail, loaded in one query per page; the worklist's recent changes keep to their 7 days; big
numbers are grouped the reader's way."""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from sqlalchemy import event

from caseflow import clock
from caseflow.extensions import db
from caseflow.models import Household, Outbox
from caseflow.services import alerts, deadlines, households, worklist
from caseflow.services.households import Page
from tests.factories import at, days_ago
from tests.timers_support import Case, posted_case


def late_household(api_as, name: str) -> dict:
    household = api_as.register(head_name=name)
    api_as.fire(household["id"], "start_review", started_on=days_ago(20))
    return household


@pytest.fixture
def three_alerts(api_as, clean) -> list[dict]:
    """Three households past their 15 days, swept: three alerts with the same message."""
    found = [late_household(api_as, name) for name in ("Hộ Một", "Hộ Hai", "Hộ Ba")]
    with clean.app_context():
        deadlines.sweep()
        db.session.remove()
    return found


@contextmanager
def counted(app):
    """Count the SQL statements run inside the block."""
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def section(html: str, name: str) -> str:
    return html[html.index(f'<section id="{name}"') :].split("</section>")[0]


# -- the inbox --------------------------------------------------------------------------------


def test_each_alert_of_the_inbox_names_its_household(pages, three_alerts) -> None:
    pages.login("worker")

    page = pages.get("/alerts").text

    for household in three_alerts:
        link = f'<a href="/households/{household["id"]}">{household["head_name"]}</a>'
        assert link in page and household["code"] in page


def test_the_inbox_loads_the_households_in_one_query_whatever_the_page_holds(
    app, pages, api_as, three_alerts, clean
) -> None:
    pages.login("worker")
    with counted(app) as few:
        pages.get("/alerts")
    late_household(api_as, "Hộ Bốn")
    late_household(api_as, "Hộ Năm")
    with clean.app_context():
        deadlines.sweep()
        db.session.remove()

    with counted(app) as more:
        page = pages.get("/alerts").text

    assert "Hộ Năm" in page
    assert len(more) == len(few)


def test_the_api_gives_each_alert_its_households_name_and_code(api, three_alerts) -> None:
    items = api.get("/alerts").json["items"]

    named = {(a["household_id"], a["household_name"], a["household_code"]) for a in items}
    assert {(h["id"], h["head_name"], h["code"]) for h in three_alerts} <= named


def test_the_service_gives_each_alert_its_household(api, three_alerts, clean, world) -> None:
    with clean.app_context():
        items, _ = alerts.list_for(world.user("chair"), None)
        assert {a.household.head_name for a in items} >= {"Hộ Một", "Hộ Hai", "Hộ Ba"}
        db.session.remove()


# -- the worklist -----------------------------------------------------------------------------


def test_the_worklist_names_each_household_with_its_code(pages, three_alerts) -> None:
    pages.login("worker")

    overdue = section(pages.get("/").text, "overdue")

    for household in three_alerts:
        assert household["head_name"] in overdue and household["code"] in overdue


def test_recent_changes_keep_to_their_seven_days(pages, api_as, clean, world) -> None:
    with clean.app_context():
        Case.register(world, date(2023, 5, 2))
        db.session.remove()
    pages.login("worker")

    recent = section(pages.get("/").text, "recent")

    assert "Trần Thị Lan" not in recent and "02/05/2023" not in recent
    assert "Không có thay đổi nào trong 7 ngày qua." in recent


def test_recent_changes_list_the_newest_first_by_when_they_happened(
    pages, api_as, clean, world
) -> None:
    now = api_as.register(head_name="Hộ Hôm Nay")["id"]
    with clean.app_context(), clock.frozen_at(clock.now() - timedelta(days=3)):
        households.register(world.user("worker"), {"head_name": "Hộ Ba Ngày", "unit_code": "C1"})
        db.session.remove()
    pages.login("worker")

    recent = section(pages.get("/").text, "recent")

    assert f'/households/{now}"' in recent
    assert recent.index("Hộ Hôm Nay") < recent.index("Hộ Ba Ngày")


# -- e-mail -----------------------------------------------------------------------------------


def test_an_alert_mail_names_the_household_by_name_and_code(ctx, world, monkeypatch) -> None:
    monkeypatch.setitem(ctx.config, "CASEFLOW_SMTP_URL", "smtp://127.0.0.1:9")
    case = posted_case(world, date(2027, 10, 4))
    household = db.session.get(Household, case.id)
    monkeypatch.setattr("caseflow.services.outbox.deliver_due", lambda *a, **k: 0)

    deadlines.sweep(at(date(2027, 10, 7), 0))

    [mail, *_] = db.session.scalars(db.select(Outbox).where(Outbox.channel == "email")).all()
    assert household.code in mail.payload["subject"] and "Trần Thị Lan" in mail.payload["subject"]
    assert f"Hộ gia đình: Trần Thị Lan (mã hộ {household.code})" in mail.payload["body"]


# -- numbers ----------------------------------------------------------------------------------


def counts_on_top(html: str) -> list[str]:
    return re.findall(r'<a href="#[\w-]+"><strong>([\d.,]+)</strong>', html)


def test_the_worklist_groups_big_counts(pages, monkeypatch) -> None:
    big = worklist.Worklist(
        counts={"overdue": 10017, "due_soon": 2500, "approvals": 1000, "recent": 12}
    )
    monkeypatch.setattr(worklist, "worklist", lambda actor: big)
    pages.login("worker")

    page = pages.get("/").text

    assert counts_on_top(page) == ["10.017", "2.500", "1.000", "12"]
    assert '<span class="count">10.017</span>' in page


def test_english_groups_them_with_commas(pages, monkeypatch) -> None:
    big = worklist.Worklist(counts={"overdue": 10017, "due_soon": 0, "approvals": 0, "recent": 0})
    monkeypatch.setattr(worklist, "worklist", lambda actor: big)
    pages.login("worker")
    pages.english()

    assert counts_on_top(pages.get("/").text)[0] == "10,017"


def test_the_household_list_counts_with_a_separator(pages, monkeypatch) -> None:
    monkeypatch.setattr(households, "search", lambda *a, **k: Page([], 10017, 1, 25))
    pages.login("worker")

    page = pages.get("/households?q=hoa").text

    assert "Tìm thấy 10.017 hộ." in page


def test_the_inbox_counts_with_a_separator(pages, monkeypatch) -> None:
    from caseflow.services.listing import Page

    monkeypatch.setattr(alerts, "page_for", lambda *a, **k: Page([], 10017, 1, 25))
    monkeypatch.setattr(alerts, "count_open", lambda actor: 10017)
    pages.login("worker")

    page = pages.get("/alerts").text

    assert "10.017 thông báo." in page
    assert '<span class="count">10.017</span>' in page


def test_the_approvals_queue_counts_with_a_separator(pages, monkeypatch) -> None:
    from caseflow.services import approvals
    from caseflow.services.listing import Page

    monkeypatch.setattr(approvals, "approvals_page", lambda *a, **k: Page([], 1500, 1, 25))
    pages.login("chair")

    assert "1.500 đề nghị đang chờ quyết định." in pages.get("/approvals").text


def test_pages_of_a_long_list_are_counted_with_a_separator(pages, api_as, monkeypatch) -> None:
    api_as.register()
    search = households.search

    def a_million(*args, **kwargs):
        found = search(*args, **kwargs)
        return Page(found.items, 1_000_000, 1, 25)

    monkeypatch.setattr(households, "search", a_million)
    pages.login("worker")

    page = pages.get("/households?q=hoa").text

    assert "Trang 1/40.000" in page


def test_a_decision_on_many_requests_counts_them_with_a_separator(
    pages, api_as, monkeypatch
) -> None:
    from caseflow.services import approvals
    from tests.web.support import requested

    _, request = requested(api_as)
    many = [{"id": i, "status": "approved", "error": None} for i in range(1500)]
    monkeypatch.setattr(approvals, "decide_many", lambda *a, **k: many)
    pages.login("chair")

    response = pages.post(
        "/approvals/decide", {"ids": str(request), "decision": "approve"}, page="/approvals"
    )

    assert "Đã phê duyệt 1.500 đề nghị." in pages.get(response.headers["Location"]).text
