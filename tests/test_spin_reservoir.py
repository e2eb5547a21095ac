"""Model ``spin-reservoir`` (paper 003, Sec. II, Fig. 2).

Oracles: closed forms at β = 0 (f_n = 1/2): chain p_n = 1/2 + R^{n-1}(p0 - 1/2),
|k_n| = R^{(n-1)/2}|k0| (Eqs. 16–17 iterated), continuous p(t) = 1/2 + (p0 - 1/2) e^{-Γt},
k(t) = k0 e^{-iε̇t² - Γt/2} (Eqs. 22–23 integrated); the generic collision driver with the
unitary of Eq. (8) and thermal ancillas (independent code path: partial traces); the
paper's statements on Fig. 2 (chain ≈ exact; continuous ≈ chain in the fast regime).
"""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from openlz.analytic.landau_zener import collision_unitary, fermi_spin_occupation
from openlz.errors import ParameterError, ValidityWarning
from openlz.models.spin_reservoir import MODEL, crossing_times, lz_chain
from openlz.solve.collisions import repeated_interactions


def test_chain_and_continuous_closed_forms_at_infinite_temperature():
    """β = 0: f = 1/2 for every level; batched over three (ν, ε̇) points."""
    nu = np.array([0.1, 0.2, 0.4])
    rate = np.array([1.0, 0.2, 0.1])
    L = 6
    r = MODEL.evaluate({"L": L, "nu": nu, "rate": rate, "beta": 0.0, "p0": 0.8, "k0_re": 0.3,
                        "k0_im": 0.2}, None,
                       ["t_crossing", "p_chain", "abs_k_chain", "p_continuous",
                        "abs_k_continuous", "re_k_continuous", "p_continuous_eq19"])
    R = np.exp(-np.pi * nu**2 / rate)[:, None]
    n = np.arange(L + 1)[None, :]
    assert np.allclose(r["p_chain"], 0.5 + R**n * 0.3, atol=1e-13)
    assert np.allclose(r["abs_k_chain"], R ** (n / 2) * abs(0.3 + 0.2j), atol=1e-13)
    t = r["t_crossing"]
    gamma = (np.pi * nu**2)[:, None]
    assert np.allclose(r["p_continuous"], 0.5 + 0.3 * np.exp(-gamma * t), atol=1e-8)
    k = (0.3 + 0.2j) * np.exp(-1j * rate[:, None] * t**2 - gamma * t / 2)
    assert np.allclose(r["abs_k_continuous"], np.abs(k), atol=1e-12)
    assert np.allclose(r["re_k_continuous"], k.real, atol=1e-12)
    g19 = (rate[:, None] * (1 - R))
    assert np.allclose(r["p_continuous_eq19"], 0.5 + 0.3 * np.exp(-g19 * t), atol=1e-8)


def test_chain_equals_generic_collision_driver():
    """Eqs. (16)–(17) = repeated Tr_n[U_n (ρ ⊗ ρ_n^B) U_n†] with U_n of Eq. (8)."""
    L, de, nu, rate, beta, mu = 5, 1.0, 0.2, 0.3, 1.0, 2.0
    p0, k0 = 0.7, 0.3 - 0.2j
    p, k = lz_chain(L, np.array([de]), np.array([nu]), np.array([rate]), np.array([beta]),
                    np.array([mu]), np.array([p0]), np.array([k0]))
    tau = crossing_times(L, np.array([de]), np.array([rate]))[0]
    eps = de * np.arange(1, L + 1)
    R = np.exp(-np.pi * nu**2 / rate)
    alpha = 0.5 * rate * (tau[1:] ** 2 - tau[:-1] ** 2) + eps * (tau[1:] - tau[:-1])
    U = collision_unitary(np.full(L, R), 0.37, alpha)  # Stokes phase irrelevant for q = 0
    f = fermi_spin_occupation(eps, beta, mu)
    anc = np.stack([np.diag([fn, 1 - fn]) for fn in f])
    traj = repeated_interactions(np.array([[p0, k0], [np.conj(k0), 1 - p0]]), U, anc)
    assert np.allclose(p[0], traj[:, 0, 0].real, atol=1e-13)
    assert np.allclose(k[0], traj[:, 0, 1], atol=1e-13)


