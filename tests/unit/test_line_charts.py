"""The rates-by-year line chart: an SVG with one line per series and each point's value."""

from __future__ import annotations

from caseflow.web.line_charts import line_chart


def test_a_line_chart_draws_each_series_with_its_points() -> None:
    svg = line_chart(
        ["2024", "2025", "2026"],
        [("Hộ nghèo", [5.0, 4.0, 3.5]), ("Hộ cận nghèo", [4.0, 3.8, 3.0])],
        "Tỷ lệ theo năm",
        "chart-years",
        lambda v: f"{v}%",
    )

    assert svg.count("<polyline") == 2
    assert svg.count("<circle") == 6
    assert "<title>Hộ nghèo 2026: 3.5%</title>" in svg
    assert '<title id="chart-years">Tỷ lệ theo năm</title>' in svg


def test_a_line_chart_escapes_its_labels() -> None:
    svg = line_chart(["<b>"], [("<script>", [1.0])], "t", "c")

    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_a_line_chart_of_nothing_is_still_an_svg() -> None:
    svg = line_chart([], [], "t", "c")

    assert svg.startswith("<svg") and svg.endswith("</svg>")
