"""Paper 004: eigenkets of Eq. (14), the postselected state of Eq. (15), and the single-qubit
T1, T2 of Eqs. (S15)–(S23).

References: ``numpy.linalg.eig`` of the no-jump Hamiltonian H − (i/2) Σ L†L built from the
model's own jump operators (not from the closed form), the model's 16×16 conditional
Lindblad numerics, scipy ``expm``, and QuTiP ``mesolve`` of the single-spin master equation
Eqs. (S8)–(S10) with a least-squares fit of the decays.
"""

from __future__ import annotations

import numpy as np
import pytest

from openlz.analytic import magnetic_medium_green as green
from openlz.analytic import magnetic_medium_nonhermitian as nh
from openlz.models.magnetic_medium import MODEL, generator, hamiltonian, jump_operators
from openlz.solve.lindblad import evolve_constant


def _p(**kw):
    return {k: np.atleast_1d(np.asarray(v)) for k, v in MODEL.resolve(kw).items()}


def _model_heff_subspace(**kw):
    """H_eff = H − (i/2) Σ L_k† L_k of the model (Eq. 12 in the library convention) on
    {ud, du}."""
    p = _p(**kw)
    relax, _ = jump_operators(p)
    h = hamiltonian(p["Delta"], p["delta"], p["Jz"], p["Jperp"], p["DM"])[0]
    heff = h - 0.5j * np.einsum("kji,kjl->il", relax[0].conj(), relax[0])
    return heff[1:3, 1:3]


CASES = [
    {"a": 1.0, "A": 0.8, "delta": 0.3},                                    # PT-broken
    {"a": 1.0, "A": 0.8, "delta": 2.5},                                    # PT-exact
    {"a": 1.0, "A": 0.6, "a_tilde": 0.3, "A_tilde": 0.2, "delta": 0.5},    # finite T, Γ = 0.8
    {"a": 1.0, "A": 0.7 * np.exp(1.2j), "a_tilde": 0.2, "A_tilde": 0.1 * np.exp(1.2j),
     "delta": 0.4},                                                        # gauge phase
    {"a": 1.0, "A": 0.7 * np.exp(0.4j), "a_tilde": 0.3, "A_tilde": 0.25 * np.exp(-1.0j),
     "delta": 1.3, "Jz": 0.4},                                             # unequal phases, Jz
]


@pytest.mark.parametrize("kw", CASES)
def test_eigensystem_eq14_against_eig(kw):
    heff = _model_heff_subspace(**kw)
    p = _p(**kw)
    gc = complex(p["A"][0] + p["A_tilde"][0])
    es, ea, ks, ka = nh.eigensystem(p["delta"][0], abs(gc), p["a"][0] + p["a_tilde"][0],
                                    np.angle(gc))
    shift = -kw.get("Jz", 0.0)          # Jz σ1zσ2z = −Jz on {ud, du}
    lam, vecs = np.linalg.eig(heff)
    for e, k in ((es, ks), (ea, ka)):
        j = int(np.argmin(np.abs(lam - (e + shift))))
        assert lam[j] == pytest.approx(e + shift, abs=1e-12)
        assert abs(np.vdot(k, vecs[:, j])) == pytest.approx(1.0, abs=1e-12)  # same ray
        np.testing.assert_allclose(heff @ k, (e + shift) * k, atol=1e-12)
    assert np.linalg.norm(ks) == pytest.approx(1.0) and np.linalg.norm(ka) == pytest.approx(1.0)


def test_pt_broken_bell_form_and_exceptional_point():
    """Text after Eq. (15): |a> = (|ud> + e^{iϕ~}|du>)/√2, e^{iϕ~} = (−κ + iδ)/Γ (up to a global
    phase); at the EP the eigenkets coalesce into (|ud> + i|du>)/√2."""
    d, g = 0.6, 1.5
    k = np.sqrt(g**2 - d**2)
    _, _, _, ka = nh.eigensystem(d, g)
    ref = np.array([1.0, (-k + 1j * d) / g]) / np.sqrt(2)
    assert abs(np.vdot(ref, ka)) == pytest.approx(1.0, abs=1e-14)
    _, _, ks, ka = nh.eigensystem(g, g)
    ep = np.array([1.0, 1j]) / np.sqrt(2)
    assert abs(np.vdot(ep, ks)) == pytest.approx(1.0, abs=1e-14)
    assert abs(np.vdot(ep, ka)) == pytest.approx(1.0, abs=1e-14)


