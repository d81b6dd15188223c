"""``salesim study``: from a client's CRM export to the owner's report in one flow.

Stages, each in its own subfolder of ``--out`` written atomically with a marker
(:mod:`sim.study.stages`), so a rerun with the same inputs skips what is finished:
``export`` (read and check), ``calibration``, ``comparison`` (the structures on the
calibrated scenario over the base's horizon, with the transition from the mature
department), ``assumptions`` (a Morris screening of the uncertainties the export leaves
open, sized to ``--budget`` by :mod:`sim.study.budget`) and ``report`` (``index.html``
at the top of the folder).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Annotated

import typer

from sim.cli.app import EXIT_INTERRUPTED_REPORTED, err_console, out_console
from sim.cli.options import (
    QuietOpt,
    SeedOpt,
    WorkersOpt,
    load_or_exit,
    read_crm_or_exit,
    refuse,
)
from sim.cli.progress import reporting

STAGES = ("export", "calibration", "comparison", "assumptions", "report")


def study(
    crm_dir: Annotated[Path, typer.Argument(help="Folder of the CRM export (docs/crm.md).")],
    out: Annotated[Path, typer.Option(help="Results folder (index.html is its front page); "
                                           "run again with the same inputs to resume.")],
    base: Annotated[Path | None, typer.Option(
        help="Scenario whose numbers a CRM does not show; default: the default scenario "
             "shipped with salesim.", show_default=False)] = None,
    budget: Annotated[str, typer.Option(help="Time for the whole study (30m, 1h, 90s); "
                                             "the screening is sized to it.")] = "30m",
    lang: Annotated[str, typer.Option(help="Language of the report: en or ru.")] = "en",
    seed: SeedOpt = None,
    workers: WorkersOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Calibrate to a CRM export, compare the structures, screen the open assumptions and
    write the owner's report (docs/consultant.md)."""
    from sim.config.shipped import default_scenario_path
    from sim.report.texts import LANGUAGES
    from sim.study.budget import BudgetError, parse_budget
    from sim.study.stages import fingerprint

    if lang not in LANGUAGES:
        raise refuse(f"--lang: got {lang!r}; allowed: {', '.join(LANGUAGES)}")
    try:
        seconds = parse_budget(budget)
    except BudgetError as err:
        raise refuse(str(err)) from None
    if base is None:
        base = default_scenario_path()
    elif not base.is_file():
        raise refuse(f"--base: {base} is not a file; allowed: a scenario YAML file (leave "
                     "--base out for the default scenario shipped with salesim)")
    base_sc = load_or_exit(base)
    if out.exists() and not (out / "study.json").exists():
        raise refuse(f"--out: {out} exists and is not a study's folder; choose another")
    crm = read_crm_or_exit(crm_dir)
    seed = base_sc.experiment.seed if seed is None else seed
    files = [p for p in Path(crm_dir).iterdir() if p.is_file()]
    key = fingerprint([base_sc.to_yaml(), seed], files)
    out.mkdir(parents=True, exist_ok=True)
    (out / "study.json").write_text(json.dumps({"crm": str(crm_dir), "base": str(base),
                                                "seed": seed}, indent=2), encoding="utf-8")
    say = (lambda _m: None) if quiet else (
        lambda m: err_console.print(m, highlight=False, markup=False))
    chain = _Chain(out, crm, crm_dir, base_sc, seed, seconds, workers, quiet, say)
    chain.lang, chain.budget = lang, budget
    keys = [key]
    for i, name in enumerate(STAGES):
        k = fingerprint([keys[-1], name, budget if name in ("calibration", "assumptions")
                         else None, lang if name == "report" else None])
        keys.append(k)
        try:
            chain.run(i, name, k)
        except KeyboardInterrupt:
            err_console.print(f"interrupted during {name}: the finished stages are kept in "
                              f"{out}; run the same command again to resume",
                              highlight=False, markup=False)
            raise typer.Exit(EXIT_INTERRUPTED_REPORTED) from None
    chain.front_page()
    if not quiet:
        out_console.print(f"study written to {out / 'index.html'}", highlight=False)


