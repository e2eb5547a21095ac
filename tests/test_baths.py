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
    # above the range: the table extends itself (never an error), counted
    far = np.array([[1000.0, -3000.0], [1.0, 400.0]])
    assert np.all(np.abs(table(far) - bath.lamb_shift(far, method="quad"))
                  <= 1e-9 * np.abs(bath.lamb_shift(far, method="quad")))
    assert table.n_extended == 1 and np.all(table.hi == 4500.0)


def test_bad_bath_parameters():
    with pytest.raises(ParameterError, match="T"):
        ohmic_bath(1.0, 1.0, -0.1)
    with pytest.raises(ParameterError, match="eta"):
        ohmic_bath(0.0, 1.0, 0.0)
    with pytest.raises(ParameterError, match="wc"):
        ohmic_bath(1.0, -1.0, 0.0)


# ----------------------------------------------------------------------- public bath objects
def _pv(bath, w0: float, edges: list[float], lo: float = -np.inf, hi: float = np.inf) -> float:
    """S(w0) = P int K(nu)/(w0 - nu) dnu by scipy: QAWC (weight='cauchy') on a window around
    the pole, ordinary adaptive quad elsewhere, split at ``edges`` (jumps and peaks of K)."""
    def K(nu: float) -> float:
        return float(bath.K(np.array(nu)))
    half = 0.25 * min([abs(w0 - e) for e in edges if e != w0] + [1.0])
    a, b = w0 - half, w0 + half
    core = -si.quad(K, a, b, weight="cauchy", wvar=w0, epsabs=1e-14, epsrel=1e-12,
                    limit=400)[0]
    pts = sorted({a, b, *[e for e in (lo, hi, *edges) if lo <= e <= hi and not a <= e <= b]})
    total = core
    for x0, x1 in zip(pts[:-1], pts[1:], strict=True):
        if x0 == a and x1 == b:
            continue
        total += si.quad(lambda nu: K(nu) / (w0 - nu), x0, x1, epsabs=1e-14, epsrel=1e-12,
                         limit=400)[0]
    return total


@pytest.mark.filterwarnings("ignore::scipy.integrate.IntegrationWarning")
@pytest.mark.parametrize("case", ["lorentzian", "subohmic", "wmax-super"])
def test_general_bath_lamb_shift_vs_scipy_cauchy(case):
    """openlz.Bath for callables J the Ohmic closed forms do not cover — a narrow Lorentzian
    peak (given as a feature), a sub-Ohmic sqrt(w) e^{-w} at T = 0 and a super-Ohmic bath cut at wmax
    (J jumps, paper 000 Eq. 4) — against scipy's QAWC, to 1e-9 relative."""
    from openlz import Bath

    if case == "lorentzian":
        w0, g = 3.0, 0.05
        bath = Bath(lambda w: 0.2 * g * w / ((w - w0) ** 2 + g**2) * np.exp(-w / 20),
                    T=0.4, features=[w0])
        edges, tests = [-w0, 0.0, w0], (-3.01, -0.5, 0.7, 2.97, 3.0, 6.0)
        lo, hi = -200.0, 200.0
    elif case == "subohmic":
        bath = Bath(lambda w: np.sqrt(w) * np.exp(-w), T=0.0)     # sqrt branch point at 0
        edges, tests = [0.0], (-2.0, -1e-3, 0.05, 1.0, 9.0)
        lo, hi = -80.0, 80.0
    else:
        bath = Bath(lambda w: w**3 * np.exp(-w / 2), T=1.3, wmax=5.0)
        edges, tests = [-5.0, 0.0, 5.0], (-7.0, -4.0, 0.3, 4.99, 8.0)
        lo, hi = -5.0, 5.0
    got = bath.lamb_shift(np.array(tests))
    ref = np.array([_pv(bath, w, edges, lo, hi) for w in tests])
    assert np.all(np.abs(got - ref) <= 1e-9 * np.max(np.abs(ref))), np.abs(got - ref)


