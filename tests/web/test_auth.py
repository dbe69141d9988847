"""Logging in and out: sessions, CSRF, throttling, safe redirects, cookie flags, headers."""

from __future__ import annotations

import pytest

from caseflow.config import from_environment
from tests.factories import PASSWORD

PAGES = ["/", "/households", "/households/new", "/approvals", "/alerts", "/workflow", "/dashboard"]


@pytest.mark.parametrize("path", PAGES)
def test_pages_send_anonymous_visitors_to_the_login_page(pages, path) -> None:
    response = pages.get(path)

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_the_login_page_speaks_vietnamese_even_to_an_english_browser(pages) -> None:
    page = pages.get("/login", headers={"Accept-Language": "en-US,en;q=0.9"})

    assert '<html lang="vi">' in page.text
    assert "Đăng nhập caseflow" in page.text
    assert '<label for="username">Tên đăng nhập</label>' in page.text


def test_the_right_password_opens_the_worklist(pages) -> None:
    response = pages.post("/login", {"username": "worker", "password": PASSWORD})

    assert response.headers["Location"] == "/"
    assert "Công việc của tôi" in pages.get("/").text


def test_a_wrong_password_is_refused_in_vietnamese(pages) -> None:
    response = pages.post("/login", {"username": "worker", "password": "wrong"})

    assert response.status_code == 401
    assert "Sai tên đăng nhập hoặc mật khẩu." in response.text
    assert pages.get("/").status_code == 302


def test_an_empty_login_form_shows_which_fields_are_missing_in_vietnamese(pages) -> None:
    response = pages.post("/login", {"username": "", "password": ""})

    assert response.status_code == 422
    assert response.text.count("Mục này bắt buộc phải nhập.") == 2


def test_after_three_failures_even_the_right_password_waits(pages) -> None:
    for _ in range(3):
        assert pages.post("/login", {"username": "worker", "password": "x"}).status_code == 401

    response = pages.post("/login", {"username": "worker", "password": PASSWORD})

    assert response.status_code == 429
    assert "Đăng nhập sai quá nhiều lần" in response.text
    assert "1 giây" in response.text
    assert response.headers["Retry-After"] == "1"


@pytest.mark.parametrize(
    ("target", "lands_on"),
    [
        ("/households?q=hoa", "/households?q=hoa"),
        ("https://evil.example/", "/"),
        ("//evil.example/x", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("", "/"),
    ],
)
def test_login_follows_next_only_to_a_page_of_this_site(pages, target, lands_on) -> None:
    response = pages.post("/login", {"username": "worker", "password": PASSWORD, "next": target})

    assert response.headers["Location"] == lands_on


def test_the_login_form_remembers_the_page_asked_for(pages) -> None:
    sent_to = pages.get("/households?q=hoa").headers["Location"]

    form = pages.get(sent_to).text

    assert 'name="next" type="hidden" value="/households?q=hoa"' in form


def test_a_login_without_its_csrf_token_is_refused(pages) -> None:
    response = pages.client.post("/login", data={"username": "worker", "password": PASSWORD})

    assert response.status_code == 400
    assert "Không nhận được biểu mẫu" in response.text
    assert pages.get("/").status_code == 302


def test_logging_out_needs_a_post_with_the_token(pages) -> None:
    pages.login("worker")

    assert pages.get("/logout").status_code == 405
    assert pages.client.post("/logout").status_code == 400
    assert pages.get("/").status_code == 200
    assert pages.logout().headers["Location"] == "/login"
    assert pages.get("/").status_code == 302


def test_the_session_cookie_is_http_only_and_same_site(pages) -> None:
    response = pages.post("/login", {"username": "worker", "password": PASSWORD})

    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


@pytest.mark.parametrize(
    ("environment", "value", "secure"),
    [
        (None, None, True),
        ("production", None, True),
        ("development", None, False),
        (None, "0", False),
        (None, "1", True),
        ("development", "1", True),
    ],
)
def test_cookies_are_secure_unless_in_development_or_turned_off(
    monkeypatch, tmp_path, environment, value, secure
) -> None:
    for name, setting in (("CASEFLOW_ENV", environment), ("CASEFLOW_SECURE_COOKIES", value)):
        if setting is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, setting)

    config = from_environment(str(tmp_path))

    assert config["SESSION_COOKIE_SECURE"] is secure
    assert config["REMEMBER_COOKIE_SECURE"] is secure


def test_a_form_over_the_size_limit_gets_the_error_page_in_vietnamese(pages) -> None:
    pages.login("worker")

    response = pages.post(
        "/households/new", {"head_name": "x" * (11 * 1024 * 1024)}, page="/households/new"
    )

    assert response.status_code == 413
    assert "quá lớn" in response.text
    assert "<html" in response.text


def test_pages_forbid_framing_and_foreign_scripts(pages) -> None:
    headers = pages.get("/login").headers

    assert headers["X-Frame-Options"] == "DENY"
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["Cache-Control"] == "no-store"


def test_pages_load_nothing_from_the_internet(pages) -> None:
    pages.login("worker")

    for path in PAGES:
        html = pages.get(path).text
        assert "http://" not in html.replace("http://www.w3.org/2000/svg", "")
        assert "https://" not in html
