"""Web crawler: the strong reference.

One ``Frontier`` holds every rule of the crawl (normalisation, scope, the
seen set, per-host limits, attempts) and is only ever touched by one thread:
the caller's. Each crawl is then a short loop that asks the frontier for the
next URL it may fetch, runs the fetch (inline, on a thread pool, or as an
asyncio task) and reports the outcome back. Confining the state to one thread
makes it thread safe without a lock, and termination is simply "nothing in
flight and nothing ready".
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter, deque
from collections.abc import Awaitable, Callable, Iterable, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
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


# -- URLs ----------------------------------------------------------------------------------------

DEFAULT_PORTS = {"http": 80, "https": 443}


def normalise_url(url: str) -> str:
    """Lower-case scheme and host, no default port, "/" for an empty path, no fragment."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = parts.hostname or ""
    if parts.port is not None and parts.port != DEFAULT_PORTS.get(scheme):
        host = f"{host}:{parts.port}"
    query = f"?{parts.query}" if parts.query else ""
    return f"{scheme}://{host}{parts.path or '/'}{query}"


def host_of(url: str) -> str:
    """The host of a normalised URL: its name, plus the port when it is not the default."""
    return urlsplit(url).netloc


def resolve(page: str, href: str) -> str | None:
    """The normalised URL a link on ``page`` points to, or None when it is not http(s)."""
    absolute = urljoin(page, href)
    if urlsplit(absolute).scheme.lower() not in DEFAULT_PORTS:
        return None
    return normalise_url(absolute)


# -- the shared crawl state ------------------------------------------------------------------------


class Frontier:
    """The crawl's state: what is seen, waiting, running and done. One thread only."""

    def __init__(self, seeds: Iterable[str], per_host: int, max_attempts: int) -> None:
        starts = [normalise_url(seed) for seed in seeds]
        self.hosts = {host_of(url) for url in starts}
        self.per_host = per_host
        self.max_attempts = max_attempts
        self.seen: set[str] = set()
        self.waiting: dict[str, deque[str]] = {host: deque() for host in self.hosts}
        self.running: Counter[str] = Counter()
        self.attempts: Counter[str] = Counter()
        self.pages: list[str] = []
        self.failed: list[str] = []
        for url in starts:
            self.add(url)

    def add(self, url: str) -> None:
        """Queue ``url`` unless it was seen before or lies outside the crawl's hosts."""
        if url not in self.seen and host_of(url) in self.hosts:
            self.seen.add(url)
            self.waiting[host_of(url)].append(url)

    def next_ready(self) -> str | None:
        """A waiting URL whose host has a free slot (now counted as running), or None."""
        for host, queue in self.waiting.items():
            if queue and self.running[host] < self.per_host:
                self.running[host] += 1
                return queue.popleft()
        return None

    def finish(self, url: str, links: list[str] | None) -> None:
        """Record one attempt at ``url``: its links, or None when the fetch failed."""
        host = host_of(url)
        self.running[host] -= 1
        self.attempts[url] += 1
        if links is not None:
            self.pages.append(url)
            for href in links:
                target = resolve(url, href)
                if target is not None:
                    self.add(target)
        elif self.attempts[url] < self.max_attempts:
            self.waiting[host].append(url)
        else:
            self.failed.append(url)

    def result(self) -> CrawlResult:
        return CrawlResult(sorted(self.pages), sorted(self.failed))


def _links_or_none(outcome: Future[list[str]] | asyncio.Task[list[str]]) -> list[str] | None:
    """The links a finished fetch returned, or None when it raised FetchError."""
    try:
        return outcome.result()
    except FetchError:
        return None


# -- Level 1 -------------------------------------------------------------------------------------


def crawl(start_url: str, fetch_links: Callable[[str], list[str]]) -> list[str]:
    """Every page on the start URL's host reachable from it, fetched once each, sorted."""
    frontier = Frontier([start_url], per_host=1, max_attempts=1)
    while (url := frontier.next_ready()) is not None:
        try:
            links: list[str] | None = fetch_links(url)
        except FetchError:
            links = None
        frontier.finish(url, links)
    return frontier.result().pages


# -- Level 2 -------------------------------------------------------------------------------------


def crawl_concurrent(start_url: str, fetch_links: Callable[[str], list[str]],
                     workers: int) -> list[str]:
    """The same list as ``crawl``, with up to ``workers`` fetches running at once on threads."""
    return crawl_polite([start_url], fetch_links, workers, per_host=workers,
                        max_attempts=1).pages


# -- Level 3 -------------------------------------------------------------------------------------


def crawl_polite(seeds: list[str], fetch_links: Callable[[str], list[str]], workers: int,
                 per_host: int, max_attempts: int) -> CrawlResult:
    """Crawl the hosts of ``seeds`` on a thread pool, within the global and per-host limits."""
    frontier = Frontier(seeds, per_host, max_attempts)
    running: dict[Future[list[str]], str] = {}
    with ThreadPoolExecutor(max_workers=workers) as pool:
        while True:
            while len(running) < workers and (url := frontier.next_ready()) is not None:
                running[pool.submit(fetch_links, url)] = url
            if not running:
                return frontier.result()
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                frontier.finish(running.pop(future), _links_or_none(future))


# -- Level 4 -------------------------------------------------------------------------------------


async def crawl_async(seeds: list[str], fetch_links: Callable[[str], Awaitable[list[str]]],
                      concurrency: int, per_host: int, max_attempts: int) -> CrawlResult:
    """``crawl_polite`` for asyncio: the same loop, with tasks instead of threads."""
    frontier = Frontier(seeds, per_host, max_attempts)
    running: dict[asyncio.Task[list[str]], str] = {}
    while True:
        while len(running) < concurrency and (url := frontier.next_ready()) is not None:
            running[asyncio.ensure_future(fetch_links(url))] = url
        if not running:
            return frontier.result()
        done, _ = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            frontier.finish(running.pop(task), _links_or_none(task))
