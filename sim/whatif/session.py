"""What the what-if page computes, apart from how it is shown: the source (a sweep with
its emulator, or a bare scenario), the sliders, the emulator's answer at a point, a
real simulation of the point in a background thread, and the point saved as a scenario
or written up as the owner's report."""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from sim.config.scenario import Scenario, load_scenario
from sim.config.uncertainties import short_name
from sim.study.emulator import Emulator, load_emulator, output_key
from sim.study.sweep_design import point_scenario

MEASURES = (("contribution", "money"), ("revenue", "money"), ("new_clients", "count"))
DECISIVE = 6  # sliders shown when a sensitivity ranking says which matter


@dataclass(frozen=True)
class Slider:
    """One assumption on the page: its path, its range on the slider, the range the
    scenario declares, where that range comes from, and the value the page opens at."""

    path: str
    low: float
    high: float
    declared: tuple[float, float]
    source: dict[str, str]
    value: float

    @property
    def label(self) -> str:
        return short_name(self.path)


def ranking(folder: Path) -> list[str]:
    """Parameters by decisiveness, from the emulator's Sobol indices or the sweep's own
    sensitivity indices when either was computed; empty when neither was."""
    from sim.study.emulator_sobol import ranking as sobol_ranking

    emulated = folder / "sensitivity-emulator" / "indices.csv"
    if emulated.exists():
        f = pd.read_csv(emulated, keep_default_na=False)
        return list(sobol_ranking(f).index)
    from sim.study.emulator_sobol import sweep_ranking

    own = sweep_ranking(folder)
    return list(own[1].index) if own is not None else []


@dataclass
class Job:
    """A simulation of one point running in a thread."""

    point: dict[str, float]  # what the simulation changes: the moved sliders
    replications: int
    values: dict[str, float] = field(default_factory=dict)  # every slider at the start
    done: int = 0
    total: int = 0
    results: object = None
    error: str | None = None
    finished: bool = False
    seconds: float = 0.0


@dataclass
class Session:
    """The page's state: the base scenario, the sliders, the emulator (None for a bare
    scenario) and the simulations run."""

    scenario: Scenario
    sliders: list[Slider]
    emulator: Emulator | None
    structures: list[str]
    baseline: str
    out: Path
    decisive: bool = False
    workers: int | None = None
    jobs: list[Job] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def currency(self) -> str | None:
        return self.scenario.currency

    def slider_point(self, values: dict[str, float]) -> dict[str, float]:
        """The moved sliders' values only: what a simulated or saved point changes. The
        other numbers keep the scenario's values, per segment where a path has ``*``
        (a slider of such a path opens at the segments' mean, so left alone it must not
        give every segment that mean)."""
        opened = {s.path: s.value for s in self.sliders}
        return {p: float(v) for p, v in values.items()
                if p in opened and not math.isclose(float(v), opened[p], rel_tol=1e-9)}

    def full_point(self, values: dict[str, float]) -> dict[str, float]:
        """Every uncertainty's value for the emulator: the sliders' and, for the others,
        the scenario's own (a ``*`` path: its entries' mean), kept inside the box."""
        point = {}
        em = self.emulator
        for p in self.scenario.uncertainties:
            if p in values:
                point[p] = float(values[p])
                continue
            v = base_value(self.scenario, p)
            if em is not None and p in em.parameters:
                j = em.parameters.index(p)
                v = float(np.clip(v, em.low[j], em.high[j]))
            point[p] = v
        return point

    def estimate(self, values: dict[str, float]) -> pd.DataFrame:
        """The emulator's answer at the sliders' point: one row per structure other than
        the baseline and measure (mean, 90 % interval, held-out R² and RMSE), and the
        baseline's own levels (``versus`` empty)."""
        em = self.emulator
        if em is None:
            return pd.DataFrame()
        wanted = [(s, self.baseline, m) for s in self.structures if s != self.baseline
                  for m, _ in MEASURES] + [(self.baseline, "", m) for m, _ in MEASURES]
        keys = [output_key(*w) for w in wanted if output_key(*w) in em.keys]
        p = em.predict(self.full_point(values), keys, strict=False)
        info = {o["key"]: o for o in em.outputs}
        p["structure"] = [info[k]["structure"] for k in p["key"]]
        p["versus"] = [info[k]["versus"] for k in p["key"]]
        p["measure"] = [info[k]["measure"] for k in p["key"]]
        p["r2"] = [info[k]["r2"] for k in p["key"]]
        p["rmse"] = [info[k]["rmse"] for k in p["key"]]
        return p

    def start(self, values: dict[str, float], replications: int) -> Job:
        """Run ``replications`` of every structure at the point in a background thread."""
        job = Job(self.slider_point(values), int(replications), dict(values),
                  total=int(replications))
        with self._lock:
            self.jobs.append(job)
        threading.Thread(target=self._run, args=(job,), daemon=True).start()
        return job

    def _run(self, job: Job) -> None:
        from sim.study.experiment import compare

        start = time.perf_counter()

        def progress(done: int, total: int) -> None:
            job.done, job.total = done, total

        try:
            sc = point_scenario(self.scenario, job.point)
            executor = "serial" if self.workers == 1 else "processes"
            job.results = compare(sc, self.structures, job.replications,
                                  baseline=self.baseline, executor=executor,
                                  workers=self.workers, progress=progress)
        except Exception as err:  # noqa: BLE001 - shown on the page, not lost
            job.error = f"{type(err).__name__}: {err}"
        job.seconds = time.perf_counter() - start
        job.finished = True

    def simulated(self, job: Job) -> pd.DataFrame:
        """The simulation's paired differences (95 % intervals) and the baseline's
        levels, in the shape of :meth:`estimate`."""
        r = job.results
        diffs = r.differences()
        rows = []
        for m, _ in MEASURES:
            for d in diffs[diffs["measure"] == m].itertuples():
                rows.append({"structure": d.structure, "versus": self.baseline, "measure": m,
                             "mean": d.difference, "low": d.ci_low, "high": d.ci_high})
            summary = r.summary()
            base = summary[(summary["structure"] == self.baseline)
                           & (summary["measure"] == m)] if "measure" in summary else None
            if base is not None and len(base):
                b = base.iloc[0]
                rows.append({"structure": self.baseline, "versus": "", "measure": m,
                             "mean": b["mean"], "low": b["ci_low"], "high": b["ci_high"]})
        return pd.DataFrame(rows)

    def save_point(self, values: dict[str, float]) -> Path:
        """The point as a scenario YAML in the output folder (written whole, then
        renamed into place)."""
        sc = point_scenario(self.scenario, self.slider_point(values))
        self.out.mkdir(parents=True, exist_ok=True)
        n = len(list(self.out.glob("point-*.yaml"))) + 1
        path = self.out / f"point-{n:03d}.yaml"
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(sc.to_yaml(), encoding="utf-8")
        tmp.replace(path)
        return path

    def write_report(self, job: Job, language: str) -> Path:
        """The owner's report of a finished simulation: a results folder as
        ``salesim compare`` writes it, its report.html in ``language``."""
        from sim.report.folder import write_results
        from sim.report.html import write_report

        n = len(list(self.out.glob("report-*"))) + 1
        folder = write_results(job.results, self.out / f"report-{n:03d}",
                               command=["salesim", "whatif"])
        return write_report(folder, language=language)


