"""Level 1 hidden tests: URL normalisation and the sequential crawl."""

from collections import Counter
from urllib.parse import urlsplit

import pytest


class Web:
    """A fake web that counts every fetch; it raises the solution's FetchError."""

    def __init__(self, error, pages, failures=None):
        self.error = error
        self.pages = {url: list(links) for url, links in pages.items()}
        self.failures_left = dict(failures or {})
        self.attempts = Counter()
        self.order = []

    def fetch_links(self, url):
        self.attempts[url] += 1
        self.order.append(url)
        if self.failures_left.get(url, 0) > 0:
            self.failures_left[url] -= 1
            raise self.error(f"{url}: temporary failure")
        if url not in self.pages:
            raise self.error(f"{url}: no such page")
        return list(self.pages[url])

    def assert_each_fetched_once(self):
        twice = sorted(url for url, count in self.attempts.items() if count > 1)
        assert not twice, f"fetched more than once: {twice}"


def web(solution, pages, failures=None):
    return Web(solution.FetchError, pages, failures)


# -- normalise_url --------------------------------------------------------------------------------


def test_normalise_lowercases_scheme_and_host(solution):
    assert solution.normalise_url("HTTP://Shop.Example.COM/index") == \
        "http://shop.example.com/index"


def test_normalise_keeps_the_case_of_path_and_query(solution):
    assert solution.normalise_url("http://a.test/Docs/Read-Me?Lang=EN") == \
        "http://a.test/Docs/Read-Me?Lang=EN"


def test_normalise_drops_the_fragment(solution):
    assert solution.normalise_url("http://a.test/guide#install") == "http://a.test/guide"


def test_normalise_drops_default_http_port_edge(solution):
    assert solution.normalise_url("http://a.test:80/x") == "http://a.test/x"


def test_normalise_drops_default_https_port_edge(solution):
    assert solution.normalise_url("https://a.test:443/x") == "https://a.test/x"


def test_normalise_keeps_a_port_that_is_not_the_default_edge(solution):
    assert solution.normalise_url("http://a.test:8080/x") == "http://a.test:8080/x"
    assert solution.normalise_url("https://a.test:80/x") == "https://a.test:80/x"
    assert solution.normalise_url("http://a.test:443/x") == "http://a.test:443/x"


def test_normalise_gives_an_empty_path_a_slash_edge(solution):
    assert solution.normalise_url("http://a.test") == "http://a.test/"
    assert solution.normalise_url("https://A.test:8443") == "https://a.test:8443/"
    assert solution.normalise_url("http://a.test?q=1") == "http://a.test/?q=1"


def test_normalise_keeps_trailing_slashes_as_they_are_edge(solution):
    assert solution.normalise_url("http://a.test/docs/") == "http://a.test/docs/"
    assert solution.normalise_url("http://a.test/docs") == "http://a.test/docs"


def test_normalise_keeps_the_query_string_unchanged(solution):
    assert solution.normalise_url("http://a.test/s?b=2&a=1&a=3") == "http://a.test/s?b=2&a=1&a=3"
    assert solution.normalise_url("http://a.test/s?q=a%20b#top") == "http://a.test/s?q=a%20b"


def test_normalise_drops_an_empty_query_and_empty_fragment_edge(solution):
    assert solution.normalise_url("http://a.test/x?") == "http://a.test/x"
    assert solution.normalise_url("http://a.test/x#") == "http://a.test/x"
    assert solution.normalise_url("http://a.test/x?#end") == "http://a.test/x"


def test_normalise_is_idempotent(solution):
    for url in ("HTTPS://A.Test:443/P/q?x=1#f", "http://a.test:81", "http://b.test/a/b/"):
        once = solution.normalise_url(url)
        assert solution.normalise_url(once) == once


# -- crawl ----------------------------------------------------------------------------------------


SHOP = {
    "http://shop.test/": ["/about", "products/", "http://other.test/", "#top"],
    "http://shop.test/about": ["/", "/about#team", "mailto:hi@shop.test"],
    "http://shop.test/products/": ["p1?colour=red", "../about",
                                   "HTTP://SHOP.TEST:80/products/p2"],
    "http://shop.test/products/p1?colour=red": [],
    "http://shop.test/products/p2": ["/gone"],
    "http://other.test/": [],
}


