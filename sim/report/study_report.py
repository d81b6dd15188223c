"""The owner's report of ``salesim study``: what the export showed, how well the
calibrated model reproduces the client's history (pictures), the recommendation with
the assumptions it rests on and how far each would have to move, what to check with
the client, and the accepted oddities of the export. Rendered with Jinja2 like the
comparison's report; texts in :mod:`sim.report.study_texts`.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd

from sim.report.study_texts import CHECKS, STUDY_TEXTS

FRONT = "front.html"  # the stage's copy of the front page, moved to DIR/index.html


def _facts(folder: Path) -> dict:
    return json.loads((folder / "stage.json").read_text(encoding="utf-8"))


def fit_pictures(stats: pd.DataFrame, checks: list[dict], tmp: Path) -> list[dict]:
    """One PNG per fit check: the export's points with 95 % intervals over the model's
    mean and 95 % band, with the check's verdict as caption."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = []
    for i, c in enumerate(checks):
        s = stats[stats["name"] == c["name"]]
        if s.empty:
            continue
        x = range(len(s))
        fig, ax = plt.subplots(figsize=(6.4, 2.8), dpi=100)
        sim_se = s["simulated_se"].fillna(0.0) if "simulated_se" in s else 0.0
        ax.fill_between(x, s["simulated"] - 1.96 * sim_se, s["simulated"] + 1.96 * sim_se,
                        color="#9ecae1", alpha=0.6, linewidth=0)
        ax.plot(x, s["simulated"], color="#3182bd")
        ax.errorbar(x, s["observed"], yerr=1.96 * s["observed_se"].fillna(0.0), fmt="o",
                    color="#e6550d", markersize=4, capsize=2)
        ax.set_xticks(list(x), [str(g) for g in s["group"]], fontsize=7, rotation=0)
        ax.set_title(c["title"], fontsize=9)
        ax.spines[["top", "right"]].set_visible(False)
        fig.tight_layout()
        name = f"fit-{i}.png"
        fig.savefig(tmp / name)
        plt.close(fig)
        out.append({"src": f"report/{name}", "title": c["title"],
                    "verdict": c.get("verdict", ""), "fits": c.get("fits")})
    return out


def _leader(summary: pd.DataFrame) -> tuple[str, str, float] | None:
    c = summary[summary["measure"] == "contribution"].sort_values("mean", ascending=False)
    if len(c) < 2:
        return None
    return str(c.iloc[0]["structure"]), str(c.iloc[1]["structure"]), float(
        c.iloc[0]["mean"] - c.iloc[1]["mean"])


def _money(x: float) -> str:
    return f"{x:,.0f}".replace(",", "\u202f")


def context(out: Path, tmp: Path, lang: str) -> dict:
    """Everything the template shows, read from the stages' folders."""
    from sim.study.open_assumptions import tipping

    t = STUDY_TEXTS[lang]
    ex, cal_facts = _facts(out / "export"), _facts(out / "calibration")
    est = pd.read_csv(out / "calibration" / "estimates.csv")
    measured = est[est["unidentified"].isna()]
    base_taken = est[est["unidentified"].notna()]
    stats = pd.read_csv(out / "calibration" / "calibration_statistics.csv")
    checks = json.loads((out / "calibration" / "fit_checks.json").read_text("utf-8"))
    summary = pd.read_csv(out / "comparison" / "results" / "summary.csv")
    lead = _leader(summary)
    scr = _facts(out / "assumptions")
    rests, todo = [], []
    idx = out / "assumptions" / "sweep" / "sensitivity" / "indices.csv"
    if lead and not scr.get("dropped") and idx.is_file():
        problem = json.loads((out / "assumptions" / "sweep" / "problem.json")
                             .read_text("utf-8"))
        ranges = dict(zip(problem["names"], map(tuple, problem["bounds"]), strict=True))
        tip = tipping(pd.read_csv(idx), ranges, lead[0], lead[1], lead[2])
        for r in tip.itertuples():
            far = r.ranges_to_close > 1 or not math.isfinite(r.ranges_to_close)
            move = (t["beyond"] if far else
                    f"≈ {r.move:.3g} ({t['up'] if r.direction > 0 else t['down']})")
            rests.append({"name": r.parameter, "range": f"{r.low:g} – {r.high:g}",
                          "move": move})
            if not far:
                todo.append(CHECKS[lang]["assumption"].format(
                    name=r.parameter, move=f"{r.move:.3g}",
                    direction=t["up"] if r.direction > 0 else t["down"]))
    todo += [CHECKS[lang]["base"].format(name=p) for p in base_taken["path"]]
    todo += [CHECKS[lang]["warning"].format(text=w) for w in cal_facts.get("warnings", [])]
    return {
        "t": t, "lang": lang,
        "intro": t["export_intro"].format(**{k: ex[k] for k in ("deals", "accounts",
                                                                 "owners")}),
        "measured": [{"path": r.path, "value": f"{r.value:.4g}",
                      "interval": (f"{r.low:.4g} – {r.high:.4g}"
                                   if pd.notna(r.low) and pd.notna(r.high) else "—")}
                     for r in measured.itertuples()],
        "from_base": [f"{r.path}: {r.unidentified}" for r in base_taken.itertuples()]
        + list(ex.get("remarks", [])),
        "pictures": fit_pictures(stats, checks, tmp),
        "leader": (t["leader"].format(leader=lead[0], runner=lead[1],
                                      margin=_money(lead[2])) if lead else ""),
        "rests": rests,
        "screening": t["screening"].format(**scr) if not scr.get("dropped") else "",
        "shrunk": t["shrunk"].format(budget=scr.get("budget", "")) if scr.get("shrunk")
        and not scr.get("dropped") else "",
        "dropped": t["dropped"] if scr.get("dropped") else "",
        "todo": todo,
        "notes": list(dict.fromkeys([*ex.get("notes", []), *cal_facts.get("notes", [])])),
    }


def write_study_report(out: Path, tmp: Path, lang: str) -> Path:
    """Render the report into ``tmp`` (the report stage's folder): charts and the front
    page, whose links are relative to the study folder ``out``."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("sim.report", "templates"),
                      autoescape=select_autoescape(["html", "j2"]))
    html = env.get_template("study.html.j2").render(**context(out, tmp, lang))
    path = tmp / FRONT
    path.write_text(html, encoding="utf-8")
    return path
