"""salesim: a discrete-event simulation of a sales department growing over with moss.

Public API::

    import sim
    scenario = sim.load_scenario("scenarios/default.yaml")
    results = sim.run(scenario, replications=5)
    results.summary()
    sim.sweep(scenario, design="morris", points=10, out="results/screening")
    calibration = sim.calibrate(sim.read_crm("crm_export/"), scenario)

The names below are imported on first use (PEP 562), so ``import sim`` and a command
that only reads a scenario do not pay for pandas, SciPy or DuckDB.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: Public name -> the module that defines it.
_HOME = {
    "Results": "study.results", "compare": "study.experiment", "run": "study.experiment",
    "run_replication": "study.replication", "warm_up": "study.replication",
    "write_results": "report.folder",
    "moss_curve": "study.measures",
    "Scenario": "config.scenario", "ScenarioError": "config.scenario",
    "load_scenario": "config.scenario", "parse_scenario": "config.scenario",
    "Sweep": "study.sweep_dataset", "open_sweep": "study.sweep_dataset",
    "sweep": "study.sweeps",
    "calibrate": "crm.calibration.fit", "read_crm": "crm.io",
    "synth_crm": "crm.synthetic",
}

__all__ = ["Results", "Scenario", "ScenarioError", "Sweep", "calibrate", "compare",
           "load_scenario", "moss_curve", "open_sweep", "parse_scenario", "read_crm", "run",
           "run_replication", "sweep", "synth_crm", "warm_up", "write_results", "__version__"]

if TYPE_CHECKING:  # pragma: no cover
    from sim.config.scenario import Scenario, ScenarioError, load_scenario, parse_scenario
    from sim.crm.calibration.fit import calibrate
    from sim.crm.io import read_crm
    from sim.crm.synthetic import synth_crm
    from sim.report.folder import write_results
    from sim.study.experiment import compare, run
    from sim.study.measures import moss_curve
    from sim.study.replication import run_replication, warm_up
    from sim.study.results import Results
    from sim.study.sweep_dataset import Sweep, open_sweep
    from sim.study.sweeps import sweep


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'sim' has no attribute {name!r}")
    value = getattr(import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_HOME))
