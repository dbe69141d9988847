"""The import and export API and CLI: template, dry run, commit, refusals, round trip."""

from __future__ import annotations

import io
import os
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from caseflow.domain.sheet_format import GUIDE, HOUSEHOLD_SHEET, MEMBER_SHEET
from caseflow.extensions import db
from caseflow.models import Household
from tests.import_support import household, member, survey, workbook


def _post(api, path, who="worker", dry_run="true", unit="C1", name=None, **headers):
    with open(path, "rb") as file:
        form = {"file": (file, name or path.name), "unit_code": unit, "dry_run": dry_run}
        return api.client.post(
            "/api/v1/imports",
            data=form,
            content_type="multipart/form-data",
            headers={**api._headers(who), **headers},
        )


def _download(api, path, who="worker") -> bytes:
    response = api.get(path, who)
    assert response.status_code == 200
    data = response.data
    response.close()  # the file the response streamed from
    return data


def _standing_file(tmp_path, name="x.xlsx"):
    rows = [
        household("HN-1", **{"Tình trạng": "Hộ nghèo", "Ngày quyết định": "15/12/2025"}),
        household(
            "HN-2",
            **{
                "Họ và tên chủ hộ": "Lê Thị Cúc",
                "Số CCCD chủ hộ": "036080009999",
                "Điện thoại": "0912345678",
                "Tình trạng": "Hộ mới thoát nghèo",
                "Ngày quyết định": "01/06/2024",
            },
        ),
    ]
    members = [
        member("HN-1"),
        member("HN-1", **{"Họ và tên": "Trần Thị Bình", "Quan hệ với chủ hộ": "Vợ/chồng"}),
        member("HN-2", **{"Họ và tên": "Lê Thị Cúc", "Giới tính": "Nữ", "Khuyết tật": "x"}),
    ]
    return workbook(tmp_path / name, rows, members, [survey("HN-1"), survey("HN-2")])


def test_the_template_has_the_sheets_headers_example_rows_and_drop_downs(api):
    book = load_workbook(io.BytesIO(_download(api, "/imports/template.xlsx")))
    assert book.sheetnames == ["Hộ", "Thành viên", "Khảo sát", GUIDE]
    rows = list(book["Hộ"].iter_rows(values_only=True))
    assert list(rows[0]) == HOUSEHOLD_SHEET.headers
    assert rows[1][0] and rows[1][1]
    assert list(next(book["Thành viên"].iter_rows(values_only=True))) == MEMBER_SHEET.headers
    lists = {v.formula1 for v in book["Hộ"].data_validations.dataValidation}
    assert '"Hộ nghèo,Hộ cận nghèo,Hộ mới thoát nghèo"' in lists
    assert '"Nông thôn,Thành thị"' in lists
    guide = [row[1] for row in book[GUIDE].iter_rows(values_only=True)]
    assert "Tình trạng" in guide and "Ngày khảo sát" in guide


def test_a_dry_run_reports_and_writes_nothing_then_the_import_writes(api, tmp_path):
    path = _standing_file(tmp_path)
    dry = _post(api, path)
    assert dry.status_code == 200, dry.json
    assert {k: dry.json[k] for k in ("dry_run", "rows", "created", "members", "assessments")} == {
        "dry_run": True,
        "rows": 2,
        "created": 2,
        "members": 3,
        "assessments": 2,
    }
    assert api.get("/households?q=cuc").json["total"] == 0
    done = _post(api, path, dry_run="false")
    assert done.status_code == 200, done.json
    [found] = api.get("/households?q=cuc").json["items"]
    assert (found["state"], found["classification"]) == ("follow_up", None)
    deadlines = {d["key"] for d in api.get(f"/households/{found['id']}/deadlines").json}
    assert {"monitoring_visit", "graduation"} <= deadlines
    [event] = api.get(f"/households/{found['id']}/history").json
    assert (event["trigger"], event["data"]["file"], event["data"]["row"]) == (
        "import",
        "x.xlsx",
        3,
    )


def test_errors_refuse_the_whole_import_with_422(api, tmp_path):
    rows = [household("HN-1"), household("HN-2", **{"Mã đơn vị": "C2"})]
    path = workbook(tmp_path / "x.xlsx", rows, [member("HN-1"), member("HN-2")], [])
    response = _post(api, path, dry_run="false", **{"Accept-Language": "vi"})
    assert response.status_code == 422
    [error] = response.json["errors"]
    assert (error["sheet"], error["row"], error["column"]) == ("Hộ", 3, "Mã đơn vị*")
    assert "không phải xã" in error["message"]
    assert api.get("/households?q=an").json["total"] == 0


def test_the_caller_must_be_in_the_unit(api, tmp_path):
    path = _standing_file(tmp_path)
    response = _post(api, path, who="outsider")
    assert response.status_code == 422
    assert response.json["error"]["fields"] == {"unit_code": ["Unknown unit 'C1'."]}


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "password"),
        (b"PK\x03\x04broken" + b"\0" * 100, "damaged"),
        (b"\x89PNG\r\n\x1a\n\0\0\0", "neither"),
    ],
)
def test_a_file_that_is_not_a_workbook_or_csv_is_refused(api, tmp_path, content, words):
    path = tmp_path / "x.xlsx"
    path.write_bytes(content)
    response = _post(api, path)
    assert response.status_code == 422
    assert words in response.json["error"]["message"]


