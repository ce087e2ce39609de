"""The bank, take-home, schemas and templates work from an installed wheel."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

from .conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(out), str(ROOT)], check=True, capture_output=True)
    [built] = out.glob("interviewer-*.whl")
    return built


def test_wheel_carries_the_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "interviewer/_bank/questions/01-in-memory-database/script.yaml" in names
    assert "interviewer/_bank/questions/01-in-memory-database/_tests/test_level1.py" in names
    assert "interviewer/_bank/takehome/problem.py" in names
    assert "interviewer/_bank/behavioral/perf-debugging.yaml" in names
    assert "interviewer/schemas/behavioral.schema.json" in names
    assert "interviewer/data/star_cues.yaml" in names
    assert "interviewer/schemas/script.schema.json" in names
    assert "interviewer/templates/report.html" in names
    assert "interviewer/data/voice.yaml" in names
    assert "interviewer/schemas/voice.schema.json" in names


def test_bank_loads_from_the_unpacked_wheel(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = ("import interviewer, interviewer._paths as p; b = interviewer.load_bank(); "
            "print(len(b), b.problems, p.bank_root())")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=tmp_path, env={"PYTHONPATH": str(site), "PATH": "/usr/bin"})
    assert result.returncode == 0, result.stderr
    count, problems, root = result.stdout.split(" ", 2)
    assert int(count) >= 1 and problems == "[]"
    assert root.strip().startswith(str(site))


def test_the_interviewer_speaks_from_the_unpacked_wheel(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = ("import interviewer._voice as v; print(v.VOICE_FILE); "
            "print(v.line('greeting', 1, 1, title='Word Counter')); "
            "print(v.render('time-left', 0, time_left='0s', time_box='45m'))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=tmp_path, env={"PYTHONPATH": str(site), "PATH": "/usr/bin"})
    assert result.returncode == 0, result.stderr
    path, greeting, time_up = result.stdout.splitlines()
    assert path.startswith(str(site)) and "Word Counter" in greeting and "45m" in time_up


def test_behavioural_bank_loads_from_the_unpacked_wheel(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = ("from interviewer._behavioral_bank import load_behavioral_bank; "
            "b = load_behavioral_bank(); print(len(b), b.problems, b.root)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=tmp_path, env={"PYTHONPATH": str(site), "PATH": "/usr/bin"})
    assert result.returncode == 0, result.stderr
    count, problems, root = result.stdout.split(" ", 2)
    assert int(count) >= 5 and problems == "[]"
    assert root.strip().startswith(str(site))
