"""Entanglement and state measures, batched over leading axes ``(..., 4, 4)``.

Every function accepts numpy arrays of shape ``(..., n, n)`` (density matrices),
a QuTiP ``Qobj`` (density matrix or ket), or a list of ``Qobj``.  Kets given as
``Qobj`` are turned into projectors.  Results have the batch shape ``(...)``.  Wrong shapes
raise :class:`openlz.ParameterError`; in ``concurrence``, ``negativity`` and
``log_negativity`` an entry (state) holding NaN or inf gives NaN for that entry only.

Definitions
-----------
* concurrence (Wootters, PRL 80, 2245 (1998)):
  C = max(0, l1 - l2 - l3 - l4), l_i the decreasing square roots of the eigenvalues
  of rho (sy x sy) rho* (sy x sy).
* negativity: N = (||rho^{T_k}||_1 - 1) / 2 = sum of |negative eigenvalues| of the
  partial transpose (the QuTiP / Vidal–Werner normalisation; 1/2 for a Bell state).
* logarithmic negativity: E_N = log2 ||rho^{T_k}||_1.
* entanglement of formation: E_F = h((1 + sqrt(1 - C²)) / 2), h the binary entropy (bits).
* fidelity: F(rho, sigma) = (tr sqrt(sqrt(rho) sigma sqrt(rho)))² (Jozsa's squared form;
  QuTiP's ``fidelity`` returns its square root).
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from ..errors import ParameterError
from .operators import SY
from .threads import single_threaded

__all__ = ["as_density_matrix", "partial_transpose", "concurrence", "negativity",
           "log_negativity", "entanglement_of_formation", "purity", "fidelity",
           "partial_trace"]

_SYSY = np.kron(SY, SY)


class _Shape:
    """Stand-in for an array in error messages."""

    def __init__(self, shape: tuple[int, ...]):
        self.shape = tuple(shape)

    def __repr__(self) -> str:
        return f"array of shape {self.shape}"


def as_density_matrix(rho: Any) -> np.ndarray:
    """Convert arrays, QuTiP ``Qobj`` (ket or operator) or lists of them to (..., n, n)."""
    if isinstance(rho, (list, tuple)) and rho and hasattr(rho[0], "full"):
        return np.stack([as_density_matrix(r) for r in rho])
    if hasattr(rho, "full") and hasattr(rho, "isket"):
        arr = np.asarray(rho.full())
        if rho.isket:
            arr = arr[:, 0]
            return np.outer(arr, arr.conj())
        if getattr(rho, "isbra", False):
            arr = arr[0].conj()
            return np.outer(arr, arr.conj())
        return arr
    arr = np.asarray(rho)
    if arr.dtype.kind not in "biufc":
        raise ParameterError("rho", type(rho).__name__, "must be density matrices (..., n, n) "
                             "(numeric arrays or qutip.Qobj)")
    if arr.ndim < 2 or arr.shape[-1] != arr.shape[-2]:
        raise ParameterError("rho", _Shape(arr.shape),
                             "must be density matrices of shape (..., n, n)")
    return arr


def _finite_entries(flat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(flat with non-finite matrices replaced by zeros, mask of those matrices): measures of
    states holding NaN or inf are NaN (per entry), never a LinAlgError for the whole batch."""
    bad = ~np.isfinite(flat).all(axis=(-2, -1))
    if bad.any():
        flat = flat.copy()
        flat[bad] = 0
    return flat, bad


def _two_qubits(rho: Any) -> np.ndarray:
    arr = as_density_matrix(rho)
    if arr.shape[-2:] != (4, 4):
        raise ParameterError("rho", _Shape(arr.shape),
                             "must be two-qubit states of shape (..., 4, 4)")
    return arr


def partial_transpose(rho: Any, subsystem: int = 1, dims: tuple[int, int] = (2, 2)) -> np.ndarray:
    """Partial transpose on ``subsystem`` (0 = first factor, 1 = second) of a bipartite state.

    Shape (..., d0*d1, d0*d1) -> same shape.
    """
    arr = as_density_matrix(rho)
    d0, d1 = dims
    if arr.shape[-1] != d0 * d1:
        raise ParameterError("rho", _Shape(arr.shape),
                             f"its dimension must be d0*d1 of dims = {tuple(dims)}")
    if subsystem not in (0, 1):
        raise ParameterError("subsystem", subsystem, "must be 0 or 1")
    r = arr.reshape(*arr.shape[:-2], d0, d1, d0, d1)
    if subsystem == 1:
        r = np.swapaxes(r, -3, -1)
    else:
        r = np.swapaxes(r, -4, -2)
    return r.reshape(arr.shape)


