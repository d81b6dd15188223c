"""How much of a sale needs a salesperson.

``market.self_serve`` (0 to 1) says how much of a sale happens without one. Where the
product sells itself (Forrester's "order takers", the rep type it expected self-service
to replace first: -37 % of those jobs by 2020, Hoar et al. 2015; 61-75 % of B2B buyers
say they prefer to buy without a representative, Gartner surveys) a structure without
salespeople closes, keeps and re-sells nearly as a salesperson would; where every deal
needs a consultant (Forrester's complex products bought by complex committees) it falls
far short. Three settings of such a structure follow from the one market parameter,
unless a scenario gives them:

- the **close skill** requests convert at: ``self_serve x s_max`` (skill scales both
  the win rate and the deal size, so both approach a salesperson's);
- the **reminder effect**, the share of neglect automated reminders take away:
  ``self_serve`` (a client who needs no salesperson needs no care contact either);
- the **bond with the firm** its clients feel: ``self_serve x self_serve_bond``.

The linear forms are assumptions; the sourced part is the range of ``self_serve``
across departments (evidence-v3 section 1).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from sim.config.sections import Market, Skill


@dataclass(frozen=True)
class WithoutSalesperson:
    """What a sale without a salesperson achieves in a market."""

    close_skill: float
    reminder_effect: float
    bond: float


def without_salesperson(market: Market, skill: Skill, close_skill: float | None = None,
                        reminder_effect: float | None = None, bond: float | None = None
                        ) -> WithoutSalesperson:
    """The close skill, reminder effect and firm bond of a structure without salespeople:
    each one the scenario gives, else what ``market.self_serve`` implies.

    >>> from sim.config.sections import Market, Skill
    >>> w = without_salesperson(Market(self_serve=0.5, self_serve_bond=0.6), Skill(s_max=1.0))
    >>> w.close_skill, w.reminder_effect, w.bond
    (0.5, 0.5, 0.3)
    >>> without_salesperson(Market(self_serve=0.5), Skill(), close_skill=0.9).close_skill
    0.9
    """
    s = market.self_serve
    return WithoutSalesperson(
        close_skill=close_skill if close_skill is not None else max(1e-6, s * skill.s_max),
        reminder_effect=reminder_effect if reminder_effect is not None else s,
        bond=bond if bond is not None else s * market.self_serve_bond)
