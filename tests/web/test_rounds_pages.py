"""The round pages, per role and with careless input: Vietnamese first, no 500, nothing half
written, every field labelled."""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories import POOR_SURVEY
from tests.rounds_support import YEAR, Commune, on
from tests.web.support import unlabelled

SEPT = {d: date(YEAR, 9, d) for d in range(1, 31)}


@pytest.fixture
def commune(api_as) -> Commune:
    return Commune(api_as)


def _listed(commune: Commune, names=("Lê Văn An", "Trần Thị Bình")) -> tuple[int, list[int]]:
    households = [commune.recognised(n) for n in names]
    round_id = commune.round()
    with on(SEPT[3]):
        added = commune.api.post(f"/rounds/{round_id}/households", {"select": "listed"})
    assert added.json["added"] == len(households)
    return round_id, households


def _village(round_id: int) -> str:
    return f"/rounds/{round_id}/village?village=C1-V1"


def _started(commune, pages, round_id):
    with on(SEPT[4]):
        started = pages.post(
            f"/rounds/{round_id}/steps/start_review",
            {"started_on": "04/09/2026", "village": "C1-V1"},
            page=_village(round_id),
        )
    assert started.status_code == 302, started.text


def _surveyed(commune, round_id, households):
    with on(SEPT[7]):
        items = [
            {"household_id": h, "surveyed_on": "2026-09-07", **POOR_SURVEY} for h in households
        ]
        assert (
            commune.api.post(f"/rounds/{round_id}/assessments", {"items": items}).status_code == 200
        )


def test_a_case_worker_makes_a_round_from_the_list_page(pages, commune) -> None:
    pages.login("worker")
    with on(SEPT[3]):
        page = pages.get("/rounds")
        made = pages.post(
            "/rounds", {"unit_code": "C1", "kind": "periodic", "year": "2026"}, page="/rounds"
        )
        shown = pages.get(made.headers["Location"])

    assert "Các kỳ rà soát" in page.text and "Lập kỳ rà soát" in page.text
    assert unlabelled(page.text) == []
    assert made.status_code == 302
    assert "Rà soát định kỳ năm 2026" in shown.text and "01/09/2026 – 14/12/2026" in shown.text


@pytest.mark.parametrize(
    ("form", "status", "shown"),
    [
        ({"unit_code": "C1", "kind": "periodic", "year": "hai nghìn"}, 422, "Nhập một số nguyên"),
        ({"unit_code": "C1", "kind": "regular", "year": "2026"}, 422, "Kỳ rà soát thường xuyên là"),
        (
            {"unit_code": "C1", "kind": "periodic", "year": "2026", "opens_on": "31/02/2026"},
            422,
            "Không có ngày 31/02/2026",
        ),
        ({"unit_code": "C1-V1", "kind": "periodic", "year": "2026"}, 422, "xã, phường"),
    ],
)
def test_a_round_typed_wrongly_is_refused_on_the_page_saying_why(
    pages, commune, form, status, shown
) -> None:
    pages.login("worker")
    with on(SEPT[3]):
        refused = pages.post("/rounds", form, page="/rounds")

    assert refused.status_code == status
    assert shown in refused.text
    assert "Chưa có kỳ rà soát nào." in refused.text  # nothing was made


def test_a_second_round_of_the_kind_says_which_one_is_open(pages, commune) -> None:
    round_id = commune.round()
    pages.login("worker")
    with on(SEPT[4]):
        refused = pages.post(
            "/rounds", {"unit_code": "C1", "kind": "periodic", "year": "2026"}, page="/rounds"
        )

    assert refused.status_code == 409
    assert f"đang có một kỳ rà soát loại này chưa kết thúc (kỳ số {round_id})" in refused.text


def test_an_officer_reads_the_round_and_its_papers_and_changes_nothing(pages, commune) -> None:
    round_id, _ = _listed(commune)
    pages.login("officer")
    with on(SEPT[4]):
        index = pages.get("/rounds").text
        village = pages.get(_village(round_id)).text
        paper = pages.get(f"/rounds/{round_id}/documents/survey_list?village=C1-V1")
        refused = pages.post(
            f"/rounds/{round_id}/steps/start_review", {"village": "C1-V1"}, page="/rounds"
        )

    assert "Lập kỳ rà soát" not in index
    assert "Lê Văn An" in village and "Bắt đầu rà soát" not in village
    assert paper.status_code == 200 and "Lê Văn An" in paper.text
    assert refused.status_code == 403


