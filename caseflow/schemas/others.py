"""Units, auth, support, reports and workflows."""

from __future__ import annotations

from marshmallow import Schema, fields

from caseflow.domain.errors import N_
from caseflow.schemas.common import Choice, Code, Day, StrictArgs, Text

LEVELS = ("province", "district", "commune", "ward", "township", "village")


class UnitArgs(StrictArgs):
    code = Code(
        r"[A-Za-z0-9_.-]{1,32}",
        N_("A unit code has 1 to 32 letters, digits, '.', '_' or '-'."),
        required=True,
    )
    name = Text(200, required=True)
    level = Choice(LEVELS, required=True)
    parent_code = Text(32, allow_none=True)
    area = Choice(("rural", "urban"), allow_none=True)


class UnitSchema(Schema):
    code = fields.String()
    name = fields.String()
    level = fields.String()
    parent_code = fields.Function(lambda u: u.parent.code if u.parent else None)
    area = fields.String(allow_none=True)


class TokenArgs(StrictArgs):
    username = Text(80, required=True)
    password = fields.String(required=True, validate=lambda p: len(p) <= 200)


class TokenSchema(Schema):
    token = fields.String()


class ProgramSchema(Schema):
    code = fields.String()
    name = fields.Function(lambda p: p.name_vi)
    name_en = fields.String()
    dimensions = fields.List(fields.String())
    eligible_classes = fields.List(fields.String())


class SupportArgs(StrictArgs):
    program = Text(40, required=True)
    note = Text(allow_none=True)


class SupportSchema(Schema):
    id = fields.Integer()
    household_id = fields.Integer()
    program = fields.String(attribute="program_code")
    note = fields.String(allow_none=True)
    state = fields.String()
    created_by = fields.String()
    created_at = fields.DateTime()


class SummaryArgs(StrictArgs):
    unit = Text(32, required=True)
    as_of = Day(load_default=None)


class SummarySchema(Schema):
    unit = fields.String()
    as_of = fields.Date()
    households = fields.Integer()
    by_class = fields.Dict(keys=fields.String(), values=fields.Integer())
    by_state = fields.Dict(keys=fields.String(), values=fields.Integer())
    poverty_rate = fields.Float()
    near_poverty_rate = fields.Float()
    rate_basis = fields.String()


class WorkflowSchema(Schema):
    name = fields.String()
    version = fields.Integer()
    states = fields.Function(
        lambda w: [
            {
                "name": s.name,
                "terminal": s.terminal,
                "label": s.label_vi,
                "timers": [t.key for t in s.timers],
            }
            for s in w.states.values()
        ]
    )
    transitions = fields.Function(
        lambda w: [
            {
                "trigger": t.trigger,
                "source": list(t.sources),
                "dest": t.dest,
                "roles": list(t.roles),
                "approval": t.approval,
                "automatic": t.automatic,
                "conditions": [c.name for c in t.conditions],
                "fields": [f.name for f in t.fields],
            }
            for t in w.transitions
        ]
    )


def _lang() -> str:
    from caseflow.i18n import lang

    return lang()


class IndicatorSchema(Schema):
    key = fields.String()
    dimension = fields.String()
    label = fields.Function(lambda i: i.name(_lang()))
    deprived_when = fields.Function(
        lambda i: i.deprived_when_en if _lang() == "en" else i.deprived_when_vi
    )


class StandardSchema(Schema):
    """A poverty standard as its file holds it; `unconfirmed` lists the values that are
    estimates (paths such as areas.rural.middle_line or indicators.telecom.name)."""

    code = fields.String()
    name = fields.String()
    decree = fields.String()
    effective_from = fields.Date()
    effective_to = fields.Date(allow_none=True)
    poor_min_deprivations = fields.Integer()
    income_lines = fields.Function(lambda s: {a: lines.income_line for a, lines in s.areas.items()})
    middle_lines = fields.Function(lambda s: {a: lines.middle_line for a, lines in s.areas.items()})
    score_lines = fields.Function(
        lambda s: {a: lines.income_line_score for a, lines in s.areas.items()}
    )
    dimensions = fields.Function(
        lambda s: [
            {"key": d.key, "label": d.name_en if _lang() == "en" else d.name_vi}
            for d in s.dimensions
        ]
    )
    indicators = fields.List(fields.Nested(IndicatorSchema))
    unconfirmed = fields.List(fields.String())
