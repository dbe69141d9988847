"""GET /api/v1/reports/what-if: a unit's latest surveys under the 2027-2030 standard, on the
database, against hand counts; the files it exports; its refusals."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from caseflow.services import whatif_table
from tests.factories import assert_error, days_ago, deprived
from tests.whatif_support import NEW, four_households


@pytest.fixture
def households(api) -> dict[str, int]:
    return four_households(api)


def test_what_if_counts_and_changes_match_the_hand_counts(api, households):
    response = api.get(f"/reports/what-if?unit=C1&standard={NEW}")
    assert response.status_code == 200, response.json
    report = response.json
    assert (report["unit"], report["standard"], report["households"]) == ("C1", NEW, 3)
    assert report["current"] == {"poor": 1, "near_poor": 0, "middle": 1, "better_off": 1}
    assert report["under"] == {
        "poor": {"min": 1, "max": 2},
        "near_poor": {"min": 0, "max": 1},
        "middle": {"min": 1, "max": 1},
        "better_off": {"min": 0, "max": 0},
    }
    assert (report["uncertain"], report["changes_total"]) == (1, 2)
    assert report["unknown_indicators"] == {"domestic_waste": 3}
    changes = {c["household_id"]: c for c in report["changes"]}
    assert set(changes) == {households["uncertain"], households["better_off"]}
    uncertain = changes[households["uncertain"]]
    assert (uncertain["from"], uncertain["to"], uncertain["to_if_unknown_deprived"]) == (
        "middle",
        "near_poor",
        "poor",
    )
    assert (uncertain["certain"], uncertain["unknown"]) == (False, ["domestic_waste"])
    better_off = changes[households["better_off"]]
    assert (better_off["from"], better_off["to"], better_off["certain"]) == (
        "better_off",
        "middle",
        True,
    )


def test_the_province_counts_every_commune_for_an_officer(api, households):
    report = api.get(f"/reports/what-if?unit=P&standard={NEW}", who="officer").json
    assert report["households"] == 4
    assert report["changes_total"] == 3  # C2's middle household is near-poor under 2027


def test_only_the_latest_survey_counts(api, households):
    hid = households["poor"]
    assert api.fire(hid, "disagree", meeting_on=days_ago(10), agreement_pct=20).status_code == 200
    again = api.survey(
        hid, income_per_capita_month=4_000_000, deprivations=deprived(), surveyed_on=days_ago(5)
    )
    assert again.status_code == 201, again.json
    report = api.get(f"/reports/what-if?unit=C1&standard={NEW}").json
    assert report["households"] == 3
    assert report["current"]["poor"] == 0
    assert report["current"]["better_off"] == 2


def test_limit_shortens_the_list_not_the_counts(api, households):
    report = api.get(f"/reports/what-if?unit=C1&standard={NEW}&limit=1").json
    assert (len(report["changes"]), report["changes_total"]) == (1, 2)


def test_a_unit_outside_the_callers_units_is_refused(api, households):
    response = api.get(f"/reports/what-if?unit=C2&standard={NEW}")
    assert_error(response, 422, "invalid_fields", {"unit"})


def test_an_unknown_standard_is_refused_naming_the_known_ones(api, households):
    error = assert_error(
        api.get("/reports/what-if?unit=C1&standard=2031"), 422, "invalid_fields", {"standard"}
    )
    assert "2027-2030" in error["message"] and "07/2021" in error["message"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("standard=2027-2030", "unit"),
        ("unit=C1", "standard"),
        ("unit=C1&standard=x&format=pdf", "format"),
        ("unit=C1&standard=x&limit=-1", "limit"),
    ],
)
def test_bad_parameters_are_named(api, query, field):
    assert_error(api.get(f"/reports/what-if?{query}"), 422, "invalid_fields", {field})


def test_xlsx_lists_the_changes_then_the_counts(api, households):
    response = api.get(f"/reports/what-if?unit=C1&standard={NEW}&format=xlsx")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    book = load_workbook(io.BytesIO(response.data), read_only=True)
    response.close()  # the file the response streamed from
    changes, counts = book.worksheets
    rows = list(changes.iter_rows(values_only=True))
    assert rows[0][:4] == ("Mã hộ", "Chủ hộ", "Đơn vị", "Phân loại hiện nay")
    assert sorted(row[3:7] for row in rows[1:]) == [
        ("hộ có mức sống trung bình", "hộ cận nghèo", "hộ nghèo", "không"),
        (
            "hộ không nghèo (trên mức sống trung bình)",
            "hộ có mức sống trung bình",
            "hộ có mức sống trung bình",
            "có",
        ),
    ]
    totals = {row[0]: row[1:] for row in counts.iter_rows(min_row=2, values_only=True)}
    assert totals["hộ nghèo"] == (1, 1, 2)
    assert totals["hộ cận nghèo"] == (0, 0, 1)
    assert totals["Tổng số hộ có khảo sát"] == (3, 3, 3)


def test_csv_lists_the_changes(api, households):
    response = api.get(f"/reports/what-if?unit=C1&standard={NEW}&format=csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    response.close()
    assert len(rows) == 3 and rows[0][0] == "Mã hộ"


def test_the_answer_warns_until_the_classes_are_stored(api, households, clean):
    before = api.get(f"/reports/what-if?unit=C1&standard={NEW}").json
    with clean.app_context():
        whatif_table.rebuild()
    after = api.get(f"/reports/what-if?unit=C1&standard={NEW}").json

    [warned] = before.pop("warnings")
    assert warned["code"] == "whatif_not_built"
    assert "caseflow report rebuild" in warned["message"]
    assert after.pop("warnings") == []
    assert after == before
