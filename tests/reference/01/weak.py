"""In-memory database: the weak reference.

Levels 1 and 2 are right. Level 3 keeps a field alive at exactly
timestamp + ttl, never clears a TTL when the field is set again without one,
and lets the plain calls ignore expiry. Level 4 counts every record it has
ever seen, shares state between backups and the live data, does not re-base
TTLs on a restore, restores the first backup rather than the latest one, and
silently does nothing when there is no backup.
"""


class InMemoryDB:
    def __init__(self):
        self.db = {}
        self.ttl = {}
        self.backups = []

    def set(self, key, field, value):
        if key not in self.db:
            self.db[key] = {}
        self.db[key][field] = value

    def get(self, key, field):
        if key in self.db and field in self.db[key]:
            return self.db[key][field]
        return None

    def delete(self, key, field):
        if key in self.db and field in self.db[key]:
            del self.db[key][field]
            return True
        return False

    def scan(self, key):
        if key not in self.db:
            return []
        out = []
        for f in sorted(self.db[key]):
            out.append(f + "(" + self.db[key][f] + ")")
        return out

    def scan_by_prefix(self, key, prefix):
        out = []
        for item in self.scan(key):
            if item.startswith(prefix):
                out.append(item)
        return out

    # level 3

    def alive(self, key, field, timestamp):
        if (key, field) in self.ttl:
            return timestamp <= self.ttl[(key, field)]
        return True

    def set_at(self, key, field, value, timestamp):
        self.set(key, field, value)

    def set_at_with_ttl(self, key, field, value, timestamp, ttl):
        self.set(key, field, value)
        self.ttl[(key, field)] = timestamp + ttl

    def delete_at(self, key, field, timestamp):
        if self.get(key, field) is not None and self.alive(key, field, timestamp):
            return self.delete(key, field)
        return False

    def get_at(self, key, field, timestamp):
        if self.alive(key, field, timestamp):
            return self.get(key, field)
        return None

    def scan_at(self, key, timestamp):
        out = []
        for f in sorted(self.db.get(key, {})):
            if self.alive(key, f, timestamp):
                out.append(f + "(" + self.db[key][f] + ")")
        return out

    def scan_by_prefix_at(self, key, prefix, timestamp):
        out = []
        for item in self.scan_at(key, timestamp):
            if item.startswith(prefix):
                out.append(item)
        return out

    # level 4

    def backup(self, timestamp):
        self.backups.append((timestamp, dict(self.db), dict(self.ttl)))
        return len(self.db)

    def restore(self, timestamp, timestamp_to_restore):
        for t, db, ttl in self.backups:
            if t <= timestamp_to_restore:
                self.db = db
                self.ttl = ttl
                return
