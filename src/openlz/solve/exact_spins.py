"""Exact dynamics of a driven spin flip-flop coupled to L free reservoir spins (paper 003, Eq. 1).

    H(t) = ε_t σ^z + Σ_n ε_n σ^z_n + Σ_n (ν_n σ^+ σ^-_n + H.c.),

with ε_t = ε̇ t or any increasing ramp (:mod:`openlz.analytic.ramps`), any level energies ε_n
and couplings ν_n.  Initial state ρ_S ⊗ ρ_B with ρ_S = [[p0, k0], [k0*, 1 - p0]] (Eq. 12) and a
product reservoir ρ_B = ⊗_n [[a_n, q_n], [q_n*, 1 - a_n]] (Eq. 15; q_n = 0 is the
grand-canonical reservoir after Eq. 15).  Observables: p(t) = ⟨↑|ρ_S(t)|↑⟩ and
k(t) = ⟨↑|ρ_S(t)|↓⟩ = ⟨σ^-⟩.

How it is made cheap (all exact up to the ODE tolerance and the stated truncation):

* **Magnetization sectors.**  The number N of up spins (system + reservoir) is conserved, so
  U(t) is block-diagonal.  ρ_B is written as Σ_j w_j |R_j⟩⟨R_j|
  (:mod:`openlz.solve.exact_spins_states`); every column |s⟩ ⊗ |R_j⟩ (s = ↑, ↓) is split into
  its sector components, each evolved in its sector of dimension binom(L+1, N), and
  p(t) = Σ_j w_j Σ_{s s'} ρ_{ss'} ⟨φ_{s'j}|P_↑|φ_{sj}⟩,
  k(t) = Σ_j w_j Σ_{s s'} ρ_{ss'} ⟨φ_{s'j}|σ^-|φ_{sj}⟩, φ_{sj}(t) = U(t)|s⟩|R_j⟩
  (P_↑ keeps the sector, σ^- lowers it by one: only those sector pairs are summed).  For a
  diagonal reservoir R_j = |C⟩ is one configuration in one sector and the sums reduce to
  p = Σ_C P(C) [p0 ‖P_↑ ψ_{↑C}‖² + (1-p0) ‖P_↑ ψ_{↓C}‖²], k = k0 Σ_C P(C) ⟨ψ_{↓C}|σ^-|ψ_{↑C}⟩.
  With coherence (q_n ≠ 0) R_j is a product of the eigenvectors of the ρ_n and spreads over
  all sectors; components with squared norm below tol² are dropped (``dropped_weight``).
* **Configuration sum.**  Configurations are enumerated most-probable first until the missing
  weight is below ``tol`` (``method="configurations"``).  If ``max_configs`` stops the
  enumeration first, the kept weights are renormalised, a :class:`TruncationWarning` gives
  the missing weight m, and ``info["error_bound"] = m`` bounds the bias: |Δp| <= m and
  |Δk| <= 2 m |k0| for q = 0 (both are weighted means of terms bounded by 1 and |k0|), |Δk| <= m
  otherwise (|k| <= 1/2 for any state).  At low temperature (the paper's β = 2, ε_n = n) a
  handful of configurations in sectors N ≤ 3 carry all weight.
* **Typicality** (``method="typicality"``) for hot reservoirs, where very many configurations
  matter: R = (⊗ sqrt(ρ_n)) Σ_x e^{iθ_x} |x⟩ with random phases (= Σ_C sqrt(P(C)) e^{iθ_C}|C⟩
  for q = 0); the same formulas are unbiased and their error falls as sqrt(Tr ρ_B²) per sample.
* **Interaction picture.**  The diagonal part D(t) = ε_t σ^z + Σ ε_n σ^z_n is integrated
  exactly (phases Θ(t) = z_0 ∫ε_t dt + Σ ε_n z_n t, ∫ε_t dt = ε̇ t²/2 for the linear ramp,
  Gauss–Legendre panels for a profile); the ODE only sees the coupling e^{iΘ} V e^{-iΘ}, so
  sector energy offsets (~ Σ ε_n) do not limit the step.  Integrated with
  :func:`openlz.solve.solve_ode` (batched DOP853, all columns of a sector in one call).

Not free fermions: Jordan–Wigner maps the star coupling σ^+ σ^-_n to d† (Π_{0<j<n}(1-2n_j)) c_n.
The strings carry a π flux through 6-cycles of the two-excitation sector
(|↑,{m}⟩ → |↓,{m,n}⟩ → |↑,{n}⟩ → |↓,{n,j}⟩ → |↑,{j}⟩ → |↓,{m,j}⟩ → back, sign sum 3), so
the spin model equals the resonant-level (free-fermion) model of paper 003's Ref. [24] only
in the sectors N ≤ 1.  :func:`free_fermion_dynamics` solves the latter as an
(L+1)×(L+1) single-particle problem for comparison; the tests measure the difference.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from ..analytic.ramps import LinearRamp, ProfileRamp, as_ramp
from ..errors import TruncationWarning
from .exact_spins_states import reservoir_configurations, reservoir_vectors, sector_basis
from .ode import ODEOptions, solve_ode

#: memory budget of the stored trajectories per chunk of output times (bytes)
CHUNK_BYTES = 256e6

__all__ = ["ExactSpinResult", "sector_basis", "reservoir_configurations", "exact_spin_dynamics",
           "free_fermion_dynamics", "dense_hamiltonian"]


@dataclass
class ExactSpinResult:
    """p (T,), k (T,) at ``times`` (T,), with bookkeeping.

    info : method, number of columns evolved, sectors and their dimensions, missing weight
        of the configuration sum (or number of typicality samples), ODE steps, seconds,
        peak traced memory (bytes).
    """

    times: np.ndarray
    p: np.ndarray
    k: np.ndarray
    info: dict = field(default_factory=dict)


def _sector_operators(eps_bath: np.ndarray, nu: np.ndarray, n_up: int):
    """Basis (sorted masks) of one sector, z0, dB and the coupling V (csr) in it."""
    L = eps_bath.size
    basis = sector_basis(L + 1, n_up)
    bits = (basis[:, None] >> np.arange(L + 1)) & 1
    z = 2.0 * bits - 1.0
    z0 = z[:, 0]
    dB = z[:, 1:] @ eps_bath
    rows, cols, vals = [], [], []
    up = np.nonzero(bits[:, 0] == 1)[0]
    for n in range(1, L + 1):
        src = up[bits[up, n] == 0]  # |↑ ... ↓_n ...⟩
        if src.size == 0 or nu[n - 1] == 0:
            continue
        dst = np.searchsorted(basis, basis[src] - 1 + (1 << n))  # |↓ ... ↑_n ...⟩
        # ⟨↓↑_n|H|↑↓_n⟩ = ν_n*, ⟨↑↓_n|H|↓↑_n⟩ = ν_n (paper 003, Eq. 7)
        rows += [dst, src]
        cols += [src, dst]
        vals += [np.full(src.size, np.conj(nu[n - 1])), np.full(src.size, nu[n - 1])]
    D = basis.size
    if rows:
        V = sp.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                          shape=(D, D), dtype=complex)
    else:
        V = sp.csr_matrix((D, D), dtype=complex)
    return basis, z0, dB, V


def dense_hamiltonian(eps_bath: np.ndarray, nu: np.ndarray, eps_t: float) -> np.ndarray:
    """Full 2^{L+1} Hamiltonian of Eq. (1) in the library's ``kron(system, spin 1, ..., spin L)``
    order (index 0 = all up); a dense reference for tests.  Shape (2^{L+1}, 2^{L+1})."""
    from ..core.operators import kron, sigma_minus, sigma_plus, sigma_z

    L = len(eps_bath)
    eye = np.eye(2)

    def site(op: np.ndarray, j: int) -> np.ndarray:
        return kron(*[op if i == j else eye for i in range(L + 1)])

    H = eps_t * site(sigma_z(), 0)
    for n in range(1, L + 1):
        H = H + eps_bath[n - 1] * site(sigma_z(), n)
        c = nu[n - 1] * site(sigma_plus(), 0) @ site(sigma_minus(), n)
        H = H + c + c.conj().T
    return H


def _system_state(p0: float, k0: complex) -> dict[tuple[int, int], complex]:
    """ρ_S as {(s, s'): ⟨s|ρ_S|s'⟩}, s = 1 for |↑⟩, 0 for |↓⟩ (Eq. 12); zero entries dropped."""
    rho = {(1, 1): complex(p0), (1, 0): complex(k0), (0, 1): complex(np.conj(k0)),
           (0, 0): complex(1 - p0)}
    return {key: v for key, v in rho.items() if v != 0}


def exact_spin_dynamics(eps_bath: np.ndarray, nu: np.ndarray | complex,
                        rate: float | LinearRamp | ProfileRamp, f: np.ndarray, p0: float,
                        k0: complex, times: np.ndarray, method: str = "auto", tol: float = 1e-10,
                        max_configs: int = 512, samples: int = 8, seed: int = 0,
                        options: ODEOptions | None = None, t0: float | None = None,
                        q: np.ndarray | complex | None = None) -> ExactSpinResult:
    """Exact p(t), k(t) of the driven spin + L reservoir spins (paper 003, Eq. 1).

    Parameters
    ----------
    eps_bath : (L,) reservoir energies ε_n (any order, any spacing).
    nu : (L,) or scalar couplings ν_n (complex allowed).
    rate : the sweep: a number ε̇ (ε_t = ε̇ t) or a ramp object of :mod:`openlz.analytic.ramps`
        (any increasing ε_t; a callable becomes a :class:`~openlz.analytic.ramps.ProfileRamp`).
    f : (L,) initial up-populations a_n of the reservoir spins (Eq. 15).
    p0, k0 : initial system population of |↑⟩ and coherence ⟨↑|ρ|↓⟩ at the initial time t0.
    times : (T,) increasing output times (t measured from ε_t = 0 for the linear ramp), all
        >= t0.
    q : (L,) or scalar reservoir coherences ⟨↑|ρ_n|↓⟩ at t0 (Eq. 15; default 0, the
        grand-canonical reservoir).  With q ≠ 0 the initial state is not block-diagonal in
        the magnetization; every pure component is split over the sectors and each part is
        evolved in its own sector.
    t0 : initial time of the product state (default ``times[0]``); the evolution starts there
        whatever the first output time is.
    method : ``"configurations"``, ``"typicality"`` or ``"auto"`` (configurations if the
        ``max_configs`` most probable ones leave less than ``tol`` weight, else typicality).
        ``"configurations"`` with more missing weight than ``tol`` warns
        (:class:`~openlz.errors.TruncationWarning`) and reports it in ``info``.
    options : ODE tolerances (default rtol 1e-9, atol 1e-11).

    Returns
    -------
    ExactSpinResult with p (T,), k (T,).  ``info`` reports the method, the missing weight and
    its bound on |Δp| (and on |Δk|: 2 m |k0| for q = 0, m otherwise), or the typicality error
    estimate; ``dropped_weight`` (coherent reservoirs: sector components with squared norm
    below tol², each bounding the error of p and k by 2 sqrt of it, summed), the sectors used,
    their dimensions and column counts, the ODE steps, the bytes of the stored trajectories
    (``array_bytes``) and the wall time.
    """
    t_start = time.perf_counter()
    eps_bath = np.asarray(eps_bath, dtype=float)
    L = eps_bath.size
    nu = np.broadcast_to(np.asarray(nu, dtype=complex), (L,)).copy()
    f = np.asarray(f, dtype=float)
    ramp = as_ramp(rate)
    times = np.asarray(times, dtype=float)
    if times.size == 0 or (times.size > 1 and np.any(np.diff(times) <= 0)):
        raise ValueError("times must be a non-empty, strictly increasing array")
    t_init = float(times[0]) if t0 is None else float(t0)
    if times[0] < t_init:
        raise ValueError(f"times must be >= the initial time t0 = {t_init:g}, got {times[0]:g}")
    out_times = times
    if times[0] > t_init:  # evolve from t0; the extra point is dropped from the result
        times = np.concatenate([[t_init], times])
    if method not in ("auto", "configurations", "typicality"):
        raise ValueError(f"method must be auto, configurations or typicality, got {method!r}")
    qv = None if q is None else np.broadcast_to(np.asarray(q, dtype=complex), (L,))
    if method == "auto":
        probe = reservoir_vectors(f, qv, "configurations", tol, max_configs, 1, seed)[2]
        method = "configurations" if probe["missing_weight"] <= tol else "typicality"
    vectors, w, info = reservoir_vectors(f, qv, method, tol, max_configs, samples, seed)
    coherent = info["coherent"]
    if method == "configurations" and info["missing_weight"] > tol:
        missing = info["missing_weight"]
        warnings.warn(
            f"exact spin dynamics: the configuration sum stopped at max_configs = "
            f"{max_configs} of 2^{L} = {2 ** L} reservoir configurations with missing "
            f"weight {missing:.3g} > tol = {tol:g}; the kept weights are renormalised, so "
            f"p is uncertain by up to {missing:.3g} (raise max_configs or use typicality)",
            TruncationWarning, stacklevel=2)
    rho_s = _system_state(p0, k0)
    systems = sorted({s for key in rho_s for s in key}, reverse=True)
    # columns |s⟩ ⊗ R_j split by sector N = popcount; tiny components of coherent vectors
    # (squared norm < tol²) are dropped and their weight reported
    sector_cols: dict[int, list[tuple[int, int, np.ndarray, np.ndarray]]] = {}
    dropped = 0.0
    for j, (masks, amps) in enumerate(vectors):
        for s in systems:
            full = masks | s
            pop = np.bitwise_count(full)
            for N in np.unique(pop):
                sel = pop == N
                norm2 = float(np.sum(np.abs(amps[sel]) ** 2))
                if coherent and norm2 < tol * tol:
                    dropped += w[j] * np.sqrt(norm2)
                    continue
                sector_cols.setdefault(int(N), []).append((j, s, full[sel], amps[sel]))
    info["dropped_weight"] = float(dropped)
    opts = options or ODEOptions(rtol=1e-9, atol=1e-11)
    T = times.size
    t_first = float(times[0])
    # the free phase ∫ε_t dt: closed form (linear) or a quintic Hermite table (profile)
    phase = ramp.phase_table(float(times[-1])) if isinstance(ramp, ProfileRamp) else ramp.phase
    phase0 = float(phase(np.array(t_first)))
    sectors = sorted(sector_cols)
    ops = {N: _sector_operators(eps_bath, nu, N) for N in sectors}
    state: dict[int, np.ndarray] = {}
    colmap: dict[int, dict[int, dict[int, int]]] = {}
    for N in sectors:
        basis = ops[N][0]
        Y0 = np.zeros((basis.size, len(sector_cols[N])), dtype=complex)
        colmap[N] = {1: {}, 0: {}}
        for ci, (j, s, ms, amp) in enumerate(sector_cols[N]):
            Y0[np.searchsorted(basis, ms), ci] += amp
            colmap[N][s][j] = ci
        state[N] = Y0
    # σ^- |↑, C⟩ = |↓, C⟩ maps sector N+1 (indices i_src) into sector N (indices i_dst)
    lower = {}
    for N in sectors:
        if N + 1 in ops:
            bu, bd = ops[N + 1][0], ops[N][0]
            i_src = np.nonzero((bu & 1) == 1)[0]
            lower[N] = (i_src, np.searchsorted(bd, bu[i_src] - 1))

    def pairs(cols_a: dict[int, dict[int, int]], cols_b: dict[int, dict[int, int]]):
        # (coefficient ρ_{ss'}, columns of s in a, columns of s' in b, weights) per (s, s')
        for (s, s2), c in rho_s.items():
            js = sorted(set(cols_a[s]) & set(cols_b[s2]))
            if js:
                yield (c, np.array([cols_a[s][j] for j in js]),
                       np.array([cols_b[s2][j] for j in js]), w[js])

    # output times in chunks so that the stored trajectories stay below CHUNK_BYTES
    width = sum(y.size for y in state.values())
    chunk = max(1, int(CHUNK_BYTES // (16 * width)))
    p_acc = np.zeros(T, dtype=complex)
    k_acc = np.zeros(T, dtype=complex)
    steps = 0
    # all sectors in one ODE: block-diagonal V_N ⊗ 1_{c_N} acting on the row-major stack of
    # the sector blocks (one integrator call instead of one per sector)
    shapes = [state[N].shape for N in sectors]
    offsets = np.cumsum([0] + [d * c for d, c in shapes])
    v_big = sp.block_diag([sp.kron(ops[N][3], sp.identity(c, format="csr"), format="csr")
                           for N, (_, c) in zip(sectors, shapes, strict=True)], format="csr")
    z0_big = np.concatenate([np.repeat(ops[N][1], c) for N, (_, c) in
                             zip(sectors, shapes, strict=True)])
    dB_big = np.concatenate([np.repeat(ops[N][2], c) for N, (_, c) in
                             zip(sectors, shapes, strict=True)])

    # the diagonal energies repeat over the columns: phases on the distinct (z0, dB) only
    zd, inv = np.unique(np.stack([z0_big, dB_big]), axis=1, return_inverse=True)
    inv = inv.reshape(-1)

    def theta(t: Any) -> np.ndarray:
        # Θ(t) - Θ(t0) on the distinct energies: exact phase of D(t) = ε_t z0 + dB, (..., U)
        t = np.asarray(t, dtype=float)
        return np.multiply.outer(phase(t) - phase0, zd[0]) + \
            np.multiply.outer(t - t_first, zd[1])

    def rhs(t: float, y: np.ndarray) -> np.ndarray:
        e = np.exp(1j * theta(t))[inv]
        return -1j * e * (v_big @ (np.conj(e) * y[0]))[None, :]

    y_state = np.concatenate([state[N].ravel() for N in sectors])[None, :]
    for c0 in range(0, T, chunk):
        idx = np.arange(c0, min(T, c0 + chunk))
        tt = times[idx] if c0 == 0 else np.concatenate([[times[c0 - 1]], times[idx]])
        ys_all, stats = solve_ode(rhs, y_state, tt, opts)
        steps += stats.n_accepted
        y_state = ys_all[-1]
        ys_all = ys_all[tt.size - idx.size:, 0]  # drop the restart point of later chunks
        ys_all = ys_all * np.exp(-1j * theta(times[idx]))[:, inv]  # Schrödinger picture
        psi: dict[int, np.ndarray] = {}
        for i_n, N in enumerate(sectors):
            basis = ops[N][0]
            D, c = shapes[i_n]
            ys = ys_all[:, offsets[i_n]:offsets[i_n + 1]].reshape(idx.size, D, c)
            psi[N] = ys
            up = ys[:, (basis & 1) == 1, :]
            for coef, ca, cb, wj in pairs(colmap[N], colmap[N]):
                # ⟨φ_{s'}|P_↑|φ_s⟩ within the sector
                p_acc[idx] += coef * (np.einsum("tic,tic->tc", np.conj(up[:, :, cb]),
                                                up[:, :, ca]) @ wj)
        for N, (i_src, i_dst) in lower.items():
            for coef, ca, cb, wj in pairs(colmap[N + 1], colmap[N]):
                # ⟨φ_{s'}^{(N)}|σ^-|φ_s^{(N+1)}⟩
                k_acc[idx] += coef * (np.einsum("tic,tic->tc",
                                                np.conj(psi[N][:, i_dst][:, :, cb]),
                                                psi[N + 1][:, i_src][:, :, ca]) @ wj)
    info.update(sectors={int(N): (int(ops[N][0].size), int(state[N].shape[1]))
                         for N in sectors},
                ode_steps=int(steps), array_bytes=int(16 * width * (min(chunk, T) + 14)),
                seconds=time.perf_counter() - t_start)
    skip = times.size - out_times.size
    return ExactSpinResult(out_times, p_acc.real[skip:], k_acc[skip:], info)


def free_fermion_dynamics(eps_bath: np.ndarray, nu: np.ndarray | complex, rate: float,
                          f: np.ndarray, p0: float, k0: complex, times: np.ndarray,
                          options: ODEOptions | None = None) -> ExactSpinResult:
    """Resonant-level (free-fermion) analogue: σ^z → 2c†c - 1, σ^+ → c† without strings.

    H = 2ε_t d†d + Σ 2ε_n c_n†c_n + Σ (ν_n d† c_n + H.c.) (paper 003, mapping after Eq. 17).
    Single-particle propagator u(t) (L+1)×(L+1): p(t) = Σ_j |u_0j|² n_j(0), k(t) = u_00 k0
    (⟨c_j⟩ = 0 for the diagonal reservoir).  Equal to the spin model in sectors N <= 1 only.
    """
    eps_bath = np.asarray(eps_bath, dtype=float)
    L = eps_bath.size
    nu = np.broadcast_to(np.asarray(nu, dtype=complex), (L,))
    times = np.asarray(times, dtype=float)
    h0 = np.zeros((L + 1, L + 1), dtype=complex)
    h0[0, 1:] = nu
    h0[1:, 0] = np.conj(nu)
    h0[np.arange(1, L + 1), np.arange(1, L + 1)] = 2 * eps_bath

    def rhs(t: float, y: np.ndarray) -> np.ndarray:
        # rows of y: u^T rows; d u/dt = -i h(t) u, stored as y = u^T -> dy/dt = -i y h^T
        h = h0.copy()
        h[0, 0] = 2 * rate * t
        return -1j * y @ h.T

    ys, _ = solve_ode(rhs, np.eye(L + 1, dtype=complex), times,
                      options or ODEOptions(rtol=1e-10, atol=1e-12))
    u = np.swapaxes(ys, -1, -2)  # (T, L+1, L+1)
    occ = np.concatenate([[p0], np.asarray(f, dtype=float)])
    p = np.einsum("tj,j->t", np.abs(u[:, 0, :]) ** 2, occ)
    # σ^z = 2c†c - 1 shifts energies by constants: phases of d relative to the spin model
    # are those of ε_t σ^z, i.e. ⟨σ^-⟩ = ⟨d⟩ exactly (the constants cancel in u).
    k = u[:, 0, 0] * k0
    return ExactSpinResult(times, p, k, {"method": "free-fermion"})
