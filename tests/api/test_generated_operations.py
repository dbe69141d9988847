"""Every operation of the OpenAPI document, sent what schemathesis generates from it (bounded):
never a 5xx, an answer that the document describes (status, content type, body), and nothing
written when the request is refused."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from caseflow import create_app
from tests.rows import rows_written

#: examples per operation: enough to reach every field's edges, few enough for every commit
EXAMPLES = 25
#: what every answer must hold (the positive-data check would count a 422 for an unknown unit
#: code, which no schema can know of, as a failure)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
#: the document does not change with the database: read once, at collection
_DOCUMENT_APP = create_app(
    {"TESTING": True, "SECRET_KEY": "collect", "SQLALCHEMY_DATABASE_URI": "sqlite:///:memory:"}
)
OPERATIONS = {
    result.ok().label: result.ok()
    for result in schemathesis.openapi.from_wsgi(
        "/api/v1/openapi.json", _DOCUMENT_APP
    ).get_all_operations()
}


@pytest.mark.parametrize("label", sorted(OPERATIONS))
@settings(
    max_examples=EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)
@given(data=st.data())
def test_no_operation_answers_500_or_writes_on_a_refusal(clean, world, label, data) -> None:
    case = data.draw(OPERATIONS[label].as_strategy())
    headers = {**(case.headers or {}), "Authorization": f"Bearer {world.tokens['worker']}"}
    with rows_written(clean) as written:
        response = case.call(app=clean, headers=headers)
        changed = written()
    case.validate_response(response, checks=CHECKS)
    assert response.status_code < 500, (label, case.body, response.text[:300])
    if response.status_code >= 400:
        assert changed == {}, (label, response.status_code)
