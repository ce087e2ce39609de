"""What bounds a kernel: engine utilisation, a resource lower bound and the critical path.

For each engine, the slots a run used divided by the slots per cycle (rounded
up) is the fewest cycles that engine alone needs; the largest of these is the
resource bound. The critical path (see dependences) bounds the cycles from
the other side. No schedule of the same slots can beat the larger of the two.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .profiling import ENGINES, Profile, profile_workspace
from .reference import SLOT_LIMITS, cdiv

CRITICAL_PATH_NOTE = (
    "critical path: read-after-write chains through scratch and memory along the executed "
    "path, one cycle per slot; control dependences (waiting for a jump) and "
    "write-after-read/write conflicts are ignored"
)


@dataclass(frozen=True)
class EngineUse:
    """How one engine was used over a run."""

    engine: str
    slots_used: int
    slots_per_cycle: int
    utilisation: float  # slots used / (slots per cycle * cycles)
    bound_cycles: int  # ceil(slots used / slots per cycle)


@dataclass(frozen=True)
class Analysis:
    """The diagnosis of one run."""

    cycles: int
    correct: bool
    bundles_executed: int
    engines: list[EngineUse]
    busiest_engine: str
    resource_bound: int
    resource_bound_engine: str
    critical_path: int
    lower_bound: int
    limited_by: str  # the engine of the resource bound, or "dependences"
    note: str = CRITICAL_PATH_NOTE

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary."""
        return asdict(self)


def engine_uses(slots_used: dict[str, int], cycles: int) -> list[EngineUse]:
    """Utilisation and per-engine bound for each engine, in a fixed order."""
    uses = []
    for engine in ENGINES:
        used = slots_used.get(engine, 0)
        limit = SLOT_LIMITS[engine]
        utilisation = used / (limit * cycles) if cycles else 0.0
        uses.append(EngineUse(engine, used, limit, utilisation, cdiv(used, limit)))
    return uses


def analyze_profile(profile: Profile) -> Analysis:
    """Turn a recorded run into bounds and utilisation figures."""
    uses = engine_uses(profile.slots_used, profile.cycles)
    busiest = max(uses, key=lambda use: use.utilisation)
    bounding = max(uses, key=lambda use: use.bound_cycles)
    lower_bound = max(bounding.bound_cycles, profile.critical_path)
    limited_by = (
        bounding.engine if bounding.bound_cycles >= profile.critical_path else "dependences"
    )
    return Analysis(
        cycles=profile.cycles,
        correct=profile.correct,
        bundles_executed=len(profile.executed),
        engines=uses,
        busiest_engine=busiest.engine,
        resource_bound=bounding.bound_cycles,
        resource_bound_engine=bounding.engine,
        critical_path=profile.critical_path,
        lower_bound=lower_bound,
        limited_by=limited_by,
    )


def analyze_workspace(
    workspace: Path,
    forest_height: int = 10,
    rounds: int = 16,
    batch_size: int = 256,
    seed: int | None = 123,
) -> Analysis:
    """Build, run and diagnose the kernel of a workspace."""
    return analyze_profile(profile_workspace(workspace, forest_height, rounds, batch_size, seed))
