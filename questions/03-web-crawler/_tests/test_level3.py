"""Level 3 hidden tests: several seed hosts, a per-host limit and retries, on threads.

The fake web is the same instrumented one as in level 2: it counts every
fetch (failed attempts included), tracks the peak number of fetches in
flight overall and per host, and its gates prove that free workers are used.
"""

import threading
import time
from collections import Counter
from urllib.parse import urlsplit

import pytest

WAIT = 2.0  # seconds a gate or hold waits before giving up
RETURN_WITHIN = 8.0  # seconds a crawl may take in these tests


class Web:
    def __init__(self, error, pages, latency=0.0, failures=None, *, slow=None, gate=None,
                 hold=None):
        self.error = error
        self.pages = {url: list(links) for url, links in pages.items()}
        self.latency = latency
        self.slow = dict(slow or {})
        self.failures_left = dict(failures or {})
        self.cond = threading.Condition()
        self.attempts = Counter()
        self.in_flight = 0
        self.peak = 0
        self.host_in_flight = Counter()
        self.host_peak = Counter()
        self.gate_target, self.gate_urls = gate or (0, frozenset())
        self.gate_open = gate is None
        self.gated = 0
        self.gate_timed_out = False
        self.hold = {url: set(needed) for url, needed in (hold or {}).items()}
        self.hold_timed_out = set()

    def fetch_links(self, url):
        host = urlsplit(url).netloc
        with self.cond:
            self.attempts[url] += 1
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
            self.host_in_flight[host] += 1
            self.host_peak[host] = max(self.host_peak[host], self.host_in_flight[host])
            self.cond.notify_all()
            self._wait_at_gate(url)
            self._wait_for_hold(url)
        try:
            time.sleep(self.slow.get(url, self.latency))
        finally:
            with self.cond:
                self.in_flight -= 1
                self.host_in_flight[host] -= 1
        with self.cond:
            if self.failures_left.get(url, 0) > 0:
                self.failures_left[url] -= 1
                raise self.error(f"{url}: temporary failure")
        if url not in self.pages:
            raise self.error(f"{url}: no such page")
        return list(self.pages[url])

    def _wait_at_gate(self, url):
        if self.gate_open or url not in self.gate_urls:
            return
        self.gated += 1
        if self.gated >= self.gate_target:
            self.gate_open = True
            self.cond.notify_all()
            return
        if not self.cond.wait_for(lambda: self.gate_open, timeout=WAIT):
            self.gate_timed_out = True
            self.gate_open = True
            self.cond.notify_all()

    def _wait_for_hold(self, url):
        needed = self.hold.get(url)
        if needed and not self.cond.wait_for(
                lambda: all(other in self.attempts for other in needed), timeout=WAIT):
            self.hold_timed_out.add(url)

    def assert_each_fetched_once(self):
        twice = sorted(url for url, count in self.attempts.items() if count > 1)
        assert not twice, f"fetched more than once: {twice}"


def web(solution, pages, latency=0.0, failures=None, **holds):
    return Web(solution.FetchError, pages, latency, failures, **holds)


def run(function, *args):
    """Call the crawl on a thread of its own, so a crawl that never returns fails cleanly."""
    box = {}

    def target():
        try:
            box["value"] = function(*args)
        except BaseException as error:  # re-raised in the test's thread
            box["error"] = error

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(RETURN_WITHIN)
    if thread.is_alive():
        pytest.fail(f"the crawl did not return within {RETURN_WITHIN:g} s")
    if "error" in box:
        raise box["error"]
    return box["value"]


def star(root, leaves):
    pages = {root: [f"/leaf{i}" for i in range(leaves)]}
    pages.update({f"{root.rstrip('/')}/leaf{i}": [] for i in range(leaves)})
    return pages


def polite(solution, site, seeds, workers, per_host, max_attempts):
    result = run(solution.crawl_polite, seeds, site.fetch_links, workers, per_host,
                 max_attempts)
    assert site.in_flight == 0, "the crawl returned while fetches were still running"
    return list(result.pages), list(result.failed)


