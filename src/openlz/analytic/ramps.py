"""Sweeps ε_t of the driven spin (paper 003, Eq. 1): linear, or any increasing profile.

Paper 003 writes H_S(t) = ε_t σ^z with ε_t = ε̇ t in its figures, but Sec. II allows any ramp
that runs in one direction with a rate ε̇_n at crossing n that changes smoothly with n
(text after Eq. 2).  A ramp object gives what the chain (Eqs. 9–11) and the exact solver need:

* ``eps(t)`` — ε_t;  ``rate(t)`` — dε_t/dt (the ε̇_n of Eqs. 9–10 at the crossing times);
* ``phase(t)`` — ∫_0^t ε_s ds (the exact free phase, used by the interaction picture of the
  exact solver and by the chain's "dressed" phase);
* ``crossings(levels)`` — the times t_n with ε_{t_n} = ε_n.

:class:`LinearRamp` uses closed forms.  :class:`ProfileRamp` takes a vectorised callable
(e.g. from the command-line expression parser): rate by a fourth-order central difference
(error ~ h⁴ ε^{(5)}/30 with h = 1e-3 (1 + |t|)), phase by composite 8-point Gauss–Legendre
panels (exact for polynomials of degree <= 15), crossings by Brent's method after a monotonicity
check on a fine sample.  Both are tested against closed forms in ``tests/test_ramps.py``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike
from scipy.interpolate import BPoly
from scipy.optimize import brentq

from ..errors import ParameterError

__all__ = ["LinearRamp", "ProfileRamp", "as_ramp"]

_GL_X, _GL_W = np.polynomial.legendre.leggauss(8)


class LinearRamp:
    """ε_t = ε̇ t (paper 003, Figs. 1–2).  ``rate`` > 0 (a float)."""

    linear = True

    def __init__(self, rate: float) -> None:
        self.rate_value = float(rate)
        if not self.rate_value > 0:
            raise ParameterError("rate", rate, "must be > 0 (upward sweep)", "paper 003, Sec. II")

    def eps(self, t: ArrayLike) -> np.ndarray:
        """ε_t = ε̇ t, shape of ``t``."""
        return self.rate_value * np.asarray(t, dtype=float)

    def rate(self, t: ArrayLike) -> np.ndarray:
        """dε_t/dt = ε̇, shape of ``t``."""
        return np.full(np.shape(t), self.rate_value)

    def phase(self, t: ArrayLike) -> np.ndarray:
        """∫_0^t ε_s ds = ε̇ t²/2, shape of ``t``."""
        t = np.asarray(t, dtype=float)
        return 0.5 * self.rate_value * t * t

    def crossings(self, levels: ArrayLike) -> np.ndarray:
        """t_n = ε_n/ε̇, shape of ``levels``."""
        return np.asarray(levels, dtype=float) / self.rate_value

    def __repr__(self) -> str:
        return f"LinearRamp(rate={self.rate_value:g})"


class ProfileRamp:
    """An increasing sweep ε_t = func(t) for t >= 0 (openlz extension of paper 003, Sec. II).

    func : vectorised callable, float array in -> float array out (same shape).
    text : description kept for reports (e.g. the expression).
    panel : width of the Gauss–Legendre panels of :meth:`phase` (default 0.25; the phase is
        exact to rounding for polynomial ramps of degree <= 15 and converges like panel^16
        for smooth ones).
    """

    linear = False

    def __init__(self, func: Callable[[np.ndarray], np.ndarray], text: str = "",
                 panel: float = 0.25) -> None:
        self.func = func
        self.text = text or getattr(func, "__doc__", "") or "profile"
        self.panel = float(panel)
        self._knots = np.zeros(1)
        self._cum = np.zeros(1)

    def eps(self, t: ArrayLike) -> np.ndarray:
        """ε_t = func(t), shape of ``t``."""
        t = np.asarray(t, dtype=float)
        return np.broadcast_to(np.asarray(self.func(t), dtype=float), t.shape).copy()

    def rate(self, t: ArrayLike) -> np.ndarray:
        """dε_t/dt by a fourth-order central difference (module docstring), shape of ``t``."""
        t = np.asarray(t, dtype=float)
        h = 1e-3 * (1.0 + np.abs(t))
        f = self.eps
        return (-f(t + 2 * h) + 8 * f(t + h) - 8 * f(t - h) + f(t - 2 * h)) / (12 * h)

    def _gl(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        # ∫_a^b ε, one 8-point Gauss–Legendre panel per element; shapes broadcast
        mid, half = 0.5 * (a + b), 0.5 * (b - a)
        x = mid[..., None] + half[..., None] * _GL_X
        return half * np.sum(self.eps(x) * _GL_W, axis=-1)

    def _extend(self, t_max: float) -> None:
        if t_max <= self._knots[-1]:
            return
        n = int(np.ceil(t_max / self.panel)) + 1
        knots = self.panel * np.arange(n + 1, dtype=float)
        cum = np.concatenate([[0.0], np.cumsum(self._gl(knots[:-1], knots[1:]))])
        self._knots, self._cum = knots, cum

    def phase(self, t: ArrayLike) -> np.ndarray:
        """∫_0^t ε_s ds, t >= 0 (a profile is defined from the initial time t = 0 on)."""
        t = np.asarray(t, dtype=float)
        if t.size and float(np.min(t)) < 0:
            raise ValueError(f"ProfileRamp.phase: t must be >= 0, got {float(np.min(t)):g}")
        self._extend(float(np.max(t, initial=0.0)))
        i = np.clip(np.searchsorted(self._knots, t, side="right") - 1, 0, self._knots.size - 1)
        return self._cum[i] + self._gl(self._knots[i], t)

    def phase_table(self, t_max: float, h: float = 0.02) -> Callable[[ArrayLike], np.ndarray]:
        """A fast interpolant of :meth:`phase` on [0, t_max] (for solvers that need the phase
        at many single times): quintic Hermite pieces of width <= h matching the phase, ε_t and
        dε_t/dt at the knots.  Exact for ramps of degree <= 4 (up to the difference-quotient
        rate at the knots); otherwise the interpolation error is <= h⁶/46080 max|d⁵ε/dt⁵|
        plus ~h² times the error of that rate.  Tested against :meth:`phase` (to 1e-11 for
        ε = -0.5 + sinh(t)/2 + t on [0, 6]) in ``tests/test_ramps.py``.  Evaluates slightly
        past t_max by extrapolating the last piece."""
        n = max(2, int(np.ceil(float(t_max) / h)) + 1)
        knots = np.linspace(0.0, float(t_max), n)
        y = np.stack([self.phase(knots), self.eps(knots), self.rate(knots)], axis=1)
        return BPoly.from_derivatives(knots, y, extrapolate=True)

    def crossings(self, levels: ArrayLike) -> np.ndarray:
        """t_n with ε_{t_n} = ε_n, for levels above ε_0; the ramp must increase strictly from
        t = 0 through the last level (paper 003, Sec. II: one sweep direction)."""
        levels = np.asarray(levels, dtype=float)
        top = float(np.max(levels))
        e0 = float(self.eps(np.array(0.0)))
        if not np.isfinite(e0) or float(np.min(levels)) <= e0:
            raise ParameterError("ramp", self.text, f"must start below the lowest level: "
                                 f"ε_0 = {e0:g} >= ε_1 = {float(np.min(levels)):g}",
                                 "paper 003, Sec. II (t = 0 before the first crossing)")
        t_hi = 1.0
        while not float(self.eps(np.array(t_hi))) > top:
            t_hi *= 2.0
            if t_hi > 1e12:
                raise ParameterError("ramp", self.text, f"never reaches the top level "
                                     f"{top:g} (t <= 1e12)", "paper 003, Sec. II")
        grid = np.linspace(0.0, t_hi, 8193)
        e = self.eps(grid)
        if not np.all(np.isfinite(e)) or np.any(np.diff(e) <= 0):
            bad = grid[1:][np.diff(e) <= 0] if np.all(np.isfinite(e)) else grid[~np.isfinite(e)]
            raise ParameterError("ramp", self.text, f"must increase strictly and stay finite "
                                 f"from t = 0 to the last crossing (fails near t = "
                                 f"{float(bad[0]):g})", "paper 003, Sec. II: the level is "
                                 "ramped in one direction")
        j = np.searchsorted(e, levels)  # e[j-1] < level <= e[j]
        out = np.empty(levels.shape)
        for idx, (lv, jj) in enumerate(zip(levels.ravel(), j.ravel(), strict=True)):
            a, b = grid[jj - 1], grid[jj]
            out.flat[idx] = brentq(lambda s, lv=lv: float(self.eps(np.array(s))) - lv, a, b,
                                   xtol=1e-14, rtol=4 * np.finfo(float).eps)
        return out

    def __repr__(self) -> str:
        return f"ProfileRamp({self.text!r})"


def as_ramp(rate_or_ramp: float | LinearRamp | ProfileRamp | Callable) -> LinearRamp | ProfileRamp:
    """A number is a linear rate ε̇; a ramp object is returned as is; a callable becomes a
    :class:`ProfileRamp`."""
    if isinstance(rate_or_ramp, (LinearRamp, ProfileRamp)):
        return rate_or_ramp
    if callable(rate_or_ramp):
        return ProfileRamp(rate_or_ramp)
    return LinearRamp(float(rate_or_ramp))
