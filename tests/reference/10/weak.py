"""Network performance debugging (weak reference).

The parser trusts int() and never checks flags or the timestamp order, bytes
are summed (so resent bytes count twice), RTT samples ignore Karn's rule and
use a floating-point rank, and levels 3 and 4 were never started.

Network performance debugging: parse a server-side packet log, then measure
bytes and throughput, round-trip times, retransmissions and reordering, and
finally explain why each slow request was slow.

Fill in the functions; QUESTION.md describes every level. Keep the names and
signatures; add private helpers freely. Standard library only. The result
types, ``CountingLog`` and the log generator (``generate_log``, ``mixed_log``)
are provided: leave them as they are.
"""

from __future__ import annotations

import heapq
import math
import random
from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple

# -- provided: the result types ----------------------------------------------------------------


class Segment(NamedTuple):
    """One record of the log, as ``parse_line`` returns it."""

    ts: int          # microseconds
    conn: str        # connection id
    direction: str   # "C": sent by the client, "S": sent by the server
    seq: int         # sequence number of the first payload byte
    ack: int         # next byte expected from the other side (meaningful only with flag A)
    length: int      # payload bytes
    window: int      # receive window the sender advertises, in bytes
    flags: str       # as written: letters from "SAPFR", or "." for none


class ConnStats(NamedTuple):
    """Level 1: one connection's bytes, duration and throughput."""

    client_bytes: int       # highest seq + length of the client's data segments (0 if none)
    server_bytes: int       # the same for the server
    duration_us: int        # last record's ts minus first record's ts
    bytes_per_second: int   # (client_bytes + server_bytes) * 1_000_000 // duration_us, 0 if 0


class Traffic(NamedTuple):
    """Level 1: every connection in order of first appearance, and the malformed lines."""

    connections: dict[str, ConnStats]
    malformed: list[int]    # line numbers, counting from 1, blank and comment lines included


class RttStats(NamedTuple):
    """Level 2: the RTT samples of one connection and their nearest-rank percentiles."""

    samples: list[int]      # in the order of the server segments they measure
    p50: int | None         # None when there are no samples
    p90: int | None
    p99: int | None


class LossStats(NamedTuple):
    """Level 3: retransmissions and reordering of one connection."""

    client_retransmits: int     # client data segments that repeat bytes already seen
    server_retransmits: int     # the same for the server
    reordered: int              # data segments below the highest byte seen, not retransmissions
    retransmitted_bytes: int    # payload bytes of all retransmissions, both directions
    max_retransmit_gap_us: int  # longest wait between two sendings of one server segment


class Diagnosis(NamedTuple):
    """Level 4: one slow exchange and the cause the rules give it."""

    conn: str
    exchange: int       # 1 for the connection's first request/response, 2 for the next ...
    latency_us: int
    think_us: int
    cause: str          # "server", "loss", "window", "rtt" or "unknown"


# -- provided: a log that counts what is read ---------------------------------------------------


class CountingLog:
    """A log that can be read many times and counts every line handed out.

    Iterating it yields all its lines again from the first one (like reopening
    a file). ``lines_read`` is the total over all iterations and ``passes`` the
    number of iterations started. The hidden tests give your functions their
    own copy of this class.
    """

    def __init__(self, lines: Iterable[str]) -> None:
        self._lines = list(lines)
        self.lines_read = 0
        self.passes = 0

    def __len__(self) -> int:
        return len(self._lines)

    def __iter__(self) -> Iterator[str]:
        self.passes += 1
        for line in self._lines:
            self.lines_read += 1
            yield line


# -- provided: a deterministic log generator ----------------------------------------------------

MSS = 1460               # bytes in a full segment
SERVER_WINDOW = 65_535   # the window the server advertises
SEND_GAP_US = 100        # the server's link sends one full segment every 100 us
CWND_SEGMENTS = 10       # segments the server keeps in flight at most (fixed in this model)
RTO_US = 200_000         # a lost server segment is sent again 200 ms after it was sent


class Profile(NamedTuple):
    """How one generated connection behaves."""

    rtt_us: int           # round-trip time, before jitter
    think_us: int         # server time from the request's ack to the first response byte
    window: int           # the receive window the client advertises
    segments: int         # response size in full segments, before variation
    tail_loss: bool       # lose the second-to-last segment of every response once


PROFILES = {
    "healthy": Profile(20_000, 5_000, 65_535, 15, False),
    "server": Profile(20_000, 300_000, 65_535, 15, False),
    "rtt": Profile(150_000, 5_000, 65_535, 15, False),
    "loss": Profile(20_000, 5_000, 65_535, 15, True),
    "window": Profile(20_000, 5_000, 4 * MSS, 60, False),
}


