"""Importing households, members and surveys through the service, on both databases."""

from __future__ import annotations

from datetime import date

import pytest

from caseflow.extensions import db
from caseflow.models import Assessment, Deadline, Event, Household, Member
from caseflow.services import imports
from tests.import_support import household, member, survey, workbook


def _run(world, path, who="worker", dry_run=False, unit="C1"):
    return imports.run(world.user(who), path, path.name, unit, dry_run=dry_run)


def _messages(report):
    return [(e.sheet, e.row, e.column, str(e.message)) for e in report.errors]


def test_a_new_household_enters_with_its_members_survey_and_import_event(ctx, world, tmp_path):
    path = workbook(tmp_path / "x.xlsx", [household()], [member()], [survey()])
    report = _run(world, path)
    assert _messages(report) == []
    assert (report.created, report.members, report.assessments) == (1, 1, 1)
    made = db.session.scalar(db.select(Household).where(Household.code == "HN-1"))
    assert (made.state, made.area, made.proposed_classification) == ("registered", "rural", "poor")
    assert [m.full_name for m in made.members] == ["Nguyễn Văn An"]
    [event] = db.session.scalars(db.select(Event).where(Event.household_id == made.id))
    assert (event.trigger, event.from_state, event.data) == (
        "import",
        None,
        {"file": "x.xlsx", "row": 2},
    )


def test_a_dry_run_writes_nothing(ctx, world, tmp_path):
    path = workbook(tmp_path / "x.xlsx", [household()], [member()], [survey()])
    report = _run(world, path, dry_run=True)
    assert (report.created, report.members, report.assessments) == (1, 1, 1)
    assert db.session.scalar(db.select(Household).where(Household.code == "HN-1")) is None


@pytest.mark.parametrize(
    ("word", "state", "klass"),
    [("Hộ nghèo", "recognised", "poor"), ("Hộ cận nghèo", "recognised", "near_poor")],
)
def test_a_listed_household_enters_recognised_with_its_class(
    ctx, world, tmp_path, word, state, klass
):
    row = household(**{"Tình trạng": word, "Ngày quyết định": "15/12/2025"})
    report = _run(world, workbook(tmp_path / "x.xlsx", [row], [member()], []))
    assert _messages(report) == []
    made = db.session.scalar(db.select(Household).where(Household.code == "HN-1"))
    assert (made.state, made.classification, made.recorded_on) == (state, klass, date(2025, 12, 15))


def test_an_exited_household_enters_follow_up_with_its_visits_and_graduation(ctx, world, tmp_path):
    row = household(**{"Tình trạng": "Hộ mới thoát nghèo", "Ngày quyết định": "15/12/2025"})
    report = _run(world, workbook(tmp_path / "x.xlsx", [row], [member()], []))
    assert _messages(report) == []
    made = db.session.scalar(db.select(Household).where(Household.code == "HN-1"))
    assert (made.state, made.classification) == ("follow_up", None)
    due = {
        d.key: d.due_at.date()
        for d in db.session.scalars(db.select(Deadline).where(Deadline.household_id == made.id))
    }
    assert due["graduation"].isoformat().startswith("2028-12")
    assert due["monitoring_visit"].isoformat().startswith("2026-06")


def test_a_standing_needs_its_decision_date(ctx, world, tmp_path):
    row = household(**{"Tình trạng": "Hộ nghèo"})
    report = _run(world, workbook(tmp_path / "x.xlsx", [row], [member()], []))
    assert [(e[0], e[1], e[2]) for e in _messages(report)] == [("Hộ", 2, "Ngày quyết định")]


