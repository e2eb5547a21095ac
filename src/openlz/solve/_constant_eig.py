"""Eigendecomposition route of :func:`openlz.solve.lindblad.evolve_constant`.

For a diagonalisable generator L = V diag(lambda) V^-1,

    vec rho(t_k) = V diag(e^{lambda (t_k - t_0)}) V^-1 vec rho0     for every t_k at once,

one ``eig`` per (block of a) generator and one batched matrix product for all times,
instead of a chain of T matrix-vector products with exp(L dt).  Three savings:

* blocks: the generator is split into the connected components of its sparsity pattern
  (the union over the batch, exact zeros only): for a Lindbladian with a U(1) symmetry
  these are its coherence sectors, e.g. 16 -> 6 + 4 + 4 + 1 + 1 for two qubits with
  sigma_- / sigma_+ jumps, so each eigendecomposition and product is of a small block;
* uniform time grids: e^{lambda k h} = e^{lambda q m h} e^{lambda r h} (k = q m + r,
  m ~ sqrt(T)), 2 sqrt(T) complex exponentials per eigenvalue instead of T, at two
  roundings of relative error;
* V^-1 rho0 is folded into the columns of V, so the product per time is one (s, s) @ (s, T).

Points whose eigenvector matrix is ill-conditioned (cond_F(V)/s above ``cond_max``: at
or near an exceptional point) are handed to the ``expm`` stepping fallback.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..core.threads import parallel_chunks

__all__ = ["evolve_eig", "generator_blocks"]

_EPS = float(np.finfo(float).eps)


def _transpose_perm(n_vec: int) -> np.ndarray:
    """Index of vec(rho^T) in vec(rho): i n + j -> j n + i (row-major vec)."""
    n = int(round(np.sqrt(n_vec)))
    return np.arange(n_vec).reshape(n, n).T.reshape(-1)


def generator_blocks(gen: np.ndarray) -> list[tuple[np.ndarray, np.ndarray | None]]:
    """Decoupled blocks of (..., N, N) generators, grouped by size.

    Two indices share a block when they are connected through non-zero entries of any
    generator of the batch (L[i, j] != 0 or L[j, i] != 0).  Returns a list of pairs
    ``(idx, mirror)`` per block size: ``idx`` (n_blocks, size) the sorted indices of the
    blocks to solve, ``mirror`` the same shape or None.  When N is a square (a Liouvillian
    on row-major vec rho), a block whose transposed indices (rho_ij -> rho_ji) form another
    block is listed once, with those transposed indices as its ``mirror``: for a
    hermiticity-preserving L and a Hermitian rho0 the mirror block holds the complex
    conjugate (``evolve_eig`` checks both conditions before using it).
    """
    from scipy.sparse.csgraph import connected_components

    n = gen.shape[-1]
    pattern = np.any(gen.reshape(-1, n, n) != 0, axis=0)
    pattern = pattern | pattern.T
    n_comp, labels = connected_components(pattern, directed=False)
    comps = [np.nonzero(labels == k)[0] for k in range(n_comp)]
    perm = _transpose_perm(n) if int(round(np.sqrt(n))) ** 2 == n else None
    seen: set[int] = set()
    by_size: dict[int, list[tuple[np.ndarray, np.ndarray | None]]] = {}
    for k, c in enumerate(comps):
        if k in seen:
            continue
        mirror = None
        if perm is not None:
            mc = perm[c]
            km = int(labels[mc[0]])
            if km != k and np.array_equal(np.sort(mc), comps[km]):
                mirror = mc
                seen.add(km)
        by_size.setdefault(c.size, []).append((c, mirror))
    out = []
    for _, blocks in sorted(by_size.items()):
        with_m = [b for b in blocks if b[1] is not None]
        without = [b for b in blocks if b[1] is None]
        for group in (with_m, without):
            if group:
                idx = np.stack([b[0] for b in group])
                mir = np.stack([b[1] for b in group]) if group[0][1] is not None else None
                out.append((idx, mir))
    return out


def _grid(dt: np.ndarray) -> tuple[float, int, int] | None:
    """(h, m, q) if dt_k = k h to rounding (T > 16), else None; m = ceil(sqrt(T)), q m >= T."""
    T = dt.size
    if T <= 16:
        return None
    h = dt[-1] / (T - 1)
    if np.max(np.abs(dt - np.arange(T) * h)) > 8 * _EPS * max(abs(dt[-1]), 1e-300):
        return None
    m = int(np.ceil(np.sqrt(T)))
    return float(h), m, -(-T // m)


def _propagate(wc: np.ndarray, w: np.ndarray, dt: np.ndarray) -> np.ndarray:
    """sum_j wc[..., i, j] e^{w_j dt_k}: wc (..., s, s), w (..., s) -> (..., T', s), time
    first, with T' >= T (rows past T are to be ignored).

    On a uniform grid, k = q m + r and e^{w_j dt_k} = e^{w_j q m h} e^{w_j r h}: 2 sqrt(T)
    exponentials per eigenvalue and one multiplication per (k, j).
    """
    g = _grid(dt)
    if g is None:
        e = np.exp(dt[:, None] * w[..., None, :])                      # (..., T, s)
    else:
        h, m, q = g
        big = np.exp((h * m * np.arange(q))[:, None] * w[..., None, :])   # (..., q, s)
        small = np.exp((h * np.arange(m))[:, None] * w[..., None, :])     # (..., m, s)
        e = big[..., :, None, :] * small[..., None, :, :]                # (..., q, m, s)
        e = e.reshape(*e.shape[:-3], q * m, w.shape[-1])
    return e @ np.swapaxes(wc, -1, -2)


def _hermitian_ok(gen: np.ndarray, v: np.ndarray, idx: np.ndarray, mirror: np.ndarray) -> bool:
    """True if the mirror blocks are the conjugates (L preserves hermiticity on them and
    rho0 is Hermitian), to 1e-14 relative."""
    a = gen[..., idx[:, :, None], idx[:, None, :]]
    b = gen[..., mirror[:, :, None], mirror[:, None, :]]
    scale = max(float(np.max(np.abs(a), initial=0.0)), 1e-300)
    if np.max(np.abs(b - np.conj(a)), initial=0.0) > 1e-14 * scale:
        return False
    va, vb = v[..., idx], v[..., mirror]
    vs = max(float(np.max(np.abs(v), initial=0.0)), 1e-300)
    return bool(np.max(np.abs(vb - np.conj(va)), initial=0.0) <= 1e-14 * vs)


_CHUNK = 128  # batch points per pass (keeps the per-block temporaries in cache)


def evolve_eig(gen: np.ndarray, v: np.ndarray, times: np.ndarray, batch: tuple[int, ...],
               cond_max: float,
               fallback: Callable[[np.ndarray, np.ndarray, np.ndarray, tuple[int, ...]], np.ndarray]
               ) -> np.ndarray:
    """vec rho(t) for every time: gen (*G, N, N), v (*batch, N) -> (*batch, T, N).

    ``batch`` is the broadcast of G with the state batch; ``fallback(gen, v, times, batch)``
    (the expm stepping) handles the points whose eigenvector matrix is ill-conditioned.
    """
    N = gen.shape[-1]
    if not np.all(np.isfinite(gen)):
        return fallback(gen, np.array(v), times, batch)
    blocks = []
    for idx, mir in generator_blocks(gen):
        if mir is None or _hermitian_ok(gen, v, idx, mir):
            blocks.append((idx, mir))
        else:  # not conjugate: the mirror blocks are solved on their own
            blocks += [(idx, None), (mir, None)]
    dt = times - times[0]
    out = np.empty((*batch, times.size, N), dtype=complex)
    if gen.shape[:-2] == batch and len(batch) >= 1:
        gf = gen.reshape(-1, N, N)
        vf = v.reshape(-1, N)
        of = out.reshape(-1, times.size, N)
        bad = np.zeros(gf.shape[0], dtype=bool)

        def work(sl: slice) -> None:
            bad[sl] = _evolve_blocks(gf[sl], vf[sl], dt, blocks, of[sl], cond_max)

        parallel_chunks(work, gf.shape[0], _CHUNK)
        bad = bad.reshape(batch)
    else:
        bad = _evolve_blocks(gen, v, dt, blocks, out, cond_max)
    if np.any(bad):
        if np.all(bad):
            return fallback(gen, np.array(v), times, batch)
        bad_b = np.broadcast_to(bad, batch)
        g_b = np.broadcast_to(gen, (*batch, N, N))
        out[bad_b] = fallback(g_b[bad_b], np.array(v[bad_b]), times, (int(bad_b.sum()),))
    return out


def _evolve_blocks(gen: np.ndarray, v: np.ndarray, dt: np.ndarray, blocks: list,
                   out: np.ndarray, cond_max: float) -> np.ndarray:
    """Fill ``out`` (*batch, T, N) block by block; returns the ill-conditioned mask (*G)."""
    T = dt.size
    bad = np.zeros(gen.shape[:-2], dtype=bool)
    for idx, mirror in blocks:
        nb, s = idx.shape
        lb = gen[..., idx[:, :, None], idx[:, None, :]]       # (*G, nb, s, s)
        w, vr = np.linalg.eig(lb)
        try:
            vinv = np.linalg.inv(vr)
        except np.linalg.LinAlgError:                         # exactly singular V somewhere
            bad[...] = True
            vinv = np.zeros_like(vr)
        kappa = np.sqrt(np.sum(np.abs(vr) ** 2, axis=(-2, -1))
                        * np.sum(np.abs(vinv) ** 2, axis=(-2, -1))) / s
        bad |= np.any(~(kappa <= cond_max), axis=-1)
        c = (vinv @ v[..., idx][..., None])[..., 0]           # (*batch, nb, s)
        res = _propagate(vr * c[..., None, :], w, dt)[..., :T, :]   # (*batch, nb, T, s)
        if nb == 1:
            res = res[..., 0, :, :]
        else:
            res = np.moveaxis(res, -3, -2).reshape(*res.shape[:-3], T, nb * s)
        out[..., idx.reshape(-1)] = res
        if mirror is not None:
            out[..., mirror.reshape(-1)] = np.conj(res)
    return bad
