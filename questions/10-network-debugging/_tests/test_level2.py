"""Level 2 hidden tests: nearest-rank percentiles and RTT samples under Karn's rule.

Generated logs come from this file's own copy of the starter's generator;
expected samples were worked out by hand or by a trusted brute-force model.
"""

import heapq
import random
from collections.abc import Iterable, Iterator
from math import ceil
from typing import NamedTuple

import pytest

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


def samples(solution, lines, conn="k"):
    return solution.rtt_stats(lines)[conn].samples


# A request, the server's ack, and a response of three segments (0-1000, 1000-2000,
# 2000-2500) that the client acks one by one.
BASE = """\
1000 k C 0 0 100 65535 PA
1010 k S 0 100 0 65535 A
2000 k S 0 100 1000 65535 A
2100 k S 1000 100 1000 65535 A
2200 k S 2000 100 500 65535 PA
22000 k C 100 1000 0 65535 A
22150 k C 100 2000 0 65535 A
22300 k C 100 2500 0 65535 A
""".splitlines()


# -- percentile ----------------------------------------------------------------------------------


def test_percentile_is_the_nearest_rank(solution):
    values = [15, 20, 35, 40, 50]
    assert [solution.percentile(values, p) for p in (1, 20, 21, 30, 40, 41, 60, 61, 99, 100)] \
        == [15, 15, 20, 20, 20, 35, 35, 40, 50, 50]


def test_percentile_sorts_unsorted_values(solution):
    assert solution.percentile([50, 15, 40, 20, 35], 50) == 35
    assert solution.percentile([3, 3, 1, 2, 2], 50) == 2


def test_percentile_rank_is_computed_exactly_edge(solution):
    for n, p in ((100, 7), (100, 14), (100, 28), (100, 29), (100, 57), (1000, 7), (300, 70)):
        values = list(range(1, n + 1))
        assert solution.percentile(values, p) == p * n // 100, (n, p)


def test_percentile_matches_the_definition_on_many_sizes(solution):
    rng = random.Random(5)
    for n in (1, 2, 3, 7, 10, 99, 101, 250):
        values = [rng.randint(0, 10_000) for _ in range(n)]
        ordered = sorted(values)
        for p in (1, 25, 50, 90, 99, 100):
            assert solution.percentile(values, p) == ordered[ceil(p * n / 100) - 1], (n, p)


def test_percentile_leaves_its_input_alone(solution):
    values = [9, 1, 5, 3]
    solution.percentile(values, 50)
    assert values == [9, 1, 5, 3]


def test_percentile_of_one_value_edge(solution):
    assert [solution.percentile([42], p) for p in (1, 50, 100)] == [42, 42, 42]


def test_percentile_errors_edge(solution):
    with pytest.raises(ValueError):
        solution.percentile([], 50)
    for p in (0, 101, -5):
        with pytest.raises(ValueError):
            solution.percentile([1, 2, 3], p)


# -- RTT samples -------------------------------------------------------------------------------


def test_each_segment_is_measured_by_the_first_ack_covering_it(solution):
    assert samples(solution, BASE) == [20000, 20050, 20100]


def test_one_ack_can_cover_several_segments(solution):
    lines = [*BASE[:5], "22300 k C 100 2500 0 65535 A"]
    assert samples(solution, lines) == [20300, 20200, 20100]


def test_an_ack_short_of_the_segment_end_does_not_cover_it_edge(solution):
    lines = [*BASE[:5], "21000 k C 100 999 0 65535 A", "21500 k C 100 1999 0 65535 A", *BASE[5:]]
    assert samples(solution, lines) == [19500, 20050, 20100]


def test_a_later_larger_ack_does_not_replace_the_first_edge(solution):
    lines = [*BASE, "40000 k C 100 2500 0 65535 A", "50000 k C 100 2500 0 65535 FA"]
    assert samples(solution, lines) == [20000, 20050, 20100]


def test_an_ack_without_the_A_flag_covers_nothing_edge(solution):
    lines = [
        *BASE[:5],
        "10000 k C 100 2500 0 65535 .",
        "11000 k C 100 2500 0 65535 F",
        "12000 k C 100 2500 0 65535 R",
        *BASE[5:],
    ]
    assert samples(solution, lines) == [20000, 20050, 20100]


def test_only_client_records_acknowledge_server_data(solution):
    lines = [*BASE[:5], "3000 k S 2500 100 0 65535 A", "3100 k S 2500 5000 0 65535 A", *BASE[5:]]
    assert samples(solution, lines) == [20000, 20050, 20100]


def test_the_client_data_gives_no_samples(solution):
    lines = ["100 k C 0 0 1000 65535 A", "110 k S 0 1000 0 65535 A",
             "200 k C 1000 0 1000 65535 PA", "210 k S 0 2000 0 65535 A"]
    assert solution.rtt_stats(lines) == {"k": solution.RttStats([], None, None, None)}


def test_an_ack_at_the_same_instant_gives_a_zero_sample_edge(solution):
    lines = ["5 k S 0 0 100 65535 PA", "5 k C 0 100 0 65535 A"]
    assert samples(solution, lines) == [0]


