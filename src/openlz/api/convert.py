"""Input conversion at the public boundary: arrays, QuTiP objects, list forms, callables.

Everything is converted to numpy arrays with batch axes first, ``(..., n, n)`` for
operators and states and ``(..., n², n²)`` for superoperators.

Superoperators use openlz's **row-major** vectorisation, ``vec(rho) = rho.reshape(n*n)``
(``vec(rho)[i*n + j] = rho[i, j]``, so ``vec(A rho B) = (A ⊗ B^T) vec(rho)``; see
:mod:`openlz.core.liouvillian`).  QuTiP stacks *columns* (``vec(rho)[j*n + i] = rho[i, j]``);
a QuTiP ``Qobj`` of type ``super`` is permuted into the row-major form here
(:func:`super_from_qutip`), and :func:`super_to_qutip` undoes it.  A plain array of shape
(..., n², n²) is taken to be row-major already.

QuTiP is never imported by this module at import time: a ``Qobj`` is recognised only if
``qutip`` is already in ``sys.modules`` (it must be, for the user to hold one).
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import ParameterError

__all__ = ["is_qobj", "is_qobjevo", "as_times", "as_operator", "as_state", "as_superoperator",
           "super_from_qutip", "super_to_qutip", "to_qobj", "TimeOperator", "as_time_operator",
           "Shape", "Text", "qobj_dims"]


class Text:
    """A value shown verbatim (without quotes) in error messages."""

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return self.text


class Shape:
    """Stand-in for an array in error messages: ``repr`` is ``array of shape (...)``."""

    def __init__(self, shape: tuple[int, ...], what: str = "array"):
        self.shape, self.what = tuple(shape), what

    def __repr__(self) -> str:
        return f"{self.what} of shape {self.shape}"


# ---------------------------------------------------------------------------- QuTiP detection

def _qutip_class(name: str) -> type | None:
    mod = sys.modules.get("qutip")
    return getattr(mod, name, None) if mod is not None else None


def is_qobj(x: Any) -> bool:
    """True for a ``qutip.Qobj`` (without importing QuTiP)."""
    cls = _qutip_class("Qobj")
    return cls is not None and isinstance(x, cls)


def is_qobjevo(x: Any) -> bool:
    """True for a ``qutip.QobjEvo`` (without importing QuTiP)."""
    cls = _qutip_class("QobjEvo")
    return cls is not None and isinstance(x, cls)


def qobj_dims(q: Any) -> list | None:
    """Operator dims ``[[d1, d2, ...], [d1, d2, ...]]`` of a ket, bra, oper or super Qobj."""
    if not is_qobj(q):
        return None
    if q.type == "ket":
        return [list(q.dims[0]), list(q.dims[0])]
    if q.type == "bra":
        return [list(q.dims[1]), list(q.dims[1])]
    if q.type in ("super", "operator-ket", "operator-bra"):
        return [list(d) for d in q.dims[0]] if q.type == "super" else None
    return [list(q.dims[0]), list(q.dims[1])]


# ---------------------------------------------------------------------------- superoperators

def super_from_qutip(s_col: np.ndarray) -> np.ndarray:
    """Column-stacking superoperator (QuTiP) -> row-major (openlz), batched (..., n², n²).

    QuTiP's S acts on vec_c(rho)[j n + i] = rho[i, j]; openlz's on vec_r(rho)[i n + j].
    With S4 = S.reshape(n, n, n, n) the row-major matrix is S4.transpose(1, 0, 3, 2):
    the permutation swaps the two indices of each pair.  It is its own inverse.
    """
    s = np.asarray(s_col)
    big = s.shape[-1]
    n = int(round(np.sqrt(big)))
    s4 = s.reshape(*s.shape[:-2], n, n, n, n)
    return np.swapaxes(np.swapaxes(s4, -4, -3), -2, -1).reshape(s.shape)


def super_to_qutip(s_row: np.ndarray, dims: list | None = None) -> Any:
    """Row-major superoperator (n², n²) -> QuTiP ``Qobj`` of type ``super`` (column-stacking)."""
    import qutip

    s = np.asarray(s_row)
    n = int(round(np.sqrt(s.shape[-1])))
    dims = dims or [[n], [n]]
    return qutip.Qobj(super_from_qutip(s), dims=[dims, dims], superrep="super")


# ---------------------------------------------------------------------------- plain conversion

def as_times(times: Any) -> np.ndarray:
    """Output times (T,): finite, monotonic, at least one; ``times[0]`` is the time of rho0."""
    t = np.asarray(times, dtype=float)
    if t.ndim == 0:
        t = t.reshape(1)
    if t.ndim != 1 or t.size == 0:
        raise ParameterError("times", Shape(t.shape), "must be a non-empty 1-D array of times (T,)")
    if not np.all(np.isfinite(t)):
        raise ParameterError("times", t.tolist() if t.size < 8 else Shape(t.shape), "must be finite")
    d = np.diff(t)
    if d.size and not (np.all(d >= 0) or np.all(d <= 0)):
        raise ParameterError("times", Shape(t.shape), "must be monotonic (increasing or decreasing)")
    return t


def _qobj_array(q: Any) -> tuple[np.ndarray, str]:
    """(array, kind) of a Qobj, kind in oper / ket / bra / super; supers made row-major."""
    if q.type == "super":
        import qutip

        if getattr(q, "superrep", "super") != "super":
            q = qutip.to_super(q)
        return super_from_qutip(np.asarray(q.full())), "super"
    if q.type in ("operator-ket", "operator-bra"):
        raise ParameterError("input", Text(f"Qobj of type {q.type!r}"),
                             "vectorised operators are not accepted; pass the operator "
                             "(qutip.vector_to_operator)")
    return np.asarray(q.full()), q.type


def _is_number_tree(x: Any) -> bool:
    """True for nested lists/tuples of numbers only (a literal matrix like [[0, 1], [1, 0]])."""
    if isinstance(x, (list, tuple)):
        return all(_is_number_tree(v) for v in x)
    return isinstance(x, (int, float, complex, np.number))


def _raw_array(x: Any, name: str) -> tuple[np.ndarray, str]:
    """Array and kind (``oper``, ``ket``, ``bra``, ``super`` or ``array``) of x; lists of Qobj
    are stacked along a new leading batch axis."""
    if is_qobj(x):
        return _qobj_array(x)
    if isinstance(x, (list, tuple)) and x and not _is_number_tree(x):
        parts = [_raw_array(v, f"{name}[{k}]") for k, v in enumerate(x)]
        kinds = {k for _, k in parts}
        shapes = {a.shape for a, _ in parts}
        if len(kinds) > 1 or len(shapes) > 1:
            raise ParameterError(name, Text(f"list of {len(x)} items with kinds {sorted(kinds)} "
                                                      f"and shapes {sorted(shapes)}"),
                                 "a list used as a batch must hold items of one kind and shape")
        return np.stack([a for a, _ in parts]), kinds.pop()
    try:
        arr = np.asarray(x)
    except Exception as exc:  # ragged lists and the like
        raise ParameterError(name, type(x).__name__, f"cannot be converted to an array ({exc})") from None
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise ParameterError(name, type(x).__name__,
                             "must be a numeric array, a qutip.Qobj or a list of them")
    return arr, "array"


def as_operator(x: Any, name: str, n: int | None = None) -> np.ndarray:
    """Operator(s) (..., n, n) from an array, an ``oper`` Qobj or a list of them (a batch).

    ``n``, if given, is the required Hilbert-space dimension.
    """
    arr, kind = _raw_array(x, name)
    if kind in ("ket", "bra", "super"):
        raise ParameterError(name, Text(f"Qobj of type {kind!r}"), "must be an operator (type 'oper')")
    if arr.ndim < 2 or arr.shape[-1] != arr.shape[-2] or (n is not None and arr.shape[-1] != n):
        want = f"(..., {n}, {n})" if n is not None else "(..., n, n)"
        raise ParameterError(name, Shape(arr.shape), f"must be an operator of shape {want}")
    return arr.astype(complex, copy=False)


def as_superoperator(x: Any, name: str, n: int | None = None) -> np.ndarray:
    """Superoperator(s) (..., n², n²), row-major; QuTiP ``super`` Qobjs are permuted from
    QuTiP's column stacking (see the module docstring)."""
    arr, kind = _raw_array(x, name)
    big = n * n if n is not None else None
    if kind in ("ket", "bra", "oper") or arr.ndim < 2 or arr.shape[-1] != arr.shape[-2] \
            or (big is not None and arr.shape[-1] != big) \
            or int(round(np.sqrt(arr.shape[-1]))) ** 2 != arr.shape[-1]:
        want = f"(..., {big}, {big})" if big is not None else "(..., n², n²)"
        raise ParameterError(name, Shape(arr.shape),
                             f"must be a superoperator of shape {want} (row-major vec)")
    return arr.astype(complex, copy=False)


