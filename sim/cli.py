"""The ``sim`` command: one entry point, one subcommand per task.

Each subcommand's work lives in the module that owns it; this file only
parses arguments, so ``sim --help`` lists everything in one place.
"""

from __future__ import annotations

import argparse
import os
import sys
from importlib import import_module

from sim.errors import UserError

# subcommand -> "module:function"; the function takes the parsed arguments
# and returns an exit status.
_HANDLERS = {
    "levers": "sim.catalogue_docs:cmd_levers",
    "validate": "sim.experiments.cli:cmd_validate",
    "run": "sim.experiments.cli:cmd_run",
    "plot": "sim.plots.cli:cmd_plot",
    "compare": "sim.analysis.cli:cmd_compare",
    "report": "sim.plots.cli:cmd_report",
    "dashboard": "sim.dashboard.serve:cmd_dashboard",
    "sensitivity": "sim.analysis.cli:cmd_sensitivity",
    "discover": "sim.analysis.cli:cmd_discover",
    "outcomes": "sim.catalogue_docs:cmd_outcomes",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sim",
        description="Startup-ecosystem simulator: run policy what-ifs on an agent-based model.",
    )
    from sim import __version__

    parser.add_argument("--version", action="version", version=f"sim {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("levers", help="print the catalogue of levers and parameters")
    p.add_argument("name", nargs="?", metavar="NAME", help="show one lever or parameter in full")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="JSON list of objects")
    fmt.add_argument("--markdown", action="store_true", help="the docs/levers.md page")
    p.add_argument("--all", action="store_true", help="include uncertainties and constants")
    p.add_argument(
        "--model", metavar="MODULE:CLASS", help="another Mesa model's parameters and outcomes"
    )

    p = sub.add_parser("outcomes", help="list the outcomes the model reports, with units")
    p.add_argument("--json", action="store_true", help="JSON list of objects")

    p = sub.add_parser("validate", help="check scenario files without running them")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--max-runs", type=int, default=100_000, help="refuse larger sweeps")
    p.add_argument("--force", action="store_true", help="allow more than --max-runs runs")
    p.add_argument(
        "--import",
        dest="import_models",
        action="store_true",
        help="import the model a file names (runs its code) to check its parameters and outcomes",
    )

    p = sub.add_parser("run", help="run a scenario file in batch")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--out", metavar="DIR", help="results folder (default results/<name>/)")
    p.add_argument("--workers", type=int, default=None, help="processes (default: all cores)")
    p.add_argument("--fresh", action="store_true", help="discard finished runs and start over")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--no-plots", action="store_true", help="skip figures and the report")
    p.add_argument("--max-runs", type=int, default=100_000, help="refuse larger sweeps")
    p.add_argument("--force", action="store_true", help="allow more than --max-runs runs")
    p.add_argument(
        "--executor",
        choices=("local", "dask"),
        default=None,
        help="where runs execute: local process pool (default) or Dask (pip install '.[cluster]')",
    )
    p.add_argument(
        "--scheduler", metavar="ADDRESS", help="a running Dask scheduler, tcp://HOST:PORT"
    )
    p.add_argument("--dashboard", action="store_true", help="Dask's dashboard on 127.0.0.1:8787")

    p = sub.add_parser("plot", help="draw outcome curves of a results folder")
    p.add_argument("dir", metavar="DIR")
    p.add_argument("--metric", action="append", metavar="NAME", help="outcome to draw (repeat)")
    p.add_argument("--by", metavar="LEVER", help="one colour per value of this lever")
    p.add_argument("--format", choices=("png", "svg", "pdf"), default="png")

    p = sub.add_parser("compare", help="overlay outcomes of several results folders")
    p.add_argument("dirs", nargs="+", metavar="DIR")
    p.add_argument("--metric", action="append", metavar="NAME", help="outcome to draw (repeat)")
    p.add_argument("--out", metavar="DIR", help="where to write (default results/compare/)")
    p.add_argument("--format", choices=("png", "svg", "pdf"), default="png")
    p.add_argument(
        "--baseline",
        metavar="DIR",
        help="effects against this folder: differences with 90 %% intervals, p-values, cost",
    )
    p.add_argument("--point", type=int, metavar="N", help="only design point N of each sweep")

    p = sub.add_parser("sensitivity", help="Sobol or Morris indices of a sobol/morris sweep")
    p.add_argument("dir", metavar="DIR")
    p.add_argument(
        "--outcome",
        action="append",
        metavar="NAME",
        help="outcome or summary (NAME, mean_NAME, max_NAME@2016-01..2018-12; repeat)",
    )
    p.add_argument("--json", action="store_true", help="the indices as JSON")

    p = sub.add_parser("discover", help="scenario discovery (PRIM): where does a condition hold?")
    p.add_argument("dir", metavar="DIR")
    p.add_argument(
        "--where", required=True, metavar="EXPR", help="e.g. 'occupancy_rate < 0.5 and jobs > 100'"
    )
    p.add_argument("--density", type=float, default=0.8, help="least density of the chosen box")
    p.add_argument("--box", type=int, metavar="N", help="choose box N of the trajectory")
    p.add_argument("--json", action="store_true", help="the boxes as JSON")

    p = sub.add_parser("report", help="write a self-contained HTML report of a results folder")
    p.add_argument("dir", metavar="DIR")

    p = sub.add_parser("dashboard", help="serve the interactive page (needs the viz extra)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8765, help="port (default 8765; 0: any free one)")
    p.add_argument("--scenario", metavar="FILE", help="start from a scenario file's levers")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if os.getcwd() not in sys.path:  # `model: mymodel:Class` finds mymodel.py here, as
        sys.path.append(os.getcwd())  # `python -m` would; installed modules come first
    module, func = _HANDLERS[args.command].split(":")
    try:
        return int(getattr(import_module(module), func)(args) or 0)
    except UserError as err:
        print(err.for_terminal(), file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt as stop:  # SIGTERM during a run arrives as its subclass
        print("interrupted", file=sys.stderr)
        return getattr(stop, "exit_code", 130)
    except BrokenPipeError:  # `sim levers | head`
        sys.stderr.close()
        return 0
