"""The catalogue of policy levers, uncertainties and constants.

Every number an analyst may set lives here, once, with its unit, default,
valid range and the sentence of the seed documents that justifies it. The
model, the scenario validator, ``sim levers`` and ``docs/levers.md`` all read
this one table, so they cannot drift apart.

Vocabulary follows the EMA Workbench: *levers* are what policy controls,
*uncertainties* what nobody controls, *constants* the fixed set-up. A lever or
uncertainty may be a constant or a schedule over calendar months (see
:mod:`sim.schedule`).
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, field
from typing import Any

from sim.schedule import Schedule

GUIDELINE = "State Council Guideline on Developing Makerspaces (2015)"
MOST = "MOST: Develop Makerspaces and Facilitate Mass Innovation (2015)"
WIKI = "Encyclopedia: Mass entrepreneurship and innovation"

SUBSIDY_MODES = (
    "none",
    "per_space",
    "per_seat",
    "per_occupied_seat",
    "per_surviving_startup",
    "per_funded_startup",
)


class ValueProblem(ValueError):
    """A value a parameter does not accept. ``str()`` is the whole sentence (for
    a model built from Python); ``problem`` and ``allowed`` are its two halves,
    so a scenario file's one-line error says each once."""

    def __init__(self, name: str, problem: str, allowed: str):
        super().__init__(f"{name}: {problem} ({allowed})")
        self.problem, self.allowed = problem, allowed


