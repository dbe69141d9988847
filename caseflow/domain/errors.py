"""Domain errors: each carries a user-safe message, an error code and an HTTP status."""

from __future__ import annotations


class Msg(str):
    """A message to show a person: its id (an English template) and its parameters.

    It is the English text wherever a plain string is expected (logs, marshmallow, JSON), and
    the edge translates it by its id: `gettext(msg.template) % msg.params`, with the
    parameters shown in the reader's language (dates, field names, classes).
    """

    template: str
    params: dict

    def __new__(cls, template: str, **params: object) -> Msg:
        text = super().__new__(cls, template % params if params else template)
        text.template, text.params = template, params
        return text

    def __reduce__(self):  # copies and pickles keep the id and the parameters
        return (_msg, (self.template, self.params))


def _msg(template: str, params: dict) -> Msg:
    return Msg(template, **params)


class Bilingual(str):
    """A message parameter the data itself gives in both languages (an indicator's name from a
    standard file); the edge picks the reader's. It is the English text elsewhere."""

    vi: str

    def __new__(cls, vi: str, en: str) -> Bilingual:
        text = super().__new__(cls, en)
        text.vi = vi
        return text

    def __reduce__(self):
        return (Bilingual, (self.vi, str(self)))


class Money(int):
    """An amount of VND in a message: 1,500,000 VND in English, 1.500.000 đ in Vietnamese."""

    def __str__(self) -> str:
        return f"{int(self):,} VND"


class Points(int):
    """An income score in a message: 140 points, 140 điểm."""

    def __str__(self) -> str:
        return f"{int(self)} points"


class DomainError(Exception):
    """A rule of the field was broken; the message is safe to show a user."""

    code = "domain_error"
    status = 422

    def __init__(
        self,
        message: str,
        *,
        fields: dict[str, list[str]] | None = None,
        params: dict[str, object] | None = None,
    ):
        self.template = message
        self.params = params or {}
        self.message = message % self.params if self.params else message
        super().__init__(self.message)
        self.fields = fields or {}


def N_(message: str) -> str:
    """Mark a message for translation; it is translated where it is shown."""
    return message


class NotFound(DomainError):
    """The thing does not exist, or lies outside the caller's units."""

    code = "not_found"
    status = 404


class Forbidden(DomainError):
    """The caller's role may not do this."""

    code = "forbidden"
    status = 403


class Conflict(DomainError):
    """The case moved on: a stale version, a trigger not valid now, a decision already taken."""

    code = "conflict"
    status = 409


class StaleVersion(Conflict):
    code = "stale_version"


class InvalidTrigger(Conflict):
    code = "invalid_trigger"


class AlreadyDecided(Conflict):
    code = "already_decided"


class GuardFailed(DomainError):
    """A named guard refused the transition; the message says why."""

    code = "guard_failed"


class InvalidInput(DomainError):
    """Fields of a request are missing or wrong."""

    code = "invalid_fields"

    @classmethod
    def on(cls, field: str, template: str, **params: object) -> InvalidInput:
        """Refuse one field for one reason: the message and the field's reason are the same
        sentence, translated where it is shown (never an English-only field text)."""
        return cls(template, params=params, fields={field: [Msg(template, **params)]})


class WorkflowError(DomainError):
    """A workflow definition file is wrong; the message names the file and the problem."""

    code = "invalid_workflow"

    def __init__(self, source: str, problem: str):
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem
