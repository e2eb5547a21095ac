"""Checks around every model evaluation: numerical failures and non-finite outputs.

* :func:`numerical_error` turns an exception of the numerics (singular matrix, overflow, a
  solver that cannot take a step, ...) raised for validated parameters into a
  :class:`~openlz.errors.NumericalError` that names the model and the extreme parameter
  values, so the command line prints one line instead of a traceback.
* :func:`output_problems` lists the observables that hold NaN / ±inf, or values outside
  the mathematical range of their quantity (concurrence, negativity, entanglement of
  formation, probabilities and populations lie in [0, 1]).  A NaN is *documented* when the
  observable's description says when it is NaN, or when the model explains it in
  ``_attrs["nan_reason"][name]``; ``Model.evaluate`` warns for every problem
  (:class:`~openlz.errors.NonFiniteWarning`) and ``openlz run`` refuses an undocumented one.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import NumericalError, OpenlzError, ParameterError

__all__ = ["NUMERICAL_FAILURES", "numerical_error", "extreme_values", "OutputProblem",
           "output_problems", "UNIT_INTERVAL"]

#: exceptions that mean "the numerics failed at these (validated) parameters"
NUMERICAL_FAILURES: tuple[type[BaseException], ...] = (
    np.linalg.LinAlgError, ArithmeticError, ValueError, RuntimeError)

#: observables whose values lie in [0, 1] by definition (name patterns)
UNIT_INTERVAL = re.compile(r"^(?!.*(log|rate|remainder|error|ratio|difference))"
                           r"(.*_)?(concurrence|negativity|entanglement_of_formation|"
                           r"probability|populations)($|_)")
_SLACK = 1e-6


def extreme_values(params: Mapping[str, Any], model: Any = None, limit: int = 3) -> str:
    """``"J = 1e+30, T = 1e-300"``: parameters with |x| > 1e8 or 0 < |x| < 1e-8 (first few;
    numerical settings such as tolerances are skipped)."""
    out = []
    numerical = {p.name for p in getattr(model, "params", ()) if p.numerical}
    for k, v in params.items():
        if k in numerical:
            continue
        a = np.asarray(v)
        if a.dtype.kind not in "iufc" or a.size == 0:
            continue
        mag = np.abs(a.astype(complex)).ravel()
        bad = (mag > 1e8) | ((mag > 0) & (mag < 1e-8)) | ~np.isfinite(mag)
        if np.any(bad):
            out.append(f"{k} = {a.ravel()[int(np.argmax(bad))]:.3g}")
    return ", ".join(out[:limit])


def numerical_error(model_name: str, params: Mapping[str, Any], exc: BaseException,
                    model: Any = None) -> NumericalError:
    """A one-line :class:`NumericalError` for an exception raised by a model's numerics."""
    text = " ".join(str(exc).split())[:200]
    if isinstance(exc, ParameterError):
        text = f"derived quantity {text}"
    hint = extreme_values(params, model)
    hint = f"; extreme values: {hint}" if hint else ""
    return NumericalError(f"{model_name}: the numerics failed at these parameters "
                          f"({type(exc).__name__}: {text}){hint}; such values are outside the "
                          "range the model's solvers handle")


def reraise_debug() -> bool:
    """``OPENLZ_DEBUG=1``: let the original exception through (for developers)."""
    return os.environ.get("OPENLZ_DEBUG", "").strip() not in ("", "0")


@dataclass(frozen=True)
class OutputProblem:
    """One observable with non-finite or out-of-range values."""

    name: str
    message: str
    documented: str  # the documented reason ("" if none)
    nonfinite: bool
    excess: float = float("inf")  # largest distance outside [0, 1] (inf if not finite)


def _first(a: np.ndarray, mask: np.ndarray) -> Any:
    v = a[np.unravel_index(int(np.argmax(mask)), a.shape)] if a.ndim else a
    v = complex(v) if np.iscomplexobj(v) else float(v)
    return f"{v:.4g}"


def output_problems(model: Any, result: Mapping[str, Any], observables: Sequence[str]
                    ) -> list[OutputProblem]:
    """Observables of ``result`` with NaN/inf entries or values outside [0, 1] where the
    quantity is bounded by definition (see the module docstring)."""
    reasons = (result.get("_attrs") or {}).get("nan_reason") or {}
    problems = []
    for name in observables:
        if name not in result:
            continue
        a = np.asarray(result[name])
        if a.dtype.kind not in "fc" or a.size == 0:
            continue
        bad = ~np.isfinite(a)
        doc = ""
        try:
            doc = model.observable(name).doc
        except OpenlzError:
            pass
        if np.any(bad):
            documented = str(reasons.get(name, "")) or (doc if "NaN" in doc else "")
            problems.append(OutputProblem(
                name, f"{model.name}: observable {name!r} is not finite at {int(bad.sum())} of "
                f"{a.size} entries (e.g. {_first(a, bad)})"
                + (f": {documented}" if documented else ""), documented, True))
            continue
        if UNIT_INTERVAL.search(name) and a.dtype.kind == "f":
            out = (a < -_SLACK) | (a > 1 + _SLACK)
            if np.any(out):
                excess = float(max(-np.min(a), np.max(a) - 1.0))
                problems.append(OutputProblem(
                    name, f"{model.name}: observable {name!r} lies outside [0, 1] at "
                    f"{int(out.sum())} of {a.size} entries (e.g. {_first(a, out)}): the numerics "
                    "are not accurate at these parameters", "", False, excess))
    return problems
