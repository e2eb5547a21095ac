"""Normalised non-Hermitian (conditional, no-jump) evolution.

rho~(t) = exp(-i H_eff t) rho0 exp(+i H_eff^dag t);  rho(t) = rho~(t) / tr rho~(t).
tr rho~(t) is the probability that no jump occurred (postselection success).

In the library's Lindblad convention (shared/DESIGN.md) the no-jump generator of
dρ/dt = −i[H, ρ] + Σ_k (L_k ρ L_k† − ½{L_k† L_k, ρ}) is H_eff = H − (i/2) Σ_k L_k† L_k.
"""

from __future__ import annotations

import numpy as np
import scipy.linalg as sla

from ..core.operators import dag

__all__ = ["conditional_evolve"]


def conditional_evolve(h_eff: np.ndarray, rho0: np.ndarray, times: np.ndarray
                       ) -> tuple[np.ndarray, np.ndarray]:
    """Evolve under a constant non-Hermitian H_eff (..., n, n) from rho0 (..., n, n).

    The state is propagated from output time to output time with exp(-i H_eff dt) (one
    ``expm`` per distinct step) and renormalised after every step, the norm being
    accumulated as a logarithm: the normalised states stay finite even when the no-jump
    probability underflows (Gamma t > ~700), where dividing exp(-i H_eff t) rho0 (...)^dag
    by its trace would give 0/0.

    Returns
    -------
    rho : (..., T, n, n) normalised conditional states.
    norm : (..., T) unnormalised traces tr rho~(t) (the no-jump probability for tr rho0 = 1).
    """
    times = np.asarray(times, dtype=float).reshape(-1)
    h = np.asarray(h_eff, dtype=complex)
    r0 = np.asarray(rho0, dtype=complex)
    batch = np.broadcast_shapes(h.shape[:-2], r0.shape[:-2])
    n = h.shape[-1]
    r = np.broadcast_to(r0, (*batch, n, n)).copy()
    out = np.empty((*batch, times.size, n, n), dtype=complex)
    lognorm = np.empty((*batch, times.size))
    tr = np.einsum("...ii->...", r).real
    lognorm_now = np.log(tr)
    r = r / tr[..., None, None]
    dts = np.diff(times)
    scale = float(np.max(np.abs(dts))) if dts.size else 1.0
    keys = np.round(dts / (scale or 1.0), 12)
    _, first, inv = np.unique(keys, return_index=True, return_inverse=True)
    # sub-steps keep each propagator's attenuation above ~e^-50, so exp(-i H_eff dt) itself
    # never underflows; gamma = ||(H_eff - H_eff^dag) / 2i||_2 bounds the decay rate
    anti = (h - dag(h)) / 2j
    gamma = float(np.max(np.linalg.norm(anti, ord=2, axis=(-2, -1)), initial=0.0))
    n_sub = [max(1, int(np.ceil(abs(dts[j]) * gamma / 50.0))) for j in first]
    props = [sla.expm(-1j * h * (dts[j] / m)) if dts[j] != 0 else None
             for j, m in zip(first, n_sub, strict=True)]
    out[..., 0, :, :] = r
    lognorm[..., 0] = lognorm_now
    for i in range(dts.size):
        u = props[int(inv[i])]
        if u is not None:
            for _ in range(n_sub[int(inv[i])]):
                r = u @ r @ dag(u)
                tr = np.einsum("...ii->...", r).real
                with np.errstate(divide="ignore"):
                    lognorm_now = lognorm_now + np.log(tr)
                with np.errstate(invalid="ignore", divide="ignore"):
                    r = r / tr[..., None, None]
        out[..., i + 1, :, :] = r
        lognorm[..., i + 1] = lognorm_now
    return out, np.exp(lognorm)
