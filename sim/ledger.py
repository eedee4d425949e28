"""The money ledger: every yuan that moves, moves here.

Balances live in one list indexed by account number, so an agent's cash is
``ledger.balance[agent.account]`` and a transfer is two list writes. Account 0
is the *world*: customers, households, landlords, acquirers, the treasury.
Money entering the model comes from it and money leaving goes to it, which
makes conservation a one-line check: the balances of all inside accounts
plus everything sent to the world equal everything received from it.

Monthly totals by reason feed the outcome reporters; the full journal
(from, to, amount, reason, month) is kept when ``journal=True``.
"""

from __future__ import annotations

from array import array
from collections import defaultdict

WORLD = 0


class InsufficientFunds(RuntimeError):
    """An inside account tried to pay more than it holds (a model bug)."""


class ClosedAccount(RuntimeError):
    """Money was sent to an account whose owner has left the model (a model bug:
    whatever it was owed must be handed on before it leaves)."""


class Ledger:
    def __init__(self, journal: bool = False):
        self.balance = array(
            "d", [0.0]
        )  # contiguous: one cache line per account, not a float object
        self.owner_kind: list[str] = ["world"]
        self.closed = bytearray(1)  # 1 where the owner has left the model
        self.inflow = 0.0  # total received from the world
        self.outflow = 0.0  # total sent to the world
        self.month_totals: defaultdict[str, float] = defaultdict(float)
        self.totals: defaultdict[str, float] = defaultdict(float)
        self.month = 0
        self.journal = journal
        self._reasons: dict[str, int] = {}
        self.j_src = array("i")
        self.j_dst = array("i")
        self.j_amount = array("d")
        self.j_reason = array("h")
        self.j_month = array("h")

    def open(self, kind: str) -> int:
        """A new inside account with zero balance."""
        self.balance.append(0.0)
        self.owner_kind.append(kind)
        self.closed.append(0)
        return len(self.balance) - 1

    def transfer(self, src: int, dst: int, amount: float, reason: str) -> None:
        """Move ``amount`` from ``src`` to ``dst``; inside accounts cannot go negative."""
        if amount <= 0.0:
            if amount == 0.0:
                return
            raise ValueError(f"negative transfer {amount} for {reason}")
        bal = self.balance
        if src == WORLD:
            self.inflow += amount
        else:
            if amount > bal[src] * (1 + 1e-12) + 1e-9:
                raise InsufficientFunds(
                    f"account {src} has {bal[src]:.2f}, owes {amount:.2f} ({reason})"
                )
            amount = min(amount, bal[src])  # absorb float dust within the tolerance
        if dst == WORLD:
            self.outflow += amount
        elif self.closed[dst]:
            raise ClosedAccount(f"account {dst} ({self.owner_kind[dst]}) is closed ({reason})")
        bal[src] -= amount
        bal[dst] += amount
        self.month_totals[reason] += amount
        if self.journal:
            self._note(src, dst, amount, reason)

    def trade(
        self, account: int, sales: float, costs: float, rent: float = 0.0, landlord: int = WORLD
    ) -> None:
        """A venture's month in one call: ``sales`` in from the world, ``costs`` out to
        it, and ``rent`` to its landlord (a makerspace's account, or the world for an
        office). The same books as three transfers; the venture loop's hot path.

        The balance is updated once, ``((balance + sales) - costs) - rent``, which is
        the three transfers' arithmetic step for step. A month that would end
        below zero, rent owed to a closed space, or a ledger that keeps its
        journal takes the transfers' own path, which absorbs float dust, raises
        on a real overdraft or a closed account, and notes every flow."""
        bal = self.balance
        left = bal[account] + sales - costs - rent
        if (
            left < 0.0
            or self.journal
            or (rent > 0.0 and landlord != WORLD and self.closed[landlord])
        ):
            self._trade_by_transfers(account, sales, costs, rent, landlord)
            return
        bal[account] = left
        totals = self.month_totals
        if sales > 0.0:
            self.inflow += sales
            totals["sales"] += sales
        if costs > 0.0:
            self.outflow += costs
            totals["wages_and_costs"] += costs
        if rent > 0.0:
            bal[landlord] += rent  # the world's entry too, as transfers keep it
            if landlord == WORLD:
                self.outflow += rent
                totals["office_rent"] += rent
            else:
                totals["seat_rent"] += rent

    def _trade_by_transfers(
        self, account: int, sales: float, costs: float, rent: float, landlord: int
    ) -> None:
        bal = self.balance
        totals = self.month_totals
        if sales > 0.0:
            self.inflow += sales
            bal[account] += sales
            totals["sales"] += sales
            if self.journal:
                self._note(WORLD, account, sales, "sales")
        spend = costs + rent
        if spend > bal[account] * (1 + 1e-12) + 1e-9:
            raise InsufficientFunds(f"account {account} has {bal[account]:.2f}, owes {spend:.2f}")
        if costs > 0.0:
            costs = min(costs, bal[account])
            self.outflow += costs
            bal[account] -= costs
            totals["wages_and_costs"] += costs
            if self.journal:
                self._note(account, WORLD, costs, "wages_and_costs")
        if rent > 0.0:
            rent = min(rent, bal[account])
            reason = "office_rent" if landlord == WORLD else "seat_rent"
            if landlord == WORLD:
                self.outflow += rent
            elif self.closed[landlord]:
                raise ClosedAccount(f"account {landlord} is closed ({reason})")
            bal[account] -= rent
            bal[landlord] += rent
            totals[reason] += rent
            if self.journal:
                self._note(account, landlord, rent, reason)

    def _note(self, src: int, dst: int, amount: float, reason: str) -> None:
        code = self._reasons.setdefault(reason, len(self._reasons))
        self.j_src.append(src)
        self.j_dst.append(dst)
        self.j_amount.append(amount)
        self.j_reason.append(code)
        self.j_month.append(self.month)

    def pay_up_to(self, src: int, dst: int, amount: float, reason: str) -> float:
        """Pay as much of ``amount`` as ``src`` holds; return what was paid."""
        paid = min(amount, self.balance[src]) if src != WORLD else amount
        if paid > 0.0:
            self.transfer(src, dst, paid, reason)
        return max(paid, 0.0)

    def sweep(self, account: int, reason: str) -> float:
        """Send what is left in an account to the world; the account stays open
        (a public fund returning its unspent budget)."""
        left = self.balance[account]
        if left > 0.0:
            self.transfer(account, WORLD, left, reason)
        return left

    def close(self, account: int, reason: str) -> float:
        """Send what is left to the world and close the account: its owner leaves
        the model, and any later payment into it is a bug that raises."""
        left = self.sweep(account, reason)
        self.closed[account] = 1
        return left

    def is_open(self, account: int) -> bool:
        return not self.closed[account]

    def new_month(self, month: int) -> None:
        for reason, amount in self.month_totals.items():
            self.totals[reason] += amount
        self.month_totals = defaultdict(float)
        self.month = month

    def inside_total(self) -> float:
        return sum(self.balance) - self.balance[WORLD]

    def conservation_error(self) -> float:
        """Relative gap between inside balances + outflow and inflow (0 when conserved)."""
        lhs = self.inside_total() + self.outflow
        return abs(lhs - self.inflow) / max(abs(self.inflow), 1.0)

    def journal_frame(self):
        """The full journal as a DataFrame (needs ``journal=True``)."""
        import pandas as pd

        names = {code: reason for reason, code in self._reasons.items()}
        return pd.DataFrame(
            {
                "month": list(self.j_month),
                "from": list(self.j_src),
                "to": list(self.j_dst),
                "amount": list(self.j_amount),
                "reason": [names[c] for c in self.j_reason],
            }
        )
