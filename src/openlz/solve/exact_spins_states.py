"""Initial reservoir states of the exact spin solver (paper 003, Eqs. 1 and 15).

The reservoir starts in a product ρ_B = ⊗_n ρ_n with ρ_n = [[a_n, q_n], [q_n*, 1 - a_n]]
(Eq. 15 at t = 0; q_n = 0 is the grand-canonical case after Eq. 15).  The exact solver
(:mod:`openlz.solve.exact_spins`) needs ρ_B as a weighted set of pure reservoir vectors,
ρ_B = Σ_j w_j |R_j⟩⟨R_j| (exactly, or on average over random samples).  Each vector is stored
sparse: bit masks (int64, reservoir spin n at bit n, n = 1..L, bit = 1 for |↑⟩) and complex
amplitudes.

* **Configurations, diagonal reservoir** (all q_n = 0): R_C = |C⟩, w_C = Π f^c (1 - f)^{1-c},
  most probable first (:func:`reservoir_configurations`); each vector lives in one
  magnetization sector.
* **Configurations, coherent reservoir**: each ρ_n = λ_n+ |v_n+⟩⟨v_n+| + λ_n- |v_n-⟩⟨v_n-|
  (eigendecomposition); R_C = ⊗_n v_{n,c_n}, w_C = Π λ_{n,c_n}, enumerated with the same
  best-first search on λ_n+.  A product of eigenvectors spreads over all sectors.
* **Typicality**: R = (⊗_n sqrt(ρ_n)) Σ_x e^{iθ_x}|x⟩ with independent uniform phases, so
  E[|R⟩⟨R|] = ρ_B; the spread of an expectation value over one sample is
  sqrt(Tr ρ_B²) = sqrt(Π_n (a_n² + (1-a_n)² + 2|q_n|²)) (the diagonal case gives the
  familiar sqrt(Σ_C P(C)²)).
"""

from __future__ import annotations

import heapq
import itertools
import math

import numpy as np

__all__ = ["sector_basis", "reservoir_configurations", "reservoir_vectors", "spin_density"]


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


def spin_density(a: np.ndarray, q: np.ndarray | None) -> np.ndarray:
    """ρ_n = [[a_n, q_n], [q_n*, 1 - a_n]] (paper 003, Eq. 15), shape (L, 2, 2); index 0 = ↑."""
    a = np.asarray(a, dtype=float)
    q = np.zeros(a.shape, dtype=complex) if q is None else \
        np.broadcast_to(np.asarray(q, dtype=complex), a.shape)
    return np.stack([np.stack([a + 0j, q], -1), np.stack([np.conj(q), 1 - a + 0j], -1)], -2)


def _product(vectors: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Sparse ⊗_n v_n (v_n = (⟨↑|v⟩, ⟨↓|v⟩), spin n at bit n): (masks, amplitudes)."""
    masks = np.zeros(1, dtype=np.int64)
    amps = np.ones(1, dtype=complex)
    for n, v in enumerate(vectors, start=1):
        parts_m, parts_a = [], []
        if v[0] != 0:
            parts_m.append(masks | (1 << n))
            parts_a.append(amps * v[0])
        if v[1] != 0:
            parts_m.append(masks)
            parts_a.append(amps * v[1])
        masks, amps = np.concatenate(parts_m), np.concatenate(parts_a)
    return masks, amps


def _local_sqrt_bit_basis(rho: np.ndarray) -> np.ndarray:
    """sqrt(ρ_n) (L, 2, 2) rewritten in the bit basis (index 0 = bit 0 = ↓, 1 = ↑)."""
    lam, vec = np.linalg.eigh(rho)
    s = np.einsum("lij,lj,lkj->lik", vec, np.sqrt(np.clip(lam, 0, None)), np.conj(vec))
    return s[:, ::-1, ::-1]


def reservoir_vectors(a: np.ndarray, q: np.ndarray | None, method: str, tol: float,
                      max_configs: int, samples: int, seed: int
                      ) -> tuple[list[tuple[np.ndarray, np.ndarray]], np.ndarray, dict]:
    """ρ_B = Σ_j w_j |R_j⟩⟨R_j| (module docstring) for ``method`` = configurations or
    typicality.  Returns (vectors [(masks, amps)], weights (M,) summing to 1, info) with
    info: ``missing_weight`` and ``error_bound`` (configurations) or
    ``typicality_error_estimate`` = sqrt(Tr ρ_B² / samples), and ``coherent``."""
    a = np.asarray(a, dtype=float)
    L = a.size
    coherent = q is not None and bool(np.any(np.asarray(q) != 0))
    rho = spin_density(a, q if coherent else None)
    info: dict = {"method": method, "coherent": coherent}
    if method == "configurations":
        if not coherent:
            masks, weights, missing = reservoir_configurations(a, tol, max_configs)
            vectors = [(np.array([m], dtype=np.int64), np.ones(1, dtype=complex))
                       for m in masks]
        else:
            lam, vec = np.linalg.eigh(rho)  # ascending: column 1 = v+, column 0 = v-
            masks, weights, missing = reservoir_configurations(lam[:, 1], tol, max_configs)
            vectors = [_product([vec[n - 1][:, 1 if (int(m) >> n) & 1 else 0]
                                 for n in range(1, L + 1)]) for m in masks]
        info.update(configurations=int(len(vectors)), missing_weight=float(missing),
                    error_bound=float(missing))
        return vectors, weights / weights.sum(), info
    rng = np.random.default_rng(seed)
    sq = _local_sqrt_bit_basis(rho)
    masks = np.arange(2**L, dtype=np.int64) << 1
    vectors = []
    for _ in range(samples):
        r = np.exp(2j * np.pi * rng.random(2**L)).reshape((2,) * L) if L else np.ones(())
        for n in range(1, L + 1):  # axis L - n of the C-order reshape holds bit n - 1
            r = np.moveaxis(np.tensordot(sq[n - 1], r, axes=([1], [L - n])), 0, L - n)
        vectors.append((masks, r.reshape(-1).astype(complex)))
    purity = float(np.prod(np.real(np.einsum("lij,lji->l", rho, rho))))
    info.update(samples=int(samples), typicality_error_estimate=float(np.sqrt(purity / samples)),
                error_bound=float("nan"))
    return vectors, np.full(samples, 1.0 / samples), info
