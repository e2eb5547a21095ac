"""openlz.floquet_markov_steadystate and openlz.fmmesolve (issue 10, item 4).

Independent references: QuTiP (``FloquetBasis``, ``floquet_tensor``, ``steadystate``,
``fmmesolve``: the secular Floquet–Markov equation) and the lab-frame time-dependent Redfield
equation integrated with scipy (``floquet_reference``; neither secular nor period-averaged).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from floquet_reference import period_average

import openlz
from openlz.errors import ParameterError, ValidityWarning
from openlz.solve.floquet_markov import thermal_response

qt = pytest.importorskip("qutip")

SX, SZ = qt.sigmax(), qt.sigmaz()
A_CDT = 2.404825557695773  # first zero of J0: coherent destruction of tunnelling, A/omega


def _J(kappa, wc=20.0):
    """Ohmic spectral density for w > 0 (QuTiP's spectra_cb convention with w_th)."""
    def J(w):
        w = np.asarray(w, dtype=float)
        return np.where(w > 0, kappa * w * np.exp(-np.abs(w) / wc), 0.0)
    return J


def _qubit(delta, A, om, theta, eps=0.0):
    """H(t) = (eps sz + delta sx)/2 + (A/2) cos(omega t) sz, coupling cos(theta) sz + sin(theta) sx."""
    H = [0.5 * delta * SX + 0.5 * eps * SZ, [0.5 * A * SZ, lambda t: np.cos(om * t)]]
    return H, np.cos(theta) * SZ + np.sin(theta) * SX


def _qutip_secular(H, om, aop, J, T, kmax=30, nt=128):
    """QuTiP: FloquetBasis + floquet_tensor + steadystate, period average in the lab frame."""
    fb = qt.FloquetBasis(H, 2 * np.pi / om, options={"atol": 1e-12, "rtol": 1e-12})
    with np.errstate(over="ignore"):
        R = qt.floquet_tensor(fb, [aop], [J], w_th=T, kmax=kmax, nT=nt)
    rf = qt.steadystate(R)
    ts = np.linspace(0, 2 * np.pi / om, nt, endpoint=False)
    return fb, R, (sum(fb.from_floquet_basis(rf, t) for t in ts) / nt).full()


def _redfield(H, om, aop, J, T):
    g = thermal_response(lambda E: np.sign(E) * J(np.abs(E)), T)
    h0 = H[0].full()
    drives = [(H[1][0].full(), H[1][1])]
    return period_average(h0, drives, aop.full(), om, g, H, [[2], [2]])


def test_steady_state_quasienergies_and_rates_match_qutip():
    """A driven qubit off degeneracy (Qobj list-form input, scalar omega): quasienergies vs
    FloquetBasis, rates vs the population block of floquet_tensor, the secular steady state
    vs QuTiP's steady state of floquet_tensor (the same secular approximation)."""
    om, T = 1.0, 0.05
    H, aop = _qubit(0.3, 2.0, om, 0.7, eps=0.4)
    J = _J(0.0005)
    fb, R, ref = _qutip_secular(H, om, aop, J, T)
    res = openlz.floquet_markov_steadystate(H, om, [(aop, J)], options={"w_th": T, "kmax": 30,
                                                                       "steady": "secular"})
    order = np.argsort(res.quasienergies)
    np.testing.assert_allclose(res.quasienergies[order], np.sort(fb.e_quasi), atol=1e-9)
    pop = R.full()[np.ix_([0, 3], [0, 3])].real * (1 - np.eye(2))
    qorder = np.argsort(fb.e_quasi)
    np.testing.assert_allclose(res.rates[np.ix_(order, order)], pop[np.ix_(qorder, qorder)], rtol=1e-6,
                               atol=1e-12)
    np.testing.assert_allclose(res.state, ref, atol=1e-7)
    assert res.state.shape == (2, 2) and res.rates.shape == (2, 2) and not res.full
    assert res.validity["secular"]["ok"] and res.validity["markov"]["ok"]


def test_steady_state_at_a_quasienergy_degeneracy():
    """Coherent destruction of tunnelling (A/omega = first zero of J0): the two quasienergies
    are split by 1.5e-4, below the rates (3e-4).  QuTiP's secular steady state (and openlz's
    with steady='secular', equal to it to 1e-8) is off by 0.073 from the time-dependent Redfield
    equation; steady='auto' switches to the full period-averaged generator, which agrees with
    it to 3.5e-4 = 1.1 Gamma_max/omega (the period averaging of Eq. A6 is first order in
    Gamma/omega here), and with openlz's own long-time dynamics (fmmesolve, full generator)."""
    om, T = 1.0, 0.05
    H, aop = _qubit(0.1, A_CDT, om, 0.7)
    J = _J(2.5e-4)
    _, _, qutip_state = _qutip_secular(H, om, aop, J, T)
    ref = _redfield(H, om, aop, J, T)
    opts = {"w_th": T, "kmax": 30}
    with pytest.warns(ValidityWarning, match="secular approximation"):
        sec = openlz.floquet_markov_steadystate(H, om, [(aop, J)], options={**opts, "steady": "secular"})
    with warnings.catch_warnings():
        warnings.simplefilter("error", ValidityWarning)  # auto: nothing to warn about
        auto = openlz.floquet_markov_steadystate(H, om, [(aop, J)], options=opts)
    np.testing.assert_allclose(sec.state, qutip_state, atol=1e-7)
    assert np.abs(qutip_state - ref).max() > 0.05
    assert bool(auto.full) and auto.secular_error > 0.05
    assert np.abs(np.diff(auto.quasienergies))[0] < auto.rates.max()
    np.testing.assert_allclose(auto.state, ref, atol=1e-3)
    # long-time dynamics of the full generator (openlz.fmmesolve) from |0>: period average
    tau = 2 * np.pi / om
    late = 2e5 + np.arange(64) * tau / 64
    dyn = openlz.fmmesolve(H, qt.basis(2, 0), np.concatenate([[0.0], late]), om, [(aop, J)], options=opts)
    np.testing.assert_allclose(dyn.states[1:].mean(axis=0), auto.state, atol=1e-8)


def test_batched_omega_and_unbatched_shapes():
    """Batched omega (B,) with elementwise coefficients equals the points one by one; a float
    omega and unbatched H give unbatched results (issue 10: IndexError / spurious batch axis)."""
    om = np.array([1.0, 1.3, 0.8])
    A = np.array([2.0, 1.0, 3.0])
    h0 = 0.5 * 0.3 * SX.full() + 0.2 * SZ.full()
    H = [h0, [0.5 * SZ.full(), lambda t: A * np.cos(om * t)]]
    bath = openlz.OhmicBath(0.005, 20.0, 0.05)
    res = openlz.floquet_markov_steadystate(H, om, [(SZ.full(), bath)])
    assert res.state.shape == (3, 2, 2) and res.quasienergies.shape == (3, 2)
    for b in range(3):
        one = openlz.floquet_markov_steadystate([h0, [0.5 * SZ.full(), lambda t, b=b: A[b] * np.cos(om[b] * t)]],
                                                float(om[b]), [(SZ.full(), bath)])
        assert one.state.shape == (2, 2)
        np.testing.assert_allclose(res.state[b], one.state, atol=1e-12)


def test_batched_array_input_matches_qutip_per_point():
    """Array (not Qobj) list-form input, batched over (A, omega) with (B,) coefficients and an
    openlz OhmicBath: every point's secular steady state equals QuTiP's FloquetBasis +
    floquet_tensor + steadystate (Qobj input, one point at a time, J(w) with w_th).  steady='auto'
    switches to the full generator at all three (secular error 1.1-1.7e-4 > 1e-4: the
    coherence imaginary part), and the reported ``secular_error`` is the trace distance."""
    A = np.array([1.0, 2.0, 3.1])
    om = np.array([1.0, 1.2, 0.9])
    sx, sz = SX.full(), SZ.full()
    H = [0.15 * sx + 0.2 * sz, [0.5 * sz, lambda t: A * np.cos(om * t)]]
    aop = np.cos(0.7) * sz + np.sin(0.7) * sx
    T = 0.05
    bath = openlz.OhmicBath(5e-4, 20.0, T)
    res = openlz.floquet_markov_steadystate(H, om, [(aop, bath)], options={"kmax": 30, "steady": "secular"})
    auto = openlz.floquet_markov_steadystate(H, om, [(aop, bath)], options={"kmax": 30})
    assert res.state.shape == (3, 2, 2) and res.rates.shape == (3, 2, 2)
    assert np.all(auto.full) and np.all(auto.secular_error > 1e-4)
    dist = 0.5 * np.abs(np.linalg.eigvalsh(auto.state - res.state)).sum(axis=-1)
    np.testing.assert_allclose(auto.secular_error, dist, rtol=1e-6)
    for b in range(3):
        Hq = [0.15 * SX + 0.2 * SZ, [0.5 * A[b] * SZ, lambda t, b=b: np.cos(om[b] * t)]]
        _, _, ref = _qutip_secular(Hq, om[b], qt.Qobj(aop), _J(5e-4), T)
        # measured 1.4e-8, 3.1e-8, 2.3e-7 (A/omega = 3.4): the 4th-order propagator at the default
        # 128 steps per period (256 steps: 16x smaller)
        np.testing.assert_allclose(res.state[b], ref, atol=1e-6)


def test_noise_spectrum_callable_equals_bath_object():
    """a_ops with an openlz OhmicBath, and with the brmesolve-convention noise spectrum
    S(w) = 2 pi J(w)(1 + n(w)) (S(-w) = 2 pi J(w) n(w)), give the same state and rates."""
    H, aop = _qubit(0.3, 2.0, 1.0, 0.7, eps=0.4)
    bath = openlz.OhmicBath(0.005, 20.0, 0.05)
    r1 = openlz.floquet_markov_steadystate(H, 1.0, [(aop, bath)])
    r2 = openlz.floquet_markov_steadystate(H, 1.0, [(aop, lambda w: 2 * np.pi * bath.K(np.asarray(w)))])
    np.testing.assert_allclose(r1.state, r2.state, atol=1e-14)
    np.testing.assert_allclose(r1.rates, r2.rates, rtol=1e-12)


def test_general_drive_uses_magnus_and_matches_qutip():
    """A drive along sx (not diagonal: the commutator-free Magnus propagator) vs QuTiP."""
    om, T = 1.0, 0.05
    H = [0.5 * 0.8 * SZ, [0.5 * 0.6 * SX, lambda t: np.cos(om * t)]]
    aop = SZ
    J = _J(0.005)
    fb, _, ref = _qutip_secular(H, om, aop, J, T)
    res = openlz.floquet_markov_steadystate(H, om, [(aop, J)], options={"w_th": T, "kmax": 30, "steps": 256})
    assert res.stats["propagator"].startswith("commutator-free Magnus")
    np.testing.assert_allclose(np.sort(res.quasienergies), np.sort(fb.e_quasi), atol=1e-8)
    np.testing.assert_allclose(res.state, ref, atol=1e-6)


def test_fmmesolve_secular_matches_qutip_fmmesolve():
    """openlz.fmmesolve(secular=True) vs QuTiP's FMESolver (qutip.fmmesolve's solver; kmax = 30
    instead of its fixed 5): <sz>, <sx>(t) at non-stroboscopic times from a Floquet state
    (a Qobj ket), where both evolve the same Pauli populations.  Their coherence decay differs
    by the interference term (next test), so a superposition is not compared."""
    om, T = 1.0, 0.05
    H, aop = _qubit(0.3, 2.0, om, 0.7, eps=0.4)
    J = _J(0.02)
    times = np.linspace(0.0, 60.0, 13)
    fb = qt.FloquetBasis(H, 2 * np.pi / om, options={"atol": 1e-12, "rtol": 1e-12})
    psi0 = fb.mode(0.0)[0]
    with np.errstate(over="ignore"):
        solver = qt.FMESolver(fb, [(aop, J)], w_th=T, kmax=30,
                              options={"atol": 1e-11, "rtol": 1e-10, "nsteps": 10**6})
        ref = solver.run(psi0, times, e_ops=[SZ, SX])
    res = openlz.fmmesolve(H, psi0, times, om, [(aop, J)], e_ops=[SZ, SX],
                           options={"w_th": T, "kmax": 30, "secular": True})
    np.testing.assert_allclose(res.expect[0], ref.expect[0], atol=1e-6)
    np.testing.assert_allclose(res.expect[1], ref.expect[1], atol=1e-6)
    assert res.states is None and res.final_state.shape == (2, 2)


def test_secular_coherence_decay_vs_qutip_floquet_tensor():
    """QuTiP's floquet_tensor ('simplest RWA', Grifoni et al.) damps the coherence rho_ab at
    -(1/2) sum_k (A_ak + A_bk), without the zero-frequency term (its spectrum is 0 at w = 0);
    the secular limit of Eqs. (A4)-(A6) (openlz) adds that term and the interference term,
    so that the pure dephasing is pi sum_K g(K omega) |X^K_aa - X^K_bb|^2 (g(0) = J'(0) T):
    D_ab = S_ab - pi g(0) (|X^0_aa|^2 + |X^0_bb|^2) + 2 pi sum_K g(K omega) Re(X^K_aa X^K_bb^*).
    Checked with QuTiP's own X^K."""
    from openlz.api.floquet import FloquetOptions, _setup
    from openlz.solve.floquet_markov import floquet_markov_generator

    om, T = 1.0, 0.05
    H, aop = _qubit(0.3, 2.0, om, 0.7, eps=0.4)
    J = _J(0.02)
    fb = qt.FloquetBasis(H, 2 * np.pi / om, options={"atol": 1e-12, "rtol": 1e-12})
    with np.errstate(over="ignore"):
        R = qt.floquet_tensor(fb, [aop], [J], w_th=T, kmax=30, nT=128).full()
    prob = _setup(H, om, [(aop, J)], FloquetOptions.resolve({"w_th": T, "kmax": 30}), None, 2, ())
    sel = np.abs(prob.K) <= 30
    X, G = prob.couplings[0]
    L = floquet_markov_generator(X[:, sel], prob.K[sel], prob.fb.quasienergies, prob.fb.omega, None, None,
                                 secular=True, G=G)[0]
    # QuTiP's X^K_ab = (1/N) sum_t <u_a|A|u_b>(t) e^{-i K omega t}, both quasienergies ascending
    ts = np.arange(1, 129) * 2 * np.pi / om / 128
    f = np.array([(lambda m: m.conj().T @ aop.full() @ m)(np.stack([x.full()[:, 0] for x in fb.mode(t)], 1))
                  for t in ts])
    ks = np.arange(-30, 31)
    Xq = np.einsum("tab,kt->kab", f, np.exp(-1j * ks[:, None] * om * ts[None, :])) / 128
    g = thermal_response(lambda E: np.sign(E) * J(np.abs(E)), T)(ks * om)
    interference = 2 * np.pi * np.sum(g * (Xq[:, 0, 0] * np.conj(Xq[:, 1, 1])).real)
    zero = -np.pi * g[30] * (abs(Xq[30, 0, 0]) ** 2 + abs(Xq[30, 1, 1]) ** 2)
    assert np.argsort(fb.e_quasi).tolist() == [0, 1]
    assert L[1, 1].real == pytest.approx(R[2, 2].real + zero + interference, rel=1e-6)
    assert abs(zero + interference) > 0.1 * abs(R[2, 2].real)  # the difference is not small here


def test_fmmesolve_full_matches_time_dependent_redfield():
    """openlz.fmmesolve (full period-averaged generator, Eqs. A4-A6) vs the lab-frame
    time-dependent Redfield equation, rho(t) at non-stroboscopic times from a mixed state with
    coherences.  The period averaging drops the terms of L(t) oscillating as e^{-i Q omega t}
    (Eq. A6 keeps Q = 0): the difference is first order in Gamma/omega (measured 0.85
    Gamma_max/omega, linear in the bath coupling: a factor 4 in kappa gives 4.0 in the error)."""
    from floquet_reference import evolve, redfield_rhs

    om, T = 1.0, 0.05
    H, aop = _qubit(0.3, 2.0, om, 0.7, eps=0.4)
    rho0 = np.array([[0.8, 0.3], [0.3, 0.2]], dtype=complex)
    times = np.array([0.0, 3.3, 17.9, 40.0])
    errs = []
    for kappa in (5e-4, 1.25e-4):
        J = _J(kappa)
        g = thermal_response(lambda E, J=J: np.sign(E) * J(np.abs(E)), T)
        rhs = redfield_rhs(H[0].full(), [(H[1][0].full(), H[1][1])], aop.full(), om, g, H, [[2], [2]])
        ref = evolve(rhs, rho0, 0.0, times)
        res = openlz.fmmesolve(H, rho0, times, om, [(aop, J)], options={"w_th": T, "kmax": 30})
        err = np.abs(res.states - ref).max()
        assert err < res.validity["markov"]["max"]
        errs.append(err)
    assert errs[0] / errs[1] == pytest.approx(4.0, rel=0.05)


def test_bad_input_names_the_argument():
    H, aop = _qubit(0.3, 2.0, 1.0, 0.7)
    bath = openlz.OhmicBath(0.005, 20.0, 0.05)
    with pytest.raises(ParameterError, match="omega"):
        openlz.floquet_markov_steadystate(H, 0.0, [(aop, bath)])
    with pytest.raises(ParameterError, match="a_ops"):
        openlz.floquet_markov_steadystate(H, 1.0, [])
    with pytest.raises(ParameterError, match=r"a_ops\[0\]\[0\]"):
        openlz.floquet_markov_steadystate(H, 1.0, [(np.array([[0, 1], [0, 0]]), bath)])
    with pytest.raises(ParameterError, match="kmax"):
        openlz.floquet_markov_steadystate(H, 1.0, [(aop, bath)], options={"steps": 32, "kmax": 16})
    with pytest.raises(ParameterError, match="nope"):
        openlz.floquet_markov_steadystate(H, 1.0, [(aop, bath)], options={"nope": 1})
    with pytest.raises(ParameterError, match="times"):
        openlz.fmmesolve(H, qt.basis(2, 0), [2.0, 1.0], 1.0, [(aop, bath)])


def test_non_periodic_hamiltonian_is_refused():
    """H(t) not 2 pi / omega periodic (a drive cos(2 pi t) with omega = 1, i.e. omega given in
    cycles instead of radians; a callable H; one batch point off) -> ParameterError on omega;
    a drive at a harmonic (cos(2 omega t)) is periodic and accepted."""
    bath = openlz.OhmicBath(0.005, 20.0, 0.05)
    sx, sz = SX.full(), SZ.full()
    with pytest.raises(ParameterError, match="omega.*periodic"):
        openlz.floquet_markov_steadystate([0.1 * sx, [0.5 * sz, lambda t: np.cos(2 * np.pi * t)]], 1.0, [(sz, bath)])
    with pytest.raises(ParameterError, match="callable H"):
        openlz.fmmesolve(lambda t: 0.1 * sx + 0.5 * np.cos(1.3 * t) * sz, qt.basis(2, 0), [0.0, 1.0], 1.0,
                         [(sz, bath)])
    w = np.array([1.0, 1.5])
    with pytest.raises(ParameterError, match="omega"):
        openlz.floquet_markov_steadystate([0.1 * sx, [0.5 * sz, lambda t: np.cos(w * t)]], np.array([1.0, 1.0]),
                                          [(sz, bath)])
    ok = openlz.floquet_markov_steadystate([0.1 * sx, [0.5 * sz, lambda t: np.cos(2 * t)]], 1.0, [(sz, bath)])
    assert ok.state.shape == (2, 2)
