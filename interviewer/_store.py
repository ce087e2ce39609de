"""Where sessions live on disk: ``<data dir>/sessions/<session id>/``.

Each session folder holds ``events.jsonl`` (the log) and, unless the
candidate chose another place, ``workspace/``. The data dir is the user's
platform data folder, or ``--data-dir`` / ``INTERVIEWER_DATA_DIR``.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

LOG_NAME = "events.jsonl"


class SessionNotFound(LookupError):
    """No session matches what the candidate named."""


def data_dir(override: str | Path | None = None) -> Path:
    """The folder for sessions and input history."""
    chosen = override or os.environ.get("INTERVIEWER_DATA_DIR")
    if chosen:
        return Path(chosen).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("interviewer", appauthor=False))


def sessions_dir(base: Path) -> Path:
    return base / "sessions"


def new_session_dir(base: Path, question_id: str, now: float) -> Path:
    """A fresh, unused folder named for the time and the question."""
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime(now))
    root = sessions_dir(base)
    candidate = root / f"{stamp}-q{question_id}"
    suffix = 2
    while candidate.exists():
        candidate = root / f"{stamp}-q{question_id}-{suffix}"
        suffix += 1
    candidate.mkdir(parents=True)
    return candidate


def list_sessions(base: Path) -> list[Path]:
    """Session folders with a log, oldest first."""
    root = sessions_dir(base)
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if (p / LOG_NAME).is_file())


def find_session_log(base: Path, reference: str | None) -> Path:
    """The log of the session named by id, folder or log path; the latest when None."""
    if reference is None:
        sessions = list_sessions(base)
        if not sessions:
            raise SessionNotFound(f"no sessions yet in {sessions_dir(base)}")
        return sessions[-1] / LOG_NAME
    for candidate in (Path(reference), Path(reference) / LOG_NAME,
                      sessions_dir(base) / reference / LOG_NAME):
        if candidate.is_file():
            return candidate
    raise SessionNotFound(f"no session '{reference}' (looked in {sessions_dir(base)})")
