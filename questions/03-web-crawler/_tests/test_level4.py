"""Level 4 hidden tests: the asyncio crawl, on an event loop with a simulated clock.

``VirtualLoop`` is an ordinary selector event loop whose clock only moves
when every task is waiting: then it jumps straight to the next timer. A fetch
that "takes" 20 ms therefore takes no real time, and the simulated time a
crawl takes is exact and the same on every run, so the tests can check the
peak concurrency and the crawl's duration exactly.
"""

import asyncio
import contextlib
import inspect
import selectors
from collections import Counter
from urllib.parse import urlsplit

import pytest

#: Ready-only loop turns in a row after which the clock moves on (a crawl that polls).
POLLING_TURNS = 1000


class _VirtualSelector(selectors.BaseSelector):
    """Wraps a real selector: never blocks, and advances the loop's clock instead."""

    def __init__(self):
        self._real = selectors.DefaultSelector()
        self.loop = None
        self._idle_turns = 0

    def register(self, fileobj, events, data=None):
        return self._real.register(fileobj, events, data)

    def unregister(self, fileobj):
        return self._real.unregister(fileobj)

    def modify(self, fileobj, events, data=None):
        return self._real.modify(fileobj, events, data)

    def get_key(self, fileobj):
        return self._real.get_key(fileobj)

    def get_map(self):
        return self._real.get_map()

    def close(self):
        self._real.close()

    def select(self, timeout=None):
        ready = self._real.select(0)
        if ready:
            return ready
        if timeout is None:
            raise RuntimeError("the crawl is waiting for something that never happens "
                               "(no fetch is running and no task can make progress)")
        if timeout > 0:
            self._idle_turns = 0
            self.loop.now += timeout
        else:
            self._idle_turns += 1
            if self._idle_turns >= POLLING_TURNS and self.loop.next_timer() is not None:
                self._idle_turns = 0
                self.loop.now = max(self.loop.now, self.loop.next_timer())
        return []


class VirtualLoop(asyncio.SelectorEventLoop):
    def __init__(self):
        selector = _VirtualSelector()
        self.now = 0.0
        super().__init__(selector)
        selector.loop = self

    def time(self):
        return self.now

    def next_timer(self):
        scheduled = [handle for handle in self._scheduled if not handle.cancelled()]
        return min((handle.when() for handle in scheduled), default=None)


class AsyncWeb:
    """The async fake web: counts fetches and the peak in flight, overall and per host."""

    def __init__(self, error, pages, latency=0.01, failures=None, slow=None):
        self.error = error
        self.pages = {url: list(links) for url, links in pages.items()}
        self.latency = latency
        self.slow = dict(slow or {})
        self.failures_left = dict(failures or {})
        self.attempts = Counter()
        self.in_flight = 0
        self.peak = 0
        self.host_in_flight = Counter()
        self.host_peak = Counter()

    async def fetch_links(self, url):
        host = urlsplit(url).netloc
        self.attempts[url] += 1
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        self.host_in_flight[host] += 1
        self.host_peak[host] = max(self.host_peak[host], self.host_in_flight[host])
        try:
            await asyncio.sleep(self.slow.get(url, self.latency))
        finally:
            self.in_flight -= 1
            self.host_in_flight[host] -= 1
        if self.failures_left.get(url, 0) > 0:
            self.failures_left[url] -= 1
            raise self.error(f"{url}: temporary failure")
        if url not in self.pages:
            raise self.error(f"{url}: no such page")
        return list(self.pages[url])

    def assert_each_fetched_once(self):
        twice = sorted(url for url, count in self.attempts.items() if count > 1)
        assert not twice, f"fetched more than once: {twice}"


def web(solution, pages, latency=0.01, failures=None, slow=None):
    return AsyncWeb(solution.FetchError, pages, latency, failures, slow)


def crawl(solution, site, seeds, concurrency, per_host, max_attempts):
    """Run crawl_async on a fresh virtual loop: (pages, failed, simulated milliseconds)."""
    coroutine = solution.crawl_async(seeds, site.fetch_links, concurrency, per_host,
                                     max_attempts)
    assert inspect.iscoroutine(coroutine), "crawl_async must be declared with async def"
    loop = VirtualLoop()
    try:
        result = loop.run_until_complete(coroutine)
        elapsed_ms = round(loop.time() * 1000, 3)
        leftover = [task for task in asyncio.all_tasks(loop) if not task.done()]
        assert not leftover and site.in_flight == 0, (
            "crawl_async returned while fetches were still running")
        return list(result.pages), list(result.failed), elapsed_ms
    finally:
        _close(loop)


