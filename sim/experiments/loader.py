"""Reading scenario files: ``extends``, line numbers, one-line errors.

Every problem a user can make in a scenario file becomes one line,
``FILE:LINE: field: what is wrong (what is allowed)``, pointing at the file
and line where the offending key was written, even when it was inherited
through ``extends``. This module turns YAML and pydantic failures into that
line; the schema itself lives in :mod:`sim.experiments.scenario`.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from sim.errors import UserError
from sim.experiments import safe_yaml
from sim.experiments.analysis_spec import Analysis, resolve_baseline
from sim.experiments.scenario import DESIGNS, SLUG_HELP, Scenario, Sweep, _did_you_mean

KeyPath = tuple[str, ...]
Origin = tuple[str, int]  # (file as shown to the user, line)
MAX_EXTENDS_DEPTH = 16
MERGED_MAPS = ("levers", "parameters")
# Keys that do not change what a run computes: a results folder may be resumed
# after they change. ``replications`` is here because a run's seed depends only
# on (point, replication), so adding replications extends a finished sweep.
NOT_RUN_KEYS = ("name", "description", "plots", "tags", "replications", "analysis")

FIELD_HELP = {
    "name": SLUG_HELP,
    "description": "text saying what question the scenario answers",
    "extends": "a path to another scenario file, relative to this one",
    "model": "module:Class of a Mesa model, e.g. mesa.examples:BoltzmannWealth",
    "start": "a month YYYY-MM",
    "months": "a whole number of months from 1 to 1200",
    "replications": "a whole number from 1 to 100000",
    "seed": "a whole number from 0 to 2**63-1",
    "levers": "a map from lever names to values or schedules",
    "parameters": "a map from parameter names to values",
    "sweep": "a map with design, factors and, for lhs/sobol/morris, samples",
    "sweep.design": "one of " + ", ".join(DESIGNS),
    "sweep.factors": "a map from lever or parameter names to lists, ranges or choices",
    "sweep.points": "a list of maps from names to values",
    "sweep.samples": "a whole number >= 1",
    "sweep.second_order": "true or false",
    "sweep.levels": "a whole number from 2 to 100",
    "outputs": "a list of outcome names",
    "plots": "a list of outcome names or maps",
    "tags": "a list of words",
    "analysis": "a map with sensitivity (outcomes), discover ([{where: EXPR}]), baseline (FILE)",
    "analysis.sensitivity": "a list of outcomes or summaries such as mean_occupancy_rate",
    "analysis.discover": "a list of maps {where: CONDITION, density: 0.8}",
    "analysis.baseline": "a scenario file, relative to this one",
}


class ScenarioError(UserError):
    """A bad scenario, reported as ``FILE:LINE: field: problem (allowed)``."""

    prefix = ""

    def __init__(self, file: str, line: int | None, field: str, problem: str, allowed: str = ""):
        self.file, self.line, self.field = file, line, field
        self.problem, self.allowed = problem, allowed
        where = f"{file}:{line}" if line else file
        tail = f" ({allowed})" if allowed else ""
        super().__init__(f"{where}: {field}: {problem}{tail}")


@dataclass
class LoadedScenario:
    """A validated scenario with where it came from, for messages and the manifest."""

    scenario: Scenario
    source: str = "<scenario>"
    origins: dict[KeyPath, Origin] = field(default_factory=dict)

    def error(self, path: KeyPath, problem: str, allowed: str = "") -> ScenarioError:
        """An error about the key at ``path``, pointing at the line that wrote it."""
        file, line = _locate(self.origins, path, self.source)
        return ScenarioError(file, line, _dotted(path), problem, allowed)

    @property
    def text(self) -> str:
        """The scenario with ``extends`` resolved and defaults filled in, as YAML."""
        return yaml.safe_dump(applicable(self.plain()), sort_keys=False, allow_unicode=True)

    def plain(self) -> dict[str, Any]:
        return self.scenario.model_dump(mode="json", exclude_none=True)

    @property
    def hash(self) -> str:
        return _digest(self.plain())

    @property
    def run_hash(self) -> str:
        """Hash of what determines each run's results (see ``NOT_RUN_KEYS``)."""
        return _digest({k: v for k, v in self.plain().items() if k not in NOT_RUN_KEYS})


# sweep keys that mean something only for some designs (the schema fills in defaults)
DESIGN_KEYS = {"second_order": ("sobol",), "levels": ("morris",)}


