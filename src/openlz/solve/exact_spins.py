"""Exact dynamics of a driven spin flip-flop coupled to L free reservoir spins (paper 003, Eq. 1).

    H(t) = ε_t σ^z + Σ_n ε_n σ^z_n + Σ_n (ν_n σ^+ σ^-_n + H.c.),   ε_t = ε̇ t.

Initial state ρ_S ⊗ ρ_B with ρ_S = [[p0, k0], [k0*, 1 - p0]] and a product reservoir
ρ_B = ⊗_n diag(f_n, 1 - f_n) (grand canonical, paper 003 after Eq. 15).  Observables:
p(t) = ⟨↑|ρ_S(t)|↑⟩ and k(t) = ⟨↑|ρ_S(t)|↓⟩ = ⟨σ^-⟩.

How it is made cheap (all exact up to the ODE tolerance and the stated truncation):

* **Magnetization sectors.**  The number N of up spins (system + reservoir) is conserved.
  A state |s, C⟩ (system s, reservoir configuration C) lives in sector N = [s = ↑] + |C|,
  of dimension binom(L+1, N); only the sectors that carry weight are built.
* **Configuration sum.**  ρ_B is diagonal: ρ(t) = Σ_C P(C) U (ρ_S ⊗ |C⟩⟨C|) U†, so
  p(t) = Σ_C P(C) [p0 ‖P_↑ ψ_{↑C}‖² + (1-p0) ‖P_↑ ψ_{↓C}‖²] and
  k(t) = k0 Σ_C P(C) ⟨ψ_{↓C}| σ^- |ψ_{↑C}⟩ with ψ_{sC}(t) = U(t)|s, C⟩ (cross terms between
  different sectors vanish).  Configurations are enumerated most-probable first until the
  missing weight is below ``tol`` (``method="configurations"``).  If ``max_configs`` stops the
  enumeration first, the kept weights are renormalised, a :class:`TruncationWarning` gives
  the missing weight m, and ``info["error_bound"] = m`` bounds the bias: |Δp| <= m and
  |Δk| <= 2 m |k0| (both are weighted means of terms bounded by 1 and |k0|).  At low temperature (the
  paper's β = 2, ε_n = n) a handful of configurations in sectors N ≤ 3 carry all weight.
* **Typicality** (``method="typicality"``) for hot reservoirs, where very many configurations
  matter: φ = Σ_C sqrt(P(C)) e^{iθ_C} |C⟩ with random phases; the same two formulas with
  ψ_{s} = U|s⟩⊗|φ⟩ are unbiased and their error falls as sqrt(Σ_C P(C)²) per sample.
* **Interaction picture.**  The diagonal part D(t) = ε_t σ^z + Σ ε_n σ^z_n is integrated
  exactly (phases Θ(t) = z_0 ε̇ t²/2 + Σ ε_n z_n t); the ODE only sees the coupling
  e^{iΘ} V e^{-iΘ}, so sector energy offsets (~ Σ ε_n) do not limit the step.  Integrated
  with :func:`openlz.solve.solve_ode` (batched DOP853, all columns in one call).

Not free fermions: Jordan–Wigner maps the star coupling σ^+ σ^-_n to d† (Π_{0<j<n}(1-2n_j)) c_n.
The strings carry a π flux through 6-cycles of the two-excitation sector
(|↑,{m}⟩ → |↓,{m,n}⟩ → |↑,{n}⟩ → |↓,{n,j}⟩ → |↑,{j}⟩ → |↓,{m,j}⟩ → back, sign sum 3), so
the spin model equals the resonant-level (free-fermion) model of paper 003's Ref. [24] only
in the sectors N ≤ 1.  :func:`free_fermion_dynamics` solves the latter as an
(L+1)×(L+1) single-particle problem for comparison; the tests measure the difference.
"""

from __future__ import annotations

import heapq
import itertools
import math
import time
import warnings
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from ..errors import TruncationWarning
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


def sector_basis(n_sites: int, n_up: int) -> np.ndarray:
    """Sorted bit masks (int64) of ``n_sites`` spins with ``n_up`` up spins; bit 0 = system.

    Bit j = 1 means spin j is |↑⟩.  Shape (binom(n_sites, n_up),).
    """
    masks = [sum(1 << j for j in c) for c in itertools.combinations(range(n_sites), n_up)]
    return np.array(sorted(masks), dtype=np.int64)