class _Chain:
    """The stages' work; each writes into the temporary folder it is given."""

    def __init__(self, out, crm, crm_dir, base_sc, seed, seconds, workers, quiet, say):
        self.out, self.crm, self.crm_dir, self.base = out, crm, crm_dir, base_sc
        self.seed, self.seconds, self.workers, self.quiet, self.say = (
            seed, seconds, workers, quiet, say)
        self.lang, self.budget = "en", ""  # set by study()
        self.t0 = time.perf_counter()

    def run(self, i: int, name: str, key: str) -> None:
        from sim.study.stages import run_stage

        self.say(f"[{i + 1}/{len(STAGES)}] {name}")
        start = time.perf_counter()

        def build(tmp: Path) -> dict:
            facts = getattr(self, "_" + name)(tmp) or {}
            return {**facts, "seconds": round(time.perf_counter() - start, 3)}

        _folder, built = run_stage(self.out, name, key, build)
        if not built:
            self.say(f"      {name}: finished before, kept")

    def spent(self) -> float:
        from sim.study.stages import facts

        return sum(facts(self.out / s).get("seconds", 0.0) for s in STAGES
                   if (self.out / s / "stage.json").exists())

    def _export(self, tmp: Path) -> dict:
        from sim.crm.calibration.enough import remarks

        for note in self.crm.notes:
            self.say(f"      read: {note}")
        return {"notes": list(self.crm.notes), "remarks": remarks(self.crm),
                "deals": len(self.crm.deals), "accounts": len(self.crm.accounts),
                "owners": len(self.crm.owners), "source": str(self.crm_dir)}

    def _calibration(self, tmp: Path) -> dict:
        from sim.crm.calibration.check import fit_check
        from sim.crm.calibration.fit import CalibrationError, Settings, calibrate
        from sim.crm.calibration.output import warnings, write
        from sim.study.budget import calibration_effort

        effort = calibration_effort(self.seconds)
        settings = Settings(seed=self.seed, workers=self.workers, **effort)
        try:
            cal = calibrate(self.crm, self.base, settings, progress=lambda m: self.say(
                f"      {m}"))
        except CalibrationError as err:
            raise refuse(f"cannot calibrate to {self.crm_dir}: {err}") from None
        write(cal, tmp / "scenario.yaml", str(self.crm_dir))
        cal.table().to_csv(tmp / "estimates.csv", index=False)
        checks = fit_check(cal)
        (tmp / "fit_checks.json").write_text(json.dumps(checks, indent=2, default=str),
                                             encoding="utf-8")
        return {"notes": list(cal.notes), "warnings": warnings(cal, checks),
                "effort": effort, "window_days": cal.window.days}

    def _calibrated(self):
        sc = load_or_exit(self.out / "calibration" / "scenario.yaml")
        return sc.with_overrides({"experiment.horizon_years":
                                  self.base.experiment.horizon_years})

    def _comparison(self, tmp: Path) -> dict:
        from sim.report.folder import write_results
        from sim.study.experiment import compare

        sc = self._calibrated()
        n = sc.experiment.replications
        with reporting("replications", n, self.quiet, err_console) as update:
            t = time.perf_counter()
            results = compare(sc, replications=n, seed=self.seed, workers=self.workers,
                              progress=update)
            wall = time.perf_counter() - t
        write_results(results, tmp / "results", charts=False, command=["salesim", "study"])
        runs = n * len(results.structures)
        workers = min(self.workers or os.cpu_count() or 1, runs)
        return {"cpu_per_run": wall * workers / runs, "runs": runs,
                "structures": len(results.structures)}

    def _assumptions(self, tmp: Path) -> dict:
        import pandas as pd

        from sim.study.budget import size_screening
        from sim.study.open_assumptions import open_uncertainties
        from sim.study.sensitivity import analyse
        from sim.study.stages import facts
        from sim.study.sweeps import sweep

        est = pd.read_csv(self.out / "calibration" / "estimates.csv")
        set_paths = list(est.loc[est["unidentified"].isna(), "path"])
        sc = open_uncertainties(self._calibrated(), set_paths)
        comp = facts(self.out / "comparison")
        workers = self.workers or os.cpu_count() or 1
        left = self.seconds - self.spent() - 30.0  # 30 s kept for the report
        plan = size_screening(left, comp["cpu_per_run"], comp["structures"],
                              len(sc.uncertainties), workers)
        info = {"budget": self.budget, "trajectories": plan.trajectories,
                "replications": plan.replications,
                "points": plan.points, "factors": plan.factors, "shrunk": plan.shrunk,
                "dropped": plan.dropped, "estimated_seconds": round(plan.seconds, 1),
                "left_seconds": round(left, 1), "open": list(sc.uncertainties)}
        if plan.dropped or not sc.uncertainties:
            self.say("      screening dropped: the budget left allows no design")
            return {**info, "dropped": True}
        self.say(f"      Morris: {plan.trajectories} trajectories x {plan.factors + 1} points"
                 f" x {plan.replications} replications (~{plan.seconds:.0f} s)")
        with reporting("points", plan.points, self.quiet, err_console) as update:
            sw = sweep(sc, "morris", plan.trajectories, plan.replications, seed=self.seed,
                       out=tmp / "sweep", workers=self.workers, progress=update)
        analysis = analyse(sw)
        analysis.save(tmp / "sweep" / "sensitivity")
        return info

    def _report(self, tmp: Path) -> dict:
        from sim.report.study_report import write_study_report

        write_study_report(self.out, tmp, self.lang)
        return {"language": self.lang}

    def front_page(self) -> None:
        """Move the report's front page to DIR/index.html (atomically)."""
        from sim.report.study_report import FRONT

        tmp = self.out / ".index.html.tmp"
        tmp.write_bytes((self.out / "report" / FRONT).read_bytes())
        os.replace(tmp, self.out / "index.html")