def as_state(x: Any, name: str = "rho0") -> np.ndarray:
    """Density matrices (..., n, n) from kets or density matrices, arrays or ``Qobj``s.

    Kets become |psi><psi| (normalised as given, not renormalised).  Array forms:
    ``(n,)`` is a ket, ``(..., n, 1)`` are kets, ``(..., n, n)`` density matrices.
    Qobj kets / bras / operators, and (nested) lists of them (batch axes), are accepted.
    """
    if isinstance(x, (list, tuple)) and x and not _is_number_tree(x):
        parts = [as_state(v, f"{name}[{k}]") for k, v in enumerate(x)]
        if len({p.shape for p in parts}) > 1:
            raise ParameterError(name, Text(f"list of states of shapes {[p.shape for p in parts]}"),
                                 "a list used as a batch must hold states of one dimension")
        return np.stack(parts)
    arr, kind = _raw_array(x, name)
    if kind == "super":
        raise ParameterError(name, Text("Qobj of type 'super'"), "must be a state (ket or density matrix)")
    if kind == "bra":
        arr = np.conj(np.swapaxes(arr, -1, -2))
        kind = "ket"
    if arr.ndim == 1:
        arr = arr[:, None]
        kind = "ket"
    if kind in ("ket",) or (arr.ndim >= 2 and arr.shape[-1] == 1 and arr.shape[-2] > 1):
        psi = arr.astype(complex)
        return psi @ np.conj(np.swapaxes(psi, -1, -2))
    if arr.ndim < 2 or arr.shape[-1] != arr.shape[-2]:
        raise ParameterError(name, Shape(arr.shape), "must be a ket (n,), kets (..., n, 1) or "
                             "density matrices (..., n, n)")
    return arr.astype(complex, copy=False)


