"""The import page: upload, the dry run's table, confirm, done; downloads from the pages."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook

from caseflow.services import uploads
from tests.import_support import household, member, survey, workbook


def _upload(pages, path, unit="C1"):
    with open(path, "rb") as file:
        return pages.post(
            "/imports",
            {"unit": unit, "file": (file, path.name)},
            page="/imports",
            content_type="multipart/form-data",
        )


def _confirm(pages, dry):
    fields = dict(re.findall(r'name="(token|filename|unit)" type="hidden" value="([^"]*)"', dry))
    return pages.post("/imports/confirm", fields, page="/imports")


def test_the_page_links_the_template(pages):
    pages.login("worker")
    page = pages.get("/imports").text
    assert 'href="/imports/template.xlsx"' in page
    response = pages.get("/imports/template.xlsx")
    assert load_workbook(io.BytesIO(response.data)).sheetnames[0] == "Hộ"
    response.close()


def test_a_dry_run_shows_the_table_then_the_confirmation_imports(pages, tmp_path):
    pages.login("worker")
    path = workbook(tmp_path / "ho.xlsx", [household()], [member()], [survey()])
    dry = _upload(pages, path)
    assert dry.status_code == 200, dry.text
    assert "Nhập các hộ này" in dry.text and 'id="import-counts"' in dry.text
    assert "Nguyễn Văn An" not in pages.get("/households?q=an").text
    done = _confirm(pages, dry.text)
    assert done.status_code == 200
    assert 'id="imported-households"' in done.text and "Nguyễn Văn An" in done.text
    assert "Nguyễn Văn An" in pages.get("/households?q=an").text


def test_a_confirmation_without_its_file_says_to_upload_again(pages, tmp_path):
    # a confirm form that lost its hidden fields (a broken page) or sent twice (double click)
    pages.login("worker")
    missing = pages.post("/imports/confirm", {}, page="/imports")
    assert missing.status_code == 404
    assert "Tệp đã tải lên không còn" in missing.text
    dry = _upload(pages, workbook(tmp_path / "ho.xlsx", [household()], [member()], []))
    assert _confirm(pages, dry.text).status_code == 200
    again = _confirm(pages, dry.text)  # the back button, or a second click after the first
    assert again.status_code == 409 and "Tệp này đã được nhập" in again.text
    assert 'href="/households"' in again.text
    assert pages.get("/households?q=an").text.count("Nguyễn Văn An") == 1


def test_a_confirmation_sent_while_the_first_runs_imports_nothing(pages, clean, world, tmp_path):
    """A double click sends the second confirmation while the first is importing."""
    pages.login("worker")
    dry = _upload(pages, workbook(tmp_path / "ho.xlsx", [household()], [member()], []))
    token = re.search(r'name="token" type="hidden" value="([^"]*)"', dry.text).group(1)
    with clean.app_context():
        taken = uploads.claim(token, world.user("worker").id)  # the first, still running
    second = _confirm(pages, dry.text)
    assert second.status_code == 409 and "Tệp này đang được nhập" in second.text
    assert "Nguyễn Văn An" not in pages.get("/households?q=an").text
    with clean.app_context():
        uploads.put_back(taken)  # the first failed, not because of the file: confirmed again
    assert _confirm(pages, dry.text).status_code == 200
    assert "Nguyễn Văn An" in pages.get("/households?q=an").text


def test_errors_are_shown_in_vietnamese_by_sheet_row_and_column(pages, tmp_path):
    pages.login("worker")
    path = workbook(tmp_path / "ho.xlsx", [household(**{"Khu vực": "Núi"})], [member()], [])
    page = _upload(pages, path).text
    assert 'id="import-errors"' in page and "confirm-import" not in page
    row = re.search(r"<tr><td>Hộ</td><td>2</td><td>Khu vực</td><td>([^<]+)</td>", page)
    assert row and "Nông thôn" in row.group(1)


def test_the_list_and_the_dashboard_offer_downloads(pages, tmp_path):
    pages.login("worker")
    assert "/exports/households?format=xlsx" in pages.get("/households").text
    assert "/exports/households?unit=C1&amp;format=csv" in pages.get("/dashboard").text
    response = pages.get("/exports/households?format=csv&unit=C1")
    assert response.status_code == 200
    assert response.data.decode("utf-8-sig").startswith("Mã hộ*,")
