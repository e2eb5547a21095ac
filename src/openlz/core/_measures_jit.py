"""Compiled (numba) per-state kernels of :func:`openlz.core.measures.concurrence` and
:func:`openlz.core.measures.negativity`.

Imported only through :func:`openlz.core.measures._jit_kernels` (numba imported lazily).
numba is optional: the ``fast`` extra (``pip install "openlz[fast]"``; the ``test`` and ``bench``
extras include it).  Without it, with ``OPENLZ_NUMBA=0``, or for batches below
``openlz.core.measures._JIT_MIN_BATCH`` states, the measures use their numpy routes, which
compute the same quantities by the same formulas (tests/test_measures_jit.py checks that both
routes agree to 1e-14 and match QuTiP to 1e-11).

Why a compiled kernel: both measures are a few hundred flops per 4 x 4 state.  The numpy
routes evaluate them on batch-last arrays (one array pass per operation), so they are bound
by memory traffic and temporaries (~1 us per state for the concurrence); one loop over the
states that keeps each state in registers is what reaches the issue-13 targets (>= 200x and
>= 300x QuTiP's per-state functions).

Each kernel returns the value and a flag per state; flagged states (the error estimate of the
fast route is above its bound: rank-deficient, near-pure, near-degenerate or unphysical input)
are computed by the exact numpy fallback, exactly as on the numpy route.  The arithmetic is
the numpy route's, state by state:

* concurrence: the X-state closed form (:func:`openlz.core._concurrence_poly.concurrence_x`),
  otherwise the characteristic-polynomial route
  (:func:`openlz.core._concurrence_poly.concurrence_poly`);
* negativity: :func:`openlz.core.measures._negativity_block` (power sums of the partial
  transpose, Descartes' rule, Laguerre for the one negative root).
"""

from __future__ import annotations

__all__ = ["concurrence_kernel", "negativity_kernel"]

import numpy as np
from numba import njit

_EPS = float(np.finfo(float).eps)
_jit = njit(cache=True, error_model="numpy", nogil=True)
_inline = njit(cache=True, error_model="numpy", nogil=True, inline="always")


@_inline
def _pos(x):
    """max(x, 0) as a select (keeps loops vectorisable)."""
    return x if x > 0.0 else 0.0


@_inline
def _quartic(x, c1, c2, c3, c4):
    px = (((x - c1) * x + c2) * x - c3) * x + c4
    dp = ((4 * x - 3 * c1) * x + 2 * c2) * x - c3
    return px, dp


@_inline
def _largest_root4(c1, c2, c3, c4, x):
    """Largest root of x^4 - c1 x^3 + c2 x^2 - c3 x + c4 (real roots) from an upper bound x:
    five Laguerre steps and a Newton step (``_largest_root`` of the numpy route; branch-free
    so that the loop over a block of states vectorises).  Returns (root, last step)."""
    for _ in range(5):
        px, dp = _quartic(x, c1, c2, c3, c4)
        d2p = (12 * x - 6 * c1) * x + 2 * c2
        g = dp / px
        hh = g * g - d2p / px
        step = 4.0 / (g + np.sqrt(_pos(3 * (4 * hh - g * g))))
        x = x - step if px != 0 else x
    px, dp = _quartic(x, c1, c2, c3, c4)
    dx = px / dp if dp != 0 else 0.0
    return x - dx, dx


@_inline
def _largest_root3(c1, c2, c3, x):
    """Largest root of x^3 - c1 x^2 + c2 x - c3 (real roots) from an upper bound x."""
    for _ in range(5):
        px = ((x - c1) * x + c2) * x - c3
        dp = (3 * x - 2 * c1) * x + c2
        d2p = 6 * x - 2 * c1
        g = dp / px
        hh = g * g - d2p / px
        step = 3.0 / (g + np.sqrt(_pos(2 * (3 * hh - g * g))))
        x = x - step if px != 0 else x
    px = ((x - c1) * x + c2) * x - c3
    dp = (3 * x - 2 * c1) * x + c2
    return x - (px / dp if dp != 0 else 0.0)


