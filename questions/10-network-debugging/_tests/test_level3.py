"""Level 3 hidden tests: retransmissions, reordering, resent bytes and the resend gap.

Generated logs come from this file's own copy of the starter's generator;
expected figures were worked out by hand or by a trusted brute-force model.
"""

import heapq
import random
from collections.abc import Iterable, Iterator
from typing import NamedTuple

# -- the tests' own copy of the provided CountingLog -----------------------------------------------


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


# -- the tests' own copy of the provided generator -------------------------------------------------

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


class BudgetLog(CountingLog):
    """The tests' CountingLog, which stops a function as soon as it reads the log a fifth time."""

    def __init__(self, lines, readings=4):
        super().__init__(lines)
        self.limit = readings * len(self)

    def __iter__(self):
        for line in super().__iter__():
            assert self.lines_read <= self.limit, (
                f"read more than {self.limit} lines of a {len(self)}-line log: "
                "more than four readings")
            yield line


def tile(lines, copies):
    """``copies`` copies of a log one after another, each with its own connection ids."""
    span = int(lines[-1].split()[0]) + 1
    out = []
    for k in range(copies):
        for line in lines:
            ts, conn, rest = line.split(" ", 2)
            out.append(f"{int(ts) + k * span} {conn}/{k} {rest}")
    return out


def loss(solution, lines, conn="k"):
    return tuple(solution.loss_stats(lines)[conn])


IN_ORDER = """\
1000 k C 0 0 1000 65535 A
1020 k C 1000 0 500 65535 PA
1030 k S 0 1500 0 65535 A
2000 k S 0 1500 1460 65535 A
2100 k S 1460 1500 1460 65535 A
2200 k S 2920 1500 80 65535 PA
22000 k C 1500 3000 0 65535 A
""".splitlines()


def test_data_in_order_is_neither_resent_nor_reordered(solution):
    assert loss(solution, IN_ORDER) == (0, 0, 0, 0, 0)


def test_a_server_segment_sent_again_is_a_retransmission(solution):
    lines = [*IN_ORDER, "210000 k S 1460 1500 1460 65535 A"]
    assert loss(solution, lines) == (0, 1, 0, 1460, 207_900)


def test_a_client_segment_arriving_twice_is_a_retransmission(solution):
    lines = [*IN_ORDER[:2], "1025 k C 0 0 1000 65535 A", *IN_ORDER[2:]]
    assert loss(solution, lines) == (1, 0, 0, 1000, 0)


def test_a_segment_filling_a_gap_is_reordered(solution):
    lines = ["1000 k C 1000 0 500 65535 PA", "1020 k C 0 0 1000 65535 A", *IN_ORDER[2:]]
    assert loss(solution, lines) == (0, 0, 1, 0, 0)


def test_a_jump_ahead_is_new_data_edge(solution):
    lines = ["1000 k C 2000 0 500 65535 A", "1010 k C 3000 0 500 65535 A",
             "1020 k C 4000 0 500 65535 PA"]
    assert loss(solution, lines) == (0, 0, 0, 0, 0)


def test_several_gaps_filled_out_of_order(solution):
    lines = ["10 k C 3000 0 1000 1 A", "20 k C 1000 0 1000 1 A", "30 k C 4000 0 500 1 PA",
             "40 k C 0 0 1000 1 A", "50 k C 2000 0 1000 1 A"]
    assert loss(solution, lines) == (0, 0, 3, 0, 0)


def test_a_reordered_segment_that_arrives_again_is_then_a_retransmission_edge(solution):
    lines = ["10 k C 1000 0 500 1 PA", "20 k C 0 0 1000 1 A", "30 k C 0 0 1000 1 A",
             "40 k C 1000 0 500 1 PA"]
    assert loss(solution, lines) == (2, 0, 1, 1500, 0)


def test_retransmitted_bytes_add_up_both_directions(solution):
    lines = [
        *IN_ORDER,
        "25000 k C 1000 0 500 65535 PA",
        "210000 k S 2920 1500 80 65535 PA",
        "211000 k S 0 1500 1460 65535 A",
    ]
    assert loss(solution, lines) == (1, 2, 0, 500 + 80 + 1460, 209_000)


def test_bare_acks_are_not_data_edge(solution):
    lines = [
        *IN_ORDER,
        "22100 k C 1500 3000 0 65535 A",
        "22200 k C 1500 3000 0 65535 A",
        "22300 k S 3000 1500 0 65535 A",
        "22400 k C 1500 3000 0 65535 FA",
        "22500 k S 3000 1500 0 65535 FA",
    ]
    assert loss(solution, lines) == (0, 0, 0, 0, 0)


