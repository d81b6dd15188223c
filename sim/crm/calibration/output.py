"""What a calibration writes: the scenario with a comment on every calibrated number,
and ``calibration.md`` with the fit check (observed against simulated, a verdict per
curve in numbers). Both are written to temporary files and renamed into place."""

from __future__ import annotations

import json
import math
import os
import re
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from sim.crm.calibration.correct import Z95, Estimate, variance
from sim.crm.calibration.result import Calibration
from sim.study.staging import shared_permissions

#: The fit check's curves: statistic, title, and what its points are.
CURVES = (
    ("new_clients_per_manager_month", "New clients won per manager-month, by tenure (months)"),
    ("clients_served_per_manager_month",
     "Clients served (with an order) per manager-month, by tenure (months)"),
    ("win_rate_by_tenure", "Win rate of new business by tenure (months): the ramp-up"),
    ("lost_clients_by_month", "Clients lost by month of the export"),
    ("revenue_by_month", "Revenue of won deals by month of the export"),
)
#: Curves of one export's monthly values, checked against the simulated prediction band.
BAND_CURVES = ("lost_clients_by_month", "revenue_by_month")
_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]*$")


def _fmt(x: float) -> str:
    if not math.isfinite(x):
        return "n/a"
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.4g}"


def _comment(e: Estimate) -> str:
    interval = (f"95 % interval {_fmt(e.low)} to {_fmt(e.high)}" if math.isfinite(e.low)
                else "no interval")
    if e.kind == "base":
        return e.method
    return f"{e.kind}: {e.method}; {interval}"


def scenario_yaml(cal: Calibration, source: str) -> str:
    """The calibrated scenario as YAML, each calibrated number commented."""
    comments = {e.path: _comment(e) for e in cal.estimates}
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


def fit_check(cal: Calibration) -> list[dict]:
    """Per curve: points, a chi-square statistic and its verdict."""
    obs = cal.observed.set_index(["name", "group"])
    sim = cal.simulated.set_index(["name", "group"])
    out = []
    for name, title in CURVES:
        if name not in obs.index.get_level_values(0):
            continue
        o = obs.loc[name]
        s = sim.loc[name].reindex(o.index)
        points = []
        if name in BAND_CURVES and not s["sd"].notna().any():
            out.append({"name": name, "title": title, "points": [], "fits": False,
                        "verdict": "no verdict: one replication gives no spread to draw "
                                   "a band from (run two or more)"})
            continue
        if name in BAND_CURVES:
            # A prediction band for one export's month: the month's simulated mean plus
            # or minus Student's t times the replications' spread, pooled over the months
            # (a few replications give a poor spread month by month), widened for the
            # mean's own error.
            k = max(int(s["k"].max()), 2)
            sd = math.sqrt(float(np.nanmean(s["sd"] ** 2)))
            t = float(stats.t.ppf(0.975, (k - 1) * len(s)))
            band = pd.Series(t * sd * math.sqrt(1 + 1 / k), index=o.index)
            inside = (o["value"] - s["value"]).abs() <= band
            for g in o.index:
                points.append([g, _fmt(o.at[g, "value"]), _fmt(s.at[g, "value"]),
                               f"{_fmt(s.at[g, 'value'] - band[g])} to "
                               f"{_fmt(s.at[g, 'value'] + band[g])}",
                               "yes" if inside[g] else "no"])
            n, hits = len(inside), int(inside.sum())
            p = float(stats.binom.cdf(hits, n, 0.95))  # as few inside, if the model is right
            ratio = float(o["value"].sum() / s["value"].sum())
            fits = p >= 0.05
            what = "revenue" if name == "revenue_by_month" else "clients lost"
            verdict = (f"{'fits' if fits else 'misses'}: {hits} of {n} months within the "
                       f"simulated 95 % band (p = {p:.3f} for so few if 95 % are expected; "
                       f"fits at p >= 0.05); observed {what} is {ratio:.3f} x the simulated")
        else:
            var = pd.Series(variance(o["se"], s["sd"], s["se"]), index=o.index)
            ok = np.isfinite(o["value"]) & np.isfinite(s["value"]) & (var > 0)
            z = (o["value"] - s["value"]) / np.sqrt(var)
            chi2 = float((z[ok] ** 2).sum())
            n = int(ok.sum())
            p = float(stats.chi2.sf(chi2, n)) if n else math.nan
            within = int((z[ok].abs() <= Z95).sum())
            for g in o.index:
                points.append([g, f"{_fmt(o.at[g, 'value'])} ± {_fmt(Z95 * o.at[g, 'se'])}",
                               f"{_fmt(s.at[g, 'value'])} ± {_fmt(Z95 * s.at[g, 'se'])}",
                               _fmt(z[g]) if ok[g] else "n/a",
                               "yes" if ok[g] and abs(z[g]) <= Z95 else
                               ("no" if ok[g] else "n/a")])
            fits = n > 0 and p >= 0.05
            verdict = (f"{'fits' if fits else 'misses'}: chi-square {chi2:.1f} on {n} points, "
                       f"p = {p:.3f} (fits at p >= 0.05); {within} of {n} points within "
                       "their 95 % band")
        out.append({"name": name, "title": title, "points": points, "fits": fits,
                    "verdict": verdict})
    return out


def calibration_md(cal: Calibration, source: str, scenario_file: str) -> str:
    s = cal.settings
    n_trials = len(cal.trials)
    lines = [f"# Calibration to the CRM export {source}", "",
             f"The scenario `{scenario_file}` was calibrated by `salesim calibrate` to the "
             f"export's {cal.window.days} working days from {cal.window.start} to "
             f"{cal.window.last}, in {cal.seconds:.0f} s.", ""]
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
        interval = (f"{_fmt(e.low)} to {_fmt(e.high)}" if math.isfinite(e.low) else "none")
        rows.append([f"`{e.path}`", e.kind, _fmt(e.value), interval, e.method])
    lines += _table(rows, ["parameter", "kind", "value", "95 % interval", "how"])
    checks = fit_check(cal)
    lines += ["", "## Fit check: observed against simulated", "",
              f"Each curve of the export against the calibrated scenario's simulated exports "
              f"({s.replications} replications). {sum(c['fits'] for c in checks)} of "
              f"{len(checks)} curves fit.", ""]
    for c in checks:
        head = (["month", "observed", "simulated mean", "simulated 95 % band", "inside"]
                if c["name"] in BAND_CURVES else
                ["point", "observed ± 95 %", "simulated ± 95 %", "z", "inside"])
        lines += [f"### {c['title']}", "", f"**Verdict: {c['verdict']}.**", ""]
        lines += _table(c["points"], head)
        lines.append("")
    return "\n".join(lines)


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
    texts = [scenario_yaml(cal, source), calibration_md(cal, source, out.name),
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
