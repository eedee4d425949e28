"""The report's sections for the analyses of a folder (:mod:`sim.analysis`):
sensitivity indices, PRIM boxes, effects against a baseline, each with its figure.

They show what ``DIR/analysis/`` holds for the folder's current runs
(:mod:`sim.analysis.store`); nothing is computed here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sim.plots import style
from sim.plots.data import Results
from sim.plots.report import _e, _table, image_tag


def _figure(figures: list[Path], stem: str) -> str:
    for f in figures:
        if f.stem == stem:
            return f"<figure>{image_tag(f, f.stem)}<figcaption>{_e(f.name)}</figcaption></figure>"
    return ""


def analysis_sections(res: Results, figures: list[Path]) -> str:
    """Sensitivity indices, PRIM boxes and effects kept in ``DIR/analysis/`` for
    these runs (:mod:`sim.analysis.store`), each with its figure."""
    from sim.analysis import store
    from sim.analysis.report_text import discovery_table, sensitivity_table
    from sim.plots.analysis import discovery_stem, sensitivity_stem

    parts = []
    sens = store.load(res.path, "sensitivity", res.manifest)
    if sens:
        parts.append("<h2>Sensitivity indices</h2>")
        for e in sens:
            warn = f"<p class='fail'>{_e(e['warning'])}</p>" if e.get("warning") else ""
            stem = sensitivity_stem(e)
            parts.append(f"<pre>{_e(sensitivity_table(e))}</pre>{warn}{_figure(figures, stem)}")
    disc = store.load(res.path, "discovery", res.manifest)
    if disc:
        parts.append("<h2>Scenario discovery (PRIM)</h2>")
        for e in disc:
            stem = discovery_stem(e)
            parts.append(f"<pre>{_e(discovery_table(e))}</pre>{_figure(figures, stem)}")
    eff = store.load(res.path, "effects", res.manifest)
    for e in eff:
        parts.append(f"<h2>Effects against {_e(e['baseline'])}</h2>")
        parts += [f"<p class='fail'>{_e(w)}</p>" for w in e.get("warnings") or []]
        rows = [
            [
                f"<code>{_e(r['metric'])}</code>",
                _e(style.fmt_value(r["baseline_mean"], style.unit_of(r["metric"]))),
                _e(style.fmt_value(r["mean"], style.unit_of(r["metric"]))),
                _e(_interval(r, style.unit_of(r["metric"]))),
                _e("–" if r.get("ratio") is None else f"{r['ratio']:.3g}"),
                _e("–" if r.get("p_value") is None else f"{r['p_value']:.2g}"),
            ]
            for r in e.get("rows") or []
        ]
        parts.append(
            _table(
                [
                    "outcome",
                    "baseline",
                    "this scenario",
                    "difference [90 % interval]",
                    "ratio",
                    "p",
                ],
                rows,
                {1, 2, 3, 4, 5},
            )
        )
        for r in e.get("cost") or []:
            band = (
                f" [{style.fmt_number(r['cost_low'])}, {style.fmt_number(r['cost_high'])}]"
                if r.get("cost_low") is not None
                else ""
            )
            note = f" ({r['note']})" if r.get("note") else ""
            value = (
                "–" if r.get("cost_per_extra") is None else style.fmt_number(r["cost_per_extra"])
            )
            text = f"{value} yuan of public spending per {r['per']}{band}{note}"
            parts.append(f"<p>{_e(text)}</p>")
        parts.append(_figure(figures, "effects"))
    return "".join(parts)


def _interval(r: dict[str, Any], unit: str) -> str:
    def f(v: Any) -> str:
        return "–" if v is None else style.fmt_value(v, unit)

    return f"{f(r.get('difference'))} [{f(r.get('difference_low'))}, {f(r.get('difference_high'))}]"
