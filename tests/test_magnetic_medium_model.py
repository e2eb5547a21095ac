"""magnetic-medium model (paper 004): validation, convention mapping, QuTiP oracle,
postselection with finite detector efficiency, temperature constructor, batching."""

from __future__ import annotations

import numpy as np
import pytest

from openlz.core.liouvillian import unvec, vec
from openlz.core.operators import two_qubit_state
from openlz.errors import ParameterError
from openlz.models.magnetic_medium import MODEL, generator, params_from_temperature
from openlz.solve.lindblad import evolve_constant
from openlz.solve.nonhermitian import conditional_evolve


def _p(**kw):
    """Resolved parameters as (1,) arrays (one batch point)."""
    return {k: np.atleast_1d(np.asarray(v)) for k, v in MODEL.resolve(kw).items()}


# --- validation (Eq. S42 and the positivity of h, Eq. 4) --------------------------------------
@pytest.mark.parametrize("kw,name", [
    ({"a": 1.0, "A": 2.0}, "A"),
    ({"a": 1.0, "A": 0.8 + 0.8j}, "A"),           # |A| = 1.13 > a
    ({"a_tilde": 0.1, "A_tilde": 0.2}, "A_tilde"),
    ({"d": 0.1, "D": -0.3}, "D"),
    ({"a": -1.0, "A": 0.0}, "a"),
    ({"a_tilde": -0.1}, "a_tilde"),
    ({"d": -0.1}, "d"),
    ({"delta": float("nan")}, "delta"),
    ({"a": float("inf")}, "a"),
    ({"efficiency": 1.5}, "efficiency"),
])
def test_validation_errors(kw, name):
    with pytest.raises(ParameterError) as e:
        MODEL.resolve(kw)
    assert e.value.name == name


def test_validation_batched_reports_offending_value():
    with pytest.raises(ParameterError, match=r"'A' = 3.0.*a = 2"):
        MODEL.evaluate({"a": np.array([1.0, 2.0]), "A": np.array([0.5, 3.0])}, None,
                       ["steady_concurrence"])


def test_boundary_a_equals_abs_A_is_allowed():
    MODEL.resolve({"a": 1.0, "A": np.exp(0.3j)})


# --- convention mapping: the model's generator reproduces the paper's Eq. (S54) --------------
def test_generator_matches_paper_eq_s54(rng):
    """Eq. (S54) written out by the paper for X states in the ud/du block (finite temperature,
    δ ≠ 0, Γ = |A| + |Ã|) — an independent check of the mapping L = √2 J and of Eq. (4)."""
    a, at, A, At, d = 1.3, 0.4, 0.9, 0.25, 0.7
    g = A + At
    L = generator(_p(a=a, a_tilde=at, A=A, A_tilde=At, delta=d, Delta=0.37))[0]
    r = np.zeros((4, 4), complex)
    pops = rng.random(4)
    r[np.diag_indices(4)] = pops / pops.sum()
    r[1, 2] = 0.1 + 0.05j
    r[2, 1] = np.conj(r[1, 2])
    dr = unvec(L @ vec(r))
    p00, p11, p22, p33, p12, p21 = r[0, 0], r[1, 1], r[2, 2], r[3, 3], r[1, 2], r[2, 1]
    expected = {
        (0, 0): -4 * at * p00 + 2 * a * (p11 + p22) + 2 * A * (p12 + p21),
        (1, 1): -2 * (a + at) * p11 + 2 * at * p00 + 2 * a * p33 - g * (p12 + p21),
        (2, 2): -2 * (a + at) * p22 + 2 * at * p00 + 2 * a * p33 - g * (p12 + p21),
        (3, 3): -4 * a * p33 + 2 * at * (p11 + p22) + 2 * At * (p12 + p21),
        (1, 2): 2 * (1j * d - (a + at)) * p12 - g * (p11 + p22) + 2 * At * p00 + 2 * A * p33,
        (2, 1): 2 * (-1j * d - (a + at)) * p21 - g * (p11 + p22) + 2 * At * p00 + 2 * A * p33,
    }
    # Eq. (S54) as printed has ρ̇33 = ... + 2|Ã|(...) and ρ̇00 = ... + 2|A|(...): the σ+ (decay)
    # processes feed uu, the σ− (excitation) processes feed dd.
    for (i, j), v in expected.items():
        assert dr[i, j] == pytest.approx(v, abs=1e-12), (i, j)
    mask = np.ones((4, 4), bool)
    for ij in expected:
        mask[ij] = False
    np.testing.assert_allclose(dr[mask], 0, atol=1e-12)


