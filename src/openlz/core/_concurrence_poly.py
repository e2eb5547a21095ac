"""Concurrence of two-qubit states from the characteristic polynomial of rho rho~.

Kernel of :func:`openlz.core.measures.concurrence`.  Wootters (PRL 80, 2245 (1998), Eq. 3):
C = max(0, l1 - l2 - l3 - l4), l_i = sqrt(mu_i) decreasing, mu_i the eigenvalues of
M = rho rho~, rho~ = (sy x sy) rho* (sy x sy).  The mu_i are real and >= 0 (M is similar to
sqrt(rho) rho~ sqrt(rho)), so with p(x) = det(x - M) = x^4 - e1 x^3 + e2 x^2 - e3 x + e4:

* e_k from the power sums tr M^k (Newton's identities; two 4 x 4 products per state);
* mu_1 = the largest root, by Laguerre's method from e1 >= mu_1 (monotone, cubically
  convergent for real-rooted polynomials) and one Newton step;
* the deflated cubic p(x) / (x - mu_1) has roots a, b, c >= 0 with elementary symmetric
  functions s1, s2, s3, and t = sqrt(a) + sqrt(b) + sqrt(c) is the largest root of
  F(t) = (t² - s1)² - 4 s2 - 8 sqrt(s3) t   (from t² = s1 + 2u, u² = s2 + 2 sqrt(s3) t,
  u = sqrt(ab) + sqrt(bc) + sqrt(ca)), also real-rooted (its roots are the sign patterns
  +-sqrt(a) +- sqrt(b) +- sqrt(c) with an even number of minus signs), found the same way;
* C = max(0, sqrt(mu_1) - t).

Every state also gets a first-order error estimate of C (rounding of the e_k, 16 eps times
the magnitudes of their terms, propagated through both roots); where it exceeds ``tol``
(near-degenerate largest root, tiny s3 where sqrt amplifies rounding, rank-deficient or
unphysical input) the state is returned in ``need_exact`` for the exact route.
"""

from __future__ import annotations

import numpy as np

__all__ = ["concurrence_poly", "concurrence_x"]

_EPS = float(np.finfo(float).eps)
_YFLIP = np.array([3, 2, 1, 0])
_YSS = np.outer([-1.0, 1.0, 1.0, -1.0], [-1.0, 1.0, 1.0, -1.0])