def _pieces(base: int, size: int) -> list[tuple[int, int]]:
    """(seq, length) of the segments that carry ``size`` bytes from ``base``."""
    return [(seq, min(MSS, base + size - seq)) for seq in range(base, base + size, MSS)]


class _Connection:
    """Simulates one keep-alive connection as a capture on the server records it."""

    def __init__(self, conn: str, profile: Profile, rng: random.Random, quirks: bool) -> None:
        self.conn, self.rng, self.quirks = conn, rng, quirks
        self.rtt = profile.rtt_us * rng.randint(90, 110) // 100
        self.profile = profile
        self.records: list[tuple[int, int, str]] = []
        self.client_next = 0    # bytes the client has sent (and the server received) so far
        self.server_next = 0    # bytes the server has sent so far

    def emit(self, ts: int, direction: str, seq: int, ack: int, length: int, flags: str) -> None:
        window = self.profile.window if direction == "C" else SERVER_WINDOW
        line = f"{ts} {self.conn} {direction} {seq} {ack} {length} {window} {flags}"
        self.records.append((ts, len(self.records), line))

    def run(self, start: int, exchanges: int) -> list[tuple[int, int, str]]:
        self.emit(start, "C", 0, 0, 0, "S")
        self.emit(start + 10, "S", 0, 0, 0, "SA")
        now = start + 10 + self.rtt
        self.emit(now, "C", 0, 0, 0, "A")
        for _ in range(exchanges):
            now = self.request(now + self.rng.randint(1_000, 20_000))
            think = self.profile.think_us * self.rng.randint(80, 120) // 100
            now = self.response(now + think)
        now += self.rng.randint(1_000, 20_000)
        self.emit(now, "C", self.client_next, self.server_next, 0, "FA")
        self.emit(now + 10, "S", self.server_next, self.client_next, 0, "FA")
        self.emit(now + 10 + self.rtt, "C", self.client_next, self.server_next, 0, "A")
        return self.records

    def request(self, start: int) -> int:
        """The request arrives; the server acks it. Answers the time of that ack."""
        base, size = self.client_next, self.rng.randint(200, 3000)
        end = base + size
        arrivals = [(start + 20 * i, seq, n) for i, (seq, n) in enumerate(_pieces(base, size))]
        if self.quirks and len(arrivals) > 1 and self.rng.random() < 0.3:
            (t0, *first), (t1, *second) = arrivals[0], arrivals[1]
            arrivals[0], arrivals[1] = (t0, *second), (t1, *first)
        if self.quirks and self.rng.random() < 0.15:
            _, seq, n = self.rng.choice(arrivals)
            arrivals.append((arrivals[-1][0] + self.rtt // 2, seq, n))
        received, got, acked_at = set(), base, 0
        for ts, seq, n in arrivals:
            self.emit(ts, "C", seq, self.server_next, n, "PA" if seq + n == end else "A")
            received.add(seq)
            while got < end and got in received:
                got = min(end, got + MSS)
            if got == end and not acked_at:
                acked_at = ts + 10
            self.emit(ts + 10, "S", self.server_next, got, 0, "A")
        self.client_next = end
        return acked_at

    def response(self, start: int) -> int:
        """The server sends the response; answers when the client has acked all of it."""
        segments = self.profile.segments + self.rng.randint(-3, 3)
        base = self.server_next
        size = segments * MSS - self.rng.randint(0, MSS - 1)
        pieces, self.end = _pieces(base, size), base + size
        lost = {len(pieces) - 2} if self.profile.tail_loss else set()
        limit = min(CWND_SEGMENTS * MSS, self.profile.window)
        self.free, self.arrive, self.ack_arrive = start, 0, 0
        self.client_has, self.client_ack = set(), base
        self.events: list[tuple[int, int, int, int]] = []   # (time, 0 ack / 1 resend, order, value)
        acked, nxt, done_at = base, 0, 0
        while acked < self.end:
            ready = nxt < len(pieces) and sum(pieces[nxt]) - acked <= limit
            if self.events and (not ready or self.events[0][0] <= self.free):
                ts, kind, _, value = heapq.heappop(self.events)
                self.free = max(self.free, ts)
                if kind == 0:
                    self.emit(ts, "C", self.client_next, value, 0, "A")
                    acked, done_at = max(acked, value), ts
                else:
                    self.send(*pieces[value], self.free, delivered=True)
                continue
            sent_at = self.free
            self.send(*pieces[nxt], sent_at, delivered=nxt not in lost)
            if nxt in lost:
                heapq.heappush(self.events, (sent_at + RTO_US, 1, nxt, nxt))
            nxt += 1
        self.server_next = self.end
        return done_at

    def send(self, seq: int, length: int, ts: int, delivered: bool) -> None:
        """The server sends a segment at ``ts``; if it arrives, the client's ack is scheduled."""
        self.emit(ts, "S", seq, self.client_next, length, "PA" if seq + length == self.end else "A")
        self.free = ts + max(1, SEND_GAP_US * length // MSS)
        if not delivered:
            return
        one_way = self.rtt // 2
        self.arrive = max(self.arrive, ts + one_way + self.rng.randint(0, self.rtt // 50))
        self.client_has.add(seq)
        while self.client_ack < self.end and self.client_ack in self.client_has:
            self.client_ack = min(self.end, self.client_ack + MSS)
        self.ack_arrive = max(self.ack_arrive, self.arrive + self.rtt - one_way)
        heapq.heappush(self.events, (self.ack_arrive, 0, len(self.records), self.client_ack))


def generate_log(pathology: str = "healthy", *, conn: str = "c1", exchanges: int = 3,
                 seed: int = 0, start_us: int = 0) -> list[str]:
    """The log lines of one connection whose every exchange shows ``pathology``.

    ``pathology`` is a key of ``PROFILES``: "healthy" (fast), "server" (long
    think time), "rtt" (a 150 ms path), "loss" (a lost segment near the end of
    each response, resent after RTO_US) or "window" (a small client window).
    The same arguments always give the same lines.
    """
    if pathology not in PROFILES:
        raise ValueError(f"unknown pathology {pathology!r}; choose from {sorted(PROFILES)}")
    rng = random.Random(f"{pathology}/{conn}/{seed}")
    records = _Connection(conn, PROFILES[pathology], rng, quirks=False).run(start_us, exchanges)
    return [line for _, _, line in sorted(records)]


def mixed_log(connections: int = 20, seed: int = 0) -> list[str]:
    """Many connections at once, each with a pathology drawn from ``seed``.

    Half the connections are healthy. Now and then a request's first two
    segments arrive swapped, or one of them arrives twice. Lines are merged in
    timestamp order.
    """
    rng = random.Random(seed)
    kinds = ["healthy"] * 4 + ["server", "rtt", "loss", "window"]
    records: list[tuple[int, int, int, str]] = []
    start = 0
    for index in range(connections):
        start += rng.randint(0, 30_000)
        conn = f"10.0.{index // 200}.{index % 200 + 1}:{40_000 + index}"
        profile = PROFILES[rng.choice(kinds)]
        sim = _Connection(conn, profile, random.Random(rng.random()), quirks=True)
        for ts, order, line in sim.run(start, rng.randint(1, 4)):
            records.append((ts, index, order, line))
    records.sort()
    return [line for *_, line in records]


# -- Level 1: parsing, bytes and throughput -----------------------------------------------------


def parse_line(text, line_no):
    p = text.split()
    if not p or p[0].startswith("#"):
        return None
    if len(p) != 8:
        raise ValueError(f"line {line_no}: bad")
    return Segment(int(p[0]), p[1], p[2], int(p[3]), int(p[4]), int(p[5]), int(p[6]), p[7])


def connection_stats(log):
    out = {}
    bad = []
    first = {}
    for i, line in enumerate(log):
        try:
            r = parse_line(line, i + 1)
        except ValueError:
            bad.append(i + 1)
            continue
        if r is None:
            continue
        if r.conn not in out:
            first[r.conn] = r.ts
            out[r.conn] = [0, 0, 0]
        if r.direction == "C":
            out[r.conn][0] += r.length
        else:
            out[r.conn][1] += r.length
        out[r.conn][2] = r.ts - first[r.conn]
    res = {}
    for k, (c, s, d) in out.items():
        res[k] = ConnStats(c, s, d, int((c + s) / (d / 1000000)) if d else 0)
    return Traffic(res, bad)


# -- Level 2: round-trip times ------------------------------------------------------------------


def percentile(values, p):
    v = sorted(values)
    return v[math.ceil(p / 100 * len(v)) - 1]


def rtt_stats(log):
    sent = {}
    samples = {}
    for i, line in enumerate(log):
        try:
            r = parse_line(line, i + 1)
        except ValueError:
            continue
        if r is None:
            continue
        samples.setdefault(r.conn, [])
        if r.direction == "S" and r.length > 0:
            sent[(r.conn, r.seq + r.length)] = r.ts
        elif r.direction == "C":
            key = (r.conn, r.ack)
            if key in sent:
                samples[r.conn].append(r.ts - sent.pop(key))
    out = {}
    for k, s in samples.items():
        if s:
            out[k] = RttStats(s, percentile(s, 50), percentile(s, 90), percentile(s, 99))
        else:
            out[k] = RttStats([], None, None, None)
    return out


# -- Level 3: retransmissions and reordering ----------------------------------------------------


def loss_stats(log):
    raise NotImplementedError


# -- Level 4: why was it slow? ------------------------------------------------------------------


def diagnose(log, slow_us=200_000, high_rtt_us=100_000):
    raise NotImplementedError