def partial_trace(rho: Any, keep: int, dims: tuple[int, int] = (2, 2)) -> np.ndarray:
    """Reduced state of subsystem ``keep`` (0 or 1), (..., d0*d1, d0*d1) -> (..., d_keep, d_keep)."""
    arr = as_density_matrix(rho)
    d0, d1 = dims
    if keep not in (0, 1):
        raise ParameterError("keep", keep, "must be 0 or 1")
    if arr.shape[-1] != d0 * d1:
        raise ParameterError("rho", _Shape(arr.shape),
                             f"its dimension must be d0*d1 of dims = {tuple(dims)}")
    r = arr.reshape(*arr.shape[:-2], d0, d1, d0, d1)
    if keep == 0:
        return np.einsum("...ajbj->...ab", r)
    return np.einsum("...jajb->...ab", r)


def _psd_factor(a: np.ndarray) -> np.ndarray:
    """A factor G with a = G G^dag of PSD matrices (..., n, n), by diagonally pivoted Cholesky.

    Each step takes the largest remaining diagonal of the Schur complement as pivot
    (per batch element, no row swaps: G is a column-permuted triangle), which makes
    the factorisation stable for semidefinite and rank-deficient matrices (Higham,
    "Accuracy and Stability of Numerical Algorithms", 2nd ed., Sec. 10.3): once every
    remaining pivot is below ``1e-15 tr a`` the rest is dropped.  Four vectorised
    rank-one updates for n = 4 -- cheaper than ``eigh`` and exact for pure states.
    """
    a = np.array(a, dtype=complex, copy=True)
    shape, n = a.shape, a.shape[-1]
    a = a.reshape(-1, n, n)
    bi = np.arange(a.shape[0])
    diag = np.arange(n)
    g = np.empty_like(a)
    tmp = np.empty_like(a)
    tol = 1e-15 * np.abs(a[:, diag, diag].real.sum(axis=1))
    for k in range(n):
        d = a[:, diag, diag].real
        p = np.argmax(d, axis=1)
        piv = d[bi, p]
        ok = piv > tol
        col = a[bi, :, p]
        col *= np.where(ok, 1.0 / np.sqrt(np.where(ok, piv, 1.0)), 0.0)[:, None]
        g[:, :, k] = col
        if k < n - 1:
            np.multiply(col[:, :, None], np.conj(col)[:, None, :], out=tmp)
            a -= tmp
    return g.reshape(shape)


# sigma_y x sigma_y is anti-diagonal: (Y v)_i = _YSIGN[i] v[3 - i]
_YFLIP = np.array([3, 2, 1, 0])
_YSIGN = np.array([-1.0, 1.0, 1.0, -1.0])
_BLOCK = 4096  # states per block in concurrence (cache-sized)


@single_threaded
def concurrence(rho: Any) -> np.ndarray:
    """Wootters concurrence of two-qubit states, (..., 4, 4) -> (...).

    C = max(0, l1 - l2 - l3 - l4) with l_i the decreasing square roots of the eigenvalues
    of rho rho~, rho~ = (sy x sy) rho* (sy x sy) (Wootters, PRL 80, 2245 (1998), Eq. (3)).

    Numerics, per block of states (no per-state LAPACK call on the fast routes):

    * X states (exact zeros off the diagonal and anti-diagonal) by their closed form
      (:func:`openlz.core._concurrence_poly.concurrence_x`);
    * the others from the characteristic polynomial of rho rho~ (traces of its powers,
      det = |det rho|^2) with its four roots by Laguerre's method
      (:func:`openlz.core._concurrence_poly.concurrence_poly`), accepted where a first-order
      error estimate is below 1e-12 (tests/test_concurrence_fast.py: actual errors < 1e-13);
    * the rest -- rank-deficient and near-pure states, near-degenerate roots -- exactly:
      with any factor rho = G G^dag, rho rho~ has the non-zero spectrum of the Hermitian
      PSD tau tau^dag, tau = G^dag (sy x sy) G*; one pivoted Cholesky
      (:func:`_psd_factor`) and one ``eigvalsh``, exact to rounding for pure states.

    With numba installed (the ``fast`` extra) batches of >= 512 states run the X-state and
    polynomial routes in one compiled loop (:mod:`openlz.core._measures_jit`, same formulas,
    same acceptance test; ``OPENLZ_NUMBA=0`` switches it off); the exact route is shared.
    """
    arr = _two_qubits(rho)
    flat, bad = _finite_entries(arr.reshape(-1, 4, 4))
    jit = _jit_kernels(flat.shape[0])
    if jit is None:
        out = _concurrence_numpy(flat)
    else:
        out, need = jit.concurrence_kernel(np.ascontiguousarray(flat, dtype=complex), 1e-12)
        hard = np.nonzero(need)[0]
        for i in range(0, hard.size, _BLOCK):
            sel = hard[i:i + _BLOCK]
            out[sel] = _concurrence_block(flat[sel])
    out[bad] = np.nan
    return out.reshape(arr.shape[:-2])[()]