def test_every_bad_cell_is_reported_and_nothing_is_written(ctx, world, tmp_path):
    rows = [
        household("HN-1"),
        household("HN-2", **{"Khu vực": "Trên núi", "Điện thoại": "abc"}),
    ]
    members = [member("HN-1"), member("HN-2", **{"Ngày sinh": "31/02/1980"})]
    surveys = [
        survey("HN-1", **{"Thu nhập bình quân (đồng/người/tháng)": "abc"}),
        survey("HN-2", **{"Thu nhập bình quân (đồng/người/tháng)": "1.500.000"}),
    ]
    report = _run(world, workbook(tmp_path / "x.xlsx", rows, members, surveys))
    found = {(s, r, c) for s, r, c, _ in _messages(report)}
    assert found == {
        ("Hộ", 3, "Khu vực"),
        ("Hộ", 3, "Điện thoại"),
        ("Thành viên", 3, "Ngày sinh*"),
        ("Khảo sát", 2, "Thu nhập bình quân (đồng/người/tháng)"),
    }
    assert not report.written
    assert db.session.scalar(db.select(Household).where(Household.code == "HN-1")) is None


def test_an_existing_household_with_the_same_national_id_is_updated(ctx, world, tmp_path):
    first = household("HN-1", **{"Số CCCD chủ hộ": "036080001234"})
    _run(world, workbook(tmp_path / "a.xlsx", [first], [member("HN-1")], []))
    again = household("HN-9", **{"Số CCCD chủ hộ": "036080001234", "Địa chỉ": "Xóm Tây"})
    report = _run(world, workbook(tmp_path / "b.xlsx", [again], [member("HN-9")], []))
    assert _messages(report) == []
    assert (report.created, report.updated) == (0, 1)
    assert [d["by"] for d in report.duplicates] == ["national_id"]
    made = db.session.scalar(db.select(Household).where(Household.code == "HN-1"))
    assert made.address == "Xóm Tây"


def test_an_existing_household_with_the_same_head_and_village_is_updated(ctx, world, tmp_path):
    _run(world, workbook(tmp_path / "a.xlsx", [household("HN-1")], [member("HN-1")], []))
    report = _run(world, workbook(tmp_path / "b.xlsx", [household("HN-2")], [member("HN-2")], []))
    assert (report.created, report.unchanged, [d["by"] for d in report.duplicates]) == (
        0,
        1,
        ["name"],
    )


def test_two_rows_of_one_household_are_an_error_naming_both(ctx, world, tmp_path):
    rows = [household("HN-1"), household("HN-2")]
    members = [member("HN-1"), member("HN-2")]
    report = _run(world, workbook(tmp_path / "x.xlsx", rows, members, []))
    [(sheet, row, _, message)] = _messages(report)
    assert (sheet, row) == ("Hộ", 3)
    assert "2" in message and "3" in message


def test_a_unit_outside_the_import_is_refused(ctx, world, tmp_path):
    report = _run(world, workbook(tmp_path / "x.xlsx", [household(**{"Mã đơn vị": "C2"})], [], []))
    assert [(e[1], e[2]) for e in _messages(report)] == [(2, "Mã đơn vị*")]


def test_a_missing_sheet_and_header_are_named(ctx, world, tmp_path):
    headers = {"Hộ": ["Mã hộ*", "Họ tên chủ hộ", "Mã đơn vị*"]}
    path = workbook(tmp_path / "x.xlsx", [household()], [member()], None, headers=headers)
    messages = _messages(report := _run(world, path))
    assert ("Khảo sát", 0, "") in [m[:3] for m in messages]
    assert any(m[:3] == ("Hộ", 1, "B") and "Họ tên chủ hộ" in m[3] for m in messages)
    assert any("Họ và tên chủ hộ" in m[3] for m in messages)
    assert not report.written


