"""The practice history: one row per finished (scored) session, in SQLite.

The event logs stay the record of what happened in each session; the history
is a small index over their outcomes (grade, score, time, hints), kept so that
``history`` and ``next`` need not replay every log. It lives at
``<data dir>/history.sqlite3``. Every failure of the file (damaged, locked,
unwritable) surfaces as one ``HistoryError`` line, never a traceback.

``sqlite3`` is imported inside the functions that use it: the start path
imports this module, and most sessions never touch the store before the end.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import sqlite3

    from ._session import Session

HISTORY_NAME = "history.sqlite3"
EXPORT_KIND = "interviewer-history"
EXPORT_VERSION = 1

# Schema migrations: entry ``i`` takes a database from user_version ``i`` to ``i + 1``.
# To change the schema, append a step; never edit one that has shipped.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE sessions (
        session_id     TEXT PRIMARY KEY,
        started_at     REAL NOT NULL,
        finished_at    REAL NOT NULL,
        format         TEXT NOT NULL,
        question_id    TEXT NOT NULL,
        question_title TEXT NOT NULL,
        category       TEXT NOT NULL,
        grade          TEXT NOT NULL,
        score          REAL NOT NULL,
        minutes_used   REAL NOT NULL,
        time_box       INTEGER NOT NULL,
        hints          INTEGER NOT NULL,
        seed           INTEGER NOT NULL
    );
    CREATE INDEX sessions_by_start ON sessions (started_at, session_id);
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


class HistoryError(Exception):
    """The history file or an export cannot be used; the message names the file and why."""


@dataclass(frozen=True)
class SessionRecord:
    """The outcome of one scored session, as the history keeps it."""

    session_id: str
    started_at: float        # epoch seconds
    finished_at: float       # when it was scored
    format: str
    question_id: str
    question_title: str
    category: str
    grade: str               # one of _grade.GRADES, or "Withheld"
    score: float             # 0..1
    minutes_used: float      # from the start to the score
    time_box: int            # minutes; 0 when untimed
    hints: int
    seed: int


@dataclass(frozen=True)
class ImportResult:
    """How an import changed the history."""

    added: int
    updated: int
    unchanged: int


_COLUMNS = tuple(f.name for f in fields(SessionRecord))
_KINDS: dict[str, type] = {f.name: {"str": str, "float": float, "int": int}[str(f.type)]
                           for f in fields(SessionRecord)}


class HistoryStore:
    """The SQLite file of session outcomes. Each call opens, works and closes."""

    def __init__(self, path: Path, *, timeout: float = 2.0) -> None:
        self.path = Path(path)
        self.timeout = timeout

    def record(self, record: SessionRecord) -> None:
        """Add or replace the row of ``record.session_id``: scoring again replaces it."""
        with self._connect(write=True) as connection:
            _upsert(connection, [record])

    def sessions(self) -> list[SessionRecord]:
        """Every recorded session, oldest first; empty when there is no history file yet."""
        if not self.path.exists():
            return []
        with self._connect(write=False) as connection:
            return _read_all(connection)

    def export_json(self, target: Path) -> int:
        """Write every session to ``target`` as a versioned JSON document; the count written."""
        records = self.sessions()
        document = {"kind": EXPORT_KIND, "version": EXPORT_VERSION,
                    "sessions": [asdict(r) for r in records]}
        try:
            Path(target).write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n",
                                    encoding="utf-8")
        except OSError as error:
            raise HistoryError(f"{target}: cannot write the export "
                               f"({error.strerror or error})") from None
        return len(records)

    def import_json(self, source: Path) -> ImportResult:
        """Merge an export by session id. A bad file raises ``HistoryError``, changing nothing."""
        incoming = read_export(Path(source))
        with self._connect(write=True) as connection:
            existing = {r.session_id: r for r in _read_all(connection)}
            _upsert(connection, incoming)
        added = sum(r.session_id not in existing for r in incoming)
        unchanged = sum(existing.get(r.session_id) == r for r in incoming)
        return ImportResult(added=added, updated=len(incoming) - added - unchanged,
                            unchanged=unchanged)

    @contextmanager
    def _connect(self, *, write: bool) -> Iterator[sqlite3.Connection]:
        """A migrated connection inside one transaction: all of a call's work, or none of it."""
        import sqlite3

        connection = None
        try:
            if write:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
            connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            _migrate(connection, self.path)
            yield connection
            connection.execute("COMMIT")
        except sqlite3.DatabaseError as error:
            raise HistoryError(_explain(self.path, error)) from None
        except OSError as error:
            raise HistoryError(f"{self.path}: cannot open the history "
                               f"({error.strerror or error})") from None
        finally:
            if connection is not None:
                if connection.in_transaction:
                    connection.rollback()
                connection.close()


def _explain(path: Path, error: Exception) -> str:
    """One line for a sqlite failure, with what the candidate can do about it."""
    reason = str(error)
    if "locked" in reason or "busy" in reason:
        return f"{path}: the history is locked by another interviewer; try again in a moment"
    if "not a database" in reason or "malformed" in reason:
        return (f"{path}: the history file is damaged ({reason}); move it aside and a new "
                "history will start")
    return f"{path}: cannot use the history ({reason})"


