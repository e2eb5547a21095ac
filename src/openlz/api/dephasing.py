"""Dephasing Lindbladians for a user's own H (paper 001): jump operators and transition
probabilities between adiabatic levels.

* :func:`dephasing_lindbladian` — the jump operators Gamma_a = sqrt(gamma) f_a(H) of a dephasing
  Lindbladian L = (H, {Gamma_a}) (paper 001, Eq. 2.4), by default Lemma 1's normal form
  f(H) = sqrt(H) = sgn(H) sqrt|H| (Eqs. 3.1-3.3: -(gamma/2)[sqrt H, [sqrt H, rho]] is one jump
  operator sqrt(gamma) sqrt(H) in the library's Lindblad form), ready for :func:`openlz.mesolve`.
* :func:`dephasing_transition_probability` — p = tr(P_f(s1) U(s1, s0) P_i(s0)) for
  eps d rho/ds = L_s rho and any H(s) with n levels (paper 001's Eq. 2.8 generalised, Sec. 4),
  with the paper's formula p_c + eps int rate ds (Sec. 4; Eq. 1.3 for the incoherent part) for
  comparison.

Both are thin: convert the input (:mod:`openlz.api.convert`), build f(H) through the spectral
decomposition, dispatch to :func:`openlz.mesolve` and the quadrature of
:mod:`openlz.solve.dephasing_transitions`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from ..errors import ParameterError
from ..solve.dephasing import operator_function
from ..solve.dephasing_transitions import incoherent_probability, sqrt_function
from .convert import Shape, Text, is_qobj, is_qobjevo, qobj_dims, to_qobj
from .mesolve import mesolve
from .options import Options
from .result import Result
from .timedep import TimeOperator, as_time_operator

__all__ = ["dephasing_lindbladian", "dephasing_transition_probability"]

_SRC = "paper 001, Lemma 1 / Eq. (3.1): gamma >= 0"
Fn = Callable[[np.ndarray], np.ndarray]


# ---------------------------------------------------------------------------- helpers
def _functions(f_ops: Any) -> list[Fn]:
    """None / "sqrt" -> [sgn(e) sqrt|e|]; a callable -> [it]; a sequence of callables/"sqrt"."""
    if f_ops is None:
        return [sqrt_function]
    items = [f_ops] if (callable(f_ops) or isinstance(f_ops, str)) else list(f_ops)
    out = []
    for k, f in enumerate(items):
        if isinstance(f, str) and f == "sqrt":
            out.append(sqrt_function)
        elif callable(f):
            out.append(f)
        else:
            raise ParameterError(f"f_ops[{k}]", f, "must be a function f(e) of the eigenvalues "
                                 "(vectorised, real arrays in) or 'sqrt' (paper 001, Eq. 2.4)")
    return out


def _dimension(x: Any, name: str, t0: float, args: Mapping[str, Any] | None) -> int:
    """Hilbert-space dimension n of any accepted form of H (a callable is sampled at t0)."""
    if is_qobj(x) or is_qobjevo(x):
        return int(x.shape[0])
    if callable(x) and not isinstance(x, np.ndarray):
        try:
            sample = x(t0)
        except TypeError:  # QuTiP's f(t, args)
            sample = x(t0, dict(args or {}))
        return _dimension(sample, name, t0, args)
    if isinstance(x, (list, tuple)) and x and not np.isscalar(x[0]):
        head = x[0]
        if isinstance(head, (list, tuple)) and len(head) == 2 and callable(head[1]):
            head = head[0]
        if is_qobj(head) or isinstance(head, np.ndarray):
            return _dimension(head, name, t0, args)
    arr = np.asarray(x)
    if arr.ndim < 2 or arr.shape[-1] != arr.shape[-2]:
        raise ParameterError(name, Shape(arr.shape), "must be an operator (..., n, n), a QuTiP "
                             "list form, a QobjEvo or a callable t -> (..., n, n)")
    return int(arr.shape[-1])


def _hermitian(h: np.ndarray, name: str) -> None:
    if not np.allclose(h, np.conj(np.swapaxes(h, -1, -2)), atol=1e-12 * max(1.0, np.abs(h).max())):
        raise ParameterError(name, Shape(h.shape, "non-Hermitian operator"),
                             "must be Hermitian: f(H) is defined through the spectral "
                             "decomposition (paper 001, Eq. 2.4)")


def _evaluate(op: TimeOperator, t: float) -> np.ndarray:
    """O(t) = constant + sum_k f_k(t) O_k + func(t), batch axes broadcast."""
    out: Any = op.constant
    for m, c in op.terms:
        v = np.asarray(c(t))
        term = (v[..., None, None] if v.ndim else v) * m
        out = term if out is None else out + term
    if op.func is not None:
        f = np.asarray(op.func(t))
        out = f if out is None else out + f
    return np.asarray(out, dtype=complex)


def _time_hamiltonian(H: Any, name: str, t0: float, args: Mapping[str, Any] | None
                      ) -> tuple[Callable[[float], np.ndarray] | None, np.ndarray | None, int]:
    """(callable or None, constant array or None, n) for any accepted form of H."""
    n = _dimension(H, name, t0, args)
    op = as_time_operator(H, name, n, t0, args)
    if op.is_super:
        raise ParameterError(name, Text("superoperator"), f"must be a Hamiltonian (..., {n}, "
                             f"{n}), not a superoperator")
    if op.is_constant:
        return None, np.asarray(op.constant, dtype=complex), n
    return (lambda t: _evaluate(op, t)), None, n


def _gamma(gamma: Any) -> Any:
    if callable(gamma):
        return gamma
    g = np.asarray(gamma, dtype=float)
    if np.any(~np.isfinite(g)) or np.any(g < 0):
        raise ParameterError("gamma", gamma if g.size < 8 else Shape(g.shape),
                             f"must be finite and >= 0 ({_SRC})")
    return g


def _checked_gamma(value: Any, where: str) -> np.ndarray:
    g = np.asarray(value, dtype=float)
    if np.any(~np.isfinite(g)) or np.any(g < 0):
        raise ParameterError("gamma", f"gamma({where}) = {g.tolist() if g.size < 8 else g.min()}",
                             f"must be finite and >= 0 ({_SRC})")
    return g


def _jumps(h: np.ndarray, fs: Sequence[Fn], gamma: np.ndarray) -> list[np.ndarray]:
    root = np.sqrt(gamma)[..., None, None]
    return [root * operator_function(h, f) for f in fs]


# ---------------------------------------------------------------------------- public
def dephasing_lindbladian(H: Any, f_ops: Any = None, gamma: Any = 1.0, *,
                          args: Mapping[str, Any] | None = None) -> list[Any]:
    """Jump operators Gamma_a = sqrt(gamma) f_a(H) of a dephasing Lindbladian (paper 001).

    A Lindbladian L = (H, {Gamma_a}) is *dephasing* when every jump operator is a function of
    the Hamiltonian, Gamma_a = f_a(H) (Eq. 2.4): populations of the eigenstates of H are
    stationary, coherences between them decay.  The default, ``f_ops=None``, is Lemma 1's
    normal form (Eqs. 3.1-3.3), ``L = -i[H, .] - (gamma/2)[sqrt H, [sqrt H, .]]`` with
    ``sqrt H = sgn(H) sqrt|H|``, i.e. the single jump operator ``sqrt(gamma) sqrt(H)`` in the
    library's Lindblad form ``L rho L^dag - {L^dag L, rho}/2``.

    Parameters
    ----------
    H : Hermitian Hamiltonian: an array (..., n, n) (leading axes are batch axes), a ``Qobj``,
        or time-dependent: a callable t -> (..., n, n), the QuTiP list form
        ``[H0, [H1, f1], ...]`` (a list of constant items is their sum, as in QuTiP) or a
        ``QobjEvo``.
    f_ops : None (Lemma 1: ``sgn(e) sqrt|e|``), ``"sqrt"``, a function f(e) or a list of them.
        Each acts on real eigenvalue arrays, vectorised, and may return complex values.
    gamma : dephasing strength >= 0: a number, an array (batch axes, broadcast with H) or, for
        time-dependent use, a callable t -> number or array.
    args : values for QuTiP-style coefficients f(t, args) of a list-form H.

    Returns
    -------
    list
        One jump operator per f_a, in the form of H: arrays (..., n, n); ``Qobj`` when H is a
        single ``Qobj`` and gamma a number; callables t -> (..., n, n) when H or gamma depends
        on time (accepted by :func:`openlz.mesolve` as time-dependent ``c_ops``).

    Raises
    ------
    ParameterError
        gamma negative or not finite; H not square or not Hermitian; f_ops not callables.
    """
    fs = _functions(f_ops)
    gam = _gamma(gamma)
    call, const, n = _time_hamiltonian(H, "H", 0.0, args)
    if call is None and not callable(gam):
        _hermitian(const, "H")
        ops = _jumps(const, fs, gam)
        if is_qobj(H) and gam.ndim == 0:
            dims = qobj_dims(H)
            return [to_qobj(o, dims) for o in ops]
        return ops

    def hamiltonian(t: float) -> np.ndarray:
        return const if call is None else call(t)

    def gamma_at(t: float) -> np.ndarray:
        return _checked_gamma(gam(t), f"t={t:g}") if callable(gam) else gam

    def make(f: Fn) -> Callable[[float], np.ndarray]:
        def jump(t: float) -> np.ndarray:
            return _jumps(hamiltonian(t), [f], gamma_at(t))[0]
        return jump

    return [make(f) for f in fs]


def dephasing_transition_probability(
        H: Any, s_range: Any, eps: Any, gamma: Any = 1.0, initial_level: int = 0,
        final_level: int = 1, f_ops: Any = None, *, dH: Callable[[float], Any] | None = None,
        coherent: bool = True, formula: bool = True, args: Mapping[str, Any] | None = None,
        options: Options | Mapping[str, Any] | None = None) -> Result:
    """Transition probability between adiabatic levels of any H(s) under dephasing (paper 001).

    Solves eps d rho/ds = -i[H_s, rho] + sum_a D[sqrt(gamma_s) f_a(H_s)] rho (Eq. 2.6 with a
    dephasing Lindbladian, Eq. 2.4) from rho(s0) = P_i(s0), the projection on the level
    ``initial_level`` of H(s0), and returns p = tr(P_f(s1) rho(s1)) (Eq. 2.8 on [s0, s1];
    levels numbered by ascending energy, 0 = ground state; they must stay non-degenerate).
    For comparison it computes the paper's formula (Sec. 4; Eq. 1.5 for two levels)::

        p = p_c + eps int_{s0}^{s1} tr(P_i (P_f')^2 P_i) 2 Re(-1/lambda_fi(s)) ds + O(gamma eps^2)

    with p_c the coherent (gamma = 0) probability computed numerically and lambda_fi the
    eigenvalue of L_s on |psi_f><psi_i| (Eq. 3.4); for Lemma 1's form on two levels
    2 Re(-1/lambda) = gamma/((1 + gamma^2) e_s), the integrand of Eqs. (1.3)/(1.5)
    (:mod:`openlz.solve.dephasing_transitions`).

    Parameters
    ----------
    H : H(s) as a callable s -> (..., n, n), a QuTiP list form in s, a ``QobjEvo`` or an array.
    s_range : (s0, s1), or the increasing points (T,) at which states are returned (the first is
        the initial point, the last the final one).
    eps : adiabatic parameter > 0 (time t = s/eps), a number or an array (batch axes).
    gamma : dephasing strength >= 0: number, array (batch) or callable s -> number/array.
    initial_level, final_level : level indices (ascending energy), distinct, in [0, n).
    f_ops : as in :func:`dephasing_lindbladian` (default Lemma 1's sqrt(H)).
    dH : optional exact H'(s) for the formula (default: fourth-order central difference).
    coherent : also solve gamma = 0 (p_c, needed for ``formula``).
    formula : compute the formula (adaptive quadrature, rtol 1e-8).
    options : :class:`openlz.Options` (or dict) for the master equation; when None,
        rtol 1e-10 and atol 1e-12.

    Returns
    -------
    Result
        ``times`` = the s points (T,), ``states`` (..., T, n, n), and extras (batch axes first):
        ``probability`` (...), ``coherent`` (...), ``incoherent`` = p - p_c,
        ``formula_incoherent`` (the eps-integral), ``formula`` = p_c + formula_incoherent,
        ``adiabatic_populations`` (..., T, n) = <psi_k(s)|rho(s)|psi_k(s)>.
    """
    s = np.asarray(s_range, dtype=float).reshape(-1)
    if s.size < 2 or not np.all(np.diff(s) > 0) or not np.all(np.isfinite(s)):
        raise ParameterError("s_range", s.tolist() if s.size < 8 else Shape(s.shape),
                             "must be (s0, s1) or increasing finite points, at least two")
    e = np.asarray(eps, dtype=float)
    if np.any(~np.isfinite(e)) or np.any(e <= 0):
        raise ParameterError("eps", eps if e.size < 8 else Shape(e.shape),
                             "must be finite and > 0 (paper 001, Eq. 2.6: adiabatic parameter)")
    gam = _gamma(gamma)
    fs = _functions(f_ops)
    call, const, n = _time_hamiltonian(H, "H", float(s[0]), args)
    for name, lev in (("initial_level", initial_level), ("final_level", final_level)):
        if not isinstance(lev, (int, np.integer)) or not 0 <= lev < n:
            raise ParameterError(name, lev, f"must be an integer level index in [0, {n}) "
                                 "(ascending energy, 0 = ground state)")
    if initial_level == final_level:
        raise ParameterError("final_level", final_level, "must differ from initial_level")

    def h(t: float) -> np.ndarray:
        return const if call is None else call(t)

    h0 = h(float(s[0]))
    _hermitian(h0, "H")

    def gamma_at(t: float) -> np.ndarray:
        return _checked_gamma(gam(t), f"s={t:g}") if callable(gam) else gam

    opts = Options.resolve(options if options is not None else {"rtol": 1e-10, "atol": 1e-12})
    ee = e[..., None, None]

    def h_eff(t: float) -> np.ndarray:
        return h(t) / ee

    def make(f: Fn) -> Callable[[float], np.ndarray]:
        def jump(t: float) -> np.ndarray:
            return _jumps(h(t), [f], np.asarray(gamma_at(t), dtype=float) / e)[0]
        return jump

    _, v0 = np.linalg.eigh(h0)
    psi0 = v0[..., :, initial_level]
    rho0 = psi0[..., :, None] * np.conj(psi0[..., None, :])
    full = mesolve(h_eff, rho0, s, c_ops=[make(f) for f in fs], options=opts)
    pops = _adiabatic_populations(h, s, full.states)
    prob = pops[..., -1, final_level]
    batch = prob.shape
    extras: dict[str, Any] = {"probability": prob, "adiabatic_populations": pops}
    stats = {"dissipative": full.stats}
    if coherent:
        coh = mesolve(h_eff, rho0, s, options=opts.replace(store_states=False))
        pc = np.broadcast_to(_adiabatic_populations(h, s[-1:], coh.final_state[..., None, :, :])
                             [..., -1, final_level], batch)
        extras.update(coherent=np.array(pc), incoherent=prob - pc)
        stats["coherent"] = coh.stats
    if formula:
        inc = incoherent_probability(h, float(s[0]), float(s[-1]), e, gamma_at, initial_level,
                                     final_level, fs, dh=dH)
        extras["formula_incoherent"] = np.array(np.broadcast_to(inc, batch))
        if coherent:
            extras["formula"] = extras["coherent"] + extras["formula_incoherent"]
    return Result(s, full.states, expect=[], stats=stats, validity=full.validity,
                  options=opts.as_dict(), solver="dephasing_transition_probability",
                  dims=full.dims, extras=extras,
                  extra_dims={"adiabatic_populations": ("time", "level")})


def _adiabatic_populations(h: Callable[[float], np.ndarray], s: np.ndarray,
                           states: np.ndarray) -> np.ndarray:
    """<psi_k(s)|rho(s)|psi_k(s)> for states (..., T, n, n) -> (..., T, n)."""
    out = []
    for k, sk in enumerate(s):
        _, v = np.linalg.eigh(h(float(sk)))
        rho = states[..., k, :, :]
        out.append(np.einsum("...ak,...ab,...bk->...k", np.conj(v), rho, v).real)
    return np.stack(np.broadcast_arrays(*out), axis=-2)