def test_fast_regime_chain_continuous_exact_agree():
    """Fig. 2(e,f), ν = 0.1, ε̇ = 1, L = 10, β = 2: chain ≈ exact populations and |k|
    (paper: 'match well'), continuous ≈ chain at the crossings (within one collision's
    worth 1 - R = 0.031)."""
    r = MODEL.evaluate({"L": 10, "nu": 0.1, "rate": 1.0, "beta": 2.0, "p0": 0.8, "k0_re": 0.4},
                       None, ["p_chain", "abs_k_chain", "p_continuous", "p_exact",
                              "abs_k_exact"])
    assert np.max(np.abs(r["p_chain"] - r["p_exact"])) < 0.01
    assert np.max(np.abs(r["abs_k_chain"] - r["abs_k_exact"])) < 0.005
    assert np.max(np.abs(r["p_continuous"] - r["p_chain"])) < 1 - np.exp(-np.pi * 0.01)
    info = r["_attrs"]["exact_solver"][0]
    assert info["method"] == "configurations" and info["missing_weight"] < 1e-9


def test_adiabatic_chain_phase_fixes_first_interval():
    """Documented finding: with τ_1 = 0 the paper's α_1 (Eq. 9) misses the diagonal phase
    η_1 of the off-centre first interval, so Re k_n of the chain is off for every n;
    chain_phase='adiabatic' restores agreement with the exact Re k (fast regime)."""
    args = {"L": 6, "nu": 0.1, "rate": 1.0, "beta": 2.0, "p0": 0.5, "k0_re": 0.5}
    ex = MODEL.evaluate(args, None, ["re_k_exact"])["re_k_exact"]
    paper = MODEL.evaluate(args, None, ["re_k_chain"])["re_k_chain"]
    fixed = MODEL.evaluate({**args, "chain_phase": "adiabatic"}, None,
                           ["re_k_chain"])["re_k_chain"]
    assert np.max(np.abs(paper - ex)) > 0.1
    assert np.max(np.abs(fixed - ex)) < 0.03


def test_dressed_chain_phase_tracks_exact_coherence():
    """Fig. 2(c,d) parameters (ν = 0.2, ε̇ = 0.2, L = 10): Eq. (9) phases miss the exact Re k_n
    by ~0.35, the first-interval fix by ~0.16; adding the level shifts of all reservoir spins
    ('dressed', openlz) brings it to ~0.04 (oracle: the exact many-body solution)."""
    args = {"L": 10, "nu": 0.2, "rate": 0.2, "p0": 0.8, "k0_re": 0.4}
    ex = MODEL.evaluate(args, None, ["re_k_exact"])["re_k_exact"]
    err = {ph: np.max(np.abs(MODEL.evaluate({**args, "chain_phase": ph}, None,
                                            ["re_k_chain"])["re_k_chain"] - ex))
           for ph in ("paper", "adiabatic", "dressed")}
    assert err["paper"] > 0.3 and err["adiabatic"] > 0.1
    assert err["dressed"] < 0.05


def test_time_resolved_observables():
    """Exact p(t) on a time grid starts at p0 and agrees with the crossing values."""
    t = np.linspace(0.0, 4.5, 10)  # includes τ_1 = 0, τ_3 = 2.5, τ_5 = 4.5 for ε̇ = 1
    r = MODEL.evaluate({"L": 4, "p0": 0.6, "k0_re": 0.2}, t,
                       ["p_exact", "p_exact_t", "abs_k_exact_t", "p_continuous_t"])
    assert r["p_exact_t"].shape == (1, 10)
    assert r["p_exact_t"][0, 0] == pytest.approx(0.6)
    assert r["abs_k_exact_t"][0, 0] == pytest.approx(0.2)
    assert r["p_exact_t"][0, -1] == pytest.approx(r["p_exact"][0, -1], abs=1e-9)


@pytest.mark.parametrize("values,name", [
    ({"p0": 0.5, "k0_re": 0.6}, "k0_re"),
    ({"L": 0}, "L"),
    ({"rate": 0.0}, "rate"),
    ({"p0": 1.2}, "p0"),
    ({"chain_phase": "nope"}, "chain_phase"),
])
def test_invalid_parameters_raise(values, name):
    with pytest.raises(ParameterError) as e:
        MODEL.resolve(values)
    assert e.value.name == name