def applicable(plain: dict[str, Any]) -> dict[str, Any]:
    """The scenario as shown to a reader: without the sweep keys its design ignores."""
    sweep = plain.get("sweep")
    if not isinstance(sweep, dict):
        return plain
    kept = {
        k: v
        for k, v in sweep.items()
        if sweep.get("design") in DESIGN_KEYS.get(k, (sweep.get("design"),))
    }
    return {**plain, "sweep": kept}


def _digest(data: Any) -> str:
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def load_scenario(source: str | os.PathLike | dict | Scenario | LoadedScenario) -> LoadedScenario:
    """Read and validate a scenario from a file path, a dict or a :class:`Scenario`."""
    if isinstance(source, LoadedScenario):
        return source
    if isinstance(source, Scenario):
        return LoadedScenario(source)
    if isinstance(source, dict):
        data = plain_data(source)
        origins: dict[KeyPath, Origin] = {}
        if "extends" in data:
            data, origins = _extend(data, {}, Path.cwd() / "<scenario>", [], "<scenario>")
        return _validate(data, origins, "<scenario>")
    if not isinstance(source, str | os.PathLike):
        raise UserError(
            f"scenario: expected a scenario file path, a dict or a Scenario, got "
            f"{type(source).__name__}"
        )
    path = Path(source)
    shown = str(source)
    data, origins = _read(path, [], shown)
    return _validate(data, origins, shown)


def plain_data(value: Any) -> Any:
    """A scenario written in Python as YAML would read it: NumPy scalars become the
    Python numbers they hold (``months=np.int64(12)`` is 12, as ``1.5`` is a lever
    value whether a float or a NumPy float), tuples become lists."""
    if isinstance(value, dict):
        return {k: plain_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain_data(v) for v in value]
    item = getattr(value, "item", None)
    if callable(item) and type(value).__module__ == "numpy" and getattr(value, "ndim", 1) == 0:
        return item()
    return value


def _validate(data: dict, origins: dict[KeyPath, Origin], shown: str) -> LoadedScenario:
    if "name" not in data:
        raise ScenarioError(shown, 1 if origins else None, "name", "missing", SLUG_HELP)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as err:
        raise _convert(err, origins, shown) from None
    return LoadedScenario(scenario, shown, origins)


def _read(path: Path, chain: list[Path], shown: str) -> tuple[dict, dict[KeyPath, Origin]]:
    try:
        text = safe_yaml.read_text(path)
    except safe_yaml.YamlProblem as err:
        raise ScenarioError(shown, err.line, "file", err.problem, err.allowed) from None
    except FileNotFoundError:
        raise ScenarioError(
            shown, None, "file", "not found", "a path to a YAML scenario file"
        ) from None
    except (OSError, UnicodeDecodeError) as err:
        raise ScenarioError(
            shown, None, "file", f"cannot be read: {err}", "a UTF-8 text file"
        ) from None
    try:
        data, lines = safe_yaml.load(text)
    except safe_yaml.YamlProblem as err:
        where = _dotted(err.path) if err.path else "file"
        raise ScenarioError(shown, err.line, where, err.problem, err.allowed) from None
    if not isinstance(data, dict):
        got = "an empty file" if data is None else f"a {type(data).__name__}"
        raise ScenarioError(
            shown,
            1,
            "file",
            f"expected a map of scenario keys, got {got}",
            "name: ..., levers: ...",
        )
    origins = {p: (shown, line) for p, line in lines.items()}
    data = {str(k): v for k, v in data.items()}
    missing = resolve_baseline(data, path)
    if missing is not None:
        line = origins.get(("analysis", "baseline"), (shown, None))[1]
        raise ScenarioError(
            shown,
            line,
            "analysis.baseline",
            f"file '{missing}' not found",
            FIELD_HELP["analysis.baseline"],
        )
    if not chain and "name" not in data:
        # an inherited name would make two scenarios share one results folder
        raise ScenarioError(
            shown, 1, "name", "missing (each scenario file names itself)", SLUG_HELP
        )
    if "extends" in data:
        data, origins = _extend(data, origins, path, chain, shown)
    return data, origins


def _extend(
    data: dict, origins: dict, path: Path, chain: list[Path], shown: str
) -> tuple[dict, dict]:
    """Resolve ``extends``: read the base file, then overlay ``data`` on it."""
    ext = data.pop("extends")
    line = origins.get(("extends",), (shown, None))[1]
    if not isinstance(ext, str) or not ext.strip():
        raise ScenarioError(
            shown, line, "extends", f"expected a file path, got {ext!r}", FIELD_HELP["extends"]
        )
    target = (path.parent / ext).resolve()
    me = path.resolve()
    if target in (*chain, me):
        loop = " -> ".join(p.name for p in (*chain, me, target))
        raise ScenarioError(
            shown, line, "extends", f"circular: {loop}", "a chain of files that ends"
        )
    if len(chain) >= MAX_EXTENDS_DEPTH:
        raise ScenarioError(
            shown, line, "extends", "chain is too deep", f"at most {MAX_EXTENDS_DEPTH} files"
        )
    if not target.is_file():
        raise ScenarioError(
            shown, line, "extends", f"file '{ext}' not found", FIELD_HELP["extends"]
        )
    base_shown = _show(target)
    base, base_origins = _read(target, [*chain, me], base_shown)
    return merge(base, base_origins, data, origins)


