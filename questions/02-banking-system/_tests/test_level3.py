"""Level 3 hidden tests: payments, their ids and the delayed 2% cashback."""

import heapq
import random

DAY = 86_400_000


def _funded(solution, amount=1000, name="a"):
    bank = solution.BankingSystem()
    bank.create_account(1, name)
    bank.deposit(2, name, amount)
    return bank


def test_pay_returns_payment_ids_counted_from_one(solution):
    bank = _funded(solution)
    assert bank.pay(3, "a", 10) == "payment1"
    assert bank.pay(4, "a", 10) == "payment2"
    assert bank.pay(5, "a", 10) == "payment3"


def test_payment_numbers_are_shared_by_all_accounts(solution):
    bank = _funded(solution)
    bank.create_account(3, "b")
    bank.deposit(4, "b", 1000)
    assert bank.pay(5, "a", 10) == "payment1"
    assert bank.pay(6, "b", 10) == "payment2"
    assert bank.pay(7, "a", 10) == "payment3"


def test_pay_withdraws_the_amount(solution):
    bank = _funded(solution, 1000)
    bank.pay(3, "a", 300)
    assert bank.deposit(4, "a", 1) == 701


def test_pay_of_the_whole_balance_succeeds_edge(solution):
    bank = _funded(solution, 250)
    assert bank.pay(3, "a", 250) == "payment1"
    assert bank.deposit(4, "a", 1) == 1


def test_pay_with_insufficient_funds_returns_none_edge(solution):
    bank = _funded(solution, 250)
    assert bank.pay(3, "a", 251) is None
    assert bank.deposit(4, "a", 1) == 251


def test_pay_from_a_missing_account_returns_none_edge(solution):
    bank = _funded(solution)
    assert bank.pay(3, "ghost", 10) is None


def test_failed_payments_use_no_number_edge(solution):
    bank = _funded(solution, 100)
    assert bank.pay(3, "ghost", 10) is None
    assert bank.pay(4, "a", 1000) is None
    assert bank.pay(5, "a", 10) == "payment1"
    assert bank.pay(6, "a", 1000) is None
    assert bank.pay(7, "a", 10) == "payment2"


def test_cashback_is_two_percent_rounded_down(solution):
    bank = _funded(solution, 10_000)
    bank.pay(3, "a", 1099)  # 21.98 -> 21
    assert bank.deposit(DAY + 3, "a", 1) == 10_000 - 1099 + 21 + 1


def test_cashback_of_an_exact_multiple(solution):
    bank = _funded(solution, 10_000)
    bank.pay(3, "a", 5000)
    assert bank.deposit(DAY + 4, "a", 1) == 10_000 - 5000 + 100 + 1


def test_cashback_is_not_credited_one_millisecond_early_edge(solution):
    bank = _funded(solution, 1000)
    bank.pay(10, "a", 500)
    assert bank.deposit(DAY + 9, "a", 1) == 501


def test_cashback_is_credited_exactly_at_its_due_time_edge(solution):
    bank = _funded(solution, 1000)
    bank.pay(10, "a", 500)
    assert bank.deposit(DAY + 10, "a", 1) == 1000 - 500 + 10 + 1


def test_cashback_is_credited_before_an_operation_at_its_due_time_edge(solution):
    bank = _funded(solution, 1000)
    bank.create_account(3, "b")
    bank.pay(10, "a", 1000)  # balance 0, cashback 20 due at DAY + 10
    assert bank.transfer(DAY + 10, "a", "b", 20) == 0


def test_status_turns_to_received_exactly_at_the_due_time_edge(solution):
    bank = _funded(solution, 1000)
    bank.pay(10, "a", 500)
    assert bank.get_payment_status(11, "a", "payment1") == "IN_PROGRESS"
    assert bank.get_payment_status(DAY + 9, "a", "payment1") == "IN_PROGRESS"
    assert bank.get_payment_status(DAY + 10, "a", "payment1") == "CASHBACK_RECEIVED"
    assert bank.get_payment_status(5 * DAY, "a", "payment1") == "CASHBACK_RECEIVED"


def test_payment_under_fifty_earns_nothing_but_completes_edge(solution):
    bank = _funded(solution, 100)
    assert bank.pay(3, "a", 49) == "payment1"
    assert bank.get_payment_status(DAY + 3, "a", "payment1") == "CASHBACK_RECEIVED"
    assert bank.deposit(DAY + 4, "a", 1) == 52


def test_cashback_is_credited_only_once(solution):
    bank = _funded(solution, 1000)
    bank.pay(3, "a", 500)
    for step in range(5):
        bank.get_payment_status(DAY + 3 + step, "a", "payment1")
    assert bank.deposit(3 * DAY, "a", 1) == 511


def test_every_due_cashback_is_credited_by_the_next_call(solution):
    bank = _funded(solution, 10_000)
    bank.pay(3, "a", 1000)   # 20 back
    bank.pay(4, "a", 2000)   # 40 back
    bank.pay(5, "a", 3050)   # 61 back
    assert bank.deposit(10 * DAY, "a", 1) == 10_000 - 6050 + 121 + 1
    statuses = [bank.get_payment_status(10 * DAY + i, "a", f"payment{i}") for i in (1, 2, 3)]
    assert statuses == ["CASHBACK_RECEIVED"] * 3


