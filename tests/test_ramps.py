"""Sweeps ε_t of paper 003 (``openlz.analytic.ramps``) against closed forms.

A polynomial profile has a closed-form rate, phase ∫ε dt and crossing times (quadratic
formula), so every method of :class:`ProfileRamp` is checked exactly; a non-polynomial one
(ε_t = -0.5 + sinh(t)/2 + t) against its antiderivative at the accuracy the module docstring
states (fourth-order difference for the rate, Gauss–Legendre panels for the phase).
"""

from __future__ import annotations

import numpy as np
import pytest

from openlz.analytic.ramps import LinearRamp, ProfileRamp, as_ramp
from openlz.errors import ParameterError


def test_linear_ramp_closed_forms():
    r = LinearRamp(0.5)
    t = np.array([0.0, 1.0, 3.0])
    assert np.allclose(r.eps(t), 0.5 * t)
    assert np.allclose(r.rate(t), 0.5)
    assert np.allclose(r.phase(t), 0.25 * t**2)
    assert np.allclose(r.crossings([1.0, 2.0]), [2.0, 4.0])
    with pytest.raises(ParameterError, match="rate"):
        LinearRamp(0.0)


def test_quadratic_profile_is_exact():
    """ε_t = -0.2 + 0.4 t + 0.05 t²: rate 0.4 + 0.1 t, phase -0.2 t + 0.2 t² + t³/60,
    crossings t_n = (-0.4 + sqrt(0.16 + 0.2 (ε_n + 0.2))) / 0.1."""
    r = ProfileRamp(lambda t: -0.2 + 0.4 * t + 0.05 * t**2, text="quadratic")
    t = np.linspace(0.0, 12.0, 25)
    assert np.allclose(r.rate(t), 0.4 + 0.1 * t, rtol=0, atol=1e-9)
    assert np.allclose(r.phase(t), -0.2 * t + 0.2 * t**2 + t**3 / 60, rtol=1e-13, atol=1e-12)
    levels = np.array([1.0, 2.0, 3.5])
    tn = (-0.4 + np.sqrt(0.16 + 0.2 * (levels + 0.2))) / 0.1
    assert np.allclose(r.crossings(levels), tn, rtol=0, atol=1e-12)


def test_smooth_profile_against_antiderivative():
    """ε_t = -0.5 + sinh(t)/2 + t: phase -0.5 t + (cosh t - 1)/2 + t²/2 to 1e-10 relative
    (panels 0.25, 8 points), rate cosh(t)/2 + 1 to 1e-8 relative."""
    r = as_ramp(lambda t: -0.5 + 0.5 * np.sinh(t) + t)
    assert isinstance(r, ProfileRamp)
    t = np.linspace(0.0, 6.0, 13)
    assert np.allclose(r.phase(t), -0.5 * t + 0.5 * (np.cosh(t) - 1) + 0.5 * t**2,
                       rtol=1e-10, atol=1e-12)
    assert np.allclose(r.rate(t), 0.5 * np.cosh(t) + 1, rtol=1e-8)
    tc = r.crossings(np.array([2.0]))
    assert float(r.eps(tc)[0]) == pytest.approx(2.0, abs=1e-12)


def test_bad_profiles_are_refused():
    with pytest.raises(ParameterError, match="must start below"):
        ProfileRamp(lambda t: 1.5 + t, "1.5+t").crossings(np.array([1.0, 2.0]))
    with pytest.raises(ParameterError, match="increase strictly"):
        ProfileRamp(lambda t: -0.5 + np.sin(t), "sin").crossings(np.array([0.4]))
    with pytest.raises(ParameterError, match="never reaches"):
        ProfileRamp(lambda t: -1.0 + 2 * (1 - np.exp(-t)), "saturating").crossings(np.array([5.0]))
    with pytest.raises(ValueError, match=">= 0"):
        ProfileRamp(lambda t: t).phase(np.array([-1.0]))
    assert as_ramp(2.0).rate_value == 2.0


def test_phase_table_matches_the_quadrature():
    """The exact solver's fast interpolant (quintic Hermite, h = 0.02) against the
    Gauss–Legendre phase and the antiderivative, ε_t = -0.5 + sinh(t)/2 + t on [0, 6]."""
    r = ProfileRamp(lambda t: -0.5 + 0.5 * np.sinh(t) + t)
    fast = r.phase_table(6.0)
    t = np.linspace(0.0, 6.0, 301)
    exact = -0.5 * t + 0.5 * (np.cosh(t) - 1) + 0.5 * t**2
    assert np.max(np.abs(fast(t) - exact)) < 1e-11
    assert np.max(np.abs(fast(t) - r.phase(t))) < 1e-11
