"""`caseflow report what-if` and the what-if service over the database, in chunks."""

from __future__ import annotations

import io
import json

from openpyxl import load_workbook

from caseflow.services import whatif
from tests.sql_support import sent
from tests.whatif_support import NEW, four_households


def run(app, *args):
    """Run the command in its own app context (the pages' requests each had their own)."""
    with app.app_context():
        return app.test_cli_runner().invoke(args=["report", "what-if", *args])


def test_the_command_prints_the_report_as_json(api, clean) -> None:
    four_households(api)

    result = run(clean, "--unit", "C1", "--standard", NEW)

    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert (report["households"], report["changes_total"], report["uncertain"]) == (3, 2, 1)
    assert report["under"]["poor"] == {"min": 1, "max": 2}


def test_the_command_writes_xlsx(api, clean, tmp_path) -> None:
    four_households(api)
    target = tmp_path / "what-if.xlsx"

    result = run(clean, "--unit", "P", "--standard", NEW, "--format", "xlsx", "-o", str(target))

    assert result.exit_code == 0, result.output
    book = load_workbook(io.BytesIO(target.read_bytes()), read_only=True)
    assert len(list(book.worksheets[0].iter_rows(values_only=True))) == 4  # header + 3


def test_the_command_refuses_an_unknown_standard(api, clean) -> None:
    result = run(clean, "--unit", "C1", "--standard", "2031")

    assert result.exit_code == 1
    assert "Unknown standard '2031'" in result.output


def test_xlsx_without_a_file_is_a_usage_error(clean) -> None:
    result = run(clean, "--unit", "C1", "--standard", NEW, "--format", "xlsx")

    assert result.exit_code == 2 and "needs -o FILE" in result.output


def test_the_surveys_stream_in_chunks_with_the_same_counts(api, clean, monkeypatch) -> None:
    four_households(api)
    with clean.app_context():
        whole = whatif.what_if(None, "P", NEW)
        monkeypatch.setattr(whatif, "CHUNK", 1)
        assert whatif.what_if(None, "P", NEW) == whole
    assert whole["households"] == 4


def test_the_queries_do_not_grow_with_the_households(api, clean) -> None:
    def statements() -> int:
        with sent(clean) as seen, clean.app_context():
            whatif.what_if(None, "P", NEW)
        return len(seen)

    four_households(api)
    few = statements()
    four_households(api)
    assert 0 < few == statements()
