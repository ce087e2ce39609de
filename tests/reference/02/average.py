"""Banking system: the average reference.

Levels 1 to 3 are right. Level 4 merges correctly, but get_balance walks the
history of the id backwards, one entry at a time, instead of searching it, and
creating an account again under a merged-away id throws the old history of
that id away.
"""

DAY = 86400000


class BankingSystem:
    def __init__(self):
        self.accounts = {}      # id -> {"balance": int, "out": int}
        self.payments = {}      # payment id -> {"account": id, "cashback": int, "due": int, "done": bool}
        self.count = 0
        self.history = {}       # id -> list of (time, balance or None)

    def _process_cashbacks(self, timestamp):
        due = [p for p in self.payments.values() if not p["done"] and p["due"] <= timestamp]
        due.sort(key=lambda p: p["due"])
        for p in due:
            p["done"] = True
            acc = p["account"]
            self.accounts[acc]["balance"] += p["cashback"]
            self.history[acc].append((p["due"], self.accounts[acc]["balance"]))

    def _log(self, timestamp, account_id):
        self.history[account_id].append((timestamp, self.accounts[account_id]["balance"]))

    def create_account(self, timestamp, account_id):
        self._process_cashbacks(timestamp)
        if account_id in self.accounts:
            return False
        self.accounts[account_id] = {"balance": 0, "out": 0}
        self.history[account_id] = [(timestamp, 0)]
        return True

    def deposit(self, timestamp, account_id, amount):
        self._process_cashbacks(timestamp)
        if account_id not in self.accounts:
            return None
        self.accounts[account_id]["balance"] += amount
        self._log(timestamp, account_id)
        return self.accounts[account_id]["balance"]

    def transfer(self, timestamp, source_id, target_id, amount):
        self._process_cashbacks(timestamp)
        if source_id not in self.accounts or target_id not in self.accounts:
            return None
        if source_id == target_id:
            return None
        source = self.accounts[source_id]
        if source["balance"] < amount:
            return None
        source["balance"] -= amount
        source["out"] += amount
        self.accounts[target_id]["balance"] += amount
        self._log(timestamp, source_id)
        self._log(timestamp, target_id)
        return source["balance"]

    def top_spenders(self, timestamp, n):
        self._process_cashbacks(timestamp)
        items = sorted(self.accounts.items(), key=lambda kv: (-kv[1]["out"], kv[0]))
        result = []
        for account_id, acc in items[:n]:
            result.append(account_id + "(" + str(acc["out"]) + ")")
        return result

    def pay(self, timestamp, account_id, amount):
        self._process_cashbacks(timestamp)
        if account_id not in self.accounts:
            return None
        acc = self.accounts[account_id]
        if acc["balance"] < amount:
            return None
        acc["balance"] -= amount
        acc["out"] += amount
        self._log(timestamp, account_id)
        self.count += 1
        pid = "payment" + str(self.count)
        self.payments[pid] = {"account": account_id, "cashback": amount * 2 // 100,
                              "due": timestamp + DAY, "done": False}
        return pid

    def get_payment_status(self, timestamp, account_id, payment):
        self._process_cashbacks(timestamp)
        if account_id not in self.accounts or payment not in self.payments:
            return None
        p = self.payments[payment]
        if p["account"] != account_id:
            return None
        if p["done"]:
            return "CASHBACK_RECEIVED"
        return "IN_PROGRESS"

    def merge_accounts(self, timestamp, account_id_1, account_id_2):
        self._process_cashbacks(timestamp)
        if account_id_1 == account_id_2:
            return False
        if account_id_1 not in self.accounts or account_id_2 not in self.accounts:
            return False
        first = self.accounts[account_id_1]
        second = self.accounts.pop(account_id_2)
        first["balance"] += second["balance"]
        first["out"] += second["out"]
        for p in self.payments.values():
            if p["account"] == account_id_2:
                p["account"] = account_id_1
        self._log(timestamp, account_id_1)
        self.history[account_id_2].append((timestamp, None))
        return True

    def get_balance(self, timestamp, account_id, time_at):
        self._process_cashbacks(timestamp)
        if account_id not in self.history:
            return None
        entries = self.history[account_id]
        i = len(entries) - 1
        while i >= 0:
            if entries[i][0] <= time_at:
                return entries[i][1]
            i -= 1
        return None
