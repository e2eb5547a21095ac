"""``openlz.steadystate``: the null space of a constant Lindblad generator, batched.

Thin: convert, assemble the Liouvillian (row-major vec, see :mod:`openlz.api.convert`),
dispatch to :func:`openlz.solve.steady.steady_state`, wrap a :class:`Result`.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np

from ..errors import ParameterError, ValidityWarning
from ..solve.steady import steady_state
from .convert import (
    Shape,
    Text,
    _raw_array,
    as_state,
    is_qobj,
    is_qobjevo,
)
from .expect import expectation, parse_e_ops
from .generator import build_generator
from .mesolve import _dims, _physicality
from .result import Result
from .timedep import as_operator_list, as_time_operator

__all__ = ["steadystate"]


def steadystate(H: Any, c_ops: Any = None, rho0: Any = None, *, e_ops: Any = None,
                tol: float = 1e-10, args: Mapping[str, Any] | None = None) -> Result:
    """Steady state(s) ρ_ss with L ρ_ss = 0 of a time-independent Lindblad generator.

    Parameters
    ----------
    H : Hamiltonian (..., n, n) (array or ``Qobj``), or a Liouvillian (..., n², n²): an openlz
        array (**row-major** vec, ``vec(rho)[i*n + j] = rho[i, j]``) or a QuTiP ``super`` Qobj
        (column-stacking, permuted here).  A bare square array with no ``c_ops`` and no
        ``rho0`` is read as a Liouvillian (a Hamiltonian alone has no unique steady state).
    c_ops : list of constant jump operators (..., n, n) (arrays or ``Qobj``).
    rho0 : state(s) (..., n, n) or kets, used where the steady state is not unique: the answer
        is then the long-time limit P0 rho0 of the evolution from rho0 (P0 the spectral
        projector on the kernel), flagged in ``extras`` and by a ``ValidityWarning``.
    e_ops : operators or callables f(t, rho) (t = inf), as in :func:`openlz.mesolve`.
    tol : singular values below ``tol * max(1, ||L||)`` count as zero.

    Returns
    -------
    Result
        ``times = [inf]``; ``state`` / ``final_state`` (..., n, n), ``states`` (..., 1, n, n);
        extras (each of batch shape): ``kernel_dim``, ``unique``, ``from_initial`` (rho0 was
        used), ``oscillating`` (purely imaginary eigenvalues: no single long-time state, the
        answer is the time average).  ``result.to_qobj(final=True)`` gives a ``Qobj``.

    Raises
    ------
    ParameterError
        Time-dependent input, wrong shapes, or a non-unique steady state without ``rho0``.
    """
    wall0 = time.perf_counter()
    if isinstance(tol, bool) or not isinstance(tol, (int, float, np.integer, np.floating)) \
            or not 0 < tol < 1:
        raise ParameterError("tol", tol, "must be a number in (0, 1) (relative singular-value "
                             "threshold of the kernel)")
    n = _dimension(H, c_ops, rho0)
    rho = as_state(rho0, "rho0") if rho0 is not None else None
    if rho is not None and rho.shape[-1] != n:
        raise ParameterError("rho0", Shape(rho.shape), f"must be states of dimension n = {n}")
    h = as_time_operator(H, "H", n, 0.0, args) if H is not None else None
    cops = [(f"c_ops[{k}]", as_time_operator(c, f"c_ops[{k}]", n, 0.0, args))
            for k, c in enumerate(as_operator_list(c_ops, "c_ops"))]
    for name, op in ([("H", h)] if h is not None else []) + cops:
        if not op.is_constant:
            raise ParameterError(name, Text("time-dependent operator"),
                                 "steadystate needs a time-independent generator")
    gen = build_generator(h, cops, n, 0.0, rho.shape[:-2] if rho is not None else ())
    big = n * n
    lmat = np.broadcast_to(gen.constant, (*gen.batch, big, big))  # type: ignore[arg-type]
    r0 = None if rho is None else np.broadcast_to(rho, (*gen.batch, n, n))
    try:
        ss = steady_state(lmat, r0, tol=tol)
    except ValueError as exc:
        raise ParameterError("rho0", None, f"{exc} (the generator's kernel is degenerate: dark "
                             "states or conserved quantities)") from None
    if not np.all(ss.unique):
        bad = np.argwhere(~np.asarray(ss.unique)).tolist()
        warnings.warn(f"steady state not unique (kernel dimension "
                      f"{np.asarray(ss.kernel_dim)[~np.asarray(ss.unique)].tolist()} at batch "
                      f"indices {bad}): returned the long-time limit from rho0",
                      ValidityWarning, stacklevel=2)
    if np.any(ss.oscillating):
        warnings.warn("the generator has purely imaginary eigenvalues: the long-time state "
                      "oscillates; the state returned is its time average", ValidityWarning,
                      stacklevel=2)
    states = ss.rho[..., None, :, :]
    times = np.array([np.inf])
    names, items = parse_e_ops(e_ops, n)
    expect = [expectation(it, states, times) for it in items]
    extras = {"kernel_dim": np.asarray(ss.kernel_dim), "unique": np.asarray(ss.unique),
              "from_initial": np.asarray(ss.from_initial),
              "oscillating": np.asarray(ss.oscillating)}
    validity = {"unique": bool(np.all(ss.unique)), "oscillating": bool(np.any(ss.oscillating)),
                "physicality": _physicality(states, np.eye(n) / n)}
    return Result(times, states, expect=expect, e_names=names,
                  stats={"method": "svd null space", "tol": tol,
                         "wall_time": time.perf_counter() - wall0},
                  validity=validity, options={"tol": tol}, solver="steadystate",
                  dims=_dims(rho0, H, c_ops), extras=extras)


def _dimension(H: Any, c_ops: Any, rho0: Any) -> int:
    """Hilbert-space dimension n from rho0, else the first c_op, else H (see the docstring)."""
    if rho0 is not None:
        return as_state(rho0, "rho0").shape[-1]
    for k, c in enumerate(as_operator_list(c_ops, "c_ops")):
        arr = _first_array(c, f"c_ops[{k}]")
        if arr is not None:
            return _n_of(arr, kind_super=is_qobj(c) and c.type == "super")
    if H is None:
        raise ParameterError("H", None, "give H, c_ops or rho0")
    arr = _first_array(H, "H")
    if arr is None:
        raise ParameterError("H", type(H).__name__, "steadystate needs a time-independent "
                             "operator or Liouvillian")
    if is_qobj(H):
        return _n_of(arr, kind_super=H.type == "super")
    return _n_of(arr, kind_super=c_ops is None or len(as_operator_list(c_ops, "c_ops")) == 0)


def _first_array(x: Any, name: str) -> np.ndarray | None:
    if is_qobjevo(x) or callable(x) and not is_qobj(x) and not isinstance(x, np.ndarray):
        return None
    if is_qobj(x) and x.type == "super":
        return np.empty(x.shape)
    try:
        arr, _ = _raw_array(x, name)
    except ParameterError:  # a list form: time-dependent, reported by as_time_operator
        return None
    return arr


def _n_of(arr: np.ndarray, kind_super: bool) -> int:
    m = arr.shape[-1] if arr.ndim else 0
    if kind_super:
        r = int(round(np.sqrt(m)))
        if r * r == m:
            return r
    return m
