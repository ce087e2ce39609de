"""Level 2 hidden tests: the concurrent crawl on a thread pool.

The fake web below is thread safe and instrumented: it counts every fetch,
tracks the peak number of fetches in flight, and can hold fetches back to
prove that a crawl really overlaps them. A gate holds a set of fetches until
a given number of them are running at once; a hold keeps one fetch running
until some other URLs have been requested. A correct crawl opens both at
once; a crawl that does not overlap its fetches leaves them to time out,
which the tests report.
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


def crawl(solution, site, start, workers):
    result = run(solution.crawl_concurrent, start, site.fetch_links, workers)
    assert site.in_flight == 0, "the crawl returned while fetches were still running"
    return result


MIXED = {
    "http://shop.test/": ["/about", "products/", "http://other.test/", "#top"],
    "http://shop.test/about": ["/", "/about#team", "mailto:hi@shop.test"],
    "http://shop.test/products/": ["p1?colour=red", "../about", "HTTP://SHOP.TEST:80/products/p2"],
    "http://shop.test/products/p1?colour=red": ["p2", "p3"],
    "http://shop.test/products/p2": ["/gone"],
    "http://shop.test/products/p3": ["https://shop.test/cart"],
    "https://shop.test/cart": [],
    "http://other.test/": [],
}


def test_concurrent_returns_the_same_pages_as_the_sequential_crawl(solution):
    site = web(solution, MIXED, latency=0.002)
    assert crawl(solution, site, "http://shop.test/", 4) == [
        "http://shop.test/", "http://shop.test/about", "http://shop.test/products/",
        "http://shop.test/products/p1?colour=red", "http://shop.test/products/p2",
        "http://shop.test/products/p3", "https://shop.test/cart"]
    site.assert_each_fetched_once()
    assert site.attempts["http://other.test/"] == 0


def test_concurrent_fetches_each_url_once_on_a_densely_linked_site(solution):
    pages = {f"http://a.test/{i}": [f"/{j}" for j in range(30)] + [f"{i}#self", "/0"]
             for i in range(30)}
    site = web(solution, pages, latency=0.001)
    assert crawl(solution, site, "http://a.test/0", 8) == sorted(pages)
    site.assert_each_fetched_once()


def test_url_found_again_while_its_fetch_runs_is_not_fetched_again(solution):
    pages = {"http://a.test/": ["/c"] + [f"/a{i}" for i in range(10)],
             "http://a.test/c": []}
    pages.update({f"http://a.test/a{i}": ["/c", "c#again"] for i in range(10)})
    site = web(solution, pages, slow={"http://a.test/c": 0.05},
               hold={"http://a.test/c": [f"http://a.test/a{i}" for i in range(10)]})
    assert crawl(solution, site, "http://a.test/", 4) == sorted(pages)
    site.assert_each_fetched_once()


def test_concurrent_never_runs_more_fetches_than_workers(solution):
    site = web(solution, star("http://a.test/", 30), latency=0.004)
    assert crawl(solution, site, "http://a.test/", 3) == sorted(star("http://a.test/", 30))
    assert site.peak <= 3, f"{site.peak} fetches ran at once with 3 workers"


def test_single_worker_runs_one_fetch_at_a_time_edge(solution):
    site = web(solution, star("http://a.test/", 6), latency=0.002)
    assert crawl(solution, site, "http://a.test/", 1) == sorted(star("http://a.test/", 6))
    assert site.peak == 1


def test_more_workers_than_pages_edge(solution):
    pages = {"http://a.test/": ["/x", "/y"], "http://a.test/x": [], "http://a.test/y": ["/"]}
    site = web(solution, pages, latency=0.002)
    assert crawl(solution, site, "http://a.test/", 16) == sorted(pages)
    site.assert_each_fetched_once()


def test_concurrent_fills_every_worker_on_a_wide_site_perf(solution):
    pages = star("http://a.test/", 40)
    leaves = frozenset(url for url in pages if "leaf" in url)
    site = web(solution, pages, gate=(8, leaves))
    assert crawl(solution, site, "http://a.test/", 8) == sorted(pages)
    assert not site.gate_timed_out, "8 workers never had 8 fetches running at once"
    assert site.peak == 8


def test_slow_page_does_not_hold_back_other_branches_perf(solution):
    chain = [f"http://a.test/c{i}" for i in range(6)]
    pages = {"http://a.test/": ["/slow", "/c0"], "http://a.test/slow": []}
    pages.update({url: [f"/c{i + 1}"] if i < 5 else [] for i, url in enumerate(chain)})
    site = web(solution, pages, hold={"http://a.test/slow": [chain[-1]]})
    assert crawl(solution, site, "http://a.test/", 4) == sorted(pages)
    assert not site.hold_timed_out, (
        "a slow page kept the crawl from fetching pages found elsewhere meanwhile")


def test_returns_only_after_every_fetch_has_finished(solution):
    pages = {"http://a.test/": ["/1"], "http://a.test/1": ["/2", "/3"],
             "http://a.test/2": ["/4"], "http://a.test/3": [], "http://a.test/4": []}
    site = web(solution, pages, latency=0.005)
    assert crawl(solution, site, "http://a.test/", 4) == sorted(pages)


def test_failed_fetches_are_left_out_and_the_crawl_still_finishes_edge(solution):
    pages = {"http://a.test/": ["/ok1", "/dead1", "/flaky", "/ok2", "/dead2"],
             "http://a.test/ok1": ["/deep"], "http://a.test/ok2": [],
             "http://a.test/flaky": ["/hidden"], "http://a.test/deep": [],
             "http://a.test/hidden": []}
    site = web(solution, pages, latency=0.002, failures={"http://a.test/flaky": 1})
    assert crawl(solution, site, "http://a.test/", 3) == [
        "http://a.test/", "http://a.test/deep", "http://a.test/ok1", "http://a.test/ok2"]
    assert site.attempts["http://a.test/flaky"] == 1
    assert site.attempts["http://a.test/dead1"] == 1
    assert site.attempts["http://a.test/hidden"] == 0


def test_concurrent_failing_start_page_gives_an_empty_list_edge(solution):
    site = web(solution, {}, latency=0.001)
    assert crawl(solution, site, "http://a.test/", 4) == []
    assert site.attempts["http://a.test/"] == 1


def test_concurrent_stays_on_the_start_host(solution):
    pages = {"http://a.test/": ["http://b.test/", "http://a.test:81/", "/x"],
             "http://a.test/x": ["http://sub.a.test/"], "http://b.test/": []}
    site = web(solution, pages, latency=0.001)
    assert crawl(solution, site, "HTTP://A.TEST#start", 4) == [
        "http://a.test/", "http://a.test/x"]
    assert set(site.attempts) == {"http://a.test/", "http://a.test/x"}


def test_concurrent_crawl_twice_starts_from_scratch(solution):
    pages = star("http://a.test/", 5)
    first = web(solution, pages, latency=0.001)
    second = web(solution, pages, latency=0.001)
    assert crawl(solution, first, "http://a.test/", 3) == sorted(pages)
    assert crawl(solution, second, "http://a.test/", 3) == sorted(pages)
    assert sum(second.attempts.values()) == 6


def test_concurrent_handles_a_site_of_thousands_of_pages(solution):
    count = 2000
    pages = {f"http://a.test/p{i}": [f"/p{c}" for c in range(4 * i + 1, 4 * i + 5) if c < count]
             + ["/p0"] for i in range(count)}
    site = web(solution, pages)
    assert crawl(solution, site, "http://a.test/p0", 8) == sorted(pages)
    site.assert_each_fetched_once()


def _sequential_seconds(site, start):
    """A plain breadth-first crawl of the test's own, to time against."""
    began, seen, queue = time.perf_counter(), {start}, [start]
    while queue:
        url = queue.pop()
        for href in site.fetch_links(url):
            target = f"http://a.test{href}"
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return time.perf_counter() - began


def test_concurrent_is_much_faster_than_a_sequential_crawl_perf(solution):
    pages = star("http://a.test/", 23)
    baseline = _sequential_seconds(web(solution, pages, latency=0.015), "http://a.test/")
    site = web(solution, pages, latency=0.015)
    began = time.perf_counter()
    assert crawl(solution, site, "http://a.test/", 8) == sorted(pages)
    elapsed = time.perf_counter() - began
    assert elapsed * 2 < baseline, (
        f"8 workers took {elapsed:.3f} s, a sequential crawl {baseline:.3f} s")
