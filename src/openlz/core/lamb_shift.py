"""Lamb shifts S(w) of bosonic baths: T = 0 closed forms and a fast interpolation table.

S(w) = P int dnu K(nu) / (w - nu), K = J (1 + n) (paper 000, appendix A: the imaginary part
of Gamma(w), Eq. (A1)); the quadrature itself is :meth:`openlz.core.baths.Bath.lamb_shift`.

* Closed forms at T = 0 for the Ohmic spectral densities, with an optional upper frequency
  wmax of the bath modes (paper 000, Eq. (4)); derivations in the docstrings.
* :class:`LambShiftTable`: S on a frequency range, for use inside an ODE right-hand side.
  Built in u = log|w| (S is analytic in u; its w log|w| behaviour at w = 0 is sent to
  u -> -inf): a Chebyshev interpolant whose degree is doubled until it matches direct
  quadrature at the midpoints, then resampled as a uniform cubic spline in u so that one
  evaluation costs a handful of numpy operations whatever the degree.  Below the range,
  0 < |w| < lo, S is bridged linearly to S(0); a frequency above it extends the table once to
  1.5 |w| (counted in ``n_extended``) — a table never refuses a frequency.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.special as sps
from scipy.interpolate import CubicSpline

if TYPE_CHECKING:
    from .baths import Bath

__all__ = ["lamb_shift_ohmic_exponential_t0", "lamb_shift_ohmic_drude_t0", "LambShiftTable",
           "build_lamb_shift_table"]


def _exp_ei(x: np.ndarray) -> np.ndarray:
    """e^{-x} Ei(x) without overflow (returns 0 at x = 0, where callers multiply by w = 0):
    direct for |x| <= 500, else the asymptotic series (1/x) sum_k k!/x^k (25 terms)."""
    x = np.asarray(x, dtype=float)
    small = np.abs(x) <= 500
    if np.all(small) and np.all(x != 0):
        return np.exp(-x) * sps.expi(x)
    xs = np.where(small & (x != 0), x, 1.0)
    direct = np.exp(-xs) * sps.expi(xs)
    xl = np.where(small, 1000.0, x)
    term, acc = np.ones_like(xl), np.ones_like(xl)
    for k in range(1, 25):
        term = term * k / xl
        acc = acc + term
    return np.where(x == 0, 0.0, np.where(small, direct, acc / xl))


def lamb_shift_ohmic_exponential_t0(omega: np.ndarray, eta: float | np.ndarray,
                                    wc: float | np.ndarray,
                                    wmax: float | np.ndarray | None = None) -> np.ndarray:
    """T = 0 Lamb shift of J = eta w e^{-w/wc} (modes up to ``wmax``, paper 000 Eq. (4)).

    S(w) = P int_0^M dnu J(nu)/(w - nu).  With nu/(w - nu) = -1 + w/(w - nu) and
    e^{-nu/a}/(w - nu) = -e^{-w/a} d/dnu Ei((w - nu)/a):

        S(w) = -eta a (1 - e^{-M/a}) + eta w e^{-w/a} [Ei(w/a) - Ei((w - M)/a)],   a = wc,

    which for M = inf is -eta wc + eta w e^{-w/wc} Ei(w/wc) (any real w; S(0) = -eta wc).
    S diverges logarithmically at w = +-M, where J jumps.  Shapes broadcast.
    """
    w = np.asarray(omega, dtype=float)
    x = w / wc
    if wmax is None:
        return eta * (w * _exp_ei(x) - wc)
    M = np.asarray(wmax, dtype=float)
    eM = np.exp(-M / wc)
    # e^{-w/a} Ei((w - M)/a) = e^{-M/a} e^{-(w-M)/a} Ei((w - M)/a)
    with np.errstate(divide="ignore", invalid="ignore"):
        tail = eM * _exp_ei((w - M) / wc)
    return eta * (w * (_exp_ei(x) - tail) - wc * (1 - eM))


def lamb_shift_ohmic_drude_t0(omega: np.ndarray, eta: float | np.ndarray,
                              wc: float | np.ndarray,
                              wmax: float | np.ndarray | None = None) -> np.ndarray:
    """T = 0 Lamb shift of J = eta w/(1 + w²/wc²) (modes up to ``wmax``).

    Partial fractions, a = wc, C = w/(a² + w²):
    nu/((a² + nu²)(w - nu)) = (C nu + C w - 1)/(a² + nu²) + C/(w - nu), so

        S(w) = eta a² [C (ln(1 + M²/a²)/2 + (w/a) atan(M/a) + ln|w/(w - M)|) - atan(M/a)/a],

    which for M = inf is eta [a² w ln(|w|/a) - pi a³/2]/(a² + w²) (S(0) = -pi eta a/2)."""
    w = np.asarray(omega, dtype=float)
    a = wc
    with np.errstate(divide="ignore", invalid="ignore"):
        lw = np.where(w == 0, 0.0, w * np.log(np.abs(np.where(w == 0, 1.0, w)) / a))
    if wmax is None:
        return eta * (a**2 * lw - 0.5 * np.pi * a**3) / (a**2 + w**2)
    M = np.asarray(wmax, dtype=float)
    at = np.arctan(M / a)
    with np.errstate(divide="ignore", invalid="ignore"):
        lr = np.where(w == 0, 0.0, w * np.log(np.abs(np.where(w == 0, 1.0, w) / (w - M))))
    C = 1.0 / (a**2 + w**2)
    return eta * a**2 * (C * (0.5 * w * np.log1p((M / a) ** 2) + w**2 * at / a + lr) - at / a)


# --------------------------------------------------------------------------- the table
def _lead(p: np.ndarray | float, w: np.ndarray) -> np.ndarray:
    p = np.asarray(p, dtype=float)
    return p.reshape(p.shape + (1,) * (np.ndim(w) - p.ndim)) if p.ndim else p


class LambShiftTable:
    """S(w) of one bath, fast to evaluate; see the module docstring and
    :func:`build_lamb_shift_table`.

    Attributes
    ----------
    lo, hi : (*S,) tabulated range lo <= |w| <= hi (both signs).
    rel_error : largest |table - quadrature| / max |S| measured at the check points.
    degree : Chebyshev degree reached; ``knots``: cubic-spline knots per sign.
    n_extended : how often a frequency above ``hi`` made the table rebuild itself up to
        1.5 |w| (``hi0``: the range it was built for first).
    """

    def __init__(self, bath: Bath, lo: np.ndarray, hi: np.ndarray, spl_pos: np.ndarray,
                 spl_neg: np.ndarray, u0: np.ndarray, du: np.ndarray, s0: np.ndarray,
                 degree: int, rel_error: float, rtol: float = 1e-10):
        self.bath, self.lo, self.hi, self.rtol = bath, lo, hi, rtol
        self.hi0 = hi
        self.n_extended = 0
        k = spl_pos.shape[-2]
        # one array of Horner coefficients: [sign (0: w >= 0, 1: w < 0), batch, knot, power]
        self._coef = np.stack([spl_pos.reshape(-1, k, 4), spl_neg.reshape(-1, k, 4)])
        self._u0, self._du, self.s0 = u0, du, s0
        self.degree, self.rel_error = degree, rel_error
        self.knots = k + 1
        self._bidx = np.arange(int(np.prod(lo.shape))).reshape(lo.shape)

    def __call__(self, w: np.ndarray) -> np.ndarray:
        """S at w of shape (*S, ...) (batch parameters on the leading axes)."""
        w = np.asarray(w, dtype=float)
        aw = np.abs(w)
        scalar = self.lo.ndim == 0
        if scalar:                       # one bath: plain floats, no batch gather
            lo, hi, u0, du, bi = float(self.lo), float(self.hi), float(self._u0), \
                float(self._du), 0
            if aw.size and float(aw.max()) > hi * (1 + 1e-12):
                self._extend(1.5 * float(aw.max()))
                return self(w)
        else:
            lo, hi = _lead(self.lo, w), _lead(self.hi, w)
            if np.any(aw > hi * (1 + 1e-12)):
                self._extend(1.5 * float(np.max(aw)))
                return self(w)
            u0, du = _lead(self._u0, w), _lead(self._du, w)
            b = self._bidx
            bi = b.reshape(b.shape + (1,) * (w.ndim - b.ndim))
        x = (np.log(np.minimum(np.maximum(aw, lo), hi)) - u0) / du
        k = self._coef.shape[-2]
        i = np.minimum(x.astype(np.intp), k - 1)             # x >= 0: truncation = floor
        d = (x - i) * du
        c = self._coef[(w < 0).astype(np.intp), bi, i]       # (..., 4)
        s = ((c[..., 0] * d + c[..., 1]) * d + c[..., 2]) * d + c[..., 3]
        below = aw < lo
        if np.any(below):   # linear bridge between S(0) and S(+-lo)
            s0 = float(self.s0) if scalar else _lead(self.s0, w)
            s = np.where(below, s0 + (s - s0) * aw / lo, s)
        return s

    def _extend(self, hi: float) -> None:
        new = build_lamb_shift_table(self.bath, self.lo, np.maximum(self.hi, hi), self.rtol)
        hi0, count = self.hi0, self.n_extended + 1
        self.__dict__.update(new.__dict__)
        self.hi0, self.n_extended = hi0, count


def _cheb_fit(bath: Bath, lo_l: np.ndarray, hi_l: np.ndarray, degree: int, bshape: tuple
              ) -> tuple[np.ndarray, np.ndarray]:
    k = np.arange(degree + 1)
    u = np.cos(np.pi * (k + 0.5) / (degree + 1))   # Chebyshev points of the first kind
    wpos = np.exp(0.5 * (lo_l + hi_l) + 0.5 * (hi_l - lo_l) * u)
    # nodes at the quadrature's refined level; the check points below use the converged
    # quadrature (with its own refinement check), so the table is verified against it
    s = bath._lamb_shift_quad(np.concatenate([wpos, -wpos], axis=-1), 1)
    vander = np.polynomial.chebyshev.chebvander(u, degree)
    out = []
    for part in (s[..., : degree + 1], s[..., degree + 1:]):
        c = np.linalg.solve(vander, np.moveaxis(part, -1, 0).reshape(degree + 1, -1))
        out.append(c.reshape(degree + 1, *bshape))
    return out[0], out[1]


def _cheb_eval(coef: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Chebyshev series with coefficients (deg+1, *S) at x (*S, P)."""
    return np.polynomial.chebyshev.chebval(x, coef[..., None], tensor=False)


