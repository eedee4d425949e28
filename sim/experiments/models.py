"""Which Mesa model a scenario runs: this package's economy, or another one.

Mesa's ``batch_run`` passes keyword arguments, so it cannot run Mesa's own
Scenario-based examples (``BoltzmannWealth(scenario=...)``). A scenario file
may name any Mesa model class as ``model: module:Class``; the runner then
builds each run the way that class takes its inputs (a Mesa ``Scenario``
when its ``__init__`` has a ``scenario`` argument, keywords otherwise) and
records the model reporters of its ``DataCollector`` every step
(:mod:`sim.experiments.mesa_runs`).

What a scenario may set and keep is read from the class itself, by building
it once with its defaults: its parameters are the fields of its Scenario
class (or the defaults of its ``__init__``), typed by their default values;
its outcomes are its DataCollector's model reporters. The module is imported
by name, as ``python -m`` would: nothing in a scenario file is evaluated.

Importing a module runs its code, and a scenario file is data anyone may
send, so a name is first resolved without importing anything
(:func:`locate`, through ``importlib.util.find_spec`` one package at a
time): standard-library modules, a package's ``__main__`` and private names
are refused outright. ``sim validate`` then stops there unless asked to
import (:func:`importing`); ``sim run`` imports, as running the model must.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import importlib
import importlib.machinery
import importlib.util
import inspect
import numbers
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.levers import Parameter, closest

REF = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*:[A-Za-z_]\w*$")
REF_HELP = "module:Class of a Mesa model, e.g. mesa.examples:BoltzmannWealth"
MODULE_HELP = "an installed module, or a .py file in the current folder"
SEED_NAMES = ("rng", "seed")
BUILTIN_REFS = ("sim.model:StartupEcosystem", "sim:StartupEcosystem")
TRUSTED = ("sim", "mesa")  # this package and its model library: imported even by validate
# columns of runs.parquet and timeseries.parquet, and the calendar key a scenario sets
RESERVED = frozenset(
    ("run_id", "point", "replication", "seed", "status", "error", "traceback", "wall_seconds")
    + ("month", "date", "start")
)


class ModelProblem(ValueError):
    """A ``model:`` that cannot be run, with what would be allowed."""

    def __init__(self, problem: str, allowed: str = REF_HELP):
        super().__init__(problem)
        self.problem, self.allowed = problem, allowed


@dataclass(frozen=True)
class ModelSpec:
    """What the runner needs to know about the model a scenario runs."""

    ref: str | None  # None: this package's StartupEcosystem
    parameters: dict[str, Parameter]
    outcomes: tuple[str, ...]
    takes_scenario: bool = True
    seed_name: str = "rng"
    model_class: type | None = None
    scenario_class: type | None = None
    fingerprint: str | None = None  # of the source as imported by this process
    stamps: tuple[tuple[str, int, int], ...] = ()  # (file, mtime, size) of that source
    imported: bool = True  # False: found but not imported, so its names are not known

    @property
    def builtin(self) -> bool:
        return self.ref is None

    @property
    def label(self) -> str:
        return self.ref or "sim.model:StartupEcosystem"

    def names_help(self) -> str:
        """Where a user finds the valid names."""
        if self.builtin:
            return "'sim levers --all'"
        return f"'sim levers --model {self.ref}'"


@functools.cache
def builtin() -> ModelSpec:
    from sim.levers import BY_NAME
    from sim.outcomes import NAMES

    return ModelSpec(None, BY_NAME, NAMES)


def is_builtin(ref: Any) -> bool:
    """Whether ``ref`` names this package's own model."""
    return ref is None or ref in BUILTIN_REFS


# Whether naming a model may import it (``sim validate`` says no unless asked)
_may_import: contextvars.ContextVar[bool] = contextvars.ContextVar("sim_import", default=True)


@contextlib.contextmanager
def importing(allowed: bool) -> Iterator[None]:
    """Within this block, models named by scenarios are imported only if ``allowed``."""
    token = _may_import.set(allowed)
    try:
        yield
    finally:
        _may_import.reset(token)


