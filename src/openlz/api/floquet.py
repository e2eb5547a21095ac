"""``openlz.floquet_markov_steadystate`` and ``openlz.fmmesolve``: the Floquet–Born–Markov
master equation for a user's own periodically driven system.

Thin: convert the inputs (:mod:`openlz.api.convert`), build the Floquet basis of all batch
points at once (:mod:`openlz.solve.floquet`: the split propagator when every driven term is
diagonal, commutator-free Magnus otherwise), the matrix elements and bath responses of each
coupling, then dispatch to :mod:`openlz.solve.floquet_steady` (steady state, secular or full
per point) or to the period-averaged generator (:mod:`openlz.solve.floquet_markov`, dynamics),
and wrap a :class:`~openlz.api.result.Result`.  The equations are paper 002, App. A and C
(Eqs. A4–A7, C3–C4); rates carry the golden-rule 2 pi of its Eq. (C1).

Baths (``a_ops`` = list of ``(A, spectrum)`` pairs, coupling A x B):

* an :class:`openlz.Bath` / :class:`openlz.OhmicBath`: the rate for a transition that takes
  energy E from the bath is 2 pi |A|^2 K(-E), K(w) = J(w)(1 + n(w)) (Bose factor included);
* a callable S(w), the noise power in QuTiP's ``brmesolve`` convention (S(w) for w > 0 is the
  emission rate per |A|^2, thermal factors included).  It is called with arrays whose
  leading axis is the flattened batch (B, ...), so per-point parameters can be reshaped to it;
* with ``options["w_th"]`` = T (QuTiP's ``fmmesolve``/``floquet_tensor`` convention) a
  callable is instead the spectral density J(w), w > 0, and openlz adds the Bose factors.

Differences from QuTiP, measured in ``tests/test_api_floquet.py`` and
``tests/test_fmmesolve_qutip.py``: the rates and the secular steady state agree with
``floquet_tensor`` + ``steadystate`` (to 1e-7 for A/omega <= 2, 2.3e-7 at A/omega = 3.4 with
the default 128 steps per period; 4th order in ``steps``); under the matched convention of
:func:`fmmesolve` (its Notes) the populations agree with ``qutip.fmmesolve`` to 1.2e-6.
QuTiP's secular generator ("simplest RWA") damps a coherence rho_ab at
-(1/2) sum_k (A_ak + A_bk) without the zero-frequency and interference terms that the secular
limit of Eqs. (A4)–(A6) has (the pure dephasing is pi sum_K g(K omega) |X^K_aa - X^K_bb|^2),
so ``fmmesolve(secular=True)`` equals QuTiP's populations but not its coherences (0.2 in
<sz>(t) for a sz-coupled driven qubit, where QuTiP's coherence rate is 3x too small; openlz's
converges to the time-dependent Redfield equation as the coupling falls, QuTiP's does not);
and QuTiP has no non-secular steady state (at a quasienergy degeneracy its secular one is off
by 0.07 in the test, openlz's auto choice by 3.5e-4 against the time-dependent Redfield
equation).  Both period-averaged descriptions differ from the time-dependent Redfield equation
at first order in Gamma/omega (0.85-1.1 Gamma_max/omega measured): ``validity["markov"]``
reports Gamma_max/omega.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..core.checks import check_states
from ..core.validation import convert_array
from ..errors import ParameterError, ValidityWarning
from ..solve.floquet import (
    FloquetBasis,
    drive_values,
    floquet_basis,
    period_propagators,
    period_propagators_diagonal,
)
from ..solve.floquet_markov import (
    evolve_generator,
    floquet_markov_generator,
    sideband_response,
    sideband_tail,
    thermal_response,
)
from ..solve.floquet_steady import METHODS, floquet_steady_state
from .convert import Shape, Text, as_operator, as_state, as_time_operator, as_times
from .expect import expectation, parse_e_ops
from .mesolve import _dims, _physicality
from .options import Options
from .result import Result

__all__ = ["floquet_markov_steadystate", "fmmesolve", "FloquetOptions"]

#: warn when these diagnostics exceed their limits (validity of the numerics / approximations)
LIMITS = {"sideband_tail": 1e-6, "grid_tail": 1e-6, "markov_ratio": 0.1, "secular_error": 1e-3}


class FloquetOptions(Options):
    """Options of ``floquet_markov_steadystate`` and ``fmmesolve`` (read-only, dict-like).

    Parameters
    ----------
    steps : int
        Time steps per drive period of the propagator (4th order) and of the Fourier grid of
        the Floquet modes (default 128); sidebands |K| < steps/2 are resolved.
    kmax : int
        Sideband cutoff |K| <= kmax of the rates (paper 002, Eq. C4; default 32, < steps/2).
    steady : {"auto", "secular", "full"}
        Steady-state generator: ``"auto"`` uses the secular (Pauli) one (Eq. C3) except where
        it is estimated to be off by more than 1e-4 (trace distance), i.e. near quasienergy
        degeneracies, where the full period-averaged one (Eqs. A4–A6) is used.
    secular : bool
        ``fmmesolve`` with the secular generator (QuTiP's ``fmmesolve``) instead of the full
        period-averaged one (default False).
    w_th : float or None
        QuTiP's ``fmmesolve`` temperature: callables in ``a_ops`` are then spectral densities
        J(w) (w > 0) and openlz adds the Bose factors.  ``None``: callables are noise spectra.
    t0 : float or array
        ``floquet_markov_steadystate``: the time of ``rho0`` (only used where the steady state
        is not unique).
    floquet_basis : a :class:`~openlz.solve.floquet.FloquetBasis` from an earlier result
        (``result.floquet_basis``) of the same H, omega and steps, to skip recomputing it.
    store_states : bool or None
        ``fmmesolve``: keep the states (default: unless ``e_ops`` are given).
    """

    _defaults: dict[str, Any] = {"steps": 128, "kmax": 32, "steady": "auto", "secular": False,
                                 "w_th": None, "t0": 0.0, "floquet_basis": None, "store_states": None}

    @staticmethod
    def _check(v: dict[str, Any]) -> None:
        st, km = v["steps"], v["kmax"]
        if isinstance(st, bool) or not isinstance(st, (int, np.integer)) or st < 8:
            raise ParameterError("options['steps']", st, "must be an integer >= 8 (time steps per period)")
        if isinstance(km, bool) or not isinstance(km, (int, np.integer)) or not 1 <= km < st / 2:
            raise ParameterError("options['kmax']", km, f"must be an integer in [1, steps/2) = [1, {st / 2:g}) "
                                 "(the Fourier grid of `steps` points resolves |K| < steps/2)")
        if v["steady"] not in METHODS:
            raise ParameterError("options['steady']", v["steady"], f"must be one of {METHODS}")
        if v["secular"] not in (True, False):
            raise ParameterError("options['secular']", v["secular"], "must be True or False")
        w = v["w_th"]
        if w is not None and not (isinstance(w, (int, float, np.floating)) and np.isfinite(w) and w >= 0):
            raise ParameterError("options['w_th']", w, "must be None or a temperature >= 0")
        if not np.all(np.isfinite(np.asarray(v["t0"], dtype=float))):
            raise ParameterError("options['t0']", v["t0"], "must be finite")
        fb = v["floquet_basis"]
        if fb is not None and not isinstance(fb, FloquetBasis):
            raise ParameterError("options['floquet_basis']", type(fb).__name__,
                                 "must be a FloquetBasis (result.floquet_basis) or None")
        if v["store_states"] not in (None, True, False):
            raise ParameterError("options['store_states']", v["store_states"], "must be None, True or False")


@dataclass
class _Problem:
    """Everything both solvers share, on the flattened batch of B points."""

    batch: tuple[int, ...]
    n: int
    fb: FloquetBasis
    K: np.ndarray
    couplings: list[tuple[np.ndarray, np.ndarray]]
    rates: np.ndarray
    diag: dict[str, np.ndarray]
    stats: dict[str, Any]


def floquet_markov_steadystate(H: Any, omega: Any, a_ops: Any, options: Mapping[str, Any] | None = None, *,
                               rho0: Any = None, args: Mapping[str, Any] | None = None) -> Result:
    """Period-averaged steady state of the Floquet–Born–Markov equation (paper 002, App. A, C).

    Parameters
    ----------
    H : the T-periodic Hamiltonian, T = 2 pi / omega: the QuTiP list form
        ``[H0, [H1, f1], ...]`` (``Qobj`` or arrays (..., n, n); f(t) or f(t, args) returning a
        scalar or an array of batch shape), a ``QobjEvo``, or a callable t -> (..., n, n).
    omega : drive angular frequency, scalar or array of batch shape.
    a_ops : list of ``(A, spectrum)``: coupling operator (..., n, n) (array or ``Qobj``) and an
        :class:`openlz.Bath`, or a callable noise spectrum (see the module docstring).
    options : :class:`FloquetOptions` or a dict (``steps``, ``kmax``, ``steady``, ``w_th``,
        ``t0``, ``floquet_basis``).
    rho0 : state (..., n, n) or ket at time ``options["t0"]``, used only where the steady state
        is not unique (no relaxation between some Floquet states); default maximally mixed.
    args : values for coefficients written f(t, args).

    Returns
    -------
    Result
        ``times = [inf]``; ``state`` (..., n, n) = ``rho_average``, the period average
        (1/T) int_0^T rho(t) dt of the periodic steady state.  Extras, batch axes first:
        ``rho_average`` (..., n, n); ``rho_floquet`` (..., n, n) in the Floquet frame;
        ``quasienergies`` (..., n) folded into [-omega/2, omega/2), ordered as the states of
        ``rates`` (..., n, n), ``rates[..., a, b]`` the rate of b -> a (Eq. C4 x 2 pi);
        ``populations`` (..., n) of the Floquet states; ``modes0`` (..., n, n) (columns u_a(0));
        ``full`` (full generator used), ``unique``, ``secular_error`` (trace distance secular
        vs full: measured where the full state was computed, else estimated), and per point
        the diagnostics ``sideband_tail``, ``grid_tail``, ``markov_ratio``.  ``validity``:
        ``secular``, ``markov`` (Gamma_max / omega), ``sidebands``, ``grid``, ``unique``;
        a ``ValidityWarning`` names a violated condition.  ``result.floquet_basis`` is the
        Floquet basis (reusable through ``options["floquet_basis"]``).
    """
    wall0 = time.perf_counter()
    opts = FloquetOptions.resolve(options)
    n = _dimension(H, a_ops, rho0)
    rho = None if rho0 is None else as_state(rho0, "rho0")
    prob = _setup(H, omega, a_ops, opts, args, n, () if rho is None else rho.shape[:-2])
    B = prob.fb.omega.size
    r0 = None if rho is None else np.broadcast_to(rho, (*prob.batch, n, n)).reshape(B, n, n)
    t0 = np.broadcast_to(np.asarray(opts["t0"], dtype=float), prob.batch).reshape(B)
    st = floquet_steady_state(prob.fb, prob.K, prob.couplings, int(opts["kmax"]), opts["steady"], rho0=r0, t0=t0)
    d = prob.diag
    d["secular_error"] = np.where(st.full, np.nan, st.secular_error)
    validity = _validity(d, prob.batch)
    validity["secular"]["full_generator_points"] = int(st.full.sum())
    validity["secular"]["max_error_where_full_used"] = _nanmax(np.where(st.full, st.secular_error, np.nan))
    validity["unique"] = bool(np.all(st.unique))
    validity["physicality"] = check_states(st.rho_average, atol=1e-8, warn=True).as_dict()
    if not np.all(st.unique):
        warnings.warn(f"floquet_markov_steadystate: steady state not unique at {int((~st.unique).sum())} of {B} "
                      "points (no relaxation between some Floquet states): returned the long-time limit "
                      "from rho0 (extras 'unique')", ValidityWarning, stacklevel=2)
    om = prob.fb.omega[:, None]
    shape = prob.batch
    extras = {"rho_average": st.rho_average, "rho_floquet": st.rho_floquet,
              "quasienergies": (prob.fb.quasienergies + om / 2) % om - om / 2, "rates": prob.rates,
              "populations": st.populations, "modes0": prob.fb.modes[:, 0], "full": st.full,
              "unique": st.unique, "secular_error": st.secular_error,
              **{k: prob.diag[k] for k in ("sideband_tail", "grid_tail", "markov_ratio")}}
    extras = {k: v.reshape(tuple(shape) + v.shape[1:]) for k, v in extras.items()}
    stats = {**prob.stats, "method": "Floquet–Born–Markov steady state (paper 002, Eqs. A4–A6, C3–C4), "
             f"steady={opts['steady']}", "wall_time": time.perf_counter() - wall0}
    res = Result(np.array([np.inf]), extras["rho_average"][..., None, :, :], stats=stats, validity=validity,
                 options=_opts_dict(opts), solver="floquet_markov_steadystate", dims=_dims(H, a_ops),
                 extras=extras, extra_dims={"rho_average": ("row", "col"), "rho_floquet": ("row", "col"),
                                            "quasienergies": ("state",), "rates": ("to", "from"),
                                            "populations": ("state",), "modes0": ("row", "state")})
    res.floquet_basis = prob.fb
    return res


def fmmesolve(H: Any, rho0: Any, times: Any, omega: Any, a_ops: Any, e_ops: Any = None,
              options: Mapping[str, Any] | None = None, *, args: Mapping[str, Any] | None = None) -> Result:
    """Floquet–Born–Markov dynamics, period-averaged generator (paper 002, Eqs. A4–A6).

    Parameters
    ----------
    H, omega, a_ops, args : as :func:`floquet_markov_steadystate`.
    rho0 : state(s) (..., n, n) or ket(s) at ``times[0]`` (QuTiP's convention).
    times : (T,) increasing output times; ``times[0]`` is the initial time.  Every time is
        computed from ``times[0]`` directly (exp of the generator), so the result at a time does
        not depend on the others.
    e_ops : operators (..., n, n), callables f(t, rho), a list or a dict of them.
    options : ``steps``, ``kmax``, ``secular`` (QuTiP's secular generator, default False: the
        full period-averaged one), ``w_th``, ``floquet_basis``, ``store_states``.

    Returns
    -------
    Result
        ``states`` (..., T, n, n) in the lab frame, rho(t) = sum_ab rho_ab(t) |u_a(t)><u_b(t)|;
        ``expect``; extras ``quasienergies`` (..., n), ``rates`` (..., n, n); ``validity``
        (Markov, sideband and grid truncation, physicality: the full generator is of Redfield
        type and not guaranteed completely positive).  ``result.floquet_basis`` as above.

    Notes
    -----
    The same problem as ``qutip.fmmesolve(H, rho0, tlist, [A], [J], T=2*pi/omega, w_th=T_b)``
    is ``openlz.fmmesolve(H, rho0, tlist, omega, [(A, J)], options={"w_th": T_b,
    "secular": True, "kmax": 5})``, with J(w) = 0 for w <= 0 (QuTiP also adds the values of
    the callable at negative frequencies as rates: an odd J gives negative ones; openlz reads
    J only at |w|).  Without ``w_th`` openlz reads a callable as the noise power S(w) of
    ``brmesolve`` (Bose factors and the 2 pi included), so the same J gives rates 2 pi (1 + n)
    times smaller and no absorption: an O(1) change of the dynamics.  ``qutip.fmmesolve``
    takes the period from ``T`` (default ``tlist[-1]``, not the drive period) and fixes
    kmax = 5; openlz's default is the full period-averaged generator with kmax = 32.  Under
    this matching, populations of Floquet states agree to 1.2e-6; coherences decay at a
    different rate (3x faster in openlz for a sz-coupled qubit: QuTiP's secular tensor lacks
    the zero-frequency and interference dephasing terms, see the module docstring;
    ``tests/test_fmmesolve_qutip.py`` measures it against the time-dependent Redfield equation).
    """
    wall0 = time.perf_counter()
    opts = FloquetOptions.resolve(options)
    times = as_times(times)
    if times.size > 1 and np.any(np.diff(times) < 0):
        raise ParameterError("times", Shape(times.shape), "must be increasing: times[0] is the initial time "
                             "and the dissipative dynamics is not evolved backwards")
    rho = as_state(rho0, "rho0")
    n = rho.shape[-1]
    names, items = parse_e_ops(e_ops, n)
    prob = _setup(H, omega, a_ops, opts, args, n, rho.shape[:-2])
    fb, B = prob.fb, prob.fb.omega.size
    secular = bool(opts["secular"])
    kept = [(X[:, np.abs(prob.K) <= opts["kmax"]], G) for X, G in prob.couplings]
    Ks = prob.K[np.abs(prob.K) <= opts["kmax"]]
    L = sum(floquet_markov_generator(X, Ks, fb.quasienergies, fb.omega, None, None, secular=secular, G=G)
            for X, G in kept)
    r0 = np.broadcast_to(rho, (*prob.batch, n, n)).reshape(B, n, n)
    t0 = float(times[0])
    u0 = fb.modes_at(np.full((B, 1), t0))[:, 0]
    rf0 = np.conj(np.swapaxes(u0, -1, -2)) @ r0 @ u0  # <u_a(t0)|rho0|u_b(t0)>
    rf = evolve_generator(L, rf0.reshape(B, n * n), times, t0=t0).reshape(B, times.size, n, n)
    W = fb.modes_at(times)
    states = (W @ rf @ np.conj(np.swapaxes(W, -1, -2))).reshape(*prob.batch, times.size, n, n)
    expect = [expectation(it, states, times) for it in items]
    validity = _validity(prob.diag, prob.batch)
    validity.pop("secular")
    validity["physicality"] = _physicality(states, rho)
    om = fb.omega[:, None]
    extras = {"quasienergies": ((fb.quasienergies + om / 2) % om - om / 2), "rates": prob.rates,
              **{k: prob.diag[k] for k in ("sideband_tail", "grid_tail", "markov_ratio")}}
    extras = {k: v.reshape(tuple(prob.batch) + v.shape[1:]) for k, v in extras.items()}
    store = opts["store_states"] if opts["store_states"] is not None else not items
    stats = {**prob.stats, "method": "Floquet–Born–Markov, " + ("secular generator (Eq. C3)" if secular else
                                                                 "full period-averaged generator (Eqs. A4–A6)"),
             "wall_time": time.perf_counter() - wall0}
    res = Result(times, states if store else None, final_state=states[..., -1, :, :].copy(), expect=expect,
                 e_names=names, stats=stats, validity=validity, options=_opts_dict(opts), solver="fmmesolve",
                 dims=_dims(rho0, H), extras=extras,
                 extra_dims={"quasienergies": ("state",), "rates": ("to", "from")})
    res.floquet_basis = fb
    return res


# ------------------------------------------------------------------------------------ setup

def _setup(H: Any, omega: Any, a_ops: Any, opts: FloquetOptions, args: Mapping[str, Any] | None,
           n: int, extra_batch: tuple[int, ...]) -> _Problem:
    h = as_time_operator(H, "H", n, 0.0, args)
    if h.is_super:
        raise ParameterError("H", Text("superoperator"), "must be a Hamiltonian (..., n, n), not a Liouvillian")
    om_arr = convert_array("omega", omega, "float", allow_nan=True)
    if not np.all(np.isfinite(om_arr)) or np.any(om_arr <= 0):
        raise ParameterError("omega", om_arr.tolist() if om_arr.size < 8 else Shape(om_arr.shape),
                             "must be > 0 and finite (the drive period is 2 pi / omega)")
    pairs = _a_ops(a_ops, n)
    coef_shapes = [np.shape(f(0.0)) for _, f in h.terms]
    func_shape = np.shape(h.func(0.0))[:-2] if h.func is not None else ()
    shapes = [om_arr.shape, extra_batch, func_shape, *coef_shapes,
              *[m.shape[:-2] for m, _ in h.terms], *[A.shape[:-2] for A, _ in pairs]]
    if h.constant is not None:
        shapes.append(h.constant.shape[:-2])
    shapes += [s.batch_shape for _, s in pairs if hasattr(s, "batch_shape")]
    try:
        batch = np.broadcast_shapes(*shapes)
    except ValueError:
        raise ParameterError("H", Text(f"batch shapes {shapes}"), "the batch shapes of H, its coefficients, "
                             "omega, a_ops and rho0 must broadcast") from None
    B = int(np.prod(batch, dtype=int))
    om = np.broadcast_to(om_arr, batch).reshape(B)
    steps = int(opts["steps"])

    def flat(x: np.ndarray) -> np.ndarray:
        return np.broadcast_to(x, (*batch, n, n)).reshape(B, n, n)

    _check_periodic(h, batch, om, flat)
    fb = opts["floquet_basis"]
    if fb is not None:
        if fb.omega.shape != (B,) or not np.allclose(fb.omega, om) or fb.steps != steps:
            raise ParameterError("options['floquet_basis']", Text(f"basis of {fb.omega.size} points, {fb.steps} "
                                 "steps"), f"must belong to the same batch ({B} points), omega and steps")
        method = "given"
    else:
        h0 = flat(h.constant) if h.constant is not None else np.zeros((B, n, n), complex)
        diag_terms = all(_is_diagonal(m) for m, _ in h.terms) and h.func is None
        if diag_terms:
            drives = [(np.real(np.diagonal(flat(m), axis1=-2, axis2=-1)), _flat_coef(f, batch))
                      for m, f in h.terms]
            U = period_propagators_diagonal(h0, drives, om, steps)
            method = "split (diagonal drive), 4th order"
        else:
            U = _magnus(h, h0, batch, om, steps, flat)
            method = "commutator-free Magnus, 4th order"
        fb = floquet_basis(U, om, zone="gap")
    kmax = int(opts["kmax"])
    couplings = []
    rates = np.zeros((B, n, n))
    diag = {"sideband_tail": np.zeros(B), "grid_tail": np.zeros(B)}
    for k, (A, spec) in enumerate(pairs):
        K, X = fb.matrix_elements(flat(A))
        g = _response(spec, opts["w_th"], batch, f"a_ops[{k}][1]")
        _, G = sideband_response(K, fb.quasienergies, fb.omega, g, kmax)
        couplings.append((X, G))
        rates += 2 * np.pi * np.sum(G * np.abs(X[:, np.abs(K) <= kmax]) ** 2, axis=1)
        diag["sideband_tail"] = np.maximum(diag["sideband_tail"], sideband_tail(X, K, kmax))
        diag["grid_tail"] = np.maximum(diag["grid_tail"], sideband_tail(X, K, steps // 4))
    rates = rates * (1 - np.eye(n))
    diag["markov_ratio"] = rates.max(axis=(-1, -2)) / fb.omega
    stats = {"propagator": method, "steps": steps, "kmax": kmax, "points": B}
    return _Problem(tuple(batch), n, fb, K, couplings, rates, diag, stats)


def _check_periodic(h: Any, batch: tuple[int, ...], om: np.ndarray, flat: Callable[[np.ndarray], np.ndarray]) -> None:
    """Refuse an H(t) that is not 2 pi / omega periodic (e.g. omega in Hz for a drive in rad):
    each coefficient (and a callable H) compared at three times t and t + 2 pi / omega."""
    period = 2 * np.pi / om  # (B,)
    frac = np.array([0.137, 0.61, 0.893])
    ts = np.concatenate([frac[None, :] * period[:, None], (frac[None, :] + 1) * period[:, None]], axis=1)

    def refuse(what: str, gap: float, t: float) -> None:
        w = float(om[0]) if np.all(om == om[0]) else (om.tolist() if om.size < 8 else Shape(om.shape))
        raise ParameterError("omega", w, f"H(t) must be periodic with period 2 pi / omega: {what} changes by "
                             f"{gap:.3g} between t = {t:.4g} and t + 2 pi / omega (is omega the angular drive "
                             "frequency of H?)")

    for k, (_, f) in enumerate(h.terms):
        v = drive_values(_flat_coef(f, batch), ts)  # (B, 6)
        gap = np.abs(v[:, 3:] - v[:, :3])
        bad = gap > 1e-8 * (1.0 + np.abs(v[:, :3]))
        if np.any(bad):
            b, m = np.argwhere(bad)[0]
            refuse(f"the coefficient of term {k}", float(gap[b, m]), float(ts[b, m]))
    if h.func is not None and np.all(om == om[0]):
        for t in ts[0, :3]:
            a = flat(np.asarray(h.func(float(t)), dtype=complex))
            c = flat(np.asarray(h.func(float(t + period[0])), dtype=complex))
            gap = float(np.abs(c - a).max())
            if gap > 1e-8 * (1.0 + float(np.abs(a).max())):
                refuse("the callable H", gap, float(t))


def _magnus(h: Any, h0: np.ndarray, batch: tuple[int, ...], om: np.ndarray, steps: int,
            flat: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """Period propagators for a general H(t) (terms not diagonal, or a callable H)."""
    terms = [(flat(m), _flat_coef(f, batch)) for m, f in h.terms]
    B = om.size

    def hamiltonian(t: np.ndarray) -> np.ndarray:
        t = np.broadcast_to(np.asarray(t, dtype=float), (B,))
        out = h0.copy()
        for m, f in terms:
            out = out + drive_values(f, t[:, None])[:, 0, None, None] * m
        if h.func is not None:
            if not np.all(t == t[0]):
                raise ParameterError("omega", Text("different values per point"), "a callable H(t) needs one "
                                     "drive frequency for the whole batch (or use the list form)")
            out = out + flat(np.asarray(h.func(float(t[0])), dtype=complex))
        return out

    return period_propagators(hamiltonian, om, steps)


def _flat_coef(f: Callable, batch: tuple[int, ...]) -> Callable:
    """A coefficient of batch shape as a function of a scalar or flat (B,) time -> (B,)."""
    B = int(np.prod(batch, dtype=int))

    def g(t: Any) -> np.ndarray:
        t = t if np.ndim(t) == 0 else np.asarray(t).reshape(batch)
        v = np.asarray(f(t))
        if np.iscomplexobj(v):
            if np.any(v.imag != 0):
                raise ParameterError("H", Text("complex coefficient"), "coefficients of Hermitian terms "
                                     "must be real (write a complex drive as two Hermitian terms)")
            v = v.real
        return np.broadcast_to(v.astype(float), batch).reshape(B)

    def at_times(ts: np.ndarray) -> np.ndarray | None:
        """All times at once, f(t) with t of shape (M, 1, ...) (checked against scalar calls);
        None where f does not broadcast that way."""
        ts = np.asarray(ts, dtype=float)
        try:
            with np.errstate(all="ignore"):
                v = np.asarray(f(ts.reshape(ts.size, *([1] * len(batch)))))
            v = np.broadcast_to(v, (ts.size, *batch)).reshape(ts.size, B)
        except Exception:
            return None
        if np.iscomplexobj(v) or not all(np.allclose(v[i], g(float(ts[i])), rtol=1e-13, atol=0)
                                         for i in {0, ts.size // 2, ts.size - 1}):
            return None
        return v.astype(float)

    g.at_times = at_times  # type: ignore[attr-defined]
    return g


def _is_diagonal(m: np.ndarray) -> bool:
    off = m * (1 - np.eye(m.shape[-1]))
    return bool(np.all(off == 0)) and bool(np.all(np.abs(np.imag(np.diagonal(m, axis1=-2, axis2=-1))) == 0))


def _a_ops(a_ops: Any, n: int) -> list[tuple[np.ndarray, Any]]:
    if a_ops is None or (isinstance(a_ops, (list, tuple)) and len(a_ops) == 0):
        raise ParameterError("a_ops", a_ops, "give at least one (coupling operator, bath or spectrum) pair")
    if isinstance(a_ops, (list, tuple)) and len(a_ops) == 2 and (callable(a_ops[1]) or hasattr(a_ops[1], "K")) \
            and not isinstance(a_ops[0], (list, tuple)):
        a_ops = [a_ops]  # a single pair
    out = []
    for k, item in enumerate(a_ops):
        if not (isinstance(item, (list, tuple)) and len(item) == 2):
            raise ParameterError(f"a_ops[{k}]", type(item).__name__, "must be a pair (A, bath or spectrum)")
        A = as_operator(item[0], f"a_ops[{k}][0]", n)
        if not np.allclose(A, np.conj(np.swapaxes(A, -1, -2)), atol=1e-12):
            raise ParameterError(f"a_ops[{k}][0]", Text("non-Hermitian operator"), "must be Hermitian (A x B "
                                 "with B a bath observable)")
        spec = item[1]
        if not (callable(spec) or hasattr(spec, "K")):
            raise ParameterError(f"a_ops[{k}][1]", type(spec).__name__, "must be an openlz Bath or a callable "
                                 "spectrum S(w)")
        out.append((A, spec))
    return out


def _response(spec: Any, w_th: float | None, batch: tuple[int, ...], name: str) -> Callable:
    """g(E): bath response at energy E taken from the bath, on arrays (B, ...)."""
    if hasattr(spec, "K") and hasattr(spec, "broadcast_flat"):  # an openlz Bath: g(E) = K(-E)
        bath = spec.broadcast_flat(batch) if np.prod(batch, dtype=int) > 1 and spec.batch_shape else spec
        return lambda E: bath.K(-np.asarray(E, dtype=float))
    f = _array_callable(spec, name)
    if w_th is not None:  # QuTiP's floquet_tensor: J(w) for w > 0, Bose factors added here
        return thermal_response(lambda E: np.sign(E) * np.where(E != 0, f(np.abs(E)), 0.0), float(w_th))
    return lambda E: f(-np.asarray(E, dtype=float)) / (2 * np.pi)


def _array_callable(f: Callable, name: str) -> Callable:
    """f on arrays: used as is if it maps an array to an array of its shape, else vectorised."""
    probe = np.array([[-1.0, 0.5], [1.0, 2.0]])
    try:
        v = np.asarray(f(probe), dtype=float)
        ok = v.shape == probe.shape
    except Exception:
        ok = False
    if ok:
        return lambda E: np.asarray(f(E), dtype=float)
    vec = np.vectorize(lambda w: float(np.real(f(float(w)))), otypes=[float])
    try:
        vec(probe)
    except Exception as exc:
        raise ParameterError(name, getattr(f, "__name__", type(f).__name__),
                             f"a spectrum must be callable on frequencies ({exc})") from None
    return vec


def _dimension(H: Any, a_ops: Any, rho0: Any) -> int:
    if rho0 is not None:
        return as_state(rho0, "rho0").shape[-1]
    try:
        first = a_ops[0][0] if isinstance(a_ops[0], (list, tuple)) else a_ops[0]
        return as_operator(first, "a_ops[0][0]").shape[-1]
    except (TypeError, IndexError, KeyError):
        raise ParameterError("a_ops", type(a_ops).__name__, "must be a list of (A, bath or spectrum) pairs") from None


def _validity(d: dict[str, np.ndarray], batch: tuple[int, ...]) -> dict[str, Any]:
    """Validity report of the approximations and truncations; warns where a limit is exceeded."""
    text = {"sideband_tail": "sideband truncation (weight of |K| > kmax in the matrix elements); raise kmax",
            "grid_tail": "time grid (Fourier weight above |K| = steps/4); raise steps",
            "markov_ratio": "Markov and period averaging, Gamma_max << omega (paper 002, App. A)",
            "secular_error": "secular approximation (Eq. C3): secular vs full steady state (trace distance) "
                             "where the secular result was returned; use steady='auto'"}
    key = {"sideband_tail": "sidebands", "grid_tail": "grid", "markov_ratio": "markov", "secular_error": "secular"}
    out: dict[str, Any] = {}
    B = int(np.prod(batch, dtype=int))
    for k, lim in LIMITS.items():
        if k not in d:
            out[key[k]] = {"max": None, "limit": lim, "ok": True}
            continue
        v = np.asarray(d[k], dtype=float)
        bad = v > lim
        out[key[k]] = {"max": _nanmax(v), "limit": lim, "ok": not bool(np.any(bad)), "points_failed": int(bad.sum())}
        if np.any(bad):
            warnings.warn(f"Floquet–Markov: {text[k]} violated at {int(bad.sum())} of {B} points (largest "
                          f"{_nanmax(v):.3g} > {lim:g})", ValidityWarning, stacklevel=3)
    return out


def _nanmax(x: np.ndarray) -> float | None:
    x = np.asarray(x, dtype=float)
    return float(np.nanmax(x)) if np.any(np.isfinite(x)) else None


def _opts_dict(opts: FloquetOptions) -> dict[str, Any]:
    d = opts.as_dict()
    d["floquet_basis"] = None if d["floquet_basis"] is None else "given"
    d["t0"] = np.asarray(d["t0"]).tolist()
    return d