def test_a_case_worker_of_another_commune_does_not_find_the_round(pages, commune) -> None:
    round_id, _ = _listed(commune)
    pages.login("outsider")
    with on(SEPT[4]):
        assert pages.get(f"/rounds/{round_id}").status_code == 404
        assert pages.get(_village(round_id)).status_code == 404
        assert pages.get(f"/rounds/{round_id}/documents/decision").status_code == 404


def test_households_are_added_by_the_codes_people_paste(pages, commune) -> None:
    household = commune.register("Trần Thị Bình")
    code = commune.api.get(f"/households/{household}").json["code"]
    round_id = commune.round()
    pages.login("worker")
    with on(SEPT[3]):
        added = pages.post(
            f"/rounds/{round_id}/households",
            {"codes": f" {code.lower()},\r\nHH-KHONGCO ", "form": ""},
            page=f"/rounds/{round_id}",
        )
        shown = pages.get(added.headers["Location"]).text
        blank = pages.post(
            f"/rounds/{round_id}/households", {"codes": "  "}, page=f"/rounds/{round_id}"
        )
        again = pages.post(
            f"/rounds/{round_id}/households", {"codes": code}, page=f"/rounds/{round_id}"
        )

    assert added.status_code == 302  # written: the next page says what became of each code
    assert "Đã thêm 1 hộ" in shown and "Không có hộ nào mang mã HH-KHONGCO" in shown
    assert "#None" not in shown  # a code that names no household is told by its reason alone
    assert blank.status_code == 422
    assert again.status_code == 409 and "Đã có trong danh sách của kỳ rà soát này" in again.text


def test_the_village_page_lists_its_households_and_opens_the_step_due(pages, commune) -> None:
    round_id, _ = _listed(commune)
    pages.login("worker")
    with on(SEPT[4]):
        page = pages.get(_village(round_id)).text

    assert "Thôn Đông Hải" in page and "Lê Văn An" in page and "Trần Thị Bình" in page
    assert "Bắt đầu rà soát 2 hộ trong danh sách" in page
    assert "Nhập phiếu khảo sát" not in page
    assert unlabelled(page) == []


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("31/02/2026", "Không có ngày 31/02/2026"),
        ("31/08/2026", "trước ngày bắt đầu của kỳ rà soát (01/09/2026)"),
    ],
)
def test_a_start_dated_wrongly_moves_nobody(pages, commune, typed, shown) -> None:
    round_id, households = _listed(commune)
    pages.login("worker")
    with on(SEPT[4]):
        refused = pages.post(
            f"/rounds/{round_id}/steps/start_review",
            {"started_on": typed, "village": "C1-V1"},
            page=_village(round_id),
        )

    assert refused.status_code == 422 and shown in refused.text
    assert commune.api.get(f"/households/{households[0]}").json["state"] == "recognised"


def test_a_start_sent_twice_starts_each_review_once(pages, commune) -> None:
    round_id, households = _listed(commune)
    pages.login("worker")
    _started(commune, pages, round_id)
    with on(SEPT[4]):
        again = pages.post(
            f"/rounds/{round_id}/steps/start_review",
            {"started_on": "04/09/2026", "village": "C1-V1"},
            page=_village(round_id),
        )
        followed = pages.get(again.headers["Location"])

    assert again.status_code == 302 and "Đã bắt đầu rà soát 0 hộ." in followed.text
    history = commune.api.get(f"/households/{households[0]}/history").json
    assert [e["trigger"] for e in history].count("start_review") == 2  # spring's, and this one


