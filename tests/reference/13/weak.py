"""GPU execution model: a weak candidate's solution.

Coalescing works for ordinary warps but nothing is checked, the bank degree
counts lanes rather than words, the transpose is a formula for whole tiles
only, the warp interpreter never charges the branches or the loop checks, the
tasks are left in their given order, and occupancy was never started.
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
MAX_WARPS_PER_SM = 64
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
    def efficiency(self):
        return self.thread_instructions / (32 * self.issued) if self.issued else 0.0


class Occupancy(NamedTuple):
    blocks_per_sm: int
    active_warps: int
    occupancy: float
    limiters: tuple
    limits: dict


def coalesce(addresses, size=4):
    sectors = []
    lines = []
    for a in addresses:
        if a is not None:
            if a // 32 not in sectors:
                sectors.append(a // 32)
            if a // 128 not in lines:
                lines.append(a // 128)
    return (len(sectors), len(lines))


def load_efficiency(addresses, size=4):
    count = 0
    for a in addresses:
        if a is not None:
            count += 1
    sectors = coalesce(addresses, size)[0]
    if sectors == 0:
        return 0.0
    return count * size / (sectors * 32)


def bank_conflict_degree(addresses):
    banks = [0] * 32
    for a in addresses:
        if a is not None:
            banks[(a // 4) % 32] += 1
    return max(banks)


def column_padding(width, rows=32):
    if width % 2 == 1:
        return 0
    return 1


def transpose_traffic(n, pad=1):
    n32 = n * n // 32
    if pad == 0:
        return TransposeTraffic(n32 * 36, n32 * 8, n32 * 33)
    return TransposeTraffic(n32 * 36, n32 * 8, n32 * 2)


def run(program, lanes):
    issued = 0
    work = 0
    div = 0
    for s in program:
        if type(s) == int:
            issued += s
            work += s * len(lanes)
        elif s[0] == "if":
            t = [i for i in lanes if s[1][i] == "T"]
            f = [i for i in lanes if s[1][i] == "F"]
            if t and f:
                div += 1
            a = run(s[2], t)
            issued += a[0]
            work += a[1]
            div += a[2]
            if len(s) > 3:
                b = run(s[3], f)
                issued += b[0]
                work += b[1]
                div += b[2]
        else:
            for trip in range(max(s[1][i] for i in lanes)):
                going = [i for i in lanes if s[1][i] > trip]
                a = run(s[2], going)
                issued += a[0]
                work += a[1]
                div += a[2]
    return issued, work, div


def run_warp(program, lanes=32):
    return WarpRun(*run(program, list(range(lanes))))


def warp_order(trip_counts):
    return list(range(len(trip_counts)))


def occupancy(threads_per_block, registers_per_thread, shared_bytes_per_block):
    raise NotImplementedError


def best_block_size(registers_per_thread, shared_bytes_per_block):
    raise NotImplementedError
