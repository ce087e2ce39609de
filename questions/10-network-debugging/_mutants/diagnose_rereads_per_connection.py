"""Mutant: diagnose reads the log once to list the connections and then once
more for every connection, so a log of a few hundred connections is read a
few hundred times.
"""

from __future__ import annotations

import heapq
import random
from bisect import bisect_right
from collections import deque
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

FIELDS = ("ts", "conn", "direction", "seq", "ack", "length", "window", "flags")
FLAG_LETTERS = frozenset("SAPFR")


def _number(token: str, name: str, line_no: int) -> int:
    """A field of decimal digits only (no sign, no underscores)."""
    if not (token.isascii() and token.isdigit()):
        raise ValueError(f"line {line_no}: {name} must be a non-negative integer, got {token!r}")
    return int(token)


def _flags(token: str, line_no: int) -> str:
    """"." or distinct letters from SAPFR, as written."""
    if token != "." and (set(token) - FLAG_LETTERS or len(set(token)) != len(token)):
        raise ValueError(f"line {line_no}: flags must be '.' or distinct letters of SAPFR, "
                         f"got {token!r}")
    return token


def parse_line(text: str, line_no: int) -> Segment | None:
    """One line of the log: a Segment, None for a blank or comment line.

    A malformed line raises ValueError with "line <line_no>" in its message.
    """
    fields = text.split()
    if not fields or fields[0].startswith("#"):
        return None
    if len(fields) != len(FIELDS):
        raise ValueError(f"line {line_no}: expected {len(FIELDS)} fields, got {len(fields)}")
    ts, conn, direction, seq, ack, length, window, flags = fields
    if direction not in ("C", "S"):
        raise ValueError(f"line {line_no}: direction must be C or S, got {direction!r}")
    return Segment(_number(ts, "ts", line_no), conn, direction, _number(seq, "seq", line_no),
                   _number(ack, "ack", line_no), _number(length, "length", line_no),
                   _number(window, "window", line_no), _flags(flags, line_no))


def records(log: Iterable[str], malformed: list[int] | None = None) -> Iterator[Segment]:
    """The valid records of ``log`` in order, in one pass; malformed line numbers are noted."""
    last_ts = 0
    for line_no, text in enumerate(log, 1):
        try:
            segment = parse_line(text, line_no)
        except ValueError:
            segment = None
            if malformed is not None:
                malformed.append(line_no)
        if segment is None:
            continue
        if segment.ts < last_ts:
            if malformed is not None:
                malformed.append(line_no)
            continue
        last_ts = segment.ts
        yield segment


class _Span:
    """First and last timestamp and the stream ends of one connection."""

    def __init__(self, ts: int) -> None:
        self.first = self.last = ts
        self.ends = {"C": 0, "S": 0}

    def add(self, segment: Segment) -> None:
        self.last = segment.ts
        if segment.length:
            end = segment.seq + segment.length
            self.ends[segment.direction] = max(self.ends[segment.direction], end)

    def stats(self) -> ConnStats:
        duration = self.last - self.first
        total = self.ends["C"] + self.ends["S"]
        rate = total * 1_000_000 // duration if duration else 0
        return ConnStats(self.ends["C"], self.ends["S"], duration, rate)


def connection_stats(log: Iterable[str]) -> Traffic:
    """Bytes of each direction, duration and throughput of every connection."""
    malformed: list[int] = []
    spans: dict[str, _Span] = {}
    for segment in records(log, malformed):
        if segment.conn not in spans:
            spans[segment.conn] = _Span(segment.ts)
        spans[segment.conn].add(segment)
    return Traffic({conn: span.stats() for conn, span in spans.items()}, malformed)


# -- Level 2: round-trip times ------------------------------------------------------------------


def percentile(values: Sequence[int], p: int) -> int:
    """The nearest-rank percentile: the value at rank ceil(p * n / 100) in sorted order."""
    if not values:
        raise ValueError("percentile of no values")
    if not 1 <= p <= 100:
        raise ValueError(f"p must be between 1 and 100, got {p}")
    rank = (p * len(values) + 99) // 100
    return sorted(values)[rank - 1]


class _Sent:
    """A server segment waiting for the first ack that covers it."""

    __slots__ = ("end", "owner", "retransmitted", "seq", "ts")

    def __init__(self, segment: Segment, owner: object = None) -> None:
        self.seq, self.end, self.ts = segment.seq, segment.seq + segment.length, segment.ts
        self.retransmitted = False
        self.owner = owner


