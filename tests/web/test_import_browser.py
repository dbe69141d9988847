"""The import page in a real headless Chromium: upload a workbook, read the dry run's table,
confirm, and open an imported household. Skips, saying why, without Chromium or Playwright."""

from __future__ import annotations

import pytest

from tests.import_support import household, member, survey, workbook
from tests.web.test_browser import Visit, browser, server  # noqa: F401 - fixtures


@pytest.mark.browser
def test_a_case_worker_imports_a_workbook_in_a_real_browser(server, browser, tmp_path):  # noqa: F811
    rows = [
        household("HN-1", **{"Tình trạng": "Hộ nghèo", "Ngày quyết định": "15/12/2025"}),
        household("HN-2", **{"Họ và tên chủ hộ": "Lê Thị Cúc"}),
    ]
    members = [member("HN-1"), member("HN-2", **{"Họ và tên": "Lê Thị Cúc", "Giới tính": "Nữ"})]
    path = workbook(tmp_path / "danh-sach.xlsx", rows, members, [survey("HN-1")])
    worker = Visit(browser, server, {})
    worker.login("worker")
    worker.page.click("nav >> text=Nhập Excel")
    assert worker.page.is_visible("text=Tải tệp mẫu (.xlsx)")
    worker.page.select_option("#unit", "C1")
    worker.page.set_input_files("#file", str(path))
    worker.submit("button:has-text('Kiểm tra tệp (chạy thử)')")
    counts = " ".join(worker.page.inner_text("#import-counts").split())
    assert "2 dòng 2 sẽ tạo 0 sẽ cập nhật" in counts, counts
    worker.submit("#confirm-import")
    assert "Đã nhập" in worker.page.inner_text("h2")
    worker.submit("#imported-households >> text=Nguyễn Văn An")
    assert worker.state() == "Đã công nhận"
