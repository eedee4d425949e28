"""Scenario files and the batch runner.

``scenario``/``loader`` read and validate scenario files (``safe_yaml``
reads them as data; ``models`` finds another Mesa model without importing
it), ``design`` expands sweeps into points, ``seeds`` gives each run its
seed, ``runner`` plans and runs them through an executor (``engines``: the
local ``pool``, ``dask_engine``, or any ``concurrent.futures.Executor``;
``worker`` is what a worker does with one run), ``store`` writes and checks
the per-run files, and ``results`` assembles and loads the tables;
``folder``, ``stopping`` and ``script_guard`` keep a sweep from writing
what it cannot finish, from breaking on a signal, and from starting in its
own workers. ``cli`` holds ``sim validate`` and ``sim run``.
"""
