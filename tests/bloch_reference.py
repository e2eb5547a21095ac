"""Independent reference for paper 001's two-level dephasing model (tests only).

Written from the paper's equations, sharing no code with ``openlz``.  The Lindblad equation
eps d rho/ds = -i[H_s, rho] - (gamma_s/2)[sqrt H_s, [sqrt H_s, rho]] with H_s = (b . sigma)/2,
b = (g, 0, s) (Eqs. 3.1-3.5), for the *lab-frame* Bloch vector r = tr(rho sigma):

    eps dr/ds = b x r - gamma_s |b| (r - (n . r) n),      n = b/|b|,

since sqrt H = sqrt(|b|/2) n.sigma and [n.sigma, [n.sigma, sigma_perp]] = 4 sigma_perp.
Transition probability p = tr(P+_S rho(S)) = (1 + n(S) . r(S))/2 from r(-S) = -n(-S).

Window [-S, S]: Gragg-Bulirsch-Stoer extrapolation (modified midpoint rule, Aitken-Neville in
h^2) in ``np.longdouble``.  All coefficients are rational, so nothing is rounded to double;
steps are a fixed fraction of a radian of the local precession.  On request a second run at half the step
gives the reference's own error estimate (~1e-17).

Tails (for s_max -> inf, gamma > 0): in the adiabatic frame r = u n + v e1 + w e2
(e1 = dn/dtheta, e2 = (0, 1, 0), theta = atan2(g, s)),

    u' = theta' v,  v' = -theta' u - (|b|/eps)(w + gamma v),  w' = (|b|/eps)(v - gamma w),

integrated by scipy's Radau (L-stable: the free coherence is damped, the slaved one is smooth)
on (-s_far, -S] from the lower eigenstate and on [S, s_far) from the window's end state;
beyond s_far = 1e4 the incoherent rate ~ eps gamma g^2 / s^5 leaves < 1e-18.
"""

from __future__ import annotations

import numpy as np
from scipy.integrate import solve_ivp

LD = np.longdouble


def _gamma(gamma, s):  # noqa: ANN001, ANN202
    return gamma(s) if callable(gamma) else gamma


def _lab_rhs(s, r, g, eps, gamma):  # noqa: ANN001, ANN202
    bx, bz = g, s
    nb = np.sqrt(bx * bx + bz * bz)
    x, y, z = r[..., 0], r[..., 1], r[..., 2]
    nr = (bx * x + bz * z) / nb
    gm = _gamma(gamma, s)
    dx = -bz * y - gm * (nb * x - nr * bx)
    dy = bz * x - bx * z - gm * nb * y
    dz = bx * y - gm * (nb * z - nr * bz)
    return np.stack([dx, dy, dz], -1) / eps[..., None]


def _gbs_step(f, s, y, h, k):  # noqa: ANN001, ANN202
    """One extrapolated step of size h (B,) with substeps 2, 4, ..., 2k (order 2k)."""
    ns = [2 * (j + 1) for j in range(k)]
    table = []
    for j, n in enumerate(ns):
        hh = (h / n)[..., None]
        z0, z1 = y, y + hh * f(s, y)
        for m in range(1, n):
            z0, z1 = z1, z0 + 2 * hh * f(s + m * hh[..., 0], z1)
        table.append(0.5 * (z0 + z1 + hh * f(s + h, z1)))
        for i in range(j - 1, -1, -1):
            ratio = (LD(ns[j]) / LD(ns[i])) ** 2
            table[i] = table[i + 1] + (table[i + 1] - table[i]) / (ratio - 1)
    return table[0]


def _window(eps, g, gamma, s0, s1, r0, radians, k=8):  # noqa: ANN001, ANN202
    """Lab-frame Bloch vector at s1 from r0 at s0 (all (B,), r0 (B, 3)), longdouble."""
    def f(s, y):  # noqa: ANN001, ANN202
        return _lab_rhs(s, y, g, eps, gamma)

    gmax = np.max(np.abs(_gamma(gamma, np.linspace(-1, 1, 201)[:, None] * np.abs(s0))), axis=0) \
        if callable(gamma) else np.abs(gamma)
    s, r = s0.copy(), r0.copy()
    while np.any(s < s1):
        rate = np.hypot(s, g) * np.sqrt(1 + gmax ** 2) / eps
        h = np.minimum(np.minimum(radians / rate, 0.05 * np.hypot(s, g)), s1 - s)
        r = _gbs_step(f, s, r, h, k)
        s = s + h
    return r


