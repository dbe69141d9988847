"""The reports beside the summary, against the hand-counted history of tests/reports_support."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from caseflow import clock
from tests.factories import assert_error
from tests.reports_support import D1, D2, D3, D4, D5, D6, D7, known_history, report


def _rows(found: dict) -> dict:
    return {r["unit_code"]: (r["households"], r["poor"], r["near_poor"]) for r in found["rows"]}


@pytest.mark.parametrize(
    ("as_of", "c1", "c2"),
    [
        (D1 - timedelta(days=1), (0, 0, 0), (0, 0, 0)),
        (D1, (3, 0, 0), (1, 0, 0)),
        (D2, (3, 0, 0), (1, 0, 0)),
        (D3, (3, 1, 1), (1, 0, 0)),
        (D4, (3, 1, 1), (1, 0, 0)),
        (D6, (3, 0, 1), (1, 0, 0)),
        (D7, (3, 0, 1), (1, 0, 0)),
    ],
)
def test_the_units_report_counts_each_child_unit_as_of_the_day(api, as_of, c1, c2) -> None:
    known_history(api)

    found = report(api, "units", unit="P", as_of=as_of.isoformat())

    assert _rows(found) == {"C1": c1, "C2": c2, "W1": (0, 0, 0)}
    total = found["total"]
    assert (total["households"], total["poor"], total["near_poor"]) == (
        c1[0] + c2[0],
        c1[1],
        c1[2],
    )


def test_the_units_report_has_the_contracts_shape(api) -> None:
    known_history(api)

    found = report(api, "units", unit="P", as_of=D3.isoformat())

    c1 = next(r for r in found["rows"] if r["unit_code"] == "C1")
    assert c1 == {
        "unit_code": "C1",
        "name": "Xã Hải Đông",
        "households": 3,
        "population": None,
        "poor": 1,
        "near_poor": 1,
        "poverty_rate": round(1 / 3, 6),
        "near_poverty_rate": round(1 / 3, 6),
        "rate_basis": "registered",
    }
    assert found["warnings"] == []


def test_a_day_before_any_history_is_a_stated_warning(api) -> None:
    known_history(api)

    found = report(api, "units", unit="P", as_of=(D1 - timedelta(days=1)).isoformat())

    assert [w["code"] for w in found["warnings"]] == ["before_history"]
    assert "2025" in found["warnings"][0]["message"]


@pytest.mark.parametrize(
    ("start", "end", "entered", "exited", "relapsed", "change", "met"),
    [
        (D5, D6, {"poor": 0, "near_poor": 0}, {"poor": 1, "near_poor": 0}, 0, -33.33, True),
        (D6, D7, {"poor": 0, "near_poor": 0}, {"poor": 1, "near_poor": 0}, 1, -33.33, True),
        (D7, D7, {"poor": 0, "near_poor": 0}, {"poor": 0, "near_poor": 0}, 1, 0.0, False),
        # a household that entered and left within the period counts in neither
        (D1, D7, {"poor": 0, "near_poor": 1}, {"poor": 0, "near_poor": 0}, 1, 0.0, False),
    ],
)
def test_flows_count_exits_and_relapses_and_hold_the_change_to_the_target(
    api, start, end, entered, exited, relapsed, change, met
) -> None:
    known_history(api)

    found = report(api, "flows", unit="C1", **{"from": start.isoformat(), "to": end.isoformat()})

    assert (found["entered"], found["exited"], found["relapsed"]) == (entered, exited, relapsed)
    assert (found["change_points"], found["met"]) == (change, met)


@pytest.mark.parametrize(
    ("start", "end", "entered", "rate_from", "rate_to"),
    [
        (D1, D1, {"poor": 0, "near_poor": 0}, 0.0, 0.0),
        (D1, D2, {"poor": 0, "near_poor": 0}, 0.0, 0.0),
        (D2, D3, {"poor": 1, "near_poor": 1}, 0.0, 33.33),
        (D3, D4, {"poor": 1, "near_poor": 1}, 0.0, 33.33),
        (D4, D4, {"poor": 0, "near_poor": 0}, 33.33, 33.33),
    ],
)
def test_flows_count_the_households_that_entered_in_the_period(
    api, start, end, entered, rate_from, rate_to
) -> None:
    known_history(api)

    found = report(api, "flows", unit="C1", **{"from": start.isoformat(), "to": end.isoformat()})

    assert found["entered"] == entered
    assert found["exited"] == {"poor": 0, "near_poor": 0}
    assert (found["rate_from"], found["rate_to"]) == (rate_from, rate_to)
    assert found["change_points"] == round(rate_to - rate_from, 2)
    assert found["target_points"] == -1.0
    assert found["met"] is (found["change_points"] <= -1.0)
    assert (found["relapsed"], found["graduated"]) == (0, 0)


@pytest.mark.parametrize(
    ("as_of", "households", "employment", "water"),
    [(D2, 0, 0, 0), (D3, 2, 1, 2), (D4, 2, 1, 2), (D6, 1, 0, 1)],
)
def test_deprivations_count_the_listed_households_latest_surveys(
    api, as_of, households, employment, water
) -> None:
    known_history(api)

    found = report(api, "deprivations", unit="P", as_of=as_of.isoformat())

    assert found["households"] == households
    assert found["by_indicator"]["employment"] == employment
    assert found["by_indicator"]["health_insurance"] == employment
    assert found["by_indicator"]["water"] == water
    assert found["by_indicator"]["housing_area"] == 0
    assert found["by_dimension"]["employment"] == employment
    assert found["by_dimension"]["water_sanitation"] == water
    assert found["by_dimension"]["housing"] == 0


@pytest.mark.parametrize(
    ("as_of", "supported", "credit"),
    [(D3, 0, 0), (D4, 1, 1)],
)
def test_coverage_counts_supports_that_reach_a_deprived_dimension(
    api, as_of, supported, credit
) -> None:
    known_history(api)

    found = report(api, "coverage", unit="C1", as_of=as_of.isoformat())

    rows = {r["dimension"]: r for r in found["by_dimension"]}
    assert rows["employment"] == {
        "dimension": "employment",
        "deprived": 1,
        "supported": supported,
        "share": float(supported),
    }
    assert (rows["water_sanitation"]["deprived"], rows["water_sanitation"]["supported"]) == (2, 0)
    assert found["credit"] == {"households": credit, "share": credit / 2}


def test_overdue_has_a_row_per_child_unit(api) -> None:
    known_history(api)

    found = report(api, "overdue", unit="P")

    assert {r["unit_code"] for r in found["rows"]} == {"C1", "C2", "W1"}
    assert found["total"]["unit_code"] == "P"


@pytest.mark.parametrize(
    ("kind", "query", "field"),
    [
        ("units", {"unit": "C1", "as_of": "9999-12-31"}, "as_of"),
        ("units", {"unit": "C2"}, "unit"),
        ("units", {"unit": "NOPE"}, "unit"),
        ("units", {}, "unit"),
        ("deprivations", {"unit": "C1", "format": "pdf"}, "format"),
        ("coverage", {"unit": "C2"}, "unit"),
        ("flows", {"unit": "C1", "from": "2025-03-10", "to": "2025-03-01"}, "from"),
        ("flows", {"unit": "C1", "to": "9999-01-01"}, "to"),
        ("overdue", {"unit": "C2"}, "unit"),
    ],
)
def test_a_wrong_report_query_is_a_422_naming_the_field(api, kind, query, field) -> None:
    response = api.get(f"/reports/{kind}", "worker", query_string=query)

    assert_error(response, 422, "invalid_fields", {field})


def test_a_report_defaults_to_today(api) -> None:
    known_history(api)

    found = report(api, "units", unit="C1")

    assert (found["as_of"], found["total"]["households"]) == (clock.today().isoformat(), 3)


def test_a_report_downloads_as_xlsx_and_csv(api) -> None:
    known_history(api)
    query = {"unit": "P", "as_of": D4.isoformat()}

    book = api.get("/reports/deprivations", "officer", query_string={**query, "format": "xlsx"})
    content = book.data
    book.close()  # the file the response streamed from
    text = api.get("/reports/coverage", "officer", query_string={**query, "format": "csv"}).text

    rows = list(load_workbook(io.BytesIO(content), read_only=True).active.values)
    assert rows[0] == ("Loại", "Mã", "Tên", "Số hộ thiếu hụt")
    assert [r[3] for r in rows if r[:2] == ("Chỉ số", "water")] == [2]
    lines = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert lines[0] == ["Chiều thiếu hụt", "Số hộ thiếu hụt", "Số hộ được hỗ trợ", "Tỷ lệ (%)"]
    assert lines[-1] == ["Tín dụng ưu đãi", "2", "1", "50.0"]


@pytest.mark.parametrize(
    ("who", "body", "status"),
    [
        ("officer", {"year": 2025, "households": 10}, 200),
        ("admin", {"year": 2025, "households": 10}, 200),
        ("worker", {"year": 2025, "households": 10}, 403),
        ("chair", {"year": 2025, "households": 10}, 403),
        ("officer", {"year": 2025, "households": 0}, 422),
        ("officer", {"year": 2025, "households": -3}, 422),
        ("officer", {"year": 1800, "households": 10}, 422),
        ("officer", {"households": 10}, 422),
    ],
)
def test_who_may_record_a_population_count_and_what(api, who, body, status) -> None:
    response = api.client.put("/api/v1/units/C1/population", json=body, headers=api._headers(who))

    assert response.status_code == status, response.json


def test_rates_divide_by_the_population_count_and_say_so(api) -> None:
    known_history(api)
    put = api.client.put(
        "/api/v1/units/C1/population",
        json={"year": 2025, "households": 10},
        headers=api._headers("officer"),
    )
    assert put.json["warnings"] == []

    found = report(api, "units", unit="P", as_of=D3.isoformat())
    summary = report(api, "summary", unit="C1", as_of=D3.isoformat())

    c1 = next(r for r in found["rows"] if r["unit_code"] == "C1")
    assert (c1["population"], c1["poverty_rate"], c1["rate_basis"]) == (10, 0.1, "population")
    assert (summary["poverty_rate"], summary["rate_basis"]) == (0.1, "population")
    assert found["total"]["rate_basis"] == "registered"


def test_a_population_below_the_registered_households_is_stated(api) -> None:
    known_history(api)

    put = api.client.put(
        "/api/v1/units/C1/population",
        json={"year": 2025, "households": 2},
        headers=api._headers("officer"),
    )

    assert put.status_code == 200
    assert [w["code"] for w in put.json["warnings"]] == ["population_below_registered"]
    found = report(api, "units", unit="P", as_of=D3.isoformat())
    assert [(w["code"], w["unit_code"]) for w in found["warnings"]] == [
        ("population_below_registered", "C1")
    ]


def test_a_units_target_replaces_the_default_in_flows(api) -> None:
    known_history(api)
    put = api.client.put(
        "/api/v1/units/C1/target",
        json={"year": 2025, "target_points": -1.5},
        headers=api._headers("officer"),
    )
    assert put.status_code == 200, put.json

    found = report(api, "flows", unit="C1", **{"from": "2025-01-01", "to": D4.isoformat()})

    assert (found["target_points"], found["met"]) == (-1.5, False)