def _concurrence_numpy(flat: np.ndarray) -> np.ndarray:
    """Concurrence of (b, 4, 4) states on the numpy route (blocks of ``_BLOCK`` states)."""
    from ._concurrence_poly import concurrence_poly, concurrence_x

    out = np.empty(flat.shape[0])
    for i in range(0, flat.shape[0], _BLOCK):
        blk = flat[i:i + _BLOCK]
        c, is_x = concurrence_x(blk)
        rest = np.nonzero(~is_x)[0]
        if rest.size:
            sub = blk if rest.size == blk.shape[0] else blk[rest]
            cp, exact = concurrence_poly(sub)
            c[rest] = cp
            hard = rest[exact]
            if hard.size:
                c[hard] = _concurrence_block(blk[hard])
        out[i:i + _BLOCK] = c
    return out


_JIT_MIN_BATCH = 512  # smaller batches: numpy route (no numba import or compile for a few states)


def _jit_kernels(n_states: int) -> Any:
    """The compiled kernels module (:mod:`openlz.core._measures_jit`) for a batch of ``n_states``,
    or None: numba missing, ``OPENLZ_NUMBA=0``, or fewer than ``_JIT_MIN_BATCH`` states."""
    global _JIT
    if n_states < _JIT_MIN_BATCH:
        return None
    if os.environ.get("OPENLZ_NUMBA", "1").strip().lower() in ("0", "false", "no", "off"):
        return None
    if _JIT is None:
        try:
            from . import _measures_jit as mod
        except ImportError:
            mod = False
        _JIT = mod
    return _JIT or None


_JIT: Any = None


def _concurrence_block(arr: np.ndarray) -> np.ndarray:
    """Concurrence of (b, 4, 4) states (see :func:`concurrence`)."""
    g = _psd_factor(arr)
    yg = _YSIGN[:, None] * np.conj(g[..., _YFLIP, :])
    tau = np.conj(np.swapaxes(g, -1, -2)) @ yg
    # tau is complex symmetric (sy x sy is), so tau tau^dag = tau tau*
    mu = np.linalg.eigvalsh(tau @ np.conj(tau))
    lam = np.sqrt(np.clip(mu, 0.0, None))  # ascending
    c = lam[..., 3] - lam[..., 2] - lam[..., 1] - lam[..., 0]
    return np.maximum(c, 0.0)


def _pt_eigenvalues(rho: Any, subsystem: int) -> np.ndarray:
    pt = partial_transpose(_two_qubits(rho), subsystem)
    pt = 0.5 * (pt + np.conj(np.swapaxes(pt, -1, -2)))
    flat, bad = _finite_entries(pt.reshape(-1, 4, 4))
    ev = np.linalg.eigvalsh(flat)
    ev[bad] = np.nan
    return ev.reshape(*pt.shape[:-1])


