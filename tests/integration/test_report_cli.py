"""`caseflow report`: the API's reports on the command line, against the hand-counted history."""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from tests.reports_support import D3, known_history


@pytest.fixture
def report(api, clean):
    known_history(api)  # through the API first: its requests must not share the CLI's context
    runner = clean.test_cli_runner()
    return lambda *args: runner.invoke(args=["report", *args])


def test_the_units_report_prints_as_json(report) -> None:
    result = report("units", "--unit", "P", "--as-of", D3.isoformat())

    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    c1 = next(r for r in found["rows"] if r["unit_code"] == "C1")
    assert (c1["households"], c1["poor"], c1["near_poor"]) == (3, 1, 1)


def test_flows_take_a_period(report) -> None:
    result = report("flows", "--unit", "C1", "--from", "2025-03-10", "--to", "2025-03-20")

    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["entered"] == {"poor": 1, "near_poor": 1}


def test_a_report_as_csv_has_vietnamese_headers(report) -> None:
    result = report("overdue", "--unit", "P", "--format", "csv")

    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.output.lstrip("\ufeff"))))
    assert rows[0] == ["Mã đơn vị", "Tên đơn vị", "Việc quá hạn"]
    assert [r[0] for r in rows[1:]] == ["C1", "C2", "W1", "P"]


def test_a_report_as_xlsx_is_written_to_a_file(report, tmp_path) -> None:
    target = tmp_path / "units.xlsx"

    result = report(
        "units", "--unit", "P", "--as-of", D3.isoformat(), "--format", "xlsx", "-o", str(target)
    )

    assert result.exit_code == 0, result.output
    book = load_workbook(target, read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    book.close()  # read-only keeps the file open until closed
    assert rows[0][:3] == ("Mã đơn vị", "Tên đơn vị", "Số hộ đăng ký")
    assert rows[1][:6] == ("C1", "Xã Hải Đông", 3, None, 1, 1)
    assert rows[-1][0] == "P"


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("units", "--unit", "NOPE"), "NOPE"),
        (("units", "--unit", "P", "--as-of", "2999-01-01"), "after today"),
        (("flows", "--unit", "P", "--from", "2025-03-20", "--to", "2025-03-01"), "after it ends"),
    ],
)
def test_a_wrong_report_is_one_line_and_exit_status_1(report, args, says) -> None:
    result = report(*args)

    assert result.exit_code == 1
    assert says in result.output
