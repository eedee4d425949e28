"""Startup-ecosystem simulator: an agent-based model of China's 2015 mass
entrepreneurship and innovation policy, with scenario-driven batch runs.

The public API is imported lazily so that ``sim levers`` and friends start
fast and a helper process imports only what it uses.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.2.0"

_EXPORTS = {
    "StartupEcosystem": "sim.model",
    "EcosystemScenario": "sim.model",
    "evaluate": "sim.evaluation",
    "run_experiment": "sim.experiments.runner",
    "load_results": "sim.experiments.results",
    "CATALOGUE": "sim.levers",
    "LEVERS": "sim.levers",
    "Schedule": "sim.schedule",
    "OUTCOMES": "sim.outcomes",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'sim' has no attribute {name!r}")
