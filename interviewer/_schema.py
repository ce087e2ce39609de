"""JSON Schema checks for question files, with errors at the offending line.

The schemas in ``schemas/`` are shipped so editors can complete and check the
files too; here they turn into ``Problem`` objects that name the key and line.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from ._paths import schema_path
from ._problems import Problem
from ._yaml import LocatedYaml


@cache
def _validator(name: str) -> Draft202012Validator:
    schema = json.loads(schema_path(name).read_text(encoding="utf-8"))
    return Draft202012Validator(schema)


def _where(path: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in path) or "top level"


def _explain(located: LocatedYaml, error: ValidationError) -> list[Problem]:
    path = tuple(error.absolute_path)
    instance, schema = error.instance, error.schema
    if error.validator == "additionalProperties" and isinstance(instance, dict):
        allowed = sorted(schema.get("properties", {}))
        unknown = sorted(k for k in instance if k not in schema.get("properties", {}))
        return [
            located.problem((*path, key), f"unknown key '{key}' in {_where(path)} "
                                          f"(allowed: {', '.join(allowed)})")
            for key in unknown
        ]
    if error.validator == "required":
        missing = [key for key in error.validator_value if key not in instance]
        return [located.problem(path, f"missing key '{key}' in {_where(path)}") for key in missing]
    return [located.problem(path, f"{_where(path)}: {error.message}")]


def check_schema(located: LocatedYaml, name: str) -> list[Problem]:
    """Every schema violation of ``located`` against the named schema."""
    problems: list[Problem] = []
    errors = sorted(
        _validator(name).iter_errors(located.data),
        key=lambda e: located.line_of(tuple(e.absolute_path)),
    )
    for error in errors:
        problems.extend(_explain(located, error))
    return problems
