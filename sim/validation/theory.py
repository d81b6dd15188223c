"""Closed forms the model must agree with where it reduces to them (test oracles)."""

from __future__ import annotations


def erlang_c(servers: int, offered_load: float) -> float:
    """Probability that an arrival waits in an M/M/c queue (Erlang C formula).

    ``offered_load`` is ``a = lambda / mu``; requires ``a < servers``. Computed with the
    numerically stable Erlang B recursion, ``C = B / (1 - rho (1 - B))``.

    >>> round(erlang_c(1, 0.5), 6)  # M/M/1: the utilisation
    0.5
    """
    if offered_load >= servers:
        raise ValueError(f"unstable: offered load {offered_load} >= servers {servers}")
    b = 1.0
    for k in range(1, servers + 1):
        b = offered_load * b / (k + offered_load * b)
    rho = offered_load / servers
    return b / (1.0 - rho * (1.0 - b))


def mmc_mean_wait(arrival_rate: float, service_rate: float, servers: int) -> float:
    """Mean wait in queue of an M/M/c queue: ``C(c, a) / (c mu - lambda)``."""
    a = arrival_rate / service_rate
    return erlang_c(servers, a) / (servers * service_rate - arrival_rate)


def mm1_mean_wait(arrival_rate: float, service_rate: float) -> float:
    """Mean wait in queue of an M/M/1 queue: ``rho / (mu - lambda)``."""
    return mmc_mean_wait(arrival_rate, service_rate, 1)