@_jit
def _concurrence_x(r):
    """(c, ok) of one state by the X-state closed form; ok False if not a PSD X state."""
    if (r[0, 1] != 0 or r[0, 2] != 0 or r[1, 0] != 0 or r[1, 3] != 0
            or r[2, 0] != 0 or r[2, 3] != 0 or r[3, 1] != 0 or r[3, 2] != 0):
        return 0.0, False
    d0, d1, d2, d3 = r[0, 0].real, r[1, 1].real, r[2, 2].real, r[3, 3].real
    a03, a12 = abs(r[0, 3]), abs(r[1, 2])
    p03, p12 = d0 * d3, d1 * d2
    if not (d0 >= 0 and d1 >= 0 and d2 >= 0 and d3 >= 0 and a03 * a03 <= p03
            and a12 * a12 <= p12):
        return 0.0, False
    c = max(max(a03 - np.sqrt(max(p12, 0.0)), a12 - np.sqrt(max(p03, 0.0))), 0.0)
    return 2 * c, True

@_jit
def _minor_pair(r, a, i, j, k, l):
    """(top * bot, magnitude) of one term of the Laplace expansion of det r in the 2 x 2 minors
    of rows (0, 1) at columns (i, j) and rows (2, 3) at columns (k, l); a = |r| entrywise."""
    top = r[0, i] * r[1, j] - r[0, j] * r[1, i]
    bot = r[2, k] * r[3, l] - r[2, l] * r[3, k]
    mag = (a[0, i] * a[1, j] + a[0, j] * a[1, i]) * (a[2, k] * a[3, l] + a[2, l] * a[3, k])
    return top * bot, mag


@_jit
def _det4(r, a):
    """det of one 4 x 4 matrix and the bound 8 eps sum|terms| on its rounding error (the
    numpy route's ``_det4``); a (4, 4) is scratch for |r| (sqrt(re^2 + im^2): only in the
    bound, no hypot)."""
    for i in range(4):
        for j in range(4):
            z = r[i, j]
            a[i, j] = np.sqrt(z.real * z.real + z.imag * z.imag)
    t, mag = _minor_pair(r, a, 0, 1, 2, 3)
    det = t
    t, m = _minor_pair(r, a, 0, 2, 1, 3)
    det = det - t
    mag = mag + m
    t, m = _minor_pair(r, a, 0, 3, 1, 2)
    det = det + t
    mag = mag + m
    t, m = _minor_pair(r, a, 1, 2, 0, 3)
    det = det + t
    mag = mag + m
    t, m = _minor_pair(r, a, 1, 3, 0, 2)
    det = det - t
    mag = mag + m
    t, m = _minor_pair(r, a, 2, 3, 0, 1)
    det = det + t
    mag = mag + m
    return det, 8 * _EPS * mag


@_jit
def _coefficients(r, k, rt, m, m2, ab):
    """Coefficients of det(x - rho rho~) of one state and their rounding bounds into k (8,):
    e1, e2, e3, e4 (power sums and Newton's identities; e4 = |det rho|^2) and a1, a2, a3, de4
    (16 eps times the magnitudes of the summed terms).  rt, m, m2 complex, ab real (4, 4)
    scratch."""
    for i in range(4):
        si = -1.0 if i == 0 or i == 3 else 1.0
        for j in range(4):
            sj = -1.0 if j == 0 or j == 3 else 1.0
            rt[i, j] = si * sj * np.conj(r[3 - i, 3 - j])
    for i in range(4):
        for j in range(4):
            acc = r[i, 0] * rt[0, j]
            for q in range(1, 4):
                acc += r[i, q] * rt[q, j]
            m[i, j] = acc
    for i in range(4):
        for j in range(4):
            acc = m[i, 0] * m[0, j]
            for q in range(1, 4):
                acc += m[i, q] * m[q, j]
            m2[i, j] = acc
    p1 = (m[0, 0] + m[1, 1] + m[2, 2] + m[3, 3]).real
    p2 = 0.0
    p3 = 0.0
    for i in range(4):
        for j in range(4):
            p2 += m[i, j].real * m[j, i].real - m[i, j].imag * m[j, i].imag
            p3 += m2[i, j].real * m[j, i].real - m2[i, j].imag * m[j, i].imag
    e1 = p1
    e2 = (e1 * p1 - p2) / 2
    e3 = (e2 * p1 - e1 * p2 + p3) / 3
    d, dd = _det4(r, ab)
    e4 = d.real * d.real + d.imag * d.imag
    ad = np.sqrt(e4)
    rr = 16 * _EPS
    k[0], k[1], k[2], k[3] = e1, e2, e3, e4
    k[4] = rr * abs(p1)
    k[5] = rr * (abs(e1 * p1) + abs(p2)) / 2
    k[6] = rr * (abs(e2 * p1) + abs(e1 * p2) + abs(p3)) / 3
    k[7] = 2 * ad * dd + dd * dd


