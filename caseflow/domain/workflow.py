"""Workflow definitions: dataclasses, and the loader that validates a parsed YAML mapping."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from caseflow.domain.calendar import Duration, parse_duration
from caseflow.domain.errors import DomainError, WorkflowError

TIMER_KINDS = ("remind", "overdue", "auto", "repeat")
FIELD_TYPES = ("date", "text", "number", "choice", "bool")


@dataclass(frozen=True)
class FieldDef:
    """A payload field a trigger asks for."""

    name: str
    type: str
    required: bool = False
    default: object = None
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    label_vi: str = ""
    label_en: str = ""


@dataclass(frozen=True)
class GuardRef:
    """A named guard and the parameters the workflow file gives it."""

    name: str
    params: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class TimerDef:
    """A deadline a state creates on entry."""

    key: str
    kind: str
    due: Duration
    start: str = "entered"
    until: tuple[str, ...] = ()
    when: Mapping[str, object] = field(default_factory=dict)
    remind_before: Duration | None = None
    escalate_after: Duration | None = None
    notify: str = "case_worker"
    trigger: str | None = None
    message_vi: str = ""
    message_en: str = ""


@dataclass(frozen=True)
class StateDef:
    name: str
    terminal: bool = False
    timers: tuple[TimerDef, ...] = ()
    label_vi: str = ""
    label_en: str = ""


@dataclass(frozen=True)
class TransitionDef:
    trigger: str
    sources: tuple[str, ...]
    dest: str
    roles: tuple[str, ...] = ()
    approval: str | None = None
    conditions: tuple[GuardRef, ...] = ()
    fields: tuple[FieldDef, ...] = ()
    automatic: bool = False
    actions: tuple[str, ...] = ()
    label_vi: str = ""
    label_en: str = ""

    def field(self, name: str) -> FieldDef | None:
        return next((f for f in self.fields if f.name == name), None)


@dataclass(frozen=True, eq=False)
class WorkflowDef:
    name: str
    version: int
    initial: str
    states: Mapping[str, StateDef]
    transitions: tuple[TransitionDef, ...]
    digest: str

    def __hash__(self) -> int:
        return hash((self.name, self.version, self.digest))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, WorkflowDef) and (self.name, self.version, self.digest) == (
            other.name,
            other.version,
            other.digest,
        )

    def transition(self, trigger: str, source: str) -> TransitionDef | None:
        """Return the transition `trigger` leaving `source`, if any."""
        return next(
            (t for t in self.transitions if t.trigger == trigger and source in t.sources), None
        )

    def triggers(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(t.trigger for t in self.transitions))


def digest_of(data: Mapping) -> str:
    """Return a stable hash of a parsed definition (key order and layout do not matter)."""
    canonical = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def parse_workflow(
    data: object, source: str, guards: Iterable[str], actions: Iterable[str] = ()
) -> WorkflowDef:
    """Build and validate a definition; every error names `source` and the problem."""
    if not isinstance(data, Mapping):
        raise WorkflowError(source, "the file must hold a mapping")
    try:
        return _Parser(source, _named(guards), set(actions)).parse(data)
    except WorkflowError:
        raise
    except DomainError as error:
        raise WorkflowError(source, error.message) from error
    except (KeyError, TypeError, ValueError) as error:
        raise WorkflowError(source, f"malformed definition ({error})") from error


def _named(guards: Iterable[str] | Mapping[str, object]) -> Mapping[str, object]:
    """The guards by name: a mapping to the guard functions (which declare their required
    parameters), or bare names (that need none)."""
    return guards if isinstance(guards, Mapping) else dict.fromkeys(guards)


class _Parser:
    def __init__(self, source: str, guards: Mapping[str, object], actions: set[str]):
        self.source = source
        self.guards = guards
        self.actions = actions

    def fail(self, problem: str) -> None:
        raise WorkflowError(self.source, problem)

    def shaped(self, value: object, expected: type, where: str) -> Any:
        """Return `value` if it is an `expected` (Mapping or list), else say what it must be."""
        if not isinstance(value, expected):
            self.fail(f"{where} must be a {'mapping' if expected is Mapping else 'list'}")
        return value

    def parse(self, data: Mapping) -> WorkflowDef:
        for key in ("name", "version", "initial", "states", "transitions"):
            if key not in data:
                self.fail(f"missing '{key}'")
        version = data["version"]
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            self.fail("'version' must be a positive integer")
        states = {
            name: self.state(name, self.shaped(body or {}, Mapping, f"state '{name}'"))
            for name, body in self.shaped(data["states"], Mapping, "'states'").items()
        }
        transitions = tuple(
            self.transition(self.shaped(t, Mapping, "each transition"), states)
            for t in self.shaped(data["transitions"], list, "'transitions'")
        )
        definition = WorkflowDef(
            name=str(data["name"]),
            version=data["version"],
            initial=data["initial"],
            states=states,
            transitions=transitions,
            digest=digest_of(data),
        )
        self.check_graph(definition)
        return definition

    def state(self, name: str, body: Mapping) -> StateDef:
        timers = tuple(
            self.timer(name, self.shaped(t, Mapping, f"a timer of state '{name}'"))
            for t in self.shaped(body.get("timers", []), list, f"timers of '{name}'")
        )
        keys = [t.key for t in timers]
        if len(keys) != len(set(keys)):
            self.fail(f"state '{name}' declares a timer key twice")
        return StateDef(
            name=name,
            terminal=bool(body.get("terminal", False)),
            timers=timers,
            label_vi=body.get("label", {}).get("vi", name),
            label_en=body.get("label", {}).get("en", name),
        )

    def timer(self, state: str, body: Mapping) -> TimerDef:
        where = f"timer '{body.get('key')}' of state '{state}'"
        if body.get("kind") not in TIMER_KINDS:
            self.fail(f"{where}: kind must be one of {', '.join(TIMER_KINDS)}")
        if body["kind"] == "auto" and not body.get("trigger"):
            self.fail(f"{where}: an auto timer needs 'trigger'")
        return TimerDef(
            key=str(body["key"]),
            kind=body["kind"],
            due=self.duration(where, body.get("due")),
            start=body.get("from", "entered"),
            until=tuple(body.get("until", ())),
            when=dict(body.get("when", {})),
            remind_before=self.duration(where, body["remind_before"])
            if body.get("remind_before")
            else None,
            escalate_after=self.duration(where, body["escalate_after"])
            if body.get("escalate_after")
            else None,
            notify=body.get("notify", "case_worker"),
            trigger=body.get("trigger"),
            message_vi=body.get("message", {}).get("vi", ""),
            message_en=body.get("message", {}).get("en", ""),
        )

    def duration(self, where: str, text: object) -> Duration:
        try:
            return parse_duration(text)  # type: ignore[arg-type]
        except DomainError as error:
            self.fail(f"{where}: bad duration {text!r}: {error.message}")
            raise  # unreachable; keeps type checkers calm

    def transition(self, body: Mapping, states: Mapping[str, StateDef]) -> TransitionDef:
        trigger = body.get("trigger")
        if not trigger:
            self.fail("a transition has no 'trigger'")
        raw_source = body.get("source")
        sources = (
            tuple(states)
            if raw_source == "*"
            else tuple(raw_source if isinstance(raw_source, list) else [raw_source])
        )
        for name in (*sources, body.get("dest")):
            if name not in states:
                self.fail(f"transition '{trigger}' names unknown state '{name}'")
        where = f"transition '{trigger}'"
        raw_conditions = self.shaped(body.get("conditions", []), list, f"conditions of {where}")
        conditions = tuple(self.guard(trigger, c) for c in raw_conditions)
        raw_fields = self.shaped(body.get("fields", {}), Mapping, f"fields of {where}")
        fields = tuple(
            self.field(trigger, n, self.shaped(f or {}, Mapping, f"field '{n}'"))
            for n, f in raw_fields.items()
        )
        actions = tuple(body.get("actions", ()))
        for name in actions:
            if name not in self.actions:
                self.fail(f"transition '{trigger}' names unknown action '{name}'")
        return TransitionDef(
            trigger=trigger,
            sources=sources,
            dest=body["dest"],
            roles=tuple(body.get("roles", ())),
            approval=body.get("approval"),
            conditions=conditions,
            fields=fields,
            automatic=bool(body.get("automatic", False)),
            actions=actions,
            label_vi=body.get("label", {}).get("vi", trigger),
            label_en=body.get("label", {}).get("en", trigger),
        )

    def guard(self, trigger: str, body: object) -> GuardRef:
        if not isinstance(body, str) and not (isinstance(body, Mapping) and len(body) == 1):
            self.fail(
                f"transition '{trigger}': a condition is a guard name, or one name with "
                "its parameters"
            )
        name, params = (body, {}) if isinstance(body, str) else next(iter(body.items()))
        if name not in self.guards:
            self.fail(f"transition '{trigger}' names unknown guard '{name}'")
        missing = [p for p in getattr(self.guards[name], "required", ()) if p not in (params or {})]
        if missing:
            self.fail(f"transition '{trigger}': guard '{name}' needs {', '.join(missing)}")
        return GuardRef(name=name, params=dict(params or {}))

    def field(self, trigger: str, name: str, body: Mapping) -> FieldDef:
        kind = body.get("type", "text")
        if kind not in FIELD_TYPES:
            self.fail(f"transition '{trigger}' field '{name}' has unknown type '{kind}'")
        return FieldDef(
            name=name,
            type=kind,
            required=bool(body.get("required", False)),
            default=body.get("default"),
            minimum=body.get("min"),
            maximum=body.get("max"),
            choices=tuple(body.get("choices", ())),
            label_vi=body.get("label", {}).get("vi", name),
            label_en=body.get("label", {}).get("en", name),
        )

    def check_graph(self, wf: WorkflowDef) -> None:
        if wf.initial not in wf.states:
            self.fail(f"initial state '{wf.initial}' is not declared")
        for state in wf.states.values():
            for timer in state.timers:
                if timer.trigger and not wf.transition(timer.trigger, state.name):
                    self.fail(
                        f"timer '{timer.key}' fires '{timer.trigger}', "
                        f"which does not leave '{state.name}'"
                    )
                for name in timer.until:
                    if name not in wf.states:
                        self.fail(f"timer '{timer.key}' names unknown state '{name}'")
        reached = _reachable(wf)
        unreachable = [s for s in wf.states if s not in reached]
        if unreachable:
            self.fail(f"states cannot be reached: {', '.join(unreachable)}")
        leaving = {s for t in wf.transitions for s in t.sources}
        dead = [s.name for s in wf.states.values() if not s.terminal and s.name not in leaving]
        if dead:
            self.fail(f"non-terminal states with no way out: {', '.join(dead)}")


def _reachable(wf: WorkflowDef) -> set[str]:
    seen, todo = {wf.initial}, [wf.initial]
    while todo:
        state = todo.pop()
        for t in wf.transitions:
            if state in t.sources and t.dest not in seen:
                seen.add(t.dest)
                todo.append(t.dest)
    return seen
