"""Memoising cache: a key builder, an LRU memoising decorator, threads and a log.

QUESTION.md describes every level. ``make_key`` below was written by a
teammate and has bugs: level 1 is to find and fix them. Keep the names and
signatures of ``CacheInfo``, ``make_key`` and ``memoize``; add private
helpers freely. Standard library only, without functools.lru_cache or
functools.cache.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Hashable
from typing import Any, NamedTuple


class CacheInfo(NamedTuple):
    """Statistics of one memoised function (provided: keep it as it is)."""

    hits: int
    misses: int
    capacity: int
    size: int


# -- Level 1: the key builder (buggy: fix it) ----------------------------------------------


def make_key(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Hashable:
    """Build the cache key of the call ``function(*args, **kwargs)``.

    What it should do:

    - Equal calls give equal keys with equal hashes: the same positional
      arguments in order, and the same keyword arguments in any order.
      Arguments compare by content.
    - Different calls give different keys. Values of different types are
      different (1, 1.0 and True; [1, 2] and (1, 2); {1} and frozenset({1});
      "a" and b"a"), with types matched exactly, and f(1) differs from f(x=1).
    - Supported, nested in any way: None, bool, int, float, str, bytes,
      tuple, list, dict and set and frozenset (dicts and sets compare without
      regard to order and may mix key or element types).
    - Any other hashable object is used as it is, but is only equal to
      objects of exactly the same type.
    - Any other unhashable value, wherever it is nested: raise TypeError.
    - The key is a snapshot: mutating an argument later does not change it.
    """
    key = args
    if kwargs:
        key += tuple(kwargs.items())
    return tuple(_hashable(part) for part in key)


def _hashable(value: Any) -> Hashable:
    """Turn a list, set or dict into a tuple so that it can be hashed."""
    if isinstance(value, (list, set)):
        return tuple(value)
    if isinstance(value, dict):
        return tuple(value.items())
    return value


# -- Levels 2 to 4: the decorator ------------------------------------------------------------


def memoize(capacity: int = 128, *,
            log_path: str | os.PathLike[str] | None = None
            ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Return a decorator that memoises a function in an LRU cache of ``capacity`` entries.

    The decorated function ``f`` also has ``f.cache_info()`` (a CacheInfo),
    ``f.cache_clear()`` and, from level 4, ``f.cache_compact()``. Level 3
    makes it safe to call from several threads; level 4 adds the log at
    ``log_path``.
    """
    raise NotImplementedError
