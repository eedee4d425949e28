"""Shared fixtures: small models that build and run in well under a second."""

import os

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture
def small_model():
    """A default economy at a fifth of the default size, three years in."""
    from sim.model import StartupEcosystem

    model = StartupEcosystem(rng=7, scale=0.2)
    for _ in range(36):
        model.step()
    return model
