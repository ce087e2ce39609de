"""Level 1 hidden tests: parsing records, malformed lines, bytes, duration and throughput.

Generated logs come from this file's own copy of the starter's generator, not
the candidate's; expected figures were worked out by hand or by a trusted
brute-force model of the statement.
"""

import heapq
import random
import re
from collections.abc import Iterable, Iterator
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


def raises_for_line(solution, text, line_no):
    with pytest.raises(ValueError) as caught:
        solution.parse_line(text, line_no)
    assert re.search(rf"\bline {line_no}\b", str(caught.value)), (
        f"the message should name line {line_no}: {caught.value}")


def stats(solution, lines):
    return solution.connection_stats(lines)


# -- parse_line --------------------------------------------------------------------------------


def test_parse_line_returns_every_field(solution):
    segment = solution.parse_line("25610 c1 S 1460 300 1000 65535 PA", 8)
    assert tuple(segment) == (25610, "c1", "S", 1460, 300, 1000, 65535, "PA")
    assert segment.length == 1000 and segment.window == 65535 and segment.direction == "S"


def test_parse_line_accepts_tabs_and_runs_of_spaces_edge(solution):
    segment = solution.parse_line("  7\tconn-9  C \t 0   5 12 100\t.  ", 3)
    assert tuple(segment) == (7, "conn-9", "C", 0, 5, 12, 100, ".")


def test_parse_line_ignores_the_newline_edge(solution):
    assert tuple(solution.parse_line("1 a C 0 0 0 1 A\n", 1)) == (1, "a", "C", 0, 0, 0, 1, "A")
    assert tuple(solution.parse_line("1 a C 0 0 0 1 A\r\n", 1)) == (1, "a", "C", 0, 0, 0, 1, "A")


def test_blank_and_comment_lines_give_none_edge(solution):
    for text in ("", "   ", "\t\n", "# ts conn dir", "   # indented comment", "#"):
        assert solution.parse_line(text, 4) is None, repr(text)


def test_flags_are_kept_as_written(solution):
    assert solution.parse_line("1 a S 0 0 0 1 AP", 1).flags == "AP"
    assert solution.parse_line("1 a S 0 0 0 1 FRAPS", 1).flags == "FRAPS"
    assert solution.parse_line("1 a S 0 0 0 1 .", 1).flags == "."


def test_connection_ids_are_any_token_without_spaces(solution):
    segment = solution.parse_line("9 10.0.0.7:51234#x C 0 0 0 1 S", 2)
    assert segment.conn == "10.0.0.7:51234#x"


def test_wrong_number_of_fields_raises_naming_the_line_edge(solution):
    raises_for_line(solution, "1 a C 0 0 0 1", 12)
    raises_for_line(solution, "1 a C 0 0 0 1 A extra", 12)
    raises_for_line(solution, "not a record", 3)


def test_numbers_must_be_plain_ascii_digits_edge(solution):
    for bad in ("+5", "-3", "1_000", "12a", "1.5", "0x10", "\u0663"):
        raises_for_line(solution, f"{bad} a C 0 0 0 1 A", 5)
        raises_for_line(solution, f"1 a C 0 0 {bad} 1 A", 6)
        raises_for_line(solution, f"1 a C 0 0 0 {bad} A", 7)


def test_unknown_direction_raises_edge(solution):
    for bad in ("X", "c", "s", "CS", ">"):
        raises_for_line(solution, f"1 a {bad} 0 0 0 1 A", 9)


def test_bad_flags_raise_edge(solution):
    for bad in ("AA", "AX", ".A", "a", "..", "SAPFRS", "-"):
        raises_for_line(solution, f"1 a C 0 0 0 1 {bad}", 10)


def test_the_message_names_the_right_line_number(solution):
    raises_for_line(solution, "1 a C 0 0 0 1 Q", 1)
    raises_for_line(solution, "1 a C 0 0 0 1 Q", 100)


