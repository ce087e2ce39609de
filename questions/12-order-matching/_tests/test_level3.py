"""Level 3 hidden tests: market and immediate-or-cancel orders, quotes and depth.

Randomised flows are compared with the trusted model below.
"""

import random

import pytest


def trades(result):
    """A list of trades as plain (buy_id, sell_id, price, qty) tuples."""
    assert isinstance(result, list), f"expected a list of trades, got {type(result).__name__}"
    return [tuple(trade) for trade in result]


class Model:
    """A trusted, deliberately simple book: each side one list of orders
    [key, seq, id, qty, price] kept sorted (key: -price for bids, price for asks)."""

    def __init__(self):
        self.bids, self.asks, self.seq, self.ids = [], [], 0, set()

    def _rest(self, side, price, order_id, qty):
        self.seq += 1
        book_side = self.bids if side == "buy" else self.asks
        book_side.append([-price if side == "buy" else price, self.seq, order_id, qty, price])
        book_side.sort()
        self.ids.add(order_id)

    def _find(self, order_id):
        if order_id in self.ids:
            for book_side in (self.bids, self.asks):
                for i, o in enumerate(book_side):
                    if o[2] == order_id:
                        return book_side, i
        return None, None

    def _check(self, order_id, side, qty, price=1):
        if side not in ("buy", "sell") or qty < 1 or price < 1 or order_id in self.ids:
            raise ValueError("invalid order")

    def _match(self, order_id, side, price, qty):
        trades = []
        buying = side == "buy"
        other = self.asks if buying else self.bids
        while qty and other:
            best = other[0]
            if price is not None and (best[4] > price if buying else best[4] < price):
                break
            fill = min(qty, best[3])
            trades.append((order_id, best[2], best[4], fill) if buying
                          else (best[2], order_id, best[4], fill))
            qty -= fill
            best[3] -= fill
            if not best[3]:
                other.pop(0)
                self.ids.discard(best[2])
        return trades, qty

    def add(self, order_id, side, price, qty):
        self._check(order_id, side, qty, price)
        trades, left = self._match(order_id, side, price, qty)
        if left:
            self._rest(side, price, order_id, left)
        return trades

    def order(self, order_id):
        book_side, i = self._find(order_id)
        if book_side is None:
            return None
        o = book_side[i]
        return ("buy" if book_side is self.bids else "sell", o[4], o[3])

    def cancel(self, order_id):
        book_side, i = self._find(order_id)
        if book_side is None:
            return False
        del book_side[i]
        self.ids.discard(order_id)
        return True

    def modify(self, order_id, price, qty):
        if price < 1 or qty < 1:
            raise ValueError("invalid modify")
        book_side, i = self._find(order_id)
        if book_side is None:
            return None
        o = book_side[i]
        if price == o[4] and qty <= o[3]:
            o[3] = qty
            return []
        side = "buy" if book_side is self.bids else "sell"
        self.cancel(order_id)
        trades, left = self._match(order_id, side, price, qty)
        if left:
            self._rest(side, price, order_id, left)
        return trades

    def market(self, order_id, side, qty):
        self._check(order_id, side, qty)
        return self._match(order_id, side, None, qty)[0]

    def ioc(self, order_id, side, price, qty):
        self._check(order_id, side, qty, price)
        return self._match(order_id, side, price, qty)[0]

    def _levels(self, book_side, limit):
        levels = []
        for o in book_side:
            if levels and levels[-1][0] == o[4]:
                levels[-1][1] += o[3]
            elif len(levels) == limit:
                break
            else:
                levels.append([o[4], o[3]])
        return [tuple(level) for level in levels]

    def best_bid(self):
        levels = self._levels(self.bids, 1)
        return levels[0] if levels else None

    def best_ask(self):
        levels = self._levels(self.asks, 1)
        return levels[0] if levels else None

    def depth(self, side, levels):
        return self._levels(self.bids if side == "buy" else self.asks, levels)


def sample_book(solution):
    """Asks 101 x 3 (1), 101 x 2 (2), 104 x 5 (3); bids 99 x 4 (4), 98 x 6 (5)."""
    book = solution.OrderBook()
    book.add(1, "sell", 101, 3)
    book.add(2, "sell", 101, 2)
    book.add(3, "sell", 104, 5)
    book.add(4, "buy", 99, 4)
    book.add(5, "buy", 98, 6)
    return book


