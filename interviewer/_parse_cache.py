"""A content-addressed cache of parsed and schema-checked question files.

Parsing YAML with the line of every value and checking it against the JSON
Schemas is most of what loading the bank costs, and the bank is loaded at
every start. The result depends only on the file's bytes and the schema's
bytes, so it is cached under a digest of both (and of this cache's format):
an entry can never be stale, only unused. Entries hold plain data written
with ``marshal``, never code, and a cache that cannot be read or written is
simply skipped: loading never fails because of it.

``INTERVIEWER_CACHE_DIR`` chooses the folder; set it to ``off`` to disable
the cache.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import tempfile
from functools import cache
from pathlib import Path

from ._paths import schema_path
from ._problems import Problem
from ._yaml import LocatedYaml, load_located

CACHE_FORMAT = b"interviewer-parsed-1"
CACHE_VARIABLE = "INTERVIEWER_CACHE_DIR"


def cache_dir() -> Path | None:
    """Where entries live, or None when the cache is off."""
    chosen = os.environ.get(CACHE_VARIABLE)
    if chosen == "off":
        return None
    if chosen:
        return Path(chosen)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("interviewer")) / "parsed"


@cache
def _schema_bytes(name: str) -> bytes:
    return schema_path(name).read_bytes()


def _key(content: bytes, schema: str) -> str:
    digest = hashlib.sha256(CACHE_FORMAT)
    for part in (_schema_bytes(schema), content):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def _read(entry: Path, path: Path) -> tuple[LocatedYaml, list[Problem]] | None:
    try:
        data, lines, problems = marshal.loads(entry.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    located = LocatedYaml(path, data, lines)
    return located, [Problem(path, line, message, severity)
                     for line, message, severity in problems]


def _write(entry: Path, located: LocatedYaml, problems: list[Problem]) -> None:
    record = (located.data, located.lines,
              [(p.line, p.message, p.severity) for p in problems])
    try:
        payload = marshal.dumps(record)
    except ValueError:      # a value marshal cannot hold (a YAML timestamp): not cached
        return
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=entry.parent, prefix=".entry-")
        with os.fdopen(handle, "wb") as out:
            out.write(payload)
        os.replace(temporary, entry)
    except OSError:
        return


def load_checked(path: Path, schema: str) -> tuple[LocatedYaml | None, list[Problem]]:
    """``path`` parsed with its lines and checked against ``schema``: (data, problems).

    The data is None when the file cannot be read or parsed; the problems say why.
    """
    try:
        content = path.read_bytes()
    except OSError as error:
        return None, [Problem(path, 1, f"cannot read file: {error.strerror or error}")]
    folder = cache_dir()
    entry = folder / _key(content, schema) if folder else None
    if entry is not None:
        hit = _read(entry, path)
        if hit is not None:
            return hit
    located = load_located(path, content)
    if isinstance(located, Problem):
        return None, [located]
    from ._schema import check_schema

    problems = check_schema(located, schema)
    if entry is not None:
        _write(entry, located, problems)
    return located, problems
