"""The dashboard page: ``solara run sim.dashboard.app`` (or ``sim dashboard``).

Laid out as Mesa's ``SolaraViz`` lays out its pages (an app bar, a sidebar
with the run controls and the parameters, Mesa's draggable grid of
components), and built from Mesa's pieces: ``ModelController`` (step, play,
pause, reset), ``ShowSteps``, ``ComponentsView`` and ``make_plot_component``.
``SolaraViz`` itself is not used because its parameter panel has neither
groups nor tooltips, and its Reset passes the seed beside the scenario,
which our model refuses (see :mod:`sim.dashboard.session`).

The lever panel is generated from the catalogue (:mod:`sim.dashboard.controls`).
A control moved at month 0 rebuilds the model at once; moved later, a
schedulable lever acts from the next month (the run is replayed to where it
was with the same seed), and the others (and the seed) wait for Reset, which
the page says.
"""

from __future__ import annotations

from typing import Any

import solara
import solara.lab
import solara.server.settings
from mesa.visualization.components import make_plot_component
from mesa.visualization.solara_viz import ComponentsView, ModelController, ShowSteps
from mesa.visualization.utils import force_update, update_counter

from sim.dashboard import controls as ctl
from sim.dashboard import session, views
from sim.levers import BY_NAME

solara.server.settings.telemetry.mixpanel_enable = False  # `solara run` too: nothing leaves
RUN_CARD = ("scale",)  # shown beside the seed, as the issue asks, when the catalogue has them
PLAY_INTERVAL_MS = 100  # Mesa's default; drawing the figures takes longer than this


@solara.component
def LeverSlider(control: ctl.Control, on_change):
    """A slider over the control's stops, with its value and unit written above it."""
    stops = list(control.stops)
    # the thumb's position while it moves; the lever changes when it is let go
    # ("change"), so a drag across the slider rebuilds the model once, not per pixel
    index, set_index = solara.use_state(stops.index(control.value))
    p = BY_NAME[control.name]

    def release(_widget, _event, data):
        if data is not None and stops[int(data)] != control.value:
            on_change(control.name, stops[int(data)])

    with solara.Column(gap="0px", classes=["sim-lever", f"sim-lever--{control.name}"]):
        with solara.Tooltip(control.tooltip):
            solara.Text(control.label, style={"font-weight": "500"})
        slider = solara.v.Slider(
            v_model=index,
            on_v_model=set_index,
            min=0,
            max=len(stops) - 1,
            step=1,
            dense=True,
            hide_details=True,
            class_="sim-slider",
            attributes={"data-lever": control.name},
        )
        solara.v.use_event(slider, "change", release)
        with solara.Row(gap="6px", style={"font-size": "0.8em", "align-items": "baseline"}):
            # solara.Markdown would fetch KaTeX from a CDN: plain text stays offline
            solara.Text(ctl.shown_value(p, stops[index]), style={"font-weight": "bold"})
            solara.Text(f"({control.range_text})")


@solara.component
def LeverText(control: ctl.Control, on_change):
    """A typed value (a taper list, a month), checked by the catalogue on each edit."""
    p = BY_NAME[control.name]
    error, set_error = solara.use_state("")

    def edit(text: str):
        try:
            value = ctl.parse_text(p, text)
        except ValueError as err:
            set_error(str(err))
            return
        set_error("")
        on_change(control.name, value)

    with solara.Tooltip(control.tooltip), solara.Column(gap="0px"):
        solara.InputText(
            f"{control.label} ({control.unit})" if control.unit else control.label,
            value=ctl.as_text(control.value),
            on_value=edit,
            continuous_update=False,
            error=error or False,
        )


@solara.component
def LeverControl(control: ctl.Control, on_change):
    """The widget the catalogue's type calls for."""
    if control.widget == "slider":
        LeverSlider(control, on_change)
    elif control.widget == "text":
        LeverText(control, on_change)
    else:
        with solara.Tooltip(control.tooltip), solara.Column(gap="0px"):
            if control.widget == "switch":
                solara.Switch(
                    label=control.label,
                    value=bool(control.value),
                    on_value=lambda v: on_change(control.name, v),
                )
            elif control.widget == "select":
                solara.Select(
                    control.label,
                    value=control.value,
                    values=list(control.stops),
                    on_value=lambda v: on_change(control.name, v),
                )
            else:  # a schedule from the scenario file
                p = BY_NAME[control.name]
                solara.Text(control.label, style={"font-weight": "500"})
                solara.Text(f"schedule: {ctl.shown_value(p, control.value)}")
                solara.Text("(edit it in the scenario file)", style={"font-size": "0.75em"})


