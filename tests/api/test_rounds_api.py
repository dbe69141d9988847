"""The review rounds API of API.md, "Review rounds": shapes, steps, refusals and documents."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from tests.factories import NO_DEPRIVATIONS, POOR_SURVEY, assert_error
from tests.rounds_support import NEAR_POOR_SURVEY, YEAR, Commune, on

ROUND_KEYS = {
    "id",
    "unit_code",
    "kind",
    "year",
    "month",
    "opens_on",
    "closes_on",
    "status",
    "households",
    "progress",
    "late",
    "villages",
}
STEPS = {"listed", "under_review", "classified", "posted", "awaiting_decision", "decided"}


@pytest.fixture
def commune(api) -> Commune:
    return Commune(api)


def _walk_to_posted(api, round_id: int, households: list[int]) -> None:
    with on(date(YEAR, 9, 4)):
        assert api.post(f"/rounds/{round_id}/steps", {"step": "start_review"}).status_code == 200
    with on(date(YEAR, 9, 7)):
        items = [
            {"household_id": h, "surveyed_on": f"{YEAR}-09-07", **POOR_SURVEY} for h in households
        ]
        assert api.post(f"/rounds/{round_id}/assessments", {"items": items}).status_code == 200
    with on(date(YEAR, 9, 8)):
        held = api.post(
            f"/rounds/{round_id}/meetings",
            {
                "village": "C1-V1",
                "meeting_on": f"{YEAR}-09-08",
                "results": [{"household_id": h, "agreement_pct": 80} for h in households],
            },
        )
        assert held.status_code == 201, held.json


def test_a_round_is_made_and_read_as_api_md_says(api, commune) -> None:
    with on(date(YEAR, 9, 3)):
        made = api.post("/rounds", {"unit_code": "C1", "kind": "periodic", "year": YEAR})
        shown = api.get(f"/rounds/{made.json['id']}")

    assert made.status_code == 201
    assert set(made.json) >= ROUND_KEYS
    assert (made.json["opens_on"], made.json["closes_on"]) == (f"{YEAR}-09-01", f"{YEAR}-12-14")
    assert made.json["month"] is None and made.json["status"] == "open"
    assert set(shown.json["progress"]) == STEPS
    assert shown.json["villages"] == [] and shown.json["households"] == 0


def test_a_second_open_round_of_the_same_kind_is_a_409(api, commune) -> None:
    commune.round()
    with on(date(YEAR, 9, 4)):
        again = api.post("/rounds", {"unit_code": "C1", "kind": "periodic", "year": YEAR})

    assert_error(again, 409, "conflict")


@pytest.mark.parametrize(
    ("body", "status", "fields"),
    [
        ({"unit_code": "C1", "kind": "regular", "year": YEAR}, 422, {"month"}),
        ({"unit_code": "C1", "kind": "yearly", "year": YEAR}, 422, {"kind"}),
        ({"unit_code": "C1", "kind": "periodic", "year": "2026"}, 422, {"year"}),
        ({"unit_code": "C1", "kind": "periodic", "year": 99999999999999}, 422, {"year"}),
        ({"unit_code": "C2", "kind": "periodic", "year": YEAR}, 422, {"unit_code"}),
        ({"unit_code": "C1", "kind": "regular", "year": YEAR, "month": 13}, 422, {"month"}),
        (
            {"unit_code": "C1", "kind": "periodic", "year": YEAR, "opens_on": "31/02/2026"},
            422,
            {"opens_on"},
        ),
    ],
)
def test_a_round_that_cannot_be_made_is_refused_in_the_envelope(api, body, status, fields) -> None:
    with on(date(YEAR, 9, 3)):
        refused = api.post("/rounds", body)

    assert_error(refused, status, "invalid_fields", fields)


def test_an_officer_reads_rounds_and_makes_none(api, commune) -> None:
    round_id = commune.round()
    with on(date(YEAR, 9, 3)):
        assert_error(
            api.post(
                "/rounds",
                {"unit_code": "C1", "kind": "regular", "year": YEAR, "month": 9},
                "officer",
            ),
            403,
            "forbidden",
        )
        assert api.get(f"/rounds/{round_id}", "officer").status_code == 200
        assert_error(
            api.post(f"/rounds/{round_id}/steps", {"step": "start_review"}, "officer"),
            403,
            "forbidden",
        )


def test_a_round_outside_the_callers_units_is_a_404(api, commune) -> None:
    round_id = commune.round()
    with on(date(YEAR, 9, 3)):
        assert_error(api.get(f"/rounds/{round_id}", "outsider"), 404, "not_found")
        listed = api.get("/rounds", "outsider")
        assert_error(
            api.post(f"/rounds/{round_id}/households", {"select": "listed"}, "outsider"),
            404,
            "not_found",
        )
    assert listed.json["total"] == 0 and listed.json["items"] == []


def test_rounds_are_listed_by_unit_and_status(api, commune) -> None:
    round_id = commune.round()
    with on(date(YEAR, 9, 3)):
        page = api.get("/rounds?unit=C1&status=open&per_page=10")
        closed = api.get("/rounds?status=closed")

    assert (page.json["total"], page.json["page"], page.json["per_page"]) == (1, 1, 10)
    assert page.json["items"][0]["id"] == round_id
    assert closed.json["items"] == []


def test_households_join_by_id_code_or_selection_each_skip_said(api, commune) -> None:
    poor = commune.recognised("Lê Văn A")
    asked = commune.register("Trần Thị B")
    theirs = commune.register("Ngô Thị X", village="Tây Sơn", unit="C2", who="outsider")
    code = api.get(f"/households/{asked}").json["code"]
    round_id = commune.round()

    with on(date(YEAR, 9, 3)):
        selected = api.post(f"/rounds/{round_id}/households", {"select": "listed"})
        by_code = api.post(f"/rounds/{round_id}/households", {"household_codes": [code, "HH-NONE"]})
        by_id = api.post(f"/rounds/{round_id}/households", {"household_ids": [poor, theirs]})
        both = api.post(
            f"/rounds/{round_id}/households", {"select": "listed", "household_ids": [1]}
        )

    assert selected.json == {"added": 1, "skipped": []}
    assert by_code.json["added"] == 1
    assert by_code.json["skipped"] == [
        {"household_id": None, "reason": "No household with code HH-NONE here."}
    ]
    assert by_id.json["added"] == 0
    assert [s["household_id"] for s in by_id.json["skipped"]] == [theirs, poor]
    assert_error(both, 422, "invalid_fields", {"household_ids"})


def test_the_rounds_households_carry_their_step_and_village(api, commune) -> None:
    a = commune.recognised("Lê Văn A")
    b = commune.recognised("Phạm Văn C", village="Đông Lý", unit="C1")
    round_id = commune.round()
    with on(date(YEAR, 9, 3)):
        api.post(f"/rounds/{round_id}/households", {"select": "listed"})
    with on(date(YEAR, 9, 4)):
        api.post(f"/rounds/{round_id}/steps", {"step": "start_review", "household_ids": [a]})
        by_name = api.get(f"/rounds/{round_id}/households?village=Thôn Đông Hải")
        by_code = api.get(f"/rounds/{round_id}/households?village=C1-V1&step=under_review")
        listed = api.get(f"/rounds/{round_id}/households?step=listed")

    assert [h["id"] for h in by_name.json["items"]] == [a]
    assert by_code.json["items"][0]["round_step"] == "under_review"
    assert by_code.json["items"][0]["round_village"] == "C1-V1"
    assert [(h["id"], h["round_village"]) for h in listed.json["items"]] == [(b, "Đông Lý")]


def test_a_village_goes_from_listed_to_decided_through_the_api(api, commune) -> None:
    households = [commune.recognised(f"Hộ {n}") for n in range(3)]
    round_id = commune.round()
    with on(date(YEAR, 9, 3)):
        api.post(f"/rounds/{round_id}/households", {"select": "listed"})
    _walk_to_posted(api, round_id, households)

    with on(date(YEAR, 9, 15)):
        asked = api.post(
            f"/rounds/{round_id}/steps", {"step": "request_decision", "village": "C1-V1"}
        )
        decided = api.post(
            f"/rounds/{round_id}/decisions", {"village": "C1-V1", "decision": "approve"}, "chair"
        )
        shown = api.get(f"/rounds/{round_id}")

    assert asked.json == {
        "results": [{"household_id": h, "status": "requested", "error": None} for h in households]
    }
    assert [r["status"] for r in decided.json["results"]] == ["approved"] * 3
    assert shown.json["progress"]["decided"] == 3 and shown.json["status"] == "closed"
    assert api.get(f"/households/{households[0]}").json["state"] == "recognised"


def test_a_step_refuses_each_household_on_its_own_with_the_reason(api, commune) -> None:
    inside = commune.recognised("Lê Văn A")
    outside = commune.register("Trần Thị B")
    round_id = commune.round()
    with on(date(YEAR, 9, 3)):
        api.post(f"/rounds/{round_id}/households", {"household_ids": [inside]})
    with on(date(YEAR, 9, 4)):
        stepped = api.post(
            f"/rounds/{round_id}/steps",
            {"step": "start_review", "household_ids": [outside, inside, 2_147_483_647]},
        )
        again = api.post(
            f"/rounds/{round_id}/steps", {"step": "start_review", "household_ids": [inside]}
        )

    results = stepped.json["results"]
    assert [r["status"] for r in results] == ["refused", "applied", "refused"]
    assert results[0]["error"]["status"] == 404 and results[1]["error"] is None
    assert again.json["results"][0]["error"]["code"] == "invalid_trigger"


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"step": "close_everything"}, {"step"}),
        ({"step": "start_review", "data": {"started_on": "2026-02-31"}}, {"data"}),
        ({"step": "start_review", "data": {"review_kind": "regular"}}, {"data"}),
        ({"step": "start_review", "household_ids": []}, {"household_ids"}),
        ({"step": "start_review", "household_ids": ["1"]}, {"household_ids"}),
    ],
)
def test_a_step_asked_wrongly_is_a_422(api, commune, body, fields) -> None:
    round_id = commune.round()
    with on(date(YEAR, 9, 4)):
        assert_error(api.post(f"/rounds/{round_id}/steps", body), 422, "invalid_fields", fields)


def test_surveys_are_saved_row_by_row(api, commune) -> None:
    a, b = commune.recognised("Lê Văn A"), commune.recognised("Trần Thị B")
    round_id = commune.round()
    with on(date(YEAR, 9, 3)):
        api.post(f"/rounds/{round_id}/households", {"select": "listed"})
    with on(date(YEAR, 9, 4)):
        api.post(f"/rounds/{round_id}/steps", {"step": "start_review"})
    items = [
        {"household_id": a, "surveyed_on": f"{YEAR}-09-07", **NEAR_POOR_SURVEY},
        {"household_id": b, "surveyed_on": f"{YEAR}-09-08", **POOR_SURVEY},  # the future
        {
            "household_id": b,
            "surveyed_on": f"{YEAR}-09-07",
            "income_score": 90,
            "income_per_capita_month": 1,
            "deprivations": NO_DEPRIVATIONS,
        },
        "a row that is no row",
    ]
    with on(date(YEAR, 9, 7)):
        recorded = api.post(f"/rounds/{round_id}/assessments", {"items": items})

    results = recorded.json["results"]
    assert [(r["household_id"], r["status"], r["classification"]) for r in results] == [
        (a, "recorded", "near_poor"),
        (b, "refused", None),
        (b, "refused", None),
        (None, "refused", None),
    ]
    assert set(results[1]["error"]["fields"]) == {"surveyed_on"}
    assert set(results[2]["error"]["fields"]) == {"income_per_capita_month"}
    assert api.get(f"/households/{b}").json["state"] == "under_review"


def test_a_meeting_is_kept_with_each_households_outcome(api, commune) -> None:
    a, b = commune.recognised("Lê Văn A"), commune.recognised("Trần Thị B")
    round_id = commune.round()
    with on(date(YEAR, 9, 3)):
        api.post(f"/rounds/{round_id}/households", {"select": "listed"})
    with on(date(YEAR, 9, 4)):
        api.post(f"/rounds/{round_id}/steps", {"step": "start_review"})
    with on(date(YEAR, 9, 7)):
        items = [{"household_id": h, "surveyed_on": f"{YEAR}-09-07", **POOR_SURVEY} for h in (a, b)]
        api.post(f"/rounds/{round_id}/assessments", {"items": items})
    body = {
        "village": "Thôn Đông Hải",
        "meeting_on": f"{YEAR}-09-08",
        "posted_on": f"{YEAR}-09-09",
        "attendees": "Trưởng thôn; Bí thư chi bộ; Mặt trận Tổ quốc xã",
        "present": 42,
        "chaired_by": "Nguyễn Văn Trưởng",
        "secretary": "Lê Thị Thư",
        "results": [
            {"household_id": a, "agreement_pct": 50},
            {"household_id": b, "agreement_pct": 49.5},
        ],
    }
    with on(date(YEAR, 9, 9)):
        held = api.post(f"/rounds/{round_id}/meetings", body)

    assert held.status_code == 201
    assert {k: held.json[k] for k in ("village", "meeting_on", "posted_on", "present")} == {
        "village": "C1-V1",
        "meeting_on": f"{YEAR}-09-08",
        "posted_on": f"{YEAR}-09-09",
        "present": 42,
    }
    assert [(r["household_id"], r["outcome"], r["error"]) for r in held.json["results"]] == [
        (a, "agreed", None),
        (b, "disagreed", None),
    ]


@pytest.mark.parametrize(
    ("results", "named"),
    [
        ([{"household_id": 7}], {"7"}),
        ([{"household_id": 7, "agreement_pct": 180}], {"7"}),
        (
            [{"household_id": 7, "agreement_pct": -1}, {"household_id": 8, "agreement_pct": 60}],
            {"7"},
        ),
        ([{"household_id": 7, "agreement_pct": "80"}], {"7"}),
        (
            [{"household_id": 7, "agreement_pct": 80}, {"household_id": 7, "agreement_pct": 70}],
            {"7"},
        ),
        ([{"agreement_pct": 80}], {"#1"}),
    ],
)
def test_a_meeting_whose_agreement_is_missing_or_outside_0_100_is_a_422_naming_the_household(
    api, commune, results, named
) -> None:
    round_id = commune.round()
    body = {"village": "C1-V1", "meeting_on": f"{YEAR}-09-08", "results": results}
    with on(date(YEAR, 9, 8)):
        refused = api.post(f"/rounds/{round_id}/meetings", body)

    error = assert_error(refused, 422, "invalid_fields", {"results"})
    assert set(error["fields"]["results"]) == named


def test_a_meeting_that_moves_nobody_is_a_409_with_each_households_reason(api, commune) -> None:
    household = commune.recognised("Lê Văn A")
    round_id = commune.round()
    body = {
        "village": "C1-V1",
        "meeting_on": f"{YEAR}-09-08",
        "results": [{"household_id": household, "agreement_pct": 80}],
    }
    with on(date(YEAR, 9, 8)):
        refused = api.post(f"/rounds/{round_id}/meetings", body)

    error = assert_error(refused, 409, "conflict", {str(household)})
    assert error["fields"][str(household)] == [
        f"Household {household} is not on this round's list."
    ]


def test_a_round_closed_by_hand_lists_its_undecided(api, commune) -> None:
    household = commune.recognised("Lê Văn A")
    round_id = commune.round()
    with on(date(YEAR, 9, 3)):
        api.post(f"/rounds/{round_id}/households", {"select": "listed"})
        closed = api.post(f"/rounds/{round_id}/close", {"note": "Hết thời gian"})
        again = api.post(f"/rounds/{round_id}/close", {})

    assert (closed.json["status"], closed.json["undecided"]) == ("closed", [household])
    assert closed.json["close_note"] == "Hết thời gian"
    assert_error(again, 409, "conflict")


def test_the_chairs_batch_is_the_chairs(api, commune) -> None:
    round_id = commune.round()
    with on(date(YEAR, 9, 3)):
        refused = api.post(f"/rounds/{round_id}/decisions", {"decision": "approve"})
        no_reason = api.post(f"/rounds/{round_id}/decisions", {"decision": "reject"}, "chair")

    assert_error(refused, 403, "forbidden")
    assert_error(no_reason, 422, "invalid_fields", {"comment"})


KINDS = ("survey_list", "meeting_minutes", "posting_list", "decision", "certificates")


def test_the_documents_are_filled_from_the_rounds_data(api, commune) -> None:
    households = [commune.recognised(n) for n in ("Lê Văn An", "Trần Thị Bình")]
    round_id = commune.round()
    with on(date(YEAR, 9, 3)):
        api.post(f"/rounds/{round_id}/households", {"select": "listed"})
    _walk_to_posted(api, round_id, households)
    with on(date(YEAR, 9, 15)):
        api.post(f"/rounds/{round_id}/steps", {"step": "request_decision"})
        api.post(f"/rounds/{round_id}/decisions", {"decision": "approve"}, "chair")
        pages = {k: api.get(f"/rounds/{round_id}/documents/{k}?village=C1-V1") for k in KINDS}

    for kind, page in pages.items():
        assert page.status_code == 200 and page.mimetype == "text/html", kind
        text = page.get_data(as_text=True)
        assert (
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
        )
        assert "Lê Văn An" in text and "Trần Thị Bình" in text, kind
        assert "Xã Hải Đông".upper() in text, kind
    assert "1/GCN-HN.HCN" in pages["certificates"].get_data(as_text=True)
    assert "2/GCN-HN.HCN" in pages["certificates"].get_data(as_text=True)
    decision = pages["decision"].get_data(as_text=True)
    assert "Phụ lục I" in decision and "DANH SÁCH HỘ THOÁT CẬN NGHÈO" in decision
    assert "ngày 15 tháng 09 năm 2026" in decision


@pytest.mark.parametrize("kind", KINDS)
def test_each_document_is_also_an_xlsx(api, commune, kind) -> None:
    household = commune.recognised("Lê Văn An")
    round_id = commune.round()
    with on(date(YEAR, 9, 3)):
        api.post(f"/rounds/{round_id}/households", {"select": "listed"})
    _walk_to_posted(api, round_id, [household])
    with on(date(YEAR, 9, 15)):
        api.post(f"/rounds/{round_id}/steps", {"step": "request_decision"})
        api.post(f"/rounds/{round_id}/decisions", {"decision": "approve"}, "chair")
        sheet = api.get(f"/rounds/{round_id}/documents/{kind}?format=xlsx")

    assert sheet.status_code == 200
    assert sheet.mimetype.endswith("spreadsheetml.sheet")
    assert f"round-{round_id}-{kind}.xlsx" in sheet.headers["Content-Disposition"]
    data = sheet.data
    sheet.close()  # the file the response streamed from
    rows = list(load_workbook(io.BytesIO(data), read_only=True).active.values)
    assert any("Lê Văn An" in row for row in rows[1:]), rows


@pytest.mark.parametrize("kind", KINDS)
def test_documents_of_a_village_with_no_households_are_empty_lists(api, commune, kind) -> None:
    round_id = commune.round()
    with on(date(YEAR, 9, 3)):
        page = api.get(f"/rounds/{round_id}/documents/{kind}?village=Thôn Không Có")
        sheet = api.get(f"/rounds/{round_id}/documents/{kind}?village=Thôn Không Có&format=xlsx")

    data = sheet.data
    sheet.close()
    assert page.status_code == 200 and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in page.text
    assert sheet.status_code == 200
    assert len(list(load_workbook(io.BytesIO(data), read_only=True).active.values)) == 1


def test_an_unknown_document_is_a_404_and_a_bad_format_a_422(api, commune) -> None:
    round_id = commune.round()
    with on(date(YEAR, 9, 3)):
        assert_error(api.get(f"/rounds/{round_id}/documents/letters"), 404, "not_found")
        assert_error(
            api.get(f"/rounds/{round_id}/documents/decision?format=pdf"), 422, "invalid_fields"
        )
        assert_error(
            api.get(f"/rounds/{round_id}/documents/decision", "outsider"), 404, "not_found"
        )
