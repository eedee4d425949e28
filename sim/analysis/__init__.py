"""Answers from a results folder: which levers matter, where a condition holds,
how large a policy's effect is.

- :mod:`sim.analysis.sensitivity`: Sobol and Morris indices (SALib) of a
  ``sobol`` or ``morris`` sweep, with bootstrap intervals and a warning when
  the sample is too small for them;
- :mod:`sim.analysis.discovery`: scenario discovery with PRIM (the EMA
  Workbench) for a condition written in a small safe language
  (:mod:`sim.analysis.expression`);
- :mod:`sim.analysis.effects`: a scenario's effect against a baseline, with
  bootstrap intervals, Mann-Whitney p-values and cost-effectiveness.

Each reads the runner's results folder and returns plain tables; the
figures and the report sections that show them live in :mod:`sim.plots`.
The model never imports this package.
"""
