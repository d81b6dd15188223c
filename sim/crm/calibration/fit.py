"""Estimate a scenario from a CRM export: measure, correct by simulation, infer.

Three kinds of numbers, each marked in the written scenario:

- **measured**: read straight from the export (cycle lengths, spreads of values,
  vacancy length, headcount), with a 95 % interval from the sampling error;
- **corrected**: the export shows the parameter only through the model's other
  mechanisms (an observed win rate mixes skill into the full-skill win rate, observed
  churn mixes neglect and departures into the base churn, a deal count mixes
  qualification into the inbound volume). Each such parameter is scaled until the
  simulated export shows what the real one shows (``theta <- theta * observed /
  simulated``, a fixed-point form of indirect inference; Gourieroux, Monfort and Renault
  1993), its interval the observed one carried through the same ratio;
- **inferred**: what no single statistic shows, the drift of effort (aspiration,
  income targeting, habituation), fitted to the patterns that reveal it (new clients
  and clients served per manager by tenure, the revenue share of clients won within a
  year) by Optuna's TPE sampler on a chi-square distance averaged over replications on
  common random numbers. The 95 % interval is the range of the tried values whose
  distance is within 3.84 (the 95 % point of chi-square with one degree of freedom) of
  the best: a profile-likelihood set (Venzon and Moolgavkar 1988), as far as the trials
  explored it; after the search, slices through the best point (each parameter at
  ``slices`` points across its range, the others held) make sure every parameter's
  range is explored.

Simulated exports come from :func:`sim.crm.synthetic.simulate_history` and are measured by
the same :func:`sim.crm.calibration.moments.moments` as the real one.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from sim.config.scenario import Scenario, parse_scenario
from sim.config.settings import DAYS_PER_MONTH, DAYS_PER_YEAR, MONTHS_PER_YEAR
from sim.crm.calibration import identify
from sim.crm.calibration.correct import (
    NAIVE,
    Z95,
    Estimate,
    correct_step,
    corrected_estimate,
    corrected_parameters,
    informative,
    observations,
    stat,
    variance,
)
from sim.crm.calibration.enough import remarks, shortfalls
from sim.crm.calibration.figures import plain
from sim.crm.calibration.moments import Window, moments
from sim.crm.calibration.ranges import calibrated_ranges
from sim.crm.calibration.result import Calibration, Settings
from sim.crm.synthetic import DEFAULT_START, history_to_frames, simulate_history
from sim.study.executors import open_executor

#: The streams calibration simulates from: never those of a synthetic export
#: (``crm/``), so a fit to one never replays its random numbers.
STREAMS = "calibration/"


#: The 95 % point of chi-square with one degree of freedom: the drift's confidence set.
CHI2_1_95 = 3.841459


class CalibrationError(ValueError):
    """An export or an option calibration cannot use (the message says why)."""


#: The drift parameters inferred by simulation (their ranges: :func:`search_ranges`).
INFERRED = ("behaviour.aspiration_income", "behaviour.income_weight",
            "behaviour.habituation_weight")


def search_ranges(sc: Scenario) -> dict[str, tuple[float, float]]:
    """The range searched for each inferred parameter under scenario ``sc``: the
    aspiration's from 1.1 times the fixed income taken for granted, which it must exceed."""
    lo = 1.1 * sc.behaviour.fixed_income_reference
    return {"behaviour.aspiration_income": (lo, max(20_000.0, 3 * lo)),
            "behaviour.income_weight": (0.0, 1.0),
            "behaviour.habituation_weight": (0.0, 0.9)}


#: The statistics the drift parameters are fitted to: the patterns by tenure and by the
#: size of the book served (income targeting acts through the book, habituation through
#: tenure), the revenue share of new clients, and churn (neglect, which drift causes,
#: trades off against the base churn corrected before).
DRIFT_MOMENTS = ("new_clients_per_manager_month", "clients_served_per_manager_month",
                 "new_clients_by_book", "revenue_share_new_clients", "churn_per_year")

Progress = Callable[[str], None]


# ------------------------------------------------------------------ simulation
def _simulate(task: tuple) -> pd.DataFrame:
    scenario, seed, replication, segments = task
    history = simulate_history(scenario, seed, replication, prefix=STREAMS)
    frames = history_to_frames(history, DEFAULT_START)
    out = moments(*frames, Window.of(*frames), segments)
    out["replication"] = replication
    return out


