"""``openlz.amesolve``: the adiabatic Markovian master equation for a user's own H(t).

Paper 000, Eqs. (8)–(14) (Albash, Boixo, Lidar & Zanardi, NJP 14, 123016 (2012)): jump
operators from the instantaneous eigenbasis of H(t) (Eq. 9), rates gamma(w) = 2 pi J(w)(1 + n(w))
(Eq. 11), Lamb shift H_LS = sum S(w) A(w)^dag A(w) (Eq. 14), with the validity time scales of
Eqs. (15)–(18) reported.  Thin: convert the inputs (:mod:`openlz.api.convert`), dispatch to
:class:`openlz.solve.adiabatic.AdiabaticMasterEquation`, wrap a :class:`Result`.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import numpy as np

from ..core.baths import Bath
from ..errors import ParameterError
from ..solve.adiabatic import AdiabaticMasterEquation
from .convert import Shape, TimeOperator, as_operator, as_state, as_time_operator, as_times
from .expect import expectation, parse_e_ops
from .mesolve import _dims, _physicality
from .options import Options
from .progress import TimeProgress, progress_enabled
from .result import Result

__all__ = ["amesolve", "AMEOptions"]


class AMEOptions(Options):
    """:class:`Options` of :func:`amesolve`, plus

    omega_hint : None or array of frequencies
        Range |w| of the Lamb-shift table (like HOQST's ``ω_hint``); ``None``: from the
        spectrum of H over the run (1.25 x its largest Bohr frequency, down to 1e-6 of it).
        Frequencies outside the table are still computed (never an error).
    degeneracy_tol : float
        Bohr frequencies closer than this times the spectral width are one frequency
        (secular sum over distinct frequencies, Eq. (8)); default 1e-9.
    validity_factor : float
        "<<" of Eq. (15) read as "at least this many times" (default 10).
    validity_points : int
        Points of the run (besides ``times``) on which Eqs. (15)–(18) are checked (default 201).
    """

    _defaults: dict[str, Any] = {**Options._defaults, "omega_hint": None,
                                 "degeneracy_tol": 1e-9, "validity_factor": 10.0,
                                 "validity_points": 201}

    @classmethod
    def resolve(cls, options: Options | Mapping[str, Any] | None) -> AMEOptions:
        if isinstance(options, Options) and not isinstance(options, AMEOptions):
            return cls(**options.as_dict())
        return super().resolve(options)  # type: ignore[return-value]

    @staticmethod
    def _check(v: dict[str, Any]) -> None:
        Options._check(v)
        tol = v["degeneracy_tol"]
        if not isinstance(tol, (int, float)) or not (0 <= tol < 1):
            raise ParameterError("options['degeneracy_tol']", tol, "must be a number in [0, 1)")
        fac = v["validity_factor"]
        if not isinstance(fac, (int, float)) or not fac > 0:
            raise ParameterError("options['validity_factor']", fac, "must be a number > 0")
        pts = v["validity_points"]
        if isinstance(pts, bool) or not isinstance(pts, (int, np.integer)) or pts < 2:
            raise ParameterError("options['validity_points']", pts, "must be an integer >= 2")


def _hamiltonian(op: TimeOperator) -> Any:
    """t -> (..., n, n) from a parsed (constant + sum_k f_k(t) M_k + func(t)) operator."""
    if op.is_super:
        raise ParameterError("H", "superoperator", "amesolve needs a Hamiltonian (n, n), not a "
                             "Liouvillian: the jump operators come from its eigenbasis (Eq. 9)")
    const, terms, func = op.constant, list(op.terms), op.func

    def H(t: float) -> np.ndarray:
        out: Any = 0.0 if const is None else const
        for M, f in terms:
            c = np.asarray(f(t))
            if np.iscomplexobj(c):
                if np.max(np.abs(c.imag), initial=0.0) > 1e-14 * max(1.0, np.max(np.abs(c))):
                    raise ParameterError("H", "complex coefficient", "coefficients of a "
                                         "Hamiltonian's list form must be real")
                c = c.real
            out = out + c[..., None, None] * M
        if func is not None:
            out = out + np.asarray(func(t))
        return np.asarray(out, dtype=complex)
    return H


def _a_ops(a_ops: Any, n: int) -> list[tuple[np.ndarray, Bath]]:
    if isinstance(a_ops, tuple) and len(a_ops) == 2 and isinstance(a_ops[1], Bath):
        a_ops = [a_ops]
    if not isinstance(a_ops, (list, tuple)) or not a_ops:
        raise ParameterError("a_ops", type(a_ops).__name__, "must be a non-empty list of "
                             "(coupling operator, openlz.Bath) pairs")
    out = []
    for k, pair in enumerate(a_ops):
        if not (isinstance(pair, (list, tuple)) and len(pair) == 2):
            raise ParameterError(f"a_ops[{k}]", type(pair).__name__, "must be a pair "
                                 "(coupling operator, openlz.Bath)")
        op, bath = pair
        if not isinstance(bath, Bath):
            raise ParameterError(f"a_ops[{k}][1]", type(bath).__name__, "must be an openlz.Bath "
                                 "(e.g. openlz.OhmicBath(eta, wc, T)); QuTiP's spectrum "
                                 "callables give no Lamb shift")
        A = as_operator(op, f"a_ops[{k}][0]", n)
        scale = max(1.0, float(np.max(np.abs(A), initial=0.0)))
        if np.max(np.abs(A - np.conj(np.swapaxes(A, -1, -2)))) > 1e-12 * scale:
            raise ParameterError(f"a_ops[{k}][0]", Shape(A.shape), "coupling operators must be "
                                 "Hermitian (A (x) B with B Hermitian, paper 000 Eq. 6)")
        out.append((A, bath))
    return out


def amesolve(H: Any, rho0: Any, times: Any, a_ops: Any, e_ops: Any = None,
             lamb_shift: bool = True, options: AMEOptions | Mapping[str, Any] | None = None, *,
             args: Mapping[str, Any] | None = None) -> Result:
    """Solve the adiabatic master equation (paper 000, Eqs. 8–14) for H(t) coupled to baths.

    dρ/dt = −i[H(t) + H_LS(t), ρ] + Σ_k Σ_ω γ_k(ω) (A_k(ω) ρ A_k(ω)† − ½{A_k(ω)†A_k(ω), ρ}),
    A_k(ω) = Σ_{E_b − E_a = ω} Π_a(t) A_k Π_b(t) over the instantaneous eigenprojectors of H(t)
    (Eq. 9), γ_k(ω) = 2π J_k(ω)(1 + n_k(ω)) (Eq. 11), H_LS = Σ_k Σ_ω S_k(ω) A_k(ω)†A_k(ω)
    (Eq. 14) with S the principal-value Lamb shift of the bath (appendix A).

    Parameters
    ----------
    H : the Hamiltonian: a callable t -> (..., n, n) (or t -> Qobj), the QuTiP list form
        ``[H0, [H1, f1], ...]`` (f(t) or f(t, args) returning scalars or batch arrays), a
        ``QobjEvo``, or a constant operator (array / ``Qobj``).  Leading axes are batch axes.
    rho0 : ket(s) or density matrix(ces) (array (n,), (..., n, 1), (..., n, n), ``Qobj`` or a
        list of them); ``times[0]`` is its time.
    times : (T,) output times.
    a_ops : list of ``(A, bath)``: a Hermitian coupling operator A (array (..., n, n) or
        ``Qobj``) and an :class:`openlz.Bath` / :class:`openlz.OhmicBath` (one independent bath
        per pair; its eta is the coupling constant, lambda² of Eq. (8)).
    e_ops : operators, callables f(t, rho), a list or a dict of them (``Result.expect``).
    lamb_shift : include H_LS (Eq. 14).
    options : :class:`AMEOptions` or a dict: tolerances (``rtol`` 1e-8, ``atol`` 1e-10),
        ``omega_hint``, ``degeneracy_tol``, ``validity_factor``, ``validity_points``,
        ``store_states``, ``progress_bar``...; unknown keys raise ``ParameterError``.
    args : values for coefficients written f(t, args).

    Returns
    -------
    Result
        ``states`` (..., T, n, n) (batch axes of H, a_ops, baths and rho0 broadcast first);
        ``expect``; ``stats`` (steps, wall time, Lamb-shift tables); ``validity``:
        ``"markov"`` — the time scales of Eqs. (15)–(18) (min τ_R/τ_S and τ_A/τ_S per batch
        point, whether they hold, the violations) — and ``"physicality"``.  A
        :class:`~openlz.errors.ValidityWarning` names each failed inequality of Eq. (15).

    Notes
    -----
    Degenerate and near-degenerate levels (also at ``times[0]``) are handled by the
    Kossakowski form over pairs of equal Bohr frequencies (see :mod:`openlz.solve.adiabatic`);
    where gaps close, τ_S grows and the validity report says so.  A system S with an idle
    partner R is ``H ⊗ 1``, ``A ⊗ 1``: the degenerate spectrum gives exactly L_t ⊗ id
    (paper 000, Eq. 35).
    """
    wall0 = time.perf_counter()
    opts = AMEOptions.resolve(options)
    times = as_times(times)
    rho = as_state(rho0, "rho0")
    n = rho.shape[-1]
    t0 = float(times[0])
    if H is None:
        raise ParameterError("H", None, "amesolve needs a Hamiltonian")
    h = _hamiltonian(as_time_operator(H, "H", n, t0, args))
    H0 = h(t0)
    if np.max(np.abs(H0 - np.conj(np.swapaxes(H0, -1, -2)))) > 1e-10 * max(1.0, np.abs(H0).max()):
        raise ParameterError("H", Shape(H0.shape), f"H(t) must be Hermitian (not at t = {t0:g})")
    pairs = _a_ops(a_ops, n)
    names, items = parse_e_ops(e_ops, n)

    me = AdiabaticMasterEquation(h, pairs, lamb_shift=lamb_shift, tol=opts["degeneracy_tol"])
    me.prepare(times, rho.shape[:-2], omega_hint=opts["omega_hint"])
    progress = (TimeProgress(t0, float(times[-1]), label="amesolve")
                if progress_enabled(opts["progress_bar"]) and times.size > 1 else None)
    if progress is not None:
        rhs = me.rhs
        me.rhs = lambda t, Z: (progress.update(t), rhs(t, Z))[1]  # type: ignore[method-assign]
    try:
        states, st = me.evolve(rho, times, opts.ode_options(), validity_factor=None)
    finally:
        if progress is not None:
            progress.close()
    grid = np.union1d(np.linspace(times.min(), times.max(), int(opts["validity_points"])), times)
    rep = me.validity(grid, float(opts["validity_factor"]))
    rep.warn(prefix="amesolve: ", stacklevel=3)
    markov = rep.as_dict()
    markov["checked_points"] = int(grid.size)
    expect = [expectation(it, states, times) for it in items]
    store = opts["store_states"] if opts["store_states"] is not None else not items
    stats = {"method": opts.ode_options().method, "n_accepted": st.n_accepted,
             "n_rejected": st.n_rejected, "n_rhs": st.n_rhs,
             "lamb_shift": _lamb_stats(me), "wall_time": time.perf_counter() - wall0}
    return Result(times, states if store else None, final_state=states[..., -1, :, :].copy(),
                  expect=expect, e_names=names, stats=stats,
                  validity={"markov": markov, "physicality": _physicality(states, rho)},
                  options=opts.as_dict(), solver="amesolve", dims=_dims(rho0, H))


def _lamb_stats(me: AdiabaticMasterEquation) -> list[dict[str, Any]] | str:
    if not me.use_lamb_shift:
        return "off"
    out = []
    for (_, bath), (_, _, S) in zip(me.a_ops, me._terms or [], strict=True):
        if S is None:
            continue
        if hasattr(S, "rel_error"):
            out.append({"bath": repr(bath), "form": "table", "range": [float(np.min(S.lo)),
                        float(np.max(S.hi))], "built_for": [float(np.min(S.lo)),
                        float(np.max(S.hi0))], "degree": int(S.degree),
                        "rel_error": float(S.rel_error), "extensions": int(S.n_extended)})
        else:
            out.append({"bath": repr(bath), "form": "T = 0 closed form"})
    return out