def test_only_the_cashbacks_already_due_are_credited(solution):
    bank = _funded(solution, 10_000)
    bank.pay(3, "a", 1000)
    bank.pay(DAY // 2, "a", 1000)
    assert bank.deposit(DAY + 3, "a", 1) == 8000 + 20 + 1
    assert bank.get_payment_status(DAY + 4, "a", "payment2") == "IN_PROGRESS"
    assert bank.deposit(DAY + DAY // 2, "a", 1) == 8000 + 40 + 2


def test_cashback_goes_to_the_account_that_paid(solution):
    bank = _funded(solution, 1000)
    bank.create_account(3, "b")
    bank.deposit(4, "b", 1000)
    bank.pay(5, "b", 500)
    assert bank.deposit(DAY + 6, "a", 1) == 1001
    assert bank.deposit(DAY + 7, "b", 1) == 511


def test_payments_count_towards_top_spenders(solution):
    bank = _funded(solution, 1000)
    bank.create_account(3, "b")
    bank.deposit(4, "b", 1000)
    bank.transfer(5, "b", "a", 100)
    bank.pay(6, "a", 150)
    bank.pay(7, "a", 50)
    assert bank.top_spenders(8, 2) == ["a(200)", "b(100)"]


def test_cashback_does_not_reduce_the_outgoing_total(solution):
    bank = _funded(solution, 1000)
    bank.pay(3, "a", 500)
    assert bank.top_spenders(2 * DAY, 1) == ["a(500)"]


def test_failed_payments_do_not_count_towards_top_spenders_edge(solution):
    bank = _funded(solution, 100)
    assert bank.pay(3, "a", 101) is None
    assert bank.top_spenders(4, 1) == ["a(0)"]


def test_status_of_a_payment_of_another_account_is_none_edge(solution):
    bank = _funded(solution, 100)
    bank.create_account(3, "b")
    bank.pay(4, "a", 10)
    assert bank.get_payment_status(5, "b", "payment1") is None
    assert bank.get_payment_status(DAY + 5, "b", "payment1") is None


def test_status_of_an_unknown_payment_is_none_edge(solution):
    bank = _funded(solution, 100)
    assert bank.get_payment_status(3, "a", "payment1") is None
    bank.pay(4, "a", 10)
    assert bank.get_payment_status(5, "a", "payment2") is None
    assert bank.get_payment_status(6, "a", "payment0") is None


def test_status_for_a_missing_account_is_none_edge(solution):
    bank = _funded(solution, 100)
    bank.pay(3, "a", 10)
    assert bank.get_payment_status(4, "ghost", "payment1") is None


def test_random_payments_match_a_simple_model(solution):
    rng = random.Random(303)
    bank = solution.BankingSystem()
    balances: dict[str, int] = {}
    outgoing: dict[str, int] = {}
    owner: dict[str, str] = {}
    received: set[str] = set()
    pending: list[tuple[int, str, str, int]] = []  # (due, payment, account, cashback)
    ids = ["a", "b", "c", "d"]
    time = 0

    def settle(now):
        while pending and pending[0][0] <= now:
            _, payment, account, cashback = heapq.heappop(pending)
            balances[account] += cashback
            received.add(payment)

    for step in range(3000):
        time += rng.choice([1, 7, 1000, DAY // 3, DAY // 2, DAY])
        settle(time)
        where = f"step {step} at t={time}"
        account, action = rng.choice(ids), rng.random()
        if action < 0.08:
            if account not in balances:
                balances[account], outgoing[account] = 0, 0
            bank.create_account(time, account)
        elif action < 0.3:
            expected = None
            if account in balances:
                balances[account] += 300
                expected = balances[account]
            assert bank.deposit(time, account, 300) == expected, where
        elif action < 0.45:
            target, amount = rng.choice(ids), rng.randint(1, 400)
            expected = None
            if (account in balances and target in balances and account != target
                    and balances[account] >= amount):
                balances[account] -= amount
                balances[target] += amount
                outgoing[account] += amount
                expected = balances[account]
            assert bank.transfer(time, account, target, amount) == expected, where
        elif action < 0.7:
            amount, expected = rng.randint(1, 400), None
            if account in balances and balances[account] >= amount:
                balances[account] -= amount
                outgoing[account] += amount
                expected = f"payment{len(owner) + 1}"
                owner[expected] = account
                heapq.heappush(pending, (time + DAY, expected, account, amount * 2 // 100))
            assert bank.pay(time, account, amount) == expected, where
        elif action < 0.9:
            payment = f"payment{rng.randint(1, len(owner) + 2)}"
            expected = None
            if account in balances and owner.get(payment) == account:
                expected = "CASHBACK_RECEIVED" if payment in received else "IN_PROGRESS"
            assert bank.get_payment_status(time, account, payment) == expected, where
        else:
            ranked = sorted(outgoing, key=lambda name: (-outgoing[name], name))[:3]
            assert bank.top_spenders(time, 3) == [f"{n}({outgoing[n]})" for n in ranked], where