class Simulator:
    """Simulated statistics of candidate scenarios on common random numbers."""

    def __init__(self, settings: Settings, segments: list[str], executor):
        self.s = settings
        self.segments = segments
        self.executor = executor
        self.evaluations = 0

    def replicate(self, scenario: Scenario) -> pd.DataFrame:
        tasks = [(scenario, self.s.seed, r, self.segments) for r in range(self.s.replications)]
        self.evaluations += 1
        if self.executor is None:
            parts = [_simulate(t) for t in tasks]
        else:
            parts = list(self.executor.map(_simulate, tasks))
        return pd.concat(parts, ignore_index=True)

    def __call__(self, scenario: Scenario) -> tuple[pd.DataFrame, pd.DataFrame]:
        reps = self.replicate(scenario)
        return summarise(reps), reps


def summarise(reps: pd.DataFrame) -> pd.DataFrame:
    """Mean and standard error of each statistic over replications."""
    g = reps.groupby(["name", "group"], sort=False)["value"]
    out = g.agg(value="mean", sd="std", k="count").reset_index()
    out["se"] = out["sd"] / np.sqrt(out["k"])
    return out


# ------------------------------------------------------------ the scenario


def _value(sc: Scenario, path: str) -> float:
    return float(sc.value_at(path))


def _set_segments(base: Scenario, segments: list[str], largest: str
                  ) -> tuple[Scenario, list[str]]:
    """The base scenario's segments, renamed and re-weighted to the export's labels; a
    label the base does not have starts from the base's first segment. What names a
    segment elsewhere follows: key accounts keep the base's segments the export has,
    else the one with the ``largest`` orders; uncertainties of segments the export
    lacks are dropped. Each change is said in a note."""
    known = base.market.segments
    first_name, first = next(iter(known.items()))
    notes = [f"segment {s!r} is not in the base scenario: its numbers a CRM does not show "
             f"(rho, order_hours) are those of {first_name!r}" for s in segments if s not in known]
    segs = {s: (known.get(s) or first).model_dump() for s in segments}
    for s in segs:
        segs[s]["share"] = 1.0 / len(segs)
    data = base.model_dump(mode="python")
    data["market"]["segments"] = segs
    seg = data["structures"]["segmented"]
    keep = [k for k in seg["key_account_segments"] if k in segs]
    if keep != list(seg["key_account_segments"]):
        keep = keep or [largest]
        notes.append(f"structures.segmented.key_account_segments: {keep} (the base named "
                     f"{list(seg['key_account_segments'])})")
        seg["key_account_segments"] = keep
    for path in list(data.get("uncertainties") or {}):
        parts = path.split(".")
        if parts[:2] == ["market", "segments"] and parts[2] not in ("*", *segs):
            del data["uncertainties"][path]
            notes.append(f"uncertainties: {path} dropped (no segment {parts[2]!r})")
    return parse_scenario(data, source="the base scenario with the export's segments"), notes


def measured(obs: pd.DataFrame, segments: list[str]
             ) -> tuple[dict[str, float], list[Estimate]]:
    """The parameters read straight from the export."""
    est: list[Estimate] = []

    def add(path: str, name: str, group: str, method: str, lo_bound: float = 0.0) -> None:
        v, se = stat(obs, name, group)
        if not np.isfinite(v):
            return
        n = observations(obs, name, group)
        if not (np.isfinite(se) and se > 0):  # one observation: no interval
            est.append(Estimate(path, v, math.nan, math.nan, "measured", method,
                                identify.measured(math.nan, lo_bound, n)))
            return
        low = max(lo_bound, v - Z95 * se)
        est.append(Estimate(path, v, low, v + Z95 * se, "measured", method,
                            identify.measured(low, lo_bound, n)))

    for s in segments:
        seg = f"market.segments.{s}"
        add(f"{seg}.sales_cycle_days", "cycle_days", s,
            "mean working days from a new-business deal's creation to its close")
        add(f"{seg}.value_sigma", "value_sigma", s,
            "spread of the log mean order amount across accounts, less order noise")
        add(f"{seg}.order_value_cv", "order_value_cv", s,
            "pooled coefficient of variation of order amounts within accounts")
    add("selling.cycle_shape", "cycle_shape", "",
        "1 / variance of cycle lengths relative to their segment mean (gamma shape)", 0.1)
    oldest, _ = stat(obs, "longest_tenure_years")
    warm = min(max(round(oldest * 4) / 4, 0.25), 20.0)  # quarters, as the scenario allows
    est.append(Estimate("experiment.warmup_years", warm, math.nan, math.nan, "measured",
                        f"the longest tenure at the export's start ({oldest:.2f} years): the "
                        "simulated department grows from its first hires for as long"))
    head, _ = stat(obs, "headcount")
    quits, _ = stat(obs, "quits_per_year")
    vac, _ = stat(obs, "vacancy_days")
    vacant = (quits if np.isfinite(quits) else 0.0) * (vac if np.isfinite(vac) else 0.0)
    seats = max(1, round(head * (1.0 + vacant / DAYS_PER_YEAR)))
    est.append(Estimate("workforce.managers", seats, seats, seats, "measured",
                        f"mean headcount {head:.1f} over the export, plus seats vacant "
                        "between a leave and the next hire"))
    return {e.path: e.value for e in est}, est


