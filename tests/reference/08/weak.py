"""Load balancing: a weak solution.

Round robin and least connections work for the happy path, but least
connections lets a count go negative. The weighted balancer repeats each
server weight times in a row (not smooth) and ignores health entirely, the
"ring" is modulo hashing, and level 4 was never started.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from typing import NamedTuple

# -- provided ----------------------------------------------------------------------------------


class Request(NamedTuple):
    """One request: when it arrives, how long it takes to serve, and its routing key."""

    arrival: int
    duration: int
    key: str


class SimResult(NamedTuple):
    """The outcome of ``simulate``; the lists are in the order of the input requests."""

    servers: list[int]
    latencies: list[int]
    p50: int | None
    p99: int | None


def ring_hash(text: str) -> int:
    """The position of ``text`` on the ring: the first 8 bytes of its SHA-256, big-endian."""
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


def skewed_trace(n: int = 4000, seed: int = 2024) -> list[Request]:
    """A deterministic trace of ``n`` requests, sorted by arrival.

    Gaps between arrivals are exponential with a mean of about 300; nine
    requests in ten are short (100 to 1,000) and one in ten is long (5,000 to
    20,000). Keys follow a heavy-tailed popularity: a few users send most of
    the requests.
    """
    rng = random.Random(seed)
    requests = []
    now = 0
    for _ in range(n):
        now += int(rng.expovariate(1 / 300))
        is_long = rng.random() < 0.1
        duration = rng.randint(5000, 20000) if is_long else rng.randint(100, 1000)
        key = f"user-{int(rng.paretovariate(1.1)) % 500}"
        requests.append(Request(now, duration, key))
    return requests



class RoundRobin:
    def __init__(self, servers):
        if not servers:
            raise ValueError("no servers")
        self.servers = servers
        self.i = 0

    def route(self, request):
        s = self.servers[self.i]
        self.i = (self.i + 1) % len(self.servers)
        return s

    def finish(self, server):
        if server not in self.servers:
            raise ValueError("unknown server")


class LeastConnections:
    def __init__(self, servers):
        if not servers:
            raise ValueError("no servers")
        self.servers = servers
        self.active = {s: 0 for s in servers}

    def route(self, request):
        s = min(self.servers, key=lambda name: self.active[name])
        self.active[s] += 1
        return s

    def finish(self, server):
        if server not in self.active:
            raise ValueError("unknown server")
        self.active[server] -= 1


class WeightedRoundRobin:
    def __init__(self, weights):
        self.order = []
        for s, w in weights.items():
            self.order += [s] * w
        self.i = 0
        self.down = set()

    def route(self, request):
        for _ in range(len(self.order)):
            s = self.order[self.i % len(self.order)]
            self.i += 1
            if s not in self.down:
                return s
        raise LookupError("all down")

    def finish(self, server):
        pass

    def mark_down(self, server):
        self.down.add(server)

    def mark_up(self, server):
        self.down.discard(server)


class HashRing:
    def __init__(self, servers, vnodes):
        self.servers = list(servers)

    def lookup(self, key):
        return self.servers[ring_hash(key) % len(self.servers)]

    def add(self, server):
        self.servers.append(server)

    def remove(self, server):
        self.servers.remove(server)


def percentile(values, p):
    raise NotImplementedError


def simulate(requests, n_servers, policy, seed=0):
    raise NotImplementedError
