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

An upper frequency of the bath modes (paper 000, Eq. (4): modes 0 <= nu <= wmax) sets
J = 0 for |w| > wmax; by default there is none (wmax = inf).

Public objects: :class:`Bath` (any spectral density J given as a callable) and
:class:`OhmicBath` (J = eta w f(w/wc), exponential or Drude cutoff), with the rates
:meth:`Bath.gamma`, the Lamb shift :meth:`Bath.lamb_shift` (principal value) and the Bose
factor :meth:`Bath.bose`.

Batching: bath parameters (eta, wc, T, wmax) may be arrays of a batch shape ``S``; the
frequencies passed to a bath's methods then have shape ``(*S, ...)`` — parameters
broadcast against the *leading* axes of ``w``.  A user spectral density given as a callable
acts elementwise on w (it may hold batch parameters of its own only if it broadcasts them
the same way).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..errors import ParameterError
from .lamb_shift import (
    LambShiftTable,
    build_lamb_shift_table,
    lamb_shift_ohmic_drude_t0,
    lamb_shift_ohmic_exponential_t0,
)

__all__ = ["ohmic_exponential", "ohmic_drude", "bose", "SpectralDensity", "Bath", "OhmicBath",
           "ohmic_bath", "lamb_shift_ohmic_exponential_t0", "lamb_shift_ohmic_drude_t0",
           "LambShiftTable"]

SpectralDensity = Callable[[np.ndarray], np.ndarray]
"""Type of a spectral density: a callable J(w) taking frequencies (...,) and returning (...,)."""


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


# --------------------------------------------------------------------------- the bath
def _lead(p: np.ndarray | float, w: np.ndarray) -> np.ndarray:
    """Reshape a batch parameter (shape S) to broadcast against the leading axes of w (*S, ...)."""
    p = np.asarray(p, dtype=float)
    return p.reshape(p.shape + (1,) * (np.ndim(w) - p.ndim)) if p.ndim else p


_GL_X, _GL_W = np.polynomial.legendre.leggauss(16)
# Panel edges (in units of the bath scale) on x in [0, inf): octaves from 2^-36 to 2^44
# plus, per frequency, a grading towards the points where K(w + x) or K(w - x) is not smooth:
# x = |w| (nu = 0: a kink of K at T = 0, a feature of width ~T at T > 0) and, for each
# feature f of J (and the mode cutoff wmax, where J jumps), x = |f - |w|| and f + |w|.
_BASE_EDGES = np.concatenate([[0.0], 2.0 ** np.arange(-36, 45)])
_GRADE = 2.0 ** -np.arange(1, 36)
_MAX_LEVEL = 6


def _positive(name: str, value: Any, rule: str, source: str, allow_zero: bool = False) -> None:
    from .validation import convert_array

    v = convert_array(name, value, "float")  # strings, complex parts: ParameterError
    ok = np.isfinite(v) & ((v >= 0) if allow_zero else (v > 0))
    if not np.all(ok):
        bad = v.ravel()[np.argmax(~ok.ravel())].item() if v.ndim else v.item()
        raise ParameterError(name, bad, rule, source)


