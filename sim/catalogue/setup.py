"""Constants: the set-up of a run, definitions, and switches that turn a mechanism off.

The switches exist so that ``benchmarks/mechanisms.py`` can show what each
mechanism contributes by running the model without it; a policy analysis
leaves them on.
"""

from __future__ import annotations

from sim.parameter import constant

SETUP = (
    constant(
        "start",
        "month",
        "YYYY-MM",
        "2014-01",
        "Calendar month of the first step (the spin-up months come before it).",
        "The 2015 Guideline's timetable starts in 2014 (the brief's history scenario)",
        group="set-up",
    ),
    constant(
        "scale",
        "real",
        "multiplier",
        1.0,
        "Multiplies every population (potential founders, angels, operators); 1 = the "
        "nation at 1:100.",
        "Design: the same model runs from a few hundred to a few hundred thousand agents",
        min=0.001,
        max=1000.0,
        group="set-up",
    ),
    constant(
        "spin_up",
        "integer",
        "months",
        60,
        "Months the economy lives under the start month's levers before the first "
        "recorded month, so a run starts from its own steady state, not from a warm-up.",
        "Design: about the mean life of a venture; docs/ODD.md section 5 shows the "
        "outcomes flat from the first month",
        min=0,
        max=600,
        group="set-up",
    ),
    constant(
        "journal",
        "boolean",
        "-",
        False,
        "Keep every individual money flow, not only the monthly totals by reason.",
        "Design: every yuan is accounted for",
        sweepable=False,
        group="set-up",
    ),
    constant(
        "potential_founders",
        "integer",
        "people at scale 1",
        50000,
        "Potential founders in the pool, split by regional talent and type shares.",
        "Input data: China at 1:100 (docs/ODD.md section 6)",
        min=0,
        max=100_000_000,
        group="set-up",
    ),
    constant(
        "market_reference_ventures",
        "real",
        "trading ventures at scale 1",
        1300.0,
        "Trading ventures at which a region's market pays its base price (split by "
        "talent); more rivals lower it by market_crowding.",
        "Input data: the trading ventures of the 2014 seed economy",
        min=1.0,
        max=1e9,
        group="set-up",
    ),
    constant(
        "survival_months",
        "integer",
        "months",
        12,
        "How long a tenant must have stayed in a space to count as a surviving startup "
        "under the per_surviving_startup subsidy.",
        "Definition of the rule: a startup that survives its first year of incubation",
        min=1,
        max=120,
        group="set-up",
    ),
    constant(
        "operators_screen",
        "boolean",
        "-",
        True,
        "Whether operators may screen applicants (mechanism switch: false turns operator "
        "selection off).",
        "Design: benchmarks/mechanisms.py",
        group="mechanism switches",
    ),
    constant(
        "operators_help",
        "boolean",
        "-",
        True,
        "Whether operators may choose service effort (mechanism switch).",
        "Design: benchmarks/mechanisms.py",
        group="mechanism switches",
    ),
)