def test_validity_warning_for_overlapping_crossings():
    """Eq. (2): Δε > 2|ν| violated -> ValidityWarning naming the inequality."""
    with pytest.warns(ValidityWarning) as rec:
        MODEL.evaluate({"L": 3, "nu": 0.8}, None, ["p_chain"])
    messages = [str(w.message) for w in rec]
    assert any("Eq. (2)" in m and "2|ν|" in m for m in messages)
    assert any("Eq. (3)" in m for m in messages)  # 1 < sqrt(1) max(1, 1.6)


def test_cli_json_issue_example():
    """The issue's command prints the six crossing observables and the crossing times."""
    cmd = [sys.executable, "-m", "openlz.cli", "run", "spin-reservoir", "--set", "L=10",
           "--set", "nu=0.1", "--set", "rate=1.0", "--set", "beta=2", "--json"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if proc.returncode != 0 and "No module named openlz.cli.__main__" in proc.stderr:
        pytest.skip("openlz.cli not runnable with -m")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    for name in ("p_chain", "abs_k_chain", "p_continuous", "abs_k_continuous", "p_exact",
                 "abs_k_exact"):
        assert len(out["observables"][name]) == 11
    assert out["coords"]["crossing_times"][:3] == [0.0, 1.5, 2.5]


@pytest.mark.parametrize("L", [16, pytest.param(32, marks=pytest.mark.slow)])
def test_beyond_the_papers_ten_spins(L):
    """Fast regime (Fig. 2e,f parameters) at L = 16 (< 2 s) and L = 32 (~20 s, slow): the
    chain still matches the exact populations and |k| (paper 003: 'one may expect a better
    agreement ... as the number of spins increases'; at L = 10 the error is 0.0075)."""
    r = MODEL.evaluate({"L": L, "nu": 0.1, "rate": 1.0, "beta": 2.0, "p0": 0.8, "k0_re": 0.4},
                       None, ["p_chain", "abs_k_chain", "p_exact", "abs_k_exact"])
    assert r["p_exact"].shape == (1, L + 1)
    assert np.max(np.abs(r["p_chain"] - r["p_exact"])) < 0.01
    assert np.max(np.abs(r["abs_k_chain"] - r["abs_k_exact"])) < 0.005


def test_continuous_equation_is_the_stated_lindblad_form():
    """Eqs. (22)–(23) = the library's Lindblad equation with H = ε_t σ^z,
    L_+ = sqrt(Γ f(ε_t)) σ^+, L_- = sqrt(Γ (1 - f(ε_t))) σ^- (oracle: openlz.solve.evolve_td
    on the 2x2 density matrix, an independent integration of the full Liouvillian)."""
    from openlz.core.liouvillian import liouvillian
    from openlz.core.operators import sigma_minus, sigma_plus, sigma_z
    from openlz.solve import evolve_td

    nu, rate, beta, mu, p0, k0 = 0.3, 0.5, 1.0, 2.0, 0.7, 0.2 - 0.3j
    gamma = np.pi * nu**2
    t = np.linspace(0.0, 8.0, 9)

    def gen(tt):
        f = fermi_spin_occupation(rate * tt, beta, mu)
        return liouvillian(rate * tt * sigma_z(), [np.sqrt(gamma * f) * sigma_plus(),
                                                    np.sqrt(gamma * (1 - f)) * sigma_minus()])

    rho, _ = evolve_td(gen, np.array([[p0, k0], [np.conj(k0), 1 - p0]]), t)
    r = MODEL.evaluate({"L": 4, "nu": nu, "rate": rate, "beta": beta, "mu": mu, "p0": p0,
                        "k0_re": k0.real, "k0_im": k0.imag}, t,
                       ["p_continuous_t", "re_k_continuous_t", "abs_k_continuous_t"])
    assert np.allclose(r["p_continuous_t"][0], rho[:, 0, 0].real, atol=1e-7)
    assert np.allclose(r["re_k_continuous_t"][0], rho[:, 0, 1].real, atol=1e-7)
    assert np.allclose(r["abs_k_continuous_t"][0], np.abs(rho[:, 0, 1]), atol=1e-7)
