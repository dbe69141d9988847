"""Households, members, surveys, transitions, approvals, deadlines."""

from __future__ import annotations

from flask_babel import get_locale
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from caseflow.domain.facts import shown_data
from caseflow.domain.standards import INDICATOR_KEYS
from caseflow.domain.text import mask
from caseflow.schemas.common import MAX_INT, MAX_PAGE, StrictArgs, not_blank, not_future, page_of

CLASSES = ("poor", "near_poor")
AREAS = ("rural", "urban")


class MemberArgs(StrictArgs):
    full_name = fields.String(required=True, validate=(validate.Length(max=200), not_blank))
    birth_date = fields.Date(allow_none=True, validate=not_future)
    sex = fields.String(allow_none=True, validate=validate.OneOf(("male", "female")))
    relation = fields.String(allow_none=True, validate=validate.Length(max=50))
    ethnicity = fields.String(allow_none=True, validate=validate.Length(max=50))
    disability = fields.Boolean(load_default=False)


class HouseholdArgs(StrictArgs):
    head_name = fields.String(required=True, validate=(validate.Length(max=200), not_blank))
    unit_code = fields.String(required=True)
    village = fields.String(allow_none=True, validate=validate.Length(max=200))
    address = fields.String(allow_none=True, validate=validate.Length(max=300))
    phone = fields.String(allow_none=True, validate=validate.Regexp(r"^[0-9 +().-]{6,30}$"))
    national_id = fields.String(allow_none=True, validate=validate.Regexp(r"^[0-9]{9,12}$"))
    area = fields.String(allow_none=True, validate=validate.OneOf(AREAS))
    members = fields.List(fields.Nested(MemberArgs), load_default=list)
    confirm_duplicate = fields.Boolean(load_default=False, metadata={
        "description": "register it although a household with the same head (name and birth "
                       "date) and village is registered in the unit (else 409 "
                       "possible_duplicate)"})


class IdempotencyArgs(Schema):
    """The headers a registration may carry (other headers are no business of the schema)."""

    class Meta:
        unknown = EXCLUDE

    key = fields.String(data_key="Idempotency-Key", validate=validate.Length(min=1, max=200),
                        metadata={"description": (
                            "a key of the caller's choosing: the same key sent again answers "
                            "the household the first request registered (201, as it is now) "
                            "instead of registering it twice; the same key with another body "
                            "is refused (422 idempotency_key_reused)")})


class MemberPatchArgs(MemberArgs):
    #: the member this row is; a row without an id is a new member (or an unchanged one)
    id = fields.Integer(allow_none=True, strict=True)


class HouseholdPatchArgs(StrictArgs):
    version = fields.Integer(required=True)
    head_name = fields.String(validate=(validate.Length(max=200), not_blank))
    village = fields.String(allow_none=True, validate=validate.Length(max=200))
    address = fields.String(allow_none=True, validate=validate.Length(max=300))
    phone = fields.String(allow_none=True, validate=validate.Regexp(r"^[0-9 +().-]{6,30}$"))
    national_id = fields.String(allow_none=True, validate=validate.Regexp(r"^[0-9]{9,12}$"))
    area = fields.String(validate=validate.OneOf(AREAS))
    #: the whole list: members left out are removed, rows without an id are added
    members = fields.List(fields.Nested(MemberPatchArgs))


class HouseholdQueryArgs(StrictArgs):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))
    unit = fields.String()
    state = fields.String()
    classification = fields.String(validate=validate.OneOf(CLASSES))
    q = fields.String(validate=validate.Length(max=200))
    overdue = fields.Boolean()


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


class WorkflowRefSchema(Schema):
    name = fields.String()
    version = fields.Integer()


def request_lang() -> str:
    """The language the caller reads: 'vi' or 'en' (the API follows Accept-Language)."""
    locale = get_locale()
    return locale.language if locale is not None else "vi"


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


HouseholdPageSchema = page_of(HouseholdSchema, "HouseholdPage")


class AssessmentArgs(StrictArgs):
    surveyed_on = fields.Date(required=True, validate=not_future)
    # strict: 1200000.5 or "1200000" is refused rather than silently made an integer
    income_per_capita_month = fields.Integer(allow_none=True, strict=True,
                                             validate=validate.Range(min=0, max=MAX_INT))
    income_score = fields.Integer(allow_none=True, strict=True,
                                  validate=validate.Range(min=0, max=MAX_INT))
    deprivations = fields.Dict(keys=fields.String(), required=True,
                               values=fields.Boolean(truthy={True}, falsy={False}))

    @validates_schema
    def check(self, data, **kwargs):
        if (data.get("income_per_capita_month") is None) == (data.get("income_score") is None):
            message = "Give income_per_capita_month or income_score, exactly one."
            raise ValidationError({"income_per_capita_month": [message]})
        given = set(data.get("deprivations", {}))
        missing = [k for k in INDICATOR_KEYS if k not in given]
        unknown = sorted(given - set(INDICATOR_KEYS))
        problems = [f"missing: {', '.join(missing)}"] if missing else []
        problems += [f"unknown: {', '.join(unknown)}"] if unknown else []
        if problems:
            raise ValidationError({"deprivations": problems})


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
    explanation = fields.Function(lambda a: a.explanation_in(request_lang()))


class TransitionArgs(StrictArgs):
    trigger = fields.String(required=True, validate=validate.Length(min=1, max=40))
    reason = fields.String(allow_none=True, validate=validate.Length(max=2000))
    data = fields.Dict(load_default=dict)
    version = fields.Integer(allow_none=True)


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
    data = fields.Function(lambda e: shown_data(
        e.trigger, e.data, getattr(e, "identifiers_masked", True)), metadata={"type": "object"})
    workflow_version = fields.Integer()


class TransitionResultSchema(Schema):
    household = fields.Nested(HouseholdSchema)
    event = fields.Nested(EventSchema)


class ApprovalResultSchema(Schema):
    approval = fields.Nested(ApprovalSchema)
    household = fields.Nested(HouseholdSchema)


class ApprovalQueryArgs(StrictArgs):
    status = fields.String(load_default="pending",
                           validate=validate.OneOf(("pending", "approved", "rejected", "stale")))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))


ApprovalPageSchema = page_of(ApprovalSchema, "ApprovalPage")


class ApproveArgs(StrictArgs):
    comment = fields.String(allow_none=True, validate=validate.Length(max=2000))


class RejectArgs(StrictArgs):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class BatchArgs(StrictArgs):
    ids = fields.List(fields.Integer(), required=True, validate=validate.Length(min=1, max=1000))
    decision = fields.String(required=True, validate=validate.OneOf(("approve", "reject")))
    comment = fields.String(allow_none=True, validate=validate.Length(max=2000))

    @validates_schema
    def check(self, data, **kwargs):
        if data["decision"] == "reject" and not (data.get("comment") or "").strip():
            raise ValidationError({"comment": ["A rejection needs a reason."]})


class BatchResultSchema(Schema):
    results = fields.List(fields.Dict())


class DeadlineSchema(Schema):
    id = fields.Integer()
    key = fields.String()
    kind = fields.String()
    due_at = fields.DateTime()
    status = fields.String()
    state = fields.String()
