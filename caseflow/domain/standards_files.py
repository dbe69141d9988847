"""Read the poverty standards kept as YAML files in a directory (workflows/standards)."""

from __future__ import annotations

from pathlib import Path

import yaml

from caseflow.domain.standards import Standard, StandardError, ordered_standards, standard_from_dict


def load_standards_dir(path: str | Path) -> list[Standard]:
    """Load every ``*.yaml`` standard in ``path`` by start date; periods must not overlap."""
    directory = Path(path)
    files = sorted(directory.glob("*.yaml"))
    if not files:
        raise StandardError(str(directory), "no poverty standard files (*.yaml)")
    return ordered_standards([load_standard_file(file) for file in files], str(directory))


def load_standard_file(path: str | Path) -> Standard:
    """Load one standard from a YAML file; errors name the file."""
    source = str(path)
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise StandardError(source, f"not valid YAML: {error}") from error
    return standard_from_dict(data, source)
