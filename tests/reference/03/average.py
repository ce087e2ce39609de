"""Web crawler: the average reference.

Levels 1 and 2 are right: a breadth-first crawl, then worker threads that
share a queue and a locked seen set and end on queue.join(). Level 3 keeps
the limits and the retries right, but each worker takes the next URL from a
single queue and then waits on that host's semaphore, so workers sit idle
behind a busy host. Level 4 was not reached in time.
"""

import asyncio
import queue
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


# -- helpers --------------------------------------------------------------------------------


def normalise_url(url):
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = parts.hostname or ""
    port = parts.port
    if port is not None and not (scheme == "http" and port == 80) and not (
            scheme == "https" and port == 443):
        host = host + ":" + str(port)
    path = parts.path or "/"
    url = scheme + "://" + host + path
    if parts.query:
        url += "?" + parts.query
    return url


def links_in_scope(page, links, hosts):
    found = []
    for link in links:
        full = urljoin(page, link)
        if urlsplit(full).scheme.lower() not in ("http", "https"):
            continue
        full = normalise_url(full)
        if urlsplit(full).netloc in hosts:
            found.append(full)
    return found


# -- level 1 --------------------------------------------------------------------------------


def crawl(start_url, fetch_links):
    start = normalise_url(start_url)
    hosts = {urlsplit(start).netloc}
    seen = {start}
    todo = [start]
    pages = []
    while todo:
        url = todo.pop(0)
        try:
            links = fetch_links(url)
        except FetchError:
            continue
        pages.append(url)
        for full in links_in_scope(url, links, hosts):
            if full not in seen:
                seen.add(full)
                todo.append(full)
    return sorted(pages)


# -- level 2 --------------------------------------------------------------------------------


def crawl_concurrent(start_url, fetch_links, workers):
    result = crawl_polite([start_url], fetch_links, workers, workers, 1)
    return result.pages


# -- level 3 --------------------------------------------------------------------------------


def crawl_polite(seeds, fetch_links, workers, per_host, max_attempts):
    starts = [normalise_url(s) for s in seeds]
    hosts = {urlsplit(s).netloc for s in starts}
    host_locks = {h: threading.Semaphore(per_host) for h in hosts}
    lock = threading.Lock()
    seen = set()
    pages = []
    failed = []
    attempts = Counter()
    q = queue.Queue()
    for s in starts:
        if s not in seen:
            seen.add(s)
            q.put(s)

    def worker():
        while True:
            url = q.get()
            if url is None:
                q.task_done()
                return
            with host_locks[urlsplit(url).netloc]:
                try:
                    links = fetch_links(url)
                except FetchError:
                    links = None
            with lock:
                attempts[url] += 1
                if links is None:
                    if attempts[url] < max_attempts:
                        q.put(url)
                    else:
                        failed.append(url)
                else:
                    pages.append(url)
                    for full in links_in_scope(url, links, hosts):
                        if full not in seen:
                            seen.add(full)
                            q.put(full)
            q.task_done()

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for t in threads:
        t.start()
    q.join()
    for _ in threads:
        q.put(None)
    for t in threads:
        t.join()
    return CrawlResult(sorted(pages), sorted(failed))


# -- level 4 --------------------------------------------------------------------------------


async def crawl_async(seeds, fetch_links, concurrency, per_host, max_attempts):
    raise NotImplementedError
