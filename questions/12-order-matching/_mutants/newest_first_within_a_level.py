"""Mutant: within one price level the newest order trades first (the level is
a stack, not a queue), breaking time priority.
"""

from __future__ import annotations

import random
from bisect import bisect_left, insort
from collections import deque
from typing import NamedTuple

# -- provided ----------------------------------------------------------------------------------


class Trade(NamedTuple):
    """One execution: the buy order's id, the sell order's id, the price, the quantity."""

    buy_id: int
    sell_id: int
    price: int
    qty: int


class CountedPrice(int):
    """An ``int`` that counts every comparison it takes part in.

    ``CountedPrice.comparisons`` is one counter shared by all instances; set it
    to 0, run some work, read it. ``==``, ``!=``, ``<``, ``<=``, ``>`` and ``>=``
    each add one, whichever side of the operator the price is on; a dict or set
    lookup adds one for each stored key it has to compare with. ``-price`` is a
    ``CountedPrice`` too; any other arithmetic gives a plain ``int``.
    """

    __slots__ = ()
    comparisons = 0

    def __eq__(self, other):
        CountedPrice.comparisons += 1
        return int.__eq__(self, other)

    def __ne__(self, other):
        CountedPrice.comparisons += 1
        return int.__ne__(self, other)

    def __lt__(self, other):
        CountedPrice.comparisons += 1
        return int.__lt__(self, other)

    def __le__(self, other):
        CountedPrice.comparisons += 1
        return int.__le__(self, other)

    def __gt__(self, other):
        CountedPrice.comparisons += 1
        return int.__gt__(self, other)

    def __ge__(self, other):
        CountedPrice.comparisons += 1
        return int.__ge__(self, other)

    def __neg__(self):
        return CountedPrice(-int(self))

    __hash__ = int.__hash__


WARMUP = 2_000               # the stream opens with this many resting orders that cross nothing
POOL = 3_000                 # about how many order ids the stream keeps cancelling and modifying
REPRICE = (-2, -1, 1, 2, 3)  # the tick moves of a modify that changes the price
MOD = (1 << 61) - 1