def _random_subspace_state(rng):
    v = rng.normal(size=2) + 1j * rng.normal(size=2)
    w = rng.normal(size=2) + 1j * rng.normal(size=2)
    r = 0.7 * np.outer(v, v.conj()) / np.vdot(v, v).real + 0.3 * np.outer(w, w.conj()) / np.vdot(
        w, w).real
    return r


@pytest.mark.parametrize("kw", CASES)
def test_eq15_against_model_numerics(kw, rng):
    """Eq. (15) (eigen-expansion) and the propagator form against the model's postselected
    16×16 conditional evolution from a random state in {ud, du}: populations and C(t)."""
    t = np.linspace(0.0, 4.0, 9)
    sub = _random_subspace_state(rng)
    init = nh.embed_subspace(sub)
    r = MODEL.evaluate(kw, t, ["populations", "concurrence", "concurrence_closed_form"],
                       {"postselect": True, "initial": init})
    p = _p(**kw)
    gc = complex(p["A"][0] + p["A_tilde"][0])
    eig = nh.postselected_state_eigen(t, sub, p["delta"][0], abs(gc), np.angle(gc))
    prop = nh.postselected_state(t, sub, p["delta"][0], abs(gc), np.angle(gc))
    np.testing.assert_allclose(eig, prop, atol=1e-12)
    np.testing.assert_allclose(r["populations"][0][:, 1:3],
                               np.einsum("tii->ti", eig).real, atol=1e-10)
    np.testing.assert_allclose(r["concurrence"][0], 2 * np.abs(eig[:, 0, 1]), atol=1e-10)
    np.testing.assert_allclose(r["concurrence_closed_form"][0], r["concurrence"][0], atol=1e-10)


def test_propagator_form_at_exceptional_point(rng):
    """At δ = Γ Eq. (15) does not exist (H_eff not diagonalisable); the propagator form is
    regular there and matches the model (EP concurrence closed form from |ud> too)."""
    t = np.linspace(0.0, 3.0, 7)
    sub = _random_subspace_state(rng)
    r = MODEL.evaluate({"a": 1.5, "A": 1.5, "delta": 1.5}, t, ["populations"],
                       {"postselect": True, "initial": nh.embed_subspace(sub)})
    prop = nh.postselected_state(t, sub, 1.5, 1.5)
    np.testing.assert_allclose(r["populations"][0][:, 1:3], np.einsum("tii->ti", prop).real,
                               atol=1e-9)
    ud = nh.postselected_state(t, np.diag([1.0, 0.0]), 1.5, 1.5)
    from openlz.analytic.magnetic_medium import concurrence_exceptional_point
    np.testing.assert_allclose(2 * np.abs(ud[:, 0, 1]), concurrence_exceptional_point(t, 1.5),
                               atol=1e-13)


def test_bell_state_reached_unless_p_aa_vanishes(rng):
    """Text after Eq. (15): in the PT-broken regime every state with p_aa != 0 flows to |a>;
    the eigenket |s> itself (p_aa = 0) stays |s> (fidelity |<a|s>|² for all t)."""
    kw = {"a": 1.0, "A": 0.9, "a_tilde": 0.1, "A_tilde": 0.09, "delta": 0.4}
    t = np.array([0.0, 5.0, 40.0])
    sub = _random_subspace_state(rng)
    r = MODEL.evaluate(kw, t, ["bell_fidelity"], {"postselect": True,
                                                  "initial": nh.embed_subspace(sub)})
    assert r["bell_fidelity"][0, -1] == pytest.approx(1.0, abs=1e-10)
    _, _, ks, ka = nh.eigensystem(0.4, 0.99)
    s4 = nh.embed_ket(ks)
    # |s> is the faster-decaying mode: a roundoff seed of |a> grows as e^{4κt} relative to it,
    # so the exact statement is checked where e^{4κt}·1e-16 is negligible (t <= 2)
    r = MODEL.evaluate(kw, np.array([0.0, 1.0, 2.0]), ["bell_fidelity"],
                       {"postselect": True, "initial": np.outer(s4, s4.conj())})
    np.testing.assert_allclose(r["bell_fidelity"][0], abs(np.vdot(ka, ks)) ** 2, atol=1e-9)


