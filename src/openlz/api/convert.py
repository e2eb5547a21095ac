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

import sys
from typing import Any

import numpy as np

from ..core.validation import as_times as _core_times
from ..errors import ParameterError

__all__ = ["is_qobj", "is_qobjevo", "as_times", "as_operator", "as_state", "as_superoperator",
           "super_from_qutip", "super_to_qutip", "to_qobj", "Shape", "Text", "qobj_dims"]


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
    """Output times (T,): real, finite, monotonic, at least one; ``times[0]`` is the time of
    rho0.  A complex array is accepted only with a zero imaginary part (no silent truncation);
    strings and objects are refused."""
    if times is None:
        raise ParameterError("times", None, "must be a non-empty 1-D array of times (T,)")
    t = _core_times(times, "times")
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
        out = super_from_qutip(np.asarray(q.full()))
        _require_finite(out, "input")
        return out, "super"
    if q.type in ("operator-ket", "operator-bra"):
        raise ParameterError("input", Text(f"Qobj of type {q.type!r}"),
                             "vectorised operators are not accepted; pass the operator "
                             "(qutip.vector_to_operator)")
    out = np.asarray(q.full())
    _require_finite(out, "input")
    return out, q.type


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
    _require_finite(arr, name)
    return arr, "array"


def _require_finite(arr: np.ndarray, name: str) -> None:
    """Refuse NaN / inf entries of an operator or state (they propagate into every result)."""
    if arr.dtype.kind in "fc" and not np.all(np.isfinite(arr)):
        raise ParameterError(name, Shape(arr.shape, "array with NaN or inf entries"),
                             "must be finite")


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
        return _nonzero_states(psi @ np.conj(np.swapaxes(psi, -1, -2)), name)
    if arr.ndim < 2 or arr.shape[-1] != arr.shape[-2]:
        raise ParameterError(name, Shape(arr.shape), "must be a ket (n,), kets (..., n, 1) or "
                             "density matrices (..., n, n)")
    return _nonzero_states(arr.astype(complex, copy=False), name)


def _nonzero_states(rho: np.ndarray, name: str) -> np.ndarray:
    """Refuse zero kets / zero matrices (trace 0 and nothing else: not a state at all)."""
    zero = ~np.any(rho != 0, axis=(-2, -1))
    if np.any(zero):
        where = "" if zero.ndim == 0 else f" at batch index {np.argwhere(zero)[0].tolist()}"
        raise ParameterError(name, Text(f"the zero state{where}"),
                             "must be a ket or density matrix with non-zero norm")
    return rho


def to_qobj(arr: np.ndarray, dims: list | None = None) -> Any:
    """One (n, n) operator or (n², n²) row-major superoperator -> ``qutip.Qobj``."""
    import qutip

    a = np.asarray(arr)
    if dims is not None and int(np.prod(dims[0])) ** 2 == a.shape[-1] and a.shape[-1] > 1 \
            and int(np.prod(dims[0])) != a.shape[-1]:
        return super_to_qutip(a, dims)
    return qutip.Qobj(a, dims=dims) if dims is not None else qutip.Qobj(a)


def __getattr__(name: str) -> Any:
    """``TimeOperator``, ``as_time_operator``, ``as_operator_list`` moved to
    :mod:`openlz.api.timedep`; they stay importable from here (imported lazily: timedep
    imports this module)."""
    if name in ("TimeOperator", "as_time_operator", "as_operator_list"):
        from . import timedep

        return getattr(timedep, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
