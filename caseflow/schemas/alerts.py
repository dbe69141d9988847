"""Alerts and monitoring visits."""

from __future__ import annotations

from marshmallow import Schema, fields

from caseflow.schemas.common import Choice, Day, Flag, StrictArgs, Text
from caseflow.schemas.lists import KeysetPageArgs, keyset_page_of

ALERT_STATUSES = ("open", "acknowledged", "closed", "all")


class AlertQueryArgs(KeysetPageArgs):
    status = Choice(ALERT_STATUSES, load_default="open")


class AlertSchema(Schema):
    id = fields.Integer()
    #: reminder, overdue, escalation, failure or hardship
    kind = fields.String()
    household_id = fields.Integer(allow_none=True)
    #: the household's head and code, to tell alerts with the same message apart
    household_name = fields.Function(lambda a: a.household.head_name if a.household else None)
    household_code = fields.Function(lambda a: a.household.code if a.household else None)
    deadline_id = fields.Integer(allow_none=True)
    message = fields.String()
    message_en = fields.String(allow_none=True)
    due_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()
    status = fields.String()
    acked_by = fields.String(allow_none=True)
    acked_at = fields.DateTime(allow_none=True)


AlertPageSchema = keyset_page_of(AlertSchema, "AlertPage")


class VisitArgs(StrictArgs):
    visited_on = Day(required=True)
    notes = Text(4000, allow_none=True)
    hardship = Flag(load_default=False)


class VisitSchema(Schema):
    id = fields.Integer()
    household_id = fields.Integer()
    visited_on = fields.Date()
    notes = fields.String(allow_none=True)
    hardship = fields.Boolean()
    recorded_by = fields.String()
    recorded_at = fields.DateTime()
    #: when the next visit is due (only in the answer to recording one)
    next_due_at = fields.DateTime(allow_none=True)
