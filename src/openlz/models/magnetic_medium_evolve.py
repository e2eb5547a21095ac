"""Time evolution of the magnetic-medium model (paper 004): Lindblad via :func:`openlz.mesolve`,
postselected (conditional, trace-decreasing) evolution exact with :func:`evolve_constant`.

Split from :mod:`openlz.models.magnetic_medium`; the generators are in
:mod:`openlz.models.magnetic_medium_ops`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core.liouvillian import vec
from ..solve.lindblad import evolve_constant
from ..solve.nonhermitian import conditional_evolve_generator
from .base import evolution_grid
from .magnetic_medium_ops import generator, initial_conditional_state

__all__ = ["evolve_states", "conditional_states", "measure"]


def evolve_states(p: dict[str, np.ndarray], rho0: np.ndarray, t: np.ndarray, postselect: bool,
            attrs: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """States (B, T, 4, 4) at the times ``t`` (T,) from ``rho0`` at each point's ``t0``, and
    ln of the success probability (B, T) (0 without postselection).  The Lindblad states'
    physicality check of :func:`openlz.mesolve` goes into ``attrs``.

    Points sharing a t0 are evolved together on :func:`evolution_grid` (t0 first), so a result
    at a given time does not depend on the other requested times.  Lindblad:
    :func:`openlz.mesolve` on the Liouvillian; postselected: :func:`conditional_states`.
    """
    from ..api.mesolve import mesolve

    B = p["a"].shape[0]
    eff = p["efficiency"] if postselect else None
    kap = p["measurement_rate"] if postselect else None
    gen = generator(p, eff, kap)
    start = initial_conditional_state(rho0, eff) if postselect else \
        np.broadcast_to(rho0, (B, 4, 4))
    rho_t = np.empty((B, t.size, 4, 4), dtype=complex)
    log_norm = np.zeros((B, t.size))
    for t0 in np.unique(p["t0"]):
        g = np.flatnonzero(p["t0"] == t0)
        grid, index = evolution_grid(t, float(t0))
        if postselect:
            r, ln = conditional_states(gen[g], start[g], grid)
            log_norm[g] = ln[:, index]
        else:
            res = mesolve(gen[g], start[g], grid, options={"progress_bar": False,
                                                           "store_states": True})
            r = res.states
            phys = res.validity["physicality"]
            attrs["physicality_ok"] = bool(phys["ok"]) and attrs.get("physicality_ok", True)
            attrs["trace_error"] = max(float(phys["trace_error"]), attrs.get("trace_error", 0.0))
        rho_t[g] = r[:, index]
    return rho_t, log_norm


#: the exact route is kept where tr ρ~(t) e^{−αt} stays above this fraction of tr ρ~(t0)
#: (relative error of the normalised state ~ 1e-16 · cond(V) / that fraction) ...
_MIN_SHIFTED_TRACE = 1e-4
#: ... and every grid step has ||G||_F dt below this (larger steps are sub-stepped)
_MAX_STEP_EXPONENT = 50.0


def _reachable(gen: np.ndarray, start: np.ndarray) -> np.ndarray:
    """Indices of vec(ρ) connected to the support of vec(start) through non-zero generator
    entries (any point of the batch): the only modes the evolution (and its roundoff) can
    populate.  Modes outside are decoupled exactly (e.g. |uu><uu| when every jump is
    detected)."""
    from scipy.sparse.csgraph import connected_components

    n = gen.shape[-1]
    pattern = np.any(gen != 0, axis=0)
    _, labels = connected_components(pattern | pattern.T, directed=False)
    support = np.any(vec(start) != 0, axis=0)
    return np.flatnonzero(np.isin(labels, np.unique(labels[support]))) if np.any(support) \
        else np.arange(n)


def conditional_states(gen: np.ndarray, start: np.ndarray, grid: np.ndarray
                       ) -> tuple[np.ndarray, np.ndarray]:
    """Normalised conditional states (B, G, 4, 4) and ln tr ρ~ (B, G) under the trace-decreasing
    generators ``gen`` (B, 16, 16) from ``start`` (B, 4, 4) at ``grid[0]``.

    exp(G t) ρ~0 = e^{αt} exp((G − α)t) ρ~0 for any α.  With α the spectral abscissa of G on
    the modes reachable from ρ~0 (:func:`_reachable`), exp((G − α)t) ρ~0 neither overflows nor
    underflows while it keeps its relative precision, and :func:`evolve_constant` (one
    eigendecomposition per point, or exp(G dt) stepping on uniform grids and near exceptional
    points; exact at every grid time) gives the state, with ln tr ρ~ = ln tr[...] + αt.
    The renormalised sub-stepping of :func:`conditional_evolve_generator` takes over where
    that shifted trace falls below ``_MIN_SHIFTED_TRACE`` (the state decays faster than the
    slowest mode it reaches, so one long exponential would leave roundoff dominant: stepped on
    a refined grid, :func:`_refined`), at points with a long grid step (||G||_F dt >
    ``_MAX_STEP_EXPONENT``: one long exp(G dt) at an exceptional point loses ~1e-7 of ln tr at
    t ~ 10³/rate) and where nothing is left to condition on.
    """
    B = gen.shape[0]
    tr0 = np.einsum("bii->b", start).real
    idx = _reachable(gen, start)
    alpha = np.linalg.eigvals(gen[:, idx][:, :, idx]).real.max(axis=-1)
    norms = np.linalg.norm(gen, axis=(-2, -1))
    big = float(np.max(np.diff(grid), initial=0.0)) * norms > _MAX_STEP_EXPONENT
    rho = np.empty((B, grid.size, 4, 4), dtype=complex)
    log_norm = np.empty((B, grid.size))
    live = np.flatnonzero(tr0 > 0)
    ok = np.zeros(B, bool)
    if live.size:
        shifted = gen[live] - alpha[live, None, None] * np.eye(gen.shape[-1])
        with np.errstate(all="ignore"):
            r = evolve_constant(shifted, start[live], grid)
            tr = np.einsum("btii->bt", r).real
            ok_live = np.all(np.isfinite(r), axis=(1, 2, 3)) \
                & np.all(tr >= _MIN_SHIFTED_TRACE * tr0[live, None], axis=-1)
        ok[live] = ok_live
        keep = live[ok_live & ~big[live]]
        sel = ok_live & ~big[live]
        rho[keep] = r[sel] / tr[sel][..., None, None]
        log_norm[keep] = np.log(tr[sel]) + alpha[keep, None] * (grid - grid[0])
    # a state decaying faster than the slowest mode it can reach (shifted trace small): step
    # finely, so that each step's roundoff stays relative to the state itself
    fine = np.flatnonzero((tr0 > 0) & ~ok)
    if fine.size:
        g2, index = _refined(grid, float(np.max(norms[fine])))
        r2, ln2 = conditional_evolve_generator(gen[fine], start[fine], g2)
        rho[fine], log_norm[fine] = r2[:, index], ln2[:, index]
    plain = np.flatnonzero((tr0 <= 0) | (ok & big))
    if plain.size:
        rho[plain], log_norm[plain] = conditional_evolve_generator(gen[plain], start[plain],
                                                                   grid)
    return rho, log_norm


#: sub-step exponent ||G||_F dt of the fine fallback, and its largest number of steps
_FINE_EXPONENT = 4.0
_FINE_MAX_STEPS = 200_000


def _refined(grid: np.ndarray, norm: float) -> tuple[np.ndarray, np.ndarray]:
    """``grid`` with each interval split into ceil(norm dt / _FINE_EXPONENT) steps (at most
    ``_FINE_MAX_STEPS`` in all, else the exponent grows), and where the original points sit."""
    dts = np.diff(grid)
    m = np.maximum(1, np.ceil(dts * norm / _FINE_EXPONENT)).astype(int)
    if m.sum() > _FINE_MAX_STEPS:
        m = np.maximum(1, np.ceil(m * _FINE_MAX_STEPS / m.sum())).astype(int)
    pieces = [grid[:1]] + [np.linspace(grid[k], grid[k + 1], m[k] + 1)[1:]
                           for k in range(dts.size)]
    return np.concatenate(pieces), np.concatenate([[0], np.cumsum(m)])


def measure(fn: Any, rho: np.ndarray) -> np.ndarray:
    """``fn`` of the finite states (..., 4, 4); NaN where the state is NaN (vanished)."""
    ok = np.all(np.isfinite(rho), axis=(-2, -1))
    out = np.full(ok.shape, np.nan)
    if np.any(ok):
        out[ok] = fn(rho[ok])
    return out
