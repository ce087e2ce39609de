"""GPU execution model: an average candidate's solution.

Everything is computed correctly up to level 3, but in long functions that
repeat the same checks, the task order is sorted the wrong way round (the
partial warp gets the longest tasks), and the occupancy calculator forgets the
kilobyte every block reserves.
"""

from typing import NamedTuple

WARP_SIZE = 32
SECTOR_BYTES = 32
LINE_BYTES = 128
ACCESS_SIZES = (4, 8, 16)

NUM_BANKS = 32
BANK_BYTES = 4
TILE = 32

MAX_THREADS_PER_BLOCK = 1024
MAX_THREADS_PER_SM = 2048
MAX_WARPS_PER_SM = MAX_THREADS_PER_SM // WARP_SIZE
MAX_BLOCKS_PER_SM = 32
REGISTERS_PER_SM = 65_536
MAX_REGISTERS_PER_THREAD = 255
REGISTER_UNIT = 8
SHARED_BYTES_PER_SM = 228 * 1024
MAX_SHARED_BYTES_PER_BLOCK = 227 * 1024
SHARED_UNIT = 128
SHARED_RESERVED_PER_BLOCK = 1024
RESOURCES = ("warps", "registers", "shared_memory", "blocks")


class TransposeTraffic(NamedTuple):
    naive_sectors: int
    tiled_sectors: int
    shared_wavefronts: int


class WarpRun(NamedTuple):
    issued: int
    thread_instructions: int
    divergent_branches: int

    @property
    def efficiency(self) -> float:
        return self.thread_instructions / (WARP_SIZE * self.issued) if self.issued else 0.0


class Occupancy(NamedTuple):
    blocks_per_sm: int
    active_warps: int
    occupancy: float
    limiters: tuple
    limits: dict


