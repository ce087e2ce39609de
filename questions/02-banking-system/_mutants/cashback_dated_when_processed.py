"""Mutant: a cashback credited lazily is recorded in the history at the time of the
call that processed it rather than at its due time.
"""


from __future__ import annotations

import heapq
from bisect import bisect_right
from dataclasses import dataclass, field

CASHBACK_DELAY_MS = 86_400_000
CASHBACK_PERCENT = 2


@dataclass
class Account:
    account_id: str
    balance: int = 0
    outgoing: int = 0
    payments: list[str] = field(default_factory=list)


@dataclass
class Payment:
    owner: Account
    cashback: int
    received: bool = False


@dataclass
class History:
    """The balance of one id over time; None marks a time with no account under the id."""

    times: list[int] = field(default_factory=list)
    balances: list[int | None] = field(default_factory=list)

    def record(self, time: int, balance: int | None) -> None:
        self.times.append(time)
        self.balances.append(balance)

    def at(self, time: int) -> int | None:
        index = bisect_right(self.times, time)
        return self.balances[index - 1] if index else None


class BankingSystem:
    def __init__(self) -> None:
        self._accounts: dict[str, Account] = {}
        self._payments: dict[str, Payment] = {}
        self._pending: list[tuple[int, str]] = []  # (due time, payment id), a min-heap
        self._histories: dict[str, History] = {}

    # -- Level 1 --------------------------------------------------------------------------

    def create_account(self, timestamp: int, account_id: str) -> bool:
        self._settle(timestamp)
        if account_id in self._accounts:
            return False
        self._accounts[account_id] = Account(account_id)
        self._record(timestamp, account_id, 0)
        return True

    def deposit(self, timestamp: int, account_id: str, amount: int) -> int | None:
        self._settle(timestamp)
        account = self._accounts.get(account_id)
        if account is None:
            return None
        self._credit(timestamp, account, amount)
        return account.balance

    def transfer(self, timestamp: int, source_id: str, target_id: str,
                 amount: int) -> int | None:
        self._settle(timestamp)
        source = self._accounts.get(source_id)
        target = self._accounts.get(target_id)
        if source is None or target is None or source is target:
            return None
        if not self._withdraw(timestamp, source, amount):
            return None
        self._credit(timestamp, target, amount)
        return source.balance

    # -- Level 2 --------------------------------------------------------------------------

    def top_spenders(self, timestamp: int, n: int) -> list[str]:
        self._settle(timestamp)
        ranked = heapq.nsmallest(n, self._accounts.values(),
                                 key=lambda a: (-a.outgoing, a.account_id))
        return [f"{a.account_id}({a.outgoing})" for a in ranked]

    # -- Level 3 --------------------------------------------------------------------------

    def pay(self, timestamp: int, account_id: str, amount: int) -> str | None:
        self._settle(timestamp)
        account = self._accounts.get(account_id)
        if account is None or not self._withdraw(timestamp, account, amount):
            return None
        payment_id = f"payment{len(self._payments) + 1}"
        self._payments[payment_id] = Payment(account, amount * CASHBACK_PERCENT // 100)
        account.payments.append(payment_id)
        heapq.heappush(self._pending, (timestamp + CASHBACK_DELAY_MS, payment_id))
        return payment_id

    def get_payment_status(self, timestamp: int, account_id: str, payment: str) -> str | None:
        self._settle(timestamp)
        account = self._accounts.get(account_id)
        found = self._payments.get(payment)
        if account is None or found is None or found.owner is not account:
            return None
        return "CASHBACK_RECEIVED" if found.received else "IN_PROGRESS"

    # -- Level 4 --------------------------------------------------------------------------

    def merge_accounts(self, timestamp: int, account_id_1: str, account_id_2: str) -> bool:
        self._settle(timestamp)
        survivor = self._accounts.get(account_id_1)
        merged = self._accounts.get(account_id_2)
        if survivor is None or merged is None or survivor is merged:
            return False
        survivor.balance += merged.balance
        survivor.outgoing += merged.outgoing
        for payment_id in merged.payments:
            self._payments[payment_id].owner = survivor
        survivor.payments.extend(merged.payments)
        del self._accounts[account_id_2]
        self._record(timestamp, account_id_1, survivor.balance)
        self._record(timestamp, account_id_2, None)
        return True

    def get_balance(self, timestamp: int, account_id: str, time_at: int) -> int | None:
        self._settle(timestamp)
        history = self._histories.get(account_id)
        return None if history is None else history.at(time_at)

    # -- helpers --------------------------------------------------------------------------

    def _settle(self, now: int) -> None:
        """Credit every cashback due at or before ``now``, each at its own due time."""
        while self._pending and self._pending[0][0] <= now:
            due, payment_id = heapq.heappop(self._pending)
            payment = self._payments[payment_id]
            payment.received = True
            self._credit(now, payment.owner, payment.cashback)

    def _credit(self, time: int, account: Account, amount: int) -> None:
        account.balance += amount
        self._record(time, account.account_id, account.balance)

    def _withdraw(self, time: int, account: Account, amount: int) -> bool:
        if amount > account.balance:
            return False
        account.balance -= amount
        account.outgoing += amount
        self._record(time, account.account_id, account.balance)
        return True

    def _record(self, time: int, account_id: str, balance: int | None) -> None:
        self._histories.setdefault(account_id, History()).record(time, balance)
