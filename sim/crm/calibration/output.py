"""What a calibration writes: the scenario with a comment on every calibrated number,
and ``calibration.md`` with the fit check (observed against simulated, a verdict per
curve in numbers). Both are written to temporary files and renamed into place."""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

import pandas as pd

from sim.crm.calibration.bands import MIN_POWER
from sim.crm.calibration.check import BAND_CURVES, CURVES, fit_check, warnings
from sim.crm.calibration.correct import Estimate
from sim.crm.calibration.figures import interval, plain
from sim.crm.calibration.result import Calibration
from sim.study.staging import shared_permissions

_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]*$")

__all__ = ["BAND_CURVES", "CURVES", "calibration_md", "fit_check", "scenario_yaml",
           "targets", "warnings", "write"]


def _comment(e: Estimate) -> str:
    if e.kind == "base":
        return e.method
    text = f"{e.kind}: {e.method}; 95 % interval {interval(e.low, e.high, 'none')}"
    if e.unidentified:
        text += f"; the export cannot identify it: {e.unidentified}"
    return text


def scenario_yaml(cal: Calibration, source: str, checks: list[dict] | None = None) -> str:
    """The calibrated scenario as YAML, each calibrated number and sweep range commented,
    the warnings at the top (``checks``: the :func:`fit_check`, if already made)."""
    comments = {e.path: _comment(e) for e in cal.estimates}
    comments |= {f"uncertainties.{r.path}": ("calibrated: " if r.changed else "") + r.why
                 for r in cal.ranges}
    data = cal.scenario.model_dump(mode="json")
    data["name"] = f"{cal.scenario.name}-calibrated"
    data["description"] = (f"Calibrated to the CRM export {source} ({cal.window.start} to "
                           f"{cal.window.last}).")
    lines = [
        f"# salesim scenario calibrated to the CRM export {source} by `salesim calibrate`.",
        "# measured: read from the export; corrected: scaled by simulation until the",
        "# simulated export shows what the real one shows; inferred: fitted by simulation to",
        "# the patterns that reveal drift. Uncommented numbers come from the base scenario",
        "# (a CRM does not show them). The fit check is in calibration.md beside this file.",
    ]
    lines += [f"# WARNING: {w}" for w in warnings(cal, checks)]
    _emit(data, "", 0, comments, lines)
    return "\n".join(lines) + "\n"


def _key(k: str) -> str:
    return k if _PLAIN_KEY.match(k) else json.dumps(k)


def _emit(node: dict, prefix: str, depth: int, comments: dict[str, str],
          lines: list[str]) -> None:
    pad = "  " * depth
    for k, v in node.items():
        path = f"{prefix}{k}"
        if isinstance(v, dict) and v and not path.startswith("uncertainties."):
            lines.append(f"{pad}{_key(k)}:")
            _emit(v, path + ".", depth + 1, comments, lines)
            continue
        text = f"{pad}{_key(k)}: {json.dumps(v)}"
        if path in comments:
            text += f"  # {comments[path]}"
        lines.append(text)


def _table(rows: list[list[str]], head: list[str]) -> list[str]:
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out


def calibration_md(cal: Calibration, source: str, scenario_file: str,
                   checks: list[dict] | None = None) -> str:
    """The calibration's report: warnings first, the export, how the fit ran, the
    calibrated numbers, what the export cannot identify, the sweep ranges and the fit
    check."""
    s = cal.settings
    checks = fit_check(cal) if checks is None else checks
    n_trials = len(cal.trials)
    lines = [f"# Calibration to the CRM export {source}", "",
             f"The scenario `{scenario_file}` was calibrated by `salesim calibrate` to the "
             f"export's {cal.window.days} working days from {cal.window.start} to "
             f"{cal.window.last}, in {cal.seconds:.0f} s.", ""]
    lines += _warnings(warnings(cal, checks))
    lines += ["## The export", ""]
    if cal.incomplete:
        lines += ["Rows kept although incomplete (each statistic uses the rows it can):", ""]
        lines += [f"- {k}: {v:,}" for k, v in cal.incomplete.items()]
        lines.append("")
    lines += [f"- {note}" for note in cal.notes]
    lines += ["", "## How", "",
              f"- Each evaluation simulates {s.replications} replications of the classic "
              f"department on common random numbers (seed {s.seed}) and measures their "
              "synthetic exports as the real one.",
              f"- Corrected parameters: {s.correction_rounds} rounds of theta <- theta x "
              "observed / simulated before the search, and again after it.",
              f"- Inferred parameters: Optuna TPE, at most {s.trials} trials; stopping rule: "
              f"no gain of {s.min_gain:g} in the chi-square distance for {s.patience} "
              f"trials after {s.startup} random start-up trials. Stopped: {cal.stopped} "
              f"({n_trials} trials).", "",
              "## Calibrated numbers", ""]
    rows = []
    for e in cal.estimates:
        how = e.method + (f" **The export cannot identify it:** {e.unidentified}."
                          if e.unidentified else "")
        rows.append([f"`{e.path}`", e.kind, plain(e.value), interval(e.low, e.high), how])
    lines += _table(rows, ["parameter", "kind", "value", "95 % interval", "how"])
    lines += _unidentified(cal) + _ranges(cal)
    lines += _fit_check(cal, checks)
    return "\n".join(lines)


