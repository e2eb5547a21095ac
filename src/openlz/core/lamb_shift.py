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
  1.5 |w| (counted in ``n_extended``) — a table never refuses a frequency.  With a finite mode
  cutoff wmax the table is built in three pieces around the logarithmic divergence of S at
  |w| = wmax (see :class:`LambShiftTable`).
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
    fin = np.isfinite(M)
    Mf = np.where(fin, M, 0.0)
    eM = np.where(fin, np.exp(-Mf / wc), 0.0)
    # e^{-w/a} Ei((w - M)/a) = e^{-M/a} e^{-(w-M)/a} Ei((w - M)/a); 0 for M = inf
    with np.errstate(divide="ignore", invalid="ignore"):
        tail = np.where(fin, eM * _exp_ei((w - Mf) / wc), 0.0)
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
    fin = np.isfinite(M)
    Mf = np.where(fin, M, 1.0)
    at = np.arctan(Mf / a)
    with np.errstate(divide="ignore", invalid="ignore"):
        lr = np.where(w == 0, 0.0, w * np.log(np.abs(np.where(w == 0, 1.0, w) / (w - Mf))))
    C = 1.0 / (a**2 + w**2)
    finite = eta * a**2 * (C * (0.5 * w * np.log1p((Mf / a) ** 2) + w**2 * at / a + lr) - at / a)
    return np.where(fin, finite, eta * (a**2 * lw - 0.5 * np.pi * a**3) / (a**2 + w**2))


# --------------------------------------------------------------------------- the table
def _lead(p: np.ndarray | float, w: np.ndarray) -> np.ndarray:
    p = np.asarray(p, dtype=float)
    return p.reshape(p.shape + (1,) * (np.ndim(w) - p.ndim)) if p.ndim else p


class _Segment:
    """One piece of a table: S on |w| = anchor + orient e^u, u in [log d_lo, log d_hi], as a
    uniform cubic spline in u (Horner coefficients ``coef[sign, batch, knot, power]``, sign 0
    for w >= 0, 1 for w < 0)."""

    def __init__(self, anchor: float, orient: float, d_lo: np.ndarray, d_hi: np.ndarray,
                 coef: np.ndarray, u0: np.ndarray, du: np.ndarray, degree: int, err: float):
        self.anchor, self.orient, self.d_lo, self.d_hi = anchor, orient, d_lo, d_hi
        self.coef, self.u0, self.du, self.degree, self.err = coef, u0, du, degree, err

    def __call__(self, w: np.ndarray, aw: np.ndarray, bi: Any) -> np.ndarray:
        d = self.orient * (aw - self.anchor)
        lo, hi = _lead(self.d_lo, w), _lead(self.d_hi, w)
        u0, du = _lead(self.u0, w), _lead(self.du, w)
        x = (np.log(np.minimum(np.maximum(d, lo), hi)) - u0) / du
        k = self.coef.shape[-2]
        i = np.minimum(x.astype(np.intp), k - 1)             # x >= 0: truncation = floor
        h = (x - i) * du
        c = self.coef[(w < 0).astype(np.intp), bi, i]       # (..., 4)
        return ((c[..., 0] * h + c[..., 1]) * h + c[..., 2]) * h + c[..., 3]


