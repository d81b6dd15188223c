"""How long work reports its progress: a bar on a terminal, plain lines on standard
error otherwise (a pipe, ``tee``, a log file), nothing with ``--quiet``.

A plain line reads ``replications 12/30, 0:01:05 elapsed, about 0:01:38 left``: what
is done of how many, the time so far and the time left at the rate so far. Lines come
at each tenth of the work and at least every ``every`` seconds while work finishes, so
a log of an hour-long sweep shows it moving without a line per design point.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

Update = Callable[[int, int], None]


def clock_text(seconds: float) -> str:
    """``H:MM:SS`` of a number of seconds (rounded to the second)."""
    return str(timedelta(seconds=round(max(0.0, seconds))))


def progress_line(label: str, done: int, total: int, elapsed: float,
                  left: str = "about") -> str:
    """One plain progress line: done/total, elapsed and, once something is done, the
    time left at the rate so far (``left`` qualifies it: "about", "at most")."""
    text = f"{label} {done}/{total}, {clock_text(elapsed)} elapsed"
    if 0 < done < total:
        text += f", {left} {clock_text(elapsed / done * (total - done))} left"
    elif done >= total:
        text += ", done"
    return text


class PlainProgress:
    """Progress as plain lines on a stream: at each tenth of ``total`` (always the
    first and the last) and at least every ``every`` seconds of finishing work."""

    def __init__(self, label: str, stream: TextIO, every: float = 30.0,
                 clock: Callable[[], float] = time.monotonic):
        self.label = label
        self.stream = stream
        self.every = every
        self.clock = clock
        self.start = clock()
        self.last_time = self.start
        self.last_step = -1

    def __call__(self, done: int, total: int) -> None:
        now = self.clock()
        step = 10 * done // max(1, total)
        if step == self.last_step and now - self.last_time < self.every and done < total:
            return
        self.last_step, self.last_time = step, now
        self.stream.write(progress_line(self.label, done, total, now - self.start) + "\n")
        self.stream.flush()


@contextmanager
def reporting(label: str, total: int, quiet: bool, console: Console,
              stream: TextIO | None = None) -> Iterator[Update]:
    """An ``update(done, total)`` for long work: a transient bar when ``console`` is a
    terminal, plain lines on ``stream`` (the console's file) when it is not, nothing
    when ``quiet``."""
    if quiet:
        yield lambda _done, _total: None
        return
    if not console.is_terminal:
        yield PlainProgress(label, stream or console.file)
        return
    with Progress(TextColumn(f"[bold]{label}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(),
                  console=console, transient=True) as bar:
        task = bar.add_task("run", total=total)
        yield lambda done, n: bar.update(task, completed=done, total=n)


def calibration_lines(trials: int, write: Callable[[str], None],
                      clock: Callable[[], float] = time.monotonic) -> Callable[[str], None]:
    """The calibration's progress messages, each ``trial K: ...`` given the total, the
    time so far and at most how long the remaining trials take (the search may stop
    earlier, after ``--patience`` trials without gain); other messages as they are."""
    start = clock()

    def say(message: str) -> None:
        trial = re.match(r"trial (\d+): (.*)", message)
        if trial:
            line = progress_line("trial", int(trial.group(1)), trials, clock() - start,
                                 left="at most")
            message = f"{line}: {trial.group(2)}"
        write(message)

    return say
