"""The API's busiest requests in few SQL statements, counted: the lean request path holds.

Counted are the statements a request sends (SELECT, INSERT, UPDATE, DELETE), not the
transaction's own (BEGIN, SAVEPOINT, RELEASE): the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from tests.api.test_transitions_api import posted
from tests.sql_support import sent

#: the most statements each request may send
GET_HOUSEHOLD = 2  # the token's user with its unit; the household, its members and its request
LIST_PAGE = 5  # user; bounded total; the page; its members; its pending requests
REGISTER = 7  # user; unit; 4 inserts; the household with its members and its request
#: user; the household with its deadlines, state data, supports and pending version; its
#: update; open alerts; history; deadline; the household shown (its event as written); and
#: the business calendar, read at most once a minute (a test's first request reads it)
TRANSITION = 8


def counted(app):
    """Collect the statements a request sends while the block runs (not the transaction's)."""

    def request_statement(connection, statement):
        first = statement.lstrip().split(None, 1)[0].upper()
        return statement if first in ("SELECT", "INSERT", "UPDATE", "DELETE") else None

    return sent(app, request_statement)


def test_reading_a_household_takes_two_statements(app, api) -> None:
    hid = api.register(members=[{"full_name": "Trần Văn Nam"}, {"full_name": "Lê Thị Mai"}])["id"]

    with counted(app) as seen:
        response = api.get(f"/households/{hid}")

    assert response.status_code == 200, response.json
    assert [m["full_name"] for m in response.json["members"]] == ["Trần Văn Nam", "Lê Thị Mai"]
    assert response.json["available_triggers"] == ["start_review"]
    assert len(seen) <= GET_HOUSEHOLD, seen


def test_a_pending_request_is_still_shown_with_the_household(app, api) -> None:
    hid = posted(api)
    assert api.fire(hid, "recognise").status_code == 202

    with counted(app) as seen:
        shown = api.get(f"/households/{hid}").json

    assert shown["pending_approval"]["trigger"] == "recognise"
    assert "recognise" not in shown["available_triggers"]  # one request at a time
    assert len(seen) <= GET_HOUSEHOLD, seen


def test_a_list_page_takes_the_same_statements_for_one_household_or_many(app, api) -> None:
    for _ in range(3):
        api.register(members=[{"full_name": "Trần Văn Nam"}])

    with counted(app) as seen:
        response = api.get("/households?per_page=50")

    assert response.status_code == 200, response.json
    assert len(response.json["items"]) >= 3
    assert all(item["members"] for item in response.json["items"][-3:])
    assert len(seen) <= LIST_PAGE, seen


def test_registering_reads_nothing_back_attribute_by_attribute(app, api) -> None:
    api.register()  # the workflow's deployment is checked once per process, not counted

    with counted(app) as seen:
        made = api.register(members=[{"full_name": "Trần Văn Nam"}])

    assert made["members"][0]["full_name"] == "Trần Văn Nam"
    assert made["state"] == "registered" and made["available_triggers"] == ["start_review"]
    assert len(seen) <= REGISTER, seen


def test_a_transition_is_written_and_shown_in_a_bounded_number_of_statements(app, api) -> None:
    hid = api.register(members=[{"full_name": "Trần Văn Nam"}])["id"]

    with counted(app) as seen:
        response = api.fire(hid, "start_review")

    assert response.status_code == 200, response.json
    assert response.json["household"]["state"] == "under_review"
    assert response.json["household"]["members"][0]["full_name"] == "Trần Văn Nam"
    assert response.json["event"]["trigger"] == "start_review"
    assert response.json["event"] == api.get(f"/households/{hid}/history").json[-1]
    assert len(seen) <= TRANSITION, [s[:70] for s in seen]
    assert not [s for s in seen if s.startswith("UPDATE approval")], "none was pending"