@single_threaded
def negativity(rho: Any, subsystem: int = 1) -> np.ndarray:
    """Negativity of two-qubit states: the sum of |negative eigenvalues| of rho^{T_k}, which
    is (||rho^{T_k}||_1 - 1)/2 for unit trace; (..., 4, 4) -> (...).

    ``subsystem`` chooses which qubit is transposed (the value is the same for either).

    Numerics: the partial transpose of a two-qubit state has at most one negative
    eigenvalue (Sanpera, Tarrach & Vidal, PRA 58, 826 (1998)), so N = max(0, -l_min).
    l_min is found without a per-matrix LAPACK call (see :func:`_negativity_block`),
    with ``eigvalsh`` as the fallback wherever that route cannot certify ~1e-13 accuracy.
    With numba installed, batches of >= 512 states run that route in one compiled loop
    (:mod:`openlz.core._measures_jit`, same formulas and acceptance test).
    """
    arr = _two_qubits(rho)
    if subsystem not in (0, 1):
        raise ParameterError("subsystem", subsystem, "must be 0 or 1")
    flat, bad = _finite_entries(arr.reshape(-1, 4, 4))
    jit = _jit_kernels(flat.shape[0])
    if jit is None:
        out = _negativity_numpy(flat, subsystem)
    else:
        out, need = jit.negativity_kernel(np.ascontiguousarray(flat, dtype=complex), subsystem)
        hard = np.nonzero(need)[0]
        if hard.size:
            pt = partial_transpose(flat[hard], subsystem)
            pt = 0.5 * (pt + np.conj(np.swapaxes(pt, -1, -2)))
            out[hard] = np.maximum(-np.linalg.eigvalsh(pt), 0.0).sum(axis=-1)
    out[bad] = np.nan
    return out.reshape(arr.shape[:-2])[()]


def _negativity_numpy(flat: np.ndarray, subsystem: int) -> np.ndarray:
    """Negativity of (b, 4, 4) states on the numpy route (blocks of ``_NEG_BLOCK`` states)."""
    pt = partial_transpose(flat, subsystem)
    pt = 0.5 * (pt + np.conj(np.swapaxes(pt, -1, -2)))
    out = np.empty(flat.shape[0])
    for i in range(0, flat.shape[0], _NEG_BLOCK):
        out[i:i + _NEG_BLOCK] = _negativity_block(pt[i:i + _NEG_BLOCK])
    return out


_NEG_BLOCK = 8192
_EPS = float(np.finfo(float).eps)


def _negativity_block(h: np.ndarray) -> np.ndarray:
    """Sum of |negative eigenvalues| of Hermitian (b, 4, 4) matrices.

    p(x) = det(x - H) = x^4 - e1 x^3 + e2 x^2 - e3 x + e4, the e_k from the power sums
    tr H^k by Newton's identities.  If every e_k is positive beyond rounding, p has no
    negative root (Descartes' rule of signs) and N = 0.  If e4 = det H < 0 the smallest
    root is found by Laguerre's method started left of the spectrum (monotone and cubically
    convergent for real-rooted polynomials) plus one Newton step; it is accepted when the
    deflated cubic p(x)/(x - l_min) has only non-negative roots (so l_min is the only
    negative eigenvalue) and the first-order error estimate 16 eps S(l)/|p'(l)|, S the
    magnitudes of the summed terms, is below 1e-13.  Every other matrix (det within
    rounding of 0, near-degenerate roots, unphysical inputs) goes to ``eigvalsh``.
    """
    h2 = h @ h
    p1 = np.einsum("bii->b", h).real
    p2 = np.einsum("bii->b", h2).real
    p3 = np.einsum("bij,bji->b", h2, h).real
    p4 = np.einsum("bij,bij->b", h2, np.conj(h2)).real
    e1 = p1
    e2 = (e1 * p1 - p2) / 2
    e3 = (e2 * p1 - e1 * p2 + p3) / 3
    e4 = (e3 * p1 - e2 * p2 + e1 * p3 - p4) / 4
    # magnitudes of the terms summed into e_k: their rounding errors are ~eps times these
    m1 = np.abs(p1)
    m2 = (np.abs(e1 * p1) + np.abs(p2)) / 2
    m3 = (np.abs(e2 * p1) + np.abs(e1 * p2) + np.abs(p3)) / 3
    m4 = (np.abs(e3 * p1) + np.abs(e2 * p2) + np.abs(e1 * p3) + np.abs(p4)) / 4
    tol = 16 * _EPS
    out = np.zeros(h.shape[0])
    separable = (e1 > tol * m1) & (e2 > tol * m2) & (e3 > tol * m3) & (e4 > tol * m4)
    idx = np.nonzero(e4 < -tol * m4)[0]
    c1, c2, c3, c4 = e1[idx], e2[idx], e3[idx], e4[idx]
    x = -1.01 * np.sqrt(np.maximum(p2[idx], 0.0)) - 1e-300  # |eigenvalues| <= ||H||_F
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for _ in range(12):
            px = (((x - c1) * x + c2) * x - c3) * x + c4
            dp = ((4 * x - 3 * c1) * x + 2 * c2) * x - c3
            d2p = (12 * x - 6 * c1) * x + 2 * c2
            g = dp / px
            hh = g * g - d2p / px
            x = np.where(px == 0, x, x - 4.0 / (g - np.sqrt(np.maximum(3 * (4 * hh - g * g), 0.0))))
        px = (((x - c1) * x + c2) * x - c3) * x + c4
        dp = ((4 * x - 3 * c1) * x + 2 * c2) * x - c3
        dx = np.where(dp != 0, px / dp, 0.0)
        x = x - dx
        ax = np.abs(x)
        err = tol * ((((ax + m1[idx]) * ax + m2[idx]) * ax + m3[idx]) * ax + m4[idx]) / np.abs(dp)
        # deflated cubic x^3 - f1 x^2 + f2 x - f3: all its roots >= 0 iff f1, f2, f3 >= 0
        f1 = c1 - x
        f2 = c2 - x * f1
        f3 = c3 - x * f2
    ok = (np.isfinite(x) & (x < 0) & (err < 1e-13) & (np.abs(dx) < 1e-12)
          & (f1 >= -1e-12) & (f2 >= -1e-12) & (f3 >= -1e-12))
    out[idx[ok]] = -x[ok]
    done = separable.copy()
    done[idx[ok]] = True
    rest = np.nonzero(~done)[0]
    if rest.size:
        out[rest] = np.maximum(-np.linalg.eigvalsh(h[rest]), 0.0).sum(axis=-1)
    return out