def _migrate(connection: sqlite3.Connection, path: Path) -> None:
    """Bring the schema to ``SCHEMA_VERSION``, one recorded step at a time."""
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise HistoryError(f"{path}: the history was written by a newer interviewer "
                           f"(schema {version}; this one reads up to {SCHEMA_VERSION})")
    for step in range(version, SCHEMA_VERSION):
        for statement in MIGRATIONS[step].split(";"):
            if statement.strip():
                connection.execute(statement)
        connection.execute(f"PRAGMA user_version = {step + 1}")


def _read_all(connection: sqlite3.Connection) -> list[SessionRecord]:
    rows = connection.execute(
        f"SELECT {', '.join(_COLUMNS)} FROM sessions ORDER BY started_at, session_id"
    ).fetchall()
    return [SessionRecord(*row) for row in rows]


def _upsert(connection: sqlite3.Connection, records: list[SessionRecord]) -> None:
    placeholders = ", ".join("?" for _ in _COLUMNS)
    connection.executemany(
        f"INSERT OR REPLACE INTO sessions ({', '.join(_COLUMNS)}) VALUES ({placeholders})",
        [tuple(getattr(r, name) for name in _COLUMNS) for r in records],
    )


# -- the JSON export --------------------------------------------------------------------------


def read_export(source: Path) -> list[SessionRecord]:
    """The sessions of an export file; ``HistoryError`` naming the file and what is wrong."""
    try:
        document = json.loads(source.read_text(encoding="utf-8"))
    except OSError as error:
        raise HistoryError(f"{source}: cannot read ({error.strerror or error})") from None
    except UnicodeDecodeError:
        raise HistoryError(f"{source}: not a text file") from None
    except json.JSONDecodeError as error:
        raise HistoryError(f"{source}:{error.lineno}: not JSON ({error.msg} at column "
                           f"{error.colno})") from None
    if not isinstance(document, dict) or document.get("kind") != EXPORT_KIND:
        raise HistoryError(f"{source}: not a history export (expected an object with "
                           f"\"kind\": \"{EXPORT_KIND}\")")
    version = document.get("version")
    if not isinstance(version, int) or not 1 <= version <= EXPORT_VERSION:
        raise HistoryError(f"{source}: unsupported export version {version!r} "
                           f"(this interviewer reads version {EXPORT_VERSION})")
    sessions = document.get("sessions")
    if not isinstance(sessions, list):
        raise HistoryError(f"{source}: \"sessions\" must be a list")
    records = [_record_from_dict(entry, f"{source}: session {number}")
               for number, entry in enumerate(sessions, start=1)]
    ids = [r.session_id for r in records]
    duplicated = sorted({i for i in ids if ids.count(i) > 1})
    if duplicated:
        raise HistoryError(f"{source}: session id {duplicated[0]!r} appears more than once")
    return records


def _record_from_dict(entry: Any, where: str) -> SessionRecord:
    """Check one exported session field by field; unknown fields are ignored."""
    if not isinstance(entry, dict):
        raise HistoryError(f"{where}: must be an object")
    values: dict[str, Any] = {}
    for name, kind in _KINDS.items():
        if name not in entry:
            raise HistoryError(f"{where}: missing field '{name}'")
        value = entry[name]
        numeric = isinstance(value, int | float) and not isinstance(value, bool)
        if kind is str and not isinstance(value, str):
            raise HistoryError(f"{where}: field '{name}' must be a string")
        if kind is float and not numeric:
            raise HistoryError(f"{where}: field '{name}' must be a number")
        if kind is int and not (numeric and float(value).is_integer()):
            raise HistoryError(f"{where}: field '{name}' must be a whole number")
        values[name] = kind(value)
    if not 0.0 <= values["score"] <= 1.0:
        raise HistoryError(f"{where}: field 'score' must be between 0 and 1")
    if not values["session_id"]:
        raise HistoryError(f"{where}: field 'session_id' must not be empty")
    return SessionRecord(**values)


# -- from a finished interview ----------------------------------------------------------------


def record_from_interview(interview: Session, session_id: str) -> SessionRecord:
    """The history row of a scored session.

    Reads what every interview kind shares (``_session.Session``: ``question``,
    ``state`` and the last ``Scored`` event), so any format is recorded the same way.
    """
    scored = interview.last_scored
    if scored is None:
        raise ValueError("the session has not been scored yet")
    state, question = interview.state, interview.question
    return SessionRecord(
        session_id=session_id,
        started_at=float(state.started_at),
        finished_at=float(scored.at),
        format=state.format,
        question_id=str(question.id),
        question_title=str(question.title),
        category=str(question.category),
        grade=scored.grade,
        score=float(scored.score),
        minutes_used=round(max(0.0, scored.at - state.started_at) / 60, 1),
        time_box=int(state.minutes),
        hints=state.hints_taken,
        seed=int(state.seed),
    )
