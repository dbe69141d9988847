"""End to end in a real headless Chromium: a case worker takes a household from registration to
a request for recognition, a supervisor approves it from the queue, the household page shows it.

Screenshots of every page go to tests/web/screenshots/ (with page-sizes.txt, the bytes of each
page's HTML). Without Chromium (Debian's `chromium`) or Playwright the test skips, saying why.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from caseflow import clock
from tests.factories import PASSWORD

SHOTS = Path(__file__).parent / "screenshots"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MAX_PAGE_BYTES = 200_000
NARROW = {"width": 360, "height": 740}


def typed_days_ago(days: int) -> str:
    """A date as a Vietnamese user types it: dd/mm/yyyy."""
    return (clock.today() - timedelta(days=days)).strftime("%d/%m/%Y")


def chromium() -> str | None:
    for candidate in (
        os.environ.get("CASEFLOW_CHROMIUM"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


@pytest.fixture
def server(committed, clean, world) -> Iterator[str]:
    """The app on 127.0.0.1 and a free port, in a thread, on the test database."""
    httpd = make_server("127.0.0.1", 0, clean, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join(timeout=10)


@pytest.fixture
def browser():
    executable = chromium()
    if executable is None:
        pytest.skip(
            "no Chromium found (looked for $CASEFLOW_CHROMIUM, /usr/bin/chromium, "
            "chromium on PATH): install Debian's chromium to run the browser test"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright's Python package is not installed (pip install -e .[test])")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, headless=True, args=ARGS)
        yield launched
        launched.close()


class Visit:
    """One user's browser tab: go, click, fill, and photograph each page."""

    def __init__(self, browser, base: str, sizes: dict[str, int]):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.base, self.sizes = base, sizes

    def go(self, path: str):
        response = self.page.goto(self.base + path)
        assert response is not None and response.ok, (path, response and response.status)
        return response

    def shoot(self, name: str) -> None:
        """Save a screenshot, and the size of the HTML the server sent for this page."""
        SHOTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
        body = self.context.request.get(self.page.url).body()
        self.sizes[name] = len(body)

    def login(self, who: str, shot: str | None = None) -> None:
        """Log in with the keyboard only: type, Tab, type, Enter."""
        self.go("/login")
        if shot:
            self.shoot(shot)
        self.page.focus("#username")
        self.page.keyboard.type(who)
        self.page.keyboard.press("Tab")
        self.page.keyboard.type(PASSWORD)
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")

    def submit(self, button: str) -> None:
        with self.page.expect_navigation():
            self.page.click(button)

    def state(self) -> str:
        return self.page.inner_text("p.status .state")


@pytest.mark.browser
def test_a_household_goes_from_registration_to_recognition_in_a_real_browser(server, browser):
    sizes: dict[str, int] = {}
    worker = Visit(browser, server, sizes)
    worker.login("worker", shot="00-login")
    assert worker.page.url.rstrip("/") == server
    worker.shoot("01-worklist")

    worker.page.click("nav >> text=Đăng ký hộ")
    worker.page.fill("#head_name", "Nguyễn Thị Hoa")
    worker.page.select_option("#unit_code", "C1-V1")
    worker.page.fill("#village", "Đông Hải")
    worker.page.fill("#members-0-full_name", "Nguyễn Thị Hoa")
    worker.page.fill("#members-0-birth_date", "12/04/1980")
    worker.page.select_option("#members-0-sex", "female")
    worker.page.select_option("#members-0-relation", "head")
    worker.page.fill("#members-1-full_name", "Trần Văn Nam")
    worker.page.select_option("#members-1-relation", "spouse")
    worker.shoot("02-register")
    worker.submit("button.primary:has-text('Đăng ký hộ')")
    assert worker.state() == "Đã đăng ký"
    assert "Trần Văn Nam" in worker.page.inner_text("main")
    household_url = worker.page.url
    worker.shoot("03-household-registered")

    worker.page.fill("#start_review-started_on", typed_days_ago(25))
    worker.submit("#action-start_review button[type=submit]")
    assert worker.state() == "Đang rà soát"

    worker.page.click("text=Ghi phiếu khảo sát")
    worker.page.fill("#surveyed_on", typed_days_ago(23))
    worker.page.fill("#income", "1.200.000")
    for indicator in ("employment", "health_insurance", "water"):
        worker.page.check(f"#{indicator}")
    worker.shoot("04-survey")
    worker.submit("button:has-text('Lưu phiếu khảo sát')")
    assert worker.state() == "Đã phân loại"
    assert "Hộ nghèo" in worker.page.inner_text("p.status")

    worker.page.click("#action-agree summary")
    worker.page.fill("#agree-meeting_on", typed_days_ago(21))
    worker.page.fill("#agree-agreement_pct", "80")
    worker.page.fill("#agree-posted_on", typed_days_ago(21))
    worker.shoot("05-household-meeting")
    worker.submit("#action-agree button[type=submit]")
    assert worker.state() == "Đang niêm yết"

    worker.page.click("#action-recognise summary")
    worker.page.fill("#recognise-note", "Đủ điều kiện theo kết quả rà soát")
    worker.submit("#action-recognise button[type=submit]")
    assert "đang chờ lãnh đạo xã quyết định" in worker.page.inner_text(".flashes")
    worker.shoot("06-household-requested")
    worker.submit("text=Đăng xuất")

    chair = Visit(browser, server, sizes)
    chair.login("chair")
    chair.page.click("nav >> text=Phê duyệt")
    queue = chair.page.inner_text("main")
    assert "Nguyễn Thị Hoa" in queue and "Hộ nghèo" in queue
    chair.shoot("07-approvals")
    chair.page.click("#select-all")
    assert chair.page.is_checked("input.pick")
    chair.page.fill("#comment", "QĐ 12/QĐ-UBND")
    chair.submit("button:has-text('Phê duyệt các đề nghị đã chọn')")
    assert "Đã phê duyệt 1 đề nghị." in chair.page.inner_text(".flashes")

    chair.go(household_url.removeprefix(server))
    assert chair.state() == "Đã công nhận"
    history = chair.page.inner_text(".timeline")
    assert "chair phê duyệt" in history and "Đủ điều kiện theo kết quả rà soát" in history
    chair.shoot("08-household-recognised")

    for name, path in (
        ("09-households", "/households?q=nguyen"),
        ("10-alerts", "/alerts"),
        ("11-dashboard", "/dashboard"),
        ("12-workflow", "/workflow"),
    ):
        chair.go(path)
        chair.shoot(name)
    chair.submit("button[lang=en]")
    chair.go(household_url.removeprefix(server))
    assert chair.state() == "Recognised"
    chair.shoot("13-household-english")

    worker.login("worker")
    worker.page.set_viewport_size(NARROW)
    household_path = household_url.removeprefix(server)
    for name, path in (
        ("14-narrow-household", household_path),
        ("15-narrow-worklist", "/"),
        ("16-narrow-survey", f"{household_path}/survey"),
        ("17-narrow-register", "/households/new"),
        ("18-narrow-households", "/households"),
        ("19-narrow-approvals", "/approvals"),
        ("20-narrow-dashboard", "/dashboard"),
        ("21-narrow-workflow", "/workflow"),
    ):
        worker.go(path)
        assert worker.page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
        worker.shoot(name)

    (SHOTS / "page-sizes.txt").write_text(
        "".join(f"{name}.png\t{size} bytes\n" for name, size in sorted(sizes.items()))
    )
    assert max(sizes.values()) < MAX_PAGE_BYTES, sizes
