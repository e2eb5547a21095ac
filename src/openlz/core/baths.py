"""Bosonic baths: spectral densities, occupations, rates and Lamb shifts (hbar = k_B = 1).

Spectral densities are extended to negative frequencies as odd functions,
J(-w) = -J(w).  With n(-w) = -1 - n(w) this makes

    K(w) = J(w) (1 + n(w))

one formula for emission (w > 0, J (n + 1)) and absorption (w < 0, J(|w|) n(|w|))
that obeys detailed balance, K(-w) = exp(-w/T) K(w).

Rates and Lamb shifts (paper 000, Eq. (11) and appendix A; Breuer & Petruccione
Sec. 3.3) follow from the one-sided Fourier transform of the bath correlation
function of B = int dnu g(nu) (b + b^dag), J = g²:

    Gamma(w) = int_0^inf ds e^{i w s} <B(s) B(0)> = gamma(w)/2 + i S(w),
    gamma(w) = 2 pi K(w)                                      (Eq. (11)),
    S(w)     = P int_{-inf}^{inf} dnu K(nu) / (w - nu)         (appendix A, Im Gamma).

The w -> 0 limit of gamma is 2 pi T J'(0) (= 2 pi eta T for Ohmic baths, the
"2 pi T delta" term of Eq. (11)); at T = 0 it vanishes.

Batching: bath parameters (eta, wc, T) may be arrays of a batch shape ``S``; the
frequencies passed to a bath's methods then have shape ``(*S, ...)`` — parameters
broadcast against the *leading* axes of ``w``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import scipy.special as sps

__all__ = ["ohmic_exponential", "ohmic_drude", "bose", "SpectralDensity", "Bath", "ohmic_bath",
           "lamb_shift_ohmic_exponential_t0", "lamb_shift_ohmic_drude_t0", "LambShiftTable"]

SpectralDensity = Callable[[np.ndarray], np.ndarray]


def ohmic_exponential(omega: np.ndarray, eta: float | np.ndarray, wc: float | np.ndarray) -> np.ndarray:
    """Ohmic spectral density with exponential cutoff, J(w) = eta w exp(-|w|/wc) (odd in w)."""
    w = np.asarray(omega, dtype=float)
    return eta * w * np.exp(-np.abs(w) / wc)


def ohmic_drude(omega: np.ndarray, eta: float | np.ndarray, wc: float | np.ndarray) -> np.ndarray:
    """Ohmic spectral density with Drude–Lorentz cutoff, J(w) = eta w / (1 + (w/wc)²) (odd in w)."""
    w = np.asarray(omega, dtype=float)
    return eta * w / (1.0 + (w / wc) ** 2)


def bose(omega: np.ndarray, T: float | np.ndarray) -> np.ndarray:
    """Bose–Einstein occupation n(w) = 1/(exp(w/T) - 1).

    T = 0 gives n = 0 for w > 0 and n = -1 for w < 0 (so that 1 + n(w) = -n(-w) holds).
    At w = 0 the value is infinite; callers take the w -> 0 limit of w n(w) = T themselves.
    """
    w = np.asarray(omega, dtype=float)
    T = np.asarray(T, dtype=float)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        x = w / np.where(T > 0, T, 1.0)
        n = np.where(T > 0, 1.0 / np.expm1(x), np.where(w > 0, 0.0, np.where(w < 0, -1.0, np.inf)))
    return n


# --------------------------------------------------------------------------- closed forms
def lamb_shift_ohmic_exponential_t0(omega: np.ndarray, eta: float | np.ndarray,
                                    wc: float | np.ndarray) -> np.ndarray:
    """T = 0 Lamb shift of J = eta w e^{-w/wc}: S(w) = -eta wc + eta w e^{-w/wc} Ei(w/wc).

    From S(w) = P int_0^inf dnu J(nu)/(w - nu) with nu/(w-nu) = -1 + w/(w-nu) and
    P int_0^inf e^{-nu/a}/(nu - w) dnu = -e^{-w/a} Ei(w/a) (any real w != 0).
    S(0) = -eta wc.  Shapes broadcast.
    """
    w = np.asarray(omega, dtype=float)
    x = w / wc
    return eta * (w * _exp_ei(x) - wc)


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


def lamb_shift_ohmic_drude_t0(omega: np.ndarray, eta: float | np.ndarray,
                              wc: float | np.ndarray) -> np.ndarray:
    """T = 0 Lamb shift of J = eta w/(1 + w²/wc²):
    S(w) = eta [wc² w ln(|w|/wc) - pi wc³/2] / (wc² + w²)   (partial fractions; S(0) = -pi eta wc/2)."""
    w = np.asarray(omega, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        lg = np.where(w == 0, 0.0, w * np.log(np.abs(np.where(w == 0, 1.0, w)) / wc))
    return eta * (wc**2 * lg - 0.5 * np.pi * wc**3) / (wc**2 + w**2)


# --------------------------------------------------------------------------- the bath
def _lead(p: np.ndarray | float, w: np.ndarray) -> np.ndarray:
    """Reshape a batch parameter (shape S) to broadcast against the leading axes of w (*S, ...)."""
    p = np.asarray(p, dtype=float)
    return p.reshape(p.shape + (1,) * (np.ndim(w) - p.ndim)) if p.ndim else p


_GL_X, _GL_W = np.polynomial.legendre.leggauss(16)
# Panel edges (in units of the bath scale) on x in [0, inf): octaves from 2^-36 to 2^44
# plus, per frequency, a grading towards x = |w| from both sides (where w - x or w + x
# crosses 0: a kink of K at T = 0, a feature of width ~T at T > 0).
_BASE_EDGES = np.concatenate([[0.0], 2.0 ** np.arange(-36, 45)])
_GRADE = 2.0 ** -np.arange(1, 36)


@dataclass
class Bath:
    """A bosonic bath at temperature T with spectral density J (coupling operator B).

    Parameters
    ----------
    spectral_density : ``J(w)`` for any real w (odd extension is applied here: only
        ``J(|w|)`` is called). Must broadcast batch parameters itself if it has any.
    T : temperature, scalar or batch array (shape S), >= 0.
    scale : characteristic frequency (cutoff), scalar or shape S; sets the quadrature panels.
    j_over_omega : optional ``J(w)/w`` (exact, finite at w = 0); by default J(w)/w with the
        w -> 0 value taken at w = 1e-9 scale.
    lamb_shift_t0 : optional closed form of S(w) at T = 0 (used where T == 0).
    name : label for metadata.
    """

    spectral_density: SpectralDensity
    T: float | np.ndarray = 0.0
    scale: float | np.ndarray = 1.0
    j_over_omega: SpectralDensity | None = None
    lamb_shift_t0: SpectralDensity | None = None
    name: str = "custom"
    params: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        from ..errors import ParameterError

        T = np.asarray(self.T, dtype=float)
        if not np.all(np.isfinite(T)) or np.any(T < 0):
            raise ParameterError("T", T.ravel()[np.argmax(~(T >= 0))].item() if T.ndim else T.item(),
                                 "must be a finite temperature >= 0", "bath")
        s = np.asarray(self.scale, dtype=float)
        if not np.all(np.isfinite(s)) or np.any(s <= 0):
            raise ParameterError("scale", self.scale, "must be a finite frequency > 0", "bath")

    # -- spectral density and rates ---------------------------------------------------
    def J(self, w: np.ndarray) -> np.ndarray:
        """Odd-extended spectral density, shape of w."""
        w = np.asarray(w, dtype=float)
        return np.sign(w) * self.spectral_density(np.abs(w))

    def _j_over_w(self, w: np.ndarray) -> np.ndarray:
        w = np.asarray(w, dtype=float)
        if self.j_over_omega is not None:
            return np.asarray(self.j_over_omega(w), dtype=float) * np.ones_like(w)
        eps = 1e-9 * _lead(self.scale, w)
        aw = np.maximum(np.abs(w), eps)
        return self.spectral_density(aw) / aw

    def K(self, w: np.ndarray) -> np.ndarray:
        """K(w) = J(w)(1 + n(w)), with K(0) = T J'(0); shape of w (batch leading)."""
        w = np.asarray(w, dtype=float)
        T = _lead(self.T, w)
        jw = self._j_over_w(w)
        with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
            Tpos = np.where(T > 0, T, 1.0)
            x = w / Tpos
            # x/(1 - e^{-x}) -> 1 at x = 0, -> |x| e^{-|x|} for x -> -inf
            phi = np.where(x == 0, 1.0, x / -np.expm1(-np.where(x == 0, 1.0, x)))
            phi = np.where(np.isfinite(phi), phi, 0.0)
            hot = jw * Tpos * phi
        cold = np.where(w > 0, jw * w, 0.0)
        return np.where(T > 0, hot, cold)

    def gamma(self, w: np.ndarray) -> np.ndarray:
        """Rate gamma(w) = 2 pi J(w)(1 + n(w)) (paper 000, Eq. (11)); gamma(0) = 2 pi T J'(0)."""
        return 2.0 * np.pi * self.K(w)

    # -- Lamb shift --------------------------------------------------------------------
    def lamb_shift(self, w: np.ndarray, method: str = "auto") -> np.ndarray:
        """S(w) = P int dnu K(nu)/(w - nu) (paper 000, appendix A), shape of w.

        ``method``: ``"quad"`` (panel Gauss–Legendre, below), ``"closed"`` (T = 0 closed
        form; requires ``lamb_shift_t0``) or ``"auto"`` (closed form where T == 0 and one
        is known, quadrature elsewhere).
        """
        w = np.asarray(w, dtype=float)
        T = np.broadcast_to(_lead(self.T, w), w.shape)
        if method == "closed" or (method == "auto" and self.lamb_shift_t0 is not None
                                  and np.all(T == 0)):
            if self.lamb_shift_t0 is None:
                raise ValueError("no closed-form T = 0 Lamb shift for this bath")
            return np.asarray(self.lamb_shift_t0(w), dtype=float)
        if method not in ("auto", "quad"):
            raise ValueError(f"method = {method!r}: must be 'auto', 'quad' or 'closed'")
        return self._lamb_shift_quad(w)

    def _lamb_shift_quad(self, w: np.ndarray, panels_per_pass: int = 12) -> np.ndarray:
        """S(w) = -int_0^inf [K(w + x) - K(w - x)] / x dx  (nu = w -+ x folds the principal
        value into a regular integrand, finite at x = 0), by 16-point Gauss–Legendre on
        octave panels graded towards x = 0 and x = |w|.  Relative accuracy ~1e-10.

        The batch structure of w is kept (parameters broadcast on its leading axes); the
        panels are summed a few at a time to bound memory."""
        w = np.asarray(w, dtype=float)
        scale = np.broadcast_to(_lead(self.scale, w), w.shape)
        aw = np.abs(w)[..., None]
        edges = np.concatenate([scale[..., None] * _BASE_EDGES, aw * (1 - _GRADE),
                                aw * (1 + _GRADE), aw], axis=-1)
        edges = np.sort(edges, axis=-1)
        total = np.zeros(w.shape)
        wb = w[..., None, None]
        n_pan = edges.shape[-1] - 1
        for p0 in range(0, n_pan, panels_per_pass):
            a = edges[..., p0:min(p0 + panels_per_pass, n_pan)]
            b = edges[..., p0 + 1:min(p0 + panels_per_pass, n_pan) + 1]
            half = 0.5 * (b - a)
            x = (0.5 * (a + b))[..., None] + half[..., None] * _GL_X
            diff = self.K(wb + x) - self.K(wb - x)
            with np.errstate(invalid="ignore", divide="ignore"):
                f = np.where(x > 0, diff / np.where(x > 0, x, 1.0), 0.0)
            total -= np.sum(f * (half[..., None] * _GL_W), axis=(-2, -1))
        return total

    def lamb_shift_table(self, lo: np.ndarray | float, hi: np.ndarray | float,
                         degree: int = 64) -> LambShiftTable:
        """Chebyshev interpolant of S on lo <= |w| <= hi (both signs) plus S(0).

        lo, hi : scalars or batch arrays (shape S). Built in log|w|, where S is analytic
        (its log singularity at w = 0 is sent to -inf). Cost: 2 (degree+1) quadratures per
        batch element; evaluation is a Clenshaw sum.
        """
        lo = np.asarray(lo, dtype=float)
        hi = np.asarray(hi, dtype=float)
        bshape = np.broadcast_shapes(lo.shape, hi.shape, np.shape(self.T), np.shape(self.scale))
        lo, hi = np.broadcast_to(lo, bshape), np.broadcast_to(hi, bshape)
        k = np.arange(degree + 1)
        u = np.cos(np.pi * (k + 0.5) / (degree + 1))  # Chebyshev points of the first kind
        lo_l, hi_l = np.log(lo)[..., None], np.log(hi)[..., None]
        wpos = np.exp(0.5 * (lo_l + hi_l) + 0.5 * (hi_l - lo_l) * u)
        grid = np.concatenate([wpos, -wpos, np.zeros((*bshape, 1))], axis=-1)
        s = self.lamb_shift(grid)
        spos, sneg, s0 = s[..., : degree + 1], s[..., degree + 1: -1], s[..., -1]
        vander = np.polynomial.chebyshev.chebvander(u, degree)  # (N, N)
        cpos = np.linalg.solve(vander, np.moveaxis(spos, -1, 0).reshape(degree + 1, -1))
        cneg = np.linalg.solve(vander, np.moveaxis(sneg, -1, 0).reshape(degree + 1, -1))
        return LambShiftTable(lo, hi, cpos.reshape(degree + 1, *bshape),
                              cneg.reshape(degree + 1, *bshape), s0)


