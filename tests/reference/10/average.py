"""Network performance debugging (average reference: correct but clumsy): parse a server-side packet log, then measure
bytes and throughput, round-trip times, retransmissions and reordering, and
finally explain why each slow request was slow.

Fill in the functions; QUESTION.md describes every level. Keep the names and
signatures; add private helpers freely. Standard library only. The result
types, ``CountingLog`` and the log generator (``generate_log``, ``mixed_log``)
are provided: leave them as they are.
"""

from __future__ import annotations

import heapq
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
    parts = text.split()
    if len(parts) == 0:
        return None
    if parts[0][0] == "#":
        return None
    if len(parts) != 8:
        raise ValueError("bad line " + str(line_no) + ": wrong number of fields")
    nums = []
    for i in [0, 3, 4, 5, 6]:
        p = parts[i]
        ok = len(p) > 0
        for ch in p:
            if ch not in "0123456789":
                ok = False
        if not ok:
            raise ValueError("bad line " + str(line_no) + ": not a number")
        nums.append(int(p))
    if parts[2] != "C" and parts[2] != "S":
        raise ValueError("bad line " + str(line_no) + ": direction")
    fl = parts[7]
    if fl != ".":
        for ch in fl:
            if ch not in "SAPFR" or fl.count(ch) > 1:
                raise ValueError("bad line " + str(line_no) + ": flags")
    return Segment(nums[0], parts[1], parts[2], nums[1], nums[2], nums[3], nums[4], fl)


def read_all(log):
    # read the whole log into a list of good records
    recs = []
    bad = []
    last = -1
    n = 0
    for line in log:
        n += 1
        try:
            r = parse_line(line, n)
        except ValueError:
            bad.append(n)
            continue
        if r is None:
            continue
        if last != -1 and r.ts < last:
            bad.append(n)
            continue
        last = r.ts
        recs.append(r)
    return recs, bad


def connection_stats(log):
    recs, bad = read_all(log)
    conns = {}
    for r in recs:
        if r.conn not in conns:
            conns[r.conn] = [r.ts, r.ts, 0, 0]
        c = conns[r.conn]
        c[1] = r.ts
        if r.length > 0:
            if r.direction == "C":
                if r.seq + r.length > c[2]:
                    c[2] = r.seq + r.length
            else:
                if r.seq + r.length > c[3]:
                    c[3] = r.seq + r.length
    out = {}
    for k in conns:
        c = conns[k]
        d = c[1] - c[0]
        if d == 0:
            bps = 0
        else:
            bps = (c[2] + c[3]) * 1000000 // d
        out[k] = ConnStats(c[2], c[3], d, bps)
    return Traffic(out, bad)


# -- Level 2: round-trip times ------------------------------------------------------------------


def percentile(values, p):
    if len(values) == 0 or p < 1 or p > 100:
        raise ValueError("bad percentile")
    v = sorted(values)
    rank = (p * len(v)) // 100
    if (p * len(v)) % 100 != 0:
        rank += 1
    return v[rank - 1]


def rtt_samples_of(recs):
    # samples per connection, plus (conn, seq) -> sample for level 4
    pending = {}
    high = {}
    samples = {}
    by_seq = {}
    for r in recs:
        if r.conn not in pending:
            pending[r.conn] = []
            high[r.conn] = 0
            samples[r.conn] = []
        if r.direction == "S" and r.length > 0:
            if r.seq < high[r.conn]:
                for p in pending[r.conn]:
                    if p[0] == r.seq:
                        p[3] = True
            else:
                pending[r.conn].append([r.seq, r.seq + r.length, r.ts, False])
                high[r.conn] = r.seq + r.length
        elif r.direction == "C" and "A" in r.flags:
            keep = []
            for p in pending[r.conn]:
                if p[1] <= r.ack:
                    if not p[3]:
                        samples[r.conn].append(r.ts - p[2])
                        by_seq[(r.conn, p[0])] = r.ts - p[2]
                else:
                    keep.append(p)
            pending[r.conn] = keep
    return samples, by_seq


def rtt_stats(log):
    recs, bad = read_all(log)
    samples, _ = rtt_samples_of(recs)
    out = {}
    for k in samples:
        s = samples[k]
        if len(s) == 0:
            out[k] = RttStats([], None, None, None)
        else:
            out[k] = RttStats(s, percentile(s, 50), percentile(s, 90), percentile(s, 99))
    return out


# -- Level 3: retransmissions and reordering ----------------------------------------------------


