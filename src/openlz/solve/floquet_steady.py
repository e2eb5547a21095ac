"""Steady states of the Floquet–Born–Markov equation, batched, secular or not per point.

Two period-averaged (Q = 0) descriptions of the long-time state exist (paper 002, App. A, C):

* the **secular** one (Eq. C3): populations p_a of the Floquet states obey the Pauli equation
  with the rates Gamma_ab (Eq. C4); the steady state is diagonal in the Floquet basis.  It is
  the Q = 0 generator with every coupling between density-matrix elements rho_ab, rho_cd of
  different Bohr frequencies w_ab = eps_a - eps_b != w_cd dropped.  That is justified when the
  rates are small against every Bohr-frequency difference; where quasienergies are (nearly)
  degenerate it is not, and it can be completely wrong (issue 11: at (eps0, A, xi, J) =
  (0.3, 3.8, 0.1, -2) of paper 002 it gives C_inf = 0 where the full generator and the
  long-time dynamics give 0.954), or ill defined (the Floquet states of an exactly degenerate
  pair are any basis of their plane).
* the **full** period-averaged generator, Eqs. (A4)–(A6) (``floquet_markov_generator``), which
  keeps those couplings.  It is basis independent inside degenerate groups.

``floquet_steady_state`` decides per point.  The old criterion, ``secular_ratio`` = Gamma_max /
min_{a != b} |eps_a - eps_b|, says little about the effect (it exceeds 0.5 on 3412 of the 40000
points of paper 002's Fig. 2b, where the result changes by < 1e-3 almost everywhere, and is
0.14 at points where it changes by 1e-3).  Instead the secular state is corrected to first
order in the couplings it drops (``_secular_correction``: the coherences the populations
drive, with their decay, and the population shift they cause through the full Pauli inverse);
the trace distance of that correction, period averaged, estimates the secular error
(measured on 4096 random points of the Fig. 2b domain: within a factor 1.2 of the true
difference on 97 %, and a factor 2 on 99 %, of the 605 points where that exceeds 1e-4; where
it is non-perturbative, e.g. at resonances, it underestimates, but then it exceeds the switch
anyway).  With ``method="auto"`` the full generator is used where the estimate exceeds
``switch`` (1e-4), and there the reported ``secular_error`` is the measured difference.

Degenerate kernels (no relaxation at all, kappa = 0 or a vanishing coupling; or states the
bath does not connect, e.g. Delta_1 = Delta_2 = 0 in paper 002) do not have a unique steady
state.  There the answer is the long-time limit from the given initial state, P0 rho0 with P0
the projector onto the kernel of the generator (``openlz.solve.steady.steady_state``), which
for purely imaginary eigenvalues (kappa = 0) is the infinite-time average; such points are
flagged (``unique`` False), never raised on.

Shapes: B points, n states.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .floquet import FloquetBasis
from .floquet_markov import floquet_markov_generator, pauli_generator
from .steady import steady_state

__all__ = ["FloquetSteadyState", "floquet_steady_state", "quasienergy_gaps", "pauli_kernel_dimension",
           "METHODS", "SECULAR_SWITCH"]

METHODS = ("auto", "secular", "full")
#: estimated trace distance between the secular and the full steady state above which
#: ``method="auto"`` uses the full generator
SECULAR_SWITCH = 1e-4
#: relative size (to the largest total decay rate) below which a singular value of the Pauli
#: matrix or of the generator counts as zero (no relaxation within 1e10 relaxation times)
KERNEL_RTOL = 1e-10


@dataclass
class FloquetSteadyState:
    """Period-averaged steady state and how it was obtained, per point.

    rho_floquet : (B, n, n) steady state in the Floquet basis (constant in the frame of the
        Floquet modes u_a(t); diagonal where the secular result was used).
    rho_average : (B, n, n) its period average in the lab basis, (1/T) int_0^T rho(t) dt.
    populations : (B, n) Floquet-state populations (diagonal of rho_floquet, real).
    full : (B,) bool, True where the full (non-secular) generator was used.
    unique : (B,) bool, False where the kernel is degenerate and the state is the long-time
        limit from the initial state (``rho0``).
    oscillating : (B,) bool, True where the generator has purely imaginary eigenvalues (no
        relaxation): the state is then the infinite-time average.
    secular_ratio : (B,) Gamma_max / min |eps_a - eps_b| (the criterion).
    secular_error : (B,) trace distance between the secular and the full period-averaged
        states: measured where the full state was computed (the estimate exceeded the switch,
        or ``method="full"``), else the first-order estimate (an upper bound in the Floquet
        frame where that is below the switch); NaN where the kernel is degenerate.
    """

    rho_floquet: np.ndarray
    rho_average: np.ndarray
    populations: np.ndarray
    full: np.ndarray
    unique: np.ndarray
    oscillating: np.ndarray
    secular_ratio: np.ndarray
    secular_error: np.ndarray


def quasienergy_gaps(quasienergies: np.ndarray, omega: np.ndarray) -> np.ndarray:
    """Smallest |eps_a - eps_b| over a != b, folded onto the circle of circumference omega; (B,)."""
    q = np.asarray(quasienergies, dtype=float)
    om = np.asarray(omega, dtype=float)[:, None, None]
    d = np.abs(q[:, :, None] - q[:, None, :]) % om
    d = np.minimum(d, om - d)
    n = q.shape[-1]
    d = np.where(np.eye(n, dtype=bool), np.inf, d)
    return d.min(axis=(-1, -2))


def pauli_kernel_dimension(rates: np.ndarray, rtol: float = KERNEL_RTOL) -> np.ndarray:
    """Dimension of the kernel of the Pauli rate matrix (singular values below rtol * max rate)."""
    W = pauli_generator(rates)
    scale = np.max(np.abs(W), axis=(-1, -2))
    s = np.linalg.svd(W, compute_uv=False)
    return np.maximum((s <= rtol * scale[:, None]).sum(axis=-1), 1)


def _trace_distance(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(1/2) ||a - b||_1 of Hermitian parts, (b,); NaN where an entry is not finite."""
    d = a - b
    ok = np.all(np.isfinite(d), axis=(-1, -2))
    d = np.where(ok[:, None, None], d, 0.0)
    td = 0.5 * np.abs(np.linalg.eigvalsh(0.5 * (d + np.conj(np.swapaxes(d, -1, -2))))).sum(axis=-1)
    return np.where(ok, td, np.nan)