def inward(low: float, high: float, digits: int = 3) -> tuple[float, float]:
    """``[low, high]`` narrowed to round numbers of ``digits`` significant digits of the
    span, so a slider shows 0.0101 rather than 0.01010357."""
    places = digits - 1 - math.floor(math.log10(high - low))
    unit = 10.0 ** -places
    return (round(math.ceil(low / unit) * unit, max(places, 0)),
            round(math.floor(high / unit) * unit, max(places, 0)))


def base_value(scenario: Scenario, path: str) -> float:
    """A parameter's value in the scenario (a ``*`` path: its entries' mean)."""
    from sim.config.uncertainties import resolve

    return float(np.mean([leaf.value for leaf in resolve(scenario, path)]))


def open_source(source: Path, out: Path | None = None, workers: int | None = None
                ) -> Session:
    """A session on a sweep folder (its emulator, fitted if missing, by the caller) or on
    a scenario YAML (sliders over its uncertainties, no emulator)."""
    if source.is_dir():
        from sim.study.sweep_dataset import open_sweep

        sw = open_sweep(source)
        sc = sw.scenario
        em = load_emulator(source / "emulator")
        structures = list(sw.study["structures"])
        baseline = em.meta.get("baseline") or structures[0]
        order = ranking(source)
        decisive = bool(order)
        shown = order[:DECISIVE] if order else list(sc.uncertainties)
        default_out = source / "whatif"
    else:
        sc = load_scenario(source)
        em, decisive = None, False
        structures = list(sc.experiment.structures)
        baseline = sc.experiment.baseline if sc.experiment.baseline in structures \
            else structures[0]
        shown = list(sc.uncertainties)
        default_out = source.with_suffix("").with_name(f"{source.stem}-whatif")
    sliders = []
    for p in shown:
        u = sc.uncertainties[p]
        low, high = u.range
        if em is not None:  # the box trained on, rounded inwards to 3 digits
            j = em.parameters.index(p)
            low, high = inward(float(em.low[j]), float(em.high[j]))
        value = float(np.clip(base_value(sc, p), low, high))
        src = u.source if isinstance(u.source, dict) else {"en": str(u.source)}
        sliders.append(Slider(p, low, high, tuple(u.range), dict(src), value))
    return Session(sc, sliders, em, structures, baseline, out or default_out, decisive,
                   workers)