def test_an_ack_logged_before_the_segment_does_not_count_edge(solution):
    lines = ["5 k C 0 100 0 65535 A", "5 k S 0 0 100 65535 PA", "8 k C 0 100 0 65535 A"]
    assert samples(solution, lines) == [3]


def test_karn_no_sample_for_a_segment_resent_before_its_ack(solution):
    lines = [
        *BASE[:5],
        "22000 k C 100 1000 0 65535 A",
        "22100 k C 100 1000 0 65535 A",
        "210000 k S 1000 100 1000 65535 A",
        "230000 k C 100 2500 0 65535 A",
    ]
    assert samples(solution, lines) == [20000, 227800]


def test_karn_a_segment_resent_after_its_ack_keeps_its_sample_edge(solution):
    lines = [*BASE, "30000 k S 0 100 1000 65535 A", "50000 k C 100 2500 0 65535 A"]
    assert samples(solution, lines) == [20000, 20050, 20100]


def test_karn_a_segment_sent_three_times_gives_no_sample_edge(solution):
    lines = ["0 k S 0 0 100 65535 PA", "200000 k S 0 0 100 65535 PA",
             "600000 k S 0 0 100 65535 PA", "620000 k C 0 100 0 65535 A"]
    assert solution.rtt_stats(lines) == {"k": solution.RttStats([], None, None, None)}


def test_a_segment_never_acked_gives_no_sample_edge(solution):
    lines = BASE[:6]
    assert samples(solution, lines) == [20000]


def test_a_connection_without_samples_has_no_percentiles_edge(solution):
    lines = ["1 quiet C 0 0 0 65535 S", "2 quiet S 0 0 0 65535 SA", "3 busy S 0 0 10 1 PA",
             "9 busy C 0 10 0 1 A"]
    assert solution.rtt_stats(lines) == {
        "quiet": solution.RttStats([], None, None, None),
        "busy": solution.RttStats([6], 6, 6, 6)}


def test_connections_are_kept_apart(solution):
    lines = ["0 a S 0 0 100 1 A", "10 b S 0 0 100 1 A", "20 b C 0 100 0 1 A",
             "40 a C 0 100 0 1 A", "50 a S 100 0 100 1 PA", "90 b C 0 100 0 1 A",
             "95 a C 0 200 0 1 A"]
    assert solution.rtt_stats(lines) == {
        "a": solution.RttStats([40, 45], 40, 45, 45), "b": solution.RttStats([10], 10, 10, 10)}


def test_malformed_lines_are_skipped(solution):
    lines = [
        *BASE[:5],
        "20000 k C 100 2500 0 65535 AA",
        "nonsense",
        "19000 k C 100 2500 0 65535 A",
        *BASE[5:],
    ]
    assert samples(solution, lines) == [17000, 16900, 16800]


def test_a_record_going_back_in_time_is_skipped_edge(solution):
    lines = [*BASE[:5], "1500 k C 100 2500 0 65535 A", *BASE[5:]]
    assert samples(solution, lines) == [20000, 20050, 20100]


def test_percentiles_of_a_generated_long_path(solution):
    stats = solution.rtt_stats(generate_log("rtt", conn="far", seed=2))["far"]
    assert len(stats.samples) == 41
    assert (stats.p50, stats.p90, stats.p99) == (149_068, 149_720, 149_861)
    assert min(stats.samples) == 148_216


def test_karn_on_a_generated_lossy_connection(solution):
    stats = solution.rtt_stats(generate_log("loss", conn="lossy", seed=4))["lossy"]
    assert len(stats.samples) == 46
    assert (stats.p50, stats.p90, stats.p99) == (18_450, 18_556, 218_390)


def test_rtt_of_a_mixed_log(solution):
    result = solution.rtt_stats(mixed_log(12, seed=3))
    assert len(result) == 12
    assert sum(len(s.samples) for s in result.values()) == MIXED_SAMPLES
    assert [s.p99 for s in result.values()] == MIXED_P99


def test_large_log_is_read_in_one_pass(solution, measure):
    lines = tile(mixed_log(40, seed=7), 2)
    # Recording 0 first ties this file to the figure, so that a failure below voids it.
    measure("lines_read", 0)
    log = BudgetLog(lines)
    result = solution.rtt_stats(log)
    assert log.lines_read <= 4 * len(lines)
    assert len(result) == 80
    values = list(result.values())
    assert values[:40] == values[40:]
    assert sum(len(v.samples) for v in values) == 2 * LARGE_SAMPLES
    assert sum(sum(v.samples) for v in values) == 2 * LARGE_SAMPLE_SUM
    measure("lines_read", log.lines_read)


# Figures of the generated logs, from the trusted model.
MIXED_SAMPLES = 654
MIXED_P99 = [21828, 21010, 19170, 19373, 19788, 20332, 20196, 18561, 220757, 148343, 22231,
             20194]
LARGE_SAMPLES = 2285
LARGE_SAMPLE_SUM = 69_028_108
