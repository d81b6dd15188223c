"""The journal: a department's history as a CRM would hold it (deals, clients, people).

A run keeps a journal only when asked (``Department(..., journal=Journal())``): the
synthetic CRM (:mod:`sim.crm.synthetic`) and calibration (:mod:`sim.crm.calibration`) read it.
Keeping it draws no random number, so a run with a journal gives the same numbers as
one without. Times are the simulation's working days.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Lead sources of deals, by the model's source index (sim.model.selling), then orders.
DEAL_SOURCES = ("outbound", "inbound", "referral", "marketing", "repeat")
REPEAT = 4


class Journal:
    """Append-only records of one run: cheap tuples while it runs, frames at the end."""

    def __init__(self) -> None:
        # (deal, account, owner person, created, closed, won (1/0/-1 open), amount, source)
        self.deals: list[list] = []
        self._open: dict[int, int] = {}  # account -> row of its open opportunity
        self.spells: list[list] = []  # (account, segment, won_at, lost_at)
        self._client: dict[int, int] = {}  # account -> row of its current client spell
        self.people: list[list] = []  # (person, hired_at, left_at)
        self._person: dict[int, int] = {}
        self.holder: dict[int, int] = {}  # desk -> person who sat there last

    # ------------------------------------------------------------------ people
    def seated(self, desk: int, person_id: int, hired_at: float) -> None:
        self.holder[desk] = person_id
        if person_id not in self._person:
            self._person[person_id] = len(self.people)
            self.people.append([person_id, hired_at, np.nan])

    def left(self, person_id: int, now: float) -> None:
        row = self._person.get(person_id)
        if row is not None:
            self.people[row][2] = now

    def owner_of(self, desk: int, person) -> int:
        """The person a desk's deal belongs to: who sits there, or who sat there last."""
        if person is not None:
            return person.person_id
        return self.holder.get(desk, -1)

    # ------------------------------------------------------------------- deals
    def opened(self, account: int, owner: int, source: int, now: float) -> None:
        self._open[account] = len(self.deals)
        self.deals.append([len(self.deals), account, owner, now, np.nan, -1, np.nan, source])

    def decided(self, account: int, owner: int, now: float, won: bool, amount: float) -> None:
        row = self._open.pop(account, None)
        if row is None:
            return
        deal = self.deals[row]
        deal[2], deal[4], deal[5], deal[6] = owner, now, int(won), amount

    def order(self, account: int, owner: int, created: float, closed: float, won: bool,
              amount: float) -> None:
        """An order (or upsell) of an existing client: a deal from the source ``repeat``."""
        self.deals.append([len(self.deals), account, owner, created, closed, int(won), amount,
                           REPEAT])

    # ----------------------------------------------------------------- clients
    def client_won(self, account: int, segment: int, now: float) -> None:
        self._client[account] = len(self.spells)
        self.spells.append([account, segment, now, np.nan])

    def clients_lost(self, accounts: np.ndarray, now: float) -> None:
        for a in accounts.tolist():
            row = self._client.pop(a, None)
            if row is not None:
                self.spells[row][3] = now

    # ------------------------------------------------------------------ frames
    def frames(self) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """Deals, client spells and people as frames (times in working days)."""
        deals = pd.DataFrame(self.deals, columns=["deal", "account", "owner", "created",
                                                  "closed", "won", "amount", "source"])
        spells = pd.DataFrame(self.spells, columns=["account", "segment", "won_at",
                                                    "lost_at"])
        people = pd.DataFrame(self.people, columns=["person", "hired_at", "left_at"])
        return deals, spells, people
