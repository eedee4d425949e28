"""``sim dashboard``: serve the page with Solara's own server, in this process.

The scenario file is read and checked before the server starts, so a bad
file is the usual one-line error and nothing is served. The page's address
is printed; no browser is opened. Everything the page loads comes from this
machine: ``solara-assets`` (an exact pin of the ``viz`` extra) ships the
JavaScript that Solara would otherwise fetch from a public CDN, and Solara's
telemetry is switched off before Solara is imported.
"""

from __future__ import annotations

import os
import socket
import warnings
from pathlib import Path

from sim.errors import UserError

APP = "sim.dashboard.app"
VIZ_HELP = "the dashboard needs the viz extra: pip install -e '.[viz]' (or run: make dashboard)"
OFFLINE_ENV = {
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",  # no usage reports to the vendor
}


def free_port(host: str) -> int:
    """A port nobody listens on now (the OS picks it)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def check_viz() -> None:
    """Fail in one line when the viz extra is missing."""
    try:
        import mesa.visualization  # noqa: F401
        import solara  # noqa: F401
    except ImportError as err:
        raise UserError(f"{VIZ_HELP} ({err})") from None


def cmd_dashboard(args) -> int:
    from sim.dashboard.session import SCENARIO_ENV, start_values

    if args.scenario:
        start_values(args.scenario)  # a bad file stops here, before anything is served
        os.environ[SCENARIO_ENV] = str(Path(args.scenario).resolve())
    else:
        os.environ.pop(SCENARIO_ENV, None)
    os.environ.update(OFFLINE_ENV)
    check_viz()
    port = args.port if args.port else free_port(args.host)
    shown_host = f"[{args.host}]" if ":" in args.host else args.host
    print(f"dashboard: http://{shown_host}:{port}/  (Ctrl-C stops it)", flush=True)
    # Solara warns on every page load over plain http that its cookie falls back to
    # SameSite=Lax; that is the right cookie for a page on this machine, not a fault
    warnings.filterwarnings("ignore", message="Cookies with samesite=none require https")
    from solara.__main__ import run

    run.main(
        [APP, "--host", args.host, "--port", str(port), "--no-open", "--no-check-version"]
        + ["--production", "--log-level-uvicorn", "warning"],
        standalone_mode=False,
    )
    return 0
