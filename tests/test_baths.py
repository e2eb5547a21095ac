"""Baths: rates (paper 000, Eq. 11), Lamb shifts (appendix A) and their closed forms.

Expected values: closed forms derived in the docstrings of ``openlz.core.baths`` (T = 0
Lamb shifts of the exponential and Drude cutoffs), scipy's adaptive QAWC quadrature
(``scipy.integrate.quad(weight='cauchy')``) as an independent principal-value integrator,
and the textbook relations gamma(w) = 2 pi J(w)(1 + n(w)), detailed balance.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.integrate as si

from openlz.core.baths import (
    Bath,
    bose,
    lamb_shift_ohmic_drude_t0,
    lamb_shift_ohmic_exponential_t0,
    ohmic_bath,
    ohmic_exponential,
)
from openlz.errors import ParameterError

W = np.array([-80.0, -20.0, -3.0, -0.1, -1e-3, 0.0, 1e-3, 0.1, 1.0, 10 / 3, 20.0, 80.0, 500.0])


def _pv_reference(bath: Bath, w0: float, L: float = 400.0) -> float:
    """S(w0) = P int K(nu)/(w0 - nu) by QAWC on [w0 - L, w0 + L] plus ordinary tails."""
    def K(nu: float) -> float:
        return float(bath.K(np.array(nu)))
    core = si.quad(K, w0 - L, w0 + L, weight="cauchy", wvar=w0, limit=800,
                   epsabs=1e-14, epsrel=1e-13)[0]
    hi = si.quad(lambda nu: K(nu) / (w0 - nu), w0 + L, np.inf, limit=400)[0]
    lo = si.quad(lambda nu: K(nu) / (w0 - nu), -np.inf, w0 - L, limit=400)[0]
    return -core + hi + lo


@pytest.mark.parametrize("cutoff, closed", [("exponential", lamb_shift_ohmic_exponential_t0),
                                            ("drude", lamb_shift_ohmic_drude_t0)])
def test_lamb_shift_quadrature_matches_t0_closed_form(cutoff, closed):
    """Quadrature vs the T = 0 closed forms to 1e-8 relative (issue requirement)."""
    bath = ohmic_bath(0.7, 10 / 3, 0.0, cutoff)
    q = bath.lamb_shift(W, method="quad")
    c = closed(W, 0.7, 10 / 3)
    assert np.all(np.abs(q - c) <= 1e-8 * np.abs(c))


def test_lamb_shift_t0_value_at_zero():
    """S(0) = -P int J(nu)/nu = -eta wc (exponential), -pi eta wc / 2 (Drude)."""
    assert lamb_shift_ohmic_exponential_t0(0.0, 2.0, 3.0) == pytest.approx(-6.0, rel=1e-14)
    assert lamb_shift_ohmic_drude_t0(0.0, 2.0, 3.0) == pytest.approx(-3 * np.pi, rel=1e-14)


def test_exponential_closed_form_large_argument_is_continuous():
    """e^{-x}Ei(x) switches to its asymptotic series at |x| = 500: both sides agree."""
    w = np.array([499.999, 500.001, -499.999, -500.001])
    s = lamb_shift_ohmic_exponential_t0(w, 1.0, 1.0)
    assert np.all(np.isfinite(lamb_shift_ohmic_exponential_t0(np.array([2400.0, -2400.0]), 1, 1)))
    assert s[0] == pytest.approx(s[1], rel=1e-5) and s[2] == pytest.approx(s[3], rel=1e-5)


@pytest.mark.filterwarnings("ignore::scipy.integrate.IntegrationWarning")
@pytest.mark.parametrize("T", [0.05, 1.0, 7.0])
def test_lamb_shift_finite_temperature_vs_qawc(T):
    """T > 0: panel quadrature vs scipy QAWC (independent integrator)."""
    bath = ohmic_bath(1.0, 10 / 3, T)
    for w0 in (-20.0, -1.0, 0.5, 20.0):
        assert bath.lamb_shift(np.array([w0]))[0] == pytest.approx(_pv_reference(bath, w0),
                                                                   rel=1e-8)


def test_custom_spectral_density():
    """A user callable (super-Ohmic J = w³ e^{-w}) through the quadrature, vs QAWC."""
    bath = Bath(lambda w: w**3 * np.exp(-w), T=0.5, scale=1.0)
    for w0 in (-2.0, 0.3, 4.0):
        assert bath.lamb_shift(np.array([w0]))[0] == pytest.approx(_pv_reference(bath, w0, 200),
                                                                   rel=1e-8)
    # rates: gamma = 2 pi J (n + 1), J odd-extended
    w = np.array([-2.0, 0.3, 4.0])
    g = 2 * np.pi * np.sign(w) * np.abs(w) ** 3 * np.exp(-np.abs(w)) * (bose(w, 0.5) + 1)
    assert np.allclose(bath.gamma(w), g, rtol=1e-12)


def test_rates_eq11_limits_and_detailed_balance():
    """gamma(w) = 2 pi J (n+1) (w > 0), 2 pi J(|w|) n(|w|) (w < 0), gamma(0) = 2 pi eta T."""
    eta, wc, T = 0.3, 2.0, 1.5
    bath = ohmic_bath(eta, wc, T)
    w = np.array([0.5, 4.0])
    J = ohmic_exponential(w, eta, wc)
    n = 1 / np.expm1(w / T)
    assert np.allclose(bath.gamma(w), 2 * np.pi * J * (n + 1), rtol=1e-13)
    assert np.allclose(bath.gamma(-w), 2 * np.pi * J * n, rtol=1e-13)
    assert np.allclose(bath.gamma(-w), np.exp(-w / T) * bath.gamma(w), rtol=1e-13)
    assert bath.gamma(np.array(0.0)) == pytest.approx(2 * np.pi * eta * T, rel=1e-14)
    assert bath.gamma(np.array(1e-9)) == pytest.approx(2 * np.pi * eta * T, rel=1e-8)
    cold = ohmic_bath(eta, wc, 0.0)
    assert cold.gamma(np.array(0.0)) == 0.0 and cold.gamma(np.array(-1.0)) == 0.0


def test_batched_parameters_and_table():
    """Batch parameters broadcast on the leading axis; the Chebyshev table reproduces the
    quadrature to 1e-8 relative inside its range."""
    bath = ohmic_bath(np.array([1.0, 2.0]), np.array([3.0, 1.0]), np.array([0.0, 1.0]))
    w = np.array([[0.3, -0.3, 5.0, -50.0, 0.0], [0.3, -0.3, 5.0, -50.0, 0.0]])
    direct = bath.lamb_shift(w, method="quad")
    single = ohmic_bath(2.0, 1.0, 1.0).lamb_shift(w[1], method="quad")
    assert np.allclose(direct[1], single, rtol=1e-13)
    table = bath.lamb_shift_table(np.array([0.2, 0.2]), np.array([100.0, 100.0]))
    assert np.all(np.abs(table(w) - direct) <= 1e-8 * np.abs(direct))
    with pytest.raises(ValueError):
        table(np.array([[1000.0], [1.0]]))


def test_bad_bath_parameters():
    with pytest.raises(ParameterError, match="T"):
        ohmic_bath(1.0, 1.0, -0.1)
    with pytest.raises(ParameterError, match="eta"):
        ohmic_bath(0.0, 1.0, 0.0)
    with pytest.raises(ParameterError, match="wc"):
        ohmic_bath(1.0, -1.0, 0.0)