def _apply(sc: Scenario, values: dict[str, float]) -> Scenario:
    values = {k: (int(round(v)) if k == "workforce.managers" else float(v))
              for k, v in values.items() if math.isfinite(v)}
    return sc.with_overrides(values)


def distance(obs: pd.DataFrame, sim: pd.DataFrame, names=DRIFT_MOMENTS,
             weights: pd.DataFrame | None = None) -> float:
    """Chi-square distance: squared differences over their :func:`variance`, summed
    over the statistics that reveal drift. ``weights``: simulated statistics whose
    spread sets the variances instead of ``sim``'s (a search holds them fixed, so a
    candidate is not favoured for being noisier)."""
    o = obs[obs["name"].isin(names)].set_index(["name", "group"])
    s = sim[sim["name"].isin(names)].set_index(["name", "group"])
    spread = s if weights is None else weights[weights["name"].isin(names)].set_index(
        ["name", "group"]).reindex(s.index)
    s = s[["value"]].assign(se=spread.get("se", np.nan), sd=spread.get("sd", np.nan))
    j = o[["value", "se"]].join(s[["value", "se", "sd"]].add_suffix("_sim"), how="inner")
    var = pd.Series(variance(j["se"], j["sd_sim"], j["se_sim"]), index=j.index)
    ok = np.isfinite(j["value"]) & np.isfinite(j["value_sim"]) & (var > 0)
    return float(((j["value"] - j["value_sim"])[ok] ** 2 / var[ok]).sum())