@dataclass(frozen=True)
class Parameter:
    """One named input of the model, with everything needed to validate it."""

    name: str
    kind: str  # "lever", "uncertainty", "constant" ("parameter": of another Mesa model)
    type: str  # "real", "integer", "boolean", "categorical", "fractions", "month", "text", "value"
    unit: str
    default: Any
    description: str
    source: str
    min: float | None = None
    max: float | None = None
    choices: tuple[str, ...] | None = None
    schedulable: bool = True
    sweepable: bool = True
    tags: tuple[str, ...] = field(default_factory=tuple)
    group: str = ""  # where it sits among its kind: the docs and the dashboard group by it
    needs: tuple[str, ...] = ()  # other levers that must be set for this one to act

    def check(self, value: Any) -> Any:
        """Return ``value`` normalised, or raise ``ValueError`` saying what is allowed."""
        if isinstance(value, Schedule):
            return Schedule({m: self.check(v) for m, v in value.points.items()})
        if self.type == "value":  # another model's parameter with no simple type: as written
            return self._any_value(value)
        if isinstance(value, dict):
            if not self.schedulable:
                raise self._problem("takes one value, not a schedule")
            if any(isinstance(v, dict) for v in value.values()):
                raise ValueProblem(
                    self.name, "a schedule inside a schedule", "a schedule maps months to values"
                )
            checked = {m: self.check(v) for m, v in value.items()}
            try:
                return Schedule(checked)
            except ValueError as err:  # a month that is not YYYY-MM
                raise ValueProblem(
                    self.name, str(err), "a schedule maps months YYYY-MM to values"
                ) from None
        return self._check_scalar(value)

    def _any_value(self, value: Any) -> Any:
        """Any value, but a number must fit the results tables (64-bit, finite)."""
        if isinstance(value, int) and not isinstance(value, bool) and not -(2**63) <= value < 2**63:
            raise self._problem(f"{shown(value)} is too large for a 64-bit integer")
        if isinstance(value, float) and not math.isfinite(value):
            raise self._problem(f"expected a finite number, got {value!r}")
        return value

    def _problem(self, problem: str) -> ValueProblem:
        return ValueProblem(self.name, problem, self.allowed())

    def _check_scalar(self, value: Any) -> Any:
        kind = self.type
        if kind == "boolean":
            if isinstance(value, bool):
                return value
            raise self._problem(f"expected true or false, got {value!r}")
        if kind == "categorical":
            if value in self.choices:
                return value
            raise self._problem(f"{value!r} is not one of the choices")
        if kind == "month":
            from sim.calendar import format_month, parse_month

            try:
                return format_month(parse_month(value))
            except ValueError as err:
                raise self._problem(str(err)) from None
        if kind == "text":  # a parameter of another Mesa model whose default is text
            if isinstance(value, str):
                return value
            raise self._problem(f"expected text, got {value!r}")
        if kind == "fractions":
            if not isinstance(value, (list, tuple)) or not value:
                raise self._problem(f"expected a non-empty list, got {value!r}")
            return tuple(self._number(v, "real") for v in value)
        return self._number(value, kind)

    def _number(self, value: Any, kind: str) -> float | int:
        written = value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self._problem(f"expected a number, got {value!r}")
        if kind == "integer":
            if isinstance(value, float) and not value.is_integer():
                raise self._problem(f"expected a whole number, got {value!r}")
            value = int(value)
            if not -(2**63) <= value < 2**63:  # the results tables hold 64-bit integers
                raise self._problem(f"{shown(written)} is too large for a 64-bit integer")
        else:
            try:
                value = float(value)
            except OverflowError:
                raise self._problem(f"{shown(written)} is too large") from None
        if not math.isfinite(value):
            raise self._problem(f"expected a finite number, got {written!r}")
        if (self.min is not None and value < self.min) or (
            self.max is not None and value > self.max
        ):
            raise self._problem(f"{shown(written)} is out of range")
        return value

    def _range(self) -> str:
        if self.min is None and self.max is None:
            return ""
        return f" [{_fmt(self.min)}, {_fmt(self.max)}] {self.unit}".rstrip()

    def allowed(self) -> str:
        """Human text for what this parameter accepts."""
        if self.type == "categorical":
            return "one of " + ", ".join(self.choices)
        if self.type == "boolean":
            return "true or false"
        if self.type == "month":
            return "a month YYYY-MM"
        if self.type == "fractions":
            return "a list of fractions in [0, 1]"
        if self.type == "text":
            return "text"
        if self.type == "value":
            return "a value"
        number = "a whole number" if self.type == "integer" else "a number"
        return f"{number} in{self._range()}" if self._range() else number

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready description (used by ``sim levers --json`` and the docs)."""
        default = list(self.default) if isinstance(self.default, tuple) else self.default
        return {
            "name": self.name,
            "kind": self.kind,
            "type": self.type,
            "unit": self.unit,
            "default": default,
            "min": self.min,
            "max": self.max,
            "choices": list(self.choices) if self.choices else None,
            "schedulable": self.schedulable,
            "sweepable": self.sweepable,
            "group": self.group,
            "needs": list(self.needs),
            "description": self.description,
            "source": self.source,
        }


def shown(value: Any) -> str:
    """A value as an error message quotes it: a 400-digit number is cut short."""
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:20]}...({len(text)} characters)"


def _fmt(x: float | None) -> str:
    if x is None:
        return "-inf" if x is None else ""
    from sim.numbers import fmt  # one way to write a number everywhere

    return fmt(x)


def _lever(name, type, unit, default, description, source, **kw) -> Parameter:
    return Parameter(name, "lever", type, unit, default, description, source, **kw)


def _uncertainty(name, type, unit, default, description, source, **kw) -> Parameter:
    return Parameter(name, "uncertainty", type, unit, default, description, source, **kw)


def _constant(name, type, unit, default, description, source, **kw) -> Parameter:
    kw.setdefault("schedulable", False)
    return Parameter(name, "constant", type, unit, default, description, source, **kw)


CATALOGUE: tuple[Parameter, ...] = (
    # --- makerspaces -------------------------------------------------------
    _lever(
        "makerspace_subsidy_mode",
        "categorical",
        "-",
        "per_occupied_seat",
        "What a makerspace is paid subsidy for: built spaces, seats, occupied seats, "
        "startups that survive a year, or startups that raise money.",
        f"{GUIDELINE}: 'providing makerspaces with subsidies for expenses on property "
        "lease, broadband network and public software'",
        choices=SUBSIDY_MODES,
        group="makerspaces",
    ),
    _lever(
        "makerspace_subsidy_rate",
        "real",
        "yuan per unit per month",
        0.0,
        "Subsidy per unit of the chosen mode each month (per_space: per space per "
        "month; per_funded_startup: a one-off amount per funding round).",
        f"{GUIDELINE}: 'subsidies for expenses on property lease, broadband network "
        "and public software'",
        min=0.0,
        max=20000.0,
        group="makerspaces",
    ),
    _lever(
        "subsidy_taper",
        "fractions",
        "share of full rate by year of a space's age",
        (1.0, 0.7, 0.3),
        "Share of the full subsidy paid in each year after a space opens; zero after "
        "the list ends.",
        "Local practice: rent subsidies tapered 100 % / 70 % / 30 % over three years",
        min=0.0,
        max=1.0,
        schedulable=False,
        group="makerspaces",
    ),
    _lever(
        "local_target_spaces",
        "integer",
        "makerspaces (at scale 1)",
        0,
        "Makerspaces local governments aim to have open by the target date, summed "
        "over regions and split by each region's zeal; shortfalls are built by "
        "government-led operators.",
        f"{WIKI}: 'Tianjin proposed to build 100 co-working spaces ... Suzhou planned "
        "to establish 300'",
        min=0,
        max=100000,
        group="makerspaces",
    ),
    _lever(
        "local_target_date",
        "month",
        "YYYY-MM",
        "2020-12",
        "Month by which the local construction target should be met (built up "
        "linearly from the month the target is first set).",
        f"{WIKI}: 'Suzhou planned to establish 300 co-working spaces ... by 2020'",
        schedulable=False,
        group="makerspaces",
    ),
    _lever(
        "idle_building_share",
        "real",
        "share of new spaces",
        0.0,
        "Share of new makerspaces housed in converted idle buildings, whose fixed cost is lower.",
        f"{MOST}: 'providing low-cost workplaces based on idle buildings such as "
        "factory workshops'",
        min=0.0,
        max=1.0,
        group="makerspaces",
    ),
    _lever(
        "accreditation_min_occupancy",
        "real",
        "share of seats",
        0.0,
        "Occupancy below which a space loses accreditation and with it all subsidy "
        "and budget support (0 = no test).",
        f"{WIKI}: 'guiding the sustainable and healthy development of makerspaces "
        "became an urgent task'",
        min=0.0,
        max=1.0,
        group="makerspaces",
    ),
    # --- founders ---------------------------------------------------------
    _lever(
        "registration_cost",
        "real",
        "yuan",
        5000.0,
        "Money a founder pays to register a company (fees, capital, agents).",
        f"{GUIDELINE}: 'lower the threshold ... by deepening commercial system reform, "
        "facilitating startup registration'",
        min=0.0,
        max=200000.0,
        group="founders",
    ),
    _lever(
        "registration_delay",
        "real",
        "months",
        2.0,
        "Months between deciding to found and being able to trade.",
        f"{GUIDELINE}: 'facilitating startup registration'",
        min=0.0,
        max=24.0,
        group="founders",
    ),
    _lever(
        "graduate_grant",
        "real",
        "yuan per graduate founder",
        0.0,
        "One-off start-up grant paid to each graduate founder by the central fund.",
        f"{GUIDELINE}: 'providing places, public services and financial support for "
        "graduates to start their own businesses'",
        min=0.0,
        max=500000.0,
        group="founders",
    ),
    _lever(
        "graduate_free_places",
        "real",
        "share of government-led seats",
        0.0,
        "Share of government-led makerspace seats given rent-free to graduate founders.",
        f"{GUIDELINE}: 'introducing graduate entrepreneurship guidance plans and providing places'",
        min=0.0,
        max=1.0,
        group="founders",
    ),
    _lever(
        "rd_stock_options",
        "real",
        "share of equity kept by the researcher",
        0.0,
        "Stock-option and achievement-use reform: extra share of the venture a "
        "researcher founder keeps, raising the value of founding.",
        f"{GUIDELINE}: 'improving the entrepreneurship stock option incentive "
        "mechanism for R&D personnel'",
        min=0.0,
        max=1.0,
        group="founders",
    ),
    _lever(
        "failure_tolerance",
        "real",
        "0 (stigma) to 1 (tolerated)",
        0.3,
        "How far a failed founder is spared stigma: raises both entry and the "
        "chance a failed founder tries again.",
        f"{GUIDELINE}: 'advocate an innovation culture where pioneers are encouraged "
        "and failures tolerated'",
        min=0.0,
        max=1.0,
        group="founders",
    ),
    _lever(
        "entrepreneurship_promotion",
        "real",
        "0 to 1",
        0.0,
        "Publicity, innovation weeks and maker culture: raises the perceived value of founding.",
        f"{GUIDELINE}: 'vigorously foster the entrepreneurial spirit and the maker culture'",
        min=0.0,
        max=1.0,
        group="founders",
    ),
    # --- finance ----------------------------------------------------------
    _lever(
        "guidance_coinvest_ratio",
        "real",
        "yuan of public money per angel yuan",
        0.0,
        "Guidance-fund co-investment beside each angel cheque (1 = matched 1:1).",
        f"{GUIDELINE}: 'strengthen the role of fiscal funding in guiding social "
        "capital through the market mechanism'",
        min=0.0,
        max=4.0,
        group="finance",
    ),
    _lever(
        "angel_tax_credit",
        "real",
        "share of investment",
        0.0,
        "Share of an angel cheque credited against the angel's tax.",
        f"{GUIDELINE}: 'fostering angel investors'",
        min=0.0,
        max=0.7,
        group="finance",
    ),
    _lever(
        "crowdfunding_enabled",
        "boolean",
        "-",
        False,
        "Whether the equity-crowdfunding pilot is open to seed-stage startups.",
        f"{GUIDELINE}: 'piloting Internet equity crowdfunding'",
        group="finance",
    ),
    _lever(
        "crowdfunding_cap",
        "real",
        "yuan per campaign",
        1_000_000.0,
        "Most a single equity-crowdfunding campaign may raise.",
        f"{GUIDELINE}: 'piloting Internet equity crowdfunding'",
        min=10_000.0,
        max=50_000_000.0,
        group="finance",
    ),
    _lever(
        "crowdfunding_fee",
        "real",
        "share of money raised",
        0.05,
        "Platform fee taken from a successful campaign.",
        f"{GUIDELINE}: 'piloting Internet equity crowdfunding'",
        min=0.0,
        max=0.3,
        group="finance",
    ),
    _lever(
        "regional_equity_market",
        "real",
        "0 to 1",
        0.0,
        "Depth of the regional equity market for SMEs: raises the monthly chance "
        "that a growing startup finds an exit.",
        f"{GUIDELINE}: 'regulating and developing regional equity markets for SMEs'",
        min=0.0,
        max=1.0,
        group="finance",
    ),
    _lever(
        "bank_tech_lending",
        "real",
        "months of revenue lent",
        0.0,
        "Technology loans and IP-pledge lending to growth-stage startups, as months "
        "of current revenue a bank will lend.",
        f"{GUIDELINE}: 'encouraging banking and financial institutions to provide "
        "financial services for technology-based SMEs'",
        min=0.0,
        max=24.0,
        group="finance",
    ),
    # --- services ---------------------------------------------------------
    _lever(
        "competition_prize_pool",
        "real",
        "yuan per year (at scale 1)",
        0.0,
        "Prize money of innovation competitions and training camps, paid each October.",
        f"{GUIDELINE}: 'continuing to organize relevant competition and training "
        "events such as the China Innovation and Entrepreneurship Competition'",
        min=0.0,
        max=1e9,
        group="services",
    ),
    _lever(
        "mentorship",
        "real",
        "0 to 1",
        0.2,
        "Reach of the entrepreneurship tutorship system: how fast founders in makerspaces learn.",
        f"{GUIDELINE}: 'putting in place a sound entrepreneurship tutorship system'",
        min=0.0,
        max=1.0,
        group="services",
    ),
    _lever(
        "facility_sharing",
        "real",
        "share of equipment cost saved",
        0.0,
        "Open sharing of S&T facilities: cuts the monthly burn of research and hardware founders.",
        f"{GUIDELINE}: 'promoting the openness and sharing of S&T facilities'",
        min=0.0,
        max=0.8,
        group="services",
    ),
    _lever(
        "patent_fast_track",
        "boolean",
        "-",
        False,
        "Fast-track patent review: idea-stage ventures reach a product sooner.",
        f"{GUIDELINE}: 'providing fast tracks for small and micro-sized enterprises "
        "in patent review'",
        group="services",
    ),
    _lever(
        "central_budget",
        "real",
        "yuan per year (at scale 1)",
        20_000_000.0,
        "Yearly budget of the central fund (grants, prizes, guidance co-investment).",
        f"{GUIDELINE}: 'substantially increasing capital investment'",
        min=0.0,
        max=1e11,
        group="services",
    ),
    _lever(
        "local_budget",
        "real",
        "yuan per year (at scale 1)",
        30_000_000.0,
        "Yearly budget of all local funds (makerspace subsidies, government-led "
        "spaces), split by regional zeal.",
        f"{GUIDELINE}: 'governments and departments at various levels should ... "
        "substantially increase capital investment'",
        min=0.0,
        max=1e11,
        group="services",
    ),
    # --- uncertainties ----------------------------------------------------
    _uncertainty(
        "market_rent",
        "real",
        "yuan per seat per month",
        1500.0,
        "Market rent of a desk outside makerspaces in the hub region.",
        "Assumption (ODD: input data)",
        min=100.0,
        max=10000.0,
        group="uncertainties",
    ),
    _uncertainty(
        "monthly_wage",
        "real",
        "yuan per month",
        8000.0,
        "Wage a potential founder gives up, and pays each employee, in the hub region.",
        "Assumption (ODD: input data)",
        min=1000.0,
        max=50000.0,
        group="uncertainties",
    ),
    _uncertainty(
        "demand_growth",
        "real",
        "per year",
        0.06,
        "Growth of the market startups sell into.",
        "Assumption: China's 'new normal' of medium-to-high growth",
        min=-0.2,
        max=0.3,
        group="uncertainties",
    ),
    _uncertainty(
        "operator_optimism",
        "real",
        "share",
        0.15,
        "How far would-be operators over-read the occupancy they observe.",
        "Assumption: the oversupply the encyclopedia article describes",
        min=-0.5,
        max=1.0,
        group="uncertainties",
    ),
    _uncertainty(
        "observation_lag",
        "integer",
        "months",
        6,
        "Age of the occupancy figures would-be operators see.",
        "Assumption: statistics are published with a lag",
        min=0,
        max=36,
        schedulable=False,
        group="uncertainties",
    ),
    _uncertainty(
        "exit_tail",
        "real",
        "Pareto shape",
        1.0,
        "Shape of the heavy tail of exit values (smaller = heavier).",
        "Calibration target: top tenth of angel exits bring about 90 % of cash",
        min=0.6,
        max=4.0,
        schedulable=False,
        group="uncertainties",
    ),
    # --- constants --------------------------------------------------------
    _constant(
        "start",
        "month",
        "YYYY-MM",
        "2014-01",
        "Calendar month of the first step.",
        "Brief: scenario start month, default 2014-01",
        group="constants",
    ),
    _constant(
        "scale",
        "real",
        "multiplier",
        1.0,
        "Multiplies every population (potential founders, angels, operators); 1 = "
        "the nation at 1:100.",
        "Brief: the same model runs from a few hundred to a few hundred thousand agents",
        min=0.001,
        max=1000.0,
        group="constants",
    ),
    _constant(
        "journal",
        "boolean",
        "-",
        False,
        "Keep every individual money flow, not only the monthly totals by reason.",
        "Brief: every yuan is accounted for",
        sweepable=False,
        group="constants",
    ),
)

BY_NAME: dict[str, Parameter] = {p.name: p for p in CATALOGUE}
LEVERS = tuple(p for p in CATALOGUE if p.kind == "lever")


def closest(name: str, names=None) -> str | None:
    """The valid name closest to a misspelt one, if any is close."""
    pool = list(names if names is not None else BY_NAME)
    match = difflib.get_close_matches(name, pool, n=1, cutoff=0.5)
    return match[0] if match else None


class UnknownParameterError(KeyError, ValueError):
    """A name that is not in the catalogue."""

    def __str__(self) -> str:  # KeyError would quote the message
        return self.args[0]


def unknown_message(name: str) -> str:
    """One line naming the unknown parameter and the nearest valid one."""
    hint = closest(name)
    tail = f"; did you mean '{hint}'?" if hint else "; run 'sim levers' for the list"
    return f"unknown parameter '{name}'{tail}"


def resolve(values: dict[str, Any]) -> dict[str, Any]:
    """Defaults overlaid with ``values``, each checked against the catalogue."""
    out = {p.name: p.default for p in CATALOGUE}
    for name, value in values.items():
        if name not in BY_NAME:
            raise UnknownParameterError(unknown_message(name))
        out[name] = BY_NAME[name].check(value)
    return out
