"""Liouvillians in the library's one Lindblad convention, batched over leading axes.

    d rho/dt = -i[H, rho] + sum_k ( L_k rho L_k^dag - 1/2 {L_k^dag L_k, rho} )

Vectorisation is row-major: ``vec(rho) = rho.reshape(..., n*n)``, so that
``vec(A rho B) = (A kron B^T) vec(rho)``.  ``unvec`` undoes it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .operators import dag

__all__ = ["vec", "unvec", "spre", "spost", "sprepost", "hamiltonian_superop",
           "dissipator", "liouvillian", "lindblad_rhs"]


def vec(rho: np.ndarray) -> np.ndarray:
    """(..., n, n) -> (..., n*n), row-major."""
    rho = np.asarray(rho)
    return rho.reshape(*rho.shape[:-2], rho.shape[-1] * rho.shape[-2])


def unvec(v: np.ndarray) -> np.ndarray:
    """(..., n*n) -> (..., n, n)."""
    v = np.asarray(v)
    n = int(round(np.sqrt(v.shape[-1])))
    return v.reshape(*v.shape[:-1], n, n)


def _kron_batched(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    out = a[..., :, None, :, None] * b[..., None, :, None, :]
    s = out.shape
    return out.reshape(*s[:-4], s[-4] * s[-3], s[-2] * s[-1])


def spre(a: np.ndarray) -> np.ndarray:
    """Superoperator of rho -> a rho, (..., n, n) -> (..., n², n²), on row-major vec(rho)."""
    a = np.asarray(a)
    return _kron_batched(a, np.broadcast_to(np.eye(a.shape[-1]), a.shape))


def spost(b: np.ndarray) -> np.ndarray:
    """Superoperator of rho -> rho b, (..., n, n) -> (..., n², n²), on row-major vec(rho)."""
    b = np.asarray(b)
    return _kron_batched(np.broadcast_to(np.eye(b.shape[-1]), b.shape), np.swapaxes(b, -1, -2))


def sprepost(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Superoperator of rho -> a rho b, (..., n², n²) = a ⊗ b^T on row-major vec(rho)."""
    return _kron_batched(np.asarray(a), np.swapaxes(np.asarray(b), -1, -2))


def hamiltonian_superop(h: np.ndarray) -> np.ndarray:
    """-i[H, .] as a superoperator, (..., n, n) -> (..., n², n²), on row-major vec(rho)."""
    return -1j * (spre(h) - spost(h))


def dissipator(c: np.ndarray) -> np.ndarray:
    """D[c] rho = c rho c^dag - 1/2 {c^dag c, rho}, (..., n, n) -> (..., n², n²), row-major vec."""
    c = np.asarray(c)
    cdc = dag(c) @ c
    return sprepost(c, dag(c)) - 0.5 * (spre(cdc) + spost(cdc))


def liouvillian(h: np.ndarray | None, c_ops: Sequence[np.ndarray] | np.ndarray = ()) -> np.ndarray:
    """Lindblad generator as a matrix acting on the row-major ``vec(rho)`` (``vec(rho)[i*n + j] =
    rho[i, j]``; QuTiP's ``liouvillian`` stacks columns: convert with
    ``openlz.api.super_from_qutip``).

    Parameters
    ----------
    h : Hamiltonian (..., n, n), or None for a purely dissipative generator.
    c_ops : jump operators: a list/tuple of (..., n, n) arrays, or one ndarray (..., k, n, n)
        whose axis -3 always enumerates the operators. Leading axes broadcast with ``h``.

    Returns
    -------
    (..., n², n²) complex array.
    """
    if isinstance(c_ops, np.ndarray):
        # one array: axis -3 enumerates the jump operators
        if c_ops.ndim < 3:
            raise ValueError(f"c_ops as one array must have shape (..., k, n, n), got {c_ops.shape}")
        c_arr: np.ndarray | None = c_ops.astype(complex) if c_ops.shape[-3] > 0 else None
    else:
        cs = [np.asarray(c, dtype=complex) for c in c_ops]
        c_arr = np.stack(np.broadcast_arrays(*cs), axis=-3) if cs else None
    if h is None and c_arr is None:
        raise ValueError("liouvillian needs a Hamiltonian or at least one jump operator")
    # L rho = G rho + rho P + sum_k c_k rho c_k^dag with G = -i H - M/2, P = i H - M/2,
    # M = sum_k c_k^dag c_k: G kron 1 + 1 kron P^T + sum_k sprepost(c_k, c_k^dag).  The jump sum
    # is formed exactly as ``sprepost(c, dag(c)).sum(axis=-3)`` so that a caller subtracting
    # the same terms (conditional generators) cancels them to exact zeros
    n = (np.asarray(h) if h is not None else c_arr).shape[-1]  # type: ignore[union-attr]
    hh = np.asarray(h, dtype=complex) if h is not None else np.zeros((n, n), complex)
    g, pr = -1j * hh, 1j * hh
    if c_arr is not None:
        m = 0.5 * (dag(c_arr) @ c_arr).sum(axis=-3)
        g, pr = g - m, pr - m
        jump = sprepost(c_arr, dag(c_arr)).sum(axis=-3).reshape(*c_arr.shape[:-3], n, n, n, n)
    else:
        jump = np.zeros((n, n, n, n), complex)
    eye = np.eye(n)
    out = (jump + g[..., :, None, :, None] * eye[:, None, :]
           + eye[:, None, :, None] * np.swapaxes(pr, -1, -2)[..., None, :, None, :])
    return out.reshape(*out.shape[:-4], n * n, n * n)


def lindblad_rhs(rho: np.ndarray, h: np.ndarray | None, c_ops: Sequence[np.ndarray] = ()) -> np.ndarray:
    """Right-hand side of the Lindblad equation applied directly to rho (..., n, n).

    ``h`` and each jump operator may carry their own leading axes; they broadcast with rho's.
    """
    rho = np.asarray(rho)
    out = np.zeros(rho.shape, dtype=complex)
    if h is not None:
        out = out + (-1j) * (h @ rho - rho @ h)
    for c in c_ops:
        cd = dag(c)
        cdc = cd @ c
        out = out + (c @ rho @ cd - 0.5 * (cdc @ rho + rho @ cdc))
    return out
