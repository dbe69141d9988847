"""Long lists: keyset pages (`after`, `next`) and totals exact up to a bound (API.md, "Lists")."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from caseflow import clock
from caseflow.domain import cursors
from caseflow.extensions import db
from caseflow.models import Household
from caseflow.services import alerts
from tests.factories import assert_error


def register(api, count: int, prefix: str = "Hộ") -> list[int]:
    return [api.register(head_name=f"{prefix} {n}")["id"] for n in range(count)]


def walk(api, path: str, who: str = "worker", after: str | None = None) -> list[dict]:
    """Follow `next` from the first page (or the one after `after`) to the last; return every
    page's body."""
    bodies: list[dict] = []
    while True:
        response = api.get(f"{path}&after={after}" if after else path, who)
        assert response.status_code == 200, response.json
        bodies.append(response.json)
        after = bodies[-1]["next"]
        if after is None or len(bodies) > 100:
            return bodies


def ids(bodies: list[dict]) -> list[int]:
    return [item["id"] for body in bodies for item in body["items"]]


def test_following_next_lists_every_household_once_in_order(api) -> None:
    made = register(api, 7)

    bodies = walk(api, "/households?per_page=3")

    assert ids(bodies) == sorted(made)
    assert [len(b["items"]) for b in bodies] == [3, 3, 1]
    assert bodies[-1]["next"] is None
    assert all(b["total"] == 7 and b["total_exact"] is True for b in bodies)


def test_a_page_that_fills_exactly_has_no_next(api) -> None:
    register(api, 4)

    bodies = walk(api, "/households?per_page=2")

    assert [len(b["items"]) for b in bodies] == [2, 2]


def test_households_added_while_paging_are_neither_missed_nor_repeated(api) -> None:
    before = register(api, 5)
    first = api.get("/households?per_page=2").json
    added = register(api, 3, "Hộ mới")
    rest = walk(api, "/households?per_page=2", after=first["next"])

    seen = ids([first, *rest])

    assert seen == sorted(before + added)
    assert len(seen) == len(set(seen))


def test_filters_hold_on_every_page(api) -> None:
    register(api, 3, "Lê Văn")
    register(api, 3, "Phạm Thị")

    bodies = walk(api, "/households?per_page=2&q=pham")

    assert [i["head_name"] for b in bodies for i in b["items"]] == [
        f"Phạm Thị {n}" for n in range(3)
    ]


def test_the_old_page_parameter_keeps_working_and_gives_next(api) -> None:
    made = register(api, 5)

    second = api.get("/households?per_page=2&page=2").json
    after_it = api.get(f"/households?per_page=2&after={second['next']}").json

    assert [i["id"] for i in second["items"]] == sorted(made)[2:4]
    assert [i["id"] for i in after_it["items"]] == sorted(made)[4:]
    assert second["page"] == 2 and after_it["next"] is None


@pytest.mark.parametrize(
    "cursor",
    ["nonsense!", cursors.encode(["one"]), cursors.encode([1, 2]), "x" * 300, "e30"],
)
def test_a_cursor_not_of_this_list_is_refused_naming_after(api, cursor: str) -> None:
    response = api.get(f"/households?after={cursor}")

    error = assert_error(response, 422, "invalid_fields", {"after"})
    assert "after" in error["fields"]


def test_total_is_exact_up_to_the_bound(api, clean, monkeypatch) -> None:
    monkeypatch.setitem(clean.config, "CASEFLOW_EXACT_TOTAL_UP_TO", 5)
    register(api, 5)

    body = api.get("/households?per_page=2").json

    assert (body["total"], body["total_exact"]) == (5, True)


def test_past_the_bound_the_total_says_it_is_not_exact(api, clean, monkeypatch) -> None:
    monkeypatch.setitem(clean.config, "CASEFLOW_EXACT_TOTAL_UP_TO", 3)
    made = register(api, 6)

    body = api.get("/households?per_page=2").json

    assert body["total_exact"] is False
    with clean.app_context():
        postgres = db.engine.dialect.name == "postgresql"
    if postgres:  # the planner's estimate, never below what was counted
        assert body["total"] > 3
    else:  # SQLite: more than the bound
        assert body["total"] == 3
    assert ids(walk(api, "/households?per_page=2")) == sorted(made)


