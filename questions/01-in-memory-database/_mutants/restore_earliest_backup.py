"""Mutant: restore picks the earliest backup instead of the latest one taken at
or before timestamp_to_restore.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import NamedTuple


class Entry(NamedTuple):
    value: str
    expires_at: int | None = None

    def alive_at(self, time: int) -> bool:
        return self.expires_at is None or time < self.expires_at


# key -> field -> (value, remaining ttl or None)
Snapshot = dict[str, dict[str, tuple[str, int | None]]]


class InMemoryDB:
    def __init__(self) -> None:
        self._records: dict[str, dict[str, Entry]] = {}
        self._now = 0  # the latest timestamp seen; plain calls act at this time
        self._backup_times: list[int] = []
        self._backups: list[Snapshot] = []

    # -- Level 1 --------------------------------------------------------------------------

    def set(self, key: str, field: str, value: str) -> None:
        self._records.setdefault(key, {})[field] = Entry(value)

    def get(self, key: str, field: str) -> str | None:
        return self._get(key, field, self._now)

    def delete(self, key: str, field: str) -> bool:
        return self._delete(key, field, self._now)

    # -- Level 2 --------------------------------------------------------------------------

    def scan(self, key: str) -> list[str]:
        return self._scan(key, "", self._now)

    def scan_by_prefix(self, key: str, prefix: str) -> list[str]:
        return self._scan(key, prefix, self._now)

    # -- Level 3 --------------------------------------------------------------------------

    def set_at(self, key: str, field: str, value: str, timestamp: int) -> None:
        self._now = timestamp
        self.set(key, field, value)

    def set_at_with_ttl(
        self, key: str, field: str, value: str, timestamp: int, ttl: int
    ) -> None:
        self._now = timestamp
        self._records.setdefault(key, {})[field] = Entry(value, timestamp + ttl)

    def delete_at(self, key: str, field: str, timestamp: int) -> bool:
        self._now = timestamp
        return self._delete(key, field, timestamp)

    def get_at(self, key: str, field: str, timestamp: int) -> str | None:
        self._now = timestamp
        return self._get(key, field, timestamp)

    def scan_at(self, key: str, timestamp: int) -> list[str]:
        self._now = timestamp
        return self._scan(key, "", timestamp)

    def scan_by_prefix_at(self, key: str, prefix: str, timestamp: int) -> list[str]:
        self._now = timestamp
        return self._scan(key, prefix, timestamp)

    # -- Level 4 --------------------------------------------------------------------------

    def backup(self, timestamp: int) -> int:
        self._now = timestamp
        snapshot: Snapshot = {}
        for key in list(self._records):
            fields = self._live_fields(key, timestamp)
            if fields:
                snapshot[key] = {
                    name: (entry.value, _remaining(entry, timestamp))
                    for name, entry in fields.items()
                }
        self._backup_times.append(timestamp)
        self._backups.append(snapshot)
        return len(snapshot)

    def restore(self, timestamp: int, timestamp_to_restore: int) -> None:
        self._now = timestamp
        index = 0
        if not self._backup_times or self._backup_times[0] > timestamp_to_restore:
            raise ValueError(f"no backup at or before {timestamp_to_restore}")
        self._records = {
            key: {
                name: Entry(value, None if left is None else timestamp + left)
                for name, (value, left) in fields.items()
            }
            for key, fields in self._backups[index].items()
        }

    # -- helpers --------------------------------------------------------------------------

    def _live_fields(self, key: str, time: int) -> dict[str, Entry]:
        """The fields of ``key`` alive at ``time``; expired ones are dropped for good."""
        fields = self._records.get(key)
        if fields is None:
            return {}
        expired = [name for name, entry in fields.items() if not entry.alive_at(time)]
        for name in expired:
            del fields[name]
        if not fields:
            del self._records[key]
        return fields

    def _get(self, key: str, field: str, time: int) -> str | None:
        entry = self._records.get(key, {}).get(field)
        return entry.value if entry is not None and entry.alive_at(time) else None

    def _delete(self, key: str, field: str, time: int) -> bool:
        if self._get(key, field, time) is None:
            return False
        fields = self._records[key]
        del fields[field]
        if not fields:
            del self._records[key]
        return True

    def _scan(self, key: str, prefix: str, time: int) -> list[str]:
        fields = self._live_fields(key, time)
        return [
            f"{name}({fields[name].value})"
            for name in sorted(fields)
            if name.startswith(prefix)
        ]


def _remaining(entry: Entry, time: int) -> int | None:
    return None if entry.expires_at is None else entry.expires_at - time