def test_the_gap_is_measured_from_the_sending_just_before_edge(solution):
    lines = ["0 k S 0 0 1000 1 A", "100 k S 1000 0 1000 1 PA", "200100 k S 1000 0 1000 1 PA",
             "600100 k S 1000 0 1000 1 PA", "650000 k S 0 0 1000 1 A"]
    assert loss(solution, lines) == (0, 3, 0, 3000, 650_000)
    lines = ["0 k S 0 0 1000 1 PA", "300000 k S 0 0 1000 1 PA", "400000 k S 0 0 1000 1 PA"]
    assert loss(solution, lines) == (0, 2, 0, 2000, 300_000)


def test_client_resends_do_not_set_the_gap_edge(solution):
    lines = ["0 k C 0 0 100 1 PA", "900000 k C 0 0 100 1 PA", "900010 k S 0 100 10 1 PA",
             "900500 k S 0 100 10 1 PA"]
    assert loss(solution, lines) == (1, 1, 0, 110, 490)


def test_the_two_directions_are_independent(solution):
    lines = ["10 k C 0 0 100 1 PA", "20 k S 0 100 100 1 PA", "30 k C 100 100 100 1 PA",
             "40 k S 100 200 100 1 PA"]
    assert loss(solution, lines) == (0, 0, 0, 0, 0)


def test_connections_are_kept_apart(solution):
    lines = ["10 a C 0 0 100 1 PA", "20 b C 0 0 100 1 PA", "30 a S 0 100 50 1 PA",
             "40 b S 0 100 50 1 PA", "50 b S 0 100 50 1 PA"]
    result = solution.loss_stats(lines)
    assert list(result) == ["a", "b"]
    assert tuple(result["a"]) == (0, 0, 0, 0, 0)
    assert tuple(result["b"]) == (0, 1, 0, 50, 10)


def test_a_connection_without_data_has_zero_counts_edge(solution):
    lines = ["1 h C 0 0 0 65535 S", "2 h S 0 0 0 65535 SA", "3 h C 0 0 0 65535 A"]
    assert solution.loss_stats(lines) == {"h": solution.LossStats(0, 0, 0, 0, 0)}


def test_malformed_and_backward_lines_are_skipped(solution):
    lines = [
        *IN_ORDER[:6],
        "2150 k S 1460 1500 1460 65535 A",
        "3000 k S 1460 x 1460 65535 A",
        "4000 k S 1460 1500 1460 65535 AP",
        *IN_ORDER[6:],
    ]
    assert loss(solution, lines) == (0, 1, 0, 1460, 1900)


def test_loss_of_generated_connections(solution):
    assert loss(solution, generate_log("loss", conn="l", seed=2), "l") == LOSSY
    assert loss(solution, generate_log("healthy", conn="h", seed=2), "h") == (0, 0, 0, 0, 0)


def test_loss_of_a_mixed_log(solution):
    result = solution.loss_stats(mixed_log(30, seed=11))
    assert len(result) == 30
    totals = tuple(sum(column) for column in zip(*(tuple(v) for v in result.values()), strict=True))
    assert totals[:4] == MIXED_TOTALS[:4]
    assert max(v.max_retransmit_gap_us for v in result.values()) == MIXED_TOTALS[4]
    assert [v.reordered for v in result.values()] == MIXED_REORDERED


def test_large_log_is_read_in_one_pass(solution, measure):
    lines = tile(mixed_log(40, seed=7), 2)
    # Recording 0 first ties this file to the figure, so that a failure below voids it.
    measure("lines_read", 0)
    log = BudgetLog(lines)
    result = solution.loss_stats(log)
    assert log.lines_read <= 4 * len(lines)
    assert len(result) == 80
    values = [tuple(v) for v in result.values()]
    assert values[:40] == values[40:]
    assert tuple(sum(column) for column in zip(*values, strict=True))[:4] == LARGE_TOTALS
    measure("lines_read", log.lines_read)


# Figures of the generated logs, from the trusted model.
LOSSY = (0, 3, 0, 4380, 200_000)
MIXED_TOTALS = (8, 6, 11, 16_911, 200_000)
MIXED_REORDERED = [1, 0, 0, 0, 0, 1, 0, 0, 2, 0, 0, 0, 1, 0, 1, 2, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0,
                   1, 1, 0, 0]
LARGE_TOTALS = (2 * 17, 2 * 18, 2 * 14, 2 * 43_383)
