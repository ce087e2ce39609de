"""analyze and trace: utilisation, bounds, critical path, Chrome trace and HTML viewer."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from interviewer.takehome import analyze_workspace
from interviewer.takehome.analysis import analyze_profile
from interviewer.takehome.cli import main
from interviewer.takehome.profiling import profile_program

from .support import TAKEHOME, VECTOR_KERNEL, make_workspace

SMALL = ["--height", "4", "--rounds", "3", "--batch", "16"]


def test_analysis_of_the_starter() -> None:
    analysis = analyze_workspace(TAKEHOME, forest_height=4, rounds=3, batch_size=16)
    assert analysis.correct and analysis.cycles == 1768
    uses = {use.engine: use for use in analysis.engines}
    assert uses["alu"].slots_used == 48 * 29 and uses["alu"].bound_cycles == 116
    assert uses["flow"].bound_cycles == 98 and uses["load"].bound_cycles == 91
    assert uses["alu"].utilisation == pytest.approx(48 * 29 / (12 * 1768))
    assert analysis.resource_bound == 116 and analysis.resource_bound_engine == "alu"
    assert analysis.busiest_engine == "alu"  # 1392 / (12 * 1768) beats 98 / 1768 for flow
    # Per round one walker chains 24 slots: address, load idx, address, load node, xor,
    # 6 hash stages of 2 steps, %, ==, select, +, <, select, store; the next round's load
    # of idx waits for that store through memory.
    assert analysis.critical_path == 3 * 24
    assert analysis.lower_bound == max(analysis.resource_bound, analysis.critical_path)


def test_critical_path_follows_memory_and_ignores_independent_work() -> None:
    chain = [{"load": [("const", 1, 3), ("const", 2, 5)]},      # depth 1
             {"alu": [("+", 3, 1, 2)]},                           # depth 2
             {"store": [("store", 1, 3)]},                        # depth 3: mem[3]
             {"load": [("const", 9, 0)]},                         # independent
             {"load": [("load", 4, 1)]},                          # depth 4: reads mem[3]
             {"alu": [("*", 5, 4, 4)] + [("+", 10 + k, 9, 9) for k in range(11)]}]  # depth 5
    profile = profile_program(chain, None, forest_height=0, rounds=0, batch_size=1)
    analysis = analyze_profile(profile)
    assert analysis.critical_path == 5
    assert analysis.cycles == 6 and analysis.limited_by == "dependences"


def test_analysis_of_a_vectorised_kernel_finds_the_load_bound(tmp_path: Path) -> None:
    analysis = analyze_workspace(make_workspace(tmp_path, VECTOR_KERNEL), 10, 16, 256)
    assert analysis.correct and analysis.limited_by == "load"
    assert analysis.resource_bound <= analysis.cycles < 1.2 * analysis.resource_bound


def test_analyze_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", str(TAKEHOME), *SMALL]) == 0
    out = capsys.readouterr().out
    assert "alu" in out and "resource lower bound: 116" in out and "critical path: 72" in out
    assert main(["analyze", str(TAKEHOME), *SMALL, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["cycles"] == 1768


def test_analyze_without_a_kernel_fails_cleanly(tmp_path: Path) -> None:
    assert main(["analyze", str(tmp_path)]) == 2


def test_trace_command_writes_chrome_trace_and_viewer(tmp_path: Path) -> None:
    assert main(["trace", str(TAKEHOME), *SMALL, "--out", str(tmp_path)]) == 0
    events = json.loads((tmp_path / "trace.json").read_text())["traceEvents"]
    tracks = {e["args"]["name"] for e in events if e["ph"] == "M"}
    assert {"alu-0", "alu-11", "valu-0", "load-1", "store-0", "flow-0"} <= tracks
    slots = [e for e in events if e["ph"] == "X"]
    assert len(slots) == 1392 + 182 + 96 + 98
    assert sorted({e["ts"] for e in slots}) == list(range(1768))
    page = (tmp_path / "trace.html").read_text()
    assert "<canvas" in page and "http" not in page.replace("http-equiv", "")
    data = json.loads(re.search(r'id="trace-data">(.*?)</script>', page, re.S).group(1))
    assert data["cycles"] == 1768 and len(data["pc"]) == 1768 and len(data["use"]) == 5 * 1768
