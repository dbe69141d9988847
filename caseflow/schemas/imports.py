"""Imports: the form of an upload and the report of what it did (API.md, ImportReport)."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields

from caseflow.domain.errors import N_, InvalidInput, Msg
from caseflow.i18n import render
from caseflow.schemas.common import Choice, Flag, StrictArgs, Text
from caseflow.schemas.households import HouseholdQueryArgs


class ImportArgs(Schema):
    class Meta:
        unknown = EXCLUDE  # the file itself is a part of the same form

    unit_code = Text(32, required=True)
    dry_run = Flag(text=True, load_default=True)


def no_file():
    raise InvalidInput(
        N_("Send the file to import."),
        fields={"file": [Msg(N_("Missing data for required field."))]},
    )


class RowErrorSchema(Schema):
    sheet = fields.String()
    row = fields.Integer()
    column = fields.String()
    message = fields.Function(lambda e: render(e.message))


class DuplicateSchema(Schema):
    sheet = fields.String()
    row = fields.Integer()
    household_id = fields.Integer()
    by = fields.String()


class ImportReportSchema(Schema):
    dry_run = fields.Boolean()
    rows = fields.Integer()
    created = fields.Integer()
    updated = fields.Integer()
    unchanged = fields.Integer()
    members = fields.Integer()
    assessments = fields.Integer()
    duplicates = fields.List(fields.Nested(DuplicateSchema))
    errors = fields.List(fields.Nested(RowErrorSchema))


class HouseholdExportArgs(HouseholdQueryArgs):
    format = Choice(("xlsx", "csv"), load_default="xlsx")


class ExportArgs(StrictArgs):
    unit = Text(32, required=True)
    format = Choice(("xlsx", "csv"), load_default="xlsx")
