"""The catalogue: every number an analyst may set, by subject.

:mod:`sim.catalogue.policy` holds the levers, the other modules the
uncertainties (behavioural parameters with their ranges and sources) and
the constants of the set-up; :mod:`sim.levers` assembles them.
"""
