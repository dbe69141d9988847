"""Sessions end on the server: a copy of the cookie opens nothing after logging out, a password
change or a deactivation."""

from __future__ import annotations

from caseflow.extensions import db
from caseflow.models import UserSession
from caseflow.services import users
from tests.factories import PASSWORD
from tests.web.conftest import TOKEN
from tests.web.support import today

NEW_PASSWORD = "lúa-mùa-chín-rộ-2026"


def saved(pages) -> str:
    return pages.client.get_cookie("session").value


def replay(pages, cookie: str) -> None:
    pages.client.set_cookie("session", cookie)


def start_review(pages, household: int, token: str):
    return pages.client.post(
        f"/households/{household}/actions/start_review",
        data={
            "start_review-csrf_token": token,
            "start_review-review_kind": "regular",
            "start_review-started_on": today(),
        },
    )


def test_a_cookie_replayed_after_logout_opens_no_page(pages) -> None:
    pages.login("worker")
    cookie = saved(pages)
    pages.logout()

    replay(pages, cookie)

    response = pages.get("/households")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_a_cookie_replayed_after_logout_cannot_move_a_household(pages, api_as) -> None:
    household = api_as.register()["id"]
    pages.login("worker")
    token = TOKEN.search(pages.get(f"/households/{household}").text).group(2)
    cookie = saved(pages)
    pages.logout()

    replay(pages, cookie)
    response = start_review(pages, household, token)

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    assert api_as.get(f"/households/{household}").json["state"] == "registered"


def test_logging_out_ends_the_session_row(app, pages) -> None:
    pages.login("worker")
    pages.logout()

    with app.app_context():
        rows = db.session.scalars(db.select(UserSession)).all()
        assert [row.ended_at is not None for row in rows] == [True]


def test_a_password_set_by_an_admin_ends_the_users_sessions(app, pages) -> None:
    pages.login("worker")
    cookie = saved(pages)

    with app.app_context():
        assert users.set_password("worker", NEW_PASSWORD) == 1
    replay(pages, cookie)

    assert pages.get("/households").status_code == 302


def test_deactivating_a_user_ends_their_sessions(app, pages) -> None:
    pages.login("worker")

    with app.app_context():
        users.deactivate("worker")

    assert pages.get("/households").status_code == 302
    refused = pages.post("/login", {"username": "worker", "password": PASSWORD})
    assert refused.status_code == 401


def change(pages, current: str = PASSWORD, new: str = NEW_PASSWORD, again: str | None = None):
    return pages.post(
        "/account/password",
        {"current": current, "new": new, "again": new if again is None else again},
    )


def test_changing_ones_password_keeps_this_browser_in_and_ends_the_old_cookie(pages) -> None:
    pages.login("worker")
    cookie = saved(pages)

    response = change(pages)

    assert response.status_code == 302
    assert "Đã đổi mật khẩu" in pages.get("/").text
    assert pages.get("/households").status_code == 200
    replay(pages, cookie)
    assert pages.get("/households").status_code == 302


def test_the_new_password_opens_and_the_old_one_does_not(pages, client) -> None:
    pages.login("worker")
    change(pages)
    pages.logout()

    assert pages.post("/login", {"username": "worker", "password": PASSWORD}).status_code == 401
    pages.login("worker", NEW_PASSWORD)


def test_the_password_page_is_in_vietnamese_and_linked_from_the_header(pages) -> None:
    pages.login("worker")

    assert 'href="/account/password"' in pages.get("/").text
    page = pages.get("/account/password").text
    assert "Đổi mật khẩu" in page
    assert "Mật khẩu hiện tại" in page
    assert 'name="csrf_token"' in page


def test_the_password_page_needs_a_login(pages) -> None:
    response = pages.get("/account/password")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_a_wrong_current_password_changes_nothing(pages) -> None:
    pages.login("worker")

    response = change(pages, current="not-my-password")

    assert response.status_code == 422
    assert "Mật khẩu hiện tại không đúng." in response.text
    assert pages.get("/households").status_code == 200


def test_two_different_new_passwords_are_refused(pages) -> None:
    pages.login("worker")

    response = change(pages, again="something-else-entirely")

    assert response.status_code == 422
    assert "Hai mật khẩu mới không khớp nhau." in response.text


def test_a_weak_new_password_is_refused_in_vietnamese(pages) -> None:
    pages.login("worker")

    response = change(pages, new="matkhau123")

    assert response.status_code == 422
    assert "quá phổ biến" in response.text


def test_changing_the_password_needs_the_csrf_token(pages) -> None:
    pages.login("worker")

    response = pages.client.post(
        "/account/password", data={"current": PASSWORD, "new": NEW_PASSWORD, "again": NEW_PASSWORD}
    )

    assert response.status_code == 400
