"""Banking system: accounts, transfers, top spenders, payments with cashback, merges
and balance history.

Fill in the methods of ``BankingSystem``; QUESTION.md describes every level.
Keep the class name and the method signatures; add private helpers freely.
Standard library only.
"""

from __future__ import annotations


class BankingSystem:
    """Accounts with integer balances; every call carries its own, increasing timestamp."""

    def __init__(self) -> None:
        """Create a bank with no accounts."""

    # -- Level 1: accounts, deposits and transfers ------------------------------------------

    def create_account(self, timestamp: int, account_id: str) -> bool:
        """Open an account with balance 0; False if the id is already taken."""
        raise NotImplementedError

    def deposit(self, timestamp: int, account_id: str, amount: int) -> int | None:
        """Add ``amount``; the new balance, or None for a missing account."""
        raise NotImplementedError

    def transfer(self, timestamp: int, source_id: str, target_id: str,
                 amount: int) -> int | None:
        """Move ``amount`` from source to target; the source's new balance, or None.

        None (and nothing moves) for a missing account, equal ids, or a source
        balance below ``amount``.
        """
        raise NotImplementedError

    # -- Level 2: top spenders ---------------------------------------------------------------

    def top_spenders(self, timestamp: int, n: int) -> list[str]:
        """The ``n`` accounts with the largest outgoing totals, as "id(total)".

        Largest first, equal totals by id ascending; all accounts if fewer than n.
        """
        raise NotImplementedError

    # -- Level 3: payments and cashback ------------------------------------------------------

    def pay(self, timestamp: int, account_id: str, amount: int) -> str | None:
        """Withdraw ``amount``; "paymentN" (numbered across the bank from 1), or None.

        The 2% cashback, rounded down, is credited at timestamp + 86_400_000.
        """
        raise NotImplementedError

    def get_payment_status(self, timestamp: int, account_id: str,
                           payment: str) -> str | None:
        """The status, "IN_PROGRESS" or "CASHBACK_RECEIVED", of a payment of this account.

        None for a missing account, an unknown payment, or a payment of another account.
        """
        raise NotImplementedError

    # -- Level 4: merging accounts and balance history ---------------------------------------

    def merge_accounts(self, timestamp: int, account_id_1: str, account_id_2: str) -> bool:
        """Fold account 2 into account 1 (balance, outgoing total, payments); account 2
        disappears. False for equal ids or a missing account."""
        raise NotImplementedError

    def get_balance(self, timestamp: int, account_id: str, time_at: int) -> int | None:
        """The balance the id had at ``time_at``, after every operation at that time;
        None if no account held the id then."""
        raise NotImplementedError


class CountedTime(int):
    """An int that counts the comparisons it takes part in (a helper; delete it if unused).

    The level 4 tests measure ``get_balance`` the same way: ``time_at`` is passed
    as such an int, and every comparison with it counts. To check your own code::

        CountedTime.comparisons = 0
        bank.get_balance(now, "ann", CountedTime(12345))
        print(CountedTime.comparisons)
    """

    comparisons = 0  # shared by every instance

    def __lt__(self, other: object) -> bool:
        CountedTime.comparisons += 1
        return int.__lt__(self, other)

    def __le__(self, other: object) -> bool:
        CountedTime.comparisons += 1
        return int.__le__(self, other)

    def __gt__(self, other: object) -> bool:
        CountedTime.comparisons += 1
        return int.__gt__(self, other)

    def __ge__(self, other: object) -> bool:
        CountedTime.comparisons += 1
        return int.__ge__(self, other)

    def __eq__(self, other: object) -> bool:
        CountedTime.comparisons += 1
        return int.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        CountedTime.comparisons += 1
        return int.__ne__(self, other)

    __hash__ = int.__hash__
