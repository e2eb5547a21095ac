"""The model interface: validated parameters, named observables, batched evaluation.

A model module defines one (or more) :class:`Model` objects and registers them
with :func:`register`.  The command line (``openlz run``), the sweep machinery
(``openlz sweep``) and the figures all go through :meth:`Model.evaluate`, which
takes every parameter as an array of the same shape ``(B,)`` and returns each
observable with shape ``(B, *dims)``: a sweep chunk is one vectorised call.

``evaluate`` functions have the signature::

    evaluate(params: dict[str, np.ndarray (B,)], times: np.ndarray | None,
             observables: Sequence[str], options: dict) -> dict[str, np.ndarray]

and may add, besides the observables, the keys ``"_coords"`` (``{dim: values}``,
e.g. a ``time`` axis the model chose itself) and ``"_attrs"`` (metadata such as
validity reports, tolerances, success flags).

**Initial time.**  A model with time-resolved observables states when its initial state is
given (``Model.initial_time``): a fixed number where the paper fixes it (spin-reservoir:
t = 0), or the name of a parameter (conventionally ``t0``) where the paper allows any.
:meth:`Model.evaluate` refuses requested times before the initial time (a
``ParameterError``, exit status 2 on the command line), records ``initial_time`` in the
attrs, and evaluation functions evolve from the initial time, never from ``times[0]``:
:func:`evolution_grid` gives the grid to integrate on (initial time first) and where the
requested times sit in it, so a result at a given time does not depend on which other
times are requested.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..core.validation import as_times, convert_array, parse_bool, parse_number
from ..errors import OpenlzError, ParameterError, UnknownNameError

__all__ = ["Param", "Observable", "Model", "register", "MODELS", "evolution_grid"]


def evolution_grid(times: np.ndarray, t0: float) -> tuple[np.ndarray, np.ndarray]:
    """The grid to evolve on from the initial time ``t0`` to the requested ``times``.

    Parameters
    ----------
    times : (T,) requested output times, each >= t0 (any order, repeats allowed).
    t0 : the initial time.

    Returns
    -------
    grid : (G,) increasing, ``grid[0] == t0``, the distinct requested times after it.
    index : (T,) int, ``grid[index] == times``.
    """
    times = np.asarray(times, dtype=float).reshape(-1)
    if times.size and float(np.min(times)) < t0:
        raise ValueError(f"times must be >= the initial time {t0:g}, got {float(np.min(times)):g}")
    grid, inv = np.unique(np.concatenate([[float(t0)], times]), return_inverse=True)
    return grid, inv.reshape(-1)[1:]


@dataclass(frozen=True)
class Param:
    """A model parameter.

    default : a value, or a callable ``f(resolved_params) -> value`` for defaults
        derived from other parameters (evaluated after the explicit ones), e.g. wc = Delta/3.
    kind : ``float``, ``int``, ``complex``, ``bool`` or ``str``.
    numerical : True for numerical settings (sidebands, steps) rather than physics.
    """

    name: str
    default: Any
    doc: str
    unit: str = ""
    kind: str = "float"
    numerical: bool = False

    @property
    def nan_default(self) -> bool:
        """A NaN default means "not set": NaN is then an accepted value."""
        d = self.default
        return isinstance(d, (float, complex)) and d != d

    def convert(self, value: Any) -> Any:
        if self.kind == "bool":
            return parse_bool(self.name, value)
        if self.kind == "str":
            return str(value)
        return parse_number(self.name, value, self.kind, allow_nan=self.nan_default)

    def default_text(self) -> str:
        if callable(self.default):
            return getattr(self.default, "__doc__", None) or "derived"
        return repr(self.default)


@dataclass(frozen=True)
class Observable:
    """A named output. ``dims`` are the axes after the batch axis; ``"time"`` is the time grid."""

    name: str
    doc: str
    dims: tuple[str, ...] = ()
    unit: str = ""


@dataclass(frozen=True)
class Model:
    """A physical model: parameters, observables and one batched evaluation function.

    options : names of the extra run options the model accepts (``initial``, ``postselect``).
    default_times : ``(start, stop, num)`` used when the user gives none and an
        observable needs a time axis; ``None`` means time-resolved observables need ``--times``.
        When the initial time is a parameter the default grid is shifted to start there.
    initial_time : when the initial state is given: a number (fixed by the paper), the name of
        the parameter that holds it, a function of the parameters (``params -> (B,)``, e.g.
        dephasing-lz's s = -s_max; its docstring is the text ``openlz models`` shows), or
        ``None`` (with ``initial_time_doc`` saying why) for models without an initial-value
        problem (steady or periodic states only).
    initial_time_doc : where the initial time comes from (paper and section), shown by
        ``openlz models``.
    """

    name: str
    paper: str
    summary: str
    params: tuple[Param, ...]
    observables: tuple[Observable, ...]
    evaluate_fn: Callable[..., dict[str, Any]]
    validate_fn: Callable[[dict[str, np.ndarray]], None] | None = None
    default_observables: tuple[str, ...] = ()
    default_times: tuple[float, float, int] | None = None
    options: tuple[str, ...] = ()
    option_defaults: Mapping[str, Any] = field(default_factory=dict)
    initial_time: float | str | Callable[[Mapping[str, np.ndarray]], Any] | None = None
    initial_time_doc: str = ""
    #: ``cost_fn(params (B,), times, observables, options) -> core.budget.Cost``: memory and
    #: time estimate from the sizes, checked against ``openlz.limits`` before evaluating
    cost_fn: Callable[..., Any] | None = None

    # --- names -----------------------------------------------------------------
    @property
    def param_names(self) -> list[str]:
        return [p.name for p in self.params]

    @property
    def observable_names(self) -> list[str]:
        return [o.name for o in self.observables]

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise UnknownNameError(f"parameter of model {self.name!r}", name, self.param_names)

    def observable(self, name: str) -> Observable:
        for o in self.observables:
            if o.name == name:
                return o
        raise UnknownNameError(f"observable of model {self.name!r}", name, self.observable_names)

    # --- parameters ------------------------------------------------------------
    def resolve(self, values: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Convert user values, fill defaults (derived ones last) and validate.

        Scalars stay scalars; arrays are allowed (for sweeps) and are broadcast.
        Returns ``{name: value}`` for every parameter, in declaration order.
        """
        values = dict(values or {})
        for k in values:
            self.param(k)  # raises UnknownNameError
        out: dict[str, Any] = {}
        for p in self.params:
            if p.name in values:
                v = values[p.name]
                if isinstance(v, (list, tuple)) or (isinstance(v, np.ndarray) and v.ndim > 0):
                    out[p.name] = convert_array(p.name, v, p.kind,  # no silent truncation
                                                allow_nan=p.nan_default)
                else:
                    out[p.name] = p.convert(v)
            elif not callable(p.default):
                out[p.name] = p.default
        for p in self.params:
            if p.name not in out:
                out[p.name] = p.default(out)
        out = {p.name: out[p.name] for p in self.params}
        self.validate(out)
        return out

    def validate(self, params: Mapping[str, Any]) -> None:
        if self.validate_fn is not None:
            self.validate_fn({k: np.asarray(v) for k, v in params.items()})

    # --- initial time ----------------------------------------------------------
    def initial_times(self, params: Mapping[str, Any]) -> np.ndarray | None:
        """The initial time of every batch point, shape (B,) (scalars -> (1,)); ``None`` for a
        model without an initial-value problem."""
        if self.initial_time is None:
            return None
        if isinstance(self.initial_time, str):
            return np.atleast_1d(np.asarray(params[self.initial_time], dtype=float))
        if callable(self.initial_time):
            return np.atleast_1d(np.asarray(self.initial_time(params), dtype=float))
        return np.atleast_1d(np.asarray(self.initial_time, dtype=float))

    def initial_time_text(self) -> str:
        """One line for ``openlz models``: the initial time and its source."""
        if self.initial_time is None:
            if not self.initial_time_doc:
                return "not declared: the first requested time is taken as the initial time"
            what = "none"
        elif isinstance(self.initial_time, str):
            what = f"parameter {self.initial_time} (default {self.param(self.initial_time).default!r})"
        elif callable(self.initial_time):
            default = self.initial_times({p.name: np.atleast_1d(p.default) for p in self.params})
            what = (f"{(self.initial_time.__doc__ or 'from the parameters').strip()} "
                    f"(default {float(default[0]):g})")
        else:
            what = f"t = {self.initial_time:g} (fixed)"
        return what + (f"; {self.initial_time_doc}" if self.initial_time_doc else "")

    def check_times(self, times: np.ndarray, t0: np.ndarray | None) -> None:
        """Refuse requested times before the initial time (``ParameterError``)."""
        if t0 is None or times.size == 0:
            return
        tmin, t0max = float(np.min(times)), float(np.max(t0))
        if tmin < t0max:
            where = (f"parameter {self.initial_time}" if isinstance(self.initial_time, str)
                     else (self.initial_time.__doc__ or "from the parameters").strip()
                     if callable(self.initial_time) else "fixed")
            raise ParameterError(
                "times", tmin, f"must be >= the initial time t0 = {t0max:g} ({where}): the "
                f"initial state of {self.name!r} is given at t0 and it is not evolved backwards",
                self.initial_time_doc or None)

    # --- evaluation ------------------------------------------------------------
    def check_observables(self, observables: Sequence[str] | None) -> list[str]:
        obs = list(observables) if observables else list(self.default_observables or self.observable_names)
        for o in obs:
            self.observable(o)
        return obs

    def check_options(self, options: Mapping[str, Any] | None) -> dict[str, Any]:
        opts = dict(self.option_defaults)
        for k, v in (options or {}).items():
            if v is None:
                continue
            if k not in self.options:
                raise OpenlzError(f"option {k!r} is not supported by model {self.name!r}"
                                  f" (supported: {', '.join(self.options) or 'none'})")
            opts[k] = v
        return opts

    def evaluate(self, params: Mapping[str, Any], times: np.ndarray | None = None,
                 observables: Sequence[str] | None = None,
                 options: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Batched evaluation. ``params`` values broadcast to a common shape (B,) (scalars -> B=1).

        Returns ``{observable: array (B, *dims)}`` plus optional ``_coords``/``_attrs``.
        """
        resolved = self.resolve(params)
        arrays = {k: np.atleast_1d(np.asarray(v)) for k, v in resolved.items()}
        shape = np.broadcast_shapes(*[a.shape for a in arrays.values()])
        if len(shape) != 1:
            raise OpenlzError(f"parameters must broadcast to one batch axis, got shape {shape}")
        arrays = {k: np.broadcast_to(a, shape).copy() for k, a in arrays.items()}
        obs = self.check_observables(observables)
        opts = self.check_options(options)
        t0 = self.initial_times(arrays)
        if times is None and self.default_times is not None and any(
                "time" in self.observable(o).dims for o in obs):
            start, stop, num = self.default_times
            times = np.linspace(start, stop, int(num))
            if isinstance(self.initial_time, str) and t0 is not None:
                if np.unique(t0).size != 1:
                    raise ParameterError("times", None, "the initial time "
                                         f"{self.initial_time} differs between points: give "
                                         "--times explicitly")
                times = times + (float(t0[0]) - start)
        if times is not None:
            times = as_times(times)
            self.check_times(times, t0)
        res = guarded_evaluate(self, arrays, times, obs, opts)
        if times is not None and any("time" in self.observable(o).dims for o in obs):
            res.setdefault("_coords", {}).setdefault("time", times)  # also a default grid
        if t0 is not None:
            attrs = res.setdefault("_attrs", {})
            u = np.unique(t0)
            attrs.setdefault("initial_time", float(u[0]) if u.size == 1 else t0.tolist())
        return res

    def run(self, times: np.ndarray | None = None, observables: Sequence[str] | None = None,
            options: Mapping[str, Any] | None = None, **params: Any):
        """Evaluate one parameter point and return an ``xarray.Dataset`` with full metadata."""
        from ..results import to_dataset

        resolved = self.resolve(params)
        res = self.evaluate(resolved, times, observables, options)
        return to_dataset(self, resolved, res, times, batch_dims=(), options=options)


def guarded_evaluate(model: Model, arrays: dict[str, np.ndarray], times: np.ndarray | None,
                     obs: list[str], opts: dict[str, Any]) -> dict[str, Any]:
    """``model.evaluate_fn`` behind the cost guard (:mod:`openlz.core.budget`), with numerical
    failures as :class:`~openlz.errors.NumericalError` and a
    :class:`~openlz.errors.NonFiniteWarning` per non-finite or out-of-range observable."""
    import warnings

    from ..core.budget import check_cost, timed
    from ..errors import CostError, NonFiniteWarning, NumericalError
    from ._checks import NUMERICAL_FAILURES, numerical_error, output_problems, reraise_debug
    from ._costs import COSTS

    cost_fn = model.cost_fn or COSTS.get(model.name)
    if cost_fn is not None:
        with np.errstate(all="ignore"):
            cost = cost_fn(arrays, times, obs, opts)
        check_cost(model.name, cost)
    try:
        # numpy's overflow / invalid warnings are judged on the outputs below instead
        with timed(model.name), np.errstate(all="ignore"):
            out = model.evaluate_fn(arrays, times, obs, opts)
    except NumericalError as e:  # e.g. a SolverError: add the model and the extreme values
        if str(e).startswith(f"{model.name}:") or reraise_debug():
            raise
        raise numerical_error(model.name, arrays, e, model) from None
    except ParameterError as e:
        # a rule broken by a quantity derived inside the numerics (e.g. a bath's eta = lam^2
        # that underflows): name it as such, with the user's extreme values
        if _names_user_value(e, arrays) or e.name in ("times", "initial") or reraise_debug():
            raise
        raise numerical_error(model.name, arrays, e, model) from None
    except OpenlzError:
        raise
    except MemoryError as e:
        raise CostError(f"{model.name}: ran out of memory ({e}); reduce the sizes") from None
    except NUMERICAL_FAILURES as e:
        if reraise_debug():
            raise
        raise numerical_error(model.name, arrays, e, model) from None
    for prob in output_problems(model, out, obs):
        warnings.warn(prob.message, NonFiniteWarning, stacklevel=3)
    return out


def _names_user_value(e: ParameterError, arrays: Mapping[str, Any]) -> bool:
    """Whether ``e`` is about a user parameter's own value (not a derived quantity that
    happens to share its name, as the bath's eta = lam^2 and the Schmidt angle eta)."""
    if e.name not in arrays:
        return False
    try:
        return bool(np.any(np.asarray(arrays[e.name]) == np.asarray(e.value)))
    except (TypeError, ValueError):
        return True


MODELS: dict[str, Model] = {}


def register(model: Model) -> Model:
    """Add a model to the registry (called at import of its module)."""
    if model.name in MODELS and MODELS[model.name] is not model:
        raise RuntimeError(f"model {model.name!r} registered twice")
    MODELS[model.name] = model
    return model