def reservoir_configurations(f: np.ndarray, tol: float = 1e-10,
                             max_configs: int = 4096) -> tuple[np.ndarray, np.ndarray, float]:
    """Reservoir occupation configurations C in order of decreasing probability.

    P(C) = Π_n f_n^{c_n} (1-f_n)^{1-c_n}.  Best-first enumeration of flips away from the most
    probable configuration (k-smallest subset sums of the flip costs ln(max/min)).
    Stops when the collected weight reaches 1 - tol or after ``max_configs``.

    Returns (masks (M,) int64 with reservoir spin n at bit n (n = 1..L), weights (M,),
    missing weight).
    """
    f = np.asarray(f, dtype=float)
    L = f.size
    best_up = f > 0.5
    pmax = np.where(best_up, f, 1 - f)
    with np.errstate(divide="ignore"):
        cost = np.log(pmax) - np.log1p(-pmax)  # >= 0; inf when pmax == 1
    order = np.argsort(cost)
    cost_sorted = cost[order]
    log_p0 = float(np.sum(np.log(pmax)))
    base = sum(1 << (n + 1) for n in range(L) if best_up[n])
    masks, weights = [], []
    total = 0.0
    # heap of (cost, last index in sorted order, tuple of flipped sorted indices)
    heap: list[tuple[float, int, tuple[int, ...]]] = [(0.0, -1, ())]
    while heap and len(masks) < max_configs and total < 1 - tol:
        c, last, flips = heapq.heappop(heap)
        w = math.exp(log_p0 - c) if math.isfinite(c) else 0.0
        if w == 0.0:
            break
        m = base
        for i in flips:
            m ^= 1 << (int(order[i]) + 1)
        masks.append(m)
        weights.append(w)
        total += w
        nxt = last + 1
        if nxt < L:
            heapq.heappush(heap, (c + cost_sorted[nxt], nxt, flips + (nxt,)))
            if flips:
                heapq.heappush(heap, (c - cost_sorted[last] + cost_sorted[nxt], nxt,
                                      flips[:-1] + (nxt,)))
    return np.array(masks, dtype=np.int64), np.array(weights), max(0.0, 1.0 - total)


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