def test_the_survey_grid_saves_valid_rows_and_keeps_refused_ones_with_the_reason(
    pages, commune
) -> None:
    round_id, (an, binh) = _listed(commune)
    pages.login("worker")
    _started(commune, pages, round_id)
    with on(SEPT[7]):
        grid = pages.get(f"/rounds/{round_id}/survey?village=C1-V1")
        saved = pages.post(
            f"/rounds/{round_id}/survey?village=C1-V1",
            {
                "surveyed_on": "07/09/2026",
                "income_basis": "vnd",
                "row": [str(an), str(binh)],
                f"income-{an}": "1.200.000",
                f"employment-{an}": "x",
                f"water-{an}": "x",
                f"health_insurance-{an}": "x",
                f"income-{binh}": "1.300.000",
                f"surveyed_on-{binh}": "08/09/2026",  # the future
                f"water-{binh}": "x",
            },
            page=f"/rounds/{round_id}/survey?village=C1-V1",
        )

    assert grid.status_code == 200 and unlabelled(grid.text) == []
    assert grid.text.count('type="checkbox"') == 2 * 12
    assert saved.status_code == 200
    assert "Đã ghi 1 phiếu khảo sát." in saved.text
    assert "Ngày không được ở tương lai." in saved.text or "tương lai" in saved.text
    assert 'value="1.300.000"' in saved.text and "Lê Văn An" not in saved.text.split("<tbody>")[1]
    assert commune.api.get(f"/households/{an}").json["state"] == "classified"
    assert commune.api.get(f"/households/{binh}").json["state"] == "under_review"


def test_an_empty_grid_saves_nothing_and_says_so(pages, commune) -> None:
    round_id, (an, _) = _listed(commune)
    pages.login("worker")
    _started(commune, pages, round_id)
    with on(SEPT[7]):
        refused = pages.post(
            f"/rounds/{round_id}/survey?village=C1-V1",
            {"surveyed_on": "07/09/2026", "income_basis": "score", "row": [str(an)]},
            page=f"/rounds/{round_id}/survey?village=C1-V1",
        )

    assert refused.status_code == 422 and "Hãy nhập ít nhất một dòng" in refused.text


def test_a_form_without_its_token_is_refused_not_failed(pages, commune) -> None:
    round_id, _ = _listed(commune)
    pages.login("worker")
    with on(SEPT[4]):
        refused = pages.client.post(
            f"/rounds/{round_id}/steps/start_review", data={"village": "C1-V1"}
        )

    assert refused.status_code == 400 and "tải lại trang" in refused.text


def _meeting(pages, round_id, households, **fields):
    body = {
        "village": "C1-V1",
        "meeting_on": "08/09/2026",
        "posted_on": "08/09/2026",
        "row": [str(h) for h in households],
        **fields,
    }
    with on(SEPT[8]):
        return pages.post(
            f"/rounds/{round_id}/meeting?village=C1-V1",
            body,
            page=f"/rounds/{round_id}/meeting?village=C1-V1",
        )


def test_the_meeting_takes_one_figure_for_all_and_a_households_own(pages, commune) -> None:
    round_id, (an, binh) = _listed(commune)
    pages.login("worker")
    _started(commune, pages, round_id)
    _surveyed(commune, round_id, [an, binh])
    with on(SEPT[8]):
        form = pages.get(f"/rounds/{round_id}/meeting?village=C1-V1").text

    held = _meeting(pages, round_id, [an, binh], agreement_pct="75", **{f"pct-{binh}": "33,3"})

    assert unlabelled(form) == []
    assert held.status_code == 302
    assert commune.api.get(f"/households/{an}").json["state"] == "posted"
    assert commune.api.get(f"/households/{binh}").json["state"] == "under_review"


@pytest.mark.parametrize(
    "fields",
    [{}, {"agreement_pct": "150"}, {"agreement_pct": "tám mươi"}],
)
def test_a_meeting_missing_a_figure_names_the_household_and_moves_nobody(
    pages, commune, fields
) -> None:
    round_id, (an, binh) = _listed(commune)
    pages.login("worker")
    _started(commune, pages, round_id)
    _surveyed(commune, round_id, [an, binh])

    refused = _meeting(pages, round_id, [an, binh], **{f"pct-{an}": "80"}, **fields)

    assert refused.status_code == 422
    assert f'id="error-{binh}"' in refused.text and f'id="error-{an}"' not in refused.text
    assert commune.api.get(f"/households/{an}").json["state"] == "classified"


def test_a_pasted_2000_character_name_is_refused_on_its_field(pages, commune) -> None:
    round_id, (an, binh) = _listed(commune)
    pages.login("worker")
    _started(commune, pages, round_id)
    _surveyed(commune, round_id, [an, binh])

    refused = _meeting(pages, round_id, [an, binh], agreement_pct="80", chaired_by="Nguyễn " * 400)

    assert refused.status_code == 422 and "Tối đa 200 ký tự (nội dung này có 2799)" in refused.text
    assert commune.api.get(f"/households/{an}").json["state"] == "classified"


