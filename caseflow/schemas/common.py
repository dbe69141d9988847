"""The input rules of every body, query and page form: strict schemas and checked fields.

The API reads JSON (ISO dates, integers); the pages read what people type (dd/mm/yyyy,
1.500.000). Both load the same *Args schemas: `typed_input()` switches the fields to read
typed text, and the rules (caseflow.domain.inputs) are the same either way. Every refusal is a
`Msg`, so that it reaches the reader in their language.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from itertools import chain

from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields, missing, pre_load
from marshmallow.decorators import POST_LOAD, PRE_LOAD, VALIDATES, VALIDATES_SCHEMA

from caseflow import clock
from caseflow.domain import inputs
from caseflow.domain.errors import N_, InvalidInput, Msg
from caseflow.domain.inputs import MAX_INT, Refused, bad_text

#: pages beyond this are refused rather than turned into an offset the database cannot hold
MAX_PAGE = 100_000
MAX_PER_PAGE = 500
#: marshmallow's own messages, translated by the catalog where they are shown
MARSHMALLOW_MESSAGES = (
    N_("Missing data for required field."),
    N_("Unknown field."),
    N_("Field may not be null."),
    N_("Invalid input type."),
    N_("Not a valid list."),
    N_("Not a valid mapping type."),
    N_("Invalid value."),
    N_("Not a valid string."),
    N_("Not a valid integer."),
    N_("Not a valid boolean."),
    N_("Invalid JSON body."),
)

QUERY_BOOLEANS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}

#: the classes of values that are neither text nor hold any: passed over at once (abc's
#: isinstance of Mapping is slow on what is not one)
_SCALARS = frozenset({type(None), bool, int, float, date, datetime})
_LEAVES = _SCALARS | {str}

_typed: ContextVar[bool] = ContextVar("typed_input", default=False)


@contextmanager
def typed_input() -> Iterator[None]:
    """Read fields as people type them on pages and in spreadsheets, inside the block."""
    token = _typed.set(True)
    try:
        yield
    finally:
        _typed.reset(token)


def is_typed() -> bool:
    return _typed.get()


def load_typed(schema: Schema, data: Mapping) -> dict:
    """Load typed input (a page's form, a spreadsheet's row) with `schema`; refuse with the
    fields' reasons. A clean body is loaded field by field (`quick_load`), anything else by
    the schema itself, which names every refusal."""
    with typed_input():
        given = _without_blanks(data)
        loaded = quick_load(schema, given)
        if loaded is not None:
            return loaded
        try:
            return schema.load(given)
        except ValidationError as error:
            raise InvalidInput(
                N_("Some fields are missing or wrong."), fields=error.messages
            ) from error


#: the only pre-load hook `quick_load` knows to run: StrictArgs's
_QUICK_PRE_LOAD = [("refuse_bad_text", False)]
#: how `quick_load` reads a field: by its own deserialize, or, for our fields (which hold
#: no hooks of their own), by their checks alone; a Dict of our fields, key by key
_ANY, _OURS, _DICT_OF_OURS = range(3)


def quick_load(schema: Schema, data: object) -> dict | None:
    """Load `data` as `schema.load` would when it is accepted, or return None (refused, or
    a schema this does not follow): then `schema.load` runs and names every refusal.

    The same rules, run with less of marshmallow's machinery: each field's own checks
    (required, defaults, None, the field's `_deserialize` and validators), then the schema's
    `validates_schema` hooks. An import checks several rows a household, and marshmallow's
    error store and per-field closures were a third of its time.
    tests/unit/test_quick_load.py holds the two to the same results on generated bodies."""
    plan = _plan(schema)
    if plan is None or not isinstance(data, Mapping):
        return None
    keys, fields_of, bad_text_refused, validators = plan
    if schema.unknown != EXCLUDE and not keys >= data.keys():
        return None  # an unknown field: refused (RAISE) or kept (INCLUDE) by the schema
    if bad_text_refused and _holds_bad_text(data):
        return None
    loaded = {}
    try:
        for key, attribute, field, how in fields_of:
            value = data.get(key, missing)
            if how == _ANY:
                value = field.deserialize(value, key, data)
            elif value is missing:  # what Field.deserialize does
                if field.required:
                    return None
                value = field.load_default() if callable(field.load_default) else field.load_default
            elif value is None:
                if not field.allow_none:
                    return None
            elif how == _OURS:
                value = field._deserialize(value, key, data)
                field._validate(value)
            else:
                value = _dict_of_ours(field, value)
            if value is not missing:
                loaded[attribute] = value
        for validator in validators:
            getattr(schema, validator)(loaded, partial=None, many=False, unknown=schema.unknown)
    except ValidationError:
        return None
    return loaded


def _plan(schema: Schema) -> tuple | None:
    """How `quick_load` reads `schema`'s fields, made once a schema; None: by schema.load."""
    try:
        return schema._quick_plan
    except AttributeError:
        pass
    hooks = schema._hooks  # marshmallow's resolved decorators, per class
    plan = None
    if not (
        schema.many
        or schema.partial
        or hooks[VALIDATES]
        or hooks[POST_LOAD]
        or [(name, many) for name, many, _ in hooks[PRE_LOAD]] not in ([], _QUICK_PRE_LOAD)
        or any(many or kw.get("pass_original") for _, many, kw in hooks[VALIDATES_SCHEMA])
    ):
        fields_of = [
            (field.data_key or name, field.attribute or name, field, _how(field))
            for name, field in schema.load_fields.items()
        ]
        validators = [name for name, _, _ in hooks[VALIDATES_SCHEMA]]
        plan = ({key for key, *_ in fields_of}, fields_of, bool(hooks[PRE_LOAD]), validators)
    schema._quick_plan = plan
    return plan


def _how(field) -> int:
    def ours(f) -> bool:
        return f is None or (f.__class__ in _OUR_FIELDS and not f.pre_load and not f.post_load)

    if field.pre_load or field.post_load:
        return _ANY
    if field.__class__ in _OUR_FIELDS:
        return _OURS
    if field.__class__ is fields.Dict and ours(field.key_field) and ours(field.value_field):
        return _DICT_OF_OURS
    return _ANY


def _dict_of_ours(field: fields.Dict, value: object) -> dict:
    """What fields.Dict's deserialize gives, each key and value read by our fields' checks."""
    if not isinstance(value, Mapping):
        raise ValidationError("not a mapping")
    keys, values, result = field.key_field, field.value_field, {}
    for key, item in value.items():
        if keys is not None:
            if key is None:
                raise ValidationError("null")
            key = keys._deserialize(key, None, None)
            keys._validate(key)
        if values is not None:
            if item is None:
                raise ValidationError("null")
            item = values._deserialize(item, None, None)
            values._validate(item)
        result[key] = item
    field._validate(result)
    return result


def _without_blanks(data: object) -> object:
    """An empty box of a form sends "": that is a value not given."""
    if isinstance(data, Mapping):
        return {
            k: v if v.__class__ in _LEAVES else _without_blanks(v)
            for k, v in data.items()
            if not (isinstance(v, str) and not v.strip())
        }
    if isinstance(data, list):
        return [_without_blanks(v) for v in data]
    return data


class StrictArgs(Schema):
    """Input: unknown fields are refused, naming them; so is text no field may hold."""

    class Meta:
        unknown = RAISE

    @pre_load
    def refuse_bad_text(self, data, **kwargs):
        # PostgreSQL stores neither NUL nor lone surrogates: name the field instead of failing
        if isinstance(data, Mapping) and _holds_bad_text(data):  # one pass over a clean body
            bad = sorted(str(k) for k, v in data.items() if _holds_bad_text(k, v))
            if bad:
                raise ValidationError(
                    {
                        name: [Msg(N_("Must not contain control or broken characters."))]
                        for name in bad
                    }
                )
        return data


def _holds_bad_text(*values: object) -> bool:
    """Walk nested values without recursion (a body may be nested deep); test their texts
    at once (NUL and surrogates are bad wherever they are, so joined texts hold one if any
    text does)."""
    if len(values) == 1 and values[0].__class__ is dict:  # a flat body, most often
        flat = values[0]
        kinds = {value.__class__ for value in chain(flat, flat.values())}
        if kinds <= _LEAVES:
            return bad_text(
                "\n".join([v for v in chain(flat, flat.values()) if v.__class__ is str])
            )
    todo, texts = list(values), []
    while todo:
        value = todo.pop()
        if value.__class__ in _SCALARS:
            continue
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, Mapping):
            todo.extend(value.keys())
            todo.extend(value.values())
        elif isinstance(value, list | tuple):
            todo.extend(value)
    return bad_text("\n".join(texts))


