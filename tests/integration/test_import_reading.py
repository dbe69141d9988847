"""An import's file read and checked in child processes beside its writing (the surveys in a
second child, from the file opened anew), or in its own process: the same report and the same
households either way; a refusal, a failure or an early stop on either side leaves nothing
written and no process behind."""

from __future__ import annotations

import multiprocessing
import zipfile

import pytest

from caseflow.extensions import db
from caseflow.models import Assessment, Event, Household, Member
from caseflow.services import import_reading, imports
from caseflow.services.import_reading import ReadingFailed
from caseflow.services.sheet_reader import FileRefused
from tests.import_support import household, member, survey, workbook


@pytest.fixture
def forks(ctx):
    if not import_reading.aside():
        pytest.skip("this machine cannot read an import aside (no fork, or a single core)")


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(imports, "CHUNK", 2)  # a child process sees it too: it is forked


def _run(world, path, dry_run=False):
    return imports.run(world.user("worker"), path, path.name, "C1", dry_run=dry_run)


def _mixed_file(tmp_path):
    """Households in several chunks, with a refused cell, a repeated household, members and
    surveys refused and kept."""
    rows = [household(f"HN-{n}", **{"Họ và tên chủ hộ": f"Lê Văn {n}"}) for n in range(1, 8)]
    rows[2]["Điện thoại"] = "abc"
    rows.append(household("HN-1", **{"Họ và tên chủ hộ": "Lê Văn Tám"}))
    members = [member(f"HN-{n}", **{"Họ và tên": f"Lê Văn {n}"}) for n in range(1, 8)]
    members[4]["Ngày sinh"] = "31/02/1980"
    surveys = [survey(f"HN-{n}") for n in (1, 2, 4)]
    surveys.append(survey("HN-5", **{"Thu nhập bình quân (đồng/người/tháng)": "abc"}))
    return workbook(tmp_path / "x.xlsx", rows, members, surveys)


def _seen(report):
    return (
        report.rows,
        report.created,
        report.members,
        report.assessments,
        [(e.sheet, e.row, e.column, e.message.template, e.message.params) for e in report.errors],
    )


def test_read_aside_or_in_process_the_report_is_the_same(
    ctx, world, tmp_path, forks, small_chunks, monkeypatch
):
    path = _mixed_file(tmp_path)
    aside = _run(world, path, dry_run=True)
    monkeypatch.setitem(ctx.config, "CASEFLOW_IMPORT_READ_ASIDE", False)
    inline = _run(world, path, dry_run=True)
    assert _seen(aside) == _seen(inline)
    assert {(e.sheet, e.row) for e in aside.errors} == {
        ("Hộ", 4),
        ("Hộ", 9),
        ("Thành viên", 6),
        ("Khảo sát", 5),
    }
    assert multiprocessing.active_children() == []


def test_read_aside_the_households_are_written_with_everything(ctx, world, tmp_path, forks):
    rows = [household(f"HN-{n}", **{"Họ và tên chủ hộ": f"Lê Văn {n}"}) for n in range(1, 4)]
    members = [member(f"HN-{n}", **{"Họ và tên": f"Lê Văn {n}"}) for n in range(1, 4)]
    report = _run(world, workbook(tmp_path / "x.xlsx", rows, members, [survey("HN-2")]))
    assert (report.errors, report.created, report.members, report.assessments) == ([], 3, 3, 1)
    count = db.func.count
    assert db.session.scalar(db.select(count(Household.id))) == 3
    assert db.session.scalar(db.select(count(Member.id))) == 3
    assert db.session.scalar(db.select(count(Assessment.id))) == 1
    assert db.session.scalar(db.select(count(Event.id)).where(Event.trigger == "import")) == 3


@pytest.mark.parametrize("aside", [True, False])
@pytest.mark.parametrize("sheet", ["sheet1", "sheet3"])  # the households', the surveys'
def test_a_sheet_damaged_past_its_first_rows_refuses_the_file(
    ctx, world, tmp_path, aside, sheet, monkeypatch
):
    monkeypatch.setitem(ctx.config, "CASEFLOW_IMPORT_READ_ASIDE", aside)
    rows = [household(f"HN-{n}") for n in range(1, 30)]
    surveys = [survey(f"HN-{n}") for n in range(1, 30)]
    path = workbook(tmp_path / "x.xlsx", rows, [member()], surveys)
    path = _damaged(path, f"xl/worksheets/{sheet}.xml")
    with pytest.raises(FileRefused) as refused:
        _run(world, path)
    assert refused.value.code == "bad_file"
    assert db.session.scalar(db.select(db.func.count(Household.id))) == 0
    assert multiprocessing.active_children() == []


def _damaged(path, member_name):
    """Cut a sheet of the workbook in the middle of a cell past its header."""
    damaged = path.with_name("damaged.xlsx")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == member_name:
                data = data[: data.index(b'<row r="3"')] + b'<row r="3"><c r="A3" t="inl'
            target.writestr(item, data)
    return damaged


@pytest.mark.parametrize("check", ["member_row", "survey_row"])
def test_a_reader_that_fails_fails_the_import_and_writes_nothing(
    ctx, world, tmp_path, forks, monkeypatch, check
):
    def broken(*args):
        raise RuntimeError("a bug in the reading")

    monkeypatch.setattr(imports, check, broken)
    path = workbook(tmp_path / "x.xlsx", [household()], [member()], [survey()])
    with pytest.raises(ReadingFailed, match="a bug in the reading"):
        _run(world, path)
    assert db.session.scalar(db.select(db.func.count(Household.id))) == 0
    assert multiprocessing.active_children() == []


def test_a_writer_that_fails_stops_the_reader(
    ctx, world, tmp_path, forks, monkeypatch, small_chunks
):
    def broken(self, rows):
        raise RuntimeError("a bug in the writing")

    monkeypatch.setattr(imports.import_writer.Writer, "members", broken)
    rows = [household(f"HN-{n}", **{"Họ và tên chủ hộ": f"Lê Văn {n}"}) for n in range(1, 40)]
    members = [member(f"HN-{n}", **{"Họ và tên": f"Lê Văn {n}"}) for n in range(1, 40)]
    with pytest.raises(RuntimeError, match="a bug in the writing"):
        _run(world, workbook(tmp_path / "x.xlsx", rows, members, []))
    assert db.session.scalar(db.select(db.func.count(Household.id))) == 0
    assert multiprocessing.active_children() == []