def test_gauge_phase_of_A_drops_out():
    """Ref. [71]: equal phases of A and Ã are gauged out (z rotation of qubit 2); concurrence,
    populations and negativity are then those of real |A|, |Ã|."""
    t = np.linspace(0, 3, 31)
    ph = np.exp(1.1j)
    obs = ["concurrence", "populations", "negativity"]
    r1 = MODEL.evaluate({"a": 1.0, "A": 0.95, "a_tilde": 0.1, "A_tilde": 0.09, "delta": 0.2},
                        t, obs)
    r2 = MODEL.evaluate({"a": 1.0, "A": 0.95 * ph, "a_tilde": 0.1, "A_tilde": 0.09 * ph,
                         "delta": 0.2}, t, obs)
    assert np.max(r1["concurrence"]) > 0.2
    for o in obs:
        np.testing.assert_allclose(r1[o], r2[o], atol=1e-12)
    # unequal phases are a different physical situation (not gaugeable): results differ
    r3 = MODEL.evaluate({"a": 1.0, "A": 0.95 * ph, "a_tilde": 0.1, "A_tilde": 0.09,
                         "delta": 0.2}, t, obs)
    assert np.max(np.abs(r1["concurrence"] - r3["concurrence"])) > 1e-3


# --- QuTiP oracle ------------------------------------------------------------------------------
def test_against_qutip_mesolve_full_model():
    """Eq. (2) with Eq. (5) jumps (c_ops = √2 J), dephasing, Jz, J⊥, DM, finite T, δ ≠ 0,
    solved by QuTiP mesolve; concurrence and full state compared."""
    qt = pytest.importorskip("qutip")
    a, at, A, At, d, D = 1.0, 0.3, 0.7, 0.2, 0.15, 0.05
    Delta, delta, Jz, Jp, DM = 1.5, 0.4, 0.3, -0.2, 0.25
    t = np.linspace(0, 3, 31)
    I = qt.qeye(2)
    sp, sm, sz, sx, sy = qt.sigmap(), qt.sigmam(), qt.sigmaz(), qt.sigmax(), qt.sigmay()

    def k(x, y):
        return qt.tensor(x, y)

    H = (-((Delta + delta) * k(sz, I) + (Delta - delta) * k(I, sz)) / 2 + Jz * k(sz, sz)
         + Jp * (k(sx, sx) + k(sy, sy)) + DM * (k(sx, sy) - k(sy, sx)))
    J = [np.sqrt((at + At) / 2) * (k(sm, I) + k(I, sm)), np.sqrt((at - At) / 2) * (k(sm, I) - k(I, sm)),
         np.sqrt((a + A) / 2) * (k(sp, I) + k(I, sp)), np.sqrt((a - A) / 2) * (k(sp, I) - k(I, sp)),
         np.sqrt((d + D) / 2) * (k(sz, I) + k(I, sz)), np.sqrt((d - D) / 2) * (k(sz, I) - k(I, sz))]
    psi0 = qt.tensor(qt.basis(2, 0), qt.basis(2, 1))  # |ud>
    res = qt.mesolve(H, psi0 * psi0.dag(), t, [np.sqrt(2) * j for j in J],
                     options={"atol": 1e-11, "rtol": 1e-9})
    c_qt = np.array([qt.concurrence(s) for s in res.states])
    params = dict(a=a, a_tilde=at, A=A, A_tilde=At, d=d, D=D, Delta=Delta, delta=delta, Jz=Jz,
                  Jperp=Jp, DM=DM)
    r = MODEL.evaluate(params, t, ["concurrence", "populations"])
    np.testing.assert_allclose(r["concurrence"][0], c_qt, atol=1e-7)
    pops_qt = np.array([np.real(np.diag(s.full())) for s in res.states])
    np.testing.assert_allclose(r["populations"][0], pops_qt, atol=1e-8)