class _RttTracker:
    """Karn's rule over one connection's server data: samples in segment order."""

    def __init__(self) -> None:
        self.server_end = 0
        self.waiting: deque[_Sent] = deque()
        self.by_seq: dict[int, _Sent] = {}

    def server_data(self, segment: Segment, owner: object = None) -> bool:
        """Note a server data segment; True when it is new data, False for a retransmission."""
        if segment.seq < self.server_end:
            sent = self.by_seq.get(segment.seq)
            if sent is not None:
                sent.retransmitted = True
            return False
        sent = _Sent(segment, owner)
        self.waiting.append(sent)
        self.by_seq[sent.seq] = sent
        self.server_end = sent.end
        return True

    def client_ack(self, segment: Segment) -> Iterator[tuple[_Sent, int]]:
        """The segments this client ack covers first, with their samples (Karn applied)."""
        while self.waiting and self.waiting[0].end <= segment.ack:
            sent = self.waiting.popleft()
            del self.by_seq[sent.seq]
            if not sent.retransmitted:
                yield sent, segment.ts - sent.ts


def _summary(samples: list[int]) -> RttStats:
    if not samples:
        return RttStats([], None, None, None)
    ordered = sorted(samples)
    p50, p90, p99 = (ordered[(p * len(ordered) + 99) // 100 - 1] for p in (50, 90, 99))
    return RttStats(samples, p50, p90, p99)


def rtt_stats(log: Iterable[str]) -> dict[str, RttStats]:
    """RTT samples of the server's data (Karn's rule) and their p50, p90 and p99."""
    trackers: dict[str, _RttTracker] = {}
    samples: dict[str, list[int]] = {}
    for segment in records(log):
        tracker = trackers.setdefault(segment.conn, _RttTracker())
        found = samples.setdefault(segment.conn, [])
        if segment.direction == "S":
            if segment.length:
                tracker.server_data(segment)
        elif "A" in segment.flags:
            found.extend(sample for _, sample in tracker.client_ack(segment))
    return {conn: _summary(found) for conn, found in samples.items()}


# -- Level 3: retransmissions and reordering ----------------------------------------------------

NEW, REORDERED, RETRANSMITTED = "new", "reordered", "retransmitted"


class _Direction:
    """One direction of a stream: the highest byte seen and when each segment was last sent."""

    def __init__(self) -> None:
        self.end = 0
        self.last_sent: dict[int, int] = {}

    def classify(self, segment: Segment) -> tuple[str, int]:
        """(kind, microseconds since the previous sending of these bytes, 0 if none)."""
        previous = self.last_sent.get(segment.seq)
        self.last_sent[segment.seq] = segment.ts
        if previous is not None:
            return RETRANSMITTED, segment.ts - previous
        kind = REORDERED if segment.seq < self.end else NEW
        self.end = max(self.end, segment.seq + segment.length)
        return kind, 0


class _LossCounter:
    def __init__(self) -> None:
        self.directions = {"C": _Direction(), "S": _Direction()}
        self.retransmits = {"C": 0, "S": 0}
        self.reordered = self.retransmitted_bytes = self.max_gap = 0

    def add(self, segment: Segment) -> None:
        kind, gap = self.directions[segment.direction].classify(segment)
        if kind == RETRANSMITTED:
            self.retransmits[segment.direction] += 1
            self.retransmitted_bytes += segment.length
            if segment.direction == "S":
                self.max_gap = max(self.max_gap, gap)
        elif kind == REORDERED:
            self.reordered += 1

    def stats(self) -> LossStats:
        return LossStats(self.retransmits["C"], self.retransmits["S"], self.reordered,
                         self.retransmitted_bytes, self.max_gap)


def loss_stats(log: Iterable[str]) -> dict[str, LossStats]:
    """Retransmissions and reordered segments of every connection."""
    counters: dict[str, _LossCounter] = {}
    for segment in records(log):
        counter = counters.setdefault(segment.conn, _LossCounter())
        if segment.length:
            counter.add(segment)
    return {conn: counter.stats() for conn, counter in counters.items()}


# -- Level 4: why was it slow? ------------------------------------------------------------------


class _Exchange:
    """One request and its response: the four moments and what the response went through."""

    def __init__(self) -> None:
        self.start = self.acked = self.first_byte = self.done = None
        self.request_end = self.response_end = None
        self.retransmitted = False
        self.new_segments = self.window_limited = 0
        self.samples: list[int] = []

    def complete(self) -> bool:
        return None not in (self.start, self.acked, self.first_byte, self.done)

    def cause(self, latency: int, think: int, high_rtt_us: int) -> str:
        if 2 * think >= latency:
            return "server"
        if self.retransmitted:
            return "loss"
        if 2 * self.window_limited >= self.new_segments:
            return "window"
        if self.samples and percentile(self.samples, 50) >= high_rtt_us:
            return "rtt"
        return "unknown"


class _ConnectionAnalysis:
    """Everything diagnose needs about one connection, updated record by record."""

    def __init__(self) -> None:
        self.exchanges: list[_Exchange] = []
        self.message_ends = {"C": [], "S": []}    # ends of the P segments, in stream order
        self.owner = {"C": {}, "S": {}}           # seq of a data segment -> its exchange
        self.client_end = 0
        self.rtt = _RttTracker()
        self.window = self.client_acked = 0
        self.awaiting_ack: deque[_Exchange] = deque()    # requests the server has not acked
        self.awaiting_done: deque[_Exchange] = deque()   # responses the client has not acked

    def exchange(self, direction: str, seq: int) -> _Exchange:
        index = bisect_right(self.message_ends[direction], seq)
        while len(self.exchanges) <= index:
            self.exchanges.append(_Exchange())
        return self.exchanges[index]

    def add(self, segment: Segment) -> None:
        if segment.direction == "C":
            self.window = segment.window
            if "A" in segment.flags:
                self.client_ack(segment)
            if segment.length:
                self.client_data(segment)
        else:
            if "A" in segment.flags:
                self.server_ack(segment)
            if segment.length:
                self.server_data(segment)

    def client_data(self, segment: Segment) -> None:
        owner = self.owner["C"]
        if segment.seq in owner:
            owner[segment.seq].retransmitted = True
            return
        exchange = owner[segment.seq] = self.exchange("C", segment.seq)
        if exchange.start is None:
            exchange.start = segment.ts
        if "P" in segment.flags:
            exchange.request_end = segment.seq + segment.length
            self.message_ends["C"].append(exchange.request_end)
            self.awaiting_ack.append(exchange)

    def server_data(self, segment: Segment) -> None:
        if segment.seq in self.owner["S"]:
            self.owner["S"][segment.seq].retransmitted = True
            self.rtt.server_data(segment)
            return
        exchange = self.owner["S"][segment.seq] = self.exchange("S", segment.seq)
        self.rtt.server_data(segment, exchange)
        if exchange.first_byte is None:
            exchange.first_byte = segment.ts
        exchange.new_segments += 1
        in_flight = segment.seq + segment.length - self.client_acked
        if 10 * in_flight >= 9 * self.window:
            exchange.window_limited += 1
        if "P" in segment.flags:
            exchange.response_end = segment.seq + segment.length
            self.message_ends["S"].append(exchange.response_end)
            self.awaiting_done.append(exchange)

    def server_ack(self, segment: Segment) -> None:
        while self.awaiting_ack and segment.ack >= self.awaiting_ack[0].request_end:
            self.awaiting_ack.popleft().acked = segment.ts

    def client_ack(self, segment: Segment) -> None:
        self.client_acked = max(self.client_acked, segment.ack)
        for sent, sample in self.rtt.client_ack(segment):
            sent.owner.samples.append(sample)
        while self.awaiting_done and segment.ack >= self.awaiting_done[0].response_end:
            self.awaiting_done.popleft().done = segment.ts

    def slow(self, conn: str, slow_us: int, high_rtt_us: int) -> Iterator[Diagnosis]:
        for number, exchange in enumerate(self.exchanges, 1):
            if not exchange.complete():
                continue
            latency = exchange.done - exchange.start
            if latency >= slow_us:
                think = max(0, exchange.first_byte - exchange.acked)
                yield Diagnosis(conn, number, latency, think,
                                exchange.cause(latency, think, high_rtt_us))


def diagnose(log: Iterable[str], slow_us: int = 200_000,
             high_rtt_us: int = 100_000) -> list[Diagnosis]:
    """Every exchange with latency >= slow_us, with the cause the rules give it."""
    conns = list(dict.fromkeys(segment.conn for segment in records(log)))
    found = []
    for conn in conns:
        analysis = _ConnectionAnalysis()
        for segment in records(log):
            if segment.conn == conn:
                analysis.add(segment)
        found.extend(analysis.slow(conn, slow_us, high_rtt_us))
    return found