def log_negativity(rho: Any, subsystem: int = 1) -> np.ndarray:
    """Logarithmic negativity log2 ||rho^{T_k}||_1, (..., 4, 4) -> (...)."""
    ev = _pt_eigenvalues(rho, subsystem)
    return np.log2(np.abs(ev).sum(axis=-1))


def entanglement_of_formation(rho: Any) -> np.ndarray:
    """Entanglement of formation in bits (Wootters 1998), (..., 4, 4) -> (...)."""
    c = concurrence(rho)
    x = 0.5 * (1 + np.sqrt(np.clip(1 - c**2, 0.0, 1.0)))
    with np.errstate(divide="ignore", invalid="ignore"):
        h = -x * np.log2(x) - (1 - x) * np.log2(np.where(x < 1, 1 - x, 1.0))
    return np.where(c > 0, h, 0.0)


def purity(rho: Any) -> np.ndarray:
    """tr rho², (..., n, n) -> (...)."""
    arr = as_density_matrix(rho)
    return np.einsum("...ij,...ji->...", arr, arr).real


def _sqrtm_psd(a: np.ndarray) -> np.ndarray:
    a = 0.5 * (a + np.conj(np.swapaxes(a, -1, -2)))
    w, v = np.linalg.eigh(a)
    w = np.sqrt(np.clip(w, 0.0, None))
    return (v * w[..., None, :]) @ np.conj(np.swapaxes(v, -1, -2))


def fidelity(rho: Any, sigma: Any) -> np.ndarray:
    """Uhlmann–Jozsa fidelity (tr sqrt(sqrt(rho) sigma sqrt(rho)))², broadcast over (...).

    Computed as the squared trace norm of G_rho^dag G_sigma with rho = G_rho G_rho^dag and
    sigma = G_sigma G_sigma^dag (pivoted Cholesky factors): the singular values carry no
    square-root amplification of rounding noise, so pure and rank-deficient states are
    accurate to ~1e-15 (a matrix square root of sqrt(rho) sigma sqrt(rho) gives ~1e-8).
    """
    a, b = as_density_matrix(rho), as_density_matrix(sigma)
    if a.shape[-1] != b.shape[-1]:
        raise ParameterError("sigma", _Shape(b.shape), f"must have the dimension of rho {a.shape}")
    ga, gb = _psd_factor(a), _psd_factor(b)
    sv = np.linalg.svd(np.conj(np.swapaxes(ga, -1, -2)) @ gb, compute_uv=False)
    return sv.sum(axis=-1) ** 2