def test_crawl_returns_every_reachable_page_sorted(solution):
    site = web(solution, SHOP)
    assert solution.crawl("http://shop.test/", site.fetch_links) == [
        "http://shop.test/",
        "http://shop.test/about",
        "http://shop.test/products/",
        "http://shop.test/products/p1?colour=red",
        "http://shop.test/products/p2",
    ]
    site.assert_each_fetched_once()
    assert site.attempts["http://shop.test/gone"] == 1
    assert site.attempts["http://other.test/"] == 0


def test_crawl_result_is_sorted_not_in_discovery_order(solution):
    site = web(solution, {
        "http://a.test/": ["/z", "/m", "/b"],
        "http://a.test/z": ["/a"],
        "http://a.test/m": [],
        "http://a.test/b": [],
        "http://a.test/a": [],
    })
    assert solution.crawl("http://a.test/", site.fetch_links) == [
        "http://a.test/", "http://a.test/a", "http://a.test/b", "http://a.test/m",
        "http://a.test/z"]


def test_crawl_of_a_page_without_links_is_just_that_page_edge(solution):
    site = web(solution, {"http://a.test/only": []})
    assert solution.crawl("http://a.test/only", site.fetch_links) == ["http://a.test/only"]
    assert site.order == ["http://a.test/only"]


def test_crawl_fetches_each_url_once_despite_cycles_and_duplicates(solution):
    pages = {f"http://a.test/{i}": [f"/{(i + 1) % 12}", f"/{(i + 5) % 12}", f"/{i}", "/0",
                                    f"http://A.TEST/{(i + 7) % 12}#x"] for i in range(12)}
    site = web(solution, pages)
    found = solution.crawl("http://a.test/0", site.fetch_links)
    assert found == sorted(pages)
    site.assert_each_fetched_once()
    assert sum(site.attempts.values()) == 12


def test_crawl_resolves_relative_links_against_the_page(solution):
    site = web(solution, {
        "http://a.test/docs/guide/intro": ["next", "./tips", "../faq", "/top", "?page=2",
                                           "//a.test/abs", "http://a.test/full"],
        "http://a.test/docs/guide/next": [],
        "http://a.test/docs/guide/tips": [],
        "http://a.test/docs/faq": [],
        "http://a.test/top": [],
        "http://a.test/docs/guide/intro?page=2": [],
        "http://a.test/abs": [],
        "http://a.test/full": [],
    })
    assert solution.crawl("http://a.test/docs/guide/intro", site.fetch_links) == [
        "http://a.test/abs", "http://a.test/docs/faq", "http://a.test/docs/guide/intro",
        "http://a.test/docs/guide/intro?page=2", "http://a.test/docs/guide/next",
        "http://a.test/docs/guide/tips", "http://a.test/full", "http://a.test/top"]
    site.assert_each_fetched_once()


def test_crawl_resolves_links_on_a_directory_page_inside_it(solution):
    site = web(solution, {
        "http://a.test/blog/": ["post", "post/"],
        "http://a.test/blog/post": ["other"],
        "http://a.test/blog/post/": ["other"],
        "http://a.test/blog/other": [],
        "http://a.test/blog/post/other": [],
    })
    assert solution.crawl("http://a.test/blog/", site.fetch_links) == [
        "http://a.test/blog/", "http://a.test/blog/other", "http://a.test/blog/post",
        "http://a.test/blog/post/", "http://a.test/blog/post/other"]


def test_crawl_strips_fragments_before_checking_what_was_seen(solution):
    site = web(solution, {
        "http://a.test/": ["/page#one", "/page#two", "/page", "http://a.test/page#three"],
        "http://a.test/page": ["#back", "/#home"],
    })
    assert solution.crawl("http://a.test/", site.fetch_links) == [
        "http://a.test/", "http://a.test/page"]
    site.assert_each_fetched_once()
    assert all("#" not in url for url in site.order)


