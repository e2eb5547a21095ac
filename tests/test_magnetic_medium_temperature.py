"""magnetic-medium: temperature T and spin chemical potential mu (paper 004, text after Eq. 6
and the Discussion's quasi-equilibrium pumped medium), and the exact conditional evolution.

Expected values: the fluctuation–dissipation ratio e^{−(Δ−μ)/T} computed here by hand, the
closed-form steady concurrence (1 − r)²/(2(1 + r + r²)) of a = |A|, ã = |Ã|, δ = 0
(analytic.magnetic_medium, checked against the numerics in its own tests) and scipy ``expm`` of
the conditional generator (an independent propagation).
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg as sla

from openlz.core.liouvillian import unvec, vec
from openlz.core.operators import two_qubit_state
from openlz.errors import ParameterError
from openlz.models.magnetic_medium import MODEL, generator, initial_conditional_state


def test_defaults_keep_zero_temperature():
    p = MODEL.resolve({})
    assert np.isnan(p["T"]) and p["mu"] == 0.0
    assert p["a_tilde"] == 0.0 and p["A_tilde"] == 0.0
    assert p["efficiency"] == 1.0 and p["measurement_rate"] == 0.0


def test_temperature_sets_reverse_rates():
    """ã = e^{−Δ/T} a, Ã = e^{−Δ/T} A: Δ = T ln 10 gives ã = a/10 (Fig. S4a: a = 30, ã = 3)."""
    p = MODEL.resolve({"T": 2.0, "Delta": 2.0 * np.log(10.0), "a": 30.0, "A": 30.0})
    assert p["a_tilde"] == pytest.approx(3.0, rel=1e-14)
    assert p["A_tilde"] == pytest.approx(3.0, rel=1e-14)
    r = MODEL.evaluate({"T": 2.0, "Delta": 2.0 * np.log(10.0), "a": 30.0, "A": 30.0}, None,
                       ["steady_concurrence"])
    # closed form at r = 0.1: (0.9)²/(2·1.11) = 0.364864...
    assert r["steady_concurrence"][0] == pytest.approx(0.81 / 2.22, abs=1e-9)


def test_chemical_potential_and_limits():
    """e^{−(Δ−μ)/T}: μ = Δ − T ln 4 gives ã = a/4; T = 0 gives 0; T = inf gives 1."""
    p = MODEL.resolve({"T": 0.5, "Delta": 3.0, "mu": 3.0 - 0.5 * np.log(4.0), "a": 2.0,
                       "A": 1.0 - 1.0j})
    assert p["a_tilde"] == pytest.approx(0.5, rel=1e-13)
    assert p["A_tilde"] == pytest.approx((1.0 - 1.0j) / 4, rel=1e-13)
    assert MODEL.resolve({"T": 0.0, "Delta": 1.0})["a_tilde"] == 0.0
    assert MODEL.resolve({"T": np.inf, "Delta": 1.0, "a": 2.0})["a_tilde"] == pytest.approx(2.0)
    # pumping (mu > 0) raises the steady excitation: r = ã/a grows, C∞ falls (closed form)
    r = MODEL.evaluate({"T": np.full(3, 1.0), "Delta": np.full(3, 2.0),
                        "mu": np.array([-1.0, 0.0, 1.0])}, None, ["steady_concurrence"])
    ratio = np.exp(-(2.0 - np.array([-1.0, 0.0, 1.0])))
    np.testing.assert_allclose(r["steady_concurrence"],
                               (1 - ratio) ** 2 / (2 * (1 + ratio + ratio**2)), atol=1e-9)


def test_batched_temperature_grid():
    T = np.array([0.0, 0.5, 1.0, 4.0])
    p = MODEL.resolve({"T": T, "Delta": 1.0, "a": 1.0, "A": 0.5})
    np.testing.assert_allclose(p["a_tilde"], np.where(T > 0, np.exp(-1 / np.where(T > 0, T, 1)),
                                                      0.0), rtol=1e-14)


@pytest.mark.parametrize("kw,name", [
    ({"T": 1.0, "Delta": 1.0, "a_tilde": 0.1}, "a_tilde"),
    ({"T": 1.0, "Delta": 1.0, "A_tilde": 0.05}, "A_tilde"),
    ({"T": -1.0, "Delta": 1.0}, "T"),
    ({"mu": 0.5}, "mu"),                      # mu acts only through T
    ({"T": 1.0, "Delta": 1.0, "mu": 1.0}, "mu"),   # mu < Delta
    ({"T": 1.0}, "Delta"),                    # T set, Delta = mu = 0: Delta must exceed mu
    ({"measurement_rate": -1.0}, "measurement_rate"),
])
def test_temperature_errors(kw, name):
    with pytest.raises(ParameterError) as e:
        MODEL.resolve(kw)
    assert e.value.name == name
    assert "paper 004" in str(e.value) or name == "measurement_rate"


def test_resolving_twice_is_consistent():
    """The CLI resolves, then evaluates the resolved values again: the derived ã must not be
    taken for an explicit one."""
    p = MODEL.resolve({"T": 0.7, "Delta": 1.3, "mu": 0.2, "a": 1.0, "A": 0.4})
    assert MODEL.resolve(p) == p


@pytest.mark.parametrize("kw", [
    {"a": 1.0, "A": 0.7, "a_tilde": 0.3, "A_tilde": 0.2, "delta": 0.4, "efficiency": 0.6},
    {"a": 1.0, "A": 0.9, "delta": 2.0},
    {"a": 1.0, "A": 0.6 * np.exp(0.4j), "a_tilde": 0.2, "A_tilde": 0.1 * np.exp(0.4j),
     "delta": 0.3, "Jz": 0.2, "DM": 0.1, "efficiency": 0.3},
])
def test_conditional_evolution_matches_expm(kw):
    """The shifted exact conditional propagation against scipy expm of the unshifted
    conditional generator, one expm per output time (t <= 6, no underflow)."""
    t = np.array([0.0, 0.3, 1.0, 2.5, 6.0])
    init = 0.6 * two_qubit_state("ud") + 0.4 * two_qubit_state("singlet")
    r = MODEL.evaluate(kw, t, ["populations", "success_probability", "concurrence"],
                       {"postselect": True, "initial": init})
    p = {k: np.atleast_1d(np.asarray(v)) for k, v in MODEL.resolve(kw).items()}
    g = generator(p, p["efficiency"], p["measurement_rate"])[0]
    s0 = initial_conditional_state(init, p["efficiency"])[0]
    ref = np.array([unvec(sla.expm(g * tt) @ vec(s0)) for tt in t])
    tr = np.einsum("tii->t", ref).real
    np.testing.assert_allclose(r["success_probability"][0], tr, rtol=1e-11)
    np.testing.assert_allclose(r["populations"][0], np.einsum("tii->ti", ref).real / tr[:, None],
                               atol=1e-12)
