"""Time-dependent operators at the public boundary: QuTiP list forms, ``QobjEvo``, callables.

``as_time_operator`` parses any accepted form of a Hamiltonian, jump operator or Liouvillian
into a :class:`TimeOperator` O(t) = constant + sum_k f_k(t) terms[k] + func(t), whose
matrices are operators (..., n, n) or row-major superoperators (..., n², n²) (see
:mod:`openlz.api.convert` for the vectorisation convention and QuTiP's column stacking).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import ParameterError
from .convert import (
    Shape,
    Text,
    _is_number_tree,
    _qobj_array,
    _raw_array,
    as_superoperator,
    is_qobj,
    is_qobjevo,
)

__all__ = ["TimeOperator", "as_time_operator", "as_operator_list"]


Coefficient = Callable[[float], Any]


@dataclass
class TimeOperator:
    """O(t) = constant + sum_k f_k(t) terms[k] + func(t), all parts optional.

    constant : (..., m, m) or None.
    terms : pairs (matrix (..., m, m), coefficient t -> scalar or array of batch shape).
    func : general callable t -> (..., m, m), or None.
    is_super : True when m = n² (a superoperator, row-major), False for operators (m = n).
    """

    constant: np.ndarray | None = None
    terms: list[tuple[np.ndarray, Coefficient]] = field(default_factory=list)
    func: Callable[[float], np.ndarray] | None = None
    is_super: bool = False

    @property
    def is_constant(self) -> bool:
        return not self.terms and self.func is None


def _coefficient(f: Any, name: str, args: Mapping[str, Any] | None) -> Coefficient:
    """A QuTiP-style coefficient as a function of t alone: f(t), f(t, args) (a dict), QuTiP's
    pythonic f(t, w, ...) with w taken from ``args`` by name, a QuTiP ``Coefficient`` or a
    string (compiled by QuTiP with ``args``)."""
    if isinstance(f, str):
        import qutip

        return qutip.coefficient(f, args=dict(args or {}))
    if isinstance(f, np.ndarray) or not callable(f):
        raise ParameterError(name, type(f).__name__, "a time-dependent coefficient must be a "
                             "callable f(t) or f(t, args) returning a scalar or a batch array")
    if args is not None and not isinstance(args, Mapping):
        raise ParameterError("args", type(args).__name__, "must be a mapping (dict) of the "
                             "values the coefficients take")
    if type(f).__module__.startswith("qutip"):  # a QuTiP Coefficient: called with t only
        return f
    try:
        params = list(inspect.signature(f).parameters.values())[1:]
    except (TypeError, ValueError):  # builtins and ufuncs: f(t)
        return f
    a = dict(args or {})
    named = [p for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
    required = [p for p in named if p.default is p.empty]
    if len(required) == 1 and (required[0].name == "args" or required[0].name not in a):
        return lambda t: f(t, a)  # QuTiP's f(t, args)
    if any(p.name not in a for p in required):
        missing = [p.name for p in required if p.name not in a]
        raise ParameterError(name, Text(f"coefficient {getattr(f, '__name__', f)!r}"),
                             f"needs args {missing}; pass them as args={{...}}")
    kw = {p.name: a[p.name] for p in named if p.name in a}
    if kw:  # QuTiP's pythonic f(t, w=..., ...) with the values taken from args
        return lambda t: f(t, **kw)
    return f


def _term_operator(x: Any, name: str, n: int) -> tuple[np.ndarray, bool]:
    """A constant piece: operator (..., n, n) or row-major superoperator (..., n², n²)."""
    arr, kind = _raw_array(x, name)
    if kind in ("ket", "bra"):
        raise ParameterError(name, Text(f"Qobj of type {kind!r}"), "must be an operator or a superoperator")
    if kind == "super":
        return as_superoperator(arr, name, n), True
    if arr.ndim >= 2 and arr.shape[-2:] == (n, n):
        return arr.astype(complex, copy=False), False
    if arr.ndim >= 2 and arr.shape[-2:] == (n * n, n * n) and kind != "oper":
        return arr.astype(complex, copy=False), True
    raise ParameterError(name, Shape(arr.shape), f"must be an operator (..., {n}, {n}) or a "
                         f"row-major superoperator (..., {n * n}, {n * n}) (n = {n}, the "
                         "dimension of the other inputs)")


def _is_pair(x: Any) -> bool:
    """``[operator, coefficient]``: one time-dependent term of a list form."""
    return (isinstance(x, (list, tuple)) and len(x) == 2
            and (callable(x[1]) or isinstance(x[1], str)) and not is_qobj(x[1])
            and not isinstance(x[1], np.ndarray))


def _from_callable(f: Callable, name: str, n: int, t0: float,
                   args: Mapping[str, Any] | None) -> TimeOperator:
    g = _coefficient(f, name, args)
    sample = _sample(g, name, t0, what="callable", numeric=False)
    if is_qobj(sample):
        def func(t: float) -> np.ndarray:
            return _qobj_array(g(t))[0]
        sample = func(t0)
    else:
        func = g  # type: ignore[assignment]
    sample = np.asarray(sample)
    if sample.ndim >= 2 and sample.shape[-1] == sample.shape[-2] == n * n and n > 1:
        return TimeOperator(func=func, is_super=True)
    if sample.ndim < 2 or sample.shape[-2:] != (n, n):
        raise ParameterError(name, Text(f"callable returning {Shape(sample.shape)!r}"),
                             f"must return operators (..., {n}, {n}) or superoperators "
                             f"(..., {n * n}, {n * n})")
    return TimeOperator(func=func, is_super=False)


def _sample(f: Callable[[float], Any], name: str, t0: float, what: str,
            numeric: bool = True) -> Any:
    """f(t0), checked: an exception of the user's function is reported with the argument it
    belongs to (chained), and a coefficient must give finite numbers there."""
    try:
        value = f(t0)
    except Exception as exc:  # noqa: BLE001 - the user's function: name it, keep the cause
        raise ParameterError(name, Text(f"{what} {getattr(f, '__name__', f)!r}"),
                             f"raised {type(exc).__name__}: {exc} at t = {t0:g}") from exc
    if numeric or not is_qobj(value):
        arr = np.asarray(value)
        if arr.dtype.kind not in "biufc":
            raise ParameterError(name, Text(f"{what} returning {type(value).__name__}"),
                                 "must return numbers (a scalar or an array of batch shape)")
        if not np.all(np.isfinite(arr)):
            raise ParameterError(name, Text(f"{what} returning NaN or inf at t = {t0:g}"),
                                 "must return finite numbers")
    return value


def _is_list_form(x: Any) -> bool:
    """QuTiP list form: a list with Qobj / array items or [operator, coefficient] pairs."""
    if not isinstance(x, (list, tuple)) or not x or _is_number_tree(x):
        return False
    for v in x:
        if _is_pair(v):
            continue
        if is_qobj(v) or (isinstance(v, np.ndarray) and v.ndim >= 2):
            continue
        return False
    return True


def as_time_operator(x: Any, name: str, n: int, t0: float = 0.0,
                     args: Mapping[str, Any] | None = None) -> TimeOperator:
    """Parse a (possibly time-dependent) operator or superoperator.

    Accepted: arrays (..., n, n) or (..., n², n²) (row-major superoperators), ``Qobj``
    (``oper`` or ``super``), ``QobjEvo``, the QuTiP list form ``[H0, [H1, f1], ...]`` with
    coefficients f(t) / f(t, args) returning a scalar or an array of batch shape, and callables
    t -> (..., n, n) (or t -> Qobj).  A list of constant items is their sum (QuTiP's rule);
    stack arrays with ``np.stack`` for a batch.
    """
    if is_qobjevo(x):
        return as_time_operator(x.to_list(), name, n, t0, args)
    if callable(x) and not is_qobj(x) and not isinstance(x, np.ndarray):
        return _from_callable(x, name, n, t0, args)
    if _is_pair(x):  # a single [operator, coefficient] term
        x = [x]
    if not _is_list_form(x):
        arr, kind = _term_operator(x, name, n)
        return TimeOperator(constant=arr, is_super=kind)
    consts: list[np.ndarray] = []
    terms: list[tuple[np.ndarray, Coefficient]] = []
    kinds = set()
    for k, item in enumerate(x):
        iname = f"{name}[{k}]"
        if isinstance(item, (list, tuple)):
            if len(item) != 2:
                raise ParameterError(iname, Text(f"a list of {len(item)} items"),
                                     "a time-dependent term must be [operator, coefficient]")
            op, sup = _term_operator(item[0], iname + "[0]", n)
            coef = _coefficient(item[1], iname + "[1]", args)
            _sample(coef, iname + "[1]", t0, what="coefficient")
            terms.append((op, coef))
        else:
            op, sup = _term_operator(item, iname, n)
            consts.append(op)
        kinds.add(sup)
    if len(kinds) > 1:
        raise ParameterError(name, Text("list form mixing operators and superoperators"),
                             "all items must be operators (n, n) or all superoperators (n², n²)")
    const = None
    if consts:
        const = consts[0]
        for c in consts[1:]:
            const = const + c
    return TimeOperator(constant=const, terms=terms, is_super=kinds.pop())


def as_operator_list(x: Any, name: str) -> Sequence[Any]:
    """``None`` -> [], a single operator-like -> [it], a list of operators -> the list.

    A list is a list of operators unless it is a single QuTiP list form or a literal matrix.
    """
    if x is None or (isinstance(x, (list, tuple)) and len(x) == 0):
        return []
    if is_qobj(x) or is_qobjevo(x) or isinstance(x, np.ndarray) or callable(x) or _is_number_tree(x):
        return [x]
    if isinstance(x, (list, tuple)):
        return list(x)
    raise ParameterError(name, type(x).__name__, "must be a list of operators")
