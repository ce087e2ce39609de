"""Level 2 hidden tests: cancel and modify, with the exact time-priority rules.

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


def fill_order(book, side, price, qty, order_id=900):
    """Hit the ``side`` queue at ``price`` with an incoming order; the resting ids filled."""
    incoming = "sell" if side == "buy" else "buy"
    result = trades(book.add(order_id, incoming, price, qty))
    return [trade[0] if side == "buy" else trade[1] for trade in result]


# -- cancel ------------------------------------------------------------------------------------


def test_cancel_removes_a_resting_order(solution):
    book = solution.OrderBook()
    book.add(1, "sell", 100, 5)
    assert book.cancel(1) is True
    assert book.order(1) is None
    assert book.add(2, "buy", 100, 5) == []
    assert book.order(2) == ("buy", 100, 5)


def test_cancel_of_an_unknown_id_answers_false_edge(solution):
    book = solution.OrderBook()
    assert book.cancel(1) is False
    book.add(1, "buy", 100, 5)
    assert book.cancel(2) is False
    assert book.order(1) == ("buy", 100, 5)


def test_cancel_twice_answers_false_the_second_time_edge(solution):
    book = solution.OrderBook()
    book.add(1, "buy", 100, 5)
    assert book.cancel(1) is True
    assert book.cancel(1) is False


def test_cancel_of_a_filled_order_answers_false_edge(solution):
    book = solution.OrderBook()
    book.add(1, "buy", 100, 5)
    book.add(2, "sell", 100, 5)
    assert book.cancel(1) is False
    assert book.cancel(2) is False


def test_cancel_from_the_middle_keeps_the_queue_order(solution):
    book = solution.OrderBook()
    for order_id in (1, 2, 3, 4):
        book.add(order_id, "buy", 100, 1)
    assert book.cancel(2) is True
    assert fill_order(book, "buy", 100, 5) == [1, 3, 4]
    assert book.order(900) == ("sell", 100, 2)


def test_cancelling_the_only_order_at_the_best_price_exposes_the_next_level(solution):
    book = solution.OrderBook()
    book.add(1, "sell", 101, 5)
    book.add(2, "sell", 103, 5)
    assert book.cancel(1) is True
    assert trades(book.add(3, "buy", 102, 5)) == []
    assert trades(book.add(4, "buy", 103, 2)) == [(4, 2, 103, 2)]


def test_a_partly_filled_order_can_be_cancelled(solution):
    book = solution.OrderBook()
    book.add(1, "sell", 100, 10)
    book.add(2, "buy", 100, 4)
    assert book.cancel(1) is True
    assert book.add(3, "buy", 100, 1) == []


# -- modify and time priority ------------------------------------------------------------------


def test_reducing_quantity_keeps_time_priority(solution):
    book = solution.OrderBook()
    book.add(1, "buy", 100, 5)
    book.add(2, "buy", 100, 5)
    assert book.modify(1, 100, 3) == []
    assert book.order(1) == ("buy", 100, 3)
    assert fill_order(book, "buy", 100, 4) == [1, 2]
    assert book.order(2) == ("buy", 100, 4)


def test_increasing_quantity_loses_time_priority(solution):
    book = solution.OrderBook()
    book.add(1, "sell", 100, 5)
    book.add(2, "sell", 100, 5)
    assert book.modify(1, 100, 6) == []
    assert book.order(1) == ("sell", 100, 6)
    assert fill_order(book, "sell", 100, 7) == [2, 1]
    assert book.order(1) == ("sell", 100, 4)


def test_same_price_and_quantity_changes_nothing_edge(solution):
    book = solution.OrderBook()
    book.add(1, "buy", 100, 5)
    book.add(2, "buy", 100, 5)
    assert book.modify(1, 100, 5) == []
    assert fill_order(book, "buy", 100, 6) == [1, 2]


def test_modify_quantity_is_the_new_open_quantity_after_a_partial_fill_edge(solution):
    book = solution.OrderBook()
    book.add(1, "buy", 100, 10)
    book.add(2, "buy", 100, 10)
    book.add(3, "sell", 100, 4)              # order 1 has 6 open
    assert book.modify(1, 100, 6) == []      # the same open quantity: nothing changes
    assert book.modify(1, 100, 5) == []      # less than 6 open: keeps its place
    assert book.order(1) == ("buy", 100, 5)
    assert fill_order(book, "buy", 100, 6) == [1, 2]
    book = solution.OrderBook()
    book.add(1, "buy", 100, 10)
    book.add(2, "buy", 100, 10)
    book.add(3, "sell", 100, 4)
    assert book.modify(1, 100, 8) == []      # below the original 10, above the open 6: an increase
    assert fill_order(book, "buy", 100, 11) == [2, 1]


def test_changing_price_loses_priority_even_when_reducing(solution):
    book = solution.OrderBook()
    book.add(1, "buy", 99, 5)
    book.add(2, "buy", 100, 5)
    book.add(3, "buy", 100, 5)
    assert book.modify(1, 100, 2) == []
    assert book.order(1) == ("buy", 100, 2)
    assert fill_order(book, "buy", 100, 12) == [2, 3, 1]


def test_moving_away_and_back_puts_the_order_last(solution):
    book = solution.OrderBook()
    book.add(1, "sell", 100, 3)
    book.add(2, "sell", 100, 3)
    assert book.modify(1, 101, 3) == []
    assert book.modify(1, 100, 3) == []
    assert fill_order(book, "sell", 100, 6) == [2, 1]


def test_a_reprice_that_crosses_trades_as_an_incoming_order(solution):
    book = solution.OrderBook()
    book.add(1, "sell", 101, 2)
    book.add(2, "sell", 102, 2)
    book.add(3, "buy", 99, 10)
    assert trades(book.modify(3, 102, 10)) == [(3, 1, 101, 2), (3, 2, 102, 2)]
    assert book.order(3) == ("buy", 102, 6)
    book.add(4, "buy", 98, 5)
    assert trades(book.modify(3, 90, 3)) == []
    assert trades(book.add(5, "sell", 90, 4)) == [(4, 5, 98, 4)]
    assert trades(book.add(6, "sell", 97, 9)) == [(4, 6, 98, 1)]


def test_a_reprice_that_fills_completely_leaves_nothing_resting_edge(solution):
    book = solution.OrderBook()
    book.add(1, "buy", 100, 5)
    book.add(2, "sell", 105, 3)
    assert trades(book.modify(2, 100, 3)) == [(1, 2, 100, 3)]
    assert book.order(2) is None
    assert book.order(1) == ("buy", 100, 2)
    assert book.cancel(2) is False


def test_modify_of_an_unknown_id_answers_none_edge(solution):
    book = solution.OrderBook()
    assert book.modify(1, 100, 5) is None
    book.add(1, "buy", 100, 5)
    book.add(2, "sell", 100, 5)
    assert book.modify(1, 100, 5) is None
    assert book.modify(2, 101, 1) is None
    assert book.order(1) is None and book.order(2) is None


def test_modify_with_a_bad_price_or_quantity_raises_and_changes_nothing_edge(solution):
    book = solution.OrderBook()
    book.add(1, "buy", 100, 5)
    book.add(2, "buy", 100, 5)
    for price, qty in ((0, 5), (-1, 5), (100, 0), (100, -2), (101, 0)):
        with pytest.raises(ValueError):
            book.modify(1, price, qty)
    assert book.order(1) == ("buy", 100, 5)
    assert fill_order(book, "buy", 100, 6) == [1, 2]


def test_a_cancelled_id_may_be_reused_at_another_price_edge(solution):
    book = solution.OrderBook()
    book.add(1, "buy", 100, 5)
    book.add(2, "buy", 95, 5)
    assert book.cancel(1) is True
    book.add(1, "buy", 90, 5)
    assert trades(book.add(3, "sell", 93, 4)) == [(2, 3, 95, 4)]
    assert trades(book.add(4, "sell", 91, 4)) == [(2, 4, 95, 1)]
    assert book.order(1) == ("buy", 90, 5)
    assert book.order(4) == ("sell", 91, 3)


def test_an_emptied_level_that_comes_back_starts_a_fresh_queue_edge(solution):
    book = solution.OrderBook()
    book.add(1, "sell", 100, 1)
    book.add(2, "sell", 100, 1)
    book.cancel(1)
    book.cancel(2)
    book.add(3, "sell", 100, 1)
    book.add(4, "sell", 100, 1)
    assert trades(book.add(5, "buy", 100, 3)) == [(5, 3, 100, 1), (5, 4, 100, 1)]
    assert book.order(5) == ("buy", 100, 1)


def test_random_flow_with_cancels_and_modifies_matches_the_model(solution):
    rng = random.Random(202)
    for _ in range(3):
        book, model = solution.OrderBook(), Model()
        ids = list(range(1, 300))
        for step in range(800):
            order_id = rng.choice(ids)
            roll = rng.random()
            if roll < 0.5:
                if model.order(order_id) is not None:
                    continue
                side = rng.choice(("buy", "sell"))
                price, qty = rng.randint(95, 105), rng.randint(1, 20)
                got, want = trades(book.add(order_id, side, price, qty)), model.add(
                    order_id, side, price, qty)
            elif roll < 0.75:
                got, want = book.cancel(order_id), model.cancel(order_id)
            else:
                current = model.order(order_id)
                price = current[1] if current and rng.random() < 0.5 else rng.randint(95, 105)
                qty = rng.randint(1, 20)
                got, want = book.modify(order_id, price, qty), model.modify(order_id, price, qty)
                got = got if got is None else trades(got)
            assert got == want, f"step {step}"
            probe = rng.choice(ids)
            assert book.order(probe) == model.order(probe), f"step {step}, order {probe}"
