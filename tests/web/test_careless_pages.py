"""The page crashes issue 8 found, each now a clear refusal in Vietnamese (never a 500)."""

from __future__ import annotations

import pytest

from tests.web.support import today


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("surveyed_on", "02/12/2016", "Không có chuẩn nghèo nào có hiệu lực vào ngày 02/12/2016."),
        ("income", "99999999999", "Không được quá 2147483647."),
        ("income", str(10**20), "Nhập một số nguyên, ví dụ 1.500.000."),
    ],
)
def test_a_survey_the_standards_cannot_take_is_refused_in_vietnamese(
    pages, api_as, field, value, message
) -> None:
    household = api_as.register()["id"]
    pages.login("worker")

    response = pages.post(
        f"/households/{household}/survey",
        {"surveyed_on": today(), "income_basis": "vnd", "income": "1200000", field: value},
    )

    assert response.status_code == 422
    assert message in response.text
    assert api_as.get(f"/households/{household}/assessments").json == []


def test_a_name_with_a_nul_character_is_refused_on_the_register_page(pages, api_as) -> None:
    pages.login("worker")

    response = pages.post("/households/new", {"head_name": "Nguyễn\x00Hoa", "unit_code": "C1"})

    assert response.status_code == 422
    assert "Không được chứa ký tự điều khiển hoặc ký tự lỗi." in response.text
    assert api_as.get("/households").json["total"] == 0


@pytest.mark.parametrize("url", ["/households", "/approvals", "/alerts"])
def test_a_page_number_no_list_has_is_a_refusal_page(pages, url) -> None:
    pages.login("worker")

    response = pages.get(url, query_string={"page": "9223372036854775807"})

    assert response.status_code == 422
    assert "Không được quá 100000." in response.text


def test_a_bug_is_answered_with_a_vietnamese_page_not_a_bare_one(app, pages, monkeypatch):
    from caseflow.services import worklist

    pages.login("worker")
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    monkeypatch.setattr(worklist, "worklist", lambda *a, **k: 1 / 0)

    response = pages.get("/")

    assert response.status_code == 500
    assert "việc vừa làm chưa được lưu" in response.text
    assert '<html lang="vi">' in response.text
