"""Review rounds: the bodies and queries of their API and pages, and what they answer."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from marshmallow import Schema, ValidationError, fields, validates_schema

from caseflow.domain.errors import N_, InvalidInput, Msg
from caseflow.domain.rounds import FORMS, STEPS, RoundKind, RoundStatus, SurveyRow
from caseflow.schemas.common import (
    Choice,
    Day,
    Figure,
    Flag,
    PageArgs,
    StrictArgs,
    Text,
    Whole,
    page_of,
)
from caseflow.schemas.households import HouseholdSchema, check_one_income
from caseflow.schemas.households import _between as between

STEP_NAMES = ("start_review", "request_decision")
DOCUMENTS = ("survey_list", "meeting_minutes", "posting_list", "decision", "certificates")
#: the most households one request may name (a village is a few hundred)
MOST = 5000


class RoundArgs(StrictArgs):
    unit_code = Text(32, required=True)
    kind = Choice(tuple(RoundKind), required=True)
    year = Whole(low=2000, high=2100, required=True)
    month = Whole(low=1, high=12, allow_none=True, metadata={"description": "regular rounds"})
    opens_on = Day(
        future=True,
        allow_none=True,
        metadata={"description": "a later opening day inside the kind's window"},
    )
    closes_on = Day(
        future=True,
        allow_none=True,
        metadata={"description": "an earlier closing day inside the kind's window"},
    )


class RoundQueryArgs(PageArgs):
    unit = Text(32)
    status = Choice(tuple(RoundStatus))


class AddHouseholdsArgs(StrictArgs):
    household_ids = fields.List(Whole(low=1), validate=between(1, 20_000))
    household_codes = fields.List(
        Text(32), validate=between(1, 20_000), metadata={"description": "or the households' codes"}
    )
    select = Choice(("listed",), metadata={"description": "every listed household of the unit"})
    form = Choice(
        FORMS,
        allow_none=True,
        metadata={
            "description": "regular rounds: 01 (to enter) or 04 (to leave); by default "
            "04 for a listed household, else 01"
        },
    )

    @validates_schema
    def one_way(self, data, **kwargs):
        given = [name for name in ("household_ids", "household_codes", "select") if name in data]
        if len(given) != 1:
            raise ValidationError(
                {"household_ids": [Msg(N_("Name the households, or select the listed ones."))]}
            )


class AddedSchema(Schema):
    added = fields.Integer()
    skipped = fields.List(fields.Dict())


class RoundHouseholdQueryArgs(PageArgs):
    village = Text(200)
    step = Choice(STEPS)
    late = Flag(text=True)


class StartReviewData(StrictArgs):
    started_on = Day()


class DecisionData(StrictArgs):
    decided_on = Day()


STEP_DATA = {"start_review": StartReviewData, "request_decision": DecisionData}


class StepArgs(StrictArgs):
    step = Choice(STEP_NAMES, required=True)
    village = Text(200, allow_none=True)
    household_ids = fields.List(Whole(low=1), allow_none=True, validate=between(1, MOST))
    data = fields.Dict(keys=fields.String(), load_default=dict)

    @validates_schema
    def read_data(self, data, **kwargs):
        try:
            data["data"] = STEP_DATA[data["step"]]().load(data["data"])
        except ValidationError as error:
            raise ValidationError({"data": error.messages}) from None


class SurveyItemArgs(StrictArgs):
    """One survey of a round's list; its indicators are those of the standard in force on its
    date (checked by services.round_steps, which knows the standards)."""

    household_id = Whole(low=1, required=True)
    surveyed_on = Day(required=True)
    income_per_capita_month = Whole(low=0, allow_none=True)
    income_score = Whole(low=0, allow_none=True)
    deprivations = fields.Dict(keys=fields.String(), required=True, values=Flag())

    @validates_schema
    def check(self, data, **kwargs):
        check_one_income(data)


class SurveysArgs(StrictArgs):
    #: each item is read on its own, so that one wrong row does not refuse the others
    items = fields.List(fields.Raw(), required=True, validate=between(1, MOST))


def read_surveys(items: Sequence[Mapping]):
    """Read each survey of a list with SurveyItemArgs: the row, or why it cannot be read."""
    rows = []
    for item in items:
        household_id = item.get("household_id") if isinstance(item, Mapping) else None
        if isinstance(household_id, bool) or not isinstance(household_id, int):
            household_id = None
        try:
            survey = SurveyItemArgs().load(item)
        except ValidationError as error:
            rows.append(
                SurveyRow(
                    household_id,
                    error=InvalidInput(
                        N_("Some fields are missing or wrong."), fields=error.messages
                    ),
                )
            )
            continue
        rows.append(SurveyRow(survey.pop("household_id"), survey))
    return rows


class MeetingResultArgs(StrictArgs):
    household_id = Whole(low=1, required=True)
    agreement_pct = Figure(0, 100, required=True)


class ByHousehold(fields.List):
    """A list of rows about households: its refusals name each row's household."""

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return super()._deserialize(value, attr, data, **kwargs)
        except ValidationError as error:
            if not isinstance(error.messages, Mapping):
                raise
            raise ValidationError(
                {_household_key(value, index): m for index, m in error.messages.items()}
            ) from None


