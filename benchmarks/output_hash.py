"""A fingerprint of what the model produces, for speed work that must not change it.

Runs three economies (the defaults; a capacity subsidy with a construction
target; crowdfunding, co-investment, a regional equity market and the angel
tax credit) for 36 months at scale 0.3 and hashes every outcome of every
month. A change that only makes the model faster prints the same
fingerprint before and after; one that moves a single draw does not. The
fingerprint at the commit that added this script is ``8b1c7c60430fd0c7``.

    python benchmarks/output_hash.py
"""

from __future__ import annotations

import hashlib
import json

from sim.model import StartupEcosystem

ECONOMIES = (
    (0, {}),
    (
        1,
        {
            "makerspace_subsidy_mode": "per_seat",
            "makerspace_subsidy_rate": 600.0,
            "local_target_spaces": 60,
        },
    ),
    (
        2,
        {
            "crowdfunding_enabled": True,
            "guidance_coinvest_ratio": 1.0,
            "regional_equity_market": 1.0,
            "angel_tax_credit": 0.3,
        },
    ),
)


def fingerprint(months: int = 36) -> str:
    digest = hashlib.sha256()
    for seed, levers in ECONOMIES:
        model = StartupEcosystem(rng=seed, scale=0.3, collect=False, **levers)
        for _ in range(months):
            model.step()
            shown = {k: v for k, v in model.outcomes.items() if not k.startswith("_")}
            digest.update(json.dumps(shown, sort_keys=True, default=str).encode())
    return digest.hexdigest()[:16]


if __name__ == "__main__":
    print(fingerprint())
