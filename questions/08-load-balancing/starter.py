"""Load balancing and request routing: round robin, least connections, smooth
weighted round robin with health checks, a consistent-hash ring, and an event
simulation that compares the policies by their latency percentiles.

Fill in the classes and functions; QUESTION.md describes every level. Keep the
names and signatures; add private helpers freely. Standard library only.
``Request``, ``SimResult``, ``ring_hash`` and ``skewed_trace`` are provided:
leave them as they are.
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


# -- Level 1: round robin and least connections ------------------------------------------------


class RoundRobin:
    """Hands out the servers in list order, wrapping around after the last."""

    def __init__(self, servers: list[str]) -> None:
        """Remember the servers; an empty list raises ValueError."""
        raise NotImplementedError

    def route(self, request: Request) -> str:
        """The next server in order."""
        raise NotImplementedError

    def finish(self, server: str) -> None:
        """A request on ``server`` completed; ValueError for an unknown name."""
        raise NotImplementedError


class LeastConnections:
    """Sends each request to the server with the fewest active requests."""

    def __init__(self, servers: list[str]) -> None:
        """Every server starts with 0 active requests; an empty list raises ValueError."""
        raise NotImplementedError

    def route(self, request: Request) -> str:
        """The server with the fewest active requests (ties: first in order); count it."""
        raise NotImplementedError

    def finish(self, server: str) -> None:
        """One active request of ``server`` completed; ValueError if it has none."""
        raise NotImplementedError


# -- Level 2: smooth weighted round robin with health checks -----------------------------------


class WeightedRoundRobin:
    """Smooth weighted round robin over the healthy servers."""

    def __init__(self, weights: dict[str, int]) -> None:
        """Servers in dict order, each with a weight >= 1; ValueError otherwise."""
        raise NotImplementedError

    def route(self, request: Request) -> str:
        """Grow every healthy current weight, pick the largest, charge it the total."""
        raise NotImplementedError

    def finish(self, server: str) -> None:
        """A request on ``server`` completed; ValueError for an unknown name."""
        raise NotImplementedError

    def mark_down(self, server: str) -> None:
        """Take ``server`` out of the rotation."""
        raise NotImplementedError

    def mark_up(self, server: str) -> None:
        """Bring a down ``server`` back, its current weight restarting at 0."""
        raise NotImplementedError


# -- Level 3: a consistent-hash ring -----------------------------------------------------------


class HashRing:
    """A consistent-hash ring with ``vnodes`` points per server."""

    def __init__(self, servers: list[str], vnodes: int) -> None:
        """Place point i of server s at ring_hash(f"{s}#{i}") for i < vnodes."""
        raise NotImplementedError

    def lookup(self, key: str) -> str:
        """The owner of the first point at or after ring_hash(key), wrapping around."""
        raise NotImplementedError

    def add(self, server: str) -> None:
        """Place the points of a new server; ValueError if it is already on the ring."""
        raise NotImplementedError

    def remove(self, server: str) -> None:
        """Take away every point of ``server``; ValueError if it is not on the ring."""
        raise NotImplementedError


# -- Level 4: simulating the policies ----------------------------------------------------------


def percentile(values: Sequence[int], p: int) -> int:
    """The nearest-rank percentile: the value at rank ceil(p * n / 100) in sorted order."""
    raise NotImplementedError


def simulate(requests: Sequence[Request], n_servers: int, policy: str,
             seed: int = 0) -> SimResult:
    """Route every request with ``policy`` to FIFO servers and report the latencies."""
    raise NotImplementedError
