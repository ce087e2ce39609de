"""Web crawler: the weak reference.

Level 1 mostly works, but normalisation keeps explicit default ports and
the crawl is a recursive depth-first search, which breaks on deep chains.
Level 2 starts a thread per discovered URL, ignoring the worker limit, and
waits only for the threads that existed when it started waiting. Levels 3 and 4 were
never written.
"""

import asyncio
import threading
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit


class FetchError(Exception):
    """A fetch failed: a dead link, or a failure that may pass when tried again."""


@dataclass
class CrawlResult:
    """What a crawl found (levels 3 and 4)."""

    pages: list[str] = field(default_factory=list)
    """The URLs fetched successfully, sorted."""
    failed: list[str] = field(default_factory=list)
    """The URLs whose every attempt failed, sorted."""


class FakeWeb:
    """A deterministic, thread-safe web to crawl, for trying your code.

    ``pages`` maps the normalised URL of each page to the links on it, as
    written in the page: relative or absolute, with fragments and odd case.
    A fetch takes ``latency`` seconds. ``failures`` maps a URL to how many of
    its first fetches fail before one succeeds; a URL that is not in
    ``pages`` fails every time (a dead link). A failed fetch raises
    ``FetchError`` after the latency, like a real time-out.
    """

    def __init__(self, pages: Mapping[str, Iterable[str]], latency: float = 0.0,
                 failures: Mapping[str, int] | None = None) -> None:
        self._pages = {url: list(links) for url, links in pages.items()}
        self._latency = latency
        self._failures_left = dict(failures or {})
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()
        self._in_flight = 0
        self._host_in_flight: Counter[str] = Counter()
        self.peak_in_flight = 0
        """The most fetches that were ever running at the same time."""
        self.peak_per_host: dict[str, int] = {}
        """Per host (``urlsplit(url).netloc``): the most fetches it ever had running at once."""

    def fetch_links(self, url: str) -> list[str]:
        """Fetch ``url`` (blocking) and return the links on the page; raises FetchError."""
        self._begin(url)
        try:
            time.sleep(self._latency)
        finally:
            self._end(url)
        return self._answer(url)

    async def fetch_links_async(self, url: str) -> list[str]:
        """The same fetch for asyncio: awaits the latency instead of blocking."""
        self._begin(url)
        try:
            await asyncio.sleep(self._latency)
        finally:
            self._end(url)
        return self._answer(url)

    def fetch_count(self, url: str) -> int:
        """How many times ``url`` has been fetched (failed attempts included)."""
        with self._lock:
            return self._counts[url]

    @property
    def total_fetches(self) -> int:
        """How many fetches there were in all."""
        with self._lock:
            return sum(self._counts.values())

    def _begin(self, url: str) -> None:
        host = urlsplit(url).netloc
        with self._lock:
            self._counts[url] += 1
            self._in_flight += 1
            self._host_in_flight[host] += 1
            self.peak_in_flight = max(self.peak_in_flight, self._in_flight)
            self.peak_per_host[host] = max(self.peak_per_host.get(host, 0),
                                           self._host_in_flight[host])

    def _end(self, url: str) -> None:
        with self._lock:
            self._in_flight -= 1
            self._host_in_flight[urlsplit(url).netloc] -= 1

    def _answer(self, url: str) -> list[str]:
        with self._lock:
            if self._failures_left.get(url, 0) > 0:
                self._failures_left[url] -= 1
                raise FetchError(f"{url}: temporary failure")
            if url not in self._pages:
                raise FetchError(f"{url}: no such page")
            return list(self._pages[url])


# level 1


def normalise_url(url):
    parts = urlsplit(url)
    netloc = parts.netloc.lower()
    path = parts.path
    if path == "":
        path = "/"
    result = parts.scheme.lower() + "://" + netloc + path
    if parts.query:
        result = result + "?" + parts.query
    return result


def crawl(start_url, fetch_links):
    start = normalise_url(start_url)
    host = urlsplit(start).netloc
    visited = []
    pages = []

    def visit(url):
        visited.append(url)
        try:
            links = fetch_links(url)
        except FetchError:
            return
        pages.append(url)
        for link in links:
            full = normalise_url(urljoin(url, link))
            if not full.startswith("http"):
                continue
            if urlsplit(full).netloc == host and full not in visited:
                visit(full)

    visit(start)
    return sorted(pages)


# level 2


def crawl_concurrent(start_url, fetch_links, workers):
    start = normalise_url(start_url)
    host = urlsplit(start).netloc
    visited = {start}
    pages = []
    threads = []

    def visit(url):
        try:
            links = fetch_links(url)
        except FetchError:
            return
        pages.append(url)
        for link in links:
            full = normalise_url(urljoin(url, link))
            if full.startswith("http") and urlsplit(full).netloc == host:
                if full not in visited:
                    visited.add(full)
                    t = threading.Thread(target=visit, args=(full,))
                    threads.append(t)
                    t.start()

    visit(start)
    for t in list(threads):
        t.join()
    return sorted(pages)


# level 3


def crawl_polite(seeds, fetch_links, workers, per_host, max_attempts):
    raise NotImplementedError


# level 4


async def crawl_async(seeds, fetch_links, concurrency, per_host, max_attempts):
    raise NotImplementedError
