"""Scenario files and the batch runner.

``scenario``/``loader`` read and validate scenario files, ``design`` expands
sweeps into points, ``seeds`` gives each run its seed, ``runner`` runs them
in a process pool into per-run files (``store``, ``worker``), and
``results`` assembles and loads the tables. ``cli`` holds ``sim validate``
and ``sim run``.
"""
