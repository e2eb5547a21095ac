"""Batched Lindblad evolution: exact for constant generators, adaptive RK otherwise.

Shapes: a generator ``L`` is ``(..., n², n²)`` acting on row-major ``vec(rho)``
(see :mod:`openlz.core.liouvillian`); states are ``(..., n, n)``; results carry
the time axis just before the matrix axes, ``(..., T, n, n)``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import scipy.linalg as sla

from ..core.liouvillian import liouvillian, unvec, vec
from .ode import ODEOptions, ODEStats, solve_ode

__all__ = ["evolve_constant", "evolve_td", "lindblad_evolve", "propagators"]


def _check_times(times: np.ndarray) -> np.ndarray:
    times = np.asarray(times, dtype=float).reshape(-1)
    if times.size == 0:
        raise ValueError("times: must contain at least one time")
    if not np.all(np.isfinite(times)):
        raise ValueError("times: must be finite")
    if times.size > 1 and not (np.all(np.diff(times) >= 0) or np.all(np.diff(times) <= 0)):
        raise ValueError("times: must be monotonic")
    return times


def propagators(generator: np.ndarray, dts: np.ndarray) -> np.ndarray:
    """exp(L dt) for each dt: (..., N, N), (K,) -> (K, ..., N, N)."""
    gen = np.asarray(generator)
    return np.stack([sla.expm(gen * dt) for dt in np.asarray(dts, dtype=float)])


def evolve_constant(generator: np.ndarray, rho0: np.ndarray, times: np.ndarray) -> np.ndarray:
    """Exact evolution under a time-independent generator.

    rho(t_k) = exp(L (t_k - t_0)) rho0, built by stepping with exp(L dt) for each
    distinct interval (one ``expm`` per distinct dt, so a uniform grid costs one).
    ``expm`` is used rather than an eigendecomposition because physical generators
    can be defective (exceptional points, critical damping).

    Parameters
    ----------
    generator : (..., n², n²)
    rho0 : (..., n, n), broadcast against the generator's batch axes.
    times : (T,), ``times[0]`` is the time of ``rho0``.

    Returns
    -------
    (..., T, n, n)
    """
    times = _check_times(times)
    gen = np.asarray(generator, dtype=complex)
    rho0 = np.asarray(rho0, dtype=complex)
    batch = np.broadcast_shapes(gen.shape[:-2], rho0.shape[:-2])
    v = np.broadcast_to(vec(rho0), (*batch, gen.shape[-1])).copy()
    dts = np.diff(times)
    # one expm per distinct step; steps equal to ~1e-12 relative share a propagator
    # (keys are relative so that tiny steps are not rounded to zero)
    dt_scale = float(np.max(np.abs(dts))) if dts.size else 1.0
    keys = np.round(dts / (dt_scale or 1.0), 12)
    _, first, inv = np.unique(keys, return_index=True, return_inverse=True)
    # propagators keep the generator's own batch shape; matmul broadcasts them over rho0's
    props = [sla.expm(gen * dts[j]) if dts[j] != 0 else None for j in first]
    out = np.empty((*batch, times.size, gen.shape[-1]), dtype=complex)
    out[..., 0, :] = v
    for i in range(dts.size):
        p = props[int(inv[i])]
        if p is not None:
            v = (p @ v[..., None])[..., 0]
        out[..., i + 1, :] = v
    return unvec(out)


def evolve_td(generator: Callable[[float], np.ndarray], rho0: np.ndarray, times: np.ndarray,
              options: ODEOptions | None = None) -> tuple[np.ndarray, ODEStats]:
    """Evolution under a time-dependent generator with batched adaptive Runge–Kutta.

    Parameters
    ----------
    generator : ``L(t) -> (B, n², n²)`` or ``(n², n²)`` (shared by the batch).
    rho0 : (B, n, n) or (n, n); more leading axes are flattened for the integration and
        restored in the result (the generator then sees their product as B).
    times : (T,) output times; ``times[0]`` is the time of ``rho0``.
    options : tolerances (:class:`ODEOptions`).

    Returns
    -------
    rho : (B, T, n, n) — or (T, n, n) if neither input had a batch axis.
    stats : step counters.
    """
    times = _check_times(times)
    rho0 = np.asarray(rho0, dtype=complex)
    unbatched = rho0.ndim == 2
    g0 = np.asarray(generator(float(times[0])))
    if unbatched and g0.ndim == 3:
        rho0 = np.broadcast_to(rho0, (g0.shape[0], *rho0.shape))
        unbatched = False
    lead = rho0.shape[:-2]
    y0 = vec(rho0.reshape(-1, *rho0.shape[-2:]))

    def rhs(t: float, y: np.ndarray) -> np.ndarray:
        g = np.asarray(generator(t))
        if g.ndim == 2:
            return y @ g.T
        # batched matrix-vector product; matmul is ~3x faster than einsum here
        return (g @ y[:, :, None])[:, :, 0]

    ys, stats = solve_ode(rhs, y0, times, options)
    rho = unvec(np.moveaxis(ys, 0, 1))
    if unbatched:
        return rho[0], stats
    return rho.reshape(*lead, *rho.shape[1:]), stats


def lindblad_evolve(h: np.ndarray | Callable[[float], np.ndarray],
                    c_ops: Sequence[np.ndarray] | np.ndarray | Callable[[float], np.ndarray],
                    rho0: np.ndarray, times: np.ndarray,
                    options: ODEOptions | None = None) -> np.ndarray:
    """Solve the Lindblad equation for H and jump operators, constant or callables of t.

    Constant ``h`` (..., n, n) and ``c_ops`` -> exact :func:`evolve_constant`;
    if either is a callable ``t -> array`` the adaptive :func:`evolve_td` is used.
    Returns (..., T, n, n).
    """
    if callable(h) or callable(c_ops):
        def gen(t: float) -> np.ndarray:
            hh = h(t) if callable(h) else h
            cc = c_ops(t) if callable(c_ops) else c_ops
            return liouvillian(hh, cc)
        return evolve_td(gen, rho0, times, options)[0]
    return evolve_constant(liouvillian(h, c_ops), rho0, times)
