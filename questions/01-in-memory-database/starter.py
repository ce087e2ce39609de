"""In-memory database: records of string fields, with timestamps, TTLs and backups.

Fill in the methods of ``InMemoryDB``; QUESTION.md describes every level.
Keep the class name and the method signatures; add private helpers freely.
Standard library only.
"""

from __future__ import annotations


class InMemoryDB:
    """Records named by a key, each holding string fields."""

    def __init__(self) -> None:
        """Create an empty database."""

    # -- Level 1: records and fields -------------------------------------------------------

    def set(self, key: str, field: str, value: str) -> None:
        """Store ``value`` in ``field`` of record ``key``, overwriting any old value."""
        raise NotImplementedError

    def get(self, key: str, field: str) -> str | None:
        """The value of ``field`` in record ``key``; None when either is missing."""
        raise NotImplementedError

    def delete(self, key: str, field: str) -> bool:
        """Remove ``field`` from record ``key``; True if it existed, else False."""
        raise NotImplementedError

    # -- Level 2: scans -------------------------------------------------------------------

    def scan(self, key: str) -> list[str]:
        """Every field of record ``key`` as "field(value)", sorted by field; [] if missing."""
        raise NotImplementedError

    def scan_by_prefix(self, key: str, prefix: str) -> list[str]:
        """Like ``scan``, keeping only the fields whose name starts with ``prefix``."""
        raise NotImplementedError

    # -- Level 3: timestamps and time to live ------------------------------------------------

    def set_at(self, key: str, field: str, value: str, timestamp: int) -> None:
        """``set`` at time ``timestamp``; the field never expires."""
        raise NotImplementedError

    def set_at_with_ttl(
        self, key: str, field: str, value: str, timestamp: int, ttl: int
    ) -> None:
        """``set`` at time ``timestamp``; the field is alive during [timestamp, timestamp + ttl)."""
        raise NotImplementedError

    def delete_at(self, key: str, field: str, timestamp: int) -> bool:
        """``delete`` as seen at ``timestamp``: an expired field counts as missing."""
        raise NotImplementedError

    def get_at(self, key: str, field: str, timestamp: int) -> str | None:
        """``get`` as seen at ``timestamp``: None for a missing or expired field."""
        raise NotImplementedError

    def scan_at(self, key: str, timestamp: int) -> list[str]:
        """``scan`` as seen at ``timestamp``: expired fields are left out."""
        raise NotImplementedError

    def scan_by_prefix_at(self, key: str, prefix: str, timestamp: int) -> list[str]:
        """``scan_by_prefix`` as seen at ``timestamp``: expired fields are left out."""
        raise NotImplementedError

    # -- Level 4: backup and restore ---------------------------------------------------------

    def backup(self, timestamp: int) -> int:
        """Save the live fields with their remaining TTLs; return the number of live records."""
        raise NotImplementedError

    def restore(self, timestamp: int, timestamp_to_restore: int) -> None:
        """Restore the latest backup taken at or before ``timestamp_to_restore``.

        Remaining TTLs count from ``timestamp``. Raise ValueError, changing
        nothing, when there is no such backup.
        """
        raise NotImplementedError
