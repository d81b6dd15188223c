"""Settings of ``automated_marketing``: the marketing budget and its response, the dispatchers."""

from __future__ import annotations

from pydantic import Field, model_validator

from sim.config.settings import Section
from sim.config.structures.registry import Priorities, StructureSpec


class AutomatedMarketingSettings(Section):
    """Marketing buys the leads; a few dispatchers route requests to production."""

    budget_monthly: float = Field(40_000.0, ge=0.0)
    min_leads_per_month: float = Field(0.0, ge=0.0)
    max_leads_per_month: float = Field(400.0, ge=0.0)
    response_shape: float = Field(1.5, gt=0.0, le=20.0)
    half_response_budget: float = Field(40_000.0, gt=0.0)
    word_of_mouth_q: float = Field(0.38, ge=0.0, le=10.0)
    nurture_days: float = Field(10.0, ge=0.0)
    dispatchers: int = Field(3, ge=1, le=10_000)
    dispatch_hours: float = Field(0.25, gt=0.0, le=24.0)
    close_skill: float | None = Field(
        None, gt=0.0, le=1.0, description="Skill requests convert at without a salesperson; "
        "left out, market.self_serve x skill.s_max (sim/model/self_serve.py).")
    reminder_effect: float | None = Field(
        None, ge=0.0, le=1.0, description="Share of neglect automated reminders take away; "
        "left out, market.self_serve.")
    institutional_relationship: float | None = Field(
        None, ge=0.0, le=1.0, description="Bond clients feel with the firm itself; left out, "
        "market.self_serve x market.self_serve_bond.")
    priorities: Priorities = Field(default_factory=Priorities)
    order_intake_share: float = Field(
        0.25, ge=0.0, le=1.0, description="Share of an order's handling time a dispatcher "
        "spends taking it in and routing it (orders cost dispatch time by their size).")
    adstock_half_life_months: float = Field(
        2.0, ge=0.0, le=120.0, description="Half-life of the carry-over of marketing spend "
        "(adstock); 0: a month's leads answer to that month's spend alone.")
    setup_cost: float = Field(3_000.0, ge=0.0, description="Setting the marketing platform "
                              "up at a switch.")

    @model_validator(mode="after")
    def _range(self) -> AutomatedMarketingSettings:
        if self.max_leads_per_month < self.min_leads_per_month:
            raise ValueError(f"max_leads_per_month ({self.max_leads_per_month:g}) must not be "
                             f"below min_leads_per_month ({self.min_leads_per_month:g})")
        return self


SPEC = StructureSpec(section="automated_marketing", settings=AutomatedMarketingSettings,
                     names=("automated_marketing",), lead_source=True, composable=False,
                     phasable=False)
