"""YAML loading that remembers where every value came from.

Validation errors must name the line of the offending key, so we compose the
node tree once, build the plain data from it, and keep a map from each data
path (a tuple of keys and indices) to its 1-based line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._problems import Problem

if TYPE_CHECKING:
    import yaml

DataPath = tuple[str | int, ...]


@cache
def _loader() -> type:
    """libyaml's parser when PyYAML was built with it: ten times faster, same nodes and marks.

    Imported on first use: with the parse cache warm, a start needs no YAML at all.
    """
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class LocatedYaml:
    """Parsed YAML data plus the line of each path in it."""

    path: Path
    data: Any
    lines: dict[DataPath, int] = field(default_factory=dict)

    def line_of(self, data_path: DataPath) -> int:
        """The line of ``data_path``, or of its nearest ancestor that has one."""
        for cut in range(len(data_path), -1, -1):
            line = self.lines.get(tuple(data_path[:cut]))
            if line is not None:
                return line
        return 1

    def problem(self, data_path: DataPath, message: str, severity: str = "error") -> Problem:
        return Problem(self.path, self.line_of(data_path), message, severity)


def load_plain(text: str) -> Any:
    """Plain data from YAML text, with the fast parser; for data files that need no lines."""
    import yaml

    return yaml.load(text, Loader=_loader())


def _record_lines(node: yaml.Node, here: DataPath, lines: dict[DataPath, int]) -> None:
    import yaml

    lines.setdefault(here, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            lines[(*here, key)] = key_node.start_mark.line + 1
            _record_lines(value_node, (*here, key), lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_lines(item, (*here, index), lines)


def load_located(path: Path, content: bytes | None = None) -> LocatedYaml | Problem:
    """Parse ``path`` (or its ``content``, already read); a problem instead of an exception."""
    try:
        text = (path.read_bytes() if content is None else content).decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return Problem(path, 1, f"cannot read file: {error}")
    import yaml

    loader = _loader()(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        return Problem(path, line, f"bad YAML: {error.problem or error.context}")
    except yaml.YAMLError as error:
        return Problem(path, 1, f"bad YAML: {error}")
    finally:
        loader.dispose()
    lines: dict[DataPath, int] = {}
    if node is not None:
        _record_lines(node, (), lines)
    return LocatedYaml(path, data, lines)