def sites(*roots, leaves=8):
    pages = {}
    for root in roots:
        pages.update(star(root, leaves))
    return pages


EXAMPLE = {
    "http://a.test/": ["/1", "/2", "http://b.test/"],
    "http://a.test/1": [],
    "http://a.test/2": ["/1"],
    "http://b.test/": ["/x", "http://c.test/"],
    "http://b.test/x": [],
}


def test_polite_crawls_the_example_sites(solution):
    site = web(solution, EXAMPLE, latency=0.002,
               failures={"http://a.test/2": 2, "http://b.test/x": 5})
    pages, failed = polite(solution, site, ["http://a.test/", "http://b.test/"], 4, 2, 3)
    assert pages == ["http://a.test/", "http://a.test/1", "http://a.test/2", "http://b.test/"]
    assert failed == ["http://b.test/x"]
    assert site.attempts["http://a.test/2"] == 3
    assert site.attempts["http://b.test/x"] == 3
    assert site.attempts["http://a.test/1"] == 1
    assert site.attempts["http://c.test/"] == 0
    assert max(site.host_peak.values()) <= 2


def test_polite_single_seed_follows_the_level_one_rules(solution):
    pages_in = {
        "http://shop.test/": ["/about", "products/", "http://other.test/", "#top"],
        "http://shop.test/about": ["/", "/about#team", "mailto:hi@shop.test"],
        "http://shop.test/products/": ["p1?colour=red", "../about",
                                       "HTTP://SHOP.TEST:80/products/p2"],
        "http://shop.test/products/p1?colour=red": [],
        "http://shop.test/products/p2": ["/gone"],
        "http://other.test/": [],
    }
    site = web(solution, pages_in, latency=0.001)
    pages, failed = polite(solution, site, ["http://Shop.test/#intro"], 4, 2, 2)
    assert pages == ["http://shop.test/", "http://shop.test/about",
                     "http://shop.test/products/", "http://shop.test/products/p1?colour=red",
                     "http://shop.test/products/p2"]
    assert failed == ["http://shop.test/gone"]
    assert site.attempts["http://shop.test/gone"] == 2
    assert site.attempts["http://other.test/"] == 0


def test_polite_scope_is_the_hosts_of_the_seeds(solution):
    pages_in = {
        "http://a.test/": ["http://b.test/only-from-a", "http://c.test/", "/x"],
        "http://a.test/x": ["http://B.TEST/y#frag"],
        "http://b.test/": [],
        "http://b.test/only-from-a": [],
        "http://b.test/y": ["http://a.test/z", "http://c.test/deep"],
        "http://a.test/z": [],
        "http://c.test/": [],
    }
    site = web(solution, pages_in, latency=0.001)
    pages, failed = polite(solution, site, ["http://a.test/", "http://b.test/"], 4, 2, 1)
    assert pages == ["http://a.test/", "http://a.test/x", "http://a.test/z", "http://b.test/",
                     "http://b.test/only-from-a", "http://b.test/y"]
    assert failed == []
    assert site.attempts["http://c.test/"] == 0
    assert site.attempts["http://c.test/deep"] == 0
    site.assert_each_fetched_once()


def test_polite_seed_with_a_port_scopes_that_port_only_edge(solution):
    pages_in = {"http://a.test:8080/": ["/x", "http://a.test/y"], "http://a.test:8080/x": [],
                "http://a.test/y": []}
    site = web(solution, pages_in, latency=0.001)
    pages, failed = polite(solution, site, ["http://a.test:8080"], 2, 2, 1)
    assert pages == ["http://a.test:8080/", "http://a.test:8080/x"]
    assert failed == []
    assert site.attempts["http://a.test/y"] == 0


def test_polite_duplicate_seeds_are_fetched_once_edge(solution):
    pages_in = {"http://a.test/": ["/x"], "http://a.test/x": []}
    site = web(solution, pages_in, latency=0.001)
    seeds = ["http://a.test/", "HTTP://A.TEST/#top", "http://a.test:80", "http://a.test/x"]
    pages, failed = polite(solution, site, seeds, 4, 4, 1)
    assert pages == ["http://a.test/", "http://a.test/x"]
    assert failed == []
    site.assert_each_fetched_once()


