"""Level 1 hidden tests: limit orders, price-time matching, the order query.

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


# -- matching ----------------------------------------------------------------------------------


def test_first_order_rests_and_returns_no_trades(solution):
    book = solution.OrderBook()
    assert book.add(1, "buy", 100, 5) == []
    assert book.order(1) == ("buy", 100, 5)


def test_a_trade_has_the_four_named_fields(solution):
    book = solution.OrderBook()
    book.add(1, "sell", 100, 5)
    [trade] = book.add(2, "buy", 100, 3)
    assert (trade.buy_id, trade.sell_id, trade.price, trade.qty) == (2, 1, 100, 3)


def test_incoming_buy_trades_at_the_resting_ask_price(solution):
    book = solution.OrderBook()
    book.add(1, "sell", 101, 5)
    assert trades(book.add(2, "buy", 105, 5)) == [(2, 1, 101, 5)]


def test_incoming_sell_trades_at_the_resting_bid_price(solution):
    book = solution.OrderBook()
    book.add(1, "buy", 104, 5)
    assert trades(book.add(2, "sell", 100, 3)) == [(1, 2, 104, 3)]
    assert book.order(1) == ("buy", 104, 2)


def test_equal_prices_cross_edge(solution):
    book = solution.OrderBook()
    book.add(1, "buy", 100, 4)
    assert trades(book.add(2, "sell", 100, 4)) == [(1, 2, 100, 4)]
    book.add(3, "sell", 90, 2)
    assert trades(book.add(4, "buy", 90, 2)) == [(4, 3, 90, 2)]


def test_one_tick_apart_does_not_cross_edge(solution):
    book = solution.OrderBook()
    book.add(1, "sell", 101, 4)
    assert book.add(2, "buy", 100, 4) == []
    assert book.order(1) == ("sell", 101, 4)
    assert book.order(2) == ("buy", 100, 4)


def test_oldest_order_at_a_price_trades_first(solution):
    book = solution.OrderBook()
    for order_id in (10, 11, 12):
        book.add(order_id, "sell", 100, 2)
    assert trades(book.add(20, "buy", 100, 5)) == [(20, 10, 100, 2), (20, 11, 100, 2),
                                                  (20, 12, 100, 1)]


def test_better_price_trades_before_an_older_order(solution):
    book = solution.OrderBook()
    book.add(1, "buy", 99, 5)
    book.add(2, "buy", 100, 5)
    book.add(3, "buy", 98, 5)
    assert trades(book.add(4, "sell", 97, 7)) == [(2, 4, 100, 5), (1, 4, 99, 2)]
    assert book.order(3) == ("buy", 98, 5)


def test_a_sweep_walks_the_levels_best_first(solution):
    book = solution.OrderBook()
    book.add(1, "sell", 103, 1)
    book.add(2, "sell", 101, 1)
    book.add(3, "sell", 102, 1)
    book.add(4, "sell", 101, 1)
    book.add(5, "sell", 104, 1)
    assert trades(book.add(6, "buy", 103, 9)) == [(6, 2, 101, 1), (6, 4, 101, 1),
                                                 (6, 3, 102, 1), (6, 1, 103, 1)]
    assert book.order(6) == ("buy", 103, 5)
    assert book.order(5) == ("sell", 104, 1)


def test_the_remainder_rests_at_its_own_limit_behind_others(solution):
    book = solution.OrderBook()
    book.add(1, "sell", 100, 2)
    book.add(2, "buy", 98, 3)
    assert trades(book.add(3, "buy", 100, 6)) == [(3, 1, 100, 2)]
    assert book.order(3) == ("buy", 100, 4)
    book.add(4, "buy", 100, 1)
    assert trades(book.add(5, "sell", 98, 9)) == [(3, 5, 100, 4), (4, 5, 100, 1),
                                                 (2, 5, 98, 3)]
    assert book.order(5) == ("sell", 98, 1)


def test_a_partly_filled_resting_order_keeps_its_place(solution):
    book = solution.OrderBook()
    book.add(1, "buy", 100, 10)
    book.add(2, "buy", 100, 10)
    assert trades(book.add(3, "sell", 100, 4)) == [(1, 3, 100, 4)]
    assert trades(book.add(4, "sell", 100, 8)) == [(1, 4, 100, 6), (2, 4, 100, 2)]
    assert book.order(2) == ("buy", 100, 8)


def test_an_exact_fill_leaves_nothing_resting_edge(solution):
    book = solution.OrderBook()
    book.add(1, "sell", 100, 5)
    book.add(2, "sell", 101, 5)
    assert trades(book.add(3, "buy", 101, 10)) == [(3, 1, 100, 5), (3, 2, 101, 5)]
    assert book.order(1) is None and book.order(2) is None and book.order(3) is None
    assert book.add(4, "buy", 200, 1) == []
    assert book.order(4) == ("buy", 200, 1)


def test_order_answers_none_for_unknown_and_filled_ids_edge(solution):
    book = solution.OrderBook()
    assert book.order(1) is None
    book.add(1, "buy", 100, 3)
    book.add(2, "sell", 100, 3)
    assert book.order(1) is None
    assert book.order(2) is None
    assert book.order(999) is None


def test_invalid_side_price_or_qty_raise_and_change_nothing_edge(solution):
    book = solution.OrderBook()
    book.add(1, "sell", 100, 5)
    for args in ((2, "bid", 100, 1), (2, "BUY", 100, 1), (2, "buy", 0, 1), (2, "buy", -5, 1),
                 (2, "buy", 100, 0), (2, "buy", 100, -3)):
        with pytest.raises(ValueError):
            book.add(*args)
    assert book.order(2) is None
    assert book.order(1) == ("sell", 100, 5)
    assert trades(book.add(3, "buy", 100, 5)) == [(3, 1, 100, 5)]


def test_a_resting_id_cannot_be_added_again_edge(solution):
    book = solution.OrderBook()
    book.add(7, "buy", 100, 5)
    with pytest.raises(ValueError):
        book.add(7, "buy", 100, 5)
    with pytest.raises(ValueError):
        book.add(7, "sell", 90, 1)     # would have crossed: still refused, nothing traded
    assert book.order(7) == ("buy", 100, 5)
    assert trades(book.add(8, "sell", 100, 5)) == [(7, 8, 100, 5)]


def test_a_filled_id_may_be_reused_edge(solution):
    book = solution.OrderBook()
    book.add(1, "sell", 100, 2)
    book.add(2, "buy", 100, 2)
    assert book.add(1, "buy", 95, 4) == []
    assert book.order(1) == ("buy", 95, 4)
    assert trades(book.add(2, "sell", 95, 1)) == [(1, 2, 95, 1)]


def test_books_are_independent(solution):
    first, second = solution.OrderBook(), solution.OrderBook()
    first.add(1, "sell", 100, 5)
    assert second.add(2, "buy", 100, 5) == []
    assert second.order(1) is None
    assert first.order(2) is None


def test_large_ids_and_prices_are_plain_integers(solution):
    book = solution.OrderBook()
    book.add(10**12, "sell", 10**9, 3)
    assert trades(book.add(10**12 + 1, "buy", 10**9 + 7, 5)) == [(10**12 + 1, 10**12, 10**9, 3)]
    assert book.order(10**12 + 1) == ("buy", 10**9 + 7, 2)


def test_random_flow_matches_the_model(solution):
    rng = random.Random(101)
    for _ in range(3):
        book, model = solution.OrderBook(), Model()
        ids = list(range(1, 400))
        for step in range(600):
            order_id = rng.choice(ids)
            if model.order(order_id) is not None:
                continue
            side = rng.choice(("buy", "sell"))
            price = rng.randint(95, 105)
            qty = rng.randint(1, 30)
            assert trades(book.add(order_id, side, price, qty)) == model.add(
                order_id, side, price, qty), f"step {step}"
            probe = rng.choice(ids)
            assert book.order(probe) == model.order(probe), f"step {step}, order {probe}"
