"""salesim: a discrete-event simulation of a sales department growing over with moss.

Public API::

    import sim
    scenario = sim.load_scenario("scenarios/default.yaml")
    results = sim.run(scenario, replications=5)
    results.summary()
    sim.sweep(scenario, design="morris", points=10, out="results/screening")
"""

from .experiment import Results, compare, run, run_replication, warm_up
from .measures import moss_curve
from .scenario import Scenario, ScenarioError, load_scenario, parse_scenario
from .sweep import Sweep, open_sweep, sweep

__version__ = "0.1.0"

__all__ = ["Results", "Scenario", "ScenarioError", "Sweep", "compare", "load_scenario",
           "moss_curve", "open_sweep", "parse_scenario", "run", "run_replication", "sweep",
           "warm_up", "__version__"]