@_inline
def _concurrence_roots(e1, e2, e3, e4, a1, a2, a3, de4, tol):
    """(C, accepted) from the coefficients: the roots and the first-order error estimate of
    ``concurrence_poly`` (numpy route), branch-free."""
    mu1, dx = _largest_root4(e1, e2, e3, e4, e1 * (1 + 4 * _EPS) + 1e-300)
    f1 = e1 - mu1
    f2 = e2 - mu1 * f1
    f3 = e3 - mu1 * f2
    mu2 = _largest_root3(f1, f2, f3, f1 * (1 + 4 * _EPS) + 1e-300)
    g1 = f1 - mu2
    g2 = f2 - mu2 * g1
    disc = g1 * g1 - 4 * g2
    mu3 = (g1 + np.sqrt(_pos(disc))) / 2
    px, dpx = _quartic(mu2, e1, e2, e3, e4)
    st2 = px / dpx if dpx != 0 else 0.0
    px, dpx = _quartic(mu3, e1, e2, e3, e4)
    st3 = px / dpx if dpx != 0 else 0.0
    mu2 = mu2 - st2
    mu3 = mu3 - st3
    mu4 = e4 / (mu1 * mu2 * mu3)
    l1 = np.sqrt(_pos(mu1))
    l2 = np.sqrt(_pos(mu2))
    l3 = np.sqrt(_pos(mu3))
    l4 = np.sqrt(_pos(mu4))
    c = l1 - l2 - l3 - l4
    # mu_i moves by |dp(mu_i)| / |p'(mu_i)| (dp: the coefficients' rounding), sqrt(mu) by that
    # over 2 sqrt(mu); mu4 = e4 / (mu1 mu2 mu3) by the relative errors
    a_1, a_2, a_3 = abs(mu1), abs(mu2), abs(mu3)
    du1 = (((a1 * a_1 + a2) * a_1 + a3) * a_1 + de4) / abs((mu1 - mu2) * (mu1 - mu3) * (mu1 - mu4))
    du2 = ((((a1 * a_2 + a2) * a_2 + a3) * a_2 + de4) / abs((mu2 - mu1) * (mu2 - mu3) * (mu2 - mu4))
           + abs(st2))
    du3 = ((((a1 * a_3 + a2) * a_3 + a3) * a_3 + de4) / abs((mu3 - mu1) * (mu3 - mu2) * (mu3 - mu4))
           + abs(st3))
    err = du1 / (2 * l1) + du2 / (2 * l2) + du3 / (2 * l3)
    rel = de4 / e4 + du1 / a_1 + du2 / a_2 + du3 / a_3
    err = err + l4 * rel / 2
    # accepted: finite, estimate below tol, Laguerre converged, three positive roots
    ok = ((abs(c) < np.inf) & (err < tol) & (abs(dx) <= 1e-12 * (abs(mu1) + 1e-300))
          & (disc > 0) & (mu3 > 0) & (mu4 > 0))
    return _pos(c), 1.0 if ok else 0.0


_CBLOCK = 64


@_jit
def concurrence_kernel(rho, tol):
    """Concurrence of (n, 4, 4) complex states and the flags of states needing the exact route.

    Per block of 64 states: X states by the closed form; the others' polynomial coefficients,
    then their roots in one branch-free loop over the block (vectorised by LLVM)."""
    n = rho.shape[0]
    out = np.zeros(n)
    need = np.zeros(n, dtype=np.bool_)
    rt = np.empty((4, 4), dtype=np.complex128)
    m = np.empty((4, 4), dtype=np.complex128)
    m2 = np.empty((4, 4), dtype=np.complex128)
    ab = np.empty((4, 4))
    k = np.empty((8, _CBLOCK))
    kk = np.empty(8)
    which = np.empty(_CBLOCK, dtype=np.int64)
    cs = np.empty(_CBLOCK)
    oks = np.empty(_CBLOCK)
    for start in range(0, n, _CBLOCK):
        cnt = 0
        for b in range(start, min(start + _CBLOCK, n)):
            c, ok = _concurrence_x(rho[b])
            if ok:
                out[b] = c
            else:
                _coefficients(rho[b], kk, rt, m, m2, ab)
                for q in range(8):
                    k[q, cnt] = kk[q]
                which[cnt] = b
                cnt += 1
        for j in range(cnt):
            cs[j], oks[j] = _concurrence_roots(k[0, j], k[1, j], k[2, j], k[3, j], k[4, j],
                                               k[5, j], k[6, j], k[7, j], tol)
        for j in range(cnt):
            out[which[j]] = cs[j]
            need[which[j]] = oks[j] == 0.0
    return out, need