def test_t0_closed_form_against_qutip():
    """Eq. (S63) (overdamped T = 0 closed form) against QuTiP mesolve of Eq. (7)."""
    qt = pytest.importorskip("qutip")
    from openlz.analytic.magnetic_medium import concurrence_t0

    a, A, delta = 1.0, 0.9, 0.3
    t = np.linspace(0, 4, 21)
    I = qt.qeye(2)
    H = -(delta * qt.tensor(qt.sigmaz(), I) - delta * qt.tensor(I, qt.sigmaz())) / 2
    sp1, sp2 = qt.tensor(qt.sigmap(), I), qt.tensor(I, qt.sigmap())
    c_ops = [np.sqrt(a + A) * (sp1 + sp2), np.sqrt(a - A) * (sp1 - sp2)]
    psi0 = qt.tensor(qt.basis(2, 0), qt.basis(2, 1))
    res = qt.mesolve(H, psi0 * psi0.dag(), t, c_ops, options={"atol": 1e-11, "rtol": 1e-9})
    c_qt = np.array([qt.concurrence(s) for s in res.states])
    np.testing.assert_allclose(concurrence_t0(t, a, A, delta), c_qt, atol=1e-7)


# --- postselection with detector efficiency ------------------------------------------------------
def test_efficiency_zero_is_full_lindblad():
    t = np.linspace(0, 3, 16)
    kw = {"a": 1.0, "A": 0.6, "a_tilde": 0.2, "A_tilde": 0.1, "delta": 0.4, "efficiency": 0.0}
    r0 = MODEL.evaluate(kw, t, ["concurrence", "success_probability"], {"postselect": True})
    rl = MODEL.evaluate(kw, t, ["concurrence"])
    np.testing.assert_allclose(r0["concurrence"], rl["concurrence"], atol=1e-12)
    np.testing.assert_allclose(r0["success_probability"], 1.0, atol=1e-12)


def test_efficiency_one_is_nonhermitian_evolution():
    """η_det = 1: the paper's Eq. (13), checked with the library's independent
    conditional_evolve under H_eff = H − (i/2) Σ L_k† L_k (Eq. 12)."""
    from openlz.models.magnetic_medium import hamiltonian, jump_operators

    t = np.linspace(0, 2, 11)
    kw = {"a": 1.0, "A": 0.6, "a_tilde": 0.2, "A_tilde": 0.1, "delta": 0.4, "Jz": 0.3,
          "Jperp": 0.2, "DM": 0.1, "Delta": 1.0}
    p = _p(**kw)
    relax, _ = jump_operators(p)
    heff = hamiltonian(p["Delta"], p["delta"], p["Jz"], p["Jperp"], p["DM"]) \
        - 0.5j * np.einsum("bkji,bkjl->bil", np.conj(relax), relax)
    rho, norm = conditional_evolve(heff, two_qubit_state("singlet") * 0.3
                                   + two_qubit_state("ud") * 0.7, t)
    r = MODEL.evaluate(kw, t, ["populations", "success_probability"],
                       {"postselect": True, "initial": two_qubit_state("singlet") * 0.3
                        + two_qubit_state("ud") * 0.7})
    np.testing.assert_allclose(r["success_probability"], norm, atol=1e-12)
    np.testing.assert_allclose(r["populations"], np.einsum("btii->bti", rho).real, atol=1e-12)


def test_efficiency_interpolates_monotonically():
    """Success probability decreases as η_det grows (more trajectories discarded); at δ = 0 the
    conditional concurrence at fixed t grows with η_det from the Lindblad value to tanh 2Γt."""
    eta = np.array([0.0, 0.25, 0.5, 0.75, 1.0])
    t = np.array([0.0, 0.5, 1.0])
    r = MODEL.evaluate({"a": np.full(5, 1.0), "A": np.full(5, 0.8), "efficiency": eta}, t,
                       ["concurrence", "success_probability"], {"postselect": True})
    sp = r["success_probability"][:, -1]
    c = r["concurrence"][:, -1]
    assert np.all(np.diff(sp) < 0) and np.all(np.diff(c) > 0)
    assert c[-1] == pytest.approx(np.tanh(2 * 0.8 * 1.0), abs=1e-10)