def _largest_root(c1: np.ndarray, c2: np.ndarray, c3: np.ndarray, c4: np.ndarray,
                  x: np.ndarray, iters: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Largest root of x^4 - c1 x^3 + c2 x^2 - c3 x + c4 (all roots real) from an upper
    bound ``x``: Laguerre iterations, then a Newton step.  Returns (root, p'(root), last step)."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for _ in range(iters):
            px = (((x - c1) * x + c2) * x - c3) * x + c4
            dp = ((4 * x - 3 * c1) * x + 2 * c2) * x - c3
            d2p = (12 * x - 6 * c1) * x + 2 * c2
            g = dp / px
            hh = g * g - d2p / px
            step = 4.0 / (g + np.sqrt(np.maximum(3 * (4 * hh - g * g), 0.0)))
            x = np.where(px == 0, x, x - step)
        px = (((x - c1) * x + c2) * x - c3) * x + c4
        dp = ((4 * x - 3 * c1) * x + 2 * c2) * x - c3
        dx = np.where(dp != 0, px / dp, 0.0)
        return x - dx, dp, dx


def _largest_root3(c1: np.ndarray, c2: np.ndarray, c3: np.ndarray, x: np.ndarray,
                   iters: int) -> np.ndarray:
    """Largest root of x^3 - c1 x^2 + c2 x - c3 (all roots real) from an upper bound ``x``
    (Laguerre, then a Newton step)."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for _ in range(iters):
            px = ((x - c1) * x + c2) * x - c3
            dp = (3 * x - 2 * c1) * x + c2
            d2p = 6 * x - 2 * c1
            g = dp / px
            hh = g * g - d2p / px
            step = 3.0 / (g + np.sqrt(np.maximum(2 * (3 * hh - g * g), 0.0)))
            x = np.where(px == 0, x, x - step)
        px = ((x - c1) * x + c2) * x - c3
        dp = (3 * x - 2 * c1) * x + c2
        return x - np.where(dp != 0, px / dp, 0.0)


_PAIRS = ((0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3))
_SIGNS = (1.0, -1.0, 1.0, 1.0, -1.0, 1.0)
_S = (-1.0, 1.0, 1.0, -1.0)


def _det4(r: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """det of 4 x 4 matrices stored batch-last, r (4, 4, b), by Laplace expansion in the
    2 x 2 minors of rows (0, 1) and (2, 3), and a bound on its rounding error (8 eps times
    the sum of the terms' magnitudes)."""
    r0, r1, r2, r3 = r
    b0, b1, b2, b3 = np.abs(r)
    det = 0.0
    mag = 0.0
    for (i, j), sg in zip(_PAIRS, _SIGNS, strict=True):
        k, l = (c for c in range(4) if c not in (i, j))
        top = r0[i] * r1[j] - r0[j] * r1[i]
        bot = r2[k] * r3[l] - r2[l] * r3[k]
        det = det + (top * bot if sg > 0 else -(top * bot))
        mag = mag + (b0[i] * b1[j] + b0[j] * b1[i]) * (b2[k] * b3[l] + b2[l] * b3[k])
    return det, 8 * _EPS * mag


def _matmul4(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(4, 4, n) @ (4, 4, n) batch-last: four broadcast multiply-adds over contiguous rows."""
    out = a[:, 0, None, :] * b[None, 0]
    for k in range(1, 4):
        out += a[:, k, None, :] * b[None, k]
    return out


def _tr_prod_re(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Re tr(a b) for (4, 4, n) batch-last matrices."""
    bt = np.swapaxes(b, 0, 1)
    return (a.real * bt.real - a.imag * bt.imag).sum(axis=(0, 1))


def concurrence_poly(rho: np.ndarray, tol: float = 1e-12) -> tuple[np.ndarray, np.ndarray]:
    """C for Hermitian (b, 4, 4) states and the mask of states needing the exact route.

    Returns ``(c, need_exact)``: c (b,) is valid where ``need_exact`` is False.
    """
    rs = np.ascontiguousarray(np.moveaxis(rho, 0, -1))         # (4, 4, b), batch last
    ss = np.array(_S)
    rts = (ss[:, None] * ss[None, :])[:, :, None] * np.conj(rs[::-1, ::-1])   # rho~
    m = _matmul4(rs, rts)
    m2 = _matmul4(m, m)
    p1 = (m[0, 0] + m[1, 1] + m[2, 2] + m[3, 3]).real
    p2 = _tr_prod_re(m, m)
    p3 = _tr_prod_re(m2, m)
    e1 = p1
    e2 = (e1 * p1 - p2) / 2
    e3 = (e2 * p1 - e1 * p2 + p3) / 3
    # e4 = det M = |det rho|^2 (det rho~ = conj det rho): directly, not from tr M^4, whose
    # Newton identity cancels ~5 digits for typical states
    d, dd = _det4(rs)
    ad = np.abs(d)
    e4 = ad * ad
    de4 = 2 * ad * dd + dd * dd
    # magnitudes of the summed terms: rounding errors of e_k are ~16 eps times these
    r = 16 * _EPS
    a1 = r * np.abs(p1)
    a2 = r * (np.abs(e1 * p1) + np.abs(p2)) / 2
    a3 = r * (np.abs(e2 * p1) + np.abs(e1 * p2) + np.abs(p3)) / 3
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        # roots largest first, deflating after each (stable in that order); the smallest
        # from the product, mu4 = e4 / (mu1 mu2 mu3), keeping the relative accuracy of e4
        mu1, _, dx = _largest_root(e1, e2, e3, e4, e1 * (1 + 4 * _EPS) + 1e-300, 5)
        f1 = e1 - mu1
        f2 = e2 - mu1 * f1
        f3 = e3 - mu1 * f2
        mu2 = _largest_root3(f1, f2, f3, f1 * (1 + 4 * _EPS) + 1e-300, 5)
        g1 = f1 - mu2
        g2 = f2 - mu2 * g1
        disc = g1 * g1 - 4 * g2
        mu3 = (g1 + np.sqrt(np.maximum(disc, 0.0))) / 2
        # polish mu2, mu3 on the original quartic (deflation passes on mu1's rounding)
        steps = []
        for u in (mu2, mu3):
            px = (((u - e1) * u + e2) * u - e3) * u + e4
            dpx = ((4 * u - 3 * e1) * u + 2 * e2) * u - e3
            steps.append(np.where(dpx != 0, px / dpx, 0.0))
        mu2 = mu2 - steps[0]
        mu3 = mu3 - steps[1]
        mu4 = e4 / (mu1 * mu2 * mu3)
        mus = (mu1, mu2, mu3)
        lam = [np.sqrt(np.maximum(u, 0.0)) for u in (mu1, mu2, mu3, mu4)]
        c = lam[0] - lam[1] - lam[2] - lam[3]
        # first-order errors: mu_i moves by |dp(mu_i)| / |p'(mu_i)|, dp the coefficient
        # rounding summed over the terms; sqrt(mu) by that over 2 sqrt(mu)
        err = np.zeros_like(c)
        rel = de4 / e4
        for i, u in enumerate(mus):
            au = np.abs(u)
            dp_abs = ((a1 * au + a2) * au + a3) * au + de4
            dpi = np.ones_like(u)
            for j, w in enumerate((mu1, mu2, mu3, mu4)):
                if j != i:
                    dpi = dpi * (u - w)
            du = dp_abs / np.abs(dpi) + (np.abs(steps[i - 1]) if i else 0.0)
            err = err + du / (2 * lam[i])
            rel = rel + du / au
        err = err + lam[3] * rel / 2
    ok = (np.isfinite(c) & (err < tol) & (np.abs(dx) <= 1e-12 * (np.abs(mu1) + 1e-300))
          & (disc > 0) & (mu3 > 0) & (mu4 > 0))
    return np.maximum(c, 0.0), ~ok


_OFF_X_FLAT = np.array([1, 2, 4, 7, 8, 11, 13, 14])   # (0,1) (0,2) (1,0) (1,3) (2,0) (2,3) (3,1) (3,2)


def concurrence_x(rho: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Concurrence of X states (only the diagonal and the anti-diagonal non-zero) in closed
    form, C = 2 max(0, |rho_03| - sqrt(rho_11 rho_22), |rho_12| - sqrt(rho_00 rho_33))
    (Yu & Eberly, Quantum Inf. Comput. 7, 459 (2007)): the eigenvalues of rho rho~ are
    (sqrt(rho_00 rho_33) +- |rho_03|)^2 and (sqrt(rho_11 rho_22) +- |rho_12|)^2.

    Returns ``(c, is_x)`` for (b, 4, 4); c is valid where ``is_x`` (exact zeros off the X and
    a positive semidefinite X: non-negative diagonal, |rho_03|^2 <= rho_00 rho_33, ...).
    """
    c = np.zeros(rho.shape[0])
    is_x = ~np.any(rho.reshape(-1, 16)[:, _OFF_X_FLAT] != 0, axis=1)
    if not np.any(is_x):
        return c, is_x
    x = rho[is_x]
    d = np.einsum("bii->bi", x).real
    a03, a12 = np.abs(x[:, 0, 3]), np.abs(x[:, 1, 2])
    p03, p12 = d[:, 0] * d[:, 3], d[:, 1] * d[:, 2]
    psd = np.all(d >= 0, axis=1) & (a03 * a03 <= p03) & (a12 * a12 <= p12)
    c[is_x] = 2 * np.maximum(np.maximum(a03 - np.sqrt(np.maximum(p12, 0.0)),
                                        a12 - np.sqrt(np.maximum(p03, 0.0))), 0.0)
    is_x[is_x] = psd
    return c, is_x