def order_stream(n: int = 200_000, seed: int = 12) -> list[tuple]:
    """A deterministic stream of ``n`` book events, as tuples:

    ``("add", id, side, price, qty)``, ``("cancel", id)``, ``("modify", id, price, qty)``,
    ``("market", id, side, qty)``, ``("ioc", id, side, price, qty)``,
    ``("best",)`` (ask for both quotes) and ``("depth", side, 5)``.

    The first ``WARMUP`` events add orders on both sides of a mid price of
    10,000 ticks without crossing. After that the mid price wanders by a tick
    now and then; about 40% of the events add limit orders (one in sixteen
    priced to cross), 40% cancel, 7% modify, 3% are market orders, 3% IOC
    orders, and the rest are queries. Cancels and modifies name ids the stream
    added earlier, some of which have already traded away. Every id given to
    add, market or ioc is new, so no event raises.
    """
    draw = random.Random(seed).getrandbits
    events = []
    pool = []                                  # [id, price, qty] of orders that may still rest
    next_id, mid = 1, 10_000
    for i in range(n):
        bits = draw(56)
        kind = bits & 127                      # picks the event: 0..127
        buy = bits >> 7 & 1
        step = bits >> 8 & 15                  # 0 or 1 moves the mid price
        offset = (bits >> 12 & 1023) ** 2 >> 15                  # 0..31, mostly small
        qty = 1 + ((bits >> 22 & 1023) ** 2 * 99 >> 20)          # 1..99, mostly small
        flavour = bits >> 32 & 15
        pick = bits >> 36                      # chooses an entry of the pool
        if i < WARMUP:
            kind, flavour = 0, 15
        elif step < 2:
            mid += 1 if step else -1
        side = "buy" if buy else "sell"
        if kind < 51:
            if flavour == 0:                   # priced to cross
                price = mid + offset % 4 if buy else mid - offset % 4
            else:
                price = mid - 1 - offset if buy else mid + 1 + offset
            events.append(("add", next_id, side, price, qty))
            pool.append([next_id, price, qty])
            next_id += 1
        elif kind < 60 and pool:
            entry = pool[pick % len(pool)]
            if flavour < 6:
                entry[2] = max(1, entry[2] // 2)
            elif flavour < 11:
                entry[2] += qty % 20 + 1
            else:
                entry[1] = max(1, entry[1] + REPRICE[flavour - 11])
            events.append(("modify", entry[0], entry[1], entry[2]))
        elif kind < 64:
            events.append(("market", next_id, side, qty + qty // 2))
            next_id += 1
        elif kind < 68:
            price = mid + flavour % 3 - 1 if buy else mid - flavour % 3 + 1
            events.append(("ioc", next_id, side, price, qty))
            next_id += 1
        elif kind < 69:
            events.append(("depth", side, 5))
        elif kind < 120 and pool and pick % POOL < len(pool):
            j = pick % len(pool)
            pool[j], pool[-1] = pool[-1], pool[j]
            events.append(("cancel", pool.pop()[0]))
        else:
            events.append(("best",))
    return events


def replay(book, events) -> tuple[int, int, int]:
    """Feed ``events`` to ``book``; answer (number of trades, total quantity, checksum).

    The checksum folds in every result in order: each trade's four fields,
    cancel's True or False as 1 or 0, -1 for a modify of an unknown id, both
    quotes of a ``best`` event ((0, 0) for a missing side) and every level of
    a depth answer.
    """
    handlers = {"add": book.add, "cancel": book.cancel, "modify": book.modify,
                "market": book.market, "ioc": book.ioc, "depth": book.depth}
    trades = volume = checksum = 0
    for event in events:
        kind = event[0]
        if kind == "best":
            values = [*(book.best_bid() or (0, 0)), *(book.best_ask() or (0, 0))]
        else:
            result = handlers[kind](*event[1:])
            if kind == "cancel":
                values = [1 if result else 0]
            elif result is None:
                values = [-1]
            elif kind == "depth":
                values = [number for level in result for number in level]
            else:
                values = [number for trade in result for number in trade]
                trades += len(result)
                volume += sum(trade.qty for trade in result)
        for value in values:
            checksum = (checksum * 1_000_003 + value) % MOD
    return trades, volume, checksum


# -- the book ----------------------------------------------------------------------------------

SIDES = ("buy", "sell")


class _Order:
    """A resting order; ``qty`` is its open quantity, 0 once it has left the book."""

    __slots__ = ("order_id", "side", "price", "qty")

    def __init__(self, order_id: int, side: str, price: int, qty: int) -> None:
        self.order_id = order_id
        self.side = side
        self.price = price
        self.qty = qty


class _Level:
    """The orders at one price in arrival order, with their live count and total quantity.

    Cancelled orders stay in the queue with ``qty == 0`` until they reach the
    front or the queue is compacted, so a cancel never searches the queue.
    """

    __slots__ = ("queue", "count", "total")

    def __init__(self) -> None:
        self.queue: deque[_Order] = deque()
        self.count = 0
        self.total = 0


class _Side:
    """One side of the book: a level per price, and the prices in ascending order.

    The best price is the last one for bids and the first one for asks, so a
    quote is O(1); a new or emptied level costs one binary search, O(log L).
    """

    __slots__ = ("levels", "prices", "best_index")

    def __init__(self, best_index: int) -> None:
        self.levels: dict[int, _Level] = {}
        self.prices: list[int] = []
        self.best_index = best_index

    def best_price(self) -> int | None:
        return self.prices[self.best_index] if self.prices else None

    def quote(self, price: int | None) -> tuple[int, int] | None:
        return None if price is None else (price, self.levels[price].total)

    def ordered_prices(self, count: int) -> list[int]:
        if self.best_index == 0:
            return self.prices[:count]
        return self.prices[:-count - 1:-1] if count else []

    def rest(self, order: _Order) -> None:
        level = self.levels.get(order.price)
        if level is None:
            level = self.levels[order.price] = _Level()
            insort(self.prices, order.price)
        level.queue.appendleft(order)
        level.count += 1
        level.total += order.qty

    def unlink(self, order: _Order) -> None:
        """Take a resting order out of its level, dropping the level once it is empty."""
        level = self.levels[order.price]
        level.count -= 1
        level.total -= order.qty
        order.qty = 0
        if not level.count:
            del self.levels[order.price]
            del self.prices[bisect_left(self.prices, order.price)]
        elif len(level.queue) > 2 * level.count + 16:
            level.queue = deque(live for live in level.queue if live.qty)

    def drop_best(self) -> None:
        del self.levels[self.prices.pop(self.best_index)]


class OrderBook:
    """A limit order book for one instrument, matching at price-time priority."""

    def __init__(self) -> None:
        """An empty book."""
        self._orders: dict[int, _Order] = {}
        self._sides = {"buy": _Side(-1), "sell": _Side(0)}

    # -- Level 1 -------------------------------------------------------------------------------

    def add(self, order_id: int, side: str, price: int, qty: int) -> list[Trade]:
        """Match a limit order against the other side, rest what is left; the trades in order."""
        self._check_new(order_id, side, qty, price)
        return self._execute(order_id, side, price, qty, rest=True)

    def order(self, order_id: int) -> tuple[str, int, int] | None:
        """(side, price, open quantity) of a resting order, or None."""
        order = self._orders.get(order_id)
        return None if order is None else (order.side, order.price, order.qty)

    # -- Level 2 -------------------------------------------------------------------------------

    def cancel(self, order_id: int) -> bool:
        """Remove a resting order; False when the id is not resting."""
        order = self._orders.pop(order_id, None)
        if order is None:
            return False
        self._sides[order.side].unlink(order)
        return True

    def modify(self, order_id: int, price: int, qty: int) -> list[Trade] | None:
        """Change a resting order's price and open quantity; None when the id is not resting."""
        _check_positive(price, qty)
        order = self._orders.get(order_id)
        if order is None:
            return None
        if price == order.price and qty <= order.qty:
            self._sides[order.side].levels[order.price].total -= order.qty - qty
            order.qty = qty
            return []
        side = order.side
        self.cancel(order_id)
        return self._execute(order_id, side, price, qty, rest=True)

    # -- Level 3 -------------------------------------------------------------------------------

    def market(self, order_id: int, side: str, qty: int) -> list[Trade]:
        """Trade against the best prices until filled or the other side is empty; never rests."""
        self._check_new(order_id, side, qty)
        return self._execute(order_id, side, None, qty, rest=False)

    def ioc(self, order_id: int, side: str, price: int, qty: int) -> list[Trade]:
        """Like add, but whatever does not trade at once is cancelled instead of resting."""
        self._check_new(order_id, side, qty, price)
        return self._execute(order_id, side, price, qty, rest=False)

    def best_bid(self) -> tuple[int, int] | None:
        """(highest bid price, total open quantity at it), or None without bids."""
        bids = self._sides["buy"]
        return bids.quote(bids.best_price())

    def best_ask(self) -> tuple[int, int] | None:
        """(lowest ask price, total open quantity at it), or None without asks."""
        asks = self._sides["sell"]
        return asks.quote(asks.best_price())

    def depth(self, side: str, levels: int) -> list[tuple[int, int]]:
        """The best ``levels`` price levels of a side, best first, as (price, total quantity)."""
        if side not in SIDES:
            raise ValueError(f"side must be 'buy' or 'sell', not {side!r}")
        if levels < 0:
            raise ValueError("levels must not be negative")
        book_side = self._sides[side]
        return [book_side.quote(price) for price in book_side.ordered_prices(levels)]

    # -- matching ------------------------------------------------------------------------------

    def _check_new(self, order_id: int, side: str, qty: int, price: int = 1) -> None:
        if side not in SIDES:
            raise ValueError(f"side must be 'buy' or 'sell', not {side!r}")
        _check_positive(price, qty)
        if order_id in self._orders:
            raise ValueError(f"order {order_id} is already resting")

    def _execute(self, order_id: int, side: str, limit: int | None, qty: int,
                 rest: bool) -> list[Trade]:
        """Match an incoming order (no limit: a market order), then rest what is left."""
        trades: list[Trade] = []
        buying = side == "buy"
        other = self._sides["sell" if buying else "buy"]
        while qty:
            best = other.best_price()
            if best is None or not _crosses(buying, limit, best):
                break
            qty = self._fill_level(other, order_id, buying, qty, trades)
        if qty and rest:
            order = self._orders[order_id] = _Order(order_id, side, limit, qty)
            self._sides[side].rest(order)
        return trades

    def _fill_level(self, other: _Side, order_id: int, buying: bool, qty: int,
                    trades: list[Trade]) -> int:
        """Trade against the best level of ``other`` in time order; the quantity left."""
        level = other.levels[other.prices[other.best_index]]
        queue = level.queue
        while qty and level.count:
            resting = queue[0]
            fill = min(qty, resting.qty)
            if fill:
                trades.append(Trade(order_id, resting.order_id, resting.price, fill) if buying
                              else Trade(resting.order_id, order_id, resting.price, fill))
                qty -= fill
                resting.qty -= fill
                level.total -= fill
            if not resting.qty:
                queue.popleft()
                if fill:
                    level.count -= 1
                    del self._orders[resting.order_id]
        if not level.count:
            other.drop_best()
        return qty


def _crosses(buying: bool, limit: int | None, best: int) -> bool:
    """Whether an incoming order with this limit (None: any price) trades at ``best``."""
    if limit is None:
        return True
    return best <= limit if buying else best >= limit


def _check_positive(price: int, qty: int) -> None:
    if price < 1 or qty < 1:
        raise ValueError(f"price and qty must be at least 1, not {price} and {qty}")
