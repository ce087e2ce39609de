"""Level 4 hidden tests: the whole stream, speed against a naive book, and the
counted price comparisons.

The stream generator, ``replay`` and ``CountedPrice`` are this file's own
copies of the starter's; the naive book is the one QUESTION.md describes.
The published summaries come from the reference book and agree with the
naive one.
"""

import functools
import gc
import random
import time
from contextlib import contextmanager
from typing import NamedTuple

# -- this file's copies of the starter's helpers ------------------------------------------------


class Trade(NamedTuple):
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


class Stopped(Exception):
    """Raised by ``replay`` when its ``stop`` check says the book is too slow or too costly."""


def replay(book, events, stop=None):
    """The starter's replay; ``stop(done)``, checked every 50 events, may abort it."""
    handlers = {"add": book.add, "cancel": book.cancel, "modify": book.modify,
                "market": book.market, "ioc": book.ioc, "depth": book.depth}
    trades = volume = checksum = 0
    for done, event in enumerate(events):
        if stop is not None and done % 50 == 0 and stop(done):
            raise Stopped(done)
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


# -- the naive book ---------------------------------------------------------------------------


class NaiveBook:
    """The naive book of QUESTION.md: each side one list of orders
    [key, seq, id, qty, price] (key: -price for bids, price for asks), sorted
    again after every insertion; cancel and modify scan the lists. It is
    correct (its replay of the timed events is what yours is checked against),
    only slow.
    """

    def __init__(self):
        self.bids, self.asks, self.seq, self.ids = [], [], 0, set()

    def load(self, adds):
        """Rest the opening adds of the stream, which cross nothing, with one sort per side."""
        for _, order_id, side, price, qty in adds:
            self.seq += 1
            book_side = self.bids if side == "buy" else self.asks
            book_side.append([-price if side == "buy" else price, self.seq, order_id, qty, price])
            self.ids.add(order_id)
        self.bids.sort()
        self.asks.sort()

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
            trades.append(Trade(order_id, best[2], best[4], fill) if buying
                          else Trade(best[2], order_id, best[4], fill))
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


# -- the stream and the naive book's timing ----------------------------------------------------

PREFIX_EVENTS = 10_000
TIMED_EVENTS = 1_500
PREFIX_SUMMARY = (2540, 45858, 2081252648080772865)
FULL_SUMMARY = (51805, 925212, 1353020829343211)
MAX_COMPARISONS = 150_000
QUOTE_LEVELS = 3_000
QUOTE_CALLS = 1_000
COMPARISONS_PER_QUOTE = 32
COMPARISONS_PER_ADD = 64
ROUNDS = 5


@functools.cache
def prefix():
    """The first 10,000 events of the default stream (the generator is sequential)."""
    return order_stream(PREFIX_EVENTS)


@contextmanager
def gc_off():
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@functools.cache
def naive_run():
    """(seconds, summary) of the naive book on the timed events, after the opening adds."""
    events = prefix()
    book = NaiveBook()
    book.load(events[:WARMUP])
    with gc_off():
        began = time.perf_counter()
        summary = replay(book, events[WARMUP:WARMUP + TIMED_EVENTS])
        seconds = time.perf_counter() - began
    return seconds, summary


def time_limit(seconds):
    """A ``stop`` check for replay: true once ``seconds`` have passed since it was made."""
    began = time.perf_counter()
    return lambda done: time.perf_counter() - began > seconds


def counted(events):
    """The events with every price wrapped in this file's CountedPrice."""
    wrapped = []
    for event in events:
        kind = event[0]
        if kind in ("add", "ioc"):
            wrapped.append((kind, event[1], event[2], CountedPrice(event[3]), event[4]))
        elif kind == "modify":
            wrapped.append((kind, event[1], CountedPrice(event[2]), event[3]))
        else:
            wrapped.append(event)
    return wrapped


# -- correctness first -------------------------------------------------------------------------


def test_the_first_ten_thousand_events_replay_to_the_published_summary(solution):
    assert replay(solution.OrderBook(), prefix()) == PREFIX_SUMMARY