def test_a_file_over_the_upload_limit_is_refused(api, app, tmp_path):
    body = b"x" * (app.config["CASEFLOW_UPLOAD_MAX_BYTES"] + 1)  # bytes: no spooled file
    response = api.client.post(
        "/api/v1/imports",
        data=body,
        content_type="multipart/form-data; boundary=b",
        headers=api._headers("worker"),
    )
    assert response.status_code == 413
    assert response.json["error"]["code"] == "too_large"


@pytest.mark.parametrize(("bom", "sep"), [("\ufeff", ";"), ("", ",")])
def test_a_csv_file_holds_the_households_sheet(api, tmp_path, bom, sep):
    header = sep.join(HOUSEHOLD_SHEET.headers)
    line = sep.join(["HN-7", "Phạm Văn Dũng", "C1-V1", "Đông Hải", "", "", "", "", "", ""])
    path = tmp_path / "x.csv"
    path.write_text(bom + header + "\r\n" + line + "\r\n\r\n", encoding="utf-8")
    response = _post(api, path, dry_run="false")
    assert response.status_code == 200, response.json
    assert (response.json["created"], response.json["errors"]) == (1, [])


def test_an_export_imports_back_unchanged(api, tmp_path):
    assert _post(api, _standing_file(tmp_path), dry_run="false").status_code == 200
    exported = tmp_path / "ho.xlsx"
    exported.write_bytes(_download(api, "/households/export?unit=C1&format=xlsx"))
    again = _post(api, exported, dry_run="false")
    assert again.status_code == 200, again.json
    assert {k: again.json[k] for k in ("created", "updated", "unchanged", "assessments")} == {
        "created": 0,
        "updated": 0,
        "unchanged": 2,
        "assessments": 0,
    }
    assert again.json["errors"] == []


def test_officers_get_masked_identifiers_in_exports(api, tmp_path):
    _post(api, _standing_file(tmp_path), dry_run="false")
    text = _download(api, "/households/export?unit=C1&format=csv", "officer").decode("utf-8-sig")
    assert "036080009999" not in text and "*********999" in text
    assert "036080009999" in _download(api, "/households/export?format=csv").decode("utf-8")


def test_history_and_surveys_export(api, tmp_path):
    _post(api, _standing_file(tmp_path), dry_run="false")
    history = _download(api, "/exports/history?unit=C1&format=csv").decode("utf-8-sig")
    assert history.count("import") == 2
    surveys = load_workbook(io.BytesIO(_download(api, "/exports/assessments?unit=C1")))
    assert len(list(surveys.active.iter_rows())) == 3


def test_a_workbook_saved_by_libreoffice_imports(api, tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip(
            "LibreOffice (soffice) is not installed: apt-get install libreoffice-calc-nogui"
        )
    source = _standing_file(tmp_path, "source.xlsx")
    out = tmp_path / "lo"
    subprocess.run(
        [soffice, "--headless", "--convert-to", "xlsx", "--outdir", str(out), str(source)],
        check=True,
        timeout=120,
        capture_output=True,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    response = _post(api, out / "source.xlsx", dry_run="false")
    assert response.status_code == 200, response.json
    [found] = api.get("/households?q=an").json["items"]
    [made] = api.get(f"/households/{found['id']}/assessments").json
    assert (made["income_per_capita_month"], made["classification"]) == (1_200_000, "poor")
    assert (response.json["created"], response.json["members"], response.json["assessments"]) == (
        2,
        3,
        2,
    )


def test_the_cli_imports_and_prints_errors(app, clean, tmp_path):
    runner = app.test_cli_runner()
    path = _standing_file(tmp_path)
    dry = runner.invoke(args=["import", str(path), "--unit", "C1", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert dry.output.splitlines()[-1] == (
        "would import 2 households: 2 new, 0 updated, 0 unchanged; 3 members, 2 surveys; "
        "0 found registered by national ID or by name"
    )
    bad = workbook(tmp_path / "bad.xlsx", [household(**{"Khu vực": "Núi"})], [member()], [])
    refused = runner.invoke(args=["import", str(bad), "--unit", "C1"])
    assert refused.exit_code == 1
    assert refused.output.splitlines() == [
        "Hộ:2:Khu vực: " + refused.output.split("Khu vực: ", 1)[1].splitlines()[0],
        "refused: 1 errors",
    ]
    done = runner.invoke(args=["import", str(path), "--unit", "C1"])
    assert done.output.splitlines()[-1].startswith("imported 2 households: 2 new")
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Household.id))) >= 2
    out = tmp_path / "out.xlsx"
    exported = runner.invoke(args=["export", "households", "--unit", "C1", "-o", str(out)])
    assert exported.exit_code == 0, exported.output
    assert load_workbook(out).sheetnames == ["Hộ", "Thành viên", "Khảo sát"]