# -- connection_stats ----------------------------------------------------------------------------

ONE = """\
0 k C 0 0 0 65535 S
10 k S 0 0 0 65535 SA
20010 k C 0 0 0 65535 A
20500 k C 0 0 300 65535 PA
20510 k S 0 300 0 65535 A
25510 k S 0 300 1460 65535 A
25610 k S 1460 300 1000 65535 PA
45520 k C 300 1460 0 65535 A
45700 k C 300 2460 0 65535 A
50000 k C 300 2460 0 65535 FA
50010 k S 2460 300 0 65535 FA
70010 k C 300 2460 0 65535 A
""".splitlines()


def test_stats_of_one_connection(solution):
    traffic = stats(solution, ONE)
    assert traffic.connections == {
        "k": solution.ConnStats(300, 2460, 70010, 2760 * 1_000_000 // 70010)}
    assert traffic.malformed == []


def test_bytes_are_the_highest_end_so_a_resent_byte_counts_once(solution):
    lines = [*ONE[:7], "30000 k S 1460 300 1000 65535 PA", "30100 k S 0 300 1460 65535 A", *ONE[7:]]
    traffic = stats(solution, lines)
    assert traffic.connections["k"].server_bytes == 2460
    assert traffic.connections["k"].client_bytes == 300


def test_bytes_include_a_gap_below_the_highest_end_edge(solution):
    lines = ["5 g C 1000 0 500 8192 PA", "9 g S 0 0 0 65535 A"]
    assert stats(solution, lines).connections["g"] == solution.ConnStats(1500, 0, 4, 375_000_000)


def test_a_connection_without_data_has_zero_bytes_edge(solution):
    lines = ["100 h C 0 0 0 65535 S", "110 h S 0 0 0 65535 SA", "20110 h C 0 0 0 65535 A"]
    assert stats(solution, lines).connections["h"] == solution.ConnStats(0, 0, 20010, 0)


def test_a_single_record_has_zero_duration_and_zero_throughput_edge(solution):
    lines = ["42 solo C 0 0 1200 65535 PA"]
    assert stats(solution, lines).connections["solo"] == solution.ConnStats(1200, 0, 0, 0)


def test_records_at_one_instant_have_zero_duration_edge(solution):
    lines = ["42 z C 0 0 1200 65535 PA", "42 z S 0 1200 800 65535 PA"]
    assert stats(solution, lines).connections["z"] == solution.ConnStats(1200, 800, 0, 0)


def test_throughput_is_rounded_down_in_integers(solution):
    lines = ["0 r C 0 0 100 65535 PA", "3 r S 0 100 900 65535 PA"]
    assert stats(solution, lines).connections["r"].bytes_per_second == 333_333_333
    lines = ["0 q C 0 0 1 65535 PA", "7 q S 0 1 0 65535 A"]
    assert stats(solution, lines).connections["q"].bytes_per_second == 142_857


def test_zero_length_segments_do_not_add_bytes_edge(solution):
    lines = ["0 f C 0 0 300 65535 PA", "10 f S 5000 300 0 65535 FA", "20 f C 9000 0 0 65535 A"]
    assert stats(solution, lines).connections["f"] == solution.ConnStats(300, 0, 20, 15_000_000)


def test_connections_in_order_of_first_appearance(solution):
    lines = ["1 c9 C 0 0 10 1 PA", "2 c1 C 0 0 20 1 PA", "3 c9 S 0 10 5 1 PA",
             "4 c5 C 0 0 30 1 PA", "5 c1 S 0 20 7 1 PA"]
    traffic = stats(solution, lines)
    assert list(traffic.connections) == ["c9", "c1", "c5"]
    assert traffic.connections["c9"] == solution.ConnStats(10, 5, 2, 7_500_000)
    assert traffic.connections["c1"] == solution.ConnStats(20, 7, 3, 9_000_000)


def test_malformed_lines_are_skipped_and_listed(solution):
    lines = ["1 m C 0 0 100 1 PA", "garbage", "2 m S 0 100 50 1 PA", "3 m C 0 0",
             "4 m C 100 50 0 1 AZ", "5 m C 100 50 0 1 A"]
    traffic = stats(solution, lines)
    assert traffic.malformed == [2, 4, 5]
    assert traffic.connections == {"m": solution.ConnStats(100, 50, 4, 37_500_000)}


def test_comment_and_blank_lines_count_for_line_numbers_edge(solution):
    lines = ["# header", "", "1 m C 0 0 100 1 PA", "   ", "bad line", "# trailer", "x"]
    traffic = stats(solution, lines)
    assert traffic.malformed == [5, 7]
    assert list(traffic.connections) == ["m"]


def test_a_record_going_back_in_time_is_malformed_edge(solution):
    lines = ["100 t C 0 0 10 1 PA", "50 t S 0 10 99 1 PA", "100 t S 0 10 20 1 PA",
             "90 u C 0 0 5 1 PA", "130 t C 10 20 0 1 A"]
    traffic = stats(solution, lines)
    assert traffic.malformed == [2, 4]
    assert traffic.connections == {"t": solution.ConnStats(10, 20, 30, 1_000_000)}


def test_a_malformed_line_does_not_move_the_clock_edge(solution):
    lines = ["100 t C 0 0 10 1 PA", "900 t S 0 10 99 1 ZZ", "200 t S 0 10 20 1 PA"]
    traffic = stats(solution, lines)
    assert traffic.malformed == [2]
    assert traffic.connections["t"] == solution.ConnStats(10, 20, 100, 300_000)


def test_a_connection_with_only_malformed_lines_is_left_out_edge(solution):
    lines = ["1 good C 0 0 10 1 PA", "2 ghost C 0 0 10 1 XX", "3 ghost S zero 0 0 1 A"]
    traffic = stats(solution, lines)
    assert list(traffic.connections) == ["good"]
    assert traffic.malformed == [2, 3]


def test_an_empty_log_edge(solution):
    assert stats(solution, []) == solution.Traffic({}, [])
    assert stats(solution, ["# nothing", ""]) == solution.Traffic({}, [])


def test_stats_of_generated_connections(solution):
    traffic = stats(solution, generate_log("window", conn="w", seed=3))
    assert traffic.connections == {"w": solution.ConnStats(5532, 257_168, 925_517, 283_841)}
    traffic = stats(solution, generate_log("loss", conn="l", exchanges=2, seed=1))
    assert traffic.connections == {"l": solution.ConnStats(1646, 47_614, 555_452, 88_684)}


def test_large_log_is_read_in_one_pass(solution, measure):
    lines = tile(mixed_log(40, seed=7), 2)
    # Recording 0 first ties this file to the figure, so that a failure below voids it.
    measure("lines_read", 0)
    log = BudgetLog(lines)
    traffic = solution.connection_stats(log)
    assert log.lines_read <= 4 * len(lines)
    assert traffic.malformed == []
    assert len(traffic.connections) == 80
    assert list(traffic.connections)[:3] == ["10.0.0.1:40000/0", "10.0.0.2:40001/0",
                                             "10.0.0.3:40002/0"]
    values = list(traffic.connections.values())
    assert values[:40] == values[40:]
    assert sum(v.client_bytes for v in values) == 2 * CLIENT_BYTES
    assert sum(v.server_bytes for v in values) == 2 * SERVER_BYTES
    assert sum(v.duration_us for v in values) == 2 * DURATION_US
    assert sum(v.bytes_per_second for v in values) == 2 * RATES
    measure("lines_read", log.lines_read)


# Totals of mixed_log(40, seed=7), from the trusted model.
CLIENT_BYTES = 175_365
SERVER_BYTES = 3_284_253
DURATION_US = 21_187_434
RATES = 9_110_093
