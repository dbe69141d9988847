"""Units, auth, support, reports and workflows."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from caseflow.schemas.common import StrictArgs, not_future

LEVELS = ("province", "district", "commune", "ward", "township", "village")


class UnitArgs(StrictArgs):
    code = fields.String(required=True, validate=validate.Regexp(r"^[A-Za-z0-9_.-]{1,32}$"))
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    level = fields.String(required=True, validate=validate.OneOf(LEVELS))
    parent_code = fields.String(allow_none=True)
    area = fields.String(allow_none=True, validate=validate.OneOf(("rural", "urban")))


class UnitSchema(Schema):
    code = fields.String()
    name = fields.String()
    level = fields.String()
    parent_code = fields.Function(lambda u: u.parent.code if u.parent else None)
    area = fields.String(allow_none=True)


class TokenArgs(StrictArgs):
    username = fields.String(required=True)
    password = fields.String(required=True)


class TokenSchema(Schema):
    token = fields.String()


class ProgramSchema(Schema):
    code = fields.String()
    name = fields.Function(lambda p: p.name_vi)
    name_en = fields.String()
    dimensions = fields.List(fields.String())
    eligible_classes = fields.List(fields.String())


class SupportArgs(StrictArgs):
    program = fields.String(required=True)
    note = fields.String(allow_none=True, validate=validate.Length(max=2000))


class SupportSchema(Schema):
    id = fields.Integer()
    household_id = fields.Integer()
    program = fields.String(attribute="program_code")
    note = fields.String(allow_none=True)
    state = fields.String()
    created_by = fields.String()
    created_at = fields.DateTime()


class SummaryArgs(StrictArgs):
    unit = fields.String(required=True)
    as_of = fields.Date(load_default=None, validate=not_future)


class SummarySchema(Schema):
    unit = fields.String()
    as_of = fields.Date()
    households = fields.Integer()
    by_class = fields.Dict(keys=fields.String(), values=fields.Integer())
    by_state = fields.Dict(keys=fields.String(), values=fields.Integer())
    poverty_rate = fields.Float()
    near_poverty_rate = fields.Float()


class WorkflowSchema(Schema):
    name = fields.String()
    version = fields.Integer()
    states = fields.Function(lambda w: [
        {"name": s.name, "terminal": s.terminal, "label": s.label_vi,
         "timers": [t.key for t in s.timers]} for s in w.states.values()])
    transitions = fields.Function(lambda w: [
        {"trigger": t.trigger, "source": list(t.sources), "dest": t.dest, "roles": list(t.roles),
         "approval": t.approval, "automatic": t.automatic,
         "conditions": [c.name for c in t.conditions], "fields": [f.name for f in t.fields]}
        for t in w.transitions])