def alerts_at(clean, household_id: int, moments: list[datetime]) -> list[int]:
    with clean.app_context():
        household = db.session.get(Household, household_id)
        made = []
        for moment in moments:
            with clock.frozen_at(moment):
                made.append(alerts.raise_alert("reminder", household, None, "case_worker", "x").id)
        db.session.commit()
        return made


def test_alerts_with_the_same_time_page_by_id_newest_first(api, clean) -> None:
    household = api.register()["id"]
    noon = datetime(2026, 11, 2, 5, tzinfo=UTC)
    made = alerts_at(clean, household, [noon] * 4 + [noon + timedelta(hours=1)] * 3)

    bodies = walk(api, "/alerts?per_page=2")

    newest_first = sorted(made[4:], reverse=True) + sorted(made[:4], reverse=True)
    assert ids(bodies) == newest_first


def test_approvals_page_by_cursor(api) -> None:
    body = api.get("/approvals?per_page=2", "chair").json

    assert body["items"] == [] and body["next"] is None and body["total_exact"] is True


@pytest.mark.parametrize(
    "cursor", [cursors.encode(["2026-11-02T05:00:00", 3]), cursors.encode(["noon", 3])]
)
def test_an_alerts_cursor_with_a_bad_time_is_refused(api, cursor: str) -> None:
    assert_error(api.get(f"/alerts?after={cursor}"), 422, "invalid_fields", {"after"})


@pytest.mark.parametrize(
    "query", ["q=ho", "q=ho%20so", "unit=C1&state=registered", "overdue=false", "overdue=true"]
)
def test_every_filter_can_be_estimated_past_the_bound(api, clean, monkeypatch, query) -> None:
    monkeypatch.setitem(clean.config, "CASEFLOW_EXACT_TOTAL_UP_TO", 1)
    register(api, 3, "Hộ số")

    response = api.get(f"/households?per_page=2&{query}")

    assert response.status_code == 200, response.json
    body = response.json
    assert body["total_exact"] is (body["total"] <= 1 and len(body["items"]) <= 1)


def test_a_search_pages_and_counts_its_matches(api, clean) -> None:
    """A search's first pages come with their total from one statement (listing's counted
    page): the same pages, in order, with the same total as any list."""
    found = register(api, 5, "Trần Văn Bình")
    register(api, 3, "Lê Thị")

    first = api.get("/households?per_page=2&q=tran%20binh").json
    second = api.get("/households?per_page=2&q=tran%20binh&page=2").json
    past = api.get("/households?per_page=2&q=tran%20binh&page=4").json

    assert [i["id"] for i in first["items"]] == sorted(found)[:2]
    assert (first["total"], first["total_exact"]) == (5, True)
    assert [i["id"] for i in second["items"]] == sorted(found)[2:4]
    assert (second["total"], second["next"] is not None) == (5, True)
    assert (past["items"], past["total"], past["next"]) == ([], 5, None)
    assert ids(walk(api, "/households?per_page=2&q=tran%20binh")) == sorted(found)


def test_a_search_past_the_bound_says_its_total_is_not_exact(api, clean, monkeypatch) -> None:
    monkeypatch.setitem(clean.config, "CASEFLOW_EXACT_TOTAL_UP_TO", 3)
    found = register(api, 6, "Phạm Minh")

    body = api.get("/households?per_page=2&q=pham%20minh").json

    assert body["total_exact"] is False
    with clean.app_context():
        postgres = db.engine.dialect.name == "postgresql"
    assert body["total"] > 3 if postgres else body["total"] == 3
    assert [i["id"] for i in body["items"]] == sorted(found)[:2]
    assert ids(walk(api, "/households?per_page=2&q=pham%20minh")) == sorted(found)