def to_qobj(arr: np.ndarray, dims: list | None = None) -> Any:
    """One (n, n) operator or (n², n²) row-major superoperator -> ``qutip.Qobj``."""
    import qutip

    a = np.asarray(arr)
    if dims is not None and int(np.prod(dims[0])) ** 2 == a.shape[-1] and a.shape[-1] > 1 \
            and int(np.prod(dims[0])) != a.shape[-1]:
        return super_to_qutip(a, dims)
    return qutip.Qobj(a, dims=dims) if dims is not None else qutip.Qobj(a)


# ---------------------------------------------------------------------------- time dependence

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
                         f"row-major superoperator (..., {n * n}, {n * n}) (n = {n} from rho0)")


def _is_pair(x: Any) -> bool:
    """``[operator, coefficient]``: one time-dependent term of a list form."""
    return (isinstance(x, (list, tuple)) and len(x) == 2
            and (callable(x[1]) or isinstance(x[1], str)) and not is_qobj(x[1])
            and not isinstance(x[1], np.ndarray))


def _from_callable(f: Callable, name: str, n: int, t0: float,
                   args: Mapping[str, Any] | None) -> TimeOperator:
    g = _coefficient(f, name, args)
    sample = g(t0)
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
            op, sup = _term_operator(item[0], iname + "[0]", n)
            terms.append((op, _coefficient(item[1], iname + "[1]", args)))
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
    if x is None:
        return []
    if is_qobj(x) or is_qobjevo(x) or isinstance(x, np.ndarray) or callable(x) or _is_number_tree(x):
        return [x]
    if isinstance(x, (list, tuple)):
        return list(x)
    raise ParameterError(name, type(x).__name__, "must be a list of operators")