def build_lamb_shift_table(bath: Bath, lo: np.ndarray | float, hi: np.ndarray | float,
                           rtol: float = 1e-10, max_degree: int = 512) -> LambShiftTable:
    """Tabulate S of ``bath`` on lo <= |w| <= hi; see :class:`LambShiftTable`.

    The Chebyshev degree starts at 96 and doubles until the interpolant matches direct
    quadrature at every other midpoint between the nodes to ``rtol`` x max |S| (or ``max_degree`` is
    reached: ``rel_error`` then says what was met); the cubic spline in u uses enough knots
    to reproduce the Chebyshev interpolant to the same tolerance.  Batch parameters of the
    bath (shape S) broadcast with lo and hi.
    """
    lo = np.asarray(lo, dtype=float)
    hi = np.asarray(hi, dtype=float)
    bshape = np.broadcast_shapes(lo.shape, hi.shape, bath.batch_shape)
    lo, hi = np.broadcast_to(lo, bshape).copy(), np.broadcast_to(hi, bshape).copy()
    if np.any(~(lo > 0)) or np.any(~(hi > lo)):
        raise ValueError(f"Lamb-shift table: need 0 < lo < hi (got lo = {lo.min()}, hi = "
                         f"{hi.max()})")
    lo_l, hi_l = np.log(lo)[..., None], np.log(hi)[..., None]
    degree = 96
    while True:
        cpos, cneg = _cheb_fit(bath, lo_l, hi_l, degree, bshape)
        # check at the midpoints (in the angle) between the nodes
        km = np.arange(0, degree, 2)
        um = np.cos(np.pi * (km + 1.0) / (degree + 1))
        um_b = np.broadcast_to(um, (*bshape, um.size))
        wm = np.exp(0.5 * (lo_l + hi_l) + 0.5 * (hi_l - lo_l) * um)
        exact = bath.lamb_shift(np.concatenate([wm, -wm], axis=-1), method="quad")
        approx = np.concatenate([_cheb_eval(cpos, um_b), _cheb_eval(cneg, um_b)], axis=-1)
        ref = np.max(np.abs(exact))
        err = float(np.max(np.abs(approx - exact)) / ref) if ref > 0 else 0.0
        if err <= rtol or degree >= max_degree:
            break
        degree *= 2
    s0 = bath.lamb_shift(np.zeros((*bshape, 1)), method="quad")[..., 0]
    # cubic spline in u on a uniform grid, knots doubled until it matches the interpolant
    knots = 256
    while True:
        ug = np.linspace(-1.0, 1.0, knots)
        ub = np.broadcast_to(ug, (*bshape, knots))
        vals = [_cheb_eval(c, ub) for c in (cpos, cneg)]
        splines = [CubicSpline(ug, v, axis=-1) for v in vals]
        umid = 0.5 * (ug[1:] + ug[:-1])
        umb = np.broadcast_to(umid, (*bshape, knots - 1))
        serr = max(float(np.max(np.abs(sp(umid) - _cheb_eval(c, umb)))) for sp, c in
                   zip(splines, (cpos, cneg), strict=True))
        if serr <= rtol * max(ref, 1e-300) or knots >= 65536:
            break
        knots *= 2
    # Horner coefficients in d = u_phys - u_i, u_phys = log|w| = centre + half * u
    half = 0.5 * (hi_l - lo_l)[..., 0]
    coefs = []
    for sp in splines:
        c = np.moveaxis(sp.c, (0, 1), (-1, -2))                 # (*S, K-1, 4) in u
        scale = np.stack([half ** -3, half ** -2, half ** -1, np.ones_like(half)], axis=-1)
        coefs.append(c * scale[..., None, :])
    du = half * (ug[1] - ug[0])
    table = LambShiftTable(bath, lo, hi, coefs[0], coefs[1], np.log(lo), du, s0, degree,
                           max(err, serr / ref if ref > 0 else 0.0), rtol)
    return table


def describe(table: LambShiftTable) -> dict[str, Any]:
    """Metadata of a table (for result stats)."""
    return {"lo": table.lo.tolist(), "hi": table.hi.tolist(), "degree": table.degree,
            "knots": table.knots, "rel_error": table.rel_error, "n_extended": table.n_extended}