def floquet_steady_state(fb: FloquetBasis, K: np.ndarray, couplings: Sequence[tuple[np.ndarray, np.ndarray]],
                         kmax: int | None = None, method: str = "auto", rho0: np.ndarray | None = None,
                         t0: np.ndarray | float = 0.0, switch: float = SECULAR_SWITCH) -> FloquetSteadyState:
    """Period-averaged Floquet–Markov steady state, secular or full per point.

    Parameters
    ----------
    fb : Floquet basis of B points with quasienergies in the widest-gap zone
        (``floquet_basis(..., zone="gap")``; checked).
    K : (N,) sideband indices in FFT order (``fb.matrix_elements``).
    couplings : one ``(X, G)`` per bath coupling A_i x B_i: X (B, N, n, n) the matrix elements
        of A_i (``fb.matrix_elements(A_i)[1]``), G (B, N', n, n) its bath response on the kept
        sidebands (``sideband_response(K, ..., kmax)[1]``).  Rates and generators add.
    kmax : sideband cutoff |K| <= kmax (the one G was evaluated with).
    method : ``"auto"`` (the full generator where the secular result is estimated to differ
        from it by more than ``switch`` in trace distance, or where the kernel is degenerate),
        ``"secular"`` (Eq. C3 everywhere) or ``"full"`` (Eqs. A4–A6 everywhere).
    rho0 : (B, n, n) or (n, n) lab-frame initial state at time ``t0`` ((B,) or scalar), used
        only where the steady state is not unique (default: the maximally mixed state).

    Returns
    -------
    FloquetSteadyState
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    q, om = fb.quasienergies, fb.omega
    B, n = q.shape
    _check_zone(q, om)
    sel = np.ones(K.shape, bool) if kmax is None else np.abs(K) <= kmax
    kept = [(X[:, sel], G) for X, G in couplings]
    rates = sum(2 * np.pi * np.sum(G * np.abs(Xs) ** 2, axis=1) for Xs, G in kept)
    # every term of the generator carries one factor W_K |X_K| (times an |X| <= max |X|): drop
    # the sidebands where that is below 1e-16 of its largest value at every point (at low T the
    # absorption sidebands, g ~ exp(-E/T)); the result is unchanged to rounding
    Kk = K[sel]
    for i, (Xs, G) in enumerate(kept):
        w = np.max(np.abs(G) * np.abs(Xs), axis=(-1, -2))  # (B, K')
        keepk = np.any(w > 1e-16 * w.max(axis=1, keepdims=True), axis=0)
        if i == 0:
            keep_any = keepk
        else:
            keep_any |= keepk
    kept = [(Xs[:, keep_any], G[:, keep_any]) for Xs, G in kept]
    Kk = Kk[keep_any]
    offd = rates * (1 - np.eye(n))
    gap = quasienergy_gaps(q, om)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(offd.max(axis=(-1, -2)) > 0, offd.max(axis=(-1, -2)) / gap, 0.0)
    kdim = pauli_kernel_dimension(rates)
    rate_scale = np.max(np.abs(pauli_generator(rates)), axis=(-1, -2))
    # absolute kernel threshold per point for the generators; a floor where nothing relaxes
    thr = np.where(rate_scale > 0, KERNEL_RTOL * rate_scale, 1e-13 * np.maximum(np.ptp(q, axis=1), 1e-300))

    def initial_floquet(idx: np.ndarray) -> np.ndarray:
        """rho0 in the Floquet frame, <u_a(t0)|rho0|u_b(t0)>: it selects the long-time state
        where the kernel is degenerate (default: maximally mixed; such points are flagged)."""
        r0 = np.eye(n, dtype=complex) / n if rho0 is None else np.asarray(rho0, dtype=complex)
        r0 = np.broadcast_to(r0, (B, n, n))[idx]
        tt = np.broadcast_to(np.asarray(t0, dtype=float), (B,))[idx]
        sub = FloquetBasis(q[idx], fb.modes[idx], om[idx])
        u0 = sub.modes_at(tt[:, None])[:, 0]
        return np.conj(np.swapaxes(u0, -1, -2)) @ r0 @ u0

    def generator(idx: np.ndarray, secular: bool = False) -> np.ndarray:
        return sum(floquet_markov_generator(Xs[idx], Kk, q[idx], om[idx], None, None, secular=secular,
                                            G=G[idx]) for Xs, G in kept)

    unique = kdim == 1
    osc = np.zeros(B, bool)
    one = np.nonzero(unique)[0]
    est = np.full(B, np.nan)
    rho_sec = np.zeros((B, n, n), dtype=complex)
    sec_avg = np.full((B, n, n), np.nan, dtype=complex)
    if one.size:
        p_one = _null_vector(pauli_generator(rates[one])).real
        rho_sec[one] = np.eye(n) * p_one[:, None, :]
        if one.size == B:  # diagonal in the Floquet frame: one weighted product per point
            sec_avg[:] = fb.period_average(p_one)
        else:
            sec_avg[one] = _avg_sub(fb, rho_sec[one], one)
    if one.size and method != "full":
        # secular error estimate: adiabatic elimination of the coherences with their diagonal
        # decay (the population <-> coherence couplings the secular approximation drops, to
        # all orders in them; coherence <-> coherence couplings neglected).  Its trace distance
        # to the secular state in the Floquet frame bounds that of the period averages (the
        # average is a convex combination of unitary rotations); where the bound exceeds the
        # switch, the period-averaged difference is the estimate (it tracks the measured one
        # within a factor 1.4 on paper 002's Fig. 2b domain; tests).
        delta = _secular_correction([(Xs[one], G[one]) for Xs, G in kept], q[one], rates[one],
                                    np.einsum("bii->bi", rho_sec[one]).real)
        est[one] = _trace_distance(delta, np.zeros_like(delta))
        big = one[est[one] > switch]
        if big.size:
            d = delta[np.isin(one, big)]
            est[big] = _trace_distance(_avg_sub(fb, d, big), np.zeros_like(d))
    if method == "secular":
        use_full = np.zeros(B, bool)
    elif method == "full":
        use_full = np.ones(B, bool)
    else:
        use_full = ~unique | ~(est <= switch)  # NaN estimates (failed solves) go to the full path

    rho_f = rho_sec.copy()
    avg = sec_avg.copy()
    err = est.copy()
    many = np.nonzero(~unique & ~use_full)[0]
    if many.size:  # secular requested where the kernel is degenerate: project rho0 with it
        ss = steady_state(generator(many, secular=True), initial_floquet(many), atol=thr[many])
        rho_f[many] = ss.rho
        avg[many] = _avg_sub(fb, ss.rho, many)
        osc[many] = ss.oscillating
    # where secular is asked for but estimated to be off, the full state is computed too, so
    # that secular_error is the measured difference (not the first-order estimate)
    full = np.nonzero(use_full | ((method == "secular") & unique & (est > switch)))[0]
    if full.size:
        L = generator(full)
        rf = np.full((full.size, n, n), np.nan, dtype=complex)
        ok = unique[full]
        if ok.any():  # 1-D kernel: one linear solve per point (checked by its residual)
            rf[ok] = _generator_null_vector(L[ok])
        slow = ~np.all(np.isfinite(rf), axis=(-1, -2))
        if slow.any():  # degenerate kernel (or a failed solve): projector onto it, from rho0
            ss = steady_state(L[slow], initial_floquet(full[slow]), atol=thr[full[slow]])
            rf[slow] = ss.rho
            chosen = use_full[full[slow]]
            osc[full[slow][chosen]] = ss.oscillating[chosen]
            unique[full[slow][chosen]] = ss.unique[chosen]
        full_avg = _avg_sub(fb, rf, full)
        both = unique[full] & np.all(np.isfinite(sec_avg[full]), axis=(-1, -2))
        err[full[both]] = _trace_distance(full_avg[both], sec_avg[full[both]])  # measured
        chosen = use_full[full]
        rho_f[full[chosen]] = rf[chosen]
        avg[full[chosen]] = full_avg[chosen]
    pops = np.einsum("bii->bi", rho_f).real
    return FloquetSteadyState(rho_f, avg, pops, use_full, unique, osc, ratio, err)


def _null_vector(W: np.ndarray) -> np.ndarray:
    """Normalised null vector (sum = 1) of rate matrices W (b, n, n) with a 1-D kernel, (b, n).

    Solves W p = 0 with the last row replaced by sum(p) = 1, each point scaled to unit norm so
    that the solve is well conditioned whatever the rate magnitudes; NaN where singular.
    """
    scale = np.max(np.abs(W), axis=(-1, -2), keepdims=True)
    Ws = W / np.where(scale > 0, scale, 1.0)
    Ws[..., -1, :] = 1.0
    rhs = np.zeros(W.shape[:-1], dtype=W.dtype)
    rhs[..., -1] = 1.0
    with np.errstate(invalid="ignore"):
        bad = ~(np.linalg.cond(np.where(np.isfinite(Ws), Ws, 0.0)) < 1e14) | ~np.all(np.isfinite(Ws), axis=(-1, -2))
    Ws[bad] = np.eye(W.shape[-1])
    p = np.linalg.solve(Ws, rhs[..., None])[..., 0]
    if not np.iscomplexobj(W):
        p = np.clip(p, 0.0, None)
        p = p / p.sum(axis=-1, keepdims=True)
    p[bad] = np.nan
    return p


def _generator_null_vector(L: np.ndarray) -> np.ndarray:
    """Steady state (b, n, n) of generators L (b, n^2, n^2) with a 1-D kernel, unit trace.

    The population row (0, 0) is redundant (the population rows of a trace-preserving L sum to
    zero) and is replaced by the trace functional; NaN where the solve fails or its residual
    exceeds 1e-8 ||L|| (then ``steady_state`` decides)."""
    b, m, _ = L.shape
    n = int(round(np.sqrt(m)))
    A = L.copy()
    A[:, 0, :] = np.eye(n).reshape(m)
    rhs = np.zeros((b, m), dtype=complex)
    rhs[:, 0] = 1.0
    try:
        x = np.linalg.solve(A, rhs[..., None])[..., 0]
    except np.linalg.LinAlgError:
        return np.full((b, n, n), np.nan, dtype=complex)
    res = np.linalg.norm((L @ x[..., None])[..., 0], axis=-1)
    bad = ~(res <= 1e-8 * np.abs(L).max(axis=(-1, -2)) * np.linalg.norm(x, axis=-1))
    rho = x.reshape(b, n, n)
    rho = 0.5 * (rho + np.conj(np.swapaxes(rho, -1, -2)))
    rho[bad] = np.nan
    return rho


def _secular_correction(kept: Sequence[tuple[np.ndarray, np.ndarray]], q: np.ndarray,
                        rates: np.ndarray, p: np.ndarray) -> np.ndarray:
    """First-order correction (b, n, n) to the secular steady state from the couplings it drops.

    The full generator acts on a Floquet-frame matrix as (module ``floquet_markov``)
        L(rho) = -i [eps, rho] + sum_K (V_K rho X_K^dag + X_K rho V_K^dag) - M rho - rho M^dag,
    V_K = X_K o W_K, W = pi G, M = sum_K X_K^dag V_K.  Starting from the secular state P = diag(p):
    the coherences it drives, C = -L(P)_ab / L_(ab),(ab) (a != b), and the population shift
    they cause, W dp = -diag L(C) with sum(dp) = 0 (W the Pauli matrix).  Exact to first
    order in the dropped couplings, with the coherence decay and the full Pauli inverse (slow
    relaxation modes amplify dp).  All as flat products over (sideband, state) per point.
    """
    b, n = q.shape
    R = np.zeros((b, n, n), dtype=complex)
    Dd = -1j * (q[:, :, None] - q[:, None, :])
    acts = []
    for Xs, G in kept:
        nk = Xs.shape[1]
        V = Xs * (np.pi * G)
        # [b, a, (K, c)] layouts: (X_K rho Y_K^dag)_ab = sum_(K,c,d) X[a,(K,c)] rho_cd Y[b,(K,d)]^*
        Xa = np.ascontiguousarray(Xs.transpose(0, 2, 1, 3)).reshape(b, n, nk * n)
        Va = np.ascontiguousarray(V.transpose(0, 2, 1, 3)).reshape(b, n, nk * n)
        M = np.conj(np.swapaxes(Xs.reshape(b, nk * n, n), -1, -2)) @ V.reshape(b, nk * n, n)
        acts.append((Xa, Va, M))
        R += ((Va * np.tile(p, (1, nk))[:, None, :]) @ np.conj(np.swapaxes(Xa, -1, -2))
              + (Xa * np.tile(p, (1, nk))[:, None, :]) @ np.conj(np.swapaxes(Va, -1, -2)))
        R -= M * p[:, None, :] + p[:, :, None] * np.conj(np.swapaxes(M, -1, -2))
        dx = np.einsum("zkaa->zka", Xs)
        dv = np.einsum("zkaa->zka", V)
        Dd += (np.einsum("zka,zkb->zab", dv, np.conj(dx)) + np.einsum("zka,zkb->zab", dx, np.conj(dv))
               - np.einsum("zaa->za", M)[:, :, None] - np.conj(np.einsum("zbb->zb", M))[:, None, :])
    off = ~np.eye(n, dtype=bool)
    with np.errstate(divide="ignore", invalid="ignore"):
        C = np.where(off, -R / np.where(off, Dd, 1.0), 0.0)
    # diag L(C): sum_(K,c,d) V[a,(K,c)] C_cd X[a,(K,d)]^* + (X, V swapped) - (M C + C M^dag)_aa
    src = np.zeros((b, n), dtype=complex)
    for Xa, Va, M in acts:
        nk = Xa.shape[-1] // n
        CK = (Va.reshape(b, n * nk, n) @ C).reshape(b, n, nk * n)  # [a, (K, d)] = sum_c V_K,ac C_cd
        XK = (Xa.reshape(b, n * nk, n) @ C).reshape(b, n, nk * n)
        src += np.sum(CK * np.conj(Xa) + XK * np.conj(Va), axis=-1)
        src -= np.einsum("zac,zca->za", M, C) + np.einsum("zac,zac->za", C, np.conj(M))
    W = pauli_generator(rates).astype(complex)
    W[:, -1, :] = 1.0
    rhs = -src
    rhs[:, -1] = 0.0
    with np.errstate(invalid="ignore"):
        ok = np.all(np.isfinite(rhs), axis=-1) & (np.linalg.cond(W.real) < 1e14)
    dp = np.full((b, n), np.nan, dtype=complex)
    if ok.any():
        dp[ok] = np.linalg.solve(W[ok], rhs[ok][..., None])[..., 0]
    delta = C + np.eye(n) * dp[:, None, :]
    return 0.5 * (delta + np.conj(np.swapaxes(delta, -1, -2)))


def _check_zone(q: np.ndarray, omega: np.ndarray) -> None:
    """The period-averaged generator needs the widest-gap zone (``floquet_basis(zone="gap")``)."""
    edge = q[:, 0] + omega - q[:, -1]
    widest = np.maximum(edge, np.diff(q, axis=1).max(axis=1, initial=0.0))
    bad = edge < widest - 1e-9 * omega
    if np.any(bad) or np.any(q[:, -1] - q[:, 0] >= omega):
        raise ValueError("floquet_steady_state: quasienergies must be folded into the widest-gap zone "
                         "(floquet_basis(..., zone='gap')); not so at batch indices "
                         f"{np.nonzero(bad)[0][:10].tolist()}")


def _avg_sub(fb: FloquetBasis, rho_f: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """Period average of Floquet-frame matrices rho_f (b, n, n) at the points ``idx``."""
    return fb.period_average_matrix(rho_f, idx)