def test_members_of_a_new_household_count_once(ctx, world, tmp_path):
    members = [
        member(),
        member(
            **{"Họ và tên": "Trần Thị Bình", "Quan hệ với chủ hộ": "Vợ/chồng", "Ngày sinh": 1982}
        ),
    ]
    _run(world, workbook(tmp_path / "x.xlsx", [household()], members, []))
    made = db.session.scalar(db.select(Household).where(Household.code == "HN-1"))
    rows = db.session.scalars(db.select(Member).where(Member.household_id == made.id)).all()
    assert [(m.relation, m.birth_date) for m in rows] == [
        ("head", date(1980, 3, 5)),
        ("spouse", date(1982, 1, 1)),
    ]
    assert (
        db.session.scalar(
            db.select(db.func.count(Assessment.id)).where(Assessment.household_id == made.id)
        )
        == 0
    )


def test_a_birth_date_is_required_for_a_new_household_only(ctx, world, tmp_path):
    no_birth = member(**{"Ngày sinh": None})
    report = _run(world, workbook(tmp_path / "a.xlsx", [household()], [no_birth], []))
    assert [m[:3] for m in _messages(report)] == [("Thành viên", 2, "Ngày sinh*")]
    _run(world, workbook(tmp_path / "b.xlsx", [household()], [member()], []))
    spouse = member(**{"Họ và tên": "Trần Thị Bình", "Ngày sinh": None})
    again = _run(world, workbook(tmp_path / "c.xlsx", [household()], [member(), spouse], []))
    assert (_messages(again), again.updated) == ([], 1)


@pytest.fixture
def small_chunks(monkeypatch):
    """Chunks of two rows, so that what the file had before is read back from the import's
    temporary tables, not from the chunk in hand."""
    monkeypatch.setattr(imports, "CHUNK", 2)


def test_the_same_household_chunks_apart_is_an_error_naming_both(
    ctx, world, tmp_path, small_chunks
):
    nid = {"Số CCCD chủ hộ": "036080005555"}
    rows = [
        household("HN-1", **nid),
        household("HN-2", **{"Họ và tên chủ hộ": "Lê Văn Hai"}),
        household("HN-3", **{"Họ và tên chủ hộ": "Lê Văn Ba"}),
        household("HN-4", **{"Họ và tên chủ hộ": "Lê Văn Bốn"}),
        household("HN-1", **{"Họ và tên chủ hộ": "Lê Văn Năm"}),  # row 6: HN-1's code
        household("HN-6", **{"Họ và tên chủ hộ": "Lê Văn Sáu", **nid}),  # row 7: its CCCD
        household("HN-7"),  # row 8: HN-1's head, birth date and village
    ]
    members = [member(r["Mã hộ"], **{"Họ và tên": r["Họ và tên chủ hộ"]}) for r in rows[:4]]
    members += [member("HN-6", **{"Họ và tên": "Lê Văn Sáu"}), member("HN-7")]
    report = _run(world, workbook(tmp_path / "x.xlsx", rows, members, []))
    found = {(row, column): message for _, row, column, message in _messages(report)}
    assert set(found) == {(6, "Mã hộ*"), (7, "Số CCCD chủ hộ"), (8, "Họ và tên chủ hộ*")}
    assert all("2" in message and str(row) in message for (row, _), message in found.items())
    assert not report.written
    assert db.session.scalar(db.select(db.func.count(Household.id))) == 0


def test_members_and_surveys_chunks_after_their_household_find_it(
    ctx, world, tmp_path, small_chunks
):
    rows = [household(f"HN-{n}", **{"Họ và tên chủ hộ": f"Hộ {n}"}) for n in range(1, 6)]
    members = [member(f"HN-{n}", **{"Họ và tên": f"Hộ {n}"}) for n in (5, 4, 3, 2, 1)]
    members.append(member("HN-1", **{"Họ và tên": "Con", "Quan hệ với chủ hộ": "Con"}))
    surveys = [survey(f"HN-{n}") for n in (3, 1, 5)]
    report = _run(world, workbook(tmp_path / "x.xlsx", rows, members, surveys))
    assert _messages(report) == []
    assert (report.created, report.members, report.assessments) == (5, 6, 3)
    assert db.session.scalar(db.select(db.func.count(Member.id))) == 6