# --- single-qubit T1, T2 (Supplement ii) ------------------------------------------------------
def _fit_rate(t, y):
    """Least-squares slope of ln y (y decays exponentially)."""
    return -np.polyfit(t, np.log(y), 1)[0]


@pytest.mark.parametrize("a,at,d", [(1.0, 0.0, 0.0), (0.7, 0.2, 0.1), (0.3, 0.3, 0.5)])
def test_T1_T2_against_qutip_single_spin(a, at, d):
    """Eqs. (S8)–(S10) for one spin in QuTiP: c_ops √(2B>)σ+, √(2B<)σ−, √(2D)σz with B> = a,
    B< = ã, D = d; <σz> relaxes to 2s̄z with 1/T1 (Eq. S16), |ρ↑↓| decays with 1/T2 (S21)."""
    qt = pytest.importorskip("qutip")
    Delta = 1.7
    t = np.linspace(0.0, 3.0, 31)
    c_ops = [np.sqrt(2 * a) * qt.sigmap(), np.sqrt(2 * d) * qt.sigmaz()]
    if at > 0:
        c_ops.append(np.sqrt(2 * at) * qt.sigmam())
    psi0 = qt.basis(2, 1)   # |↓>
    plus = (qt.basis(2, 0) + qt.basis(2, 1)).unit()
    opts = {"atol": 1e-12, "rtol": 1e-10}
    res_z = qt.mesolve(-Delta / 2 * qt.sigmaz(), psi0 * psi0.dag(), t, c_ops, e_ops=[qt.sigmaz()],
                       options=opts)
    sz_eq = 2 * green.equilibrium_sz(a, at)
    rate1 = _fit_rate(t, np.abs(np.asarray(res_z.expect[0]) - sz_eq))
    assert 1 / rate1 == pytest.approx(float(green.relaxation_time_T1(a, at)), rel=1e-7)
    res_x = qt.mesolve(-Delta / 2 * qt.sigmaz(), plus * plus.dag(), t, c_ops, options=opts)
    coh = np.array([abs(s.full()[0, 1]) for s in res_x.states])
    rate2 = _fit_rate(t, coh)
    assert 1 / rate2 == pytest.approx(float(green.decoherence_time_T2(a, at, d)), rel=1e-7)


def test_T1_T2_from_the_two_qubit_model():
    """With A = Ã = D = 0 the two qubits decouple: the model's reduced qubit-1 dynamics (from
    its 16×16 generator) relaxes with the T1, T2 observables."""
    kw = {"a": 0.8, "a_tilde": 0.3, "d": 0.15, "A": 0.0, "delta": 0.2, "Delta": 1.1}
    t = np.linspace(0.0, 2.0, 11)
    p = _p(**kw)
    plus_down = np.kron(np.array([1.0, 1.0]) / np.sqrt(2), np.array([0.0, 1.0]))
    rho = evolve_constant(generator(p), np.outer(plus_down, plus_down), t)[0]
    r1 = np.einsum("tiaja->tij", rho.reshape(-1, 2, 2, 2, 2))      # trace out qubit 2
    sz = (r1[:, 0, 0] - r1[:, 1, 1]).real
    obs = MODEL.evaluate(kw, None, ["T1", "T2"])
    sz_eq = 2 * float(green.equilibrium_sz(0.8, 0.3))
    assert 1 / _fit_rate(t, np.abs(sz - sz_eq)) == pytest.approx(obs["T1"][0], rel=1e-9)
    assert 1 / _fit_rate(t, np.abs(r1[:, 0, 1])) == pytest.approx(obs["T2"][0], rel=1e-9)
    assert obs["T1"][0] == pytest.approx(1 / (2 * 1.1)) and obs["T2"][0] == pytest.approx(
        1 / (0.6 + 1.1))