def test_best_quotes_do_not_scan_the_levels(solution):
    book = solution.OrderBook()
    rng = random.Random(404)
    offsets = list(range(QUOTE_LEVELS))
    rng.shuffle(offsets)
    CountedPrice.comparisons = 0
    for added, offset in enumerate(offsets, start=1):
        book.add(1 + offset, "buy", CountedPrice(50_000 - offset), 1 + offset % 3)
        book.add(100_001 + offset, "sell", CountedPrice(50_001 + offset), 1 + offset % 3)
        assert CountedPrice.comparisons <= 2 * COMPARISONS_PER_ADD * added, (
            f"{CountedPrice.comparisons} price comparisons for the first {2 * added} adds at "
            "new prices: each add scans or re-sorts the levels")
    for offset in range(100):                 # the 100 best levels of each side go away
        assert book.cancel(1 + offset) is True
        assert book.cancel(100_001 + offset) is True
    CountedPrice.comparisons = 0
    for call in range(1, QUOTE_CALLS + 1):
        bid, ask = book.best_bid(), book.best_ask()
        assert CountedPrice.comparisons <= 2 * COMPARISONS_PER_QUOTE * QUOTE_CALLS, (
            f"{CountedPrice.comparisons} price comparisons after {call} pairs of quotes on "
            f"{QUOTE_LEVELS} levels a side: the quotes scan the book")
    assert (bid, ask) == ((49_900, 1 + 100 % 3), (50_101, 1 + 100 % 3))


def test_price_comparisons_on_the_first_ten_thousand_events(solution, measure):
    events = counted(prefix())
    CountedPrice.comparisons = 0
    try:
        summary = replay(solution.OrderBook(), events,
                         stop=lambda done: CountedPrice.comparisons > MAX_COMPARISONS)
    except Stopped as stopped:
        raise AssertionError(f"more than {MAX_COMPARISONS} price comparisons after only "
                             f"{stopped.args[0]} events") from None
    comparisons = CountedPrice.comparisons
    assert summary == PREFIX_SUMMARY
    assert comparisons <= MAX_COMPARISONS, (
        f"{comparisons} price comparisons on {PREFIX_EVENTS} events, at most {MAX_COMPARISONS}")
    measure("price_comparisons", comparisons)


# -- wall-clock time, as a ratio to the naive book in the same run -------------------------------


def test_at_least_five_times_faster_than_a_naive_book(solution):
    naive_seconds, naive_summary = naive_run()
    events = prefix()
    timed = events[WARMUP:WARMUP + TIMED_EVENTS]
    best = float("inf")
    for _ in range(ROUNDS):
        book = solution.OrderBook()
        replay(book, events[:WARMUP])
        with gc_off():
            began = time.perf_counter()
            try:
                summary = replay(book, timed, stop=time_limit(naive_seconds / 5))
            except Stopped:
                continue
            seconds = time.perf_counter() - began
        assert summary == naive_summary, "the timed events give a different replay summary"
        best = min(best, seconds)
        if best * 10 <= naive_seconds:
            break                             # comfortably fast: no need for more rounds
    assert best * 5 <= naive_seconds, (
        f"the naive book took {naive_seconds * 1000:.0f} ms for {TIMED_EVENTS} events; yours "
        + ("did not finish within a fifth of that" if best == float("inf")
           else f"took {best * 1000:.0f} ms, only {naive_seconds / best:.1f} times faster"))


def test_the_whole_stream_replays_to_the_published_summary(solution):
    naive_seconds, _ = naive_run()
    per_event = naive_seconds / TIMED_EVENTS
    events = order_stream()
    began = time.perf_counter()
    with gc_off():
        try:
            summary = replay(solution.OrderBook(), events,
                             stop=lambda done: time.perf_counter() - began
                             > 0.3 + done * per_event / 2)
        except Stopped as stopped:
            raise AssertionError(f"stopped after {stopped.args[0]} of {len(events)} events: "
                                 "not even twice as fast as the naive book") from None
    assert summary == FULL_SUMMARY