def _household_key(rows, index) -> str:
    row = rows[index] if isinstance(index, int) and index < len(rows) else None
    household_id = row.get("household_id") if isinstance(row, Mapping) else None
    if isinstance(household_id, int) and not isinstance(household_id, bool):
        return str(household_id)
    if isinstance(household_id, str) and household_id.strip().isdigit():
        return household_id.strip()
    return f"#{index + 1}" if isinstance(index, int) else str(index)


class MeetingArgs(StrictArgs):
    village = Text(200, required=True)
    meeting_on = Day(required=True)
    posted_on = Day(allow_none=True, metadata={"description": "default: today"})
    attendees = Text(4000, allow_none=True, metadata={"description": "who attended"})
    present = Whole(low=1, high=100_000, allow_none=True, metadata={"description": "how many"})
    chaired_by = Text(200, allow_none=True)
    secretary = Text(200, allow_none=True)
    results = ByHousehold(
        fields.Nested(MeetingResultArgs), required=True, validate=between(1, MOST)
    )

    @validates_schema
    def once_each(self, data, **kwargs):
        seen, twice = set(), []
        for row in data.get("results", ()):
            if row["household_id"] in seen:
                twice.append(str(row["household_id"]))
            seen.add(row["household_id"])
        if twice:
            raise ValidationError(
                {"results": {key: [Msg(N_("This household is listed twice."))] for key in twice}}
            )


class DecideArgs(StrictArgs):
    village = Text(200, allow_none=True)
    household_ids = fields.List(Whole(low=1), allow_none=True, validate=between(1, MOST))
    decision = Choice(("approve", "reject"), required=True)
    comment = Text(allow_none=True)

    @validates_schema
    def check(self, data, **kwargs):
        if data["decision"] == "reject" and not data.get("comment"):
            raise ValidationError({"comment": [Msg(N_("A rejection needs a reason."))]})


class CloseArgs(StrictArgs):
    note = Text(allow_none=True)


class DocumentArgs(StrictArgs):
    village = Text(200)
    format = Choice(("html", "xlsx"), load_default="html")


def _steps(progress) -> dict:
    return {str(step): count for step, count in progress.steps.items()}


class VillageSchema(Schema):
    village = fields.String()
    name = fields.String()
    households = fields.Function(lambda v: v.progress.households)
    progress = fields.Function(lambda v: _steps(v.progress))
    late = fields.Function(lambda v: v.progress.late)


class RoundSchema(Schema):
    id = fields.Integer()
    unit_code = fields.Function(lambda r: r.round.unit.code)
    unit_name = fields.Function(lambda r: r.round.unit.name)
    kind = fields.String()
    year = fields.Integer()
    month = fields.Integer(allow_none=True)
    opens_on = fields.Date()
    closes_on = fields.Date()
    status = fields.String()
    households = fields.Function(lambda r: r.progress.households)
    progress = fields.Function(lambda r: _steps(r.progress))
    #: households late, and how many for each reason (closing_day, decision_limit, posting_over)
    late = fields.Function(lambda r: r.progress.late)
    villages = fields.List(fields.Nested(VillageSchema))
    created_by = fields.String()
    created_at = fields.DateTime()
    closed_by = fields.String(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)
    close_note = fields.String(allow_none=True)
    #: closed by hand: the households not decided then
    undecided = fields.List(fields.Integer())


RoundPageSchema = page_of(RoundSchema, "RoundPage")


class RoundHouseholdSchema(HouseholdSchema):
    round_step = fields.String()
    round_village = fields.String()
    #: why it is late: closing_day, decision_limit, posting_over
    round_late = fields.List(fields.String())


RoundHouseholdPageSchema = page_of(RoundHouseholdSchema, "RoundHouseholdPage")


class ResultsSchema(Schema):
    results = fields.List(fields.Dict())


class MeetingSchema(Schema):
    id = fields.Integer(attribute="row.id")
    village = fields.String(attribute="row.village")
    meeting_on = fields.Date(attribute="row.meeting_on")
    posted_on = fields.Date(attribute="row.posted_on", allow_none=True)
    attendees = fields.String(attribute="row.attendees", allow_none=True)
    present = fields.Integer(attribute="row.present", allow_none=True)
    chaired_by = fields.String(attribute="row.chaired_by", allow_none=True)
    secretary = fields.String(attribute="row.secretary", allow_none=True)
    results = fields.List(fields.Dict())