def _documented(kwargs: dict, **schema) -> dict:
    """Put a field's bounds in the OpenAPI document too, so that clients see the rules."""
    metadata = {**schema, **kwargs.get("metadata", {})}
    return {**kwargs, "metadata": metadata}


def _refusing(function, *args, **kwargs):
    try:
        return function(*args, **kwargs)
    except Refused as refusal:
        raise ValidationError(refusal.message) from None


class _Field:
    """Our fields check their values in `_deserialize`; marshmallow's `validate=` runs only
    when a field has some (marshmallow combines them anew for each value it checks)."""

    def _validate(self, value) -> None:
        if self.validators:
            super()._validate(value)


class Text(_Field, fields.String):
    """Text of bounded length, stripped; blank optional text is None, blank required refused."""

    def __init__(self, longest: int = inputs.MAX_TEXT, **kwargs):
        super().__init__(**_documented(kwargs, maxLength=longest))
        self.longest = longest

    def _deserialize(self, value, attr, data, **kwargs):
        text = _refusing(inputs.check_text, value, self.longest, blank=True)
        if not text:
            if self.required:
                raise ValidationError(Msg(N_("Must not be blank.")))
            return None
        return text


class Code(Text):
    """Text that must match a pattern (a phone number, a national ID, a unit code)."""

    def __init__(self, pattern: str, message: str, longest: int = 60, **kwargs):
        super().__init__(longest, **_documented(kwargs, pattern=f"^{pattern}$"))
        self.pattern, self.message = re.compile(pattern), message

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if text is not None and not self.pattern.fullmatch(text):
            raise ValidationError(Msg(self.message))
        return text


