"""The what-if's stored classes: followed by the one writer as surveys are recorded, derived
again by the rebuild to the same rows, read for the same answers and files as the streaming
path, and set aside (with a warning) for a standard changed since it was built."""

from __future__ import annotations

from dataclasses import replace

import pytest

from caseflow import clock
from caseflow.domain.whatif import fingerprint
from caseflow.extensions import db
from caseflow.models import Assessment, WhatIfBuilt, WhatIfClass
from caseflow.services import bulk, households, whatif, whatif_table
from caseflow.services.definitions import standard_by_code, standards
from tests.factories import POOR_SURVEY, days_ago, deprived
from tests.sql_support import sent
from tests.whatif_support import NEW, four_households, surveyed

OLD = "07/2021"
COLUMNS = ("unit_id", "fingerprint", "assessment_id", "current", "low", "high", "unknown")


def stored() -> set[tuple]:
    """Every row of the table, as (standard, household, survey, current, low, high, unknown)."""
    rows = db.session.execute(
        db.select(
            WhatIfClass.standard,
            WhatIfClass.household_id,
            WhatIfClass.assessment_id,
            WhatIfClass.current,
            WhatIfClass.low,
            WhatIfClass.high,
            WhatIfClass.unknown,
        )
    )
    return {tuple(row) for row in rows}


def latest_survey(household_id: int) -> int:
    return db.session.scalar(
        db.select(db.func.max(Assessment.id)).where(Assessment.household_id == household_id)
    )


def streamed(monkeypatch, ask):
    """What `ask` answers when the table does not (the streaming path)."""
    with monkeypatch.context() as patched:
        patched.setattr(whatif_table, "usable", lambda standard: False)
        return ask()


def sheet_rows(unit_code: str, standard_code: str) -> list[list[list]]:
    return [list(sheet.rows) for sheet in whatif.what_if_sheets(None, unit_code, standard_code)]


@pytest.fixture
def built(api, clean):
    """The four households of tests/whatif_support.py, the table rebuilt over them."""
    found = four_households(api)
    with clean.app_context():
        whatif_table.rebuild()
    return found


def test_the_rebuild_marks_every_known_standard_built_under_its_fingerprint(built, ctx) -> None:
    marks = dict(db.session.execute(db.select(WhatIfBuilt.standard, WhatIfBuilt.fingerprint)).all())

    assert marks == {s.code: fingerprint(s) for s in standards()}
    assert all(whatif_table.usable(s) for s in standards())


def test_a_survey_recorded_after_the_rebuild_is_followed(built, api, ctx) -> None:
    hid = surveyed(api, income_per_capita_month=1_800_000, deprivations=deprived("water"))

    rows = {row for row in stored() if row[1] == hid}

    survey = latest_survey(hid)
    # 1,800,000 is above the 07/2021 line (middle), under the 2027 one with one or two
    # deprivations (near-poor); a 07/2021 survey records every indicator of its own standard
    assert rows == {
        (OLD, hid, survey, "middle", "middle", "middle", ""),
        (NEW, hid, survey, "middle", "near_poor", "near_poor", "domestic_waste"),
    }


def test_the_surveys_followed_give_the_rows_the_rebuild_gives(api, ctx) -> None:
    found = four_households(api)
    followed = stored()

    whatif_table.rebuild()

    assert stored() == followed
    assert {row[1] for row in followed} == set(found.values())
    assert len(followed) == 2 * len(found)


def test_a_newer_survey_replaces_the_older_ones_rows(built, api, ctx) -> None:
    hid = built["poor"]
    assert api.fire(hid, "disagree", meeting_on=days_ago(10), agreement_pct=20).status_code == 200
    # surveyed on an earlier day than the first survey's form says, but recorded later: the
    # latest is the one of the highest id, as the streaming what-if reads it
    again = api.survey(
        hid, income_per_capita_month=4_000_000, deprivations=deprived(), surveyed_on=days_ago(5)
    )
    assert again.status_code == 201, again.json

    rows = {row for row in stored() if row[1] == hid}

    survey = latest_survey(hid)
    assert rows == {
        (OLD, hid, survey, "better_off", "better_off", "better_off", ""),
        (NEW, hid, survey, "better_off", "better_off", "better_off", "domestic_waste"),
    }
    followed = stored()
    whatif_table.rebuild()
    assert stored() == followed


def test_the_rebuild_puts_right_rows_changed_missing_or_left_over(built, api, ctx) -> None:
    derived = stored()
    hid = api.register()["id"]  # a household without any survey: no row of its own
    db.session.execute(
        db.update(WhatIfClass)
        .where(WhatIfClass.household_id == built["poor"], WhatIfClass.standard == NEW)
        .values(low="middle")
    )
    db.session.execute(
        db.delete(WhatIfClass).where(WhatIfClass.household_id == built["better_off"])
    )
    stray = db.session.get(WhatIfClass, (OLD, built["uncertain"]))
    db.session.add(
        WhatIfClass(**{c: getattr(stray, c) for c in COLUMNS}, standard="2031", household_id=hid)
    )
    db.session.commit()

    assert whatif_table.rebuild() == len(derived)

    assert stored() == derived


