"""Normalised non-Hermitian (conditional, no-jump) evolution.

rho~(t) = exp(-i H_eff t) rho0 exp(+i H_eff^dag t);  rho(t) = rho~(t) / tr rho~(t).
tr rho~(t) is the probability that no jump occurred (postselection success).
"""

from __future__ import annotations

import numpy as np
import scipy.linalg as sla

from ..core.operators import dag

__all__ = ["conditional_evolve"]


def conditional_evolve(h_eff: np.ndarray, rho0: np.ndarray, times: np.ndarray
                       ) -> tuple[np.ndarray, np.ndarray]:
    """Evolve under a constant non-Hermitian H_eff (..., n, n) from rho0 (..., n, n).

    Returns
    -------
    rho : (..., T, n, n) normalised conditional states.
    norm : (..., T) unnormalised traces tr rho~(t) (no-jump probability).
    """
    times = np.asarray(times, dtype=float).reshape(-1)
    h = np.asarray(h_eff, dtype=complex)
    r0 = np.asarray(rho0, dtype=complex)
    batch = np.broadcast_shapes(h.shape[:-2], r0.shape[:-2])
    h = np.broadcast_to(h, (*batch, *h.shape[-2:]))
    r0 = np.broadcast_to(r0, (*batch, *r0.shape[-2:]))
    out = np.empty((*batch, times.size, h.shape[-1], h.shape[-1]), dtype=complex)
    for i, t in enumerate(times - times[0]):
        u = sla.expm(-1j * h * t)
        out[..., i, :, :] = u @ r0 @ dag(u)
    norm = np.einsum("...ii->...", out).real
    with np.errstate(invalid="ignore", divide="ignore"):
        rho = out / norm[..., None, None]
    return rho, norm
