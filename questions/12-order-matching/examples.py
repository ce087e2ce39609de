"""The worked examples of QUESTION.md, one test per level; ``/run`` runs them."""

import pytest


def trades(result):
    return [tuple(trade) for trade in result]


def test_example_level1_limit_orders_and_matching(solution):
    book = solution.OrderBook()
    assert book.add(1, "sell", 101, 5) == []
    assert book.add(2, "sell", 101, 3) == []
    assert book.add(3, "sell", 103, 4) == []
    assert book.add(4, "buy", 99, 10) == []
    assert trades(book.add(5, "buy", 102, 7)) == [(5, 1, 101, 5), (5, 2, 101, 2)]
    assert book.order(2) == ("sell", 101, 1)
    assert (book.order(1), book.order(5)) == (None, None)
    assert trades(book.add(6, "sell", 98, 12)) == [(4, 6, 99, 10)]
    assert book.order(6) == ("sell", 98, 2)
    assert trades(book.add(7, "buy", 103, 6)) == [(7, 6, 98, 2), (7, 2, 101, 1), (7, 3, 103, 3)]
    assert book.order(3) == ("sell", 103, 1)
    with pytest.raises(ValueError):
        book.add(3, "buy", 50, 1)


def test_example_level2_cancel_and_modify(solution):
    book = solution.OrderBook()
    book.add(1, "buy", 100, 5)
    book.add(2, "buy", 100, 5)
    book.add(3, "buy", 100, 5)
    assert book.modify(1, 100, 2) == []
    assert book.modify(2, 100, 9) == []
    assert trades(book.add(4, "sell", 100, 6)) == [(1, 4, 100, 2), (3, 4, 100, 4)]
    assert book.order(3) == ("buy", 100, 1)
    assert book.cancel(3) is True
    assert book.cancel(3) is False
    assert book.modify(7, 100, 1) is None
    assert book.add(5, "sell", 102, 4) == []
    assert trades(book.modify(2, 102, 9)) == [(2, 5, 102, 4)]
    assert book.order(2) == ("buy", 102, 5)


def test_example_level3_market_ioc_quotes_and_depth(solution):
    book = solution.OrderBook()
    book.add(1, "sell", 101, 3)
    book.add(2, "sell", 101, 2)
    book.add(3, "sell", 104, 5)
    book.add(4, "buy", 99, 4)
    book.add(5, "buy", 98, 6)
    assert book.best_bid() == (99, 4)
    assert book.best_ask() == (101, 5)
    assert book.depth("sell", 5) == [(101, 5), (104, 5)]
    assert book.depth("buy", 1) == [(99, 4)]
    assert trades(book.ioc(6, "buy", 101, 7)) == [(6, 1, 101, 3), (6, 2, 101, 2)]
    assert book.order(6) is None
    assert book.best_ask() == (104, 5)
    assert trades(book.market(7, "sell", 12)) == [(4, 7, 99, 4), (5, 7, 98, 6)]
    assert book.best_bid() is None
    assert book.depth("buy", 3) == []
    assert trades(book.market(8, "buy", 1)) == [(8, 3, 104, 1)]
    assert book.best_ask() == (104, 4)


def test_example_level4_the_first_ten_thousand_events(solution):
    events = solution.order_stream(10_000)
    assert solution.replay(solution.OrderBook(), events) == (2540, 45858, 2081252648080772865)
