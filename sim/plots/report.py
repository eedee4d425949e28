"""A self-contained HTML report of one results folder.

The report is what gets mailed to a colleague or attached to a policy note,
so it must open anywhere without a network: images are embedded as base64,
the style sheet is inline, and nothing is fetched. It says what was run (the
scenario's name, description and resolved text, the levers that differ from
the defaults with the sentence of the documents they come from), how it went
(runs done and failed), and what came out (every figure and the final-value
table).
"""

from __future__ import annotations

import base64
import html
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sim.plots import style
from sim.plots.data import Results, final_table, sort_key

CSS = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;
max-width:1180px;margin:2em auto;padding:0 1.2em}
h1{margin-bottom:.1em}h2{margin-top:2em;border-bottom:1px solid #ddd;padding-bottom:.2em}
.lead{font-size:1.1em;color:#333}.meta{color:#666;font-size:.9em}
table{border-collapse:collapse;margin:.6em 0;font-size:.92em}
th,td{border-bottom:1px solid #e3e3e3;padding:.3em .7em;text-align:left;vertical-align:top}
th{background:#f5f5f5}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
figure{margin:1.2em 0}figure img{max-width:100%;height:auto;border:1px solid #eee}
figcaption{color:#555;font-size:.9em}
pre{background:#f7f7f7;padding:1em;overflow:auto;font-size:.85em}
.fail{color:#a33}.src{color:#555;font-size:.88em}.wide{overflow-x:auto}
"""

ANALYSIS_PREFIXES = ("sensitivity_", "discovery_", "effects")
SECTIONS = (
    (
        "Outcome curves",
        lambda n: (
            not n.startswith(("sweep_", "heatmap_", "oversupply", "compare_", *ANALYSIS_PREFIXES))
        ),
    ),
    ("Sweep views", lambda n: n.startswith("sweep_")),
    ("Heat maps", lambda n: n.startswith("heatmap_")),
    ("Makerspace oversupply", lambda n: n.startswith("oversupply")),
    ("Comparisons", lambda n: n.startswith("compare_")),
)


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def image_tag(path: Path, alt: str) -> str:
    """An <img> whose data is inside the page (no file or network needed)."""
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f'<img src="data:image/png;base64,{data}" alt="{_e(alt)}">'


def _show(value: Any) -> str:
    """A lever value as the scenario file would say it; schedules as 'month: value' steps."""
    if isinstance(value, dict):
        return " → ".join(f"{m}: {_show(v)}" for m, v in value.items())
    if isinstance(value, (list, tuple)):
        return " / ".join(_show(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return style.fmt_number(float(value))
    return str(value)


def catalogue(manifest: dict[str, Any]) -> dict[str, Any]:
    """Name -> Parameter of the model that made the results: the lever catalogue,
    or another Mesa model's parameters as the manifest recorded them."""
    from sim.experiments.models import parameter
    from sim.levers import BY_NAME

    other = manifest.get("model_parameters")
    if not isinstance(other, dict):
        return BY_NAME
    ref = str(manifest.get("model"))
    return {str(n): parameter(ref, str(n), d) for n, d in other.items()}


def changed_levers(
    scenario: dict[str, Any], params: dict[str, Any] | None = None
) -> list[dict[str, str]]:
    """Levers and parameters the scenario sets to something other than the default."""
    from sim.levers import BY_NAME

    params = BY_NAME if params is None else params
    rows = []
    values = {**(scenario.get("levers") or {}), **(scenario.get("parameters") or {})}
    for name, value in values.items():
        p = params.get(name)
        default = p.default if p else None
        plain_default = list(default) if isinstance(default, tuple) else default
        if p is not None and _same(value, plain_default):
            continue
        rows.append(
            {
                "name": name,
                "value": _show(value),
                "default": _show(plain_default) if p else "–",
                "unit": p.unit if p else "",
                "source": p.source if p else "not in the lever catalogue",
            }
        )
    return rows


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return float(a) == float(b)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def _table(headers: list[str], rows: list[list[str]], numeric: set[int] | None = None) -> str:
    numeric = numeric or set()
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    thead = f"<thead><tr>{head}</tr></thead>" if any(headers) else ""
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="num">{c}</td>' if i in numeric else f"<td>{c}</td>"
            for i, c in enumerate(r)
        )
        + "</tr>"
        for r in rows
    )
    return f"<div class='wide'><table>{thead}<tbody>{body}</tbody></table></div>"


def _runs_section(res: Results) -> str:
    m, sc = res.manifest, res.scenario
    done, failed = len(res.done_runs), len(res.failed_runs)
    dates = sorted(res.timeseries["date"].unique())
    rows = [
        ["design points", _e(len(res.points))],
        ["replications per point", _e(sc.get("replications", m.get("replications", "–")))],
        ["runs finished", _e(done)],
        ["runs failed", f'<span class="fail">{failed}</span>' if failed else "0"],
        ["months simulated", _e(f"{len(dates)} ({dates[0]} to {dates[-1]})") if dates else "–"]
        if res.calendar
        else ["model", f"<code>{_e(m.get('model'))}</code>, {res.when()}"],
        ["root seed", _e(sc.get("seed", m.get("seed_root", "–")))],
    ]
    wall = wall_seconds(m)
    if wall is not None:
        workers = sorted({h.get("workers") for h in m.get("history") or [] if h.get("workers")})
        on = f" on {'/'.join(map(str, workers))} worker(s)" if workers else ""
        rows.append(["wall time", _e(f"{_seconds(wall)}{on} (start to finish of each 'sim run')")])
    if "wall_seconds" in res.runs:
        total = float(res.runs["wall_seconds"].sum())
        rows.append(["run time summed over runs", _e(_seconds(total))])
    if m.get("status"):
        rows.append(["status", _e(m["status"])])
    if m.get("started"):
        rows.append(["started / finished", _e(f"{m.get('started')} / {m.get('finished') or '–'}")])
    for key in ("scenario_hash", "hash"):
        if m.get(key):
            rows.append(["scenario hash", f"<code>{_e(m[key])}</code>"])
            break
    env = m.get("environment") if isinstance(m.get("environment"), dict) else m.get("versions")
    if isinstance(env, dict):
        keys = ("package_version", "git_commit", "python", "mesa", "numpy", "sim")
        shown = [f"{k.replace('package_version', 'sim')} {env[k]}" for k in keys if env.get(k)]
        shown = shown or [f"{k} {v}" for k, v in env.items()]
        rows.append(["versions", _e(", ".join(shown))])
    out = _table(["", ""], rows)
    if failed:
        errs = res.failed_runs.head(10)
        fr = [
            [_e(r.get("run_id")), _e(_first_line(r.get("error")))] for r in errs.to_dict("records")
        ]
        out += "<p class='fail'>Failed runs (first 10):</p>" + _table(["run", "error"], fr)
    return out


def _seconds(total: float) -> str:
    return f"{total:,.1f} s" if total < 10 else f"{total:,.0f} s"


def wall_seconds(manifest: dict[str, Any]) -> float | None:
    """Wall-clock time of the sweep: each invocation's start to finish, added up
    (a resumed sweep ran in several sittings)."""
    total, seen = 0.0, False
    for h in manifest.get("history") or []:
        try:
            a = datetime.fromisoformat(str(h["started"]))
            b = datetime.fromisoformat(str(h["finished"]))
        except (KeyError, TypeError, ValueError):
            continue
        total += max(0.0, (b - a).total_seconds())
        seen = True
    return total if seen else None


def _first_line(error: Any) -> str:
    lines = str(error or "").strip().splitlines()
    return lines[0][:300] if lines else "(no message)"


def _levers_section(res: Results) -> str:
    params = catalogue(res.manifest)
    rows = changed_levers(res.scenario, params)
    parts = []
    if rows:
        parts.append(
            _table(
                ["lever or parameter", "value", "default", "unit", "source"],
                [
                    [
                        f"<code>{_e(r['name'])}</code>",
                        _e(r["value"]),
                        _e(r["default"]),
                        _e(r["unit"].strip("-")),
                        f'<span class="src">{_e(r["source"])}</span>',
                    ]
                    for r in rows
                ],
            )
        )
    else:
        what = "lever" if res.calendar else "parameter"
        parts.append(f"<p>Every {what} is at its default.</p>")
    if res.swept:
        srows = []
        for name in res.swept:
            vals = sorted(res.done_runs[name].dropna().unique().tolist(), key=sort_key)
            shown = ", ".join(style.lever_value(name, v) for v in vals[:12]) + (
                " …" if len(vals) > 12 else ""
            )
            src = params[name].source if name in params else ""
            srows.append(
                [
                    f"<code>{_e(name)}</code>",
                    _e(f"{len(vals)} values: {shown}"),
                    f'<span class="src">{_e(src)}</span>',
                ]
            )
        parts.append("<h3>Swept</h3>" + _table(["lever or parameter", "values", "source"], srows))
    return "".join(parts)


def _cell(row: dict[str, Any], unit: str, band: bool = True) -> str:
    mean = style.fmt_value(row["mean"], unit)
    if not band:
        return mean
    return f"{mean} [{style.fmt_value(row['p5'], unit)}, {style.fmt_value(row['p95'], unit)}]"


def _final_section(res: Results, metrics: list[str], max_rows: int = 40) -> str:
    """Outcomes as rows and points as columns; many points turn the table round."""
    table = final_table(res, metrics)
    groups = list(dict.fromkeys(table["group"]))
    cells = {(r["group"], r["metric"]): r for r in table.to_dict("records")}
    last = res.when()
    step = "month" if res.calendar else "step"
    when = "in" if res.calendar else "after"
    note = (
        f"<p class='meta'>Value {when} the last {step} ({_e(last)}): mean over runs "
        f"[5 %, 95 %]. Flow outcomes are that {step}'s flow. All numbers are in "
        "<code>final_values.csv</code>.</p>"
    )
    if len(groups) <= 4:
        rows = [
            [f"<code>{_e(m)}</code>", _e(style.axis_label(m))]
            + [_e(_cell(cells[(g, m)], style.unit_of(m))) for g in groups]
            for m in metrics
        ]
        return note + _table(["outcome", "unit", *groups], rows, set(range(2, 2 + len(groups))))
    shown = groups[:max_rows]
    rows = [
        [_e(g)] + [_e(_cell(cells[(g, m)], style.unit_of(m), band=False)) for m in metrics]
        for g in shown
    ]
    more = f"<p class='meta'>First {max_rows} of {len(groups)} design points.</p>"
    headers = ["design point"] + [
        m if style.axis_label(m) == m.split("_")[-1] else f"{m} ({style.axis_label(m)})"
        for m in metrics
    ]
    body = _table(headers, rows, set(range(1, 1 + len(metrics))))
    return note.replace(" [5 %, 95 %]", "") + body + (more if len(groups) > max_rows else "")


def _figures_section(figures: list[Path]) -> str:
    parts = []
    for title, test in SECTIONS:
        chosen = [f for f in figures if test(f.stem)]
        if not chosen:
            continue
        parts.append(f"<h2>{_e(title)}</h2>")
        for f in chosen:
            parts.append(
                f"<figure>{image_tag(f, f.stem)}<figcaption>{_e(f.name)}</figcaption></figure>"
            )
    return "".join(parts)


def scenario_text(res: Results) -> str:
    """The resolved scenario as the manifest stored it, else as YAML from its dict."""
    for key in ("scenario_text", "resolved_text", "resolved_scenario", "scenario_yaml"):
        if isinstance(res.manifest.get(key), str):
            return res.manifest[key]
    if res.scenario:
        try:
            import yaml

            return yaml.safe_dump(res.scenario, sort_keys=False, allow_unicode=True)
        except Exception:  # noqa: BLE001 - a report must still be written
            return json.dumps(res.scenario, indent=2, default=str)
    return "(the manifest holds no scenario)"


def write_report(
    res: Results, figures: list[Path], metrics: list[str], path: Path | None = None
) -> Path:
    """Write ``report.html`` in the results folder; return its path."""
    from sim.plots.report_analysis import analysis_sections

    path = path or res.path / "report.html"
    figures = [f for f in figures if f.suffix.lower() == ".png" and f.is_file()]
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    body = [
        f"<h1>{_e(res.name)}</h1>",
        f"<p class='lead'>{_e(res.description)}</p>" if res.description else "",
        f"<p class='meta'>Results folder <code>{_e(res.path)}</code>; report written {now}.</p>",
        "<h2>Runs</h2>",
        _runs_section(res),
        f"<h2>{'Levers' if res.calendar else 'Parameters'} that differ from the defaults</h2>",
        _levers_section(res),
        _figures_section(figures),
        analysis_sections(res, figures),  # report_analysis.py
        "<h2>Final values</h2>",
        _final_section(res, metrics),
        "<h2>Resolved scenario</h2>",
        f"<pre>{_e(scenario_text(res))}</pre>",
    ]
    page = (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{_e(res.name)} — simulation report</title><style>{CSS}</style></head>"
        f"<body>{''.join(body)}</body></html>\n"
    )
    path.write_text(page, encoding="utf-8")
    return path
