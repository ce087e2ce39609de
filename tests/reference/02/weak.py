"""Banking system: the weak reference.

Levels 1 and 2 are right. Level 3 rounds the cashback to the nearest unit,
credits a cashback only to calls after its due time (so a call at exactly the
due time misses it), and answers the status of any payment for any account.
Level 4 was never written.
"""


class BankingSystem:
    def __init__(self):
        self.balances = {}
        self.spent = {}
        self.payments = []

    def create_account(self, timestamp, account_id):
        if account_id in self.balances:
            return False
        self.balances[account_id] = 0
        self.spent[account_id] = 0
        return True

    def deposit(self, timestamp, account_id, amount):
        self.cashbacks(timestamp)
        if account_id in self.balances:
            self.balances[account_id] = self.balances[account_id] + amount
            return self.balances[account_id]
        else:
            return None

    def transfer(self, timestamp, source_id, target_id, amount):
        self.cashbacks(timestamp)
        if source_id in self.balances and target_id in self.balances:
            if source_id != target_id:
                if self.balances[source_id] >= amount:
                    self.balances[source_id] = self.balances[source_id] - amount
                    self.balances[target_id] = self.balances[target_id] + amount
                    self.spent[source_id] = self.spent[source_id] + amount
                    return self.balances[source_id]
        return None

    def top_spenders(self, timestamp, n):
        self.cashbacks(timestamp)
        names = sorted(self.spent.keys())
        names = sorted(names, key=lambda x: self.spent[x], reverse=True)
        out = []
        for name in names:
            if len(out) < n:
                out.append(name + "(" + str(self.spent[name]) + ")")
        return out

    # level 3

    def cashbacks(self, timestamp):
        for p in self.payments:
            if p[3] == False and p[2] < timestamp:  # noqa: E712
                self.balances[p[0]] = self.balances[p[0]] + p[1]
                p[3] = True

    def pay(self, timestamp, account_id, amount):
        self.cashbacks(timestamp)
        if account_id in self.balances:
            if self.balances[account_id] >= amount:
                self.balances[account_id] = self.balances[account_id] - amount
                self.spent[account_id] = self.spent[account_id] + amount
                self.payments.append([account_id, round(amount * 0.02), timestamp + 86400000, False])
                return "payment" + str(len(self.payments))
        return None

    def get_payment_status(self, timestamp, account_id, payment):
        self.cashbacks(timestamp)
        if account_id not in self.balances:
            return None
        for i in range(len(self.payments)):
            if "payment" + str(i + 1) == payment:
                if self.payments[i][3]:
                    return "CASHBACK_RECEIVED"
                else:
                    return "IN_PROGRESS"
        return None
