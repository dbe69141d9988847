"""What-if: a unit's latest surveys classified under another standard, as JSON, xlsx or CSV."""

from __future__ import annotations

from caseflow.api.auth import actor
from caseflow.api.base import Blueprint
from caseflow.schemas.whatif import WhatIfArgs, WhatIfSchema
from caseflow.services import whatif
from caseflow.sheet_response import sheet_response

blp = Blueprint("whatif_api", __name__, description="What-if under another poverty standard")


@blp.route("/reports/what-if", methods=["GET"])
@blp.arguments(WhatIfArgs, location="query")
@blp.response(200, WhatIfSchema)
def what_if(args):
    """The latest surveys classified under another standard; unknown indicators give a range.

    With format=xlsx or csv: the households whose class would change, as a file.
    """
    if args["format"] != "json":
        sheets = whatif.what_if_sheets(actor(), args["unit"], args["standard"])
        return sheet_response(sheets, args["format"], f"what-if-{args['unit']}-{args['standard']}")
    return whatif.what_if(actor(), args["unit"], args["standard"], args["limit"])