class LambShiftTable:
    """S(w) of one bath, fast to evaluate; see the module docstring and
    :func:`build_lamb_shift_table`.

    Without a mode cutoff the table is one piece in u = log|w|; with a finite ``wmax`` = M (where
    J jumps and S diverges logarithmically) three pieces: u = log|w| up to M/2,
    u = log(M - |w|) up to M, u = log(|w| - M) above (closer than 1e-9 M to M the value at
    that distance is used).

    Attributes
    ----------
    lo, hi : tabulated range lo <= |w| <= hi (both signs); (*S,) without wmax, else scalars.
    rel_error : largest |table - quadrature| / max |S| measured at the check points.
    degree : largest Chebyshev degree reached; ``knots``: cubic-spline knots per sign.
    n_extended : how often a frequency above ``hi`` made the table rebuild itself up to
        1.5 |w| (``hi0``: the range it was built for first).
    """

    def __init__(self, bath: Bath, lo: np.ndarray, hi: np.ndarray, segments: list[_Segment],
                 s0: np.ndarray, wmax: float | None, rtol: float):
        self.bath, self.lo, self.hi, self.rtol = bath, lo, hi, rtol
        self.segments, self.s0, self.wmax = segments, s0, wmax
        self.hi0 = hi
        self.n_extended = 0
        self.degree = max(sg.degree for sg in segments)
        self.rel_error = max(sg.err for sg in segments)
        self.knots = segments[0].coef.shape[-2] + 1
        self._bidx = np.arange(int(np.prod(np.shape(lo)))).reshape(np.shape(lo))

    def __call__(self, w: np.ndarray) -> np.ndarray:
        """S at w of shape (*S, ...) (batch parameters on the leading axes)."""
        w = np.asarray(w, dtype=float)
        aw = np.abs(w)
        scalar = np.ndim(self.lo) == 0
        hi = float(self.hi) if scalar else _lead(self.hi, w)
        if aw.size and np.any(aw > hi * (1 + 1e-12)):
            self._extend(1.5 * float(np.max(aw)))
            return self(w)
        if scalar:
            bi: Any = 0
        else:
            b = self._bidx
            bi = b.reshape(b.shape + (1,) * (w.ndim - b.ndim))
        seg = self.segments
        if len(seg) == 1:
            s = seg[0](w, aw, bi)
        else:
            M = self.wmax
            s = np.where(aw <= 0.5 * M, seg[0](w, aw, bi),
                         np.where(aw <= M, seg[1](w, aw, bi), seg[2](w, aw, bi)))
        lo = float(self.lo) if scalar else _lead(self.lo, w)
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


def _freqs(anchor: float, orient: float, u: np.ndarray) -> np.ndarray:
    return anchor + orient * np.exp(u)


def _cheb_fit(bath: Bath, anchor: float, orient: float, lo_l: np.ndarray, hi_l: np.ndarray,
              degree: int, bshape: tuple) -> tuple[np.ndarray, np.ndarray]:
    k = np.arange(degree + 1)
    u = np.cos(np.pi * (k + 0.5) / (degree + 1))   # Chebyshev points of the first kind
    wpos = _freqs(anchor, orient, 0.5 * (lo_l + hi_l) + 0.5 * (hi_l - lo_l) * u)
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


def _fit_segment(bath: Bath, anchor: float, orient: float, d_lo: np.ndarray, d_hi: np.ndarray,
                 bshape: tuple, rtol: float, max_degree: int) -> _Segment:
    lo_l, hi_l = np.log(d_lo)[..., None], np.log(d_hi)[..., None]
    degree, prev = 96, np.inf
    while True:
        cpos, cneg = _cheb_fit(bath, anchor, orient, lo_l, hi_l, degree, bshape)
        # check at every other midpoint (in the angle) between the nodes
        km = np.arange(0, degree, 2)
        um = np.cos(np.pi * (km + 1.0) / (degree + 1))
        um_b = np.broadcast_to(um, (*bshape, um.size))
        wm = _freqs(anchor, orient, 0.5 * (lo_l + hi_l) + 0.5 * (hi_l - lo_l) * um)
        exact = bath.lamb_shift(np.concatenate([wm, -wm], axis=-1), method="quad")
        approx = np.concatenate([_cheb_eval(cpos, um_b), _cheb_eval(cneg, um_b)], axis=-1)
        ref = np.max(np.abs(exact))
        err = float(np.max(np.abs(approx - exact)) / ref) if ref > 0 else 0.0
        # stop at the tolerance, at max_degree, or where doubling no longer helps (the
        # quadrature's own noise floor, ~1e-10 relative): rel_error then says what was met
        if err <= rtol or degree >= max_degree or err > 0.5 * prev:
            break
        prev = err
        degree *= 2
    # cubic spline in u on a uniform grid, knots doubled until it matches the interpolant
    knots = 256
    while True:
        ug = np.linspace(-1.0, 1.0, knots)
        ub = np.broadcast_to(ug, (*bshape, knots))
        splines = [CubicSpline(ug, _cheb_eval(c, ub), axis=-1) for c in (cpos, cneg)]
        umid = 0.5 * (ug[1:] + ug[:-1])
        umb = np.broadcast_to(umid, (*bshape, knots - 1))
        serr = max(float(np.max(np.abs(sp(umid) - _cheb_eval(c, umb)))) for sp, c in
                   zip(splines, (cpos, cneg), strict=True))
        if serr <= rtol * max(ref, 1e-300) or knots >= 65536:
            break
        knots *= 2
    # Horner coefficients in h = u_phys - u_i, u_phys = log d = centre + half * u
    half = 0.5 * (hi_l - lo_l)[..., 0]
    scale = np.stack([half ** -3, half ** -2, half ** -1, np.ones_like(half)], axis=-1)
    coefs = [np.moveaxis(sp.c, (0, 1), (-1, -2)) * scale[..., None, :] for sp in splines]
    k = knots - 1
    coef = np.stack([c.reshape(-1, k, 4) for c in coefs])
    return _Segment(anchor, orient, d_lo, d_hi, coef, np.log(d_lo), half * (ug[1] - ug[0]),
                    degree, max(err, serr / ref if ref > 0 else 0.0))


