"""One slot of a bundle turned into a Python closure over its operands.

The fast machine decodes each slot once into a closure that reads and writes
the scratch pad (``s``) and memory (``m``) directly, so running a program is a
loop of plain calls: no dictionary lookups and no dispatch on op names.

Every closure relies on one invariant that the fast machine checks before it
runs: all words in scratch and memory are ints in ``[0, 2**32)``. Under it,
ops such as ``^`` or ``>>`` cannot leave the word range and need no mask,
while ``+ - * <<`` and ``multiply_add`` are masked exactly as the reference
reduces them.

A slot whose operands are not plain ints, whose scratch addresses fall outside
the pad or whose op is unknown raises :class:`NotCompilable`; the decoder then
leaves the whole bundle to the reference interpreter, which raises the same
error the public machine would, at the moment the bundle executes.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from operator import add, and_, eq, floordiv, lshift, lt, mod, mul, or_, rshift, sub, xor
from typing import Any, NamedTuple

MASK = 0xFFFFFFFF
VLEN = 8
_mask = MASK.__and__  # C-level "x & MASK", usable with map()

SlotRun = Callable[[list[int], list[int], Any], Any]
"""A closure called as run(scratch, memory, core); control slots return a ControlResult."""

JUMP_TO = 0
JUMP_BY = 1
HALT = 2
PAUSE = 3
ControlResult = tuple[int, int]
"""(JUMP_TO, pc) | (JUMP_BY, offset from the next pc) | (HALT, 0) | (PAUSE, 0)."""

HALT_RESULT: ControlResult = (HALT, 0)
PAUSE_RESULT: ControlResult = (PAUSE, 0)


class NotCompilable(Exception):
    """The slot is invalid or unusual; its bundle must run in the reference interpreter."""


class SlotCode(NamedTuple):
    """A decoded slot: the closure, and what it touches (for ordering slots in a bundle)."""

    run: SlotRun | None  # None: the slot does nothing (pause when pausing is off)
    reads: frozenset[int]
    writes: frozenset[int]
    reads_memory: bool = False
    writes_memory: bool = False
    is_control: bool = False


@cache
def lanes(base: int) -> frozenset[int]:
    """The VLEN scratch words of a vector starting at base (cached: vectors recur)."""
    return frozenset(range(base, base + VLEN))


# ---------------------------------------------------------------------------
# alu: (op, dest, a, b)
# ---------------------------------------------------------------------------


def _alu_add(d: int, a: int, b: int) -> SlotRun:
    def run(s: list[int], m: list[int], c: Any) -> None:
        s[d] = (s[a] + s[b]) & MASK

    return run


def _alu_sub(d: int, a: int, b: int) -> SlotRun:
    def run(s: list[int], m: list[int], c: Any) -> None:
        s[d] = (s[a] - s[b]) & MASK

    return run


def _alu_mul(d: int, a: int, b: int) -> SlotRun:
    def run(s: list[int], m: list[int], c: Any) -> None:
        s[d] = (s[a] * s[b]) & MASK

    return run


def _alu_floordiv(d: int, a: int, b: int) -> SlotRun:
    def run(s: list[int], m: list[int], c: Any) -> None:
        s[d] = s[a] // s[b]

    return run


def _alu_cdiv(d: int, a: int, b: int) -> SlotRun:
    def run(s: list[int], m: list[int], c: Any) -> None:
        y = s[b]
        s[d] = (s[a] + y - 1) // y

    return run


def _alu_xor(d: int, a: int, b: int) -> SlotRun:
    def run(s: list[int], m: list[int], c: Any) -> None:
        s[d] = s[a] ^ s[b]

    return run


def _alu_and(d: int, a: int, b: int) -> SlotRun:
    def run(s: list[int], m: list[int], c: Any) -> None:
        s[d] = s[a] & s[b]

    return run


def _alu_or(d: int, a: int, b: int) -> SlotRun:
    def run(s: list[int], m: list[int], c: Any) -> None:
        s[d] = s[a] | s[b]

    return run


def _alu_shl(d: int, a: int, b: int) -> SlotRun:
    def run(s: list[int], m: list[int], c: Any) -> None:
        y = s[b]
        s[d] = (s[a] << y) & MASK if y < 32 else 0  # never build a huge int

    return run


def _alu_shr(d: int, a: int, b: int) -> SlotRun:
    def run(s: list[int], m: list[int], c: Any) -> None:
        s[d] = s[a] >> s[b]

    return run


def _alu_mod(d: int, a: int, b: int) -> SlotRun:
    def run(s: list[int], m: list[int], c: Any) -> None:
        s[d] = s[a] % s[b]

    return run


def _alu_lt(d: int, a: int, b: int) -> SlotRun:
    def run(s: list[int], m: list[int], c: Any) -> None:
        s[d] = 1 if s[a] < s[b] else 0

    return run


def _alu_eq(d: int, a: int, b: int) -> SlotRun:
    def run(s: list[int], m: list[int], c: Any) -> None:
        s[d] = 1 if s[a] == s[b] else 0

    return run


ALU_FACTORIES: dict[str, Callable[[int, int, int], SlotRun]] = {
    "+": _alu_add,
    "-": _alu_sub,
    "*": _alu_mul,
    "//": _alu_floordiv,
    "cdiv": _alu_cdiv,
    "^": _alu_xor,
    "&": _alu_and,
    "|": _alu_or,
    "<<": _alu_shl,
    ">>": _alu_shr,
    "%": _alu_mod,
    "<": _alu_lt,
    "==": _alu_eq,
}


def alu_slot(op: str, d: int, a: int, b: int) -> SlotCode:
    """A scalar alu slot."""
    if op not in ALU_FACTORIES:
        raise NotCompilable(f"unknown alu op {op!r}")
    return SlotCode(ALU_FACTORIES[op](d, a, b), frozenset((a, b)), frozenset((d,)))


# ---------------------------------------------------------------------------
# valu: lane-wise ops on VLEN consecutive words
# ---------------------------------------------------------------------------


def _valu_plain(fn: Callable[[int, int], int]) -> Callable[[int, int, int], SlotRun]:
    """Lane-wise op whose result stays a word without masking (^ & | >> // %)."""

    def factory(d: int, a: int, b: int) -> SlotRun:
        de, ae, be = d + VLEN, a + VLEN, b + VLEN

        def run(s: list[int], m: list[int], c: Any) -> None:
            s[d:de] = list(map(fn, s[a:ae], s[b:be]))

        return run

    return factory


def _valu_masked(fn: Callable[[int, int], int]) -> Callable[[int, int, int], SlotRun]:
    """Lane-wise op that can leave the word range (+ - *), reduced afterwards."""

    def factory(d: int, a: int, b: int) -> SlotRun:
        de, ae, be = d + VLEN, a + VLEN, b + VLEN

        def run(s: list[int], m: list[int], c: Any) -> None:
            s[d:de] = list(map(_mask, map(fn, s[a:ae], s[b:be])))

        return run

    return factory


def _valu_compare(fn: Callable[[int, int], bool]) -> Callable[[int, int, int], SlotRun]:
    """Lane-wise comparison giving 1 or 0 (ints, not bools)."""

    def factory(d: int, a: int, b: int) -> SlotRun:
        de, ae, be = d + VLEN, a + VLEN, b + VLEN

        def run(s: list[int], m: list[int], c: Any) -> None:
            s[d:de] = list(map(int, map(fn, s[a:ae], s[b:be])))

        return run

    return factory


def _valu_shl(d: int, a: int, b: int) -> SlotRun:
    de, ae, be = d + VLEN, a + VLEN, b + VLEN

    def run(s: list[int], m: list[int], c: Any) -> None:
        counts = s[b:be]
        if max(counts) < 32:
            s[d:de] = list(map(_mask, map(lshift, s[a:ae], counts)))
        else:
            pairs = zip(s[a:ae], counts, strict=True)
            s[d:de] = [(x << y) & MASK if y < 32 else 0 for x, y in pairs]

    return run


def _valu_cdiv(d: int, a: int, b: int) -> SlotRun:
    de, ae, be = d + VLEN, a + VLEN, b + VLEN

    def run(s: list[int], m: list[int], c: Any) -> None:
        s[d:de] = [(x + y - 1) // y for x, y in zip(s[a:ae], s[b:be], strict=True)]

    return run


VALU_FACTORIES: dict[str, Callable[[int, int, int], SlotRun]] = {
    "+": _valu_masked(add),
    "-": _valu_masked(sub),
    "*": _valu_masked(mul),
    "//": _valu_plain(floordiv),
    "cdiv": _valu_cdiv,
    "^": _valu_plain(xor),
    "&": _valu_plain(and_),
    "|": _valu_plain(or_),
    "<<": _valu_shl,
    ">>": _valu_plain(rshift),
    "%": _valu_plain(mod),
    "<": _valu_compare(lt),
    "==": _valu_compare(eq),
}


def _vbroadcast(d: int, src: int) -> SlotRun:
    de = d + VLEN

    def run(s: list[int], m: list[int], c: Any) -> None:
        s[d:de] = [s[src]] * VLEN

    return run


def _multiply_add(d: int, a: int, b: int, x: int) -> SlotRun:
    de, ae, be, xe = d + VLEN, a + VLEN, b + VLEN, x + VLEN

    def run(s: list[int], m: list[int], c: Any) -> None:
        s[d:de] = list(map(_mask, map(add, map(mul, s[a:ae], s[b:be]), s[x:xe])))

    return run


def valu_slot(op: str, *operands: int) -> SlotCode:
    """A vector slot: vbroadcast, multiply_add, or any alu op lane-wise."""
    if op == "vbroadcast":
        d, src = operands
        return SlotCode(_vbroadcast(d, src), frozenset((src,)), lanes(d))
    if op == "multiply_add":
        d, a, b, x = operands
        return SlotCode(_multiply_add(d, a, b, x), lanes(a) | lanes(b) | lanes(x), lanes(d))
    if op not in VALU_FACTORIES:
        raise NotCompilable(f"unknown valu op {op!r}")
    d, a, b = operands
    return SlotCode(VALU_FACTORIES[op](d, a, b), lanes(a) | lanes(b), lanes(d))


# ---------------------------------------------------------------------------
# load and store
# ---------------------------------------------------------------------------


def _load(d: int, addr: int) -> SlotRun:
    def run(s: list[int], m: list[int], c: Any) -> None:
        s[d] = m[s[addr]]

    return run


def _vload(d: int, addr: int) -> SlotRun:
    de = d + VLEN

    def run(s: list[int], m: list[int], c: Any) -> None:
        x = s[addr]
        words = m[x : x + VLEN]
        if len(words) != VLEN:  # past the end: index lane by lane, as the reference does
            words = [m[x + i] for i in range(VLEN)]
        s[d:de] = words

    return run


def _const(d: int, value: int) -> SlotRun:
    word = value & MASK

    def run(s: list[int], m: list[int], c: Any) -> None:
        s[d] = word

    return run


def load_slot(op: str, *operands: int) -> SlotCode:
    """load, load_offset, vload and const."""
    if op == "load":
        d, addr = operands
        return SlotCode(_load(d, addr), frozenset((addr,)), frozenset((d,)), reads_memory=True)
    if op == "load_offset":
        d, addr, offset = operands
        return SlotCode(
            _load(d + offset, addr + offset),
            frozenset((addr + offset,)),
            frozenset((d + offset,)),
            reads_memory=True,
        )
    if op == "vload":
        d, addr = operands
        return SlotCode(_vload(d, addr), frozenset((addr,)), lanes(d), reads_memory=True)
    if op == "const":
        d, value = operands
        return SlotCode(_const(d, value), frozenset(), frozenset((d,)))
    raise NotCompilable(f"unknown load op {op!r}")


def _store(addr: int, src: int) -> SlotRun:
    def run(s: list[int], m: list[int], c: Any) -> None:
        m[s[addr]] = s[src]

    return run


def _vstore(addr: int, src: int) -> SlotRun:
    se = src + VLEN

    def run(s: list[int], m: list[int], c: Any) -> None:
        x = s[addr]
        if 0 <= x <= len(m) - VLEN:
            m[x : x + VLEN] = s[src:se]
        else:  # past the end: write lane by lane so the error comes where the reference's does
            for i in range(VLEN):
                m[x + i] = s[src + i]

    return run


def store_slot(op: str, *operands: int) -> SlotCode:
    """store and vstore."""
    if op == "store":
        addr, src = operands
        return SlotCode(_store(addr, src), frozenset((addr, src)), frozenset(), writes_memory=True)
    if op == "vstore":
        addr, src = operands
        return SlotCode(
            _vstore(addr, src), frozenset((addr,)) | lanes(src), frozenset(), writes_memory=True
        )
    raise NotCompilable(f"unknown store op {op!r}")


# ---------------------------------------------------------------------------
# flow
# ---------------------------------------------------------------------------


def _select(d: int, cond: int, a: int, b: int) -> SlotRun:
    def run(s: list[int], m: list[int], c: Any) -> None:
        s[d] = s[a] if s[cond] != 0 else s[b]

    return run


def _vselect(d: int, cond: int, a: int, b: int) -> SlotRun:
    de, ce, ae, be = d + VLEN, cond + VLEN, a + VLEN, b + VLEN

    def run(s: list[int], m: list[int], c: Any) -> None:
        s[d:de] = [x if k != 0 else y for k, x, y in zip(s[cond:ce], s[a:ae], s[b:be], strict=True)]

    return run


def _add_imm(d: int, a: int, imm: int) -> SlotRun:
    def run(s: list[int], m: list[int], c: Any) -> None:
        s[d] = (s[a] + imm) & MASK

    return run


def _trace_write(val: int) -> SlotRun:
    def run(s: list[int], m: list[int], c: Any) -> None:
        c.trace_buf.append(s[val])

    return run


def _coreid(d: int) -> SlotRun:
    def run(s: list[int], m: list[int], c: Any) -> None:
        s[d] = c.id

    return run


def _cond_jump(cond: int, target: int) -> SlotRun:
    taken = (JUMP_TO, target)

    def run(s: list[int], m: list[int], c: Any) -> ControlResult | None:
        return taken if s[cond] != 0 else None

    return run


def _cond_jump_rel(cond: int, offset: int) -> SlotRun:
    taken = (JUMP_BY, offset)

    def run(s: list[int], m: list[int], c: Any) -> ControlResult | None:
        return taken if s[cond] != 0 else None

    return run


def _jump(target: int) -> SlotRun:
    taken = (JUMP_TO, target)

    def run(s: list[int], m: list[int], c: Any) -> ControlResult:
        return taken

    return run


def _jump_indirect(addr: int) -> SlotRun:
    def run(s: list[int], m: list[int], c: Any) -> ControlResult:
        return (JUMP_TO, s[addr])

    return run


def _constant_result(result: ControlResult) -> SlotRun:
    def run(s: list[int], m: list[int], c: Any) -> ControlResult:
        return result

    return run


def flow_slot(op: str, *operands: int, enable_pause: bool) -> SlotCode:
    """Selects, immediates, trace writes and control transfers."""
    none: frozenset[int] = frozenset()
    if op == "select":
        d, cond, a, b = operands
        return SlotCode(_select(d, cond, a, b), frozenset((cond, a, b)), frozenset((d,)))
    if op == "vselect":
        d, cond, a, b = operands
        return SlotCode(_vselect(d, cond, a, b), lanes(cond) | lanes(a) | lanes(b), lanes(d))
    if op == "add_imm":
        d, a, imm = operands
        return SlotCode(_add_imm(d, a, imm), frozenset((a,)), frozenset((d,)))
    if op == "trace_write":
        (val,) = operands
        return SlotCode(_trace_write(val), frozenset((val,)), none)
    if op == "coreid":
        (d,) = operands
        return SlotCode(_coreid(d), none, frozenset((d,)))
    if op == "cond_jump":
        cond, target = operands
        return SlotCode(_cond_jump(cond, target), frozenset((cond,)), none, is_control=True)
    if op == "cond_jump_rel":
        cond, offset = operands
        return SlotCode(_cond_jump_rel(cond, offset), frozenset((cond,)), none, is_control=True)
    if op == "jump":
        (target,) = operands
        return SlotCode(_jump(target), none, none, is_control=True)
    if op == "jump_indirect":
        (addr,) = operands
        return SlotCode(_jump_indirect(addr), frozenset((addr,)), none, is_control=True)
    if op == "halt" and not operands:
        return SlotCode(_constant_result(HALT_RESULT), none, none, is_control=True)
    if op == "pause" and not operands:
        if not enable_pause:
            return SlotCode(None, none, none)
        return SlotCode(_constant_result(PAUSE_RESULT), none, none, is_control=True)
    raise NotCompilable(f"unknown or malformed flow op {op!r}")


# ---------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------


def decode_slot(engine: str, slot: Any, *, scratch_size: int, enable_pause: bool) -> SlotCode:
    """Decode one slot, or raise NotCompilable if only the reference may run it."""
    if not isinstance(slot, tuple | list) or not slot or not isinstance(slot[0], str):
        raise NotCompilable(f"malformed slot {slot!r}")
    op, operands = slot[0], tuple(slot[1:])
    if any(type(x) is not int for x in operands):
        raise NotCompilable(f"operands of {slot!r} are not plain ints")
    try:
        if engine == "alu":
            code = alu_slot(op, *operands)
        elif engine == "valu":
            code = valu_slot(op, *operands)
        elif engine == "load":
            code = load_slot(op, *operands)
        elif engine == "store":
            code = store_slot(op, *operands)
        elif engine == "flow":
            code = flow_slot(op, *operands, enable_pause=enable_pause)
        else:
            raise NotCompilable(f"unknown engine {engine!r}")
    except (TypeError, ValueError) as error:  # wrong number of operands
        raise NotCompilable(f"malformed slot {slot!r}") from error
    touched = code.reads | code.writes
    if touched and (min(touched) < 0 or max(touched) >= scratch_size):
        raise NotCompilable(f"slot {slot!r} reaches outside the scratch pad")
    return code