class Day(_Field, fields.Date):
    """A date that happened: ISO in JSON, dd/mm/yyyy typed; from 1900, not in the future."""

    def __init__(self, future: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.future = future

    def _deserialize(self, value, attr, data, **kwargs):
        reader = inputs.read_typed_date if is_typed() else inputs.read_iso_date
        day = _refusing(reader, value)
        return _refusing(inputs.check_date, day, clock.today(), future=self.future)


class Whole(_Field, fields.Integer):
    """A whole number within bounds: an integer in JSON (not 6.5, not "6"), 1.500.000 typed;
    `text`: read from a query string, where every value is text ("50")."""

    def __init__(
        self, low: int | None = None, high: int | None = MAX_INT, *, text: bool = False, **kwargs
    ):
        bounds = {"minimum": -MAX_INT if low is None else low, "maximum": high}
        super().__init__(strict=True, **_documented(kwargs, **bounds))
        self.low, self.high, self.text = low, high, text

    def _deserialize(self, value, attr, data, **kwargs):
        if is_typed():
            value = _refusing(inputs.read_typed_amount, value)
        elif (
            self.text
            and isinstance(value, str)
            and value.isascii()
            and value.isdigit()
            and len(value) <= inputs.MAX_DIGITS
        ):
            value = int(value)
        elif isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(Msg(N_("Not a valid whole number.")))
        return _refusing(inputs.check_number, value, self.low, self.high, whole=True)


class Figure(_Field, fields.Field):
    """A number with decimals within bounds: 66.7 in JSON, "66,7" typed."""

    def __init__(self, low: float, high: float, **kwargs):
        super().__init__(**kwargs)
        self.low, self.high = low, high

    def _deserialize(self, value, attr, data, **kwargs):
        if is_typed():
            value = _refusing(inputs.read_typed_number, value)
        return _refusing(inputs.check_number, value, self.low, self.high)


class Choice(_Field, fields.String):
    """One of a few codes."""

    def __init__(self, choices, **kwargs):
        super().__init__(**_documented(kwargs, enum=[str(c) for c in choices]))
        self.choices = tuple(choices)

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str) or value not in self.choices:
            raise ValidationError(
                Msg(N_("Must be one of: %(choices)s."), choices=", ".join(self.choices))
            )
        return value


class Flag(_Field, fields.Boolean):
    """true or false in JSON; a ticked box (or x, 1, có) when typed; `text`: true/false, 1/0
    in a query string."""

    def __init__(self, *, text: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.text = text

    def _deserialize(self, value, attr, data, **kwargs):
        if is_typed() and isinstance(value, str):
            return value.strip().lower() in ("1", "y", "yes", "on", "true", "x", "có", "co")
        if self.text and isinstance(value, str) and value.lower() in QUERY_BOOLEANS:
            return QUERY_BOOLEANS[value.lower()]
        if not isinstance(value, bool):
            raise ValidationError(Msg(N_("Not a valid boolean.")))
        return value


#: our fields, which hold no hooks of their own: `quick_load` calls their `_deserialize`
_OUR_FIELDS = frozenset({Text, Code, Day, Whole, Figure, Choice, Flag})


class PageArgs(StrictArgs):
    page = Whole(low=1, high=MAX_PAGE, text=True, load_default=1)
    per_page = Whole(low=1, high=MAX_PER_PAGE, text=True, load_default=50)


def page_of(item_schema: type[Schema], name: str) -> type[Schema]:
    """Return the schema of a page of `item_schema`."""
    return Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item_schema)),
            "total": fields.Integer(),
            "page": fields.Integer(),
            "per_page": fields.Integer(),
        },
        name=name,
    )
