"""Memoising cache: the average reference.

Levels 1 and 2 are right. Level 3 does not hold the lock while the function
runs and makes concurrent callers of a key wait for its computation, but when
that computation fails the waiters run the function again themselves, and
they are counted as misses. Level 4 appends and replays the log, but a torn
last line makes replay fail, and compaction was never written.
"""

from __future__ import annotations

import functools
import json
import threading
from collections import OrderedDict
from typing import Any, NamedTuple


class CacheInfo(NamedTuple):
    hits: int
    misses: int
    capacity: int
    size: int


SIMPLE = (type(None), bool, int, float, str, bytes)


def freeze(value: Any) -> Any:
    t = type(value)
    if t in SIMPLE:
        return (t, value)
    if t in (list, tuple):
        return (t, tuple(freeze(v) for v in value))
    if t in (set, frozenset):
        return (t, frozenset(freeze(v) for v in value))
    if t is dict:
        return (t, frozenset((freeze(k), freeze(v)) for k, v in value.items()))
    hash(value)  # raises TypeError for anything unhashable
    return (t, value)


def make_key(args, kwargs):
    return (freeze(args), frozenset((k, freeze(v)) for k, v in kwargs.items()))


class Cache:
    def __init__(self, func, capacity, log_path):
        self.func = func
        self.capacity = capacity
        self.data = OrderedDict()
        self.raw = {}
        self.running = {}
        self.lock = threading.Lock()
        self.hits = 0
        self.misses = 0
        self.log_path = log_path
        if log_path:
            self.load()

    def load(self):
        try:
            with open(self.log_path) as f:
                lines = f.read().split("\n")
        except FileNotFoundError:
            lines = []
        for line in lines:
            if not line:
                continue
            entry = json.loads(line)
            args, kwargs = tuple(entry["args"]), entry["kwargs"]
            self.put(make_key(args, kwargs), entry["value"], (args, kwargs))

    def put(self, key, value, raw):
        self.data[key] = value
        self.data.move_to_end(key)
        self.raw[key] = raw
        if len(self.data) > self.capacity:
            old, _ = self.data.popitem(last=False)
            del self.raw[old]

    def call(self, args, kwargs):
        key = make_key(args, kwargs)
        while True:
            with self.lock:
                if key in self.data:
                    self.hits += 1
                    self.data.move_to_end(key)
                    return self.data[key]
                self.misses += 1
                event = self.running.get(key)
                if event is None:
                    event = self.running[key] = threading.Event()
                    break
            event.wait()
        try:
            value = self.func(*args, **kwargs)
        except BaseException:
            with self.lock:
                del self.running[key]
            event.set()
            raise
        with self.lock:
            self.put(key, value, (args, kwargs))
            if self.log_path:
                with open(self.log_path, "a") as f:
                    f.write(json.dumps({"args": args, "kwargs": kwargs, "value": value}) + "\n")
            del self.running[key]
        event.set()
        return value

    def info(self):
        with self.lock:
            return CacheInfo(self.hits, self.misses, self.capacity, len(self.data))

    def clear(self):
        with self.lock:
            self.data.clear()
            self.raw.clear()
            self.hits = self.misses = 0
            if self.log_path:
                open(self.log_path, "w").close()

    def compact(self):
        pass  # ran out of time before compaction


def memoize(capacity=128, *, log_path=None):
    if capacity < 1:
        raise ValueError("capacity must be positive")

    def decorate(func):
        cache = Cache(func, capacity, log_path)

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            return cache.call(args, kwargs)

        wrapper.cache_info = cache.info
        wrapper.cache_clear = cache.clear
        wrapper.cache_compact = cache.compact
        return wrapper

    return decorate