@_jit
def negativity_kernel(rho, subsystem):
    n = rho.shape[0]
    out = np.zeros(n)
    need = np.zeros(n, dtype=np.bool_)
    pt = np.empty((4, 4), dtype=np.complex128)
    h = np.empty((4, 4), dtype=np.complex128)
    h2 = np.empty((4, 4), dtype=np.complex128)
    tol = 16 * _EPS
    for b in range(n):
        r = rho[b]
        # partial transpose: rho[(a, b), (c, d)] -> (a, d), (c, b) for subsystem 1,
        # (c, b), (a, d) for subsystem 0
        for a in range(2):
            for bb in range(2):
                for cc in range(2):
                    for dd in range(2):
                        if subsystem == 1:
                            pt[2 * a + bb, 2 * cc + dd] = r[2 * a + dd, 2 * cc + bb]
                        else:
                            pt[2 * a + bb, 2 * cc + dd] = r[2 * cc + bb, 2 * a + dd]
        for i in range(4):
            for j in range(4):
                h[i, j] = 0.5 * (pt[i, j] + np.conj(pt[j, i]))
        for i in range(4):
            for j in range(4):
                acc = h[i, 0] * h[0, j]
                for k in range(1, 4):
                    acc += h[i, k] * h[k, j]
                h2[i, j] = acc
        p1 = (h[0, 0] + h[1, 1] + h[2, 2] + h[3, 3]).real
        p2 = (h2[0, 0] + h2[1, 1] + h2[2, 2] + h2[3, 3]).real
        p3 = 0.0
        p4 = 0.0
        for i in range(4):
            for j in range(4):
                p3 += (h2[i, j] * h[j, i]).real
                p4 += (h2[i, j] * np.conj(h2[i, j])).real
        e1 = p1
        e2 = (e1 * p1 - p2) / 2
        e3 = (e2 * p1 - e1 * p2 + p3) / 3
        e4 = (e3 * p1 - e2 * p2 + e1 * p3 - p4) / 4
        m1 = abs(p1)
        m2 = (abs(e1 * p1) + abs(p2)) / 2
        m3 = (abs(e2 * p1) + abs(e1 * p2) + abs(p3)) / 3
        m4 = (abs(e3 * p1) + abs(e2 * p2) + abs(e1 * p3) + abs(p4)) / 4
        if e1 > tol * m1 and e2 > tol * m2 and e3 > tol * m3 and e4 > tol * m4:
            out[b] = 0.0
            continue
        if not e4 < -tol * m4:
            need[b] = True
            continue
        x = -1.01 * np.sqrt(max(p2, 0.0)) - 1e-300
        for _ in range(12):
            px = (((x - e1) * x + e2) * x - e3) * x + e4
            dp = ((4 * x - 3 * e1) * x + 2 * e2) * x - e3
            d2p = (12 * x - 6 * e1) * x + 2 * e2
            g = dp / px
            hh = g * g - d2p / px
            if px != 0:
                x = x - 4.0 / (g - np.sqrt(max(3 * (4 * hh - g * g), 0.0)))
        px = (((x - e1) * x + e2) * x - e3) * x + e4
        dp = ((4 * x - 3 * e1) * x + 2 * e2) * x - e3
        dx = px / dp if dp != 0 else 0.0
        x = x - dx
        ax = abs(x)
        err = tol * ((((ax + m1) * ax + m2) * ax + m3) * ax + m4) / abs(dp)
        f1 = e1 - x
        f2 = e2 - x * f1
        f3 = e3 - x * f2
        if (np.isfinite(x) and x < 0 and err < 1e-13 and abs(dx) < 1e-12
                and f1 >= -1e-12 and f2 >= -1e-12 and f3 >= -1e-12):
            out[b] = -x
        else:
            need[b] = True
    return out, need
