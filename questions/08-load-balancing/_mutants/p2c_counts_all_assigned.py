"""Mutant: power-of-two-choices compares the number of requests ever sent to
each server instead of the requests still in the system, so it degrades to
balancing counts, like a blind round robin.
"""

from __future__ import annotations

import hashlib
import random
from bisect import bisect_left
from collections import deque
from collections.abc import Iterable, Sequence
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


# -- shared checks -----------------------------------------------------------------------------


def _server_list(servers: Iterable[str]) -> list[str]:
    names = list(servers)
    if not names:
        raise ValueError("servers must not be empty")
    return names


def _known(server: str, names: Iterable[str]) -> None:
    if server not in names:
        raise ValueError(f"unknown server {server!r}")


# -- Level 1: round robin and least connections ------------------------------------------------


class RoundRobin:
    """Hands out the servers in list order, wrapping around."""

    def __init__(self, servers: list[str]) -> None:
        self._servers = _server_list(servers)
        self._next = 0

    def route(self, request: Request) -> str:
        server = self._servers[self._next]
        self._next = (self._next + 1) % len(self._servers)
        return server

    def finish(self, server: str) -> None:
        _known(server, self._servers)


class LeastConnections:
    """Sends each request to the server with the fewest active requests (first on ties)."""

    def __init__(self, servers: list[str]) -> None:
        self._active = dict.fromkeys(_server_list(servers), 0)

    def route(self, request: Request) -> str:
        server = min(self._active, key=self._active.__getitem__)
        self._active[server] += 1
        return server

    def finish(self, server: str) -> None:
        _known(server, self._active)
        if self._active[server] == 0:
            raise ValueError(f"server {server!r} has no active request")
        self._active[server] -= 1


# -- Level 2: smooth weighted round robin with health checks -----------------------------------


class WeightedRoundRobin:
    """Smooth weighted round robin over the healthy servers."""

    def __init__(self, weights: dict[str, int]) -> None:
        if not weights:
            raise ValueError("weights must not be empty")
        if any(weight < 1 for weight in weights.values()):
            raise ValueError("every weight must be at least 1")
        self._weights = dict(weights)
        self._current = dict.fromkeys(weights, 0)
        self._down: set[str] = set()

    def route(self, request: Request) -> str:
        healthy = [name for name in self._weights if name not in self._down]
        if not healthy:
            raise LookupError("no healthy server")
        for name in healthy:
            self._current[name] += self._weights[name]
        best = max(healthy, key=self._current.__getitem__)
        self._current[best] -= sum(self._weights[name] for name in healthy)
        return best

    def finish(self, server: str) -> None:
        _known(server, self._weights)

    def mark_down(self, server: str) -> None:
        _known(server, self._weights)
        self._down.add(server)

    def mark_up(self, server: str) -> None:
        _known(server, self._weights)
        if server in self._down:
            self._down.discard(server)
            self._current[server] = 0


# -- Level 3: consistent hashing ---------------------------------------------------------------


class HashRing:
    """A consistent-hash ring with ``vnodes`` points per server."""

    def __init__(self, servers: list[str], vnodes: int) -> None:
        if vnodes < 1:
            raise ValueError("vnodes must be at least 1")
        self._vnodes = vnodes
        self._servers: set[str] = set()
        points: list[tuple[int, str]] = []
        for server in servers:
            points += self._claim(server)
        self._rebuild(points)

    def _claim(self, server: str) -> list[tuple[int, str]]:
        """Register ``server`` and answer its points on the ring."""
        if server in self._servers:
            raise ValueError(f"server {server!r} is already on the ring")
        self._servers.add(server)
        return [(ring_hash(f"{server}#{i}"), server) for i in range(self._vnodes)]

    def _rebuild(self, points: list[tuple[int, str]]) -> None:
        points.sort()
        self._ring = points
        self._points = [position for position, _ in points]

    def add(self, server: str) -> None:
        self._rebuild(self._ring + self._claim(server))

    def remove(self, server: str) -> None:
        _known(server, self._servers)
        self._servers.discard(server)
        kept = [pair for pair in self._ring if pair[1] != server]
        self._rebuild(kept)

    def lookup(self, key: str) -> str:
        if not self._ring:
            raise LookupError("the ring has no server")
        index = bisect_left(self._points, ring_hash(key))
        return self._ring[index % len(self._ring)][1]


# -- Level 4: simulating the policies ----------------------------------------------------------


def percentile(values: Sequence[int], p: int) -> int:
    """Nearest-rank percentile: the value of rank ceil(p * n / 100) in sorted order."""
    if not values:
        raise ValueError("no values")
    if not 1 <= p <= 100:
        raise ValueError("p must be between 1 and 100")
    rank = -(-p * len(values) // 100)
    return sorted(values)[rank - 1]


class _Server:
    """One FIFO server: when it is free, and the finish times still in the system."""

    def __init__(self) -> None:
        self.free_at = 0
        self.finishes: deque[int] = deque()

    def load(self, now: int) -> int:
        return len(self.finishes)

    def serve(self, request: Request) -> int:
        finish = max(request.arrival, self.free_at) + request.duration
        self.free_at = finish
        self.finishes.append(finish)
        return finish - request.arrival


class _Chooser:
    """Picks a server per request for one policy."""

    def __init__(self, policy: str, servers: list[_Server], seed: int) -> None:
        pick = {"round_robin": self._round_robin, "random": self._random,
                "power_of_two": self._power_of_two}.get(policy)
        if pick is None:
            raise ValueError(f"unknown policy {policy!r}")
        self._pick = pick
        self._servers = servers
        self._rng = random.Random(seed)
        self._count = 0

    def choose(self, now: int) -> int:
        if len(self._servers) == 1:
            return 0
        return self._pick(now)

    def _round_robin(self, now: int) -> int:
        self._count += 1
        return (self._count - 1) % len(self._servers)

    def _random(self, now: int) -> int:
        return self._rng.randrange(len(self._servers))

    def _power_of_two(self, now: int) -> int:
        first, second = self._rng.sample(range(len(self._servers)), 2)
        if self._servers[second].load(now) < self._servers[first].load(now):
            return second
        return first


def simulate(requests: Sequence[Request], n_servers: int, policy: str,
             seed: int = 0) -> SimResult:
    """Route every request with ``policy`` to FIFO servers and report the latencies."""
    if n_servers < 1:
        raise ValueError("n_servers must be at least 1")
    servers = [_Server() for _ in range(n_servers)]
    chooser = _Chooser(policy, servers, seed)
    chosen = [0] * len(requests)
    latencies = [0] * len(requests)
    for index in sorted(range(len(requests)), key=lambda i: requests[i].arrival):
        request = requests[index]
        chosen[index] = chooser.choose(request.arrival)
        latencies[index] = servers[chosen[index]].serve(request)
    if not latencies:
        return SimResult([], [], None, None)
    return SimResult(chosen, latencies, percentile(latencies, 50), percentile(latencies, 99))