def _close(loop):
    pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
    for task in pending:
        task.cancel()

    async def drain():
        await asyncio.gather(*pending, return_exceptions=True)

    if pending:
        with contextlib.suppress(RuntimeError):
            loop.run_until_complete(drain())
    loop.close()


def star(root, leaves):
    pages = {root: [f"/leaf{i}" for i in range(leaves)]}
    pages.update({f"{root.rstrip('/')}/leaf{i}": [] for i in range(leaves)})
    return pages


def sites(*roots, leaves=8):
    pages = {}
    for root in roots:
        pages.update(star(root, leaves))
    return pages


def test_crawl_async_is_a_coroutine_function(solution):
    assert inspect.iscoroutinefunction(solution.crawl_async)


def test_async_crawls_the_example_sites(solution):
    pages_in = {
        "http://a.test/": ["/1", "/2", "http://b.test/"],
        "http://a.test/1": [],
        "http://a.test/2": ["/1"],
        "http://b.test/": ["/x", "http://c.test/"],
        "http://b.test/x": [],
    }
    site = web(solution, pages_in, failures={"http://a.test/2": 2, "http://b.test/x": 5})
    pages, failed, _ = crawl(solution, site, ["http://a.test/", "http://b.test/"], 4, 2, 3)
    assert pages == ["http://a.test/", "http://a.test/1", "http://a.test/2", "http://b.test/"]
    assert failed == ["http://b.test/x"]
    assert site.attempts["http://a.test/2"] == 3
    assert site.attempts["http://b.test/x"] == 3
    assert site.attempts["http://c.test/"] == 0
    assert max(site.host_peak.values()) <= 2


def test_async_follows_the_level_one_rules(solution):
    pages_in = {
        "http://shop.test/": ["/about", "products/", "http://other.test/", "#top", "mailto:x@y"],
        "http://shop.test/about": ["/", "/about#team", "https://shop.test:443/cart"],
        "http://shop.test/products/": ["p1?colour=red", "../about",
                                       "HTTP://SHOP.TEST:80/products/p2", "/products"],
        "http://shop.test/products/p1?colour=red": [],
        "http://shop.test/products/p2": ["//shop.test:8080/admin"],
        "http://shop.test/products": [],
        "https://shop.test/cart": [],
        "http://other.test/": [],
    }
    site = web(solution, pages_in)
    pages, failed, _ = crawl(solution, site, ["HTTP://Shop.Test:80/#intro"], 4, 4, 1)
    assert pages == ["http://shop.test/", "http://shop.test/about", "http://shop.test/products",
                     "http://shop.test/products/", "http://shop.test/products/p1?colour=red",
                     "http://shop.test/products/p2", "https://shop.test/cart"]
    assert failed == []
    site.assert_each_fetched_once()
    assert site.attempts["http://other.test/"] == 0


def test_async_fetches_each_url_once_on_a_densely_linked_site(solution):
    pages_in = {f"http://a.test/{i}": [f"/{j}" for j in range(25)] + [f"{i}#self"]
                for i in range(25)}
    site = web(solution, pages_in)
    pages, failed, _ = crawl(solution, site, ["http://a.test/0"], 6, 6, 2)
    assert pages == sorted(pages_in)
    assert failed == []
    site.assert_each_fetched_once()


def test_async_runs_exactly_the_allowed_number_of_fetches_at_once(solution):
    pages_in = star("http://a.test/", 30)
    site = web(solution, pages_in)
    pages, _, _ = crawl(solution, site, ["http://a.test/"], 5, 5, 1)
    assert pages == sorted(pages_in)
    assert site.peak == 5, f"peak of {site.peak} fetches at once with a limit of 5"


