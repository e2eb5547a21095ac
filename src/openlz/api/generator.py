"""Assemble the Lindblad generator of ``mesolve`` from parsed Hamiltonian and jump operators.

The generator acts on row-major ``vec(rho)`` (``vec(rho)[i*n + j] = rho[i, j]``, see
:mod:`openlz.core.liouvillian`) and comes in one of three forms, cheapest first:

* ``constant``: one (..., n², n²) matrix, evolved exactly (``evolve_constant``);
* ``linear``: L(t) = L_0 + sum_k c_k(t) L_k as a :class:`~openlz.solve.lindblad.LinearGenerator`
  (the fast path of ``evolve_td``: terms applied to the state, real Hermitian-basis
  coordinates when every term preserves hermiticity);
* ``callable``: t -> (B, n², n²) for general callables (assembled at every stage).

A time-dependent jump operator C(t) = sum_k f_k(t) A_k (f_0 = 1 for a constant part) gives
D[C] = sum_{jk} conj(f_j) f_k X_jk with X_jk rho = A_k rho A_j^† - ½{A_j^† A_k, rho}.  The pair
(j, k), (k, j) is written Re(z)(X_jk + X_kj) + Im(z) i(X_jk - X_kj), z = conj(f_j) f_k, so every
coefficient is real and every matrix preserves hermiticity: the list form keeps the fast path.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..core.liouvillian import dissipator, hamiltonian_superop, spost, spre, sprepost
from ..core.operators import dag
from ..errors import ParameterError
from ..solve.lindblad import LinearGenerator
from .convert import Shape, Text
from .timedep import TimeOperator

__all__ = ["Generator", "build_generator", "ComplexCoefficient"]


class ComplexCoefficient(Exception):  # noqa: N818 (control flow, never reaches the user)
    """A coefficient assumed real (a QuTiP Coefficient, real at every output time) became
    complex between output times; ``mesolve`` then re-runs with complex coefficients."""


class _Memo:
    """Coefficient evaluated once per distinct t (shared by several product terms)."""

    def __init__(self, f: Callable[[float], Any]):
        self.f, self.t, self.v = f, None, None

    def __call__(self, t: float) -> Any:
        if t != self.t:
            self.t, self.v = t, self.f(t)
        return self.v


class _RealWhenReal:
    """QuTiP Coefficients always return complex; pass them on as real while they are, so that
    the real-coordinate integration is used, and signal :class:`ComplexCoefficient` otherwise."""

    def __init__(self, f: Callable[[float], Any]):
        self.f, self.complex = f, False

    def __call__(self, t: float) -> Any:
        c = np.asarray(self.f(t))
        if self.complex or not np.iscomplexobj(c):
            return c
        if np.any(c.imag != 0):
            raise ComplexCoefficient
        return c.real


@dataclass
class Generator:
    """kind : ``"constant"``, ``"linear"`` or ``"callable"``; batch : broadcast batch shape;
    constant : (..., N, N) for ``constant``; linear : LinearGenerator on the flattened batch;
    func : t -> (B, N, N) or (N, N) for ``callable``."""

    kind: str
    batch: tuple[int, ...]
    constant: np.ndarray | None = None
    linear: LinearGenerator | None = None
    func: Callable[[float], np.ndarray] | None = None
    qutip_coefficients: tuple[_RealWhenReal, ...] = ()

    def use_complex_coefficients(self) -> None:
        for c in self.qutip_coefficients:
            c.complex = True


def _cross(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """X rho = b rho a^† - ½{a^† b, rho} (superoperator, (..., n², n²))."""
    adb = dag(a) @ b
    return sprepost(b, dag(a)) - 0.5 * (spre(adb) + spost(adb))


def _jump_pieces(op: TimeOperator) -> tuple[list[np.ndarray], list[tuple[np.ndarray, Callable]]]:
    """Constant matrices and (matrix, real coefficient) terms of D[C(t)] for a list-form C."""
    parts: list[tuple[np.ndarray, Callable | None]] = []
    if op.constant is not None:
        parts.append((op.constant, None))
    parts += [(m, _Memo(f)) for m, f in op.terms]
    consts, terms = [], []
    for j, (aj, fj) in enumerate(parts):
        if fj is None:
            consts.append(dissipator(aj))
        else:
            terms.append((dissipator(aj), lambda t, f=fj: np.abs(np.asarray(f(t))) ** 2))
        for ak, fk in parts[j + 1:]:
            xjk, xkj = _cross(aj, ak), _cross(ak, aj)

            def z(t: float, fj=fj, fk=fk) -> np.ndarray:
                cj = 1.0 if fj is None else np.asarray(fj(t))
                return np.conj(cj) * np.asarray(fk(t))  # type: ignore[misc]
            terms.append((xjk + xkj, lambda t, z=z: np.real(z(t))))
            terms.append((1j * (xjk - xkj), lambda t, z=z: np.imag(z(t))))
    return consts, terms


def _superop_pieces(op: TimeOperator, is_jump: bool) -> tuple[list, list, list]:
    """(constant matrices, (matrix, coefficient) terms, callables) of one generator piece."""
    if op.is_super:
        return ([op.constant] if op.constant is not None else [], list(op.terms),
                [op.func] if op.func is not None else [])
    if is_jump:
        if op.func is not None:  # general callable: D[C(t)] assembled at each t
            lin = TimeOperator(op.constant, op.terms)

            def d(t: float) -> np.ndarray:
                c = op.func(t)  # type: ignore[misc]
                c = c if lin.constant is None else c + lin.constant
                for m, f in lin.terms:
                    c = c + np.asarray(f(t))[..., None, None] * m
                return dissipator(np.asarray(c, dtype=complex))
            return [], [], [d]
        consts, terms = _jump_pieces(op)
        return consts, terms, []
    consts = [hamiltonian_superop(op.constant)] if op.constant is not None else []
    terms = [(hamiltonian_superop(m), f) for m, f in op.terms]
    funcs = []
    if op.func is not None:
        func = op.func
        funcs.append(lambda t: hamiltonian_superop(np.asarray(func(t), dtype=complex)))
    return consts, terms, funcs


def _batched_coefficient(f: Callable, batch: tuple[int, ...], t0: float) -> Callable:
    """f itself when its value at t0 is a scalar or has the full batch shape (LinearGenerator
    flattens it in C order, as the batch is flattened); else f broadcast to the batch."""
    if np.shape(f(t0)) in ((), batch):
        return f

    def g(t: float) -> Any:
        c = np.asarray(f(t))
        return c if c.ndim == 0 else np.broadcast_to(c, batch).reshape(-1)
    return g


def _flat(m: np.ndarray, batch: tuple[int, ...]) -> np.ndarray:
    """(..., N, N) -> (N, N) if unbatched, else (B, N, N) over the flattened batch."""
    if m.ndim == 2:
        return m
    return np.broadcast_to(m, (*batch, *m.shape[-2:])).reshape(-1, *m.shape[-2:])


def build_generator(h: TimeOperator | None, c_ops: list[tuple[str, TimeOperator]], n: int,
                    t0: float, state_batch: tuple[int, ...], h_name: str = "H") -> Generator:
    """Assemble the generator; batch axes of every matrix, coefficient value (at ``t0``),
    callable value and of rho0 (``state_batch``) broadcast together."""
    big = n * n
    consts: list[tuple[np.ndarray, str]] = []
    terms: list[tuple[np.ndarray, Callable, str]] = []
    funcs: list[tuple[Callable, str]] = []
    qutip_coefs: list[_RealWhenReal] = []
    pieces = ([(h_name, h, False)] if h is not None else []) + [(nm, c, True) for nm, c in c_ops]
    for name, op, is_jump in pieces:
        if not is_jump and not op.is_super:
            # QuTiP Coefficients return complex; keep the real fast path while they are real
            op = TimeOperator(op.constant, [(m, _wrap_qutip(f, qutip_coefs)) for m, f in op.terms],
                              op.func, op.is_super)
        c, t, f = _superop_pieces(op, is_jump)
        consts += [(m, name) for m in c]
        terms += [(m, cf, f"{name} term {k}") for k, (m, cf) in enumerate(t)]
        funcs += [(fn, name) for fn in f]
    if not (consts or terms or funcs):
        raise ParameterError(h_name, None, "the generator is empty: give H or at least one c_op")

    shapes: list[tuple[tuple[int, ...], str]] = [(m.shape[:-2], name) for m, name in consts]
    for m, cf, name in terms:
        shapes.append((m.shape[:-2], name))
        shapes.append((np.shape(cf(t0)), f"{name} coefficient at t = {t0:g}"))
    for fn, name in funcs:
        val = np.asarray(fn(t0))
        if val.shape[-2:] != (big, big):
            raise ParameterError(name, Shape(val.shape), f"must give (..., {big}, {big})")
        shapes.append((val.shape[:-2], f"{name} at t = {t0:g}"))
    shapes.append((state_batch, "rho0"))
    try:
        batch = np.broadcast_shapes(*[s for s, _ in shapes])
    except ValueError:
        desc = ", ".join(dict.fromkeys(f"{nm} {s}" for s, nm in shapes if s))
        raise ParameterError("batch axes", Text(desc), "leading batch shapes of H, c_ops, their "
                             "coefficients and rho0 must broadcast together (numpy broadcasting rules)") from None

    if not terms and not funcs:
        total = consts[0][0]
        for m, _ in consts[1:]:
            total = total + m
        return Generator("constant", batch, constant=total)

    l0 = consts[0][0] if consts else np.zeros((big, big), dtype=complex)
    for m, _ in consts[1:]:
        l0 = l0 + m
    lin = LinearGenerator(_flat(l0, batch), [(_flat(m, batch), _batched_coefficient(cf, batch, t0))
                                             for m, cf, _ in terms])
    if not funcs:
        return Generator("linear", batch, linear=lin, qutip_coefficients=tuple(qutip_coefs))
    bshape = (int(np.prod(batch)), big, big) if batch else (big, big)

    def gen(t: float) -> np.ndarray:
        out = np.broadcast_to(lin(t), bshape)
        for fn, _ in funcs:
            v = np.asarray(fn(t))
            out = out + (v if not batch else np.broadcast_to(v, (*batch, big, big)).reshape(bshape))
        return out
    return Generator("callable", batch, func=gen, qutip_coefficients=tuple(qutip_coefs))


def _wrap_qutip(f: Callable, registry: list[_RealWhenReal]) -> Callable:
    if type(f).__module__.startswith("qutip"):
        w = _RealWhenReal(f)
        registry.append(w)
        return w
    return f
