"""A killed or interrupted run never leaves wrong or half-written results behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from sim import load_scenario
from sim.report.folder import write_results
from sim.study.experiment import run

from tests.helpers import DEFAULT, interruptible, small


def _start(out, *extra):
    return subprocess.Popen(
        [sys.executable, "-m", "sim.cli", "compare", str(DEFAULT), "--replications", "6",
         "--out", str(out), "--quiet", *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=interruptible)


def _wait_until_simulating(proc, seconds=4.0):
    time.sleep(seconds)
    assert proc.poll() is None, proc.communicate()


def test_sigint_exits_130_with_one_line_and_writes_nothing(tmp_path):
    out = tmp_path / "out"
    proc = _start(out)
    _wait_until_simulating(proc)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("interrupted: no results were written")
    assert "Traceback" not in stdout + stderr
    # Nothing at the output location; finished replications may wait beside it.
    assert not out.exists()
    assert {p.name for p in tmp_path.iterdir()} <= {"out.partial"}


def test_sigkill_leaves_nothing_at_the_output_location(tmp_path):
    out = tmp_path / "out"
    proc = _start(out)
    _wait_until_simulating(proc)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=60)
    assert not out.exists()
    # Worker processes die with their parent's pool; give them a moment.
    time.sleep(1.0)
    assert {p.name for p in tmp_path.iterdir() if not p.name.startswith(".")} <= {"out.partial"}


def test_a_failure_while_writing_leaves_no_folder_and_no_temporary(tmp_path, monkeypatch):
    results = run(small(), replications=1, workers=1)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("sim.report.charts.standard_charts", broken)
    with pytest.raises(RuntimeError):
        write_results(results, tmp_path / "out")
    assert list(tmp_path.iterdir()) == []


def _living(root: int) -> dict[int, str]:
    """Descendants of process ``root`` that are alive (not zombies), by pid with their
    start time, read from /proc so that a reused pid is not taken for the same process."""
    children: dict[int, list[int]] = {}
    start: dict[int, str] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            state, ppid, *rest = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # ended while being read
        if state not in "ZX":
            pid = int(stat.parent.name)
            children.setdefault(int(ppid), []).append(pid)
            start[pid] = rest[17]  # field 22, starttime
    found, todo = {}, [root]
    while todo:
        for pid in children.get(todo.pop(), []):
            found[pid] = start[pid]
            todo.append(pid)
    return found


def _alive(pid: int, started: str) -> bool:
    try:
        state, *rest = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return False
    return state not in "ZX" and rest[18] == started


@pytest.mark.skipif(not sys.platform.startswith("linux"),
                    reason="workers die with a killed parent on Linux (prctl)")
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["sigint", "sigkill"])
def test_workers_die_with_their_parent(tmp_path, sig):
    """Interrupted, the command stops its workers at once (not after the replications
    they are computing); killed outright, its workers die with it. A replication here
    takes tens of seconds, so a worker that outlived its parent would still be found."""
    scenario = tmp_path / "long.yaml"
    long = load_scenario(DEFAULT).with_overrides({"experiment.horizon_years": 10})
    scenario.write_text(yaml.safe_dump(long.model_dump(mode="json")))
    proc = subprocess.Popen(
        [sys.executable, "-m", "sim.cli", "compare", str(scenario), "--replications", "4",
         "--executor", "processes", "--workers", "2", "--out", str(tmp_path / "out"),
         "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=interruptible)
    workers: dict[int, str] = {}
    try:
        deadline = time.monotonic() + 60
        while len(workers) < 2 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
            workers = _living(proc.pid)
        assert len(workers) >= 2, (workers, proc.poll())
        time.sleep(1.0)  # the workers are inside their first replication
        assert proc.poll() is None and all(_alive(p, s) for p, s in workers.items())
        proc.send_signal(sig)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and (
                proc.poll() is None or any(_alive(p, s) for p, s in workers.items())):
            time.sleep(0.1)
        assert proc.poll() is not None, "the command did not stop within 10 s"
        assert [p for p, s in workers.items() if _alive(p, s)] == []
        if sig == signal.SIGINT:
            assert proc.returncode == 130
    finally:
        if proc.poll() is None:
            proc.kill()
        for pid, started in workers.items():
            if _alive(pid, started):
                os.kill(pid, signal.SIGKILL)
        proc.communicate(timeout=60)
