"""Reports that go up: a unit's list with due days, and one report's document."""

from __future__ import annotations

from marshmallow import Schema, fields

from caseflow.schemas.common import Choice, StrictArgs, Text, Whole
from caseflow.services.unit_years import FIRST_YEAR, LAST_YEAR


class ReportsUpArgs(StrictArgs):
    unit = Text(32, required=True)
    year = Whole(FIRST_YEAR, LAST_YEAR, text=True, load_default=None)


class ReportUpArgs(ReportsUpArgs):
    month = Whole(1, 12, text=True, load_default=None)
    format = Choice(("html", "xlsx"), load_default="html")


class ReportUpRowSchema(Schema):
    key = fields.String()
    name = fields.String()
    name_en = fields.String()
    year = fields.Integer()
    month = fields.Integer(allow_none=True)
    start = fields.Date(data_key="from", attribute="from")
    end = fields.Date(data_key="to", attribute="to")
    due_on = fields.Date()
    remind_at = fields.DateTime()
    overdue_at = fields.DateTime()
    receiver = fields.String()
    #: upcoming (before its reminder), due (up to its last day), past
    status = fields.String()
    printable = fields.Boolean()


class ReportsUpSchema(Schema):
    unit = fields.String()
    name = fields.String()
    year = fields.Integer()
    reports = fields.List(fields.Nested(ReportUpRowSchema))
