"""In-memory database: the average reference.

Correct on every level, but clumsy: each method repeats the expiry check
inline, the nesting is deep, and the plain and timestamped methods are written
twice instead of sharing helpers.
"""

import copy


class InMemoryDB:
    def __init__(self):
        self.data = {}
        self.time = 0
        self.backups = []

    def set(self, key, field, value):
        if key not in self.data:
            self.data[key] = {}
        self.data[key][field] = {"value": value, "expires": None}

    def get(self, key, field):
        if key in self.data:
            if field in self.data[key]:
                item = self.data[key][field]
                if item["expires"] is None:
                    return item["value"]
                else:
                    if self.time < item["expires"]:
                        return item["value"]
                    else:
                        return None
            else:
                return None
        else:
            return None

    def delete(self, key, field):
        if key in self.data:
            if field in self.data[key]:
                item = self.data[key][field]
                if item["expires"] is None or self.time < item["expires"]:
                    del self.data[key][field]
                    return True
                else:
                    return False
            else:
                return False
        return False

    def scan(self, key):
        result = []
        if key in self.data:
            names = list(self.data[key].keys())
            names.sort()
            for name in names:
                item = self.data[key][name]
                if item["expires"] is None:
                    result.append(name + "(" + item["value"] + ")")
                else:
                    if self.time < item["expires"]:
                        result.append(name + "(" + item["value"] + ")")
        return result

    def scan_by_prefix(self, key, prefix):
        result = []
        if key in self.data:
            names = list(self.data[key].keys())
            names.sort()
            for name in names:
                if name[: len(prefix)] == prefix:
                    item = self.data[key][name]
                    if item["expires"] is None:
                        result.append(name + "(" + item["value"] + ")")
                    else:
                        if self.time < item["expires"]:
                            result.append(name + "(" + item["value"] + ")")
        return result

    def set_at(self, key, field, value, timestamp):
        self.time = timestamp
        if key not in self.data:
            self.data[key] = {}
        self.data[key][field] = {"value": value, "expires": None}

    def set_at_with_ttl(self, key, field, value, timestamp, ttl):
        self.time = timestamp
        if key not in self.data:
            self.data[key] = {}
        self.data[key][field] = {"value": value, "expires": timestamp + ttl}

    def delete_at(self, key, field, timestamp):
        self.time = timestamp
        if key in self.data:
            if field in self.data[key]:
                item = self.data[key][field]
                if item["expires"] is None or timestamp < item["expires"]:
                    del self.data[key][field]
                    return True
                else:
                    return False
            else:
                return False
        return False

    def get_at(self, key, field, timestamp):
        self.time = timestamp
        if key in self.data:
            if field in self.data[key]:
                item = self.data[key][field]
                if item["expires"] is None:
                    return item["value"]
                else:
                    if timestamp < item["expires"]:
                        return item["value"]
                    else:
                        return None
            else:
                return None
        else:
            return None

    def scan_at(self, key, timestamp):
        self.time = timestamp
        result = []
        if key in self.data:
            names = list(self.data[key].keys())
            names.sort()
            for name in names:
                item = self.data[key][name]
                if item["expires"] is None:
                    result.append(name + "(" + item["value"] + ")")
                else:
                    if timestamp < item["expires"]:
                        result.append(name + "(" + item["value"] + ")")
        return result

    def scan_by_prefix_at(self, key, prefix, timestamp):
        self.time = timestamp
        result = []
        if key in self.data:
            names = list(self.data[key].keys())
            names.sort()
            for name in names:
                if name[: len(prefix)] == prefix:
                    item = self.data[key][name]
                    if item["expires"] is None:
                        result.append(name + "(" + item["value"] + ")")
                    else:
                        if timestamp < item["expires"]:
                            result.append(name + "(" + item["value"] + ")")
        return result

    def backup(self, timestamp):
        self.time = timestamp
        saved = {}
        count = 0
        for key in self.data:
            fields = {}
            for name in self.data[key]:
                item = self.data[key][name]
                if item["expires"] is None:
                    fields[name] = {"value": item["value"], "left": None}
                else:
                    if timestamp < item["expires"]:
                        fields[name] = {"value": item["value"], "left": item["expires"] - timestamp}
            if len(fields) > 0:
                saved[key] = fields
                count = count + 1
        self.backups.append((timestamp, copy.deepcopy(saved)))
        return count

    def restore(self, timestamp, timestamp_to_restore):
        self.time = timestamp
        found = None
        for i in range(len(self.backups)):
            if self.backups[i][0] <= timestamp_to_restore:
                found = self.backups[i][1]
        if found is None:
            raise ValueError("no backup")
        self.data = {}
        for key in found:
            self.data[key] = {}
            for name in found[key]:
                saved = found[key][name]
                if saved["left"] is None:
                    self.data[key][name] = {"value": saved["value"], "expires": None}
                else:
                    self.data[key][name] = {
                        "value": saved["value"],
                        "expires": timestamp + saved["left"],
                    }