def _unit(s, g):  # noqa: ANN001, ANN202
    nb = np.hypot(s, g)
    return np.stack([g / nb, np.zeros_like(nb), s / nb], -1)


def window_probability(eps, g, gamma, s_max, radians=0.8, check=False):  # noqa: ANN001, ANN201
    """p = tr(P+_S U(S, -S) P-_{-S}) as float64 (B,); eps, g, s_max broadcast, gamma a number,
    array or vectorised callable gamma(s).  With ``check``, also |p(radians) - p(radians/2)|,
    the reference's own error estimate (~1e-17 at the default 0.8 rad per step)."""
    eps, g, s_max = (np.asarray(a, dtype=LD) for a in np.broadcast_arrays(eps, g, s_max))
    eps, g, s_max = (np.atleast_1d(a) for a in (eps, g, s_max))
    gam = gamma if callable(gamma) else np.broadcast_to(np.asarray(gamma, dtype=LD), eps.shape)
    r0 = -_unit(-s_max, g)
    out = []
    for rad in ((radians, radians / 2) if check else (radians,)):
        r1 = _window(eps, g, gam, -s_max, s_max, r0, LD(rad))
        out.append((1 + np.sum(_unit(s_max, g) * r1, axis=-1)) / 2)
    p = np.asarray(out[-1], float)
    return (p, np.asarray(np.abs(out[1] - out[0]), float)) if check else p


def _adiabatic_rhs(eps, g, gamma, u_ref):  # noqa: ANN001, ANN202
    """RHS for (du, v, w), u = u_ref + du: the tolerance then applies to the increment du."""
    def rhs(s, y):  # noqa: ANN001, ANN202
        du, v, w = y
        th = -g / (s * s + g * g)
        om = np.hypot(s, g) / eps
        gm = float(_gamma(gamma, np.asarray(s)))
        return [th * v, -th * (u_ref + du) - om * (w + gm * v), om * (v - gm * w)]
    return rhs


def _adiabatic_jac(eps, g, gamma):  # noqa: ANN001, ANN202
    def jac(s, y):  # noqa: ANN001, ANN202
        th = -g / (s * s + g * g)
        om = np.hypot(s, g) / eps
        gm = float(_gamma(gamma, np.asarray(s)))
        return [[0.0, th, 0.0], [-th, -om * gm, -om], [0.0, om, -om * gm]]
    return jac


def _tail(eps, g, gamma, s0, s1, y0):  # noqa: ANN001, ANN202
    """(u, v, w) at s1 from y0 at s0 by Radau (rtol 1e-13 on the increment of u)."""
    sol = solve_ivp(_adiabatic_rhs(eps, g, gamma, y0[0]), (s0, s1), [0.0, y0[1], y0[2]],
                    method="Radau", jac=_adiabatic_jac(eps, g, gamma), rtol=1e-13, atol=1e-22)
    assert sol.success, sol.message
    du, v, w = sol.y[:, -1]
    return du, v, w


def limit_probability(eps: float, g: float, gamma, s_max: float = 8.0,  # noqa: ANN001
                      s_far: float = 1e4) -> float:
    """p for s_max -> inf (Eq. 2.8, T -> inf): Radau tails + lab-frame window (gamma > 0)."""
    du, v, w = _tail(eps, g, gamma, -s_far, -s_max, [-1.0, 0.0, 0.0])
    # adiabatic -> lab frame at -S: r = u n + v e1 + w e2, e1 = (cos th, 0, -sin th)
    n = _unit(np.asarray(-s_max, dtype=LD), LD(g))
    e1 = np.array([n[2], 0.0, -n[0]], dtype=LD)
    r0 = ((LD(du) - 1) * n + LD(v) * e1 + LD(w) * np.array([0, 1, 0], dtype=LD))[None, :]
    one = np.ones(1, dtype=LD)
    gam = gamma if callable(gamma) else LD(gamma) * one
    r1 = _window(LD(eps) * one, LD(g) * one, gam, -LD(s_max) * one, LD(s_max) * one, r0,
                 LD(0.2))[0]
    n = _unit(np.asarray(s_max, dtype=LD), LD(g))
    e1 = np.array([n[2], 0.0, -n[0]], dtype=LD)
    q_s = (1 + n @ r1) / 2
    du = _tail(eps, g, gamma, s_max, s_far, [float(n @ r1), float(e1 @ r1), float(r1[1])])[0]
    return float(q_s + LD(du) / 2)
