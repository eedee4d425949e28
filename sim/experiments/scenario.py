"""The schema of a scenario file, as pydantic v2 models.

A scenario says which economy to simulate (levers and other parameters,
start month, horizon), how often (replications, root seed), what to vary
(``sweep``) and what to keep (``outputs``, ``plots``). Values of levers are
checked against the lever catalogue (:mod:`sim.levers`), so a scenario file,
``sim levers`` and the model can never disagree on names, units or ranges.
A scenario may instead run another Mesa model (``model: module:Class``);
its names are then checked against that model (:mod:`sim.experiments.models`).

Validation errors raised here carry the path of the offending key in their
context (``sub``) so that :mod:`sim.experiments.loader` can name the exact
line of the file; reading files and ``extends`` live there too.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from sim.experiments import models
from sim.experiments.analysis_spec import Analysis, check_analysis
from sim.experiments.plot_specs import check_plots
from sim.experiments.problems import did_you_mean as _did_you_mean
from sim.experiments.problems import fail
from sim.levers import Parameter, ValueProblem
from sim.schedule import Schedule

SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
SLUG_HELP = "a slug: lowercase letters, digits, '-' and '_', starting with a letter or digit, at most 64 characters"
DESIGNS = ("grid", "list", "lhs", "sobol", "morris")
SAMPLED = ("lhs", "sobol", "morris")
# Top-level keys that are fixed for a whole scenario and so cannot be swept.
FIXED_KEYS = ("name", "description", "start", "months", "replications", "seed", "outputs")
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def coerce(param: Parameter, value: Any) -> Any:
    """Accept ``1e6`` for a number: PyYAML reads exponents without a dot as text."""
    if isinstance(value, dict):
        return {k: coerce(param, v) for k, v in value.items()}
    if param.type in ("real", "integer") and isinstance(value, str) and _NUMBER.match(value):
        return float(value)
    return value


def to_plain(value: Any) -> Any:
    """A checked value as plain YAML/JSON data (schedules as month->value maps)."""
    if isinstance(value, Schedule):
        return {m: to_plain(v) for m, v in value.points.items()}
    if isinstance(value, tuple):
        return [to_plain(v) for v in value]
    return value


def _params() -> dict[str, Parameter]:
    """The parameters of the model being validated (this package's catalogue by default)."""
    return models.current().parameters


def _unknown_names() -> bool:
    """True for a model located but not imported (``sim validate`` without
    ``--import``): its parameters and outcomes are not known, so names are
    taken as written and checked when the model is imported by ``sim run``."""
    return not models.current().imported


def _param(name: str) -> Parameter:
    if name not in _params() and _unknown_names():
        return models.parameter(models.current().ref or "", name, None)  # untyped
    return _params()[name]


class _Any(tuple):
    """Stands for the names of a model not imported: contains every name."""

    def __contains__(self, item: object) -> bool:
        return True


def check_value(name: str, value: Any, sub: tuple[str, ...], param: Parameter | None = None) -> Any:
    """Check one catalogue value (constant or schedule); return it as plain data."""
    param = param or _param(name)
    if isinstance(value, dict):
        for month in value:
            if isinstance(month, str) and month != month.strip():
                raise fail(
                    sub,
                    f"schedule month {month!r} has spaces around it",
                    "months written YYYY-MM, each once",
                )
    try:
        return to_plain(param.check(coerce(param, value)))
    except ValueProblem as err:
        raise fail(sub, err.problem, err.allowed) from None
    except ValueError as err:
        raise fail(sub, str(err).removeprefix(f"{name}: "), param.allowed()) from None


def _check_names(values: dict[str, Any], kinds: tuple[str, ...], where: str) -> dict[str, Any]:
    out = {}
    spec, params = models.current(), _params()
    for name, value in values.items():
        name = str(name)
        if where == "levers" and not spec.builtin:
            raise fail(
                (name,),
                f"{spec.ref} has no policy levers (they belong to this package's model)",
                f"put its parameters under 'parameters'; see {spec.names_help()}",
            )
        if name not in params and not _unknown_names():
            pool = [p.name for p in params.values() if p.kind in kinds]
            raise fail(
                (name,),
                f"unknown {where[:-1]} '{name}'",
                _did_you_mean(name, pool, spec.names_help()),
            )
        param = _param(name)
        if param.kind not in kinds:
            other = "levers" if param.kind == "lever" else "parameters"
            raise fail(
                (name,),
                f"'{name}' is {'an' if param.kind[0] in 'aeiou' else 'a'} {param.kind}, not a {where[:-1]}",
                f"put it under '{other}'",
            )
        if name == "start":
            raise fail(
                (name,), "the start month is a top-level key", "write 'start: YYYY-MM' at the top"
            )
        out[name] = check_value(name, value, (name,))
    return out


def _outcomes_help() -> str:
    spec = models.current()
    return "sim/outcomes.py" if spec.builtin else f"the model reporters of {spec.ref}"


class Sweep(BaseModel):
    """What to vary: a named design over factors (levers or parameters)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    design: Literal["grid", "list", "lhs", "sobol", "morris"]
    factors: dict[str, Any] = Field(default_factory=dict)
    points: list[dict[str, Any]] | None = None
    samples: int | None = Field(default=None, ge=1, le=10_000_000)
    second_order: bool = True
    levels: int = Field(default=4, ge=2, le=100)

    @model_validator(mode="after")
    def _check(self) -> Sweep:
        if self.design != "list" and self.points is not None:
            raise fail(
                ("points",),
                f"'points' is only for design 'list', not '{self.design}'",
                "use 'factors'",
            )
        if self.design in SAMPLED:
            if self.samples is None:
                raise fail(
                    ("samples",), f"design '{self.design}' needs 'samples'", "a whole number >= 1"
                )
            if self.design == "sobol" and self.samples & (self.samples - 1):
                raise fail(
                    ("samples",),
                    f"{self.samples} is not a power of 2",
                    "sobol samples such as 32, 64, 128",
                )
        elif self.samples is not None:
            raise fail(
                ("samples",),
                f"design '{self.design}' takes no 'samples'",
                "remove it, or use lhs, sobol or morris",
            )
        if not self.factors and not self.points:
            raise fail(
                ("factors",), "no factors to vary", "a map from lever or parameter names to values"
            )
        self.factors = {str(k): self._factor(str(k), v) for k, v in self.factors.items()}
        if self.design == "list":
            self._check_list()
        return self

    def _factor(self, name: str, spec: Any) -> Any:
        sub = ("factors", name)
        _check_sweepable(name, sub)
        param = _param(name)
        if self.design in ("grid", "list"):
            if not isinstance(spec, list) or not spec:
                raise fail(
                    sub,
                    f"expected a non-empty list of values, got {spec!r}",
                    f"a list of values, each {param.allowed()}",
                )
            return [check_value(name, v, (*sub, str(i))) for i, v in enumerate(spec)]
        return _sample_spec(param, spec, sub)

    def _check_list(self) -> None:
        lengths = {len(v) for v in self.factors.values()}
        if len(lengths) > 1:
            raise fail(
                ("factors",),
                f"lists have different lengths {sorted(lengths)}",
                "design 'list' pairs the i-th values, so equal lengths",
            )
        if self.points is not None:
            if self.factors:
                raise fail(
                    ("points",), "give either 'factors' or 'points', not both", "one of them"
                )
            if not self.points:
                raise fail(("points",), "empty list", "a list of maps from names to values")
            checked = []
            for i, point in enumerate(self.points):
                row = {}
                for name, value in point.items():
                    sub = ("points", str(i), str(name))
                    _check_sweepable(str(name), sub)
                    row[str(name)] = check_value(str(name), value, sub)
                checked.append(row)
            self.points = checked


def _check_sweepable(name: str, sub: tuple[str, ...]) -> None:
    params = _params()
    another_models = name in params and params[name].kind == "parameter"
    if name in FIXED_KEYS and not another_models:
        raise fail(
            sub,
            f"'{name}' is fixed for the whole scenario and cannot be swept",
            "a lever or parameter from 'sim levers --all'",
        )
    if name not in params and _unknown_names():
        return
    if name not in params:
        pool = [p.name for p in params.values() if p.sweepable and p.name != "start"]
        listed = models.current().names_help()
        raise fail(sub, f"unknown factor '{name}'", _did_you_mean(name, pool, listed))
    if not params[name].sweepable:
        raise fail(
            sub,
            f"'{name}' is fixed-only and cannot be swept",
            f"set it once under '{'levers' if params[name].kind == 'lever' else 'parameters'}'",
        )


def _sample_spec(param: Parameter, spec: Any, sub: tuple[str, ...]) -> dict[str, Any]:
    """Normalise a sampled factor to ``{"min", "max"}`` or ``{"choices"}``."""
    numeric = param.type in ("real", "integer")
    untyped = param.type == "value"  # another model's parameter whose default says no type
    if isinstance(spec, list) and untyped and _unknown_names():  # not imported: as written
        two_numbers = len(spec) == 2 and all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in spec
        )
        numeric = two_numbers
        spec = spec if two_numbers else {"choices": spec}
    elif isinstance(spec, list) and untyped:
        raise fail(
            sub,
            f"the type of '{param.name}' is not known from its default {param.default!r}",
            "{min: .., max: ..} for a range of numbers, or {choices: [..]}",
        )
    if isinstance(spec, dict):
        keys = set(spec)
        if keys == {"choices"}:
            choices = spec["choices"]
        elif keys == {"min", "max"} and (numeric or untyped):
            choices, spec = None, [spec["min"], spec["max"]]
        else:
            raise fail(
                sub,
                f"unexpected keys {sorted(map(str, keys))}",
                "[min, max], {min: .., max: ..} or {choices: [..]}",
            )
    elif isinstance(spec, list) and not numeric:
        choices = spec
    elif isinstance(spec, list) and numeric:
        choices = None
    else:
        raise fail(
            sub,
            f"expected a range or choices, got {spec!r}",
            f"[min, max] with each {param.allowed()}",
        )
    if choices is not None:
        if not isinstance(choices, list) or not choices:
            raise fail(sub, "choices must be a non-empty list", param.allowed())
        return {
            "choices": [check_value(param.name, v, (*sub, str(i))) for i, v in enumerate(choices)]
        }
    if len(spec) != 2:
        raise fail(
            sub,
            f"a range has two ends, got {len(spec)} values",
            f"[min, max] within {param.allowed()}",
        )
    lo = check_value(param.name, spec[0], (*sub, "0"))
    hi = check_value(param.name, spec[1], (*sub, "1"))
    if isinstance(lo, dict) or isinstance(hi, dict):
        raise fail(sub, "a sampled range cannot be a schedule", "two numbers")
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (lo, hi)):
        raise fail(sub, f"a range needs two numbers, got [{lo!r}, {hi!r}]", "[min, max]")
    if not lo < hi:
        raise fail(sub, f"empty range [{lo}, {hi}]", "min < max")
    return {"min": lo, "max": hi}


class Scenario(BaseModel):
    """One scenario file after ``extends`` is resolved."""

    model_config = ConfigDict(extra="forbid", strict=True)

    name: str
    description: str = ""
    model: str | None = None  # "module:Class" of another Mesa model; None: this package's
    start: str = "2014-01"
    months: int = Field(default=120, ge=1, le=1200)
    replications: int = Field(default=1, ge=1, le=100_000)
    seed: int = Field(default=0, ge=0, le=2**63 - 1)
    levers: dict[str, Any] = Field(default_factory=dict)
    parameters: dict[str, Any] = Field(default_factory=dict)
    sweep: Sweep | None = None
    outputs: list[str] | None = None
    plots: list[Any] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    analysis: Analysis | None = None  # what 'sim run' computes when done (analysis_spec.py)

    @model_validator(mode="wrap")
    @classmethod
    def _for_its_model(cls, data: Any, handler: Any) -> Scenario:
        """Validate every name against the model the scenario runs (``model``)."""
        ref = data.get("model") if isinstance(data, dict) else getattr(data, "model", None)
        if models.is_builtin(ref) and ref is not None and isinstance(data, dict):  # ours, by name
            data, ref = {**data, "model": None}, None
        try:
            spec = models.describe(ref)
            models.check_fresh(spec)
        except models.ModelProblem as err:
            raise fail(("model",), err.problem, err.allowed) from None
        token = models.validating(spec)
        try:
            return handler(data)
        finally:
            models.done_validating(token)

    @field_validator("name")
    @classmethod
    def _slug(cls, name: str) -> str:
        if not SLUG.fullmatch(name):  # match() would let a trailing newline through
            raise fail((), f"{name!r} is not a plain slug", SLUG_HELP)
        return name

    @field_validator("start")
    @classmethod
    def _start(cls, start: str) -> str:
        return check_value("start", start, (), models.builtin().parameters["start"])

    @field_validator("levers")
    @classmethod
    def _levers(cls, levers: dict[str, Any]) -> dict[str, Any]:
        return _check_names(levers, ("lever",), "levers")

    @field_validator("parameters")
    @classmethod
    def _parameters(cls, parameters: dict[str, Any]) -> dict[str, Any]:
        return _check_names(parameters, ("uncertainty", "constant", "parameter"), "parameters")

    @field_validator("outputs")
    @classmethod
    def _outputs(cls, outputs: list[str] | None) -> list[str] | None:
        if outputs is None:
            return None
        if not outputs:
            raise fail((), "empty list", "omit 'outputs' to keep every outcome")
        known = _Any() if _unknown_names() else models.current().outcomes
        for i, name in enumerate(outputs):
            if name not in known:
                raise fail(
                    (str(i),),
                    f"unknown outcome '{name}'",
                    _did_you_mean(name, known, _outcomes_help()),
                )
            if outputs.index(name) != i:
                raise fail((str(i),), f"'{name}' is listed twice", "each outcome once")
        return outputs

    @field_validator("plots")
    @classmethod
    def _plots(cls, plots: list[Any]) -> list[Any]:
        factors = [p.name for p in _params().values() if p.sweepable and p.name != "start"]
        spec = models.current()
        if _unknown_names():
            return check_plots(plots, _Any(), _Any(), _outcomes_help(), spec.names_help())
        return check_plots(plots, spec.outcomes, factors, _outcomes_help(), spec.names_help())

    @field_validator("analysis")
    @classmethod
    def _analysis(cls, analysis: Analysis | None, info: ValidationInfo) -> Analysis | None:
        if analysis is None:
            return None
        outputs = info.data.get("outputs") or models.current().outcomes
        sweep = info.data.get("sweep")
        return check_analysis(analysis, tuple(outputs), sweep.design if sweep else None)

    @property
    def spec(self) -> models.ModelSpec:
        """The model this scenario runs."""
        return models.describe(self.model)

    @property
    def kept_outputs(self) -> tuple[str, ...]:
        """Outcome columns the runner stores (all of them unless ``outputs`` says)."""
        return tuple(self.outputs) if self.outputs else self.spec.outcomes

    def base_values(self) -> dict[str, Any]:
        """Lever and parameter values shared by every run, start month included."""
        return {**self.levers, **self.parameters, "start": self.start}