def test_asking_for_decisions_before_the_posting_ends_says_when_it_ends(pages, commune) -> None:
    round_id, (an, binh) = _listed(commune)
    pages.login("worker")
    _started(commune, pages, round_id)
    _surveyed(commune, round_id, [an, binh])
    _meeting(pages, round_id, [an, binh], agreement_pct="80")
    with on(SEPT[9]):
        refused = pages.post(
            f"/rounds/{round_id}/steps/request_decision",
            {"decided_on": "09/09/2026", "village": "C1-V1"},
            page=_village(round_id),
        )

    assert refused.status_code == 409
    assert "2 hộ chưa thực hiện được" in refused.text and "11/09/2026" in refused.text


def test_the_chair_decides_the_villages_list_in_one_batch(pages, commune) -> None:
    round_id, (an, binh) = _listed(commune)
    pages.login("worker")
    _started(commune, pages, round_id)
    _surveyed(commune, round_id, [an, binh])
    _meeting(pages, round_id, [an, binh], agreement_pct="80")
    with on(SEPT[15]):
        pages.post(
            f"/rounds/{round_id}/steps/request_decision",
            {"decided_on": "15/09/2026", "village": "C1-V1"},
            page=_village(round_id),
        )
        mine = pages.get(f"/rounds/{round_id}/decisions?village=C1-V1&select=all").text
    pages.logout()
    pages.login("chair")
    with on(SEPT[15]):
        queue = pages.get(f"/rounds/{round_id}/decisions?village=C1-V1&select=all").text
        no_reason = pages.post(
            f"/rounds/{round_id}/decisions",
            {"village": "C1-V1", "ids": [str(an)], "decision": "reject"},
            page=f"/rounds/{round_id}/decisions",
        )
        decided = pages.post(
            f"/rounds/{round_id}/decisions",
            {"village": "C1-V1", "ids": [str(an), str(binh)], "decision": "approve"},
            page=f"/rounds/{round_id}/decisions",
        )
        shown = pages.get(f"/rounds/{round_id}").text

    assert 'name="ids"' not in mine  # a case worker decides nothing
    assert queue.count("checked") == 2 and unlabelled(queue) == []
    assert no_reason.status_code == 422 and "Từ chối phải nêu lý do." in no_reason.text
    assert decided.status_code == 302
    assert "Đã kết thúc" in shown
    assert commune.api.get(f"/households/{an}").json["state"] == "recognised"


def test_closing_by_hand_lists_the_households_not_decided(pages, commune) -> None:
    round_id, _ = _listed(commune)
    pages.login("worker")
    with on(SEPT[5]):
        closed = pages.post(
            f"/rounds/{round_id}/close", {"note": "Chuyển kỳ sau"}, page=f"/rounds/{round_id}"
        )
        shown = pages.get(f"/rounds/{round_id}").text

    assert closed.status_code == 302
    assert "Các hộ chưa có quyết định khi kết thúc kỳ rà soát" in shown
    assert "Lê Văn An" in shown and "Chuyển kỳ sau" in shown


def test_the_round_pages_read_in_english_on_the_switch(pages, commune) -> None:
    round_id, _ = _listed(commune)
    pages.login("worker")
    pages.english()
    with on(SEPT[4]):
        page = pages.get(f"/rounds/{round_id}").text
        paper = pages.get(f"/rounds/{round_id}/documents/decision").text

    assert "Periodic review of 2026" in page and "Progress by village" in page
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in paper and "QUYẾT ĐỊNH" in paper.upper()


def test_a_survey_grid_sent_twice_saves_its_rows_once(pages, commune) -> None:
    round_id, (an, _) = _listed(commune)
    pages.login("worker")
    _started(commune, pages, round_id)
    body = {
        "surveyed_on": "07/09/2026",
        "income_basis": "vnd",
        "row": [str(an)],
        f"income-{an}": "1.200.000",
        f"water-{an}": "x",
    }
    grid = f"/rounds/{round_id}/survey?village=C1-V1"
    with on(SEPT[7]):
        first = pages.post(grid, body, page=grid)
        second = pages.post(grid, body, page=grid)  # a double click, or the back button

    assert first.status_code == 302
    assert second.status_code == 422 and "không ở bước chờ khảo sát" in second.text
    surveys = commune.api.get(f"/households/{an}/assessments").json
    assert [s["surveyed_on"] for s in surveys].count("2026-09-07") == 1
