"""The dashboard in a real browser: Debian's chromium driven by Playwright.

Starts ``sim dashboard`` on 127.0.0.1, waits for the controls, steps the
model, moves a lever slider (which then acts from the next month), steps
again, and checks that the step counter advanced, every curve changed, no
request failed and no console error appeared. Leaves a screenshot in
``results/dashboard.png``.

Needs Debian's chromium (``apt-get install chromium``) and the viz extra
(``pip install -e '.[viz]'``); ``.ci/run`` installs both. Without them the
test is skipped saying so, except under CI (``CI`` set), where it fails:
a CI that cannot run it must not pass quietly.
"""

from __future__ import annotations

import importlib.util
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from sim.dashboard import controls as ctl
from sim.levers import CATALOGUE

CHROMIUM = os.environ.get("SIM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # root in CI and containers
    "--disable-gpu",
    "--disable-background-networking",  # no calls out of a closed network
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ENABLE = (
    "install Debian's chromium (apt-get install chromium) and the viz extra "
    "(pip install -e '.[viz]'); .ci/run does both"
)
ROOT = Path(__file__).resolve().parents[1]
SCREENSHOT = ROOT / "results" / "dashboard.png"
STEPS_BEFORE, STEPS_AFTER = 2, 3


def _missing() -> list[str]:
    lacking = [m for m in ("playwright", "solara") if importlib.util.find_spec(m) is None]
    if not os.access(CHROMIUM, os.X_OK):
        lacking.append(CHROMIUM)
    return lacking


@pytest.fixture(scope="module")
def server():
    lacking = _missing()
    if lacking:
        message = f"browser test needs {', '.join(lacking)}: {ENABLE}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "sim", "dashboard", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    # read what the server says as it says it, for the failure message: a pipe
    # nobody reads would block the server once 64 KB of warnings filled it
    said: list[str] = []

    def listen() -> None:
        for line in proc.stdout:
            said.append(line)

    reader = threading.Thread(target=listen, daemon=True)
    reader.start()
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while not said and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        if proc.poll() is not None:
            reader.join(timeout=5)  # what it said before it ended
        first = said[0] if said else ""
        assert first.startswith(f"dashboard: {url}"), "".join(said) or "the dashboard said nothing"
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"dashboard did not start: {''.join(said)}") from None
                time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _lever_to_move():
    """The first slider of a schedulable lever, whatever the catalogue holds, and
    whether its group is the first one (the page opens only that panel)."""
    made = ctl.grouped(ctl.controls({p.name: p.default for p in CATALOGUE}))
    for i, members in enumerate(made.values()):
        for c in members:
            if c.widget == "slider" and c.live and c.name not in app_run_card():
                return c, i == 0
    raise AssertionError("the catalogue has no schedulable numeric lever to move")


def app_run_card() -> tuple[str, ...]:
    from sim.dashboard.app import RUN_CARD

    return RUN_CARD


def test_the_page_runs_offline_and_answers_its_controls(server):
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=60_000)  # a loaded machine redraws slowly; a wait is no assertion

    lever, open_already = _lever_to_move()
    start = lever.stops.index(lever.value)
    target = lever.stops[min(start + 3, len(lever.stops) - 1)]
    if target == lever.value:
        target = lever.stops[start - 3]
    param = next(p for p in CATALOGUE if p.name == lever.name)
    failed, errors = [], []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1500, "height": 1650})
            page.on("requestfailed", lambda r: failed.append(f"{r.url}: {r.failure}"))
            page.on(
                "response",
                lambda r: failed.append(f"{r.url}: {r.status}") if r.status >= 400 else 0,
            )
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.set_default_timeout(60_000)
            page.goto(server)

            counter = page.get_by_text(re.compile(r"^Time: \d"))
            expect(counter).to_have_text(re.compile(r"^Time: 0(\.0)?$"))
            thumb = page.locator(f"[role=slider][data-lever={lever.name}]")
            expect(thumb).to_have_count(1)  # a zero-size box Vuetify moves: never "visible"
            curves = page.locator("img")
            expect(curves.first).to_be_visible()
            n = curves.count()
            assert n >= 2  # the region view and at least one panel of curves
            before = [curves.nth(i).get_attribute("src") for i in range(n)]

            step = page.get_by_role("button", name="Step")
            for k in range(1, STEPS_BEFORE + 1):
                step.click()
                expect(counter).to_have_text(re.compile(rf"^Time: {k}(\.0)?$"))

            if not open_already:
                page.get_by_role("button", name=ctl.label_of(lever.group)).click()
            thumb.focus()
            key = "ArrowRight" if target > lever.value else "ArrowLeft"
            caption = page.locator(f".sim-lever--{lever.name}")
            way = 1 if target > lever.value else -1
            for i in range(1, abs(lever.stops.index(target) - start) + 1):
                page.keyboard.press(key)
                # each stop replays the run: let its note show before the next (on a
                # loaded machine a burst of them once left the page under Solara's overlay)
                shown = re.escape(ctl.shown_value(param, lever.stops[start + way * i]))
                expect(
                    page.get_by_text(re.compile(rf"^{lever.name} = {shown} from \d{{4}}-\d\d"))
                ).to_be_visible()
            expect(caption).to_contain_text(ctl.shown_value(param, target))
            # the running model took it from its next month (the page says from when)
            expect(
                page.get_by_text(re.compile(rf"^{lever.name} = .* from \d{{4}}-\d\d"))
            ).to_be_visible()

            for k in range(STEPS_BEFORE + 1, STEPS_BEFORE + STEPS_AFTER + 1):
                step.click()
                expect(counter).to_have_text(re.compile(rf"^Time: {k}(\.0)?$"))
            expect(page.get_by_text(re.compile(r"^Month: \d{4}-\d\d$"))).to_be_visible()
            page.wait_for_timeout(1500)  # the last redraw of the figures
            after = [curves.nth(i).get_attribute("src") for i in range(curves.count())]
            SCREENSHOT.parent.mkdir(exist_ok=True)
            page.screenshot(path=str(SCREENSHOT), full_page=True)
        finally:
            browser.close()
    assert len(after) == n
    unchanged = [i for i in range(n) if after[i] == before[i]]
    assert not unchanged, (
        f"figures {unchanged} did not change after {STEPS_BEFORE + STEPS_AFTER} steps"
    )
    assert not failed, failed
    assert not errors, errors