@pytest.mark.filterwarnings("ignore::scipy.integrate.IntegrationWarning")
@pytest.mark.parametrize("cutoff", ["exponential", "drude"])
def test_ohmic_bath_wmax_closed_form_vs_scipy(cutoff):
    """OhmicBath(..., wmax): the T = 0 closed forms with a mode cutoff (Eq. 4 of paper 000,
    derived in openlz.core.lamb_shift) against QAWC, and the quadrature path against both."""
    from openlz import OhmicBath

    bath = OhmicBath(0.3, 2.0, 0.0, cutoff=cutoff, wmax=6.0)
    w = np.array([-9.0, -6.5, -1.0, 0.0, 0.4, 5.5, 7.0])
    closed = bath.lamb_shift(w)
    quad = bath.lamb_shift(w, method="quad")
    ref = np.array([_pv(bath, x, [0.0, 6.0], 0.0, 6.0) for x in w])
    scale = np.max(np.abs(ref))
    assert np.all(np.abs(closed - ref) <= 1e-10 * scale)
    assert np.all(np.abs(quad - ref) <= 1e-9 * scale)
    assert np.all(bath.gamma(np.array([6.5, -6.5, 7.0])) == 0.0)      # no modes above wmax
    assert bath.gamma(np.array(5.9)) > 0


def test_public_bath_objects_rates_and_bose():
    """OhmicBath / Bath: gamma = 2 pi J (1 + n) (Eq. 11), Bose factor n (Eq. 12), repr, and
    bad input named."""
    from openlz import Bath, OhmicBath, ParameterError

    b = OhmicBath(0.1, 3.0, 0.7, cutoff="drude")
    w = np.array([-2.0, 0.5, 4.0])
    n = 1 / np.expm1(w / 0.7)
    J = 0.1 * w / (1 + (w / 3.0) ** 2)
    assert np.allclose(b.bose(w), n, rtol=1e-14)
    assert np.allclose(b.gamma(w), 2 * np.pi * J * (1 + n), rtol=1e-13)
    assert "drude" in repr(b)
    g = Bath(lambda x: 0.1 * x / (1 + (x / 3.0) ** 2), T=0.7)
    assert np.allclose(g.gamma(w), b.gamma(w), rtol=1e-13)
    assert np.allclose(g.lamb_shift(w), b.lamb_shift(w), rtol=1e-10)
    with pytest.raises(ParameterError, match="spectral_density"):
        Bath(3.0)
    with pytest.raises(ParameterError, match="wmax"):
        OhmicBath(1.0, 1.0, wmax=-2.0)
    with pytest.raises(ParameterError, match="cutoff"):
        OhmicBath(1.0, 1.0, cutoff="gauss")


@pytest.mark.parametrize("T", [0.0, 0.3])
def test_lamb_shift_table_accuracy_whole_line(T):
    """The table (used inside amesolve) against the converged quadrature: 1e-10 x max|S| in its
    range, bridge below it (|w| < lo), quadrature above it; custom J (no closed form)."""
    from openlz import Bath

    bath = Bath(lambda w: 0.05 * w * np.exp(-w / 4.0), T=T, scale=4.0)
    tab = bath.lamb_shift_table(1e-5, 30.0)
    w = np.concatenate([np.geomspace(1e-5, 30, 97), -np.geomspace(1e-5, 30, 97), [0.0]])
    ref = bath.lamb_shift(w, method="quad")
    scale = np.max(np.abs(ref))
    assert np.max(np.abs(tab(w) - ref)) <= 1e-10 * scale
    assert tab.rel_error <= 1e-10
    # below the range: linear bridge to S(0), error bounded by |S(lo) - S(0)|
    tiny = np.array([1e-9, -3e-7])
    bridge_err = np.abs(tab(tiny) - bath.lamb_shift(tiny, method="quad"))
    assert np.all(bridge_err <= np.abs(tab(np.array([1e-5, -1e-5])) - tab(np.array(0.0))))
