"""The design of a sweep: which points of the scenario's uncertainties it runs.

SALib's samplers draw the points (Morris trajectories, Saltelli's scheme on a Sobol'
sequence, a Latin hypercube) or a ``grid`` takes the centres of equal-probability cells;
every point is checked to be a valid scenario before anything runs. Shared by the
runner (:mod:`sim.study.sweeps`) and the reader (:mod:`sim.study.sweep_dataset`), which
rebuilds a point's scenario with :func:`point_scenario`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.config.scenario import Scenario, ScenarioError
from sim.config.uncertainties import assignments, salib_problem

DESIGNS = ("lhs", "sobol", "morris", "grid")
#: Designs that can move a group of parameters together and score the group (SALib's
#: ``groups``): Morris trajectories and Saltelli's scheme.
GROUPABLE = ("morris", "sobol")
#: What ``points`` counts under each design.
POINTS_MEAN = {
    "lhs": "design points",
    "sobol": "base samples N (the design has N x (parameters + 2) points)",
    "morris": "trajectories (the design has trajectories x (parameters + 1) points)",
    "grid": "levels per parameter (the design has levels ^ parameters points)",
}
MORRIS_LEVELS = 4  # SALib's default grid of the Morris design
MAX_POINTS = 100_000  # a larger study is several sweeps


class SweepError(ValueError):
    """A sweep that cannot run as asked; the message names the option, the value and
    what is allowed."""


def design_size(design: str, points: int, parameters: int) -> int:
    """Number of design points ``design`` makes from ``points`` over ``parameters``."""
    return {"lhs": points, "sobol": points * (parameters + 2),
            "morris": points * (parameters + 1), "grid": points ** parameters}[design]


def factors(problem: dict) -> int:
    """What a design steps through: the groups of a grouped problem, else the parameters."""
    groups = problem.get("groups")
    return len(dict.fromkeys(groups)) if groups else int(problem["num_vars"])


def check_grouping(design: str) -> None:
    """A grouped screening needs a design that can group (:data:`GROUPABLE`)."""
    if design not in GROUPABLE:
        raise SweepError(f"by_group: a {design} design cannot group parameters; grouped "
                         f"screening goes with {' or '.join(GROUPABLE)}")


def _check_design(design: str, points: int, parameters: int) -> None:
    if design not in DESIGNS:
        raise SweepError(f"design: got {design!r}; allowed: {', '.join(DESIGNS)}")
    if parameters == 0:
        raise SweepError("the scenario has no uncertainties: add an `uncertainties:` section "
                         "naming the parameters to vary")
    if points < 2:
        raise SweepError(f"points: got {points}; {design} needs at least 2 "
                         f"{POINTS_MEAN[design].split(' (')[0]}")
    if design == "sobol" and points & (points - 1):
        low = 1 << (points.bit_length() - 1)
        raise SweepError(f"points: got {points}; the Sobol' sequence needs a power of 2 "
                         f"base samples, such as {low} or {2 * low}")
    n = design_size(design, points, parameters)
    if n > MAX_POINTS:
        raise SweepError(f"points: {design} with {points} over {parameters} parameters "
                         f"makes {n:,} design points, more than {MAX_POINTS:,}; use fewer "
                         "points or parameters, or split the study")


def make_design(scenario: Scenario, design: str = "morris", points: int = 10,
                seed: int | None = None, by_group: bool = False) -> pd.DataFrame:
    """The design as a frame: one row per design point (index ``point``), one column per
    uncertainty. SALib's samplers draw it (Morris trajectories on a 4-level grid,
    Saltelli's scheme on a scrambled Sobol' sequence without second order, Latin
    hypercube); ``grid`` takes the centres of ``points`` equal-probability cells per
    parameter, scaled through each distribution as SALib scales its samples. With
    ``by_group`` (morris and sobol), a group's parameters move together: G groups make
    ``points x (G + 1)`` Morris points (Campolongo, Cariboni and Saltelli 2007)."""
    seed = scenario.experiment.seed if seed is None else int(seed)
    if by_group:
        check_grouping(design)
    problem = salib_problem(scenario.uncertainties, by_group=by_group)
    k = problem["num_vars"]
    _check_design(design, points, factors(problem) if problem["num_vars"] else 0)
    if design == "morris":
        from SALib.sample import morris

        x = morris.sample(problem, points, num_levels=MORRIS_LEVELS, seed=seed)
    elif design == "sobol":
        from SALib.sample import sobol

        x = sobol.sample(problem, points, calc_second_order=False, seed=seed)
    elif design == "lhs":
        from SALib.sample import latin

        x = latin.sample(problem, points, seed=seed)
    else:
        from SALib.util import scale_samples

        centres = (np.arange(points) + 0.5) / points
        unit = np.stack(np.meshgrid(*[centres] * k, indexing="ij"), axis=-1).reshape(-1, k)
        x = scale_samples(unit, problem)
    frame = pd.DataFrame(np.asarray(x, dtype=float), columns=problem["names"])
    frame.index.name = "point"
    return frame


def point_scenario(scenario: Scenario, values: dict[str, float]) -> Scenario:
    """The scenario of one design point: the base with the point's values set."""
    return scenario.with_overrides(assignments(scenario, values))


def check_points(scenario: Scenario, design: pd.DataFrame) -> None:
    """Every design point must be a valid scenario (ranges can clash across fields)."""
    for point, row in design.iterrows():
        values = row.to_dict()
        try:
            point_scenario(scenario, values)
        except ScenarioError as err:
            shown = ", ".join(f"{k}={v:g}" for k, v in values.items())
            raise SweepError(f"design point {point} ({shown}) is not a valid scenario: "
                             f"{'; '.join(err.problems)}; narrow the ranges in "
                             "uncertainties") from None
