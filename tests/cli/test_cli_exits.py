"""Exit codes of ``salesim compare`` that the README promises, through the real command.

Exit 2 (an option that cannot be honoured) names the option, the value and what is
allowed, and writes nothing anywhere: the tests run in an empty folder, with it as the
working directory, and compare its whole content before and after. Exit 1 (a
replication that fails) reports the replication and its seed and still writes the
others.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import yaml

import sim
from sim import load_scenario

from tests.helpers import salesim, small

PAIR = "classic,ticket_pool"

# The command with replication 1 made to fail: nothing outside the code can break one
# replication alone, so the entry point is wrapped.
FAIL_REPLICATION_1 = """
import sim.study.experiment as experiment
from sim.cli import main

real = experiment._run_task

def flaky(task):
    if task[3] == 1:
        raise RuntimeError("boom in replication 1")
    return real(task)

experiment._run_task = flaky
main()
"""


def tree(folder: Path) -> dict[str, bytes | None]:
    """Every path under ``folder`` with its content (None for a folder)."""
    return {str(p.relative_to(folder)): None if p.is_dir() else p.read_bytes()
            for p in sorted(folder.rglob("*"))}


@pytest.fixture
def work(tmp_path) -> Path:
    """An empty working folder holding only a tiny scenario."""
    (tmp_path / "tiny.yaml").write_text(yaml.safe_dump(small().model_dump(mode="json")))
    return tmp_path


def staged(work: Path, name: str, seed: int) -> Path:
    """``NAME.partial`` as an interrupted ``compare tiny.yaml --structures PAIR`` with
    ``seed`` leaves it: its study marker and one finished replication."""
    staging = work / f"{name}.partial"
    sim.compare(load_scenario(work / "tiny.yaml"), PAIR.split(","), replications=1,
                seed=seed, executor="serial", staging=staging)
    assert (staging / "replication-00000-managers.parquet").exists()
    return staging


def refused(work: Path, *args, expect: list[str]) -> None:
    """The command exits 2 with every fragment of ``expect`` in its message, no
    traceback, and the working folder exactly as it was."""
    before = tree(work)
    r = salesim("compare", "tiny.yaml", "--structures", PAIR, "--replications", 1,
                "--executor", "serial", "--quiet", *args, cwd=work)
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert "Traceback" not in r.stdout + r.stderr
    for part in expect:
        assert part in r.stderr, (part, r.stderr)
    assert tree(work) == before


def test_a_baseline_that_is_not_compared_exits_2(work):
    refused(work, "--baseline", "staged-2", "--out", "out",
            expect=["--baseline", "'staged-2'", "not among the structures compared",
                    "classic, ticket_pool"])


def test_an_unknown_executor_exits_2(work):
    refused(work, "--executor", "cluster", "--out", "out",
            expect=["--executor", "'cluster'", "allowed: serial, processes, dask"])


def test_resume_and_out_naming_different_folders_exits_2(work):
    # A resumable a.partial: without the check the command would finish it into a/.
    staged(work, "a", seed=small().experiment.seed)
    refused(work, "--resume", "a", "--out", "b",
            expect=["--resume a", "--out b", "different folders", "give one"])


def test_resume_with_nothing_to_resume_exits_2(work):
    refused(work, "--resume", "out",
            expect=["--resume", "nothing to resume", "out.partial", "does not exist"])


def test_a_leftover_partial_without_resume_exits_2_and_keeps_it(work):
    staged(work, "out", seed=small().experiment.seed)
    refused(work, "--out", "out",
            expect=["--out", "out.partial", "interrupted run", "--resume out", "remove it"])


def test_resuming_the_partial_of_another_study_exits_2_and_keeps_it(work):
    staged(work, "out", seed=99)
    refused(work, "--resume", "out", "--seed", 7,
            expect=["--resume", "out.partial", "another study", "different seed",
                    "remove it or use another --out"])


def test_a_failing_replication_exits_1_and_the_others_are_written(work):
    r = salesim("compare", "tiny.yaml", "--structures", PAIR, "--replications", 3, "--seed", 7,
                "--executor", "serial", "--out", "out", "--quiet", cwd=work,
                code=FAIL_REPLICATION_1)
    assert r.returncode == 1, (r.returncode, r.stderr)
    assert "Traceback" not in r.stdout + r.stderr
    for part in ("replication 1 (seed 7", "boom in replication 1",
                 "1 replication(s) failed; the others were kept", "please report it"):
        assert part in r.stderr, (part, r.stderr)
    assert r.stdout == ""  # --quiet: not even "results written"
    out = work / "out"
    assert sorted(pd.read_parquet(out / "monthly.parquet").replication.unique()) == [0, 2]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["replications"] == 2
    assert [f["replication"] for f in manifest["failures"]] == [1]
    assert manifest["failures"][0]["seed"] == 7
    # The folder is complete, so its staging is gone and nothing else is left beside it.
    assert {p.name for p in work.iterdir()} == {"tiny.yaml", "out"}