@solara.component
def MonthNote(model):
    """The calendar month of the step Mesa's counter shows."""
    update_counter.get()
    state = " (the initial state)" if model.steps == 0 else ""
    solara.Text(f"Month: {getattr(model, 'date', '')}{state}", classes=["sim-month"])


def _curve_components(model) -> tuple[list, list[str]]:
    reported = set(model.datacollector.model_vars) if model.datacollector else set()
    panels, missing = views.available(views.curves(), reported)
    made = [
        make_plot_component(views.colours(p), post_process=views.styler(p), page=0) for p in panels
    ]
    return made, missing


def RegionView(model):
    """The three regions and their makerspaces (re-drawn on every update)."""
    return solara.FigureMatplotlib(views.region_figure(model), format="png")


@solara.component
def Page():
    start = solara.use_memo(session.start_from_environment, [])
    values = solara.use_reactive(start.values)
    seed = solara.use_reactive(start.seed)
    first = solara.use_memo(lambda: session.build(start.values, start.seed), [])
    model = solara.use_reactive(first)
    # what Mesa's Reset builds the next model from: the controls as they stand
    reset_with = solara.use_reactive({session.SEED_KEY: start.seed, **start.values})
    play_interval = solara.use_reactive(PLAY_INTERVAL_MS)
    render_interval = solara.use_reactive(1)
    use_threads = solara.use_reactive(False)
    message = solara.use_reactive(("", None))  # (what the last move did, to which model)

    def rebuild_now():
        model.set(session.build(values.value, seed.value))
        force_update()

    def on_change(name: str, value: Any):
        values.set({**values.value, name: value})
        reset_with.set({session.SEED_KEY: seed.value, **values.value})
        running = model.value
        if running.steps == 0:
            rebuild_now()
        elif session.acts_live(name):
            change = session.apply_from_next_month(running, name, value)
            model.set(change.model)
            note = f"{name} = {ctl.shown_value(BY_NAME[name], value)} from {change.month}"
            if not change.faithful:
                note += " (the replayed months differ from the run: this lever acts from set-up)"
            message.set((note, change.model))
            force_update()

    def on_seed(value: int | None):
        if value is None or value < 0:
            return
        seed.set(int(value))
        reset_with.set({session.SEED_KEY: seed.value, **values.value})
        if model.value.steps == 0:
            rebuild_now()

    items = ctl.controls(values.value)
    run_items = [c for c in items if c.name in RUN_CARD]
    groups = ctl.grouped([c for c in items if c.name not in RUN_CARD])
    waiting = [
        n
        for n in session.pending(model.value, {session.SEED_KEY: seed.value, **values.value})
        if n != session.SEED_KEY or model.value.steps
    ]
    curve_components, missing = solara.use_memo(
        lambda: _curve_components(model.value), [tuple(model.value.datacollector.model_vars)]
    )

    with solara.AppBar():
        solara.AppBarTitle("Startup ecosystem: policy levers")
    with solara.Sidebar(), solara.Column():
        with solara.Card("Run"):
            ModelController(
                model,
                model_parameters=reset_with,
                play_interval=play_interval,
                render_interval=render_interval,
                use_threads=use_threads,
            )
            with solara.Column(gap="0px"):
                ShowSteps(model.value)
                MonthNote(model.value)
            solara.InputInt("Seed", value=seed.value, on_value=on_seed, continuous_update=False)
            for c in run_items:
                LeverControl(c, on_change)
            solara.SliderInt(
                "Play interval (ms)",
                value=play_interval.value,
                on_value=play_interval.set,
                min=0,
                max=2000,
                step=50,
            )
            solara.SliderInt(
                "Draw every (steps)",
                value=render_interval.value,
                on_value=render_interval.set,
                min=1,
                max=24,
            )
            note, about = message.value
            if note and about is model.value:  # a Reset or a rebuild makes it history
                solara.Info(note, dense=True)
            if waiting:
                solara.Warning(
                    "Press Reset to use: " + ", ".join(waiting) + " (they act from the start)",
                    dense=True,
                )
            solara.Text(f"Started from {start.source}.", style={"font-size": "0.8em"})
            for note in start.notes:
                solara.Text(note, style={"font-size": "0.8em"})
            if missing:
                solara.Text(
                    "Not reported by this model, so not drawn: " + ", ".join(missing),
                    style={"font-size": "0.8em"},
                )
        for i, (group, members) in enumerate(groups.items()):
            with solara.Details(ctl.label_of(group), expand=i == 0), solara.Column():
                for c in members:
                    LeverControl(c, on_change)

    ComponentsView([(RegionView, 0), *curve_components], model.value)