def test_crawl_treats_trailing_slash_urls_as_different_pages_edge(solution):
    site = web(solution, {
        "http://a.test/": ["/docs", "/docs/"],
        "http://a.test/docs": [],
        "http://a.test/docs/": [],
    })
    assert solution.crawl("http://a.test", site.fetch_links) == [
        "http://a.test/", "http://a.test/docs", "http://a.test/docs/"]


def test_crawl_keeps_query_strings_apart(solution):
    site = web(solution, {
        "http://a.test/list": ["?page=1", "?page=2", "list?page=2#x", "?page=1&sort=asc"],
        "http://a.test/list?page=1": [],
        "http://a.test/list?page=2": [],
        "http://a.test/list?page=1&sort=asc": [],
    })
    assert solution.crawl("http://a.test/list", site.fetch_links) == [
        "http://a.test/list", "http://a.test/list?page=1", "http://a.test/list?page=1&sort=asc",
        "http://a.test/list?page=2"]
    site.assert_each_fetched_once()


def test_crawl_never_leaves_the_start_host(solution):
    site = web(solution, {
        "http://a.test/": ["http://b.test/", "http://www.a.test/", "http://sub.a.test/x",
                           "http://a.test.evil/", "/in"],
        "http://a.test/in": ["http://b.test/deeper"],
        "http://b.test/": ["http://a.test/hidden"],
        "http://www.a.test/": [],
        "http://a.test/hidden": [],
    })
    assert solution.crawl("http://a.test/", site.fetch_links) == [
        "http://a.test/", "http://a.test/in"]
    assert set(site.attempts) == {"http://a.test/", "http://a.test/in"}


def test_crawl_same_host_in_other_case_or_with_default_port_edge(solution):
    site = web(solution, {
        "http://a.test/": ["HTTP://A.TEST/one", "http://a.test:80/two", "//A.Test/three"],
        "http://a.test/one": [],
        "http://a.test/two": [],
        "http://a.test/three": [],
    })
    assert solution.crawl("http://a.test/", site.fetch_links) == [
        "http://a.test/", "http://a.test/one", "http://a.test/three", "http://a.test/two"]


def test_crawl_other_port_is_another_host_edge(solution):
    site = web(solution, {
        "http://a.test/": ["http://a.test:8080/admin", "/ok"],
        "http://a.test:8080/admin": [],
        "http://a.test/ok": [],
    })
    assert solution.crawl("http://a.test/", site.fetch_links) == [
        "http://a.test/", "http://a.test/ok"]
    assert site.attempts["http://a.test:8080/admin"] == 0


def test_crawl_from_a_non_default_port_stays_on_that_port_edge(solution):
    site = web(solution, {
        "http://a.test:8080/": ["/x", "http://a.test/y"],
        "http://a.test:8080/x": [],
        "http://a.test/y": [],
    })
    assert solution.crawl("http://a.test:8080/", site.fetch_links) == [
        "http://a.test:8080/", "http://a.test:8080/x"]


def test_crawl_follows_https_links_to_the_same_host_edge(solution):
    site = web(solution, {
        "http://a.test/": ["https://a.test/secure", "https://a.test:443/login"],
        "https://a.test/secure": ["http://a.test/"],
        "https://a.test/login": [],
    })
    assert solution.crawl("http://a.test/", site.fetch_links) == [
        "http://a.test/", "https://a.test/login", "https://a.test/secure"]


def test_crawl_ignores_links_that_are_not_http_edge(solution):
    site = web(solution, {
        "http://a.test/": ["mailto:me@a.test", "javascript:void(0)", "ftp://a.test/file",
                           "tel:+100200300", "data:text/plain,hi", "/real"],
        "http://a.test/real": [],
    })
    assert solution.crawl("http://a.test/", site.fetch_links) == [
        "http://a.test/", "http://a.test/real"]
    assert set(site.attempts) == {"http://a.test/", "http://a.test/real"}


def test_crawl_normalises_the_start_url_edge(solution):
    site = web(solution, {"http://a.test/": ["/x"], "http://a.test/x": ["/"]})
    assert solution.crawl("HTTP://A.Test:80#intro", site.fetch_links) == [
        "http://a.test/", "http://a.test/x"]
    assert site.order[0] == "http://a.test/"
    site.assert_each_fetched_once()


