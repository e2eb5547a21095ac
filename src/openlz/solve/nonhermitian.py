"""Normalised conditional (postselected) evolution.

rho~(t) = exp(-i H_eff t) rho0 exp(+i H_eff^dag t);  rho(t) = rho~(t) / tr rho~(t).
tr rho~(t) is the probability that no jump occurred (postselection success).

In the library's Lindblad convention (docs/design.md) the no-jump generator of
dρ/dt = −i[H, ρ] + Σ_k (L_k ρ L_k† − ½{L_k† L_k, ρ}) is H_eff = H − (i/2) Σ_k L_k† L_k.

:func:`conditional_evolve` takes H_eff; :func:`conditional_evolve_generator` takes any
trace-decreasing superoperator generator (e.g. a Lindbladian with only a fraction of the
jumps removed, finite detector efficiency).  Both keep the state normalised while it is
propagated and accumulate the norm as a logarithm, so that neither an underflowing success
probability nor a vanishing initial state produces 0/0 in the states.
"""

from __future__ import annotations

import numpy as np
import scipy.linalg as sla

from ..core.liouvillian import unvec, vec
from ..core.operators import dag

__all__ = ["conditional_evolve", "conditional_evolve_generator"]

#: largest attenuation exponent of one propagation sub-step (e^-50 ~ 2e-22 stays far above
#: the double-precision underflow at e^-745)
_MAX_EXPONENT = 50.0


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


def conditional_evolve_generator(generator: np.ndarray, rho0: np.ndarray, times: np.ndarray
                                 ) -> tuple[np.ndarray, np.ndarray]:
    """Evolve an unnormalised conditional state under a constant superoperator generator,
    keeping it normalised as it is propagated.

    dρ~/dt = G ρ~ with G (..., n², n²) in the row-major ``vec`` convention of
    :mod:`openlz.core.liouvillian`.  The state is stepped from output
    time to output time with exp(G dt/m), one ``expm`` per distinct step, with m sub-steps
    such that ||G||₂ dt/m <= 50 (no propagator element underflows), and renormalised after
    every sub-step while ln tr ρ~ is accumulated.

    Parameters
    ----------
    generator : (..., n², n²)
    rho0 : (..., n, n), unnormalised initial state (its trace is the initial weight; it may be
        0, e.g. after a projection that removes the whole state).
    times : (T,) non-decreasing; ``times[0]`` is the time of ``rho0``.

    Returns
    -------
    rho : (..., T, n, n) normalised conditional states; NaN where the conditional state has
        vanished (zero or non-positive trace: nothing to condition on).
    log_norm : (..., T) ln tr ρ~(t) (``-inf`` where it vanished).  ``exp(log_norm)`` is the
        success probability; it may underflow to 0 while ``rho`` stays well defined.
    """
    times = np.asarray(times, dtype=float).reshape(-1)
    if times.size == 0 or not np.all(np.isfinite(times)):
        raise ValueError("times: must be a non-empty array of finite numbers")
    dts = np.diff(times)
    if np.any(dts < 0):
        raise ValueError("times: must be non-decreasing")
    gen = np.asarray(generator, dtype=complex)
    r0 = np.asarray(rho0, dtype=complex)
    n = r0.shape[-1]
    batch = np.broadcast_shapes(gen.shape[:-2], r0.shape[:-2])
    v = np.broadcast_to(vec(r0), (*batch, n * n)).copy()
    diag = np.arange(n) * (n + 1)  # positions of rho_ii in vec(rho)

    def renormalise(v: np.ndarray, log_norm: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        tr = v[..., diag].sum(axis=-1).real
        alive = np.isfinite(tr) & (tr > 0) & np.isfinite(log_norm)
        if np.all(alive):
            return v / tr[..., None], log_norm + np.log(tr)
        safe = np.where(alive, tr, 1.0)
        v = np.where(alive[..., None], v / safe[..., None], np.nan)
        return v, np.where(alive, log_norm + np.log(safe), -np.inf)

    v, log_norm = renormalise(v, np.zeros(batch))
    out = np.empty((*batch, times.size, n * n), dtype=complex)
    logs = np.empty((*batch, times.size))
    out[..., 0, :], logs[..., 0] = v, log_norm
    scale = float(np.max(np.abs(dts))) if dts.size else 1.0
    keys = np.round(dts / (scale or 1.0), 12)
    _, first, inv = np.unique(keys, return_index=True, return_inverse=True)
    bound = float(np.max(np.linalg.norm(gen.reshape(-1, *gen.shape[-2:]), ord=2, axis=(-2, -1)),
                         initial=0.0))
    n_sub = [max(1, int(np.ceil(dts[j] * bound / _MAX_EXPONENT))) for j in first]
    props = [sla.expm(gen * (dts[j] / m)) if dts[j] != 0 else None
             for j, m in zip(first, n_sub, strict=True)]
    for i in range(dts.size):
        j = int(inv.reshape(-1)[i])
        u = props[j]
        if u is not None:
            for _ in range(n_sub[j]):
                with np.errstate(invalid="ignore"):
                    v = (u @ v[..., None])[..., 0]
                v, log_norm = renormalise(v, log_norm)
        out[..., i + 1, :], logs[..., i + 1] = v, log_norm
    return unvec(out), logs