@dataclass
class LambShiftTable:
    """Chebyshev-in-log|w| interpolant of a Lamb shift S(w); see :meth:`Bath.lamb_shift_table`.

    ``coef_pos``/``coef_neg`` have shape (degree+1, *S); ``s0`` shape S.
    """

    lo: np.ndarray
    hi: np.ndarray
    coef_pos: np.ndarray
    coef_neg: np.ndarray
    s0: np.ndarray

    def __call__(self, w: np.ndarray) -> np.ndarray:
        """S at w of shape (*S, ...); |w| outside [lo, hi] (except 0) raises ValueError."""
        w = np.asarray(w, dtype=float)
        lo, hi = _lead(self.lo, w), _lead(self.hi, w)
        aw = np.abs(w)
        nz = aw > 0
        if np.any(nz & ((aw < lo * (1 - 1e-12)) | (aw > hi * (1 + 1e-12)))):
            raise ValueError("LambShiftTable: frequency outside the tabulated range")
        lo_l, hi_l = np.log(lo), np.log(hi)
        u = np.clip((2 * np.log(np.where(nz, aw, 1.0)) - lo_l - hi_l) / (hi_l - lo_l), -1, 1)
        extra = (1,) * (w.ndim - self.s0.ndim)
        cp = self.coef_pos.reshape(self.coef_pos.shape + extra)
        cn = self.coef_neg.reshape(self.coef_neg.shape + extra)
        sp = np.polynomial.chebyshev.chebval(u, cp, tensor=False)
        sn = np.polynomial.chebyshev.chebval(u, cn, tensor=False)
        return np.where(w > 0, sp, np.where(w < 0, sn, _lead(self.s0, w)))