# --- temperature constructor, batching, observables ------------------------------------------------
def test_params_from_temperature():
    """ã = e^{−βΔ} a, Ã = e^{−βΔ} A (paper 004 after Eq. 6); T = 0 -> 0."""
    p = params_from_temperature(a=30.0, A=30.0, temperature=1.0, Delta=np.log(10.0), delta=0.0)
    assert p["a_tilde"] == pytest.approx(3.0) and p["A_tilde"] == pytest.approx(3.0)
    r = MODEL.evaluate(p, None, ["steady_concurrence"])
    assert r["steady_concurrence"][0] == pytest.approx(0.3648648648, abs=1e-9)
    p0 = params_from_temperature(a=1.0, A=0.5, temperature=0.0, Delta=2.0)
    assert p0["a_tilde"] == 0.0 and p0["A_tilde"] == 0.0
    with pytest.raises(ParameterError):
        params_from_temperature(a=1.0, A=0.5, temperature=-1.0, Delta=2.0)


def test_batched_equals_pointwise():
    t = np.linspace(0, 2, 11)
    a = np.array([1.0, 2.0, 0.5])
    A = np.array([0.5, 2.0, 0.1])
    d = np.array([0.0, 0.7, 3.0])
    r = MODEL.evaluate({"a": a, "A": A, "delta": d}, t, ["concurrence", "negativity",
                                                         "steady_concurrence"])
    for i in range(3):
        ri = MODEL.evaluate({"a": a[i], "A": A[i], "delta": d[i]}, t,
                            ["concurrence", "negativity", "steady_concurrence"])
        for o in ("concurrence", "negativity", "steady_concurrence"):
            np.testing.assert_allclose(r[o][i], ri[o][0], atol=1e-13)


def test_observable_shapes_and_physicality():
    t = np.linspace(0, 1, 6)
    obs = [o.name for o in MODEL.observables]
    r = MODEL.evaluate({"a": np.array([1.0, 1.0]), "A": np.array([0.5, 1.0])}, t, obs)
    for o in MODEL.observables:
        assert r[o.name].shape == (2, *[{"time": 6, "level": 4}[d] for d in o.dims]), o.name
    np.testing.assert_allclose(r["populations"].sum(-1), 1.0, atol=1e-12)
    # negativity <= concurrence/2 holds for two qubits with N = sum |negative eigenvalues|
    assert np.all(r["negativity"] <= r["concurrence"] / 2 + 1e-12)
    assert r["_coords"]["level"] == ["uu", "ud", "du", "dd"]


def test_run_dataset_has_metadata():
    ds = MODEL.run(times=np.linspace(0, 1, 5), observables=["concurrence"], a=2.0, A=1.0)
    assert ds.attrs["param_a"] == 2.0 and "regime" in ds.attrs
    assert ds["concurrence"].dims == ("time",)


def test_initial_state_label_and_unknown_label():
    from openlz.errors import UnknownNameError

    r = MODEL.evaluate({}, np.array([0.0]), ["concurrence"], {"initial": "singlet"})
    assert r["concurrence"][0, 0] == pytest.approx(1.0)
    with pytest.raises(UnknownNameError):
        MODEL.evaluate({}, np.array([0.0]), ["concurrence"], {"initial": "nonsense"})


def test_evolve_constant_matches_generator_direct():
    """Sanity of the batch path: model concurrence = evolve_constant on generator()."""
    from openlz.core.measures import concurrence

    t = np.linspace(0, 1, 5)
    p = _p(a=1.0, A=0.3, delta=0.2)
    rho = evolve_constant(generator(p), two_qubit_state("ud"), t)
    r = MODEL.evaluate({"a": 1.0, "A": 0.3, "delta": 0.2}, t, ["concurrence"])
    np.testing.assert_allclose(r["concurrence"], concurrence(rho), atol=1e-13)


def test_initial_matrix_must_be_density_matrix():
    with pytest.raises(ParameterError, match="initial"):
        MODEL.evaluate({}, np.array([0.0]), ["concurrence"], {"initial": np.diag([1.0, 1, 0, 0])})
    r = MODEL.evaluate({}, np.array([0.0]), ["concurrence"],
                       {"initial": np.array([0, 1, 1j, 0]) / np.sqrt(2)})
    assert r["concurrence"][0, 0] == pytest.approx(1.0)