# -- market orders -----------------------------------------------------------------------------


def test_market_buy_sweeps_the_asks_best_first(solution):
    book = sample_book(solution)
    assert trades(book.market(6, "buy", 8)) == [(6, 1, 101, 3), (6, 2, 101, 2), (6, 3, 104, 3)]
    assert book.order(3) == ("sell", 104, 2)


def test_market_sell_trades_at_the_bid_prices(solution):
    book = sample_book(solution)
    assert trades(book.market(6, "sell", 5)) == [(4, 6, 99, 4), (5, 6, 98, 1)]
    assert book.order(5) == ("buy", 98, 5)


def test_a_market_order_never_rests_edge(solution):
    book = sample_book(solution)
    assert trades(book.market(6, "buy", 50)) == [(6, 1, 101, 3), (6, 2, 101, 2), (6, 3, 104, 5)]
    assert book.order(6) is None
    assert book.best_ask() is None
    assert book.add(7, "sell", 120, 1) == []
    assert book.best_ask() == (120, 1)


def test_a_market_order_into_an_empty_side_answers_no_trades_edge(solution):
    book = solution.OrderBook()
    assert book.market(1, "buy", 5) == []
    book.add(2, "buy", 100, 5)
    assert book.market(3, "buy", 5) == []
    assert book.order(3) is None
    assert book.best_bid() == (100, 5)


# -- immediate-or-cancel -----------------------------------------------------------------------


def test_ioc_trades_up_to_its_limit_and_cancels_the_rest(solution):
    book = sample_book(solution)
    assert trades(book.ioc(6, "buy", 103, 9)) == [(6, 1, 101, 3), (6, 2, 101, 2)]
    assert book.order(6) is None
    assert book.best_bid() == (99, 4)
    assert book.best_ask() == (104, 5)


def test_ioc_that_does_not_cross_answers_nothing_and_rests_nothing_edge(solution):
    book = sample_book(solution)
    assert book.ioc(6, "sell", 100, 5) == []
    assert book.order(6) is None
    assert book.best_ask() == (101, 5)
    assert book.depth("sell", 3) == [(101, 5), (104, 5)]


def test_an_ioc_filled_exactly_answers_its_trades(solution):
    book = sample_book(solution)
    assert trades(book.ioc(6, "sell", 98, 10)) == [(4, 6, 99, 4), (5, 6, 98, 6)]
    assert book.best_bid() is None


def test_market_and_ioc_check_their_arguments_edge(solution):
    book = sample_book(solution)
    bad_calls = [lambda: book.market(6, "bid", 1), lambda: book.market(6, "buy", 0),
                 lambda: book.market(6, "sell", -1), lambda: book.ioc(6, "buy", 0, 1),
                 lambda: book.ioc(6, "buy", 101, 0), lambda: book.ioc(6, "ask", 101, 1)]
    for call in bad_calls:
        with pytest.raises(ValueError):
            call()
    assert book.depth("sell", 5) == [(101, 5), (104, 5)]
    assert book.depth("buy", 5) == [(99, 4), (98, 6)]


def test_market_and_ioc_ids_may_not_be_resting_edge(solution):
    book = sample_book(solution)
    with pytest.raises(ValueError):
        book.market(4, "buy", 1)
    with pytest.raises(ValueError):
        book.ioc(1, "sell", 90, 1)
    assert book.best_bid() == (99, 4) and book.best_ask() == (101, 5)
    assert trades(book.market(9, "sell", 4)) == [(4, 9, 99, 4)]
    assert trades(book.ioc(4, "buy", 101, 1)) == [(4, 1, 101, 1)]   # 4 left the book: reusable
    assert trades(book.market(9, "buy", 2)) == [(9, 1, 101, 2)]


# -- quotes and depth --------------------------------------------------------------------------


def test_quotes_of_an_empty_book_are_none_edge(solution):
    book = solution.OrderBook()
    assert book.best_bid() is None
    assert book.best_ask() is None
    assert book.depth("buy", 5) == []
    assert book.depth("sell", 5) == []


def test_best_quotes_sum_the_open_quantity_at_the_price(solution):
    book = sample_book(solution)
    assert book.best_bid() == (99, 4)
    assert book.best_ask() == (101, 5)
    book.add(6, "buy", 99, 7)
    book.add(7, "sell", 101, 1)
    assert book.best_bid() == (99, 11)
    assert book.best_ask() == (101, 6)