def test_the_import_leaves_no_table_behind(ctx, world, tmp_path):
    """The file's households are kept in temporary tables of the import's transaction: a
    dry run, a refused file and an import each end with none left on the connection."""
    path = workbook(tmp_path / "x.xlsx", [household()], [member()], [survey()])
    bad = workbook(tmp_path / "y.xlsx", [household(**{"Mã đơn vị": "C2"})], [], [])
    for file, dry_run in ((path, True), (bad, False), (path, False), (path, False)):
        _run(world, file, dry_run=dry_run)
        assert not _temporary_tables(), file
    assert db.session.scalar(db.select(db.func.count(Household.id))) == 1


def _temporary_tables() -> list[str]:
    if db.session.get_bind().dialect.name == "postgresql":
        query = "SELECT relname FROM pg_class WHERE relpersistence = 't' AND relkind = 'r'"
    else:
        query = "SELECT name FROM sqlite_temp_master WHERE type = 'table'"
    return [name for name in db.session.scalars(db.text(query)) if name.startswith("import_")]


def test_registered_households_a_file_updates_are_compared_chunks_later(
    ctx, world, tmp_path, small_chunks
):
    """The rows that update registered households wait in the import's temporary tables
    until the members sheet is read; a registered household found twice is an error."""
    rows = [household(f"HN-{n}", **{"Họ và tên chủ hộ": f"Hộ {n}"}) for n in range(1, 5)]
    members = [member(f"HN-{n}", **{"Họ và tên": f"Hộ {n}"}) for n in range(1, 5)]
    _run(world, workbook(tmp_path / "a.xlsx", rows, members, []))
    again = [{**row, "Địa chỉ": "Xóm Tây"} for row in rows]
    spouse = {"Họ và tên": "Trần Thị Bình", "Quan hệ với chủ hộ": "Vợ/chồng"}
    report = _run(
        world, workbook(tmp_path / "b.xlsx", again, [*members, member("HN-1", **spouse)], [])
    )
    assert (_messages(report), report.updated, report.created) == ([], 4, 0)
    first = db.session.scalar(db.select(Household).where(Household.code == "HN-1"))
    assert first.address == "Xóm Tây"
    assert sorted(m.full_name for m in first.members) == ["Hộ 1", "Trần Thị Bình"]
    head = {"Họ và tên": "Hộ 1"}
    twice = [*again[:3], {**again[0], "Mã hộ": "HN-9"}]  # row 5: HN-1 by its head again
    report = _run(
        world, workbook(tmp_path / "c.xlsx", twice, [*members[:3], member("HN-9", **head)], [])
    )
    [(sheet, row, _, message)] = _messages(report)
    assert (sheet, row) == ("Hộ", 5) and "2" in message


@pytest.mark.postgres_only
def test_the_import_keeps_the_statistics_its_plans_need(
    on_postgres, ctx, world, tmp_path, monkeypatch
):
    """No autovacuum sees an uncommitted import's rows: the import analyses what it writes
    as it grows, so that its look-ups are not planned for the tables as they were."""
    from caseflow.services import import_index

    monkeypatch.setattr(import_index, "CHUNK", 2)
    monkeypatch.setattr(imports, "CHUNK", 2)
    rows = [household(f"HN-{n}", **{"Họ và tên chủ hộ": f"Hộ {n}"}) for n in range(1, 9)]
    members = [member(f"HN-{n}", **{"Họ và tên": f"Hộ {n}"}) for n in range(1, 9)]
    report = _run(world, workbook(tmp_path / "x.xlsx", rows, members, []), dry_run=True)
    assert report.created == 8
    # inside the import's transaction still (the dry run's): the planner's own row counts
    estimated = db.session.scalar(
        db.text("SELECT reltuples FROM pg_class WHERE relname = 'household'")
    )
    assert estimated >= 4, estimated