def test_bell_state_from_random_initial_states(rng):
    """Paper 004 (abstract, text after Eq. 15): in the PT-broken regime the postselected state
    tends to |a> = (|ud> + e^{iφ~}|du>)/√2, e^{iφ~} = (−κ + iδ)/Γ, irrespective of the initial
    state (p_aa != 0).  The initial |σz| = 0 postselection projects onto {ud, du} first."""

    g, d = 2.0, 0.5
    k = np.sqrt(g**2 - d**2)
    psi_a = np.array([0, 1, (-k + 1j * d) / g, 0]) / np.sqrt(2)
    for _ in range(3):
        v = rng.normal(size=4) + 1j * rng.normal(size=4)
        rho0 = np.outer(v, v.conj()) / np.vdot(v, v).real
        r = MODEL.evaluate({"a": g, "A": g, "delta": d}, np.array([0.0, 40.0]),
                           ["concurrence", "success_probability"],
                           {"postselect": True, "initial": rho0})
        assert r["concurrence"][0, -1] == pytest.approx(1.0, abs=1e-8)
        # the initial projection costs the weight outside {ud, du}
        assert r["success_probability"][0, 0] == pytest.approx(
            float(np.real(rho0[1, 1] + rho0[2, 2])), abs=1e-12)
    p = _p(a=g, A=g, delta=d)
    rho = evolve_constant(generator(p, 1.0), two_qubit_state("du"), np.array([0.0, 40.0]))[0, -1]
    rho = rho / np.trace(rho)
    assert np.real(np.conj(psi_a) @ rho @ psi_a) == pytest.approx(1.0, abs=1e-8)


def test_steady_entanglement_irrespective_of_initial_state(rng):
    """Paper 004 (text after Eq. S65): at a = |A|, δ = 0, T = 0 finite steady entanglement is
    reached from any initial state that is not symmetric; C∞ = singlet weight here
    (Delta = 0, so the singlet–uu coherence does not rotate)."""
    for _ in range(3):
        v = rng.normal(size=4) + 1j * rng.normal(size=4)
        rho0 = np.outer(v, v.conj()) / np.vdot(v, v).real
        c = MODEL.evaluate({"a": 1.0, "A": 1.0}, None, ["steady_concurrence"],
                           {"initial": rho0})["steady_concurrence"][0]
        assert c > 0.0
    sym = MODEL.evaluate({"a": 1.0, "A": 1.0}, None, ["steady_concurrence"],
                         {"initial": "triplet0"})["steady_concurrence"][0]
    assert sym == pytest.approx(0.0, abs=1e-10)


def test_cmax_disagreement_with_qutip_oracle():
    """Independent oracle for the C_max disagreement: QuTiP sesolve with the non-Hermitian
    H_eff = H_S − i Σ J†J of Eq. (12) (T = 0, Γ = |A| = a = 2, δ = 5, η = 2.5), normalised as in
    Eq. (13). max_t C = 2η/(1+η²) = 0.6897, not the printed sqrt(2 − 1/η²)/η = 0.5426."""
    qt = pytest.importorskip("qutip")
    g, d = 2.0, 5.0
    t = np.linspace(0, 0.7, 701)   # one period π/ω = 0.686
    i2 = qt.qeye(2)
    sp1, sp2 = qt.tensor(qt.sigmap(), i2), qt.tensor(i2, qt.sigmap())
    js = [np.sqrt(g) * (sp1 + sp2)]          # J3 of Eq. (5) at a = |A| = g (J4 = 0)
    h = -(d * qt.tensor(qt.sigmaz(), i2) - d * qt.tensor(i2, qt.sigmaz())) / 2
    heff = h - 1j * sum(j.dag() * j for j in js)
    psi0 = qt.tensor(qt.basis(2, 0), qt.basis(2, 1))
    res = qt.sesolve(heff, psi0, t, options={"atol": 1e-12, "rtol": 1e-10})
    c = np.array([qt.concurrence(s.unit()) for s in res.states])
    eta = d / g
    assert c.max() == pytest.approx(2 * eta / (1 + eta**2), abs=1e-5)
    assert c.max() - np.sqrt(2 - 1 / eta**2) / eta == pytest.approx(0.1471, abs=2e-4)
