"""What-if: the latest surveys of a unit classified under another standard."""

from __future__ import annotations

from marshmallow import Schema, fields

from caseflow.schemas.common import Choice, StrictArgs, Text, Whole
from caseflow.schemas.reports import WarningSchema
from caseflow.services.whatif import CHANGES_SHOWN

#: the most changes one JSON answer lists; the xlsx and CSV files list them all
MOST_SHOWN = 10_000


class WhatIfArgs(StrictArgs):
    unit = Text(32, required=True)
    standard = Text(40, required=True)
    format = Choice(("json", "xlsx", "csv"), load_default="json")
    #: how many of the changes to list (changes_total counts them all)
    limit = Whole(0, MOST_SHOWN, text=True, load_default=CHANGES_SHOWN)


class RangeSchema(Schema):
    min = fields.Integer()
    max = fields.Integer()


class ChangeSchema(Schema):
    household_id = fields.Integer()
    household_code = fields.String(allow_none=True)
    head_name = fields.String()
    unit_code = fields.String()
    from_ = fields.String(data_key="from", attribute="from")
    to = fields.String()
    to_if_unknown_deprived = fields.String()
    certain = fields.Boolean()
    unknown = fields.List(fields.String())


class WhatIfSchema(Schema):
    unit = fields.String()
    standard = fields.String()
    standard_name = fields.String()
    households = fields.Integer()
    current = fields.Dict(keys=fields.String(), values=fields.Integer())
    under = fields.Dict(keys=fields.String(), values=fields.Nested(RangeSchema))
    uncertain = fields.Integer()
    unknown_indicators = fields.Dict(keys=fields.String(), values=fields.Integer())
    changes_total = fields.Integer()
    unconfirmed = fields.List(fields.String())
    changes = fields.List(fields.Nested(ChangeSchema))
    #: whatif_not_built: the classes were worked out again from every survey (slow)
    warnings = fields.List(fields.Nested(WarningSchema))