def test_crawl_self_links_and_empty_links_edge(solution):
    site = web(solution, {"http://a.test/p": ["", "#", ".", "p", "/p#again"],
                          "http://a.test/": []})
    assert solution.crawl("http://a.test/p", site.fetch_links) == [
        "http://a.test/", "http://a.test/p"]
    site.assert_each_fetched_once()


def test_crawl_of_a_failing_start_page_is_empty_edge(solution):
    site = web(solution, {"http://a.test/other": []})
    assert solution.crawl("http://a.test/", site.fetch_links) == []
    assert site.attempts["http://a.test/"] == 1


def test_crawl_leaves_out_failed_pages_without_retrying(solution):
    site = web(solution, {
        "http://a.test/": ["/flaky", "/dead", "/fine"],
        "http://a.test/flaky": ["/behind"],
        "http://a.test/fine": [],
        "http://a.test/behind": [],
    }, failures={"http://a.test/flaky": 1})
    assert solution.crawl("http://a.test/", site.fetch_links) == [
        "http://a.test/", "http://a.test/fine"]
    assert site.attempts["http://a.test/flaky"] == 1
    assert site.attempts["http://a.test/dead"] == 1
    assert site.attempts["http://a.test/behind"] == 0


def test_crawl_does_not_return_pages_nothing_links_to(solution):
    site = web(solution, {"http://a.test/": ["/x"], "http://a.test/x": [],
                          "http://a.test/orphan": []})
    assert solution.crawl("http://a.test/", site.fetch_links) == [
        "http://a.test/", "http://a.test/x"]
    assert site.attempts["http://a.test/orphan"] == 0


def test_crawl_fetches_only_normalised_urls(solution):
    site = web(solution, {
        "http://a.test/": ["HTTP://A.TEST:80/Mixed#frag", "//a.test", "?q=1#f"],
        "http://a.test/Mixed": [],
        "http://a.test/?q=1": [],
    })
    solution.crawl("http://a.test/", site.fetch_links)
    for url in site.order:
        parts = urlsplit(url)
        assert "#" not in url and parts.netloc == "a.test" and parts.path, url
    assert sorted(site.attempts) == ["http://a.test/", "http://a.test/?q=1",
                                     "http://a.test/Mixed"]


def test_crawl_twice_starts_from_scratch(solution):
    pages = {"http://a.test/": ["/x"], "http://a.test/x": []}
    first, second = web(solution, pages), web(solution, pages)
    assert solution.crawl("http://a.test/", first.fetch_links) == [
        "http://a.test/", "http://a.test/x"]
    assert solution.crawl("http://a.test/", second.fetch_links) == [
        "http://a.test/", "http://a.test/x"]
    assert sum(second.attempts.values()) == 2


def test_crawl_follows_a_very_deep_chain_edge(solution):
    depth = 3000
    pages = {f"http://a.test/{i}": [f"/{i + 1}"] for i in range(depth)}
    pages[f"http://a.test/{depth - 1}"] = []
    site = web(solution, pages)
    found = solution.crawl("http://a.test/0", site.fetch_links)
    assert len(found) == depth
    assert found == sorted(pages)


def test_crawl_handles_a_site_of_thousands_of_pages(solution):
    count = 2500
    pages = {}
    for i in range(count):
        children = [f"/p{c}" for c in (2 * i + 1, 2 * i + 2) if c < count]
        pages[f"http://a.test/p{i}"] = [*children, "/p0", f"p{i // 2}#up"]
    site = web(solution, pages)
    found = solution.crawl("http://a.test/p0", site.fetch_links)
    assert found == sorted(pages)
    site.assert_each_fetched_once()


@pytest.mark.parametrize("start", ["http://a.test/", "http://a.test/#top", "HTTP://a.TEST/"])
def test_crawl_start_url_spellings_give_the_same_result_edge(solution, start):
    site = web(solution, {"http://a.test/": ["/b"], "http://a.test/b": []})
    assert solution.crawl(start, site.fetch_links) == ["http://a.test/", "http://a.test/b"]
