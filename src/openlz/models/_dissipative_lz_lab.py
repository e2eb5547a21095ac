"""Lab-frame solver and validity report of the dissipative-lz model (paper 000, Eqs. 8, 15–18).

Split from :mod:`openlz.models.dissipative_lz` (which registers the model): the lab-frame path
is the public :func:`openlz.amesolve` on the pair, and the Markov validity check is
:func:`openlz.solve.adiabatic.validity_timescales` on H_S(t).
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ..analytic import dissipative_lz as cf
from ..core.baths import OhmicBath
from ..core.operators import SX, SZ
from ..errors import ValidityWarning
from ..solve.adiabatic import validity_timescales
from ..solve.ode import ODEOptions

__all__ = ["evolve_lab", "local", "validity", "bath_of"]


def local(U: np.ndarray, rho: np.ndarray) -> np.ndarray:
    """(U (x) 1) rho (U (x) 1)^dag for U (B, [T,] 2, 2), rho (B, [T,] 4, 4)."""
    U4 = np.einsum("...ab,cd->...acbd", U, np.eye(2)).reshape(*U.shape[:-2], 4, 4)
    return U4 @ rho @ np.conj(np.swapaxes(U4, -1, -2))


def bath_of(p: dict[str, np.ndarray], eta: np.ndarray | None = None) -> OhmicBath:
    """The Ohmic bath of Eqs. (4), (11)–(13): J = eta w e^{-w/wc} (eta = lambda² unless given),
    modes up to wmax (inf: none)."""
    wmax = p["wmax"]
    wm = None if np.all(np.isinf(wmax)) else wmax
    return OhmicBath(p["lam"] ** 2 if eta is None else eta, p["wc"], p["T"], wmax=wm)


def evolve_lab(p: dict[str, np.ndarray], times: np.ndarray, options: ODEOptions,
               rho0: np.ndarray) -> tuple[np.ndarray, Any]:
    """rho~_SR(t) (B, T, 4, 4) from the general adiabatic master equation (Eq. 8) in the lab
    frame, rotated by R(t) (Eq. 34); ``rho0`` (B, 4, 4) is rho~_SR at ``times[0]``.

    This is :func:`openlz.amesolve` on the pair: H_S(t) (x) 1 and A (x) 1 (the idle reference
    qubit doubles every level, and the degenerate spectrum gives exactly L_t (x) id, Eq. 35),
    bath ``OhmicBath(lambda², wc, T, wmax)`` (Eqs. 4, 11–13)."""
    from ..api.amesolve import amesolve

    Delta, v, theta = p["Delta"], p["v"], p["theta"]
    R0 = cf.rotation(np.full(Delta.shape, float(times[0])), Delta, v)
    rho0 = local(np.conj(np.swapaxes(R0, -1, -2)), rho0)
    one = np.eye(2)
    A = 0.5 * (np.cos(theta)[:, None, None] * SZ + np.sin(theta)[:, None, None] * SX)
    A4 = np.einsum("bij,kl->bikjl", A, one).reshape(-1, 4, 4)
    out = np.empty((Delta.size, times.size, 4, 4), dtype=complex)
    stats: dict[str, Any] = {"accepted": 0, "rejected": 0}
    HX4, HZ4 = np.kron(SX, one), np.kron(SZ, one)
    opts = {"rtol": options.rtol, "atol": options.atol, "progress_bar": False,
            "validity_points": 2}
    for flag in (True, False):   # at most two groups: Lamb shift on / off
        idx = np.flatnonzero(p["lamb_shift"].astype(bool) == flag)
        if idx.size == 0:
            continue
        D, vv = Delta[idx], v[idx]
        bath = bath_of({k: val[idx] for k, val in p.items()})

        def H(t: float, D: np.ndarray = D, vv: np.ndarray = vv) -> np.ndarray:
            return D[:, None, None] * HX4 + (vv * t)[:, None, None] * HZ4

        with warnings.catch_warnings():      # the model reports Eq. (15) itself (validity)
            warnings.simplefilter("ignore", ValidityWarning)
            res = amesolve(H, rho0[idx], times, [(A4[idx], bath)], lamb_shift=flag,
                           options=opts)
        R = cf.rotation(times[None, :], D[:, None], vv[:, None])
        out[idx] = local(R, res.states)
        stats["accepted"] += res.stats["n_accepted"]
        stats["rejected"] += res.stats["n_rejected"]
    return out, stats


def validity(p: dict[str, np.ndarray], times: np.ndarray) -> dict[str, Any]:
    """Eq. (15) checked with tau_S, tau_R, tau_A (Eqs. 16–18) on 1001 points of the run; a
    ValidityWarning per failed inequality."""
    Delta, v = p["Delta"], p["v"]
    bath = bath_of(p)

    def H(t: float) -> np.ndarray:
        return Delta[:, None, None] * SX + (v * t)[:, None, None] * SZ

    grid = np.linspace(float(times[0]), float(times[-1]), 1001) if times.size > 1 else times
    rep = validity_timescales(H, bath.gamma, grid)
    if not np.all(rep.holds):
        for msg in rep.violations():
            warnings.warn(f"dissipative-lz: {msg}; the Markov master equation of Eq. (8) "
                          "may not apply", ValidityWarning, stacklevel=4)
    return rep.as_dict()
