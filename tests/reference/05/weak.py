"""Memoising cache: the weak reference.

The key builder sorts keywords and converts containers recursively, but
drops types (1, 1.0 and True collide, and so do lists and tuples), sorts dict
items and set elements (which fails on mixed types), flattens keywords into
the positional tuple and never raises TypeError itself. The cache keeps its
order in a list (O(n) per hit), never validates the capacity and does not
reset the counters on clear. Thread safety is one lock around the whole call,
function included. There is no log.
"""

import functools
import threading

from typing import NamedTuple


class CacheInfo(NamedTuple):
    hits: int
    misses: int
    capacity: int
    size: int


def convert(value):
    if isinstance(value, (list, tuple)):
        return tuple(convert(v) for v in value)
    if isinstance(value, (set, frozenset)):
        return tuple(sorted(convert(v) for v in value))
    if isinstance(value, dict):
        return tuple(sorted((convert(k), convert(v)) for k, v in value.items()))
    return value


def make_key(args, kwargs):
    key = tuple(convert(a) for a in args)
    for name in sorted(kwargs):
        key += ((name, convert(kwargs[name])),)
    return key


def memoize(capacity=128, log_path=None):
    def decorate(func):
        cache = {}
        order = []
        stats = {"hits": 0, "misses": 0}
        lock = threading.RLock()

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            key = make_key(args, kwargs)
            with lock:
                if key in cache:
                    stats["hits"] += 1
                    order.remove(key)
                    order.append(key)
                    return cache[key]
                stats["misses"] += 1
                result = func(*args, **kwargs)
                cache[key] = result
                order.append(key)
                if len(order) > capacity:
                    oldest = order.pop(0)
                    del cache[oldest]
                return result

        def cache_info():
            return CacheInfo(stats["hits"], stats["misses"], capacity, len(cache))

        def cache_clear():
            cache.clear()
            order.clear()

        def cache_compact():
            pass

        wrapper.cache_info = cache_info
        wrapper.cache_clear = cache_clear
        wrapper.cache_compact = cache_compact
        return wrapper

    return decorate