def test_a_list_of_surveys_is_followed_chunk_by_chunk(built, ctx, world, monkeypatch) -> None:
    monkeypatch.setattr(whatif_table, "CHUNK", 2)
    actor = world.user("worker")
    ids = [
        households.register(actor, {"head_name": f"Hộ {n}", "unit_code": "C1-V1"}).id
        for n in range(5)
    ]
    bulk.fire_many(actor, ids, "start_review")

    bulk.record_surveys(
        actor, [{"household_id": h, "surveyed_on": clock.today(), **POOR_SURVEY} for h in ids]
    )

    followed = stored()
    assert {row[1] for row in followed} >= set(ids)
    whatif_table.rebuild()
    assert stored() == followed


def test_a_move_without_a_survey_does_not_touch_the_table(built, api, clean) -> None:
    hid = api.register()["id"]
    with sent(clean) as seen:
        assert api.fire(hid, "start_review").status_code == 200

    assert seen and not [sql for sql in seen if "report_whatif" in sql]


@pytest.mark.parametrize("unit_code", ["P", "C1", "C2", "C1-V1", "W1"])
@pytest.mark.parametrize("standard_code", [NEW, OLD])
@pytest.mark.parametrize("shown", [0, 1, 1_000])
def test_the_table_answers_as_the_surveys_do(
    built, ctx, monkeypatch, unit_code, standard_code, shown
) -> None:
    from_table = whatif.what_if(None, unit_code, standard_code, shown)
    from_surveys = streamed(
        monkeypatch, lambda: whatif.what_if(None, unit_code, standard_code, shown)
    )

    assert from_table.pop("warnings") == []
    assert [w["code"] for w in from_surveys.pop("warnings")] == ["whatif_not_built"]
    assert from_table == from_surveys


@pytest.mark.parametrize("unit_code", ["P", "C1", "C2"])
@pytest.mark.parametrize("standard_code", [NEW, OLD])
def test_the_files_from_the_table_are_those_from_the_surveys(
    built, ctx, monkeypatch, unit_code, standard_code
) -> None:
    from_table = sheet_rows(unit_code, standard_code)

    assert from_table == streamed(monkeypatch, lambda: sheet_rows(unit_code, standard_code))
    changes, counts = from_table
    # under their own standard no class changes; under 2027-2030 some do
    assert (len(changes) > 0) == (standard_code == NEW) and len(counts) == 7


def test_a_commune_counts_only_its_subtree(built, ctx) -> None:
    counts = {code: whatif.what_if(None, code, NEW)["households"] for code in ("P", "C1", "C2")}

    assert counts == {"P": 4, "C1": 3, "C2": 1}
    changed = whatif.what_if(None, "C2", NEW)["changes"]
    assert [c["household_id"] for c in changed] == [built["other_commune"]]


def test_a_changed_standard_is_read_from_the_surveys_with_a_warning(
    built, api, clean, monkeypatch
) -> None:
    with clean.app_context():
        new = standard_by_code(NEW)
        lower = {**new.areas, "rural": replace(new.areas["rural"], income_line=1_000_000)}
        changed = [replace(new, areas=lower) if s is new else s for s in standards()]
    monkeypatch.setattr(clean.extensions["caseflow.definitions"], "standards", changed)

    report = api.get(f"/reports/what-if?unit=C1&standard={NEW}").json

    assert [w["code"] for w in report["warnings"]] == ["whatif_not_built"]
    assert "caseflow report rebuild" in report["warnings"][0]["message"]
    # under a rural line of 1,000,000 the poor household (1,200,000) is poor no more
    assert report["under"]["poor"] == {"min": 0, "max": 0}
    with clean.app_context():
        whatif_table.rebuild()
    again = api.get(f"/reports/what-if?unit=C1&standard={NEW}").json
    assert again["warnings"] == [] and again["under"] == report["under"]


def test_rows_a_process_wrote_under_another_fingerprint_set_the_table_aside(
    built, ctx, monkeypatch
) -> None:
    db.session.execute(
        db.update(WhatIfClass)
        .where(WhatIfClass.household_id == built["poor"], WhatIfClass.standard == NEW)
        .values(fingerprint="0" * 16, low="middle", high="middle")
    )

    report = whatif.what_if(None, "C1", NEW)

    assert [w["code"] for w in report["warnings"]] == ["whatif_not_built"]
    assert report["under"]["poor"] == {"min": 1, "max": 2}  # the surveys' answer


def test_the_command_rebuilds_the_table_and_says_how_many_rows(api, clean) -> None:
    four_households(api)
    with clean.app_context():
        db.session.execute(db.delete(WhatIfClass))
        db.session.commit()

    result = clean.test_cli_runner().invoke(args=["report", "rebuild"])

    assert result.exit_code == 0, result.output
    assert "what-if built: 8 rows" in result.output
    with clean.app_context():
        assert len(stored()) == 8
