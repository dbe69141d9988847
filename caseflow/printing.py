"""A round's documents as the caller asked for them: A4 HTML to print, or an xlsx file.

Both the JSON API and the pages answer documents this way; the HTML is always Vietnamese (the
forms of Decision 24/2021), whichever language the reader's screen is in.
"""

from __future__ import annotations

from flask import Response, render_template, send_file
from flask_babel import force_locale

from caseflow.services.round_documents import CLASS_NAMES, Document
from caseflow.services.spreadsheets import XLSX_TYPE, xlsx


def document_response(document: Document, fmt: str = "html") -> Response:
    """Return the document as HTML (to print from the browser) or as an xlsx download."""
    if fmt == "xlsx":
        return send_file(
            xlsx(document.sheets()),
            mimetype=XLSX_TYPE,
            as_attachment=True,
            download_name=f"{document.filename}.xlsx",
        )
    with force_locale("vi"):
        page = render_template(
            document.template, document=document, class_names=CLASS_NAMES, **document.context
        )
    return Response(page, mimetype="text/html")