def test_async_per_host_limit_is_never_exceeded(solution):
    roots = ["http://a.test/", "http://b.test/", "http://c.test/"]
    pages_in = sites(*roots, leaves=10)
    site = web(solution, pages_in, slow={"http://b.test/leaf3": 0.05})
    pages, _, _ = crawl(solution, site, roots, 8, 2, 1)
    assert pages == sorted(pages_in)
    assert max(site.host_peak.values()) <= 2, dict(site.host_peak)
    assert site.peak <= 6


def test_async_fills_every_host_slot_perf(solution):
    roots = ["http://a.test/", "http://b.test/", "http://c.test/"]
    pages_in = sites(*roots, leaves=10)
    site = web(solution, pages_in)
    pages, _, _ = crawl(solution, site, roots, 8, 2, 1)
    assert pages == sorted(pages_in)
    assert dict(site.host_peak) == {"a.test": 2, "b.test": 2, "c.test": 2}
    assert site.peak == 6, f"at most {site.peak} fetches ran at once; 3 hosts x 2 slots allow 6"


def test_async_per_host_limit_above_the_concurrency_edge(solution):
    pages_in = star("http://a.test/", 12)
    site = web(solution, pages_in)
    pages, _, _ = crawl(solution, site, ["http://a.test/"], 3, 10, 1)
    assert pages == sorted(pages_in)
    assert site.peak == 3


def test_async_retries_until_success_and_follows_the_links(solution):
    pages_in = {"http://a.test/": ["/flaky"], "http://a.test/flaky": ["/child"],
                "http://a.test/child": []}
    site = web(solution, pages_in, failures={"http://a.test/flaky": 2})
    pages, failed, _ = crawl(solution, site, ["http://a.test/"], 2, 2, 3)
    assert pages == ["http://a.test/", "http://a.test/child", "http://a.test/flaky"]
    assert failed == []
    assert site.attempts["http://a.test/flaky"] == 3


def test_async_gives_up_after_max_attempts_edge(solution):
    pages_in = {"http://a.test/": ["/p", "/gone"], "http://a.test/p": ["/behind"],
                "http://a.test/behind": []}
    site = web(solution, pages_in, failures={"http://a.test/p": 3})
    pages, failed, _ = crawl(solution, site, ["http://a.test/"], 2, 2, 3)
    assert pages == ["http://a.test/"]
    assert failed == ["http://a.test/gone", "http://a.test/p"]
    assert site.attempts["http://a.test/p"] == 3
    assert site.attempts["http://a.test/gone"] == 3
    assert site.attempts["http://a.test/behind"] == 0


def test_async_max_attempts_one_never_retries_edge(solution):
    pages_in = {"http://a.test/": ["/p"], "http://a.test/p": []}
    site = web(solution, pages_in, failures={"http://a.test/p": 1})
    pages, failed, _ = crawl(solution, site, ["http://a.test/"], 2, 2, 1)
    assert (pages, failed) == (["http://a.test/"], ["http://a.test/p"])
    assert site.attempts["http://a.test/p"] == 1


def test_async_no_seeds_gives_an_empty_result_edge(solution):
    site = web(solution, {"http://a.test/": []})
    pages, failed, _ = crawl(solution, site, [], 4, 2, 2)
    assert (pages, failed) == ([], [])
    assert not site.attempts


def test_async_failing_seed_is_reported_failed_edge(solution):
    site = web(solution, {"http://b.test/": ["/x"], "http://b.test/x": []})
    pages, failed, _ = crawl(solution, site, ["http://a.test/", "http://b.test/",
                                              "http://B.test:80/#dup"], 4, 2, 2)
    assert pages == ["http://b.test/", "http://b.test/x"]
    assert failed == ["http://a.test/"]
    assert site.attempts["http://a.test/"] == 2
    assert site.attempts["http://b.test/"] == 1


def test_async_crawl_twice_starts_from_scratch(solution):
    pages_in = star("http://a.test/", 4)
    first, second = web(solution, pages_in), web(solution, pages_in)
    assert crawl(solution, first, ["http://a.test/"], 2, 2, 1)[0] == sorted(pages_in)
    assert crawl(solution, second, ["http://a.test/"], 2, 2, 1)[0] == sorted(pages_in)
    assert sum(second.attempts.values()) == 5


