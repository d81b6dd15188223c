"""A killed or interrupted run never leaves wrong or half-written results behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from sim.experiment import run
from sim.output import write_results

from .conftest import DEFAULT, small


def _start(out, *extra):
    return subprocess.Popen(
        [sys.executable, "-m", "sim.cli", "compare", str(DEFAULT), "--replications", "6",
         "--out", str(out), "--quiet", *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


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