def build_lamb_shift_table(bath: Bath, lo: np.ndarray | float, hi: np.ndarray | float,
                           rtol: float = 1e-10, max_degree: int = 512) -> LambShiftTable:
    """Tabulate S of ``bath`` on lo <= |w| <= hi; see :class:`LambShiftTable`.

    Per piece, the Chebyshev degree starts at 96 and doubles until the interpolant matches
    direct quadrature at every other midpoint between the nodes to ``rtol`` x max |S| (or
    ``max_degree`` is reached, or doubling stops improving: ``rel_error`` then says what was
    met, measured: <= 3e-10 with a mode cutoff, <= 1e-10 without); the cubic spline in u
    uses enough knots to reproduce the Chebyshev interpolant to the same tolerance.  Batch
    parameters of the bath (shape S) broadcast with lo and hi; a finite ``wmax`` must be one
    number for the whole batch (the pieces meet there).
    """
    lo = np.asarray(lo, dtype=float)
    hi = np.asarray(hi, dtype=float)
    bshape = np.broadcast_shapes(lo.shape, hi.shape, bath.batch_shape)
    if np.any(~(lo > 0)) or np.any(~(hi > lo)):
        raise ValueError(f"Lamb-shift table: need 0 < lo < hi (got lo = {lo.min()}, hi = "
                         f"{hi.max()})")
    M = None
    if bath.wmax is not None:
        fin = np.unique(np.asarray(bath.wmax, float)[np.isfinite(bath.wmax)])
        if fin.size > 1 or (fin.size == 1 and not np.all(np.isfinite(bath.wmax))):
            raise ValueError("Lamb-shift table: a finite wmax must be the same for every batch "
                             "point (evaluate points with different wmax separately)")
        M = float(fin[0]) if fin.size else None
    s0 = bath.lamb_shift(np.zeros((*bshape, 1)), method="quad")[..., 0]
    if M is None:
        lo_b, hi_b = np.broadcast_to(lo, bshape).copy(), np.broadcast_to(hi, bshape).copy()
        seg = [_fit_segment(bath, 0.0, 1.0, lo_b, hi_b, bshape, rtol, max_degree)]
        return LambShiftTable(bath, lo_b, hi_b, seg, s0, None, rtol)
    eps = 1e-9 * M
    lo_s = min(float(lo.min()), 0.25 * M)
    hi_s = max(float(hi.max()), 1.25 * M)
    full = np.ones(bshape)
    seg = [_fit_segment(bath, 0.0, 1.0, lo_s * full, 0.5 * M * full, bshape, rtol, max_degree),
           _fit_segment(bath, M, -1.0, eps * full, 0.5 * M * full, bshape, rtol, max_degree),
           _fit_segment(bath, M, 1.0, eps * full, (hi_s - M) * full, bshape, rtol, max_degree)]
    if bshape:
        return LambShiftTable(bath, lo_s * full, hi_s * full, seg, s0, M, rtol)
    return LambShiftTable(bath, np.asarray(lo_s), np.asarray(hi_s), seg, s0, M, rtol)


def describe(table: LambShiftTable) -> dict[str, Any]:
    """Metadata of a table (for result stats)."""
    return {"lo": table.lo.tolist(), "hi": table.hi.tolist(), "degree": table.degree,
            "knots": table.knots, "rel_error": table.rel_error, "n_extended": table.n_extended}
