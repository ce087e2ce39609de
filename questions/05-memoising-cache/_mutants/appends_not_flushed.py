"""Mutant: lines are written to a buffered file and never flushed, so an entry is
not in the log when the call returns and a crash loses it.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from typing import Any, NamedTuple


class CacheInfo(NamedTuple):
    """Statistics of one memoised function."""

    hits: int
    misses: int
    capacity: int
    size: int


# -- Level 1: the key ------------------------------------------------------------------------

_ATOMS = frozenset({type(None), bool, int, float, str, bytes})


def _freeze_items(items: Iterable[Any]) -> tuple[Hashable, ...]:
    return tuple(_freeze(item) for item in items)


def _freeze(value: Any) -> Hashable:
    """A hashable stand-in for ``value``, equal exactly when the values are the same call input."""
    kind = type(value)
    if kind in _ATOMS:
        return (kind, value)
    if kind is tuple or kind is list:
        return (kind, _freeze_items(value))
    if kind is set or kind is frozenset:
        return (kind, frozenset(_freeze_items(value)))
    if kind is dict:
        return (kind, frozenset(zip(_freeze_items(value), _freeze_items(value.values()),
                                    strict=True)))
    try:
        hash(value)
    except TypeError:
        raise TypeError(f"cannot build a cache key from an argument of type "
                        f"{kind.__name__!r}") from None
    return (kind, value)


def make_key(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Hashable:
    """The cache key of the call ``function(*args, **kwargs)``."""
    frozen_kwargs = frozenset((name, _freeze(value)) for name, value in kwargs.items())
    return (_freeze_items(args), frozen_kwargs)


# -- Level 4: the log ------------------------------------------------------------------------


def _encode(args: tuple[Any, ...], kwargs: dict[str, Any], value: Any) -> str:
    return json.dumps({"args": list(args), "kwargs": kwargs, "value": value}) + "\n"


def _decode(line: bytes, number: int) -> tuple[tuple[Any, ...], dict[str, Any], Any]:
    try:
        entry = json.loads(line)
        return tuple(entry["args"]), dict(entry["kwargs"]), entry["value"]
    except (ValueError, KeyError, TypeError) as error:
        raise ValueError(f"cache log line {number} is corrupt: {error}") from None


class _Log:
    """An append-only file of JSON lines, one per stored entry."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)
        self._file: Any = None

    def replay(self) -> list[tuple[tuple[Any, ...], dict[str, Any], Any]]:
        """The complete entries, oldest first; a torn last line is cut off the file."""
        try:
            with open(self.path, "rb") as file:
                data = file.read()
        except FileNotFoundError:
            data = b""
        complete = data[: data.rfind(b"\n") + 1]
        if len(complete) < len(data):
            with open(self.path, "r+b") as file:
                file.truncate(len(complete))
        entries = [_decode(line, number)
                   for number, line in enumerate(complete.splitlines(), start=1)]
        self._file = open(self.path, "a", encoding="utf-8")  # noqa: SIM115
        return entries

    def append(self, line: str) -> None:
        self._file.write(line)

    def rewrite(self, lines: Iterable[str]) -> None:
        """Replace the log by ``lines`` atomically: a temporary file renamed over it."""
        folder = os.path.dirname(os.path.abspath(self.path))
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".cache-log-", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                file.writelines(lines)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
        self._file.close()
        self._file = open(self.path, "a", encoding="utf-8")  # noqa: SIM115


# -- Levels 2 and 3: the cache ---------------------------------------------------------------


class _Flight:
    """One computation in progress; the callers who wait for it share its outcome."""

    def __init__(self) -> None:
        self._done = threading.Event()
        self._value: Any = None
        self._error: BaseException | None = None

    def finish(self, value: Any = None, error: BaseException | None = None) -> None:
        self._value, self._error = value, error
        self._done.set()

    def result(self) -> Any:
        self._done.wait()
        if self._error is not None:
            raise self._error
        return self._value


class _Cache:
    def __init__(self, function: Callable[..., Any], capacity: int,
                 log_path: str | os.PathLike[str] | None) -> None:
        self._function = function
        self._capacity = capacity
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._lines: dict[Hashable, str] = {}
        self._flights: dict[Hashable, _Flight] = {}
        self._lock = threading.Lock()
        self._hits = self._misses = 0
        self._log = None if log_path is None else _Log(log_path)
        if self._log is not None:
            for args, kwargs, value in self._log.replay():
                self._store(make_key(args, kwargs), value, _encode(args, kwargs, value))

    def call(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        key = make_key(args, kwargs)
        with self._lock:
            if key in self._entries:
                self._hits += 1
                self._entries.move_to_end(key)
                return self._entries[key]
            flight = self._flights.get(key)
            owner = flight is None
            if owner:
                self._misses += 1
                flight = self._flights[key] = _Flight()
            else:
                self._hits += 1
        return self._compute(key, flight, args, kwargs) if owner else flight.result()

    def _compute(self, key: Hashable, flight: _Flight, args: tuple[Any, ...],
                 kwargs: dict[str, Any]) -> Any:
        try:
            value = self._function(*args, **kwargs)
            line = _encode(args, kwargs, value) if self._log is not None else ""
        except BaseException as error:
            with self._lock:
                del self._flights[key]
            flight.finish(error=error)
            raise
        with self._lock:
            del self._flights[key]
            self._store(key, value, line)
            if self._log is not None:
                self._log.append(line)
        flight.finish(value)
        return value

    def _store(self, key: Hashable, value: Any, line: str) -> None:
        self._entries[key] = value
        self._entries.move_to_end(key)
        if self._log is not None:
            self._lines[key] = line
        if len(self._entries) > self._capacity:
            oldest, _ = self._entries.popitem(last=False)
            self._lines.pop(oldest, None)

    def info(self) -> CacheInfo:
        with self._lock:
            return CacheInfo(self._hits, self._misses, self._capacity, len(self._entries))

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._lines.clear()
            self._hits = self._misses = 0
            if self._log is not None:
                self._log.rewrite([])

    def compact(self) -> None:
        with self._lock:
            if self._log is not None:
                self._log.rewrite(self._lines[key] for key in self._entries)


def memoize(capacity: int = 128, *,
            log_path: str | os.PathLike[str] | None = None
            ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Memoise a function in an LRU cache of ``capacity`` entries (optionally logged)."""
    if isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 1:
        raise ValueError(f"capacity must be a positive integer, got {capacity!r}")

    def decorate(function: Callable[..., Any]) -> Callable[..., Any]:
        cache = _Cache(function, capacity, log_path)

        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            return cache.call(args, kwargs)

        wrapper.cache_info = cache.info  # type: ignore[attr-defined]
        wrapper.cache_clear = cache.clear  # type: ignore[attr-defined]
        wrapper.cache_compact = cache.compact  # type: ignore[attr-defined]
        return wrapper

    return decorate
