"""The quick load of typed input (schemas/common.quick_load) follows the schemas themselves.

An import loads several rows a household with the API's schemas; `quick_load` runs each
field's own rules without most of marshmallow's machinery. It must accept exactly what the
schema accepts, with the same values, and leave every refusal to the schema (which names
them all): checked here on generated bodies for every input schema.
"""

from __future__ import annotations

import importlib
import pkgutil
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from marshmallow import Schema, ValidationError, fields

import caseflow.schemas
from caseflow.schemas.common import (
    Choice,
    Code,
    Day,
    Flag,
    StrictArgs,
    Text,
    Whole,
    _without_blanks,
    quick_load,
    typed_input,
)
from caseflow.schemas.households import AssessmentArgs, HouseholdArgs, MemberArgs


def _input_schemas() -> list[type[Schema]]:
    for module in pkgutil.iter_modules(caseflow.schemas.__path__):
        importlib.import_module(f"caseflow.schemas.{module.name}")
    found, todo = [], [StrictArgs]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        found.append(cls)
    return sorted(set(found), key=lambda c: (c.__module__, c.__qualname__))


SCHEMAS = _input_schemas()

TYPED = st.sampled_from(
    [
        "",
        "  ",
        "x",
        "có",
        "0",
        "1",
        "abc",
        "1.500.000",
        "1,5",
        "-3",
        "05/09/2020",
        "31/02/2026",
        "2020-09-05",
        "01/01/2100",
        "0912 345 678",
        "036080000123",
        "male",
        "female",
        "rural",
        "urban",
        "poor",
        "Nguyễn Văn A",
        "a\x00b",
        "\ud800",
        "true",
    ]
)
VALUES = st.one_of(
    TYPED,
    st.text(max_size=30),
    st.text(min_size=190, max_size=320, alphabet="ab "),
    st.none(),
    st.booleans(),
    st.integers(min_value=-5, max_value=10**16),
    st.dates(min_value=date(1890, 1, 1), max_value=date(2100, 1, 1)),
    st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.sampled_from(["water", "housing", "x"]), st.booleans(), max_size=3),
)


def _values_of(field) -> st.SearchStrategy:
    """Values a field is likely to accept, its edges, and anything at all."""
    if isinstance(field, Choice):
        typed = st.sampled_from(field.choices)
    elif isinstance(field, Code):
        typed = st.from_regex(field.pattern, fullmatch=True)
    elif isinstance(field, Text):
        clean = st.characters(categories=["L", "N", "Zs"])
        typed = st.text(clean, min_size=1, max_size=field.longest + 2) | st.just(
            "a" * field.longest
        )
    elif isinstance(field, Day):
        days = st.dates(min_value=date(1890, 1, 1), max_value=date(2100, 1, 1))
        typed = days | days.map(lambda d: d.strftime("%d/%m/%Y"))
    elif isinstance(field, Whole):
        whole = st.integers(min_value=(field.low or 0) - 1, max_value=10**13)
        typed = whole | whole.map(lambda n: f"{n:,}".replace(",", "."))
    elif isinstance(field, Flag):
        typed = st.booleans() | st.sampled_from(["x", "có", "0", "1", ""])
    elif isinstance(field, fields.Dict):
        typed = st.dictionaries(st.sampled_from(["water", "housing", "health", ""]), st.booleans())
    elif isinstance(field, fields.List) and isinstance(field.inner, fields.Nested):
        typed = st.lists(_bodies(field.inner.schema), max_size=2)
    elif isinstance(field, fields.List):
        typed = st.lists(_values_of(field.inner), max_size=3)
    else:
        typed = VALUES
    # one junk value in twelve (one_of would weigh each of VALUES's branches as much as typed)
    return st.integers(0, 11).flatmap(lambda i: VALUES if i == 0 else typed)


@st.composite
def _bodies(draw, schema: Schema) -> dict:
    body = {}
    for name, field in schema.load_fields.items():
        if draw(st.integers(0, 9)) < (9 if field.required else 5):
            body[field.data_key or name] = draw(_values_of(field))
    if draw(st.integers(0, 19)) == 0:
        body["unknown_field"] = draw(VALUES)
    return body


def _schema_load(schema: Schema, body: dict):
    with typed_input():
        try:
            return schema.load(_without_blanks(body))
        except ValidationError:
            return None


def _quick(schema: Schema, body: dict):
    with typed_input():
        return quick_load(schema, _without_blanks(body))


@pytest.mark.parametrize("cls", SCHEMAS, ids=lambda c: c.__qualname__)
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_quick_load_accepts_what_the_schema_accepts_with_the_same_values(cls, data) -> None:
    schema = cls()
    body = data.draw(_bodies(schema))
    quick = _quick(schema, body)
    loaded = _schema_load(schema, body)
    if quick is not None:  # the quick load never accepts what the schema refuses
        assert quick == loaded
    elif cls in (HouseholdArgs, MemberArgs, AssessmentArgs):  # an import's rows
        assert loaded is None, "an accepted row should take the quick load"
    # a refusal is always the schema's own: quick_load returned None, and load_typed loads


GOOD_ROWS = [
    (
        HouseholdArgs,
        {"head_name": "Nguyễn Văn A", "unit_code": "C", "village": "Thôn 1", "area": "rural"},
    ),
    (HouseholdArgs, {"head_name": "B", "unit_code": "C", "national_id": "036080000123"}),
    (MemberArgs, {"full_name": "Lê Thị C", "birth_date": date(1980, 5, 1), "sex": "female"}),
    (MemberArgs, {"full_name": "D", "birth_date": "05/09/2020", "disability": True}),
    (
        AssessmentArgs,
        {
            "surveyed_on": date(2026, 10, 1),
            "deprivations": {"water": True, "housing": False},
            "income_per_capita_month": "1.500.000",
        },
    ),
]


@pytest.mark.parametrize(("cls", "body"), GOOD_ROWS)
def test_the_common_rows_of_an_import_take_the_quick_load(cls, body) -> None:
    schema = cls()
    quick = _quick(schema, body)
    assert quick is not None
    assert quick == _schema_load(schema, body)


@pytest.mark.parametrize(
    ("cls", "body"),
    [
        (HouseholdArgs, {"head_name": "A", "unit_code": "C", "colour": "red"}),
        (HouseholdArgs, {"head_name": "A" * 201, "unit_code": "C"}),
        (MemberArgs, {"full_name": "A", "birth_date": "31/02/2026"}),
        (AssessmentArgs, {"surveyed_on": date(2026, 10, 1), "deprivations": {}}),
        (AssessmentArgs, {"surveyed_on": "x", "deprivations": {}, "income_score": "abc"}),
    ],
)
def test_a_refused_row_is_left_to_the_schema_which_names_every_field(cls, body) -> None:
    assert _quick(cls(), body) is None
    assert _schema_load(cls(), body) is None