def _show(path: Path) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return rel if not rel.startswith("..") else str(path)


def merge(base: dict, base_origins: dict, over: dict, over_origins: dict) -> tuple[dict, dict]:
    """Overlay ``over`` on ``base``: keys replace, ``levers``/``parameters`` merge by name,
    and ``null`` removes an inherited key."""
    out = dict(base)
    origins = dict(base_origins)

    def drop(prefix: KeyPath) -> None:
        for key in [k for k in origins if k[: len(prefix)] == prefix]:
            del origins[key]

    for key, value in over.items():
        if key in MERGED_MAPS and isinstance(value, dict) and isinstance(out.get(key), dict):
            inner = dict(out[key])
            for name, v in value.items():
                drop((key, str(name)))
                if v is None:
                    inner.pop(name, None)
                else:
                    inner[name] = v
            out[key] = inner
            continue
        drop((key,))
        if value is None:
            out.pop(key, None)
        else:
            out[key] = value
    origins.update(over_origins)
    return out, origins


def _locate(origins: dict[KeyPath, Origin], path: KeyPath, shown: str) -> Origin | tuple[str, None]:
    for n in range(len(path), 0, -1):
        hit = origins.get(tuple(str(p) for p in path[:n]))
        if hit:
            return hit
    return (shown, 1 if origins else None)


def _dotted(path: KeyPath) -> str:
    text = ""
    for part in path:
        part = str(part)
        text += f"[{part}]" if part.isdigit() and text else (f".{part}" if text else part)
    return text or "scenario"


def _convert(err: ValidationError, origins: dict, shown: str) -> ScenarioError:
    """The first pydantic error as one line with file, line, field and what is allowed."""
    e = err.errors(include_url=False)[0]
    ctx = e.get("ctx") or {}
    path = tuple(str(p) for p in e["loc"]) + tuple(ctx.get("sub", ()))
    head = ".".join(p for p in path[:2] if not p.isdigit())
    allowed = FIELD_HELP.get(head) or FIELD_HELP.get(path[0] if path else "", "")
    value, kind, last = e.get("input"), e["type"], path[-1] if path else ""
    if kind == "scenario":
        problem, allowed = ctx["problem"], ctx.get("allowed", "")
    elif kind == "extra_forbidden":
        fields = (
            list(Sweep.model_fields)
            if path[:1] == ("sweep",)
            else list(Analysis.model_fields)
            if path[:1] == ("analysis",) and len(path) == 2
            else [*Scenario.model_fields, "extends"]
        )
        problem, allowed = (
            f"unknown key '{last}'",
            _did_you_mean(last, fields, "the README: allowed keys are " + ", ".join(fields)),
        )
    elif kind == "missing":
        problem = "missing"
    elif kind.startswith("int_"):
        problem = f"expected a whole number, got {value!r}"
    elif e["loc"][-1:] == ("[key]",) and isinstance(value, bool):
        path = path[:-2]  # the map holding the key (pydantic names the key 0 or 1)
        problem = f"a name YAML reads as {str(value).lower()}"
        allowed = "quote it: YAML reads unquoted on, off, yes, no, true, false as true or false"
    elif kind in ("string_type", "str_type") and isinstance(value, datetime.date):
        problem = f"expected a month YYYY-MM, got the day {value.isoformat()}"  # YAML reads days
    elif kind in ("string_type", "str_type"):
        problem = f"expected text, got {value!r}"
    elif kind == "bool_type":
        problem, allowed = f"expected true or false, got {value!r}", "true or false"
    elif kind in ("dict_type", "model_type", "model_attributes_type"):
        problem = f"expected a map, got {value!r}"
    elif kind == "list_type":
        problem = f"expected a list, got {value!r}"
    elif kind == "literal_error":
        problem, allowed = f"{value!r} is not allowed", f"one of {ctx.get('expected', '')}"
    elif kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        problem = f"{value!r} is out of range"
    else:
        problem = e["msg"][0].lower() + e["msg"][1:]
    file, line = _locate(origins, path, shown)
    return ScenarioError(file, line, _dotted(path), problem, allowed)
