"""salesim: a discrete-event simulation of a sales department growing over with moss.

Public API::

    import sim
    scenario = sim.load_scenario("scenarios/default.yaml")
    results = sim.run(scenario, replications=5)
    results.summary()
"""

from .experiment import Results, compare, run, run_replication, warm_up
from .measures import moss_curve
from .scenario import Scenario, ScenarioError, load_scenario, parse_scenario

__version__ = "0.1.0"

__all__ = ["Results", "Scenario", "ScenarioError", "compare", "load_scenario", "moss_curve",
           "parse_scenario", "run", "run_replication", "warm_up", "__version__"]
