"""``leaders.md`` and ``leaders.csv`` of ``salesim leaders``: for each department
archetype, which structure leads on contribution and which on new clients, each with
its paired lead over the runner-up, and a plain statement when the lead is not clear.
Written into a temporary folder renamed into place, so nothing half-written appears.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd

from sim.report.numbers import Numbers
from sim.study.staging import temporary_folder

_KIND = {"contribution": "money", "new_clients": "count"}
_TITLE = {"contribution": "contribution", "new_clients": "new clients"}


def _cell(row: pd.Series, measure: str, n: Numbers) -> str:
    kind = _KIND[measure]
    lead = (f"{row['leader']} by {n.format(row['lead'], kind, True)} "
            f"({n.interval(row['ci_low'], row['ci_high'], kind)}) over {row['runner_up']}")
    if not bool(row["clear"]):
        lead += "; not clear: the interval contains zero"
    return lead


def leaders_markdown(frame: pd.DataFrame, command: str = "") -> str:
    """The table of leaders by department, in sentences a reader can check: each lead
    is the mean paired difference over replications with its 95 % interval."""
    n = Numbers()
    lines = ["# Which structure leads in which department", "",
             "For each department (a scenario file), the structure with the highest mean "
             "contribution and the one with the most new clients over the horizon, each "
             "with its lead over the runner-up: the mean paired difference over "
             "replications on common random numbers and its 95 % interval. Where the "
             "interval contains zero the lead is not clear.", ""]
    if command:
        lines += [f"`{command}`", ""]
    lines += ["| department | replications | leads on contribution | leads on new clients |",
              "|---|---|---|---|"]
    for scenario, rows in frame.groupby("scenario", sort=False):
        by = rows.set_index("measure")
        cells = [_cell(by.loc[m], m, n) if m in by.index else n.t("n.na")
                 for m in ("contribution", "new_clients")]
        lines.append(f"| {scenario} | {int(rows['replications'].min())} | "
                     + " | ".join(cells) + " |")
    lines.append("")
    unclear = frame[~frame["clear"].astype(bool)]
    for r in unclear.itertuples():
        lines.append(f"- {r.scenario}: the lead of {r.leader} over {r.runner_up} on "
                     f"{_TITLE[r.measure]} is not clear (its interval contains zero); it "
                     "may reverse with more replications.")
    if len(unclear):
        lines.append("")
    lines += ["Structures compared, by department: " + "; ".join(
        f"{s} ({r})" for s, r in frame.groupby("scenario", sort=False)["structures"].first()
        .items()) + ".", ""]
    return "\n".join(lines)


def write_leaders(frame: pd.DataFrame, out: str | Path, command: str = "") -> Path:
    """Write ``leaders.md`` and ``leaders.csv`` into ``out``, which must not exist."""
    out = Path(out)
    if out.exists():
        raise FileExistsError(f"output folder {out} already exists; choose another --out")
    tmp = temporary_folder(out)
    try:
        frame.to_csv(tmp / "leaders.csv", index=False)
        (tmp / "leaders.md").write_text(leaders_markdown(frame, command), encoding="utf-8")
        os.rename(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out
