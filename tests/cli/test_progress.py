"""Progress of long work: plain lines off a terminal (done/total, elapsed, time left),
nothing with --quiet; and the calibration's trial lines with their total."""

from __future__ import annotations

import io

import yaml
from rich.console import Console

from sim.cli.progress import PlainProgress, calibration_lines, progress_line, reporting

from tests.helpers import salesim, small


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_line_says_done_of_total_elapsed_and_the_time_left_at_the_rate_so_far():
    assert progress_line("replications", 1, 4, 10.0) == (
        "replications 1/4, 0:00:10 elapsed, about 0:00:30 left")
    assert progress_line("design points", 3, 3, 3725.0) == (
        "design points 3/3, 1:02:05 elapsed, done")


def test_plain_lines_come_at_each_tenth_and_at_least_every_interval():
    clock, stream = Clock(), io.StringIO()
    update = PlainProgress("points", stream, every=30.0, clock=clock)
    for done in range(1, 101):  # 100 points, one a second
        clock.now += 1.0
        update(done, 100)
    lines = stream.getvalue().splitlines()
    # one line per tenth (1, 10, 20, ..., 100): eleven lines, not a hundred
    assert len(lines) == 11, lines
    assert lines[0] == "points 1/100, 0:00:01 elapsed, about 0:01:39 left"
    assert lines[-1] == "points 100/100, 0:01:40 elapsed, done"
    clock, stream = Clock(), io.StringIO()
    slow = PlainProgress("points", stream, every=30.0, clock=clock)
    for done in range(1, 6):  # 1000 points, a minute each: a line every finished point
        clock.now += 60.0
        slow(done, 1000)
    assert len(stream.getvalue().splitlines()) == 5


def test_reporting_is_silent_when_quiet_and_plain_off_a_terminal():
    stream = io.StringIO()
    off = Console(file=stream, force_terminal=False)
    with reporting("replications", 2, True, off) as update:
        update(1, 2)
        update(2, 2)
    assert stream.getvalue() == ""
    with reporting("replications", 2, False, off) as update:
        update(1, 2)
        update(2, 2)
    lines = stream.getvalue().splitlines()
    assert [line.split(",")[0] for line in lines] == ["replications 1/2", "replications 2/2"]


def test_calibration_trials_carry_their_total_and_an_upper_bound_on_the_time_left():
    clock, said = Clock(), []
    say = calibration_lines(60, said.append, clock=clock)
    clock.now += 20.0
    say("trial 2: distance 12.5 (best 10.0)")
    say("slices through the best: 4 trials")
    assert said == ["trial 2/60, 0:00:20 elapsed, at most 0:09:40 left: distance 12.5 "
                    "(best 10.0)", "slices through the best: 4 trials"]


def test_compare_piped_prints_progress_lines_on_stderr_and_quiet_prints_nothing(tmp_path):
    scenario = tmp_path / "tiny.yaml"
    scenario.write_text(yaml.safe_dump(small().model_dump(mode="json")))
    r = salesim("compare", scenario, "--structures", "classic,ticket_pool",
                "--replications", 2, "--executor", "serial", "--out", tmp_path / "a")
    assert r.returncode == 0, r.stderr
    lines = r.stderr.splitlines()
    assert lines[0].startswith("replications 1/2, ") and "left" in lines[0], r.stderr
    assert lines[-1].startswith("replications 2/2, ") and lines[-1].endswith("done")
    assert "results written to" in r.stdout
    r = salesim("compare", scenario, "--structures", "classic,ticket_pool",
                "--replications", 2, "--executor", "serial", "--out", tmp_path / "b", "-q")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "" and r.stderr == ""
    assert (tmp_path / "b" / "summary.csv").exists()