def describe(ref: Any) -> ModelSpec:
    """The spec of the model ``ref`` names (cached per process). Where importing is
    not allowed (:func:`importing`), a model outside this package and Mesa is only
    located, and its spec says ``imported=False``."""
    if is_builtin(ref):
        return builtin()
    if not isinstance(ref, str) or not REF.fullmatch(ref):
        raise ModelProblem(f"{ref!r} is not a model name")
    module_name = locate(ref)
    trusted = module_name in sys.modules or module_name.split(".")[0] in TRUSTED
    if not _may_import.get() and not trusted:
        return ModelSpec(ref, {}, (), imported=False)
    return _describe(ref)


def locate(ref: str) -> str:
    """Check that ``ref`` names a module that may hold a model and that it exists,
    without importing it (nor its parent packages); return the module's name."""
    module_name, _, class_name = ref.partition(":")
    parts = module_name.split(".")
    if module_name == "__main__":  # the script already running: nothing to import
        return module_name
    if "__main__" in parts:
        raise ModelProblem(
            f"'{module_name}' is a program's entry point, not a model module", REF_HELP
        )
    private = [p for p in (*parts, class_name) if p.startswith("_")]
    if private:
        raise ModelProblem(f"'{private[0]}' is a private name", REF_HELP)
    if parts[0] in sys.stdlib_module_names:
        raise ModelProblem(
            f"'{parts[0]}' is a module of Python's standard library, not a model", REF_HELP
        )
    if module_name in sys.modules:
        return module_name
    try:
        spec = importlib.util.find_spec(parts[0])
        for i in range(1, len(parts)):
            if spec is None or spec.submodule_search_locations is None:
                break
            name = ".".join(parts[: i + 1])
            spec = (
                importlib.util.find_spec(name)
                if ".".join(parts[:i]) in sys.modules  # a parent imported already
                else importlib.machinery.PathFinder.find_spec(name, spec.submodule_search_locations)
            )
    except (ImportError, ValueError) as err:
        raise ModelProblem(f"cannot find '{module_name}': {err}", MODULE_HELP) from None
    if spec is None or spec.name != module_name:
        raise ModelProblem(f"cannot import '{module_name}': no module of that name", MODULE_HELP)
    return module_name


@functools.cache
def _describe(ref: str) -> ModelSpec:
    module_name, _, class_name = ref.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as err:
        raise ModelProblem(f"cannot import '{module_name}': {err}", MODULE_HELP) from None
    except (Exception, SystemExit) as err:  # the module itself failed while being imported
        raise ModelProblem(
            f"importing '{module_name}' failed ({type(err).__name__}: {err})", MODULE_HELP
        ) from None
    cls = getattr(module, class_name, None)
    if cls is None:
        hint = closest(class_name, _model_classes(module))
        raise ModelProblem(
            f"module '{module_name}' has no '{class_name}'",
            f"did you mean '{module_name}:{hint}'?" if hint else REF_HELP,
        )
    import mesa

    if not (isinstance(cls, type) and issubclass(cls, mesa.Model)):
        raise ModelProblem(f"'{ref}' is not a Mesa model class", REF_HELP)
    if cls.__module__ == "sim.model" and cls.__name__ == "StartupEcosystem":
        raise ModelProblem(
            f"'{ref}' is this package's own model under another name",
            "omit 'model' (or write sim.model:StartupEcosystem) to run it",
        )
    return _inspect(ref, cls)


def _model_classes(module: Any) -> list[str]:
    import mesa

    return [n for n, v in vars(module).items() if isinstance(v, type) and issubclass(v, mesa.Model)]