def test_async_handles_a_site_of_thousands_of_pages(solution):
    count = 2000
    pages_in = {f"http://a.test/p{i}": [f"/p{c}" for c in range(3 * i + 1, 3 * i + 4)
                                        if c < count] + ["/p0"] for i in range(count)}
    site = web(solution, pages_in, latency=0.001)
    pages, failed, _ = crawl(solution, site, ["http://a.test/p0"], 16, 16, 1)
    assert pages == sorted(pages_in)
    assert failed == []
    site.assert_each_fetched_once()


# -- overlap and duration -------------------------------------------------------------------------


def test_async_wide_site_takes_the_minimum_time_perf(solution):
    pages_in = star("http://a.test/", 40)
    site = web(solution, pages_in, latency=0.02)
    pages, _, elapsed = crawl(solution, site, ["http://a.test/"], 8, 8, 1)
    assert pages == sorted(pages_in)
    assert elapsed <= 120.001, f"took {elapsed} ms; one page then five rounds of 8 is 120 ms"


def _slow_page_site():
    pages = {"http://a.test/": ["/slow", "/c0"], "http://a.test/slow": []}
    pages.update({f"http://a.test/c{i}": [f"/c{i + 1}"] for i in range(9)})
    pages["http://a.test/c9"] = []
    return pages


def test_async_slow_page_does_not_hold_back_other_branches_perf(solution):
    site = web(solution, _slow_page_site(), latency=0.02, slow={"http://a.test/slow": 0.2})
    pages, _, elapsed = crawl(solution, site, ["http://a.test/"], 4, 4, 1)
    assert pages == sorted(_slow_page_site())
    assert elapsed <= 220.001, (
        f"took {elapsed} ms; the chain beside the 200 ms page should finish within it")


def _two_busy_hosts():
    return sites("http://a.test/", "http://b.test/", leaves=8)


def test_async_busy_host_does_not_block_other_hosts_perf(solution):
    site = web(solution, _two_busy_hosts(), latency=0.01)
    pages, _, elapsed = crawl(solution, site, ["http://a.test/", "http://b.test/"], 4, 2, 1)
    assert pages == sorted(_two_busy_hosts())
    assert elapsed <= 50.001, f"took {elapsed} ms; two hosts with two slots each need 50 ms"


# -- simulated duration, recorded for the rubric (checked for correctness only) -------------------


def test_async_duration_of_a_mixed_crawl_is_recorded(solution, measure):
    pages_in = _slow_page_site()
    pages_in["http://a.test/"].append("http://b.test/")
    pages_in.update(star("http://b.test/", 12))
    site = web(solution, pages_in, latency=0.02, slow={"http://a.test/slow": 0.2})
    pages, failed, elapsed = crawl(solution, site, ["http://a.test/", "http://b.test/"], 4, 2,
                                   1)
    assert pages == sorted(pages_in)
    assert failed == []
    assert site.peak <= 4 and max(site.host_peak.values()) <= 2
    site.assert_each_fetched_once()
    measure("simulated_ms", elapsed)


def test_async_duration_with_retries_is_recorded(solution, measure):
    pages_in = _two_busy_hosts()
    flaky = {url: 1 for url in pages_in if url.endswith(("leaf0", "leaf2", "leaf4"))}
    site = web(solution, pages_in, latency=0.01, failures=flaky)
    pages, failed, elapsed = crawl(solution, site, ["http://a.test/", "http://b.test/"], 4, 2,
                                   2)
    assert pages == sorted(pages_in)
    assert failed == []
    assert site.peak <= 4 and max(site.host_peak.values()) <= 2
    assert all(site.attempts[url] == 2 for url in flaky)
    measure("simulated_ms", elapsed)


@pytest.mark.parametrize("concurrency", [1, 3])
def test_async_duration_of_a_deep_site_is_recorded(solution, measure, concurrency):
    pages_in = {f"http://a.test/{i}": [f"/{2 * i + 1}", f"/{2 * i + 2}"] for i in range(15)}
    pages_in.update({f"http://a.test/{i}": [] for i in range(15, 31)})
    site = web(solution, pages_in, latency=0.01)
    pages, _, elapsed = crawl(solution, site, ["http://a.test/0"], concurrency, concurrency, 1)
    assert pages == sorted(pages_in)
    assert site.peak <= concurrency
    measure("simulated_ms", elapsed)