def coalesce(addresses, size=4):
    if len(addresses) != 32:
        raise ValueError("need 32 addresses")
    if size != 4 and size != 8 and size != 16:
        raise ValueError("bad size")
    sectors = set()
    lines = set()
    for a in addresses:
        if a is None:
            continue
        if a < 0:
            raise ValueError("negative")
        if a % size != 0:
            raise ValueError("misaligned")
        sectors.add(a // 32)
        lines.add(a // 128)
    return (len(sectors), len(lines))


def load_efficiency(addresses, size=4):
    if len(addresses) != 32:
        raise ValueError("need 32 addresses")
    if size != 4 and size != 8 and size != 16:
        raise ValueError("bad size")
    sectors = set()
    seen = set()
    for a in addresses:
        if a is None:
            continue
        if a < 0:
            raise ValueError("negative")
        if a % size != 0:
            raise ValueError("misaligned")
        sectors.add(a // 32)
        seen.add(a)
    if len(sectors) == 0:
        return 0.0
    return len(seen) * size / (len(sectors) * 32)


def bank_conflict_degree(addresses):
    if len(addresses) != 32:
        raise ValueError("need 32 addresses")
    banks = {}
    for a in addresses:
        if a is None:
            continue
        if a < 0 or a % 4 != 0:
            raise ValueError("bad offset")
        word = a // 4
        bank = word % 32
        if bank not in banks:
            banks[bank] = set()
        banks[bank].add(word)
    best = 0
    for bank in banks:
        if len(banks[bank]) > best:
            best = len(banks[bank])
    return best


def column_padding(width, rows=32):
    if width < 1 or rows < 1 or rows > 32:
        raise ValueError("bad tile")
    pad = 0
    while True:
        ok = True
        for c in range(width):
            addrs = []
            for r in range(32):
                if r < rows:
                    addrs.append(4 * (r * (width + pad) + c))
                else:
                    addrs.append(None)
            if bank_conflict_degree(addrs) > 1:
                ok = False
                break
        if ok:
            return pad
        pad += 1


def transpose_traffic(n, pad=1):
    if n < 0 or pad < 0:
        raise ValueError("bad n or pad")
    out = ((4 * n * n + 127) // 128) * 128
    naive = 0
    for r in range(n):
        for c0 in range(0, n, 32):
            loads = []
            stores = []
            for k in range(32):
                if c0 + k < n:
                    loads.append(4 * (r * n + c0 + k))
                    stores.append(out + 4 * ((c0 + k) * n + r))
                else:
                    loads.append(None)
                    stores.append(None)
            naive += coalesce(loads)[0] + coalesce(stores)[0]
    tiled = 0
    waves = 0
    for R in range(0, n, 32):
        for C in range(0, n, 32):
            for j in range(32):
                if R + j >= n:
                    continue
                loads = []
                writes = []
                for k in range(32):
                    if C + k < n:
                        loads.append(4 * ((R + j) * n + C + k))
                        writes.append(4 * (j * (32 + pad) + k))
                    else:
                        loads.append(None)
                        writes.append(None)
                tiled += coalesce(loads)[0]
                waves += bank_conflict_degree(writes)
            for j in range(32):
                if C + j >= n:
                    continue
                reads = []
                stores = []
                for k in range(32):
                    if R + k < n:
                        reads.append(4 * (k * (32 + pad) + j))
                        stores.append(out + 4 * ((C + j) * n + R + k))
                    else:
                        reads.append(None)
                        stores.append(None)
                waves += bank_conflict_degree(reads)
                tiled += coalesce(stores)[0]
    return TransposeTraffic(naive, tiled, waves)


def check(program):
    for s in program:
        if isinstance(s, int):
            if s < 0:
                raise ValueError("negative count")
        elif isinstance(s, tuple) and len(s) > 0 and s[0] == "if":
            if len(s) < 3 or len(s) > 4:
                raise ValueError("bad if")
            if len(s[1]) != 32:
                raise ValueError("bad cond")
            for ch in s[1]:
                if ch != "T" and ch != "F":
                    raise ValueError("bad cond")
            check(s[2])
            if len(s) == 4:
                check(s[3])
        elif isinstance(s, tuple) and len(s) == 3 and s[0] == "loop":
            if len(s[1]) != 32:
                raise ValueError("bad counts")
            for c in s[1]:
                if not isinstance(c, int) or c < 0:
                    raise ValueError("bad counts")
            check(s[2])
        else:
            raise ValueError("bad statement")


def run(program, active, stats):
    if len(active) == 0:
        return
    for s in program:
        if isinstance(s, int):
            stats[0] += s
            stats[1] += s * len(active)
        elif s[0] == "if":
            stats[0] += 1
            stats[1] += len(active)
            t = [lane for lane in active if s[1][lane] == "T"]
            f = [lane for lane in active if s[1][lane] == "F"]
            if len(t) > 0 and len(f) > 0:
                stats[2] += 1
            run(s[2], t, stats)
            if len(s) == 4:
                run(s[3], f, stats)
        else:
            trip = 0
            live = list(active)
            while len(live) > 0:
                stats[0] += 1
                stats[1] += len(live)
                going = [lane for lane in live if s[1][lane] > trip]
                if len(going) > 0 and len(going) < len(live):
                    stats[2] += 1
                run(s[2], going, stats)
                live = going
                trip += 1


def run_warp(program, lanes=32):
    if lanes < 1 or lanes > 32:
        raise ValueError("bad lanes")
    check(program)
    stats = [0, 0, 0]
    run(program, list(range(lanes)), stats)
    return WarpRun(stats[0], stats[1], stats[2])


def warp_order(trip_counts):
    return sorted(range(len(trip_counts)), key=lambda t: trip_counts[t])


def occupancy(threads_per_block, registers_per_thread, shared_bytes_per_block):
    if threads_per_block < 1 or threads_per_block > 1024:
        raise ValueError("threads_per_block out of range")
    if registers_per_thread < 1 or registers_per_thread > 255:
        raise ValueError("registers_per_thread out of range")
    if shared_bytes_per_block < 0 or shared_bytes_per_block > 232448:
        raise ValueError("shared_bytes_per_block out of range")
    warps = (threads_per_block + 31) // 32
    regs = ((registers_per_thread + 7) // 8) * 8
    warps_by_regs = 65536 // (regs * 32)
    shared = ((shared_bytes_per_block + 127) // 128) * 128
    limits = {}
    limits["warps"] = 64 // warps
    limits["registers"] = warps_by_regs // warps
    if shared == 0:
        limits["shared_memory"] = 32
    else:
        limits["shared_memory"] = 233472 // shared
    limits["blocks"] = 32
    blocks = min(limits.values())
    limiters = []
    for name in ("warps", "registers", "shared_memory", "blocks"):
        if limits[name] == blocks:
            limiters.append(name)
    return Occupancy(blocks, blocks * warps, blocks * warps / 64, tuple(limiters), limits)


def best_block_size(registers_per_thread, shared_bytes_per_block):
    best = 32
    best_warps = -1
    for size in range(32, 1025, 32):
        result = occupancy(size, registers_per_thread, shared_bytes_per_block)
        if result.active_warps >= best_warps:
            best = size
            best_warps = result.active_warps
    return best
