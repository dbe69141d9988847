"""Households, members, surveys, transitions, approvals, deadlines."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validates_schema

from caseflow.domain.classification import ONE_INCOME
from caseflow.domain.errors import N_, Msg
from caseflow.domain.facts import shown_data
from caseflow.domain.statuses import LISTED, ApprovalStatus
from caseflow.domain.text import mask
from caseflow.i18n import explanation
from caseflow.schemas.common import (
    Choice,
    Code,
    Day,
    Flag,
    StrictArgs,
    Text,
    Whole,
)
from caseflow.schemas.lists import KeysetPageArgs, keyset_page_of

CLASSES = LISTED
AREAS = ("rural", "urban")
#: more members than any household has: a body that lists more is refused
MAX_MEMBERS = 50
#: more indicators than any standard has
MAX_INDICATORS = 40


def _between(low: int, high: int):
    def check(items) -> None:
        if not low <= len(items) <= high:
            raise ValidationError(
                Msg(N_("List from %(low)s to %(high)s items."), low=low, high=high)
            )

    return check


def _some_requests(ids) -> None:
    if not ids:
        raise ValidationError(Msg(N_("Select at least one request.")))
    _between(1, 1000)(ids)


def _at_most(high: int):
    return _between(0, high)


PHONE = r"[0-9 +().-]{6,30}"
NATIONAL_ID = r"[0-9]{9,12}"
PHONE_MESSAGE = N_("A phone number has 6 to 30 digits.")
NATIONAL_ID_MESSAGE = N_("A national ID number has 9 to 12 digits.")


class MemberArgs(StrictArgs):
    full_name = Text(200, required=True)
    birth_date = Day(allow_none=True)
    sex = Choice(("male", "female"), allow_none=True)
    relation = Text(50, allow_none=True)
    ethnicity = Text(50, allow_none=True)
    disability = Flag(load_default=False)


class HouseholdArgs(StrictArgs):
    head_name = Text(200, required=True)
    unit_code = Text(32, required=True)
    village = Text(200, allow_none=True)
    address = Text(300, allow_none=True)
    phone = Code(PHONE, PHONE_MESSAGE, allow_none=True)
    national_id = Code(NATIONAL_ID, NATIONAL_ID_MESSAGE, allow_none=True)
    area = Choice(AREAS, allow_none=True)
    members = fields.List(
        fields.Nested(MemberArgs), load_default=list, validate=_at_most(MAX_MEMBERS)
    )
    confirm_duplicate = Flag(
        load_default=False,
        metadata={
            "description": "register it although a household with the same head (name and birth "
            "date) and village is registered in the unit (else 409 "
            "possible_duplicate)"
        },
    )


class IdempotencyArgs(Schema):
    """The headers a registration may carry (other headers are no business of the schema)."""

    class Meta:
        unknown = EXCLUDE

    key = Text(
        200,
        data_key="Idempotency-Key",
        metadata={
            "description": (
                "a key of the caller's choosing: the same key sent again answers the household the "
                "first request registered (201, as it is now) instead of registering it twice; the "
                "same key with another body is refused (422 idempotency_key_reused)"
            )
        },
    )


class MemberPatchArgs(MemberArgs):
    #: the member this row is; a row without an id is a new member (or an unchanged one)
    id = Whole(low=1, allow_none=True)


class HouseholdPatchArgs(StrictArgs):
    version = Whole(low=1, required=True)
    head_name = Text(200)
    village = Text(200, allow_none=True)
    address = Text(300, allow_none=True)
    phone = Code(PHONE, PHONE_MESSAGE, allow_none=True)
    national_id = Code(NATIONAL_ID, NATIONAL_ID_MESSAGE, allow_none=True)
    area = Choice(AREAS)
    #: the whole list: members left out are removed, rows without an id are added
    members = fields.List(fields.Nested(MemberPatchArgs), validate=_at_most(MAX_MEMBERS))


class HouseholdQueryArgs(KeysetPageArgs):
    unit = Text(32)
    state = Text(40)
    classification = Choice(CLASSES)
    q = Text(200)
    overdue = Flag(text=True)


class MemberSchema(Schema):
    id = fields.Integer()
    full_name = fields.String()
    birth_date = fields.Date(allow_none=True)
    sex = fields.String(allow_none=True)
    relation = fields.String(allow_none=True)
    ethnicity = fields.String(allow_none=True)
    disability = fields.Boolean()


class ApprovalSchema(Schema):
    id = fields.Integer()
    household_id = fields.Integer()
    trigger = fields.String()
    requested_by = fields.String()
    requested_at = fields.DateTime()
    status = fields.String()
    decided_by = fields.String(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)
    comment = fields.String(allow_none=True)
    reason = fields.String(allow_none=True)
    data = fields.Dict()


def _identifier(household, name: str) -> str | None:
    value = getattr(household, name)
    return mask(value) if getattr(household, "identifiers_masked", True) else value


class HouseholdSchema(Schema):
    id = fields.Integer()
    code = fields.String(allow_none=True)
    head_name = fields.String()
    unit_code = fields.Function(lambda h: h.unit.code)
    village = fields.String(allow_none=True)
    address = fields.String(allow_none=True)
    phone = fields.Function(lambda h: _identifier(h, "phone"))
    national_id = fields.Function(lambda h: _identifier(h, "national_id"))
    area = fields.String()
    state = fields.String()
    classification = fields.String(allow_none=True)
    proposed_classification = fields.String(allow_none=True)
    workflow = fields.Function(lambda h: {"name": h.workflow, "version": h.workflow_version})
    version = fields.Integer()
    members = fields.List(fields.Nested(MemberSchema))
    available_triggers = fields.List(fields.String())
    pending_approval = fields.Nested(ApprovalSchema, allow_none=True)


HouseholdPageSchema = keyset_page_of(HouseholdSchema, "HouseholdPage")


def check_one_income(data) -> None:
    """A survey gives its income in VND or as a score: one of the two."""
    if (data.get("income_per_capita_month") is None) == (data.get("income_score") is None):
        raise ValidationError({"income_per_capita_month": [Msg(ONE_INCOME)]})


class AssessmentArgs(StrictArgs):
    surveyed_on = Day(required=True)
    # strict: 1200000.5 or "1200000" is refused rather than silently made an integer
    income_per_capita_month = Whole(low=0, allow_none=True)
    income_score = Whole(low=0, allow_none=True)
    #: every indicator of the standard in force on surveyed_on, deprived or not
    deprivations = fields.Dict(
        keys=Text(40), required=True, values=Flag(), validate=_at_most(MAX_INDICATORS)
    )
    #: the household's version the survey was made on (optional; stale: 409), as a transition's
    version = Whole(low=1, allow_none=True)

    @validates_schema
    def check(self, data, **kwargs):
        check_one_income(data)
        # which indicators a survey holds is the standard's of its date: the service checks


class AssessmentSchema(Schema):
    id = fields.Integer()
    household_id = fields.Integer()
    surveyed_on = fields.Date()
    standard = fields.String()
    classification = fields.String()
    deprivation_count = fields.Integer()
    deprivations = fields.Dict()
    income_per_capita_month = fields.Integer(allow_none=True)
    income_score = fields.Integer(allow_none=True)
    income_line = fields.Integer()
    explanation = fields.Function(lambda a: explanation(a))


class TransitionArgs(StrictArgs):
    trigger = Text(40, required=True)
    reason = Text(allow_none=True)
    data = fields.Dict(keys=fields.String(), load_default=dict)
    version = Whole(low=1, allow_none=True)


class EventSchema(Schema):
    id = fields.Integer()
    at = fields.DateTime()
    trigger = fields.String()
    from_state = fields.String(allow_none=True)
    to_state = fields.String()
    actor = fields.String()
    approved_by = fields.String(allow_none=True)
    reason = fields.String(allow_none=True)
    #: a change of facts (trigger `edit`): {"facts": {name: {"old", "new"}}, "members":
    #: {"added", "removed", "changed"}}, identifiers masked for officers
    data = fields.Function(
        lambda e: shown_data(e.trigger, e.data, getattr(e, "identifiers_masked", True)),
        metadata={"type": "object"},
    )
    workflow_version = fields.Integer()


class TransitionResultSchema(Schema):
    household = fields.Nested(HouseholdSchema)
    event = fields.Nested(EventSchema)


class ApprovalResultSchema(Schema):
    approval = fields.Nested(ApprovalSchema)
    household = fields.Nested(HouseholdSchema)


class ApprovalQueryArgs(KeysetPageArgs):
    status = Choice(tuple(ApprovalStatus), load_default=ApprovalStatus.PENDING.value)


ApprovalPageSchema = keyset_page_of(ApprovalSchema, "ApprovalPage")


class ApproveArgs(StrictArgs):
    comment = Text(allow_none=True)


class RejectArgs(StrictArgs):
    reason = Text(required=True)


class BatchArgs(StrictArgs):
    ids = fields.List(Whole(low=1), required=True, validate=_some_requests)
    decision = Choice(("approve", "reject"), required=True)
    comment = Text(allow_none=True)

    @validates_schema
    def check(self, data, **kwargs):
        if data["decision"] == "reject" and not data.get("comment"):
            raise ValidationError({"comment": [Msg(N_("A rejection needs a reason."))]})


class BatchResultSchema(Schema):
    results = fields.List(fields.Dict())


class DeadlineSchema(Schema):
    id = fields.Integer()
    key = fields.String()
    kind = fields.String()
    due_at = fields.DateTime()
    status = fields.String()
    state = fields.String()
