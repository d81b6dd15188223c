"""The validation tables of docs/validation.md, printed: ``python -m sim.validation``.

Runs every theory check (:mod:`sim.validation.queues`, :mod:`sim.validation.turnover`),
the published ranges and turnover by structure (:mod:`sim.validation.published`), prints
each family as a markdown table, and exits non-zero when a theory or published check
disagrees. An argparse entry beside the Typer CLI, because it is a maintainer's tool.
"""

from __future__ import annotations

import argparse

from sim.validation.checks import Check
from sim.validation.published import published_ranges, turnover_by_structure
from sim.validation.queues import check_littles_law, check_mm1_personal, check_mmc, check_pooling
from sim.validation.turnover import check_mmc_turnover, check_patience_turnover

__all__ = ["main"]


def _print(title: str, checks: list[Check]) -> None:
    print(f"\n{title}\n")
    print("| check | target | source | measured | replications | agrees |")
    print("|---|---|---|---|---|---|")
    for c in checks:
        r = c.row()
        print(f"| {r['check']} | {r['target']} | {r['source']} | {r['measured']} | "
              f"{r['replications']} | {'yes' if r['agrees'] else 'NO'} |")


def main(argv: list[str] | None = None) -> int:
    """Print the validation tables: ``python -m sim.validation [--replications N]
    [--published-replications M]``."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--replications", type=int, default=30)
    parser.add_argument("--published-replications", type=int, default=100)
    args = parser.parse_args(argv)
    theory = []
    for c, rho in [(1, 0.5), (1, 0.8), (5, 0.8), (20, 0.95)]:
        theory += check_mmc(c, rho, replications=args.replications)
    theory.append(check_mm1_personal(5, 0.8, replications=args.replications))
    theory.append(check_pooling(5, 0.8, replications=args.replications))
    theory.append(check_littles_law(10, 0.8))
    theory.append(check_littles_law(5, 0.8, "classic"))
    theory += check_mmc_turnover(replications=args.replications)
    theory.append(check_patience_turnover(replications=args.replications))
    published = published_ranges(args.published_replications)
    by_structure = turnover_by_structure(args.replications)
    _print("Theory", theory)
    _print("Calibrated to", [c for c in published if c.basis == "calibrated"])
    _print("Validated against", [c for c in published if c.basis == "validated"])
    _print("Turnover under each structure (a mature department after the switch)",
           by_structure)
    return 0 if all(c.agrees for c in theory + published) else 1
