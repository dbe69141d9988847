"""Review rounds through the services: making one, its list, its village steps through the one
move path (each household moves or is refused on its own), its progress and its closing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.exc import IntegrityError

from caseflow.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from caseflow.extensions import db
from caseflow.models import Deadline, Event, Household, RoundHousehold, RoundMeeting
from caseflow.services import round_members, rounds, users
from tests.factories import POOR_SURVEY
from tests.rounds_support import (
    ABOVE_SURVEY,
    MEETING,
    NEAR_POOR_SURVEY,
    REQUEST,
    START,
    SURVEY,
    YEAR,
    decide,
    listed,
    meeting,
    on,
    periodic,
    progress,
    recognised,
    register,
    request,
    start,
    surveys,
)

MIDDLE_SURVEY = {"income_per_capita_month": 1_900_000, "deprivations": POOR_SURVEY["deprivations"]}


def make(world, who="worker", day=date(YEAR, 9, 3), **fields):
    with on(day):
        return rounds.create(world.user(who), {"unit_code": "C1", "year": YEAR, **fields})


def test_a_periodic_round_takes_its_days_and_timers_from_the_rounds_file(ctx, world) -> None:
    made = make(world, kind="periodic")

    assert (made.round.opens_on, made.round.closes_on) == (date(YEAR, 9, 1), date(YEAR, 12, 14))
    timers = db.session.scalars(db.select(Deadline).where(Deadline.round_id == made.round.id))
    assert {(d.key, d.household_id, d.status) for d in timers} == {
        (key, None, "pending")
        for key in (
            "closing:case_worker",
            "closing:supervisor",
            "preliminary_report:case_worker",
            "official_report:case_worker",
        )
    }


def test_a_second_open_round_of_the_same_kind_for_the_unit_is_refused(ctx, world) -> None:
    make(world, kind="periodic")

    with pytest.raises(Conflict):
        make(world, kind="periodic", day=date(YEAR, 9, 4))
    make(world, kind="regular", month=9)  # a regular round goes beside it, one at a time
    with pytest.raises(Conflict):
        make(world, kind="regular", month=10)


def test_a_periodic_round_closed_is_not_made_again_for_the_same_year(ctx, world) -> None:
    made = make(world, kind="periodic")
    with on(date(YEAR, 9, 4)):
        rounds.close(world.user("worker"), made.round.id, "nhầm")

    with pytest.raises(Conflict):
        make(world, kind="periodic", day=date(YEAR, 9, 5))


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"unit_code": "C1-V1", "kind": "periodic"}, "unit_code"),
        ({"kind": "regular"}, "month"),
        ({"kind": "periodic", "month": 9}, "month"),
        ({"kind": "periodic", "opens_on": date(YEAR, 8, 1)}, "opens_on"),
        ({"kind": "periodic", "closes_on": date(YEAR, 12, 20)}, "closes_on"),
        (
            {"kind": "periodic", "opens_on": date(YEAR, 10, 1), "closes_on": date(YEAR, 9, 30)},
            "closes_on",
        ),
    ],
)
def test_a_round_that_cannot_be_is_refused_naming_the_field(ctx, world, fields, field) -> None:
    with pytest.raises(InvalidInput) as raised:
        make(world, **fields)

    assert set(raised.value.fields) == {field}


def test_a_province_may_pick_its_days_inside_the_window(ctx, world) -> None:
    made = make(world, kind="periodic", opens_on=date(YEAR, 9, 15), closes_on=date(YEAR, 11, 30))

    assert (made.round.opens_on, made.round.closes_on) == (date(YEAR, 9, 15), date(YEAR, 11, 30))


def test_an_officer_makes_no_round(ctx, world) -> None:
    with pytest.raises(Forbidden):
        make(world, who="officer", kind="periodic")


def test_listed_adds_every_recognised_household_of_the_unit_and_nothing_else(ctx, world) -> None:
    poor = recognised(world, "Lê Văn A")
    elsewhere = recognised(world, "Ngô Thị X", unit="C2", village="Tây Sơn")
    register(world, "Trần Thị B")  # registered: on no list
    round_id = periodic(world)

    with on(date(YEAR, 9, 3)):
        added = round_members.add_households(world.user("worker"), round_id, listed=True)

    members = db.session.scalars(
        db.select(RoundHousehold.household_id).where(RoundHousehold.round_id == round_id)
    ).all()
    assert (added.added, members) == (1, [poor])
    assert elsewhere not in members


def test_a_household_is_in_one_open_round_at_most(ctx, world) -> None:
    household = register(world, "Trần Thị B")
    first = periodic(world)
    with on(date(YEAR, 9, 3)):
        second = rounds.create(
            world.user("worker"), {"unit_code": "C1", "kind": "regular", "year": YEAR, "month": 9}
        ).round.id
    listed(world, first, [household])

    added = listed(world, second, [household])
    again = listed(world, first, [household])

    assert added.added == 0 and "round" in added.skipped[0][1] and str(first) in added.skipped[0][1]
    assert again.skipped[0][1] == "Already on this round's list."
    with pytest.raises(IntegrityError), db.session.begin_nested():  # the database holds to it
        db.session.add(
            RoundHousehold(round_id=second, household_id=household, active=True, added_by="x")
        )
        db.session.flush()


def test_households_unknown_or_outside_the_unit_are_skipped_the_others_added(ctx, world) -> None:
    mine = register(world, "Trần Thị B")
    theirs = register(world, "Ngô Thị X", unit="C2", village="Tây Sơn")
    round_id = periodic(world)

    added = listed(world, round_id, [mine, theirs, 999_999])

    assert added.added == 1
    assert [h for h, _ in added.skipped] == [theirs, 999_999]


def test_a_regular_review_records_the_form_that_started_it(ctx, world) -> None:
    asks_in = register(world, "Trần Thị B")
    asks_out = recognised(world, "Lê Văn A")
    with on(date(YEAR, 10, 1)):
        round_id = rounds.create(
            world.user("worker"), {"unit_code": "C1", "kind": "regular", "year": YEAR, "month": 10}
        ).round.id
    listed(world, round_id, [asks_in, asks_out], day=date(YEAR, 10, 2))

    start(world, round_id, day=date(YEAR, 10, 15))

    for household, form in ((asks_in, "01"), (asks_out, "04")):
        event = db.session.scalar(
            db.select(Event).where(Event.household_id == household).order_by(Event.id.desc())
        )
        assert event.trigger == "start_review"
        assert (event.data["review_kind"], event.data["form"]) == ("regular", form)
    limit = db.session.scalar(
        db.select(Deadline).where(
            Deadline.household_id == asks_in, Deadline.key == "review_decision"
        )
    )
    assert limit is not None and limit.status == "pending"


def _walked(world):
    """A village of households at every step of a periodic round, and one in another village."""
    names = ["A listed", "B under review", "C classified", "D posted", "E awaiting", "F decided"]
    ids = [recognised(world, n) for n in names]
    other = register(world, "G Đông Lý", village="Đông Lý", unit="C1")
    round_id = periodic(world)
    listed(world, round_id, [*ids, other])
    start(world, round_id, household_ids=ids[1:] + [other])
    surveys(world, round_id, {h: POOR_SURVEY for h in ids[2:]})
    meeting(world, round_id, {h: 80 for h in ids[3:]})
    request(world, round_id, household_ids=ids[4:])
    decide(world, round_id, household_ids=ids[5:])
    return round_id, ids, other


def test_every_household_counts_in_exactly_one_step(ctx, world) -> None:
    round_id, _, _ = _walked(world)

    found = progress(world, round_id)

    assert found.progress.households == 7
    assert found.progress.steps == {
        "listed": 1,
        "under_review": 2,
        "classified": 1,
        "posted": 1,
        "awaiting_decision": 1,
        "decided": 1,
    }
    by_village = {v.village: v.progress for v in found.villages}
    assert set(by_village) == {"C1-V1", "Đông Lý"}
    assert by_village["Đông Lý"].steps["under_review"] == 1
    assert sum(sum(p.steps.values()) for p in by_village.values()) == 7
    assert {v.name for v in found.villages} == {"Thôn Đông Hải", "Đông Lý"}


def test_a_household_moved_on_its_own_page_counts_at_its_step_too(ctx, world) -> None:
    from caseflow.services import cases

    household = recognised(world, "Lê Văn A")
    round_id = periodic(world)
    listed(world, round_id, [household])

    with on(START):
        cases.fire(world.user("worker"), household, "start_review", {"started_on": START})

    assert progress(world, round_id).progress.steps["under_review"] == 1


def test_a_review_cannot_start_before_the_round_opens(ctx, world) -> None:
    household = recognised(world, "Lê Văn A")
    round_id = periodic(world, opens_on=date(YEAR, 9, 10))
    listed(world, round_id, [household])

    with pytest.raises(InvalidInput) as raised:
        start(world, round_id, day=date(YEAR, 9, 9))

    assert set(raised.value.fields) == {"started_on"}
    assert db.session.get(Household, household).state == "recognised"


def test_a_step_refuses_households_outside_the_round_and_the_others_go_on(ctx, world) -> None:
    inside = recognised(world, "Lê Văn A")
    outside = register(world, "Trần Thị B")
    theirs = register(world, "Ngô Thị X", unit="C2", village="Tây Sơn")
    round_id = periodic(world)
    listed(world, round_id, [inside])

    results = start(world, round_id, household_ids=[outside, inside, theirs])

    assert [(r.household_id, r.status) for r in results] == [
        (outside, "refused"),
        (inside, "applied"),
        (theirs, "refused"),
    ]
    assert isinstance(results[0].error, NotFound)
    assert db.session.get(Household, outside).state == "registered"


def test_a_village_case_worker_moves_only_the_households_of_their_village(ctx, world) -> None:
    users.create("truongthon", "case_worker", "C1-V1", "mật-khẩu-thử-2")
    village = register(world, "Lê Văn A")
    commune = register(world, "G Đông Lý", village="Đông Lý", unit="C1")
    round_id = periodic(world)
    listed(world, round_id, [village, commune])
    head = db.session.scalar(db.select(users.User).filter_by(username="truongthon"))

    with on(START):
        from caseflow.services import round_steps

        results = round_steps.run_step(
            head, round_id, "start_review", household_ids=[village, commune], data={}
        )
        seen = rounds.show(head, round_id)

    assert [r.status for r in results] == ["applied", "refused"]
    assert seen.progress.households == 1


def test_surveys_are_saved_row_by_row_each_refusal_on_its_row(ctx, world) -> None:
    a, b, c = (recognised(world, n) for n in ("Lê Văn A", "Trần Thị B", "Phạm Văn C"))
    stranger = register(world, "Ngô Văn D")
    round_id = periodic(world)
    listed(world, round_id, [a, b, c])
    start(world, round_id)
    wrong = {**POOR_SURVEY, "deprivations": {"water": True}}

    results = surveys(
        world, round_id, {a: POOR_SURVEY, b: wrong, c: NEAR_POOR_SURVEY, stranger: POOR_SURVEY}
    )

    assert [(r.household_id, r.status, r.classification) for r in results] == [
        (a, "recorded", "poor"),
        (b, "refused", None),
        (c, "recorded", "near_poor"),
        (stranger, "refused", None),
    ]
    assert "Missing indicators" in str(results[1].error.fields["deprivations"][0])
    assert db.session.get(Household, b).state == "under_review"
    assert db.session.get(Household, a).state == "classified"


def test_a_survey_takes_the_indicators_of_the_standard_in_force_on_its_day(
    ctx, world, monkeypatch
) -> None:
    from dataclasses import replace

    from caseflow.services import bulk

    household = recognised(world, "Lê Văn A")
    round_id = periodic(world)
    listed(world, round_id, [household])
    start(world, round_id)
    real = bulk.standard_on(SURVEY)
    without = replace(
        real,
        dimensions=tuple(
            replace(d, indicators=tuple(i for i in d.indicators if i.key != "information_access"))
            for d in real.dimensions
        ),
    )
    monkeypatch.setattr(bulk, "standard_on", lambda day: without)

    [result] = surveys(world, round_id, {household: POOR_SURVEY})

    assert result.status == "refused"
    assert "Unknown indicators: information_access" in str(result.error.fields["deprivations"])


def test_the_meeting_agrees_or_sends_back_each_household_and_keeps_its_minutes(ctx, world) -> None:
    a, b, stranger = (recognised(world, n) for n in ("Lê Văn A", "Trần Thị B", "Ngô Văn D"))
    round_id = periodic(world)
    listed(world, round_id, [a, b])
    start(world, round_id)
    surveys(world, round_id, {a: POOR_SURVEY, b: POOR_SURVEY})

    held = meeting(
        world, round_id, {a: 66.7, b: 40, stranger: 90}, attendees="Trưởng thôn", present=30
    )

    assert [(r["household_id"], r["outcome"]) for r in held.results] == [
        (a, "agreed"),
        (b, "disagreed"),
        (stranger, "refused"),
    ]
    assert (db.session.get(Household, a).state, db.session.get(Household, b).state) == (
        "posted",
        "under_review",
    )
    minutes = db.session.get(RoundMeeting, held.row.id)
    assert (minutes.village, minutes.meeting_on, minutes.present) == ("C1-V1", MEETING, 30)
    assert [r["outcome"] for r in minutes.results] == ["agreed", "disagreed", "refused"]
    posted = db.session.scalar(
        db.select(Event).where(Event.household_id == a).order_by(Event.id.desc())
    )
    assert posted.data == {
        "meeting_on": MEETING.isoformat(),
        "agreement_pct": 66.7,
        "posted_on": MEETING.isoformat(),
    }


def test_a_meeting_that_moves_no_household_keeps_no_minutes(ctx, world) -> None:
    household = recognised(world, "Lê Văn A")
    round_id = periodic(world)
    listed(world, round_id, [household])  # listed, not surveyed: no meeting can agree it

    with pytest.raises(Conflict) as raised:
        meeting(world, round_id, {household: 80})

    assert set(raised.value.fields) == {str(household)}
    assert db.session.scalar(db.select(db.func.count(RoundMeeting.id))) == 0


def test_request_decision_asks_what_each_households_survey_and_standing_call_for(
    ctx, world
) -> None:
    from caseflow.models import Approval

    becomes_poor = register(world, "Trần Thị B")
    leaves = recognised(world, "Lê Văn A")
    stays_off = register(world, "Phạm Văn C")
    round_id = periodic(world)
    listed(world, round_id, [becomes_poor, leaves, stays_off])
    start(world, round_id)
    surveys(
        world, round_id, {becomes_poor: POOR_SURVEY, leaves: ABOVE_SURVEY, stays_off: MIDDLE_SURVEY}
    )
    meeting(world, round_id, {becomes_poor: 90, leaves: 90, stays_off: 90})

    results = request(world, round_id)

    assert {r.status for r in results} == {"requested"}
    asked = dict(
        db.session.execute(
            db.select(Approval.household_id, Approval.trigger).where(Approval.status == "pending")
        ).all()
    )
    assert asked == {becomes_poor: "recognise", leaves: "exit", stays_off: "decline"}
    assert progress(world, round_id).progress.steps["awaiting_decision"] == 3


def test_a_posting_not_over_is_refused_saying_when_it_ends(ctx, world) -> None:
    household = recognised(world, "Lê Văn A")
    round_id = periodic(world)
    listed(world, round_id, [household])
    start(world, round_id)
    surveys(world, round_id, {household: POOR_SURVEY})
    meeting(world, round_id, {household: 90})  # posted Tuesday 8/9: over on Friday 11/9

    [result] = request(world, round_id, day=date(YEAR, 9, 10))

    assert result.status == "refused"
    assert result.error.params["ends"] == date(YEAR, 9, 11)


def test_the_chair_decides_the_list_in_one_batch_and_the_round_closes_itself(ctx, world) -> None:
    ids = [recognised(world, f"Hộ {n}") for n in range(3)]
    round_id = periodic(world)
    listed(world, round_id, ids)
    start(world, round_id)
    surveys(world, round_id, {h: POOR_SURVEY for h in ids})
    meeting(world, round_id, {h: 75 for h in ids})
    request(world, round_id)

    decided = decide(world, round_id, village="C1-V1")

    assert [r["status"] for r in decided] == ["approved"] * 3
    found = progress(world, round_id)
    assert found.progress.steps["decided"] == 3
    assert (found.round.status, found.round.closed_by) == ("closed", "system")
    assert not db.session.scalar(
        db.select(db.func.count(RoundHousehold.id)).where(RoundHousehold.active.is_(True))
    )


def test_a_case_worker_decides_nothing(ctx, world) -> None:
    round_id = periodic(world)

    with pytest.raises(Forbidden):
        decide(world, round_id, who="worker")


def test_a_round_closed_by_hand_lists_the_undecided_and_frees_them(ctx, world) -> None:
    household = recognised(world, "Lê Văn A")
    round_id = periodic(world)
    listed(world, round_id, [household])

    with on(date(YEAR, 9, 4)):
        closed = rounds.close(world.user("worker"), round_id, "Chuyển sang kỳ sau")

    assert closed.undecided == [household] == closed.view.round.undecided
    timers = dict(
        db.session.execute(
            db.select(Deadline.key, Deadline.status).where(Deadline.round_id == round_id)
        ).all()
    )
    assert timers["closing:case_worker"] == "cancelled"
    assert timers["official_report:case_worker"] == "pending"  # the report is still due
    with on(date(YEAR, 9, 5)):
        regular = rounds.create(
            world.user("worker"), {"unit_code": "C1", "kind": "regular", "year": YEAR, "month": 9}
        ).round.id
    assert listed(world, regular, [household], day=date(YEAR, 9, 5)).added == 1
    with pytest.raises(Conflict):
        start(world, round_id, day=date(YEAR, 9, 5))


def test_late_past_the_rounds_closing_day(ctx, world) -> None:
    household = recognised(world, "Lê Văn A")
    round_id = periodic(world, closes_on=date(YEAR, 10, 31))
    listed(world, round_id, [household])

    assert progress(world, round_id, day=date(YEAR, 10, 31)).progress.late["closing_day"] == 0
    late = progress(world, round_id, day=date(YEAR, 11, 1)).progress.late
    assert late == {"households": 1, "closing_day": 1, "decision_limit": 0, "posting_over": 0}


def test_late_past_the_15_day_limit_of_a_regular_review(ctx, world) -> None:
    household = register(world, "Trần Thị B")
    with on(date(YEAR, 10, 1)):
        round_id = rounds.create(
            world.user("worker"), {"unit_code": "C1", "kind": "regular", "year": YEAR, "month": 10}
        ).round.id
    listed(world, round_id, [household], day=date(YEAR, 10, 2))
    start(world, round_id, day=date(YEAR, 10, 15))

    assert progress(world, round_id, day=date(YEAR, 10, 29)).progress.late["decision_limit"] == 0
    late = progress(world, round_id, day=date(YEAR, 10, 30)).progress.late
    assert late["decision_limit"] == 1 and late["closing_day"] == 0


def test_late_when_the_posting_is_over_and_no_decision_is_asked(ctx, world) -> None:
    household = recognised(world, "Lê Văn A")
    round_id = periodic(world)
    listed(world, round_id, [household])
    start(world, round_id)
    surveys(world, round_id, {household: POOR_SURVEY})
    meeting(world, round_id, {household: 90})

    assert progress(world, round_id, day=date(YEAR, 9, 10)).progress.late["posting_over"] == 0
    assert progress(world, round_id, day=date(YEAR, 9, 11)).progress.late["posting_over"] == 1
    request(world, round_id, day=date(YEAR, 9, 11))
    assert progress(world, round_id, day=date(YEAR, 9, 12)).progress.late["posting_over"] == 0


def test_steps_of_a_round_follow_the_same_rules_as_a_single_move(ctx, world) -> None:
    """The round's meeting writes the rows a household's own page writes."""
    from caseflow.services import cases

    by_round, by_page = recognised(world, "Lê Văn A"), recognised(world, "Trần Thị B")
    round_id = periodic(world)
    listed(world, round_id, [by_round])
    start(world, round_id)
    with on(START):
        cases.fire(
            world.user("worker"),
            by_page,
            "start_review",
            {"started_on": START, "review_kind": "periodic"},
        )
    surveys(world, round_id, {by_round: POOR_SURVEY})
    with on(SURVEY):
        from caseflow.services import assessments

        assessments.record(world.user("worker"), by_page, {"surveyed_on": SURVEY, **POOR_SURVEY})
    meeting(world, round_id, {by_round: 80})
    with on(MEETING):
        cases.fire(
            world.user("worker"),
            by_page,
            "agree",
            {"meeting_on": MEETING, "agreement_pct": 80, "posted_on": MEETING},
        )

    def rows(household):
        events = db.session.scalars(
            db.select(Event).where(Event.household_id == household).order_by(Event.id)
        )
        deadlines = db.session.scalars(
            db.select(Deadline).where(Deadline.household_id == household).order_by(Deadline.id)
        )
        return (
            [(e.trigger, e.from_state, e.to_state, e.data) for e in events],
            [(d.key, d.due_at, d.status) for d in deadlines],
        )

    assert rows(by_round) == rows(by_page)
    assert REQUEST > MEETING


def test_a_list_of_surveys_sent_twice_records_each_survey_once(ctx, world) -> None:
    from caseflow.models import Assessment

    household = recognised(world, "Lê Văn A")
    round_id = periodic(world)
    listed(world, round_id, [household])
    start(world, round_id)
    before = db.session.scalar(db.select(db.func.count(Assessment.id)))

    surveys(world, round_id, {household: POOR_SURVEY})
    [again] = surveys(world, round_id, {household: NEAR_POOR_SURVEY})

    assert again.status == "refused" and "Surveyed, meeting due" in again.error.message
    assert db.session.scalar(db.select(db.func.count(Assessment.id))) == before + 1
    assert db.session.get(Household, household).proposed_classification == "poor"