class Bath:
    """A bosonic bath at temperature T with spectral density J (coupling operator B).

    Parameters
    ----------
    spectral_density : ``J(w)`` for w >= 0, elementwise on arrays (the odd extension
        J(-w) = -J(w) is applied here: only ``J(|w|)`` is called).  At T > 0, J(w)/w must
        stay finite as w -> 0 (gamma(0) = 2 pi T J'(0)); a sub-Ohmic J is only usable at T = 0.
    T : temperature, scalar or batch array (shape S), >= 0.
    wmax : upper frequency of the bath modes (paper 000, Eq. (4)): J = 0 for |w| > wmax;
        ``None`` (default) for no cutoff.
    scale : characteristic frequency (cutoff) of J, scalar or shape S; sets the quadrature
        panels (octaves of ``scale``; the result does not depend on it for a smooth J).
    features : frequencies (> 0) where J is not smooth on the octave scale (narrow peaks,
        kinks); the quadrature grades its panels towards them.
    j_over_omega : optional ``J(w)/w`` (exact, finite at w = 0); by default J(w)/w with the
        w -> 0 value taken at w = 1e-9 scale.
    lamb_shift_t0 : optional closed form of S(w) at T = 0 (used where T == 0; must include
        ``wmax``).
    name : label for metadata; ``params``: the parameters, for metadata.

    Methods give, for frequencies w of shape (*S, ...): :meth:`J`, :meth:`bose`
    n(w), :meth:`K` = J (1 + n), the rates :meth:`gamma` (Eq. (11)), the Lamb shift
    :meth:`lamb_shift` (appendix A) and a fast table of it, :meth:`lamb_shift_table`.
    """

    def __init__(self, spectral_density: SpectralDensity, T: float | np.ndarray = 0.0, *,
                 wmax: float | np.ndarray | None = None, scale: float | np.ndarray = 1.0,
                 features: Sequence[float] = (), j_over_omega: SpectralDensity | None = None,
                 lamb_shift_t0: SpectralDensity | None = None, name: str = "custom",
                 params: dict | None = None):
        if not callable(spectral_density):
            raise ParameterError("spectral_density", type(spectral_density).__name__,
                                 "must be a callable J(w) acting elementwise on arrays", "Bath")
        _positive("T", T, "must be a finite temperature >= 0", "bath, Eq. (12) of paper 000",
                  allow_zero=True)
        _positive("scale", scale, "must be a finite frequency > 0", "bath")
        if wmax is not None:
            wm = np.asarray(wmax, dtype=float)
            if not np.all(wm > 0):      # inf (no cutoff for that batch point) is allowed
                bad = wm.ravel()[np.argmax(~(wm.ravel() > 0))].item()
                raise ParameterError("wmax", bad, "must be a frequency > 0 (inf or None: no "
                                     "cutoff)", "paper 000, Eq. (4)")
        feats = np.atleast_1d(np.asarray(features, dtype=float))
        if feats.ndim != 1 or not np.all(np.isfinite(feats) & (feats > 0)):
            raise ParameterError("features", list(np.ravel(feats)), "must be frequencies > 0",
                                 "bath quadrature")
        self.spectral_density = spectral_density
        self.T = T if np.ndim(T) == 0 else np.asarray(T, dtype=float)
        self.wmax = wmax if wmax is None or np.ndim(wmax) == 0 else np.asarray(wmax, float)
        self.scale = scale
        self.features = tuple(float(f) for f in feats)
        self.j_over_omega = j_over_omega
        self.lamb_shift_t0 = lamb_shift_t0
        self.name = name
        self.params = dict(params or {})

    def __repr__(self) -> str:
        wm = "" if self.wmax is None else f", wmax={self.wmax}"
        return f"Bath({self.name}, T={self.T}{wm})"

    @property
    def batch_shape(self) -> tuple[int, ...]:
        """Broadcast shape S of the batch parameters (T, wmax, scale and ``params``)."""
        shapes = [np.shape(self.T), np.shape(self.scale), np.shape(self.wmax)]
        shapes += [np.shape(v) for v in self.params.values()]
        return np.broadcast_shapes(*shapes)

    def _replace(self, **kw: Any) -> Bath:
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        new.__dict__.update(kw)
        return new

    def broadcast_flat(self, shape: tuple[int, ...]) -> Bath:
        """The same bath with its batch parameters broadcast to ``shape`` and flattened to
        (prod(shape),), for solvers that work on a flat batch (the spectral density itself
        must not carry batch parameters)."""
        def fl(x: Any) -> Any:
            return x if x is None or np.ndim(x) == 0 else np.broadcast_to(x, shape).reshape(-1)
        if self.params and any(np.ndim(v) for v in self.params.values()):
            raise ParameterError("bath", self.name, "a batched custom spectral density cannot be "
                                 "re-batched; give scalar parameters or an OhmicBath", "Bath")
        return self._replace(T=fl(self.T), scale=fl(self.scale), wmax=fl(self.wmax))

    # -- spectral density and rates ---------------------------------------------------
    def _cut(self, w: np.ndarray) -> np.ndarray | float:
        if self.wmax is None:
            return 1.0
        return (np.abs(w) <= _lead(self.wmax, w)).astype(float)

    def J(self, w: np.ndarray) -> np.ndarray:
        """Odd-extended spectral density, shape of w (zero above ``wmax``)."""
        w = np.asarray(w, dtype=float)
        return np.sign(w) * self.spectral_density(np.abs(w)) * self._cut(w)

    def _j_over_w(self, w: np.ndarray) -> np.ndarray:
        w = np.asarray(w, dtype=float)
        if self.j_over_omega is not None:
            return np.asarray(self.j_over_omega(w), dtype=float) * np.ones_like(w) * self._cut(w)
        eps = 1e-9 * _lead(self.scale, w)
        aw = np.maximum(np.abs(w), eps)
        return self.spectral_density(aw) / aw * self._cut(w)

    def bose(self, w: np.ndarray) -> np.ndarray:
        """Bose factor n(w) = 1/(e^{w/T} - 1) at the bath's temperature (Eq. (12) of paper 000),
        shape of w; n(-w) = -1 - n(w); infinite at w = 0."""
        w = np.asarray(w, dtype=float)
        return bose(w, _lead(self.T, w))

    def K(self, w: np.ndarray) -> np.ndarray:
        """K(w) = J(w)(1 + n(w)), with K(0) = T J'(0); shape of w (batch leading)."""
        w = np.asarray(w, dtype=float)
        jw = self._j_over_w(w)
        if np.ndim(self.T) == 0:          # scalar temperature: the lean path (ODE right-hand sides)
            T0 = float(self.T)
            if T0 == 0:
                return np.where(w > 0, jw * w, 0.0)
            with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
                x = w / T0
                zero = x == 0
                # x/(1 - e^{-x}) -> 1 at x = 0, -> |x| e^{-|x|} (here: x/(-inf) = 0) for x -> -inf
                phi = np.where(zero, 1.0, x / -np.expm1(-np.where(zero, 1.0, x)))
            return jw * T0 * phi
        T = _lead(self.T, w)
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
    def lamb_shift(self, w: np.ndarray, method: str = "auto", rtol: float = 1e-10) -> np.ndarray:
        """S(w) = P int dnu K(nu)/(w - nu) (paper 000, appendix A), shape of w.

        ``method``: ``"quad"`` (panel Gauss–Legendre with a refinement check, see
        :meth:`_lamb_shift_quad`), ``"closed"`` (T = 0 closed form; requires
        ``lamb_shift_t0``) or ``"auto"`` (closed form where T == 0 and one is known,
        quadrature elsewhere).  ``rtol``: the quadrature halves its panels until two
        successive results agree to rtol x max |S| (at most 2^6 subpanels; a RuntimeWarning
        says when that is not enough — give the spectral density's ``features``).
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
        prev = self._lamb_shift_quad(w, 0)
        for level in range(1, _MAX_LEVEL + 1):
            cur = self._lamb_shift_quad(w, level)
            ref = np.max(np.abs(cur)) if cur.size else 0.0
            err = np.abs(cur - prev)
            if np.all(err <= rtol * np.maximum(np.abs(cur), 1e-3 * ref)):
                return cur
            prev = cur
        warnings.warn(f"Lamb-shift quadrature of bath {self.name!r}: panels halved "
                      f"{_MAX_LEVEL} times without reaching rtol = {rtol:g} (largest change "
                      f"{float(np.max(err)):.3g}); pass the spectral density's features",
                      RuntimeWarning, stacklevel=2)
        return cur

    def _edges(self, w: np.ndarray) -> np.ndarray:
        scale = np.broadcast_to(_lead(self.scale, w), w.shape)
        aw = np.abs(w)[..., None]
        points = [aw]
        feats = list(self.features)
        for f in feats:
            points += [np.abs(f - aw), f + aw]
        if self.wmax is not None:
            # an infinite entry of a batched wmax (no cutoff) adds no panel edge
            M = np.broadcast_to(_lead(self.wmax, w), w.shape)[..., None]
            M = np.where(np.isfinite(M), M, aw)
            points += [np.abs(M - aw), M + aw]
        parts = [scale[..., None] * _BASE_EDGES]
        for p in points:
            parts += [p * (1 - _GRADE), p * (1 + _GRADE), p]
        return np.sort(np.concatenate(parts, axis=-1), axis=-1)

    def _lamb_shift_quad(self, w: np.ndarray, level: int = 0,
                         panels_per_pass: int = 12) -> np.ndarray:
        """S(w) = -int_0^inf [K(w + x) - K(w - x)] / x dx  (nu = w -+ x folds the principal
        value into a regular integrand, finite at x = 0), by 16-point Gauss–Legendre on
        octave panels graded towards the points where the integrand is not smooth (see
        ``_BASE_EDGES``), each panel split into 2^level equal parts.

        The batch structure of w is kept (parameters broadcast on its leading axes); the
        panels are summed a few at a time to bound memory."""
        w = np.asarray(w, dtype=float)
        edges = self._edges(w)
        if level:
            m = 2 ** level
            a, b = edges[..., :-1, None], edges[..., 1:, None]
            sub = a + (b - a) * (np.arange(m) / m)
            edges = np.concatenate([sub.reshape(*w.shape, -1), edges[..., -1:]], axis=-1)
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
                         rtol: float = 1e-10) -> LambShiftTable:
        """Fast interpolant of S on lo <= |w| <= hi (both signs), S(0) and beyond; see
        :class:`openlz.core.lamb_shift.LambShiftTable`.  lo, hi: scalars or batch arrays."""
        return build_lamb_shift_table(self, lo, hi, rtol=rtol)


class OhmicBath(Bath):
    """Ohmic bath J(w) = eta w f(w/wc) at temperature T.

    Parameters
    ----------
    eta : coupling strength (> 0); paper 000 writes lambda² J with J = w e^{-w/wc} (Eq. 13),
        i.e. eta = lambda².
    wc : cutoff frequency (> 0).
    T : temperature (>= 0).
    cutoff : ``"exponential"`` (f = e^{-x}, paper 000 Eq. (13)) or ``"drude"``
        (f = 1/(1 + x²)).
    wmax : upper frequency of the bath modes (paper 000, Eq. (4)); ``None``: no cutoff.

    All parameters may be batch arrays broadcasting to one shape S.  At T = 0 the Lamb shift
    has a closed form (:mod:`openlz.core.lamb_shift`), used by :meth:`lamb_shift`.
    """

    def __init__(self, eta: float | np.ndarray, wc: float | np.ndarray,
                 T: float | np.ndarray = 0.0, cutoff: str = "exponential",
                 wmax: float | np.ndarray | None = None):
        for name, val in (("eta", eta), ("wc", wc)):
            _positive(name, val, "must be a finite number > 0", "Ohmic spectral density")
        if cutoff not in ("exponential", "drude"):
            raise ParameterError("cutoff", cutoff, "must be 'exponential' or 'drude'",
                                 "OhmicBath")
        eta_a, wc_a = np.asarray(eta, dtype=float), np.asarray(wc, dtype=float)
        wm = None if wmax is None else np.asarray(wmax, dtype=float)
        dens, closed = ((ohmic_exponential, lamb_shift_ohmic_exponential_t0)
                        if cutoff == "exponential" else (ohmic_drude, lamb_shift_ohmic_drude_t0))

        def J(w: np.ndarray) -> np.ndarray:
            return dens(w, _lead(eta_a, w), _lead(wc_a, w))

        def jw(w: np.ndarray) -> np.ndarray:
            e, c = _lead(eta_a, w), _lead(wc_a, w)
            return e * (np.exp(-np.abs(w) / c) if cutoff == "exponential"
                        else 1.0 / (1.0 + (w / c) ** 2))

        def s0(w: np.ndarray) -> np.ndarray:
            return closed(w, _lead(eta_a, w), _lead(wc_a, w),
                          None if wm is None else _lead(wm, w))

        super().__init__(J, T=T, wmax=wmax, scale=wc_a, j_over_omega=jw, lamb_shift_t0=s0,
                         name=f"ohmic-{cutoff}",
                         params={"eta": eta_a, "wc": wc_a, "T": np.asarray(T, dtype=float)})
        self.eta, self.wc, self.cutoff = eta_a, wc_a, cutoff

    def __repr__(self) -> str:
        wm = "" if self.wmax is None else f", wmax={self.wmax}"
        return (f"OhmicBath(eta={self.eta}, wc={self.wc}, T={self.T}, "
                f"cutoff={self.cutoff!r}{wm})")

    def broadcast_flat(self, shape: tuple[int, ...]) -> OhmicBath:
        def fl(x: Any) -> Any:     # scalars stay scalars (they broadcast with anything)
            return x if x is None or np.ndim(x) == 0 else np.broadcast_to(x, shape).reshape(-1)
        if not self.batch_shape:
            return self
        return OhmicBath(fl(self.eta), fl(self.wc), fl(np.asarray(self.T, float)), self.cutoff,
                         fl(self.wmax))


def ohmic_bath(eta: float | np.ndarray, wc: float | np.ndarray, T: float | np.ndarray = 0.0,
               cutoff: str = "exponential", wmax: float | np.ndarray | None = None) -> OhmicBath:
    """:class:`OhmicBath` (kept for the models' existing calls)."""
    return OhmicBath(eta, wc, T, cutoff, wmax)