def test_quotes_follow_fills_cancels_and_modifies(solution):
    book = sample_book(solution)
    book.add(6, "buy", 101, 4)                # takes 3 from 1 and 1 from 2
    assert book.best_ask() == (101, 1)
    book.modify(3, 104, 2)
    book.cancel(2)
    assert book.best_ask() == (104, 2)
    book.modify(5, 98, 1)
    book.modify(4, 97, 4)
    assert book.best_bid() == (98, 1)
    assert book.depth("buy", 5) == [(98, 1), (97, 4)]
    book.modify(5, 98, 8)
    assert book.best_bid() == (98, 8)


def test_a_quote_moves_on_when_its_level_empties_edge(solution):
    book = sample_book(solution)
    book.cancel(4)
    assert book.best_bid() == (98, 6)
    book.market(6, "buy", 5)
    assert book.best_ask() == (104, 5)
    book.cancel(5)
    assert book.best_bid() is None
    book.add(7, "buy", 99, 2)
    assert book.best_bid() == (99, 2)


def test_depth_lists_the_levels_best_first(solution):
    book = solution.OrderBook()
    for order_id, (side, price, qty) in enumerate([("buy", 97, 1), ("buy", 99, 2), ("buy", 98, 3),
                                                   ("buy", 99, 4), ("sell", 103, 5),
                                                   ("sell", 101, 6), ("sell", 102, 7)], start=1):
        book.add(order_id, side, price, qty)
    assert book.depth("buy", 3) == [(99, 6), (98, 3), (97, 1)]
    assert book.depth("sell", 3) == [(101, 6), (102, 7), (103, 5)]
    assert book.depth("buy", 2) == [(99, 6), (98, 3)]
    assert book.depth("sell", 1) == [(101, 6)]


def test_depth_with_more_levels_than_exist_edge(solution):
    book = sample_book(solution)
    assert book.depth("buy", 10) == [(99, 4), (98, 6)]
    assert book.depth("sell", 1000) == [(101, 5), (104, 5)]


def test_depth_of_zero_levels_and_bad_arguments_edge(solution):
    book = sample_book(solution)
    assert book.depth("buy", 0) == []
    assert book.depth("sell", 0) == []
    with pytest.raises(ValueError):
        book.depth("buy", -1)
    with pytest.raises(ValueError):
        book.depth("bids", 3)


def test_depth_never_shows_an_empty_level_edge(solution):
    book = sample_book(solution)
    book.add(6, "sell", 102, 4)
    book.cancel(6)
    book.add(7, "sell", 103, 1)
    book.market(8, "buy", 5)                  # empties 101
    assert book.depth("sell", 5) == [(103, 1), (104, 5)]
    book.modify(7, 105, 1)
    assert book.depth("sell", 5) == [(104, 5), (105, 1)]
    assert book.best_ask() == (104, 5)


def test_random_flow_with_every_kind_matches_the_model(solution):
    rng = random.Random(303)
    for _ in range(3):
        book, model = solution.OrderBook(), Model()
        for step in range(900):
            got, want = random_step(rng, book, model)
            assert got == want, f"step {step}"
            assert book.best_bid() == model.best_bid(), f"step {step}"
            assert book.best_ask() == model.best_ask(), f"step {step}"
        assert book.depth("buy", 50) == model.depth("buy", 50)
        assert book.depth("sell", 50) == model.depth("sell", 50)


def random_step(rng, book, model):
    """One random event for both books; (the book's answer, the model's answer)."""
    order_id = rng.randint(1, 250)
    side, price, qty = rng.choice(("buy", "sell")), rng.randint(94, 106), rng.randint(1, 25)
    roll = rng.random()
    if roll < 0.1:
        return book.depth(side, 4), model.depth(side, 4)
    if roll < 0.35:
        return book.cancel(order_id), model.cancel(order_id)
    if roll < 0.5:
        got = book.modify(order_id, price, qty)
        return (got if got is None else trades(got)), model.modify(order_id, price, qty)
    if model.order(order_id) is not None:
        return book.order(order_id), model.order(order_id)
    if roll < 0.6:
        return trades(book.market(order_id, side, qty)), model.market(order_id, side, qty)
    if roll < 0.7:
        return trades(book.ioc(order_id, side, price, qty)), model.ioc(order_id, side, price, qty)
    return trades(book.add(order_id, side, price, qty)), model.add(order_id, side, price, qty)