def test_polite_no_seeds_gives_an_empty_result_edge(solution):
    site = web(solution, {"http://a.test/": []})
    assert polite(solution, site, [], 4, 2, 3) == ([], [])
    assert not site.attempts


def test_polite_never_exceeds_the_per_host_limit(solution):
    roots = ["http://a.test/", "http://b.test/", "http://c.test/"]
    pages_in = sites(*roots, leaves=12)
    site = web(solution, pages_in, latency=0.003)
    pages, failed = polite(solution, site, roots, 8, 2, 1)
    assert pages == sorted(pages_in)
    assert failed == []
    assert max(site.host_peak.values()) <= 2, dict(site.host_peak)
    assert site.peak <= 6


def test_polite_never_exceeds_the_worker_limit(solution):
    roots = [f"http://h{i}.test/" for i in range(4)]
    pages_in = sites(*roots, leaves=6)
    site = web(solution, pages_in, latency=0.003)
    pages, _ = polite(solution, site, roots, 5, 3, 1)
    assert pages == sorted(pages_in)
    assert site.peak <= 5, f"{site.peak} fetches ran at once with 5 workers"
    assert max(site.host_peak.values()) <= 3


def test_polite_per_host_limit_above_the_workers_edge(solution):
    pages_in = star("http://a.test/", 10)
    site = web(solution, pages_in, latency=0.003)
    pages, _ = polite(solution, site, ["http://a.test/"], 2, 10, 1)
    assert pages == sorted(pages_in)
    assert site.peak <= 2


def test_polite_fills_the_slots_of_a_single_host_perf(solution):
    pages_in = star("http://a.test/", 20)
    leaves = frozenset(url for url in pages_in if "leaf" in url)
    site = web(solution, pages_in, gate=(3, leaves))
    pages, _ = polite(solution, site, ["http://a.test/"], 8, 3, 1)
    assert pages == sorted(pages_in)
    assert not site.gate_timed_out, "a host with 3 slots never had 3 fetches running"
    assert site.host_peak["a.test"] == 3


def test_polite_busy_host_does_not_block_other_hosts_perf(solution):
    roots = ["http://a.test/", "http://b.test/"]
    pages_in = sites(*roots, leaves=8)
    leaves = frozenset(url for url in pages_in if "leaf" in url)
    site = web(solution, pages_in, gate=(4, leaves))
    pages, _ = polite(solution, site, roots, 4, 2, 1)
    assert pages == sorted(pages_in)
    assert not site.gate_timed_out, (
        "workers sat waiting for a busy host while another host had pages ready")
    assert site.peak == 4
    assert max(site.host_peak.values()) == 2


def test_polite_one_fetch_per_host_still_runs_hosts_in_parallel_perf(solution):
    roots = ["http://a.test/", "http://b.test/", "http://c.test/"]
    pages_in = sites(*roots, leaves=4)
    leaves = frozenset(url for url in pages_in if "leaf" in url)
    site = web(solution, pages_in, gate=(3, leaves))
    pages, _ = polite(solution, site, roots, 3, 1, 1)
    assert pages == sorted(pages_in)
    assert not site.gate_timed_out, "three hosts never had a fetch running at the same time"
    assert max(site.host_peak.values()) == 1


def test_polite_retries_a_transient_failure_until_it_succeeds(solution):
    pages_in = {"http://a.test/": ["/flaky"], "http://a.test/flaky": ["/child"],
                "http://a.test/child": []}
    site = web(solution, pages_in, latency=0.001, failures={"http://a.test/flaky": 2})
    pages, failed = polite(solution, site, ["http://a.test/"], 2, 2, 4)
    assert pages == ["http://a.test/", "http://a.test/child", "http://a.test/flaky"]
    assert failed == []
    assert site.attempts["http://a.test/flaky"] == 3
    assert site.attempts["http://a.test/child"] == 1


