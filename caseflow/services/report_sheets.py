"""Each report as one sheet with Vietnamese headers, for xlsx and CSV (services/spreadsheets)."""

from __future__ import annotations

from caseflow.services.definitions import standards
from caseflow.services.spreadsheets import Sheet

UNIT_HEADERS = (
    "Mã đơn vị",
    "Tên đơn vị",
    "Số hộ đăng ký",
    "Số hộ theo điều tra dân số",
    "Hộ nghèo",
    "Hộ cận nghèo",
    "Tỷ lệ hộ nghèo (%)",
    "Tỷ lệ hộ cận nghèo (%)",
    "Mẫu số",
)
BASIS_NAMES = {"population": "Số hộ theo điều tra dân số", "registered": "Số hộ đăng ký"}


def sheet(kind: str, report: dict) -> Sheet:
    """The report of `kind` as a sheet."""
    return MAKERS[kind](report)


def _units(report: dict) -> Sheet:
    def rows():
        for row in (*report["rows"], report["total"]):
            yield (
                row["unit_code"],
                row["name"],
                row["households"],
                row["population"],
                row["poor"],
                row["near_poor"],
                round(100 * row["poverty_rate"], 2),
                round(100 * row["near_poverty_rate"], 2),
                BASIS_NAMES[row["rate_basis"]],
            )

    return Sheet("Bảng đơn vị", UNIT_HEADERS, rows())


def _flows(report: dict) -> Sheet:
    rows = [
        ("Từ ngày", report["from"]),
        ("Đến ngày", report["to"]),
        ("Tỷ lệ hộ nghèo đầu kỳ (%)", report["rate_from"]),
        ("Tỷ lệ hộ nghèo cuối kỳ (%)", report["rate_to"]),
        ("Mức thay đổi (điểm %)", report["change_points"]),
        ("Chỉ tiêu năm (điểm %)", report["target_points"]),
        ("Đạt chỉ tiêu", "Đạt" if report["met"] else "Không đạt"),
        ("Hộ nghèo mới", report["entered"]["poor"]),
        ("Hộ cận nghèo mới", report["entered"]["near_poor"]),
        ("Hộ thoát nghèo", report["exited"]["poor"]),
        ("Hộ thoát cận nghèo", report["exited"]["near_poor"]),
        ("Hộ tái nghèo", report["relapsed"]),
        ("Hộ hết thời gian theo dõi", report["graduated"]),
    ]
    return Sheet("Biến động", ("Chỉ tiêu", "Giá trị"), rows)


def _deprivations(report: dict) -> Sheet:
    names = _indicator_names()
    dims = _dimension_names()
    rows = [("Chỉ số", key, names.get(key, key), n) for key, n in report["by_indicator"].items()]
    rows += [("Chiều", key, dims.get(key, key), n) for key, n in report["by_dimension"].items()]
    rows.append(("Tổng", "", "Hộ nghèo và cận nghèo có phiếu khảo sát", report["households"]))
    return Sheet("Thiếu hụt", ("Loại", "Mã", "Tên", "Số hộ thiếu hụt"), rows)


def _coverage(report: dict) -> Sheet:
    dims = _dimension_names()
    rows = [
        (
            dims.get(row["dimension"], row["dimension"]),
            row["deprived"],
            row["supported"],
            round(100 * row["share"], 2),
        )
        for row in report["by_dimension"]
    ]
    credit = report["credit"]
    rows.append(
        (
            "Tín dụng ưu đãi",
            report["households"],
            credit["households"],
            round(100 * credit["share"], 2),
        )
    )
    headers = ("Chiều thiếu hụt", "Số hộ thiếu hụt", "Số hộ được hỗ trợ", "Tỷ lệ (%)")
    return Sheet("Độ bao phủ", headers, rows)


def _overdue(report: dict) -> Sheet:
    rows = [(r["unit_code"], r["name"], r["overdue"]) for r in (*report["rows"], report["total"])]
    return Sheet("Việc quá hạn", ("Mã đơn vị", "Tên đơn vị", "Việc quá hạn"), rows)


def _indicator_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for standard in standards():
        for indicator in standard.indicators:
            names.setdefault(indicator.key, indicator.name_vi)
    return names


def _dimension_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for standard in standards():
        for dimension in standard.dimensions:
            names.setdefault(dimension.key, dimension.name_vi)
    return names


MAKERS = {
    "units": _units,
    "flows": _flows,
    "deprivations": _deprivations,
    "coverage": _coverage,
    "overdue": _overdue,
}