def _inspect(ref: str, cls: type) -> ModelSpec:
    from sim.experiments.fingerprint import model_files, source_fingerprint

    signature = inspect.signature(cls)
    takes = signature.parameters
    takes_scenario = "scenario" in takes
    seed_name = "seed" if "seed" in takes else "rng"  # as batch_run decides
    any_keyword = any(p.kind == p.VAR_KEYWORD for p in takes.values())
    if not takes_scenario and not any_keyword and not {"rng", "seed"} & set(takes):
        raise ModelProblem(
            f"'{ref}' takes neither scenario, rng nor seed, so its runs cannot be seeded",
            "a model whose __init__ takes rng (or seed) and passes it to mesa.Model",
        )
    try:
        model = cls() if takes_scenario else cls(**{seed_name: 0})
    except Exception as err:
        raise ModelProblem(
            f"'{ref}' cannot be built with its defaults ({type(err).__name__}: {err})",
            "a model whose parameters all have defaults",
        ) from None
    collector = getattr(model, "datacollector", None)
    outcomes = tuple(getattr(collector, "model_reporters", None) or ())
    if not outcomes:
        raise ModelProblem(
            f"'{ref}' has no DataCollector with model reporters to record",
            "a model whose __init__ sets self.datacollector = DataCollector(model_reporters=...)",
        )
    scenario_class = type(model.scenario) if takes_scenario else None
    if takes_scenario:
        defaults = {k: v for k, v in model.scenario if k not in SEED_NAMES}
    else:
        defaults = {
            name: p.default
            for name, p in takes.items()
            if name not in (*SEED_NAMES, "scenario")
            and p.default is not inspect.Parameter.empty
            and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
        }
    params = {name: parameter(ref, name, value) for name, value in defaults.items()}
    _check_columns(ref, params, outcomes)
    _, files = model_files(cls)
    return ModelSpec(
        ref,
        params,
        outcomes,
        takes_scenario,
        seed_name,
        cls,
        scenario_class,
        source_fingerprint(cls),
        tuple(_stamp(f) for f in files),
    )


def _stamp(path: Path) -> tuple[str, int, int]:
    try:
        st = path.stat()
    except OSError:
        return (str(path), -1, -1)
    return (str(path), st.st_mtime_ns, st.st_size)


def check_fresh(spec: ModelSpec) -> None:
    """Refuse a model whose files changed after this process imported it: its
    parameters and defaults here, and runs in this process, would be the old
    ones while new worker processes would run the new code."""
    if (
        spec.builtin
        or not spec.imported
        or all(_stamp(Path(f)) == (f, t, n) for f, t, n in spec.stamps)
    ):
        return
    from sim.experiments.fingerprint import source_fingerprint

    if source_fingerprint(spec.model_class) != spec.fingerprint:
        raise ModelProblem(
            f"the source of {spec.ref} changed after this Python session imported it",
            "restart the session (or the kernel) to run the new code",
        )


def _check_columns(ref: str, params: dict[str, Parameter], outcomes: tuple[Any, ...]) -> None:
    """Parameters and outcomes become columns beside the runner's own, one name each."""
    for name in outcomes:
        if not isinstance(name, str) or not name.strip():
            raise ModelProblem(
                f"'{ref}' has a model reporter named {name!r}", "reporters named by text"
            )
    clashes = [n for n in outcomes if n in RESERVED or n in params]
    clashes += [n for n in params if n in RESERVED]
    if clashes:
        raise ModelProblem(
            f"'{ref}' has a parameter or model reporter named '{clashes[0]}', "
            "which the results tables already use",
            "names other than " + ", ".join(sorted({*RESERVED} - {"traceback"})),
        )


def plain(value: Any) -> Any:
    """A NumPy scalar as the Python number it holds (for types, JSON and the manifest)."""
    item = getattr(value, "item", None)
    if callable(item) and type(value).__module__ == "numpy":
        try:
            return item()
        except (TypeError, ValueError):
            return value
    return value


def kind_of(default: Any) -> str:
    """A parameter's type, from its default value."""
    default = plain(default)
    if isinstance(default, bool):
        return "boolean"
    if isinstance(default, numbers.Integral):
        return "integer"
    if isinstance(default, numbers.Real):
        return "real"
    return "text" if isinstance(default, str) else "value"


def parameter(ref: str, name: str, default: Any) -> Parameter:
    """Another Mesa model's parameter, typed by its default; no range is known."""
    return Parameter(
        name=name,
        kind="parameter",
        type=kind_of(default),
        unit="",
        default=plain(default),
        description=f"a parameter of {ref}",
        source=ref,
        schedulable=False,
    )


# The model of the scenario being validated: set by ``Scenario`` around its
# own validation, read by the validators of its fields and of its sweep.
_current: contextvars.ContextVar[ModelSpec | None] = contextvars.ContextVar(
    "sim_model", default=None
)


def current() -> ModelSpec:
    return _current.get() or builtin()


def validating(spec: ModelSpec) -> contextvars.Token:
    return _current.set(spec)


def done_validating(token: contextvars.Token) -> None:
    _current.reset(token)