def loss_stats(log):
    recs, bad = read_all(log)
    seen = {}
    out = {}
    for r in recs:
        if r.conn not in out:
            out[r.conn] = [0, 0, 0, 0, 0]
            seen[(r.conn, "C")] = [{}, 0]
            seen[(r.conn, "S")] = [{}, 0]
        if r.length == 0:
            continue
        st = seen[(r.conn, r.direction)]
        o = out[r.conn]
        if r.seq in st[0]:
            if r.direction == "C":
                o[0] += 1
            else:
                o[1] += 1
                if r.ts - st[0][r.seq] > o[4]:
                    o[4] = r.ts - st[0][r.seq]
            o[3] += r.length
        elif r.seq < st[1]:
            o[2] += 1
        st[0][r.seq] = r.ts
        if r.seq + r.length > st[1]:
            st[1] = r.seq + r.length
    return {k: LossStats(*v) for k, v in out.items()}


# -- Level 4: why was it slow? ------------------------------------------------------------------


def diagnose(log, slow_us=200_000, high_rtt_us=100_000):
    # first pass: message boundaries (the P segments) of every connection
    ends = {}
    seen = {}
    for r in read_all(log)[0]:
        if r.length > 0 and "P" in r.flags:
            key = (r.conn, r.direction)
            if key not in ends:
                ends[key] = []
                seen[key] = set()
            if r.seq not in seen[key]:
                ends[key].append(r.seq + r.length)
                seen[key].add(r.seq)
    # second pass: the rtt samples of every server segment
    _, sample_of = rtt_samples_of(read_all(log)[0])
    # third pass: everything else
    ex = {}
    order = []
    state = {}
    for r in read_all(log)[0]:
        if r.conn not in state:
            state[r.conn] = {"C": {}, "S": {}, "win": 0, "cack": 0}
            order.append(r.conn)
            ex[r.conn] = []
        st = state[r.conn]
        if r.direction == "C":
            st["win"] = r.window
        n_req = len(ends.get((r.conn, "C"), []))
        n_resp = len(ends.get((r.conn, "S"), []))
        while len(ex[r.conn]) < max(n_req, n_resp):
            ex[r.conn].append({"start": None, "acked": None, "first": None, "done": None,
                               "retx": False, "new": 0, "lim": 0, "samples": [],
                               "req_seen": False, "resp_seen": False})
        if r.length > 0:
            e_list = ends.get((r.conn, r.direction), [])
            k = 0
            while k < len(e_list) and e_list[k] <= r.seq:
                k += 1
            if k < len(ex[r.conn]):
                e = ex[r.conn][k]
                if r.seq in st[r.direction]:
                    e["retx"] = True
                else:
                    st[r.direction][r.seq] = True
                    if r.direction == "C":
                        if e["start"] is None:
                            e["start"] = r.ts
                        if "P" in r.flags:
                            e["req_seen"] = True
                    else:
                        if e["first"] is None:
                            e["first"] = r.ts
                        e["new"] += 1
                        if 10 * (r.seq + r.length - st["cack"]) >= 9 * st["win"]:
                            e["lim"] += 1
                        if (r.conn, r.seq) in sample_of:
                            e["samples"].append(sample_of[(r.conn, r.seq)])
                        if "P" in r.flags:
                            e["resp_seen"] = True
        if "A" in r.flags:
            if r.direction == "C":
                if r.ack > st["cack"]:
                    st["cack"] = r.ack
            for k in range(len(ex[r.conn])):
                e = ex[r.conn][k]
                if r.direction == "S" and e["req_seen"] and e["acked"] is None:
                    if r.ack >= ends[(r.conn, "C")][k]:
                        e["acked"] = r.ts
                if r.direction == "C" and e["resp_seen"] and e["done"] is None:
                    if r.ack >= ends[(r.conn, "S")][k]:
                        e["done"] = r.ts
    result = []
    for c in order:
        for i in range(len(ex[c])):
            e = ex[c][i]
            if e["start"] is None or e["acked"] is None or e["first"] is None or e["done"] is None:
                continue
            lat = e["done"] - e["start"]
            if lat < slow_us:
                continue
            think = e["first"] - e["acked"]
            if think < 0:
                think = 0
            if 2 * think >= lat:
                cause = "server"
            elif e["retx"]:
                cause = "loss"
            elif 2 * e["lim"] >= e["new"]:
                cause = "window"
            elif len(e["samples"]) > 0 and percentile(e["samples"], 50) >= high_rtt_us:
                cause = "rtt"
            else:
                cause = "unknown"
            result.append(Diagnosis(c, i + 1, lat, think, cause))
    return result