def exact_spin_dynamics(eps_bath: np.ndarray, nu: np.ndarray | complex, rate: float,
                        f: np.ndarray, p0: float, k0: complex, times: np.ndarray,
                        method: str = "auto", tol: float = 1e-10, max_configs: int = 512,
                        samples: int = 8, seed: int = 0,
                        options: ODEOptions | None = None,
                        t0: float | None = None) -> ExactSpinResult:
    """Exact p(t), k(t) of the driven spin + L reservoir spins (paper 003, Eq. 1).

    eps_bath : (L,) reservoir energies ε_n; nu : (L,) or scalar couplings ν_n; rate : ε̇;
    f : (L,) initial up-populations of the reservoir spins (product, diagonal state);
    p0, k0 : initial system population of |↑⟩ and coherence ⟨↑|ρ|↓⟩ at the initial time t0;
    times : (T,) increasing output times (ε_t = ε̇ t, t measured from ε_t = 0), all >= t0.
    t0 : initial time of the product state (default ``times[0]``); the evolution starts there
        whatever the first output time is.
    method : ``"configurations"``, ``"typicality"`` or ``"auto"`` (configurations if the
        ``max_configs`` most probable ones leave less than ``tol`` weight, else typicality).
        ``"configurations"`` with more missing weight than ``tol`` warns
        (:class:`~openlz.errors.TruncationWarning`) and reports it in ``info``.
    options : ODE tolerances (default rtol 1e-9, atol 1e-11).

    ``info`` reports the sectors used, their dimensions and column counts, the ODE steps,
    the bytes of the stored trajectories (``array_bytes``) and the wall time.
    """
    t_start = time.perf_counter()
    eps_bath = np.asarray(eps_bath, dtype=float)
    L = eps_bath.size
    nu = np.broadcast_to(np.asarray(nu, dtype=complex), (L,)).copy()
    f = np.asarray(f, dtype=float)
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
    masks, weights, missing = reservoir_configurations(f, tol, max_configs)
    if method == "auto":
        method = "configurations" if missing <= tol else "typicality"
    # init: (reservoir sector n_r, reservoir masks, amplitudes) per configuration or per
    # typicality sector; each becomes a column |↑⟩⊗φ in sector n_r+1 and |↓⟩⊗φ in n_r.
    if method == "configurations":
        w = weights / weights.sum()
        M = masks.size
        info: dict = {"method": method, "configurations": int(M),
                      "missing_weight": float(missing), "error_bound": float(missing)}
        if missing > tol:
            warnings.warn(
                f"exact spin dynamics: the configuration sum stopped at max_configs = "
                f"{max_configs} of 2^{L} = {2 ** L} reservoir configurations with missing "
                f"weight {missing:.3g} > tol = {tol:g}; the kept weights are renormalised, so "
                f"p is uncertain by up to {missing:.3g} (raise max_configs or use typicality)",
                TruncationWarning, stacklevel=2)
        init = [(int(bin(int(m)).count("1")), [int(m)], np.ones(1)) for m in masks]
    else:
        M = samples
        w = np.full(M, 1.0 / M)
        init = []
        info = {"method": method, "samples": int(M)}
        sumsq = 0.0
        for n in range(L + 1):
            res_masks = sector_basis(L + 1, n)
            res_masks = res_masks[(res_masks & 1) == 0]  # system bit clear: reservoir only
            bits = (res_masks[:, None] >> np.arange(1, L + 1)) & 1
            logp = bits @ np.log(np.clip(f, 1e-300, 1)) + \
                (1 - bits) @ np.log(np.clip(1 - f, 1e-300, 1))
            sumsq += float(np.sum(np.exp(2 * logp)))
            init.append((n, [int(x) for x in res_masks], np.exp(0.5 * logp)))
        info["typicality_error_estimate"] = float(np.sqrt(sumsq / M))
        info["error_bound"] = float("nan")  # statistical: see typicality_error_estimate
    # Build per-sector column lists. Column c = (sector, sample or config j, s).
    sector_cols: dict[int, list[tuple[int, int, np.ndarray, np.ndarray]]] = {}
    if method == "configurations":
        for j, (nr, ms, amp) in enumerate(init):
            for s in (1, 0):
                sector_cols.setdefault(nr + s, []).append((j, s, np.array(ms) + s, amp))
    else:
        rng = np.random.default_rng(seed)
        phases = [np.exp(2j * np.pi * rng.random((M, len(ms)))) for (_, ms, _) in init]
        for (nr, ms, amp), ph in zip(init, phases, strict=True):
            for j in range(M):
                for s in (1, 0):
                    sector_cols.setdefault(nr + s, []).append((j, s, np.array(ms) + s,
                                                               amp * ph[j]))
    t0 = float(times[0])
    opts = options or ODEOptions(rtol=1e-9, atol=1e-11)
    T = times.size
    sectors = sorted(sector_cols)
    ops = {N: _sector_operators(eps_bath, nu, N) for N in sectors}
    state: dict[int, np.ndarray] = {}
    for N in sectors:
        basis = ops[N][0]
        Y0 = np.zeros((basis.size, len(sector_cols[N])), dtype=complex)
        for ci, (_, _, ms, amp) in enumerate(sector_cols[N]):
            Y0[np.searchsorted(basis, ms), ci] += amp
        state[N] = Y0
    # σ^- |↑, C⟩ = |↓, C⟩ maps sector N+1 (indices i_src) into sector N (indices i_dst)
    lower = {}
    for N in sectors:
        if N + 1 in ops:
            bu, bd = ops[N + 1][0], ops[N][0]
            i_src = np.nonzero((bu & 1) == 1)[0]
            lower[N] = (i_src, np.searchsorted(bd, bu[i_src] - 1))
    # output times in chunks so that the stored trajectories stay below CHUNK_BYTES
    width = sum(y.size for y in state.values())
    chunk = max(1, int(CHUNK_BYTES // (16 * width)))
    p_acc = np.zeros(T)
    k_acc = np.zeros(T, dtype=complex)
    steps = 0
    for c0 in range(0, T, chunk):
        idx = np.arange(c0, min(T, c0 + chunk))
        tt = times[idx] if c0 == 0 else np.concatenate([[times[c0 - 1]], times[idx]])
        psi: dict[int, np.ndarray] = {}
        for N in sectors:
            basis, z0, dB, V = ops[N]
            D, c = state[N].shape

            def theta(t: float, z0=z0, dB=dB) -> np.ndarray:
                # Θ(t) - Θ(t0): exact phase of the diagonal part D(t) = ε̇ t z0 + dB
                return 0.5 * rate * (t * t - t0 * t0) * z0 + (t - t0) * dB

            def rhs(t: float, y: np.ndarray, V=V, theta=theta, D=D, c=c) -> np.ndarray:
                e = np.exp(1j * theta(t))[:, None]
                return (-1j * e * (V @ (np.conj(e) * y.reshape(D, c)))).reshape(1, D * c)

            ys, stats = solve_ode(rhs, state[N].reshape(1, D * c), tt, opts)
            steps = max(steps, stats.n_accepted)
            ys = ys.reshape(tt.size, D, c)
            state[N] = ys[-1]
            ys = ys[tt.size - idx.size:]  # drop the restart point of later chunks
            # back to the Schrödinger picture
            ys = ys * np.exp(-1j * np.stack([theta(t) for t in times[idx]]))[:, :, None]
            pu = np.sum(np.abs(ys[:, (basis & 1) == 1, :]) ** 2, axis=1)  # (chunk, c)
            for ci, (j, s_up, _, _) in enumerate(sector_cols[N]):
                p_acc[idx] += w[j] * (p0 if s_up else 1 - p0) * pu[:, ci]
            psi[N] = ys
        for N, (i_src, i_dst) in lower.items():
            ups = {j: ci for ci, (j, s_up, _, _) in enumerate(sector_cols[N + 1]) if s_up}
            for cd, (j, s_up, _, _) in enumerate(sector_cols[N]):
                if s_up or j not in ups:
                    continue
                k_acc[idx] += w[j] * np.sum(np.conj(psi[N][:, i_dst, cd])
                                            * psi[N + 1][:, i_src, ups[j]], axis=1)
    info.update(sectors={int(N): (int(ops[N][0].size), int(state[N].shape[1]))
                         for N in sectors},
                ode_steps=int(steps), array_bytes=int(16 * width * (min(chunk, T) + 14)),
                seconds=time.perf_counter() - t_start)
    skip = times.size - out_times.size
    return ExactSpinResult(out_times, p_acc[skip:], k0 * k_acc[skip:], info)


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