def test_polite_success_on_the_last_allowed_attempt_counts_edge(solution):
    pages_in = {"http://a.test/": ["/p"], "http://a.test/p": []}
    site = web(solution, pages_in, latency=0.001, failures={"http://a.test/p": 2})
    pages, failed = polite(solution, site, ["http://a.test/"], 2, 2, 3)
    assert pages == ["http://a.test/", "http://a.test/p"]
    assert failed == []
    assert site.attempts["http://a.test/p"] == 3


def test_polite_gives_up_after_max_attempts_edge(solution):
    pages_in = {"http://a.test/": ["/p"], "http://a.test/p": ["/behind"],
                "http://a.test/behind": []}
    site = web(solution, pages_in, latency=0.001, failures={"http://a.test/p": 3})
    pages, failed = polite(solution, site, ["http://a.test/"], 2, 2, 3)
    assert pages == ["http://a.test/"]
    assert failed == ["http://a.test/p"]
    assert site.attempts["http://a.test/p"] == 3
    assert site.attempts["http://a.test/behind"] == 0


def test_polite_max_attempts_one_never_retries_edge(solution):
    pages_in = {"http://a.test/": ["/p", "/q"], "http://a.test/p": [], "http://a.test/q": []}
    site = web(solution, pages_in, latency=0.001, failures={"http://a.test/p": 1})
    pages, failed = polite(solution, site, ["http://a.test/"], 2, 2, 1)
    assert pages == ["http://a.test/", "http://a.test/q"]
    assert failed == ["http://a.test/p"]
    assert site.attempts["http://a.test/p"] == 1


def test_polite_dead_links_are_tried_max_attempts_times_then_failed(solution):
    pages_in = {"http://a.test/": ["/gone1", "/gone2", "/here"], "http://a.test/here": []}
    site = web(solution, pages_in, latency=0.001)
    pages, failed = polite(solution, site, ["http://a.test/"], 3, 3, 4)
    assert pages == ["http://a.test/", "http://a.test/here"]
    assert failed == ["http://a.test/gone1", "http://a.test/gone2"]
    assert site.attempts["http://a.test/gone1"] == 4
    assert site.attempts["http://a.test/gone2"] == 4


def test_polite_failing_seed_is_reported_failed_edge(solution):
    site = web(solution, {"http://b.test/": []}, latency=0.001)
    pages, failed = polite(solution, site, ["http://a.test/", "http://b.test/"], 2, 1, 2)
    assert pages == ["http://b.test/"]
    assert failed == ["http://a.test/"]
    assert site.attempts["http://a.test/"] == 2


def test_polite_retries_also_respect_the_limits(solution):
    roots = ["http://a.test/", "http://b.test/"]
    pages_in = sites(*roots, leaves=10)
    flaky = {url: 2 for url in pages_in if url.endswith(("leaf1", "leaf3", "leaf5", "leaf7"))}
    site = web(solution, pages_in, latency=0.003, failures=flaky)
    pages, failed = polite(solution, site, roots, 3, 2, 3)
    assert pages == sorted(pages_in)
    assert failed == []
    assert max(site.host_peak.values()) <= 2
    assert site.peak <= 3
    assert all(site.attempts[url] == 3 for url in flaky)


def test_polite_results_are_sorted_and_disjoint(solution):
    pages_in = {"http://b.test/": ["/z", "/a", "/m"], "http://b.test/z": [],
                "http://b.test/a": ["http://a.test/q"], "http://a.test/": ["/k", "/c"],
                "http://a.test/c": [], "http://a.test/q": []}
    site = web(solution, pages_in, latency=0.001, failures={"http://a.test/q": 9})
    pages, failed = polite(solution, site, ["http://b.test/", "http://a.test/"], 4, 2, 2)
    assert pages == ["http://a.test/", "http://a.test/c", "http://b.test/", "http://b.test/a",
                     "http://b.test/z"]
    assert failed == ["http://a.test/k", "http://a.test/q", "http://b.test/m"]
