"""The worked examples of QUESTION.md, one test per level; ``/run`` runs them."""

from collections import Counter

import pytest

LOG = """\
# ts conn dir seq ack len win flags
0 c1 C 0 0 0 65535 S
10 c1 S 0 0 0 65535 SA
20010 c1 C 0 0 0 65535 A
20500 c1 C 0 0 300 65535 PA
20510 c1 S 0 300 0 65535 A
25510 c1 S 0 300 1460 65535 A
25610 c1 S 1460 300 1000 65535 PA
30000 c2 C 1000 0 500 8192 PA
30010 c2 S 0 0 0 65535 A
30020 c2 C 0 0 1000 8192 A
30030 c2 S 0 1500 0 65535 A
30100 c2 S 0 1500 1460 65535 A
30200 c2 S 1460 1500 1460 65535 PA

45520 c1 C 300 1460 0 65535 A
45700 c1 C 300 2460 0 65535 A
this line is not a record
40000 c1 C 300 2460 0 65535 FA
70150 c2 C 1500 1460 0 8192 A
230200 c2 S 1460 1500 1460 65535 PA
270260 c2 C 1500 2920 0 8192 A
""".splitlines()


def test_example_level1_parsing_bytes_and_throughput(solution):
    assert len(LOG) == 22
    assert solution.parse_line(LOG[5], 6) == solution.Segment(
        ts=20510, conn="c1", direction="S", seq=0, ack=300, length=0, window=65535, flags="A")
    assert solution.parse_line(LOG[0], 1) is None
    with pytest.raises(ValueError, match=r"\bline 7\b"):
        solution.parse_line("5 c1 X 0 0 0 1 A", 7)
    with pytest.raises(ValueError, match=r"\bline 7\b"):
        solution.parse_line("5 c1 C 0 0 +1 1 A", 7)

    traffic = solution.connection_stats(LOG)
    assert traffic.connections == {
        "c1": solution.ConnStats(client_bytes=300, server_bytes=2460, duration_us=45700,
                                 bytes_per_second=60393),
        "c2": solution.ConnStats(client_bytes=1500, server_bytes=2920, duration_us=240260,
                                 bytes_per_second=18396),
    }
    assert traffic.malformed == [18, 19]


def test_example_level2_round_trip_times(solution):
    RttStats = solution.RttStats
    assert solution.rtt_stats(LOG) == {
        "c1": RttStats(samples=[20010, 20090], p50=20010, p90=20090, p99=20090),
        "c2": RttStats(samples=[40050], p50=40050, p90=40050, p99=40050),
    }
    assert solution.percentile([15, 20, 35, 40, 50], 30) == 20
    assert solution.percentile([15, 20, 35, 40, 50], 100) == 50
    assert solution.percentile(list(range(1, 101)), 7) == 7


def test_example_level3_retransmissions_and_reordering(solution):
    LossStats = solution.LossStats
    assert solution.loss_stats(LOG) == {
        "c1": LossStats(client_retransmits=0, server_retransmits=0, reordered=0,
                        retransmitted_bytes=0, max_retransmit_gap_us=0),
        "c2": LossStats(client_retransmits=0, server_retransmits=1, reordered=1,
                        retransmitted_bytes=1460, max_retransmit_gap_us=200000),
    }


def test_example_level4_why_was_it_slow(solution):
    Diagnosis = solution.Diagnosis
    assert solution.diagnose(LOG) == [
        Diagnosis(conn="c2", exchange=1, latency_us=240260, think_us=70, cause="loss")]
    assert solution.diagnose(LOG, slow_us=20_000) == [
        Diagnosis(conn="c1", exchange=1, latency_us=25200, think_us=5000, cause="unknown"),
        Diagnosis(conn="c2", exchange=1, latency_us=240260, think_us=70, cause="loss"),
    ]
    assert solution.diagnose(LOG, slow_us=20_000, high_rtt_us=20_000)[0].cause == "rtt"

    assert solution.diagnose(solution.generate_log("server", exchanges=2)) == [
        Diagnosis(conn="c1", exchange=1, latency_us=374708, think_us=330000, cause="server"),
        Diagnosis(conn="c1", exchange=2, latency_us=404956, think_us=360000, cause="server"),
    ]
    window = solution.diagnose(solution.generate_log("window"))
    assert [d.cause for d in window] == ["window", "window", "window"]
    assert len(solution.mixed_log()) == 2738
    causes = Counter(d.cause for d in solution.diagnose(solution.mixed_log()))
    assert causes == Counter({"server": 11, "loss": 8, "window": 7, "rtt": 2})
