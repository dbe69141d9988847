"""The rounds file (workflows/rounds/rounds.yaml), read once per process."""

from __future__ import annotations

from pathlib import Path

import yaml
from flask import current_app

from caseflow.domain.errors import WorkflowError
from caseflow.domain.rounds import KindDef, RoundsDef
from caseflow.domain.rounds_file import parse_rounds
from caseflow.domain.workflow import WorkflowDef

FILE = Path("rounds") / "rounds.yaml"
LIFECYCLE = "household_lifecycle"


def load_rounds_file(folder: Path, lifecycle: WorkflowDef | None) -> RoundsDef:
    """Read and check the rounds file of a workflows folder; name the file in any refusal."""
    path = Path(folder) / FILE
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise WorkflowError(str(path), f"cannot be read: {error.strerror}") from error
    except yaml.YAMLError as error:
        raise WorkflowError(str(path), f"not valid YAML: {error}") from error
    return parse_rounds(data, str(path), lifecycle)


def rules() -> RoundsDef:
    """Return this app's rounds file, parsed."""
    from caseflow.services.definitions import definitions

    found = current_app.extensions.get("caseflow.rounds")
    if found is None:
        loaded = definitions()
        found = load_rounds_file(loaded.folder, loaded.current.get(LIFECYCLE))
        current_app.extensions["caseflow.rounds"] = found
    return found


def kind(name: str) -> KindDef:
    return rules().kind(name)
