"""The labour market: who can be hired at the pay offered, how fast, and who stays.

A seat's time to fill, the quality of the hire and each person's quit hazard answer to
pay against the market wage (by default the aspiration income):

- time to fill: ``vacancy_days x (offered / market) ^ -applications_elasticity``
  (applications fall with pay below market, elasticity about 0.4: Azar, Berry and
  Marinescu 2019; 41-58 working days to fill a sales seat at market pay);
- quality: starting skill ``s0 x q`` (at most ``s_max``) and learning time constant
  ``tau / q`` with ``q = (offered / market) ^ quality_elasticity`` within
  ``[1/quality_cap, quality_cap]`` (pay for performance attracts the more productive:
  Lazear 2000, half of the +44 % from selection; Banker et al. 2001; the form is an
  assumption);
- quitting: the hazard is multiplied by ``(own pay / market) ^ -quit_pay_elasticity``
  (relative pay, elasticity about -0.5 derived from Webber 2015), beside the shortfall
  against the person's own aspiration.

Setting the three elasticities to 0 gives back a market that ignores pay.
"""

from __future__ import annotations

from sim.config.sections import LabourMarket

#: Pay ratios are clipped to this range before an elasticity is applied, so a month
#: with almost no pay (a new seat, a strike of bad luck) cannot send a factor to infinity.
RATIO_BOUNDS = (0.25, 4.0)


def clip_ratio(ratio: float) -> float:
    lo, hi = RATIO_BOUNDS
    return min(hi, max(lo, ratio))


def time_to_fill(vacancy_days: float, pay_ratio: float, market: LabourMarket) -> float:
    """Working days until a vacant seat is filled at the offered pay ratio.

    >>> m = LabourMarket()
    >>> time_to_fill(42, 1.0, m), round(time_to_fill(42, 0.5, m), 1)
    (42.0, 55.4)
    """
    return vacancy_days * clip_ratio(pay_ratio) ** -market.applications_elasticity


def hire_quality(pay_ratio: float, market: LabourMarket) -> float:
    """The quality ``q`` of a hire: starting skill scales by ``q``, learning time by 1/q.

    >>> m = LabourMarket()
    >>> hire_quality(1.0, m), round(hire_quality(0.5, m), 3), hire_quality(9.0, m)
    (1.0, 0.707, 1.5)
    """
    q = clip_ratio(pay_ratio) ** market.quality_elasticity
    return min(market.quality_cap, max(1.0 / market.quality_cap, q))


def quit_pay_factor(own_pay_ratio: float, market: LabourMarket) -> float:
    """How much pay against the market multiplies the quit hazard (1 at market pay)."""
    return clip_ratio(own_pay_ratio) ** -market.quit_pay_elasticity