def _warnings(texts: list[str]) -> list[str]:
    if not texts:
        return []
    return ["## Warnings", "", "Read these before trusting the numbers below:", "",
            *[f"- {w}" for w in texts], ""]


def _unidentified(cal: Calibration) -> list[str]:
    missing = [e for e in cal.estimates if e.unidentified]
    if not missing:
        return []
    return ["", "## What the export cannot identify", "",
            "An interval measures what the export allows only where the evidence bounds the "
            "number on both sides. These numbers are in the scenario, but the export does "
            "not pin them: set them from what the client knows, or read the results as "
            "conditional on them.", "",
            *[f"- The export cannot identify `{e.path}` ({plain(e.value)}): "
              f"{e.unidentified}." for e in missing]]


def _ranges(cal: Calibration) -> list[str]:
    if not cal.ranges:
        return []
    rows = [[f"`{r.path}`", interval(*r.base), interval(*r.new), r.why] for r in cal.ranges]
    return ["", "## Sweep ranges (`uncertainties`)", "",
            "The base scenario declares these calibrated numbers as uncertainties for "
            "`salesim sweep` and `salesim sensitivity`. The calibrated scenario's range is "
            "the number's 95 % interval clipped to the base's range; it is wider than the "
            "base's only where the reason says so.", "",
            *_table(rows, ["parameter", "base range", "calibrated range", "why"])]


def _fit_check(cal: Calibration, checks: list[dict]) -> list[str]:
    lines = ["", "## Fit check: observed against simulated", "",
             f"Each curve of the export against the calibrated scenario's simulated exports "
             f"({cal.settings.replications} replications). "
             f"{sum(c['fits'] for c in checks)} of {len(checks)} curves fit. Each check's "
             f"power is the chance its verdict is \"misses\" for a department with twice, or "
             f"half, the simulated values (the weaker of the two); below {MIN_POWER:g} it is "
             "too small to tell a fitting model from a wrong one.", ""]
    for c in checks:
        head = (["month", "observed", "simulated mean", "simulated 95 % band", "inside"]
                if c["name"] in BAND_CURVES else
                ["point", "observed ± 95 %", "simulated ± 95 %", "z", "inside"])
        lines += [f"### {c['title']}", "", f"**Verdict: {c['verdict']}.** Power "
                  f"{c['power']:.2f}.", ""]
        if c["warning"]:
            lines += [f"**Warning: {c['warning']}.**", ""]
        lines += _table(c["points"], head) if c["points"] else []
        lines.append("")
    return lines


def targets(out: Path) -> list[Path]:
    """The files a calibration writes for the scenario file ``out``."""
    folder = Path(out).parent
    return [Path(out), folder / "calibration.md", folder / "calibration_trials.csv",
            folder / "calibration_statistics.csv"]


def write(cal: Calibration, out: Path, source: str) -> list[Path]:
    """Write the scenario, ``calibration.md``, the trials and the statistics beside it:
    each to a temporary file first, then all renamed into place; if any step fails,
    none of them is left behind."""
    out = Path(out)
    paths = targets(out)
    checks = fit_check(cal)
    texts = [scenario_yaml(cal, source, checks), calibration_md(cal, source, out.name, checks),
             cal.trials.to_csv(index=False), _statistics(cal).to_csv(index=False)]
    existing = [str(p) for p in paths if p.exists()]
    if existing:
        raise FileExistsError(", ".join(existing))
    made_folder = not out.parent.exists()
    out.parent.mkdir(parents=True, exist_ok=True)
    temps: list[tuple[str, Path]] = []
    placed: list[Path] = []
    try:
        for path, text in zip(paths, texts, strict=True):
            fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{path.name}.", suffix=".tmp")
            temps.append((tmp, path))
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
            shared_permissions(Path(tmp), folder=False)  # mkstemp makes it owner-only
        for tmp, path in temps:
            os.replace(tmp, path)
            placed.append(path)
    except BaseException:
        for tmp, _ in temps:
            if os.path.exists(tmp):
                os.unlink(tmp)
        for path in placed:
            path.unlink(missing_ok=True)
        if made_folder and not any(out.parent.iterdir()):
            out.parent.rmdir()
        raise
    return paths


def _statistics(cal: Calibration) -> pd.DataFrame:
    o = cal.observed.rename(columns={"value": "observed", "se": "observed_se"})
    s = cal.simulated.rename(columns={"value": "simulated", "se": "simulated_se",
                                      "sd": "simulated_sd", "k": "replications"})
    return o.merge(s, on=["name", "group"], how="left")
