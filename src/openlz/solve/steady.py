"""Steady states of Lindblad generators from their null space, batched.

The kernel of L is found from an SVD.  When it is one-dimensional the steady
state is unique.  When it is larger (dark states, conserved quantities) the
long-time state depends on where one starts: it is P0 rho0, with P0 the spectral
projector onto the zero eigenvalue, P0 = V (U^dag V)^-1 U^dag, built from the right
null vectors V and the left null vectors U (the conserved quantities).  The zero
eigenvalue of a Lindbladian is semisimple, so this projector exists.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core.liouvillian import unvec, vec
from ..core.threads import single_threaded

__all__ = ["SteadyStateResult", "steady_state"]


@dataclass
class SteadyStateResult:
    """rho : (..., n, n) steady state(s); kernel_dim : (...) dimension of ker L;
    unique : (...) bool; from_initial : (...) bool, True where rho0 was used
    to pick the state; oscillating : (...) bool, True where L has purely imaginary
    eigenvalues besides 0 so that the long-time state oscillates (rho is then the
    time average)."""

    rho: np.ndarray
    kernel_dim: np.ndarray
    unique: np.ndarray
    from_initial: np.ndarray
    oscillating: np.ndarray


@single_threaded
def steady_state(generator: np.ndarray, rho0: np.ndarray | None = None,
                 tol: float = 1e-10, atol: np.ndarray | float | None = None) -> SteadyStateResult:
    """Steady state(s) of L (..., n², n²).

    Parameters
    ----------
    generator : Liouvillian, (..., n², n²).
    rho0 : initial state(s) (..., n, n) used where the kernel is degenerate. If omitted
        and the kernel is degenerate, a ``ValueError`` names the batch indices.
    tol : singular values below ``tol * max(1, ||L||)`` count as zero.
    atol : if given, (...) or scalar: singular values below ``atol`` count as zero instead
        (e.g. relative to the dissipative rates when ||L|| is dominated by Bohr frequencies).
    """
    gen = np.asarray(generator, dtype=complex)
    batch = gen.shape[:-2]
    N = gen.shape[-1]
    n = int(round(np.sqrt(N)))
    flat = gen.reshape(-1, N, N)
    B = flat.shape[0]
    u, s, vh = np.linalg.svd(flat)
    scale = np.maximum(1.0, s[:, 0])
    thr = tol * scale if atol is None else np.broadcast_to(np.asarray(atol, dtype=float), batch).reshape(B)
    null = s < thr[:, None]
    kdim = null.sum(axis=1)
    # the smallest singular value always spans at least the 1-D kernel (L is trace-preserving)
    kdim = np.maximum(kdim, 1)
    out = np.empty((B, n, n), dtype=complex)
    from_init = np.zeros(B, dtype=bool)
    if rho0 is not None:
        r0 = np.broadcast_to(np.asarray(rho0, dtype=complex), (*batch, n, n)).reshape(B, n, n)
    for_one = kdim == 1
    # unique: right singular vector of the smallest singular value
    v = np.conj(vh[:, -1, :])
    rho = unvec(v)
    tr = np.einsum("bii->b", rho)
    rho = rho / tr[:, None, None]
    out[for_one] = rho[for_one]
    bad = np.nonzero(~for_one)[0]
    if bad.size:
        if rho0 is None:
            raise ValueError(
                f"steady state not unique (kernel dimension {kdim[bad].tolist()} at batch indices "
                f"{bad.tolist()}); pass rho0 to select the long-time state")
        # vectorised over the batch points that share a kernel dimension k
        for k in np.unique(kdim[bad]):
            idx = bad[kdim[bad] == k]
            vr = np.conj(np.swapaxes(vh[idx, -k:, :], -1, -2))  # right null vectors (b, N, k)
            ulh = np.conj(np.swapaxes(u[idx, :, -k:], -1, -2))  # left null vectors^H (b, k, N)
            coef = np.linalg.solve(ulh @ vr, ulh @ vec(r0[idx])[..., None])  # (b, k, 1)
            out[idx] = unvec((vr @ coef)[..., 0])               # P0 rho0
            from_init[idx] = True
    # purely imaginary non-zero eigenvalues => no unique long-time limit
    ev = np.linalg.eigvals(flat)
    osc = np.any((np.abs(ev.real) < thr[:, None]) & (np.abs(ev.imag) > thr[:, None]), axis=1)
    out = 0.5 * (out + np.conj(np.swapaxes(out, -1, -2)))
    return SteadyStateResult(out.reshape(*batch, n, n), kdim.reshape(batch), (kdim == 1).reshape(batch),
                             from_init.reshape(batch), osc.reshape(batch))