# ---------------------------------------------------------------- the whole fit
def calibrate(crm, base: Scenario, settings: Settings | None = None,
              start: str | None = None, progress: Progress | None = None) -> Calibration:
    """Calibrate ``base`` to the export ``crm`` (a :class:`sim.crm.format.Crm`)."""
    import optuna

    s = settings or Settings()
    say = progress or (lambda _msg: None)
    t0 = time.perf_counter()
    try:
        w = Window.of(crm.deals, crm.accounts, crm.owners, start)
    except ValueError as err:
        raise CalibrationError(str(err)) from None
    if short := shortfalls(crm):
        raise CalibrationError("; ".join(short))
    labels = sorted(x for x in crm.accounts["segment"].dropna().unique())
    accounts = crm.accounts
    if not labels:  # one segment for all: every account is in it
        accounts = accounts.assign(segment=next(iter(base.market.segments)))
    segments = labels or list(base.market.segments)[:1]
    obs = moments(crm.deals, accounts, crm.owners, w, segments)
    months = max(1, round(w.days / DAYS_PER_MONTH))
    medians = {g: stat(obs, "order_value_median", g)[0] for g in segments}
    largest = max(segments, key=lambda g: np.nan_to_num(medians[g], nan=-1.0))
    sc, notes = _set_segments(base, segments, largest)
    notes += remarks(crm)
    if not labels:
        notes.append(f"no account has a segment: one segment, {segments[0]!r}, for all")
    sc = sc.with_overrides({"experiment.horizon_years": months / MONTHS_PER_YEAR,
                            "experiment.initial_state": "mature"})
    values, estimates = measured(obs, segments)
    params, vague = [], []
    for p in corrected_parameters(segments):
        (params if informative(obs, p) else vague).append(p)
    for p in params:
        values.setdefault(p.path, _value(sc, p.path))
    # Start the corrected parameters from their naive reading where there is one.
    for p in params:
        o, _ = stat(obs, p.moment, p.group)
        if np.isfinite(o) and o > 0 and p.moment in NAIVE:
            values[p.path] = NAIVE[p.moment](o)
    with open_executor(s.executor if s.replications > 1 else "serial", s.workers) as ex:
        simulate = Simulator(s, segments, ex)

        seen: dict[str, list] = {}

        def correct(rounds: int, current: Scenario) -> tuple[Scenario, pd.DataFrame]:
            nonlocal values
            for i in range(rounds):
                sim, _ = simulate(current)
                values = correct_step(values, params, obs, sim, seen)
                current = _apply(current, values)
                say(f"correction round {i + 1}: distance of the corrected statistics "
                    f"{distance(obs, sim, {p.moment for p in params}):.1f}")
            return current, sim

        sc = _apply(sc, values)
        sc, _ = correct(s.correction_rounds, sc)

        sampler = optuna.samplers.TPESampler(seed=s.seed % 2**32,
                                             n_startup_trials=s.startup)
        optuna.logging.set_verbosity(optuna.logging.WARNING)
        study = optuna.create_study(direction="minimize", sampler=sampler)
        ranges = search_ranges(sc)
        study.enqueue_trial({k: min(max(_value(sc, k), lo), hi)
                             for k, (lo, hi) in ranges.items()})
        best = {"value": math.inf, "trial": 0}
        stop_reason = {"why": f"the {s.trials} trials ran"}

        fixed: dict[str, pd.DataFrame] = {}  # the variances of the search: first trial's

        def objective(trial) -> float:
            x = {k: trial.suggest_float(k, lo, hi) for k, (lo, hi) in ranges.items()}
            sim, _ = simulate(sc.with_overrides(x))
            fixed.setdefault("weights", sim)
            return distance(obs, sim, weights=fixed["weights"])

        def stop(study, trial) -> None:
            if trial.value is not None and trial.value < best["value"] - s.min_gain:
                best["value"], best["trial"] = trial.value, trial.number
            # Patience counts from the end of the random start-up, where the sampler
            # begins to aim.
            if trial.number - max(best["trial"], s.startup - 1) >= s.patience:
                stop_reason["why"] = (f"no gain of {s.min_gain:g} in the distance for "
                                      f"{s.patience} trials (after {trial.number + 1})")
                study.stop()
            say(f"trial {trial.number + 1}: distance {trial.value:.1f} "
                f"(best {study.best_value:.1f})")

        study.optimize(objective, n_trials=s.trials, callbacks=[stop])
        searched = len(study.trials)
        # Slices through the best point: each parameter across its range, the others
        # held, so the 95 % set is not limited to where the sampler happened to aim.
        best_x = dict(study.best_params)
        for k, (lo, hi) in ranges.items():
            for v in np.linspace(lo, hi, s.slices) if s.slices > 1 else []:
                if abs(v - best_x[k]) > 0.02 * (hi - lo):
                    study.enqueue_trial({**best_x, k: float(v)})
        queued = len(study.trials) - searched  # enqueued trials wait as trials already
        if queued:
            say(f"slices through the best: {queued} trials")
            study.optimize(objective, n_trials=queued)
        trials = study.trials_dataframe(attrs=("number", "value", "params"))
        trials["stage"] = np.where(trials["number"] < searched, "search", "slice")
        trials.columns = [c.removeprefix("params_") for c in trials.columns]
        sc = sc.with_overrides(study.best_params)
        before_final = {k: len(v) for k, v in seen.items()}
        sc, _ = correct(max(1, s.correction_rounds - 1), sc)
        simulated, replicated = simulate(sc)
        correct_step(values, params, obs, simulated, seen)  # records the final point only
    ok = trials["value"] <= study.best_value + CHI2_1_95
    for path in INFERRED:
        v = study.best_params[path]
        lo, hi = float(trials.loc[ok, path].min()), float(trials.loc[ok, path].max())
        why = identify.inferred(path, v, lo, hi, ranges[path], trials, ok, CHI2_1_95)
        if lo == hi:  # only the best is in the set: the trials explored too little
            lo = hi = math.nan
        estimates.append(Estimate(
            path, v, lo, hi,
            "inferred", f"fitted by simulation to {', '.join(DRIFT_MOMENTS)} "
            f"(best chi-square distance {study.best_value:.1f}; {searched} trials searched, "
            f"{len(trials) - searched} on slices through the best)", why))
    for p in params:
        history = seen.get(p.path, [])
        at_drift = history[before_final.get(p.path, 0):]  # simulated at the final drift
        estimates.append(corrected_estimate(p, _value(sc, p.path), obs, history, at_drift))
    for p in vague:
        o, se = stat(obs, p.moment, p.group)
        n = observations(obs, p.moment, p.group)
        spread = f" ± {plain(Z95 * se, 2)}" if np.isfinite(se) else ""
        shown = (f"shows {p.text} only as {plain(o)}{spread} from {plain(n)} observations"
                 if np.isfinite(o) else f"shows no {p.text}")
        estimates.append(Estimate(p.path, _value(sc, p.path), math.nan, math.nan, "base",
                                  f"kept from the base scenario: the export {shown}, too "
                                  "little to correct it by"))
    sc, changes = calibrated_ranges(sc, estimates)
    return Calibration(sc, estimates, obs, simulated, replicated, trials, w, s,
                       dict(crm.incomplete), (*crm.notes, *notes), stop_reason["why"],
                       time.perf_counter() - t0, changes)

