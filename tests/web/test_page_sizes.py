"""Every page stays under 200 KB of HTML with full lists (slow links at commune offices)."""

from __future__ import annotations

from pathlib import Path

import pytest

from caseflow.extensions import db
from caseflow.services import deadlines
from tests.factories import days_ago
from tests.web.support import requested

MAX_PAGE_BYTES = 200_000
REPORT = Path(__file__).parent / "screenshots" / "page-sizes-full-lists.txt"
PAGES = [
    "/",
    "/households",
    "/households?page=2",
    "/households/new",
    "/households/{id}",
    "/households/{id}/survey",
    "/approvals",
    "/alerts",
    "/workflow",
    "/dashboard",
]


@pytest.fixture
def full_lists(api_as, clean) -> int:
    """Fifty requests waiting, fifty late reviews swept into alerts; a household with history."""
    for number in range(50):
        requested(api_as, head_name=f"Nguyễn Văn Hộ Số {number:02}")
        late = api_as.register(head_name=f"Trần Thị Quá Hạn {number:02}")["id"]
        api_as.fire(late, "start_review", started_on=days_ago(20))
    household, request = requested(api_as, head_name="Hộ Có Lịch Sử Dài")
    for _ in range(5):
        api_as.post(f"/approvals/{request}/reject", {"reason": "Bổ sung biên bản"}, who="chair")
        request = api_as.fire(household, "recognise").json["approval"]["id"]
    with clean.app_context():
        deadlines.sweep()
        db.session.remove()
    return household


def test_every_page_stays_under_200_kb_with_full_lists(pages, full_lists) -> None:
    pages.login("chair")
    sizes = {}
    for path in PAGES:
        url = path.format(id=full_lists)
        response = pages.get(url)
        assert response.status_code == 200, url
        sizes[url] = len(response.data)

    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text("".join(f"{url}\t{size} bytes\n" for url, size in sizes.items()))
    assert max(sizes.values()) < MAX_PAGE_BYTES, sizes
