"""The reports beside the summary, and a unit's yearly figures (API.md, "Reports")."""

from __future__ import annotations

from marshmallow import Schema, fields

from caseflow.i18n import render
from caseflow.schemas.common import Choice, Day, Figure, StrictArgs, Text, Whole
from caseflow.services.unit_years import FIRST_YEAR, LAST_YEAR

FORMATS = ("json", "xlsx", "csv")


class ReportArgs(StrictArgs):
    unit = Text(32, required=True)
    as_of = Day(load_default=None)
    format = Choice(FORMATS, load_default="json")


class OverdueArgs(StrictArgs):
    unit = Text(32, required=True)
    format = Choice(FORMATS, load_default="json")


class FlowArgs(StrictArgs):
    unit = Text(32, required=True)
    start = Day(data_key="from", load_default=None)
    end = Day(data_key="to", load_default=None)
    format = Choice(FORMATS, load_default="json")


class PopulationArgs(StrictArgs):
    year = Whole(FIRST_YEAR, LAST_YEAR, required=True)
    households = Whole(required=True)


class TargetArgs(StrictArgs):
    year = Whole(FIRST_YEAR, LAST_YEAR, required=True)
    target_points = Figure(-100, 100, required=True)


class FiguresForm(StrictArgs):
    """The page's form: a year, and the population count or the target or both."""

    year = Whole(FIRST_YEAR, LAST_YEAR, required=True)
    households = Whole(load_default=None)
    target_points = Figure(-100, 100, load_default=None)


class WarningSchema(Schema):
    code = fields.String()
    unit_code = fields.String()
    message = fields.Function(lambda w: render(w["message"]))


class UnitRowSchema(Schema):
    unit_code = fields.String()
    name = fields.String()
    households = fields.Integer()
    population = fields.Integer(allow_none=True)
    poor = fields.Integer()
    near_poor = fields.Integer()
    poverty_rate = fields.Float()
    near_poverty_rate = fields.Float()
    rate_basis = fields.String()


class UnitsReportSchema(Schema):
    unit = fields.String()
    as_of = fields.Date()
    rows = fields.List(fields.Nested(UnitRowSchema))
    total = fields.Nested(UnitRowSchema)
    warnings = fields.List(fields.Nested(WarningSchema))


class ClassCountsSchema(Schema):
    poor = fields.Integer()
    near_poor = fields.Integer()


class FlowsReportSchema(Schema):
    unit = fields.String()
    start = fields.Date(data_key="from", attribute="from")
    end = fields.Date(data_key="to", attribute="to")
    rate_from = fields.Float()
    rate_to = fields.Float()
    change_points = fields.Float()
    target_points = fields.Float()
    met = fields.Boolean()
    entered = fields.Nested(ClassCountsSchema)
    exited = fields.Nested(ClassCountsSchema)
    relapsed = fields.Integer()
    graduated = fields.Integer()
    warnings = fields.List(fields.Nested(WarningSchema))


class DeprivationsReportSchema(Schema):
    unit = fields.String()
    as_of = fields.Date()
    households = fields.Integer()
    by_indicator = fields.Dict(keys=fields.String(), values=fields.Integer())
    by_dimension = fields.Dict(keys=fields.String(), values=fields.Integer())
    warnings = fields.List(fields.Nested(WarningSchema))


class CoverageRowSchema(Schema):
    dimension = fields.String()
    deprived = fields.Integer()
    supported = fields.Integer()
    share = fields.Float()


class CreditSchema(Schema):
    households = fields.Integer()
    share = fields.Float()


class CoverageReportSchema(Schema):
    unit = fields.String()
    as_of = fields.Date()
    households = fields.Integer()
    by_dimension = fields.List(fields.Nested(CoverageRowSchema))
    credit = fields.Nested(CreditSchema)
    warnings = fields.List(fields.Nested(WarningSchema))


class OverdueRowSchema(Schema):
    unit_code = fields.String()
    name = fields.String()
    overdue = fields.Integer()


class OverdueReportSchema(Schema):
    unit = fields.String()
    as_of = fields.Date()
    rows = fields.List(fields.Nested(OverdueRowSchema))
    total = fields.Nested(OverdueRowSchema)


class PopulationSchema(Schema):
    unit_code = fields.String()
    year = fields.Integer()
    households = fields.Integer()
    warnings = fields.List(fields.Nested(WarningSchema))


class TargetSchema(Schema):
    unit_code = fields.String()
    year = fields.Integer()
    target_points = fields.Float()
