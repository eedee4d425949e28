"""The analyses as aligned text for the terminal (the report shows the same tables)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from sim.numbers import fmt


def _pm(v: Any, c: Any, digits: int = 2) -> str:
    if v is None or c is None:
        return "–"
    return f"{v:.{digits}f} ± {c:.{digits}f}"


def sensitivity_table(entry: dict[str, Any]) -> str:
    rows = pd.DataFrame(entry["rows"])
    level = f"{entry.get('conf_level', 0.95) * 100:.0f} %"
    head = (
        f"{'Sobol indices' if entry['method'] == 'sobol' else 'Morris screening'} of "
        f"{entry['label']}: {entry['samples']:,} "
        f"{'samples' if entry['method'] == 'sobol' else 'trajectories'}, "
        f"{entry['points']:,} design points x {entry['replications']} replication(s) "
        f"(averaged); ± is the {level} bootstrap interval"
    )
    if entry["method"] == "sobol":
        rows = rows.sort_values("ST", ascending=False, na_position="last")
        table = pd.DataFrame(
            {
                "factor": rows["factor"],
                "S1 (first order)": [
                    _pm(a, b) for a, b in zip(rows["S1"], rows["S1_conf"], strict=True)
                ],
                "ST (total)": [_pm(a, b) for a, b in zip(rows["ST"], rows["ST_conf"], strict=True)],
            }
        )
    else:
        rows = rows.sort_values("mu_star", ascending=False, na_position="last")
        table = pd.DataFrame(
            {
                "factor": rows["factor"],
                "mu*": [
                    f"{fmt(_r(a))} ± {fmt(_r(b))}"
                    for a, b in zip(rows["mu_star"], rows["mu_star_conf"], strict=True)
                ],
                "sigma": [fmt(_r(v)) for v in rows["sigma"]],
                "mu": [fmt(_r(v)) for v in rows["mu"]],
            }
        )
    text = head + "\n" + table.to_string(index=False)
    if entry.get("note"):
        text += f"\nnote: {entry['note']}"
    pairs = [p for p in entry.get("pairs") or [] if p.get("S2") is not None]
    if pairs:
        shown = sorted(pairs, key=lambda p: -abs(p["S2"]))[:5]
        text += "\nlargest second-order (S2): " + "; ".join(
            f"{p['factor_a']} x {p['factor_b']} {_pm(p['S2'], p['S2_conf'])}" for p in shown
        )
    return text


def _r(v: Any) -> Any:
    from sim.numbers import significant

    return significant(float(v), 3) if v is not None else "–"


def discovery_table(entry: dict[str, Any]) -> str:
    traj = pd.DataFrame(entry["trajectory"])
    chosen = int(entry["chosen"])
    share = entry["of_interest"] / entry["cases"]
    lines = [
        f"PRIM on {entry['cases']:,} runs: {entry['of_interest']:,} ({100 * share:.0f} %) meet "
        f"'{entry['where']}'",
        "peeling trajectory (box: coverage, density, mass, restricted dimensions):",
    ]
    shown = traj.assign(
        mark=["<- chosen" if b == chosen else "" for b in traj["box"]],
        coverage=[f"{100 * v:.0f} %" for v in traj["coverage"]],
        density=[f"{100 * v:.0f} %" for v in traj["density"]],
        mass=[f"{100 * v:.0f} %" for v in traj["mass"]],
    )
    shown.columns = ["box", "coverage", "density", "mass", "dims", ""]
    lines.append(shown.to_string(index=False))
    lines.append(f"box {chosen} limits:")
    lines.append(limits_text(entry["limits"][chosen]) or "  (no factor restricted)")
    lines += [f"note: {n}" for n in entry.get("notes") or []]
    return "\n".join(lines)


def limits_text(limits: list[dict[str, Any]]) -> str:
    out = []
    for row in limits:
        if row["kind"] == "range":
            what = f"{fmt(_r(row['min']))} to {fmt(_r(row['max']))}"
        else:
            what = "one of " + ", ".join(map(str, row["choices"] or []))
        qp = [q for q in (row.get("qp_low"), row.get("qp_high")) if q is not None]
        tail = f"  (quasi-p {', '.join(f'{q:.2g}' for q in qp)})" if qp else ""
        out.append(f"  {row['factor']}: {what}{tail}")
    return "\n".join(out)
