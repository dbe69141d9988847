"""The reports file (workflows/reports/reports_up.yaml), read once per process."""

from __future__ import annotations

from pathlib import Path

import yaml
from flask import current_app

from caseflow.domain.errors import WorkflowError
from caseflow.domain.reports_up import ReportsUpDef
from caseflow.domain.reports_up_file import parse_reports_up

FILE = Path("reports") / "reports_up.yaml"


def load_reports_up_file(folder: Path) -> ReportsUpDef:
    """Read and check the reports file of a workflows folder; name the file in any refusal."""
    path = Path(folder) / FILE
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise WorkflowError(str(path), f"cannot be read: {error.strerror}") from error
    except yaml.YAMLError as error:
        raise WorkflowError(str(path), f"not valid YAML: {error}") from error
    return parse_reports_up(data, str(path))


def rules() -> ReportsUpDef:
    """Return this app's reports file, parsed."""
    from caseflow.services.definitions import definitions

    found = current_app.extensions.get("caseflow.reports_up")
    if found is None:
        found = load_reports_up_file(definitions().folder)
        current_app.extensions["caseflow.reports_up"] = found
    return found