def ohmic_bath(eta: float | np.ndarray, wc: float | np.ndarray, T: float | np.ndarray = 0.0,
               cutoff: str = "exponential") -> Bath:
    """Ohmic bath J = eta w f(w/wc) with ``cutoff`` ``"exponential"`` (paper 000, Eq. (13),
    with eta = 1 there) or ``"drude"``; parameters scalar or batch arrays of one shape S."""
    from ..errors import ParameterError

    for name, val in (("eta", eta), ("wc", wc)):
        v = np.asarray(val, dtype=float)
        if not np.all(np.isfinite(v)) or np.any(v <= 0):
            raise ParameterError(name, val, "must be a finite number > 0", "Ohmic spectral density")
    eta_a, wc_a = np.asarray(eta, dtype=float), np.asarray(wc, dtype=float)
    if cutoff == "exponential":
        def J(w: np.ndarray) -> np.ndarray:
            return ohmic_exponential(w, _lead(eta_a, w), _lead(wc_a, w))

        def jw(w: np.ndarray) -> np.ndarray:
            return _lead(eta_a, w) * np.exp(-np.abs(w) / _lead(wc_a, w))

        def s0(w: np.ndarray) -> np.ndarray:
            return lamb_shift_ohmic_exponential_t0(w, _lead(eta_a, w), _lead(wc_a, w))
    elif cutoff == "drude":
        def J(w: np.ndarray) -> np.ndarray:
            return ohmic_drude(w, _lead(eta_a, w), _lead(wc_a, w))

        def jw(w: np.ndarray) -> np.ndarray:
            return _lead(eta_a, w) / (1.0 + (w / _lead(wc_a, w)) ** 2)

        def s0(w: np.ndarray) -> np.ndarray:
            return lamb_shift_ohmic_drude_t0(w, _lead(eta_a, w), _lead(wc_a, w))
    else:
        raise ParameterError("cutoff", cutoff, "must be 'exponential' or 'drude'")
    return Bath(J, T=T, scale=wc_a, j_over_omega=jw, lamb_shift_t0=s0, name=f"ohmic-{cutoff}",
                params={"eta": eta_a, "wc": wc_a, "T": np.asarray(T, dtype=float)})
