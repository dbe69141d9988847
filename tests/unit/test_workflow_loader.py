"""Loading workflow definitions: the real files load; every mistake names the file and itself."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from caseflow.domain.errors import WorkflowError
from caseflow.domain.guards import ACTION_NAMES, GUARDS
from caseflow.domain.workflow import parse_workflow
from caseflow.services.definitions import check_folder, load_workflow_file

WORKFLOWS = Path(__file__).resolve().parents[2] / "workflows"
SOURCE = "workflows/tiny.yaml"

LIFECYCLE_STATES = [
    "registered",
    "under_review",
    "classified",
    "posted",
    "recognised",
    "supported",
    "follow_up",
    "graduated",
]
LIFECYCLE_TRIGGERS = [
    "start_review",
    "classify",
    "agree",
    "disagree",
    "complain",
    "recognise",
    "decline",
    "exit",
    "assign_support",
    "relapse",
    "graduate",
]


def tiny() -> dict:
    """A valid two-state workflow with one timer, for the tests to break one thing at a time."""
    return {
        "name": "tiny",
        "version": 1,
        "initial": "open",
        "states": {
            "open": {
                "timers": [
                    {"key": "close_soon", "kind": "auto", "due": "15 days", "trigger": "close"}
                ]
            },
            "closed": {"terminal": True},
        },
        "transitions": [
            {
                "trigger": "close",
                "source": "open",
                "dest": "closed",
                "roles": ["case_worker"],
                "conditions": [{"meeting_agreed": {"min_pct": 50}}],
                "actions": ["clear_recognised_class"],
                "fields": {"decided_on": {"type": "date", "default": "today"}},
            },
        ],
    }


def parse(data: object):
    return parse_workflow(data, SOURCE, GUARDS, ACTION_NAMES)


def test_the_real_workflows_load() -> None:
    loaded = {d.name: d for d in check_folder(WORKFLOWS)}

    assert {"household_lifecycle", "support_item"} <= set(loaded)
    lifecycle = loaded["household_lifecycle"]
    assert (lifecycle.version, lifecycle.initial) == (2, "registered")
    assert list(lifecycle.states) == LIFECYCLE_STATES
    assert list(lifecycle.triggers()) == LIFECYCLE_TRIGGERS


def test_the_tiny_workflow_of_these_tests_is_valid() -> None:
    definition = parse(tiny())

    assert definition.transition("close", "open").dest == "closed"
    assert definition.states["open"].timers[0].trigger == "close"


def _set(path: str, value: object) -> Callable[[dict], None]:
    """Return a change that sets `value` at a dotted path (list indexes as numbers)."""
    *parents, last = path.split(".")

    def change(data: dict) -> None:
        node = data
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value

    return change


def _drop(key: str) -> Callable[[dict], None]:
    return lambda data: data.pop(key)


def _add_state(name: str, body: dict) -> Callable[[dict], None]:
    return lambda data: data["states"].__setitem__(name, body)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (_set("transitions.0.dest", "shut"), "transition 'close' names unknown state 'shut'"),
        (
            _set("transitions.0.source", ["open", "ajar"]),
            "transition 'close' names unknown state 'ajar'",
        ),
        (
            _set("transitions.0.conditions", ["moon_is_full"]),
            "transition 'close' names unknown guard 'moon_is_full'",
        ),
        (
            _set("transitions.0.conditions", [{"moon_is_full": {"phase": 1}}]),
            "transition 'close' names unknown guard 'moon_is_full'",
        ),
        (
            _set("transitions.0.actions", ["send_flowers"]),
            "transition 'close' names unknown action 'send_flowers'",
        ),
        (_add_state("limbo", {"terminal": True}), "states cannot be reached: limbo"),
        (_set("states.closed", {}), "non-terminal states with no way out: closed"),
        (
            _set("states.open.timers.0.due", "15 dayz"),
            "timer 'close_soon' of state 'open': bad duration '15 dayz'",
        ),
        (
            _set("states.open.timers.0.due", None),
            "timer 'close_soon' of state 'open': bad duration None",
        ),
        (
            _set("states.open.timers.0.trigger", None),
            "timer 'close_soon' of state 'open': an auto timer needs 'trigger'",
        ),
        (
            _set("states.open.timers.0.trigger", "reopen"),
            "timer 'close_soon' fires 'reopen', which does not leave 'open'",
        ),
        (
            _set("states.open.timers.0.kind", "nag"),
            "timer 'close_soon' of state 'open': kind must be one of remind, overdue, auto, repeat",
        ),
        (_set("states.open.timers.0.until", ["shut"]), "timer 'close_soon' names unknown state"),
        (
            _set("states.open.timers.0.remind_before", "soon"),
            "timer 'close_soon' of state 'open': bad duration 'soon'",
        ),
        (_set("initial", "ajar"), "initial state 'ajar' is not declared"),
        (
            _set("transitions.0.fields.decided_on.type", "colour"),
            "transition 'close' field 'decided_on' has unknown type 'colour'",
        ),
        (_set("transitions.0.trigger", None), "a transition has no 'trigger'"),
    ],
)
def test_a_broken_definition_is_refused_naming_the_file_and_the_problem(
    change: Callable[[dict], None], problem: str
) -> None:
    data = tiny()
    change(data)

    with pytest.raises(WorkflowError) as raised:
        parse(data)

    assert raised.value.source == SOURCE
    assert str(raised.value).startswith(f"{SOURCE}: ")
    assert problem in raised.value.problem


@pytest.mark.parametrize("key", ["name", "version", "initial", "states", "transitions"])
def test_a_missing_key_is_named(key: str) -> None:
    data = tiny()
    del data[key]

    with pytest.raises(WorkflowError, match=f"^{SOURCE}: missing '{key}'$"):
        parse(data)


@pytest.mark.parametrize("version", [0, -1, "1", 1.0, 1.5, None, True])
def test_version_must_be_a_positive_integer(version: object) -> None:
    data = tiny()
    data["version"] = version

    with pytest.raises(WorkflowError, match="'version' must be a positive integer"):
        parse(data)


def test_a_timer_key_declared_twice_in_a_state_is_refused() -> None:
    data = tiny()
    data["states"]["open"]["timers"].append(dict(data["states"]["open"]["timers"][0]))

    with pytest.raises(WorkflowError, match="state 'open' declares a timer key twice"):
        parse(data)


@pytest.mark.parametrize(
    "change",
    [
        _set("states", ["open", "closed"]),
        _set("states.open", ["not", "a", "mapping"]),
        _set("states.open.timers", ["close_soon"]),
        _set("transitions", {"close": "closed"}),
        _set("transitions.0", "close"),
        _set("transitions.0.conditions", [{}]),
        _set("transitions.0.fields", ["decided_on"]),
    ],
    ids=[
        "states-list",
        "state-list",
        "timer-text",
        "transitions-mapping",
        "transition-text",
        "empty-guard",
        "fields-list",
    ],
)
def test_a_malformed_shape_is_a_workflow_error_naming_the_file(
    change: Callable[[dict], None],
) -> None:
    data = tiny()
    change(data)

    with pytest.raises(WorkflowError) as raised:
        parse(data)

    assert raised.value.source == SOURCE


@pytest.mark.parametrize("data", [None, [], "name: tiny"])
def test_a_file_that_is_not_a_mapping_is_refused(data: object) -> None:
    with pytest.raises(WorkflowError, match=f"^{SOURCE}: the file must hold a mapping$"):
        parse(data)


def test_the_digest_ignores_key_order_but_not_content() -> None:
    data = tiny()
    reordered = dict(reversed(list(copy.deepcopy(data).items())))
    changed = copy.deepcopy(data)
    changed["states"]["open"]["timers"][0]["due"] = "16 days"

    assert parse(reordered).digest == parse(data).digest
    assert parse(changed).digest != parse(data).digest


def test_a_file_that_is_not_yaml_is_refused_naming_its_path(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: [unclosed\n", encoding="utf-8")

    with pytest.raises(WorkflowError) as raised:
        load_workflow_file(broken)

    assert raised.value.source == str(broken)
    assert "not valid YAML" in raised.value.problem


def test_checking_a_folder_names_the_file_at_fault(tmp_path: Path) -> None:
    (tmp_path / "standards").symlink_to(WORKFLOWS / "standards")
    (tmp_path / "good.yaml").write_text(yaml.safe_dump(tiny()), encoding="utf-8")
    bad = tiny()
    bad["transitions"][0]["dest"] = "shut"
    (tmp_path / "bad.yaml").write_text(yaml.safe_dump(bad), encoding="utf-8")

    with pytest.raises(WorkflowError) as raised:
        check_folder(tmp_path)

    assert raised.value.source == str(tmp_path / "bad.yaml")
    assert "unknown state 'shut'" in raised.value.problem


def test_a_guard_without_the_rule_it_needs_is_refused_naming_it() -> None:
    data = tiny()
    data["transitions"][0]["conditions"] = ["meeting_agreed"]

    with pytest.raises(WorkflowError) as raised:
        parse_workflow(data, "workflows/tiny.yaml", GUARDS, ACTION_NAMES)

    assert "guard 'meeting_agreed' needs min_pct" in raised.value.message
