"""The worked examples of QUESTION.md, one test per level; ``/run`` runs them."""

import asyncio

SHOP = {
    "http://shop.test/": ["/about", "products/", "http://other.test/", "#top"],
    "http://shop.test/about": ["/", "/about#team", "mailto:hi@shop.test"],
    "http://shop.test/products/": ["p1?colour=red", "../about",
                                   "HTTP://SHOP.TEST:80/products/p2"],
    "http://shop.test/products/p1?colour=red": [],
    "http://shop.test/products/p2": ["/gone"],
    "http://other.test/": [],
}

TWO_HOSTS = {
    "http://a.test/": ["/1", "/2", "http://b.test/"],
    "http://a.test/1": [],
    "http://a.test/2": ["/1"],
    "http://b.test/": ["/x", "http://c.test/"],
    "http://b.test/x": [],
}
FAILURES = {"http://a.test/2": 2, "http://b.test/x": 5}


def test_example_level1_sequential_crawl(solution):
    web = solution.FakeWeb(SHOP)
    assert solution.crawl("http://Shop.test/#intro", web.fetch_links) == [
        "http://shop.test/", "http://shop.test/about", "http://shop.test/products/",
        "http://shop.test/products/p1?colour=red", "http://shop.test/products/p2"]
    assert web.fetch_count("http://shop.test/about") == 1
    assert web.fetch_count("http://shop.test/gone") == 1
    assert web.fetch_count("http://other.test/") == 0
    assert solution.normalise_url("HTTPS://Shop.Test:443/Cart?b=2&a=1#pay") == \
        "https://shop.test/Cart?b=2&a=1"
    assert solution.normalise_url("http://shop.test:8080") == "http://shop.test:8080/"


def test_example_level2_concurrent_crawl(solution):
    pages = {"http://blog.test/": [f"/post{i}" for i in range(40)]}
    pages.update({f"http://blog.test/post{i}": ["/"] for i in range(40)})
    web = solution.FakeWeb(pages, latency=0.02)
    assert solution.crawl_concurrent("http://blog.test/", web.fetch_links, 8) == sorted(pages)
    assert all(web.fetch_count(url) == 1 for url in pages)
    assert 1 < web.peak_in_flight <= 8


def test_example_level3_polite_crawl(solution):
    web = solution.FakeWeb(TWO_HOSTS, latency=0.01, failures=FAILURES)
    result = solution.crawl_polite(["http://a.test/", "http://b.test/"], web.fetch_links,
                                   workers=4, per_host=2, max_attempts=3)
    assert result.pages == ["http://a.test/", "http://a.test/1", "http://a.test/2",
                            "http://b.test/"]
    assert result.failed == ["http://b.test/x"]
    assert web.fetch_count("http://a.test/2") == 3
    assert web.fetch_count("http://b.test/x") == 3
    assert web.fetch_count("http://c.test/") == 0
    assert max(web.peak_per_host.values()) <= 2


def test_example_level4_async_crawl(solution):
    web = solution.FakeWeb(TWO_HOSTS, latency=0.01, failures=FAILURES)
    result = asyncio.run(solution.crawl_async(
        ["http://a.test/", "http://b.test/"], web.fetch_links_async, concurrency=4,
        per_host=2, max_attempts=3))
    assert result.pages == ["http://a.test/", "http://a.test/1", "http://a.test/2",
                            "http://b.test/"]
    assert result.failed == ["http://b.test/x"]
    assert max(web.peak_per_host.values()) <= 2
