"""Finite-rate |σz| monitoring of the magnetic-medium model (beyond paper 004; its Discussion
states only the limits: "precise when the rate of measurements is infinite. As this rate
approaches zero, we recover the full Lindblad dynamics").

Independent references:

* QuTiP ``mesolve`` of the two qubits plus a classical click register (flag 0 = nothing
  detected yet, 1 = a click or a detected jump happened): a trace-preserving Lindblad equation
  whose flag-0 block is the unnormalised no-click state.  It is built here from the paper's
  jump operators √2 J of Eq. (5) and the monitor's Kraus operator √κ_m P2, without openlz's
  conditional generator.
* QuTiP ``mcsolve``: the jump unravelling of the same measurement; the fraction of
  trajectories without a click is the success probability (binomial error bars).
* Closed forms of :mod:`openlz.analytic.magnetic_medium` (Eq. 13 and the efficiency forms).
"""

from __future__ import annotations

import numpy as np
import pytest

from openlz.analytic import magnetic_medium as cf
from openlz.analytic import magnetic_medium_measurement as mm
from openlz.models.magnetic_medium import MODEL

OBS = ["concurrence", "success_probability", "populations"]


def _qutip_flag_reference(qt, p: dict, rho0: np.ndarray, t: np.ndarray, eta: float,
                          kappa: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(success probability (T,), concurrence (T,), populations (T, 4)) of the no-click state
    from QuTiP mesolve on system ⊗ register."""
    I = qt.qeye(2)
    sp, sm, sz, sx, sy = qt.sigmap(), qt.sigmam(), qt.sigmaz(), qt.sigmax(), qt.sigmay()

    def k(x, y):
        return qt.tensor(x, y)

    a, at, A, At = p["a"], p.get("a_tilde", 0.0), p["A"], p.get("A_tilde", 0.0)
    d, D = p.get("d", 0.0), p.get("D", 0.0)
    Delta, delta = p.get("Delta", 0.0), p.get("delta", 0.0)
    Jz, Jp = p.get("Jz", 0.0), p.get("Jperp", 0.0)
    H = (-((Delta + delta) * k(sz, I) + (Delta - delta) * k(I, sz)) / 2 + Jz * k(sz, sz)
         + Jp * (k(sx, sx) + k(sy, sy)))
    relax = [np.sqrt(at + At) * (k(sm, I) + k(I, sm)), np.sqrt(at - At) * (k(sm, I) - k(I, sm)),
             np.sqrt(a + A) * (k(sp, I) + k(I, sp)), np.sqrt(a - A) * (k(sp, I) - k(I, sp))]
    deph = [np.sqrt(d + D) * (k(sz, I) + k(I, sz)), np.sqrt(d - D) * (k(sz, I) - k(I, sz))]
    P2 = qt.Qobj(np.diag([1.0, 0, 0, 1.0]), dims=[[2, 2], [2, 2]])
    P0 = qt.Qobj(np.diag([0.0, 1, 1, 0.0]), dims=[[2, 2], [2, 2]])
    f_one = qt.qeye(2)
    f_01, f_11 = qt.basis(2, 1) * qt.basis(2, 0).dag(), qt.basis(2, 1) * qt.basis(2, 1).dag()
    c_ops = [qt.tensor(L, f_one) for L in deph]
    for L in relax:   # undetected part stays in the register state, the detected part flags
        c_ops += [np.sqrt(1 - eta) * qt.tensor(L, f_one), np.sqrt(eta) * qt.tensor(L, f_01),
                  np.sqrt(eta) * qt.tensor(L, f_11)]
    c_ops += [np.sqrt(kappa) * qt.tensor(P2, f_01), np.sqrt(kappa) * qt.tensor(P2, f_11)]
    r0 = qt.Qobj(rho0, dims=[[2, 2], [2, 2]])
    # initial |σz| check by the jump detector (on with probability η), text before Eq. (13)
    kept = (1 - eta) * r0 + eta * P0 * r0 * P0
    start = qt.tensor(kept, qt.basis(2, 0).proj()) + qt.tensor(r0 - kept, qt.basis(2, 1).proj())
    res = qt.mesolve(qt.tensor(H, f_one), start, t, c_ops,
                     options={"atol": 1e-12, "rtol": 1e-10, "nsteps": 100000})
    block = [s.full().reshape(4, 2, 4, 2)[:, 0, :, 0] for s in res.states]
    prob = np.array([np.trace(b).real for b in block])
    conc = np.array([qt.concurrence(qt.Qobj(b / np.trace(b), dims=[[2, 2], [2, 2]]))
                     for b in block])
    pops = np.array([np.diag(b).real / np.trace(b).real for b in block])
    return prob, conc, pops


@pytest.mark.parametrize("p, eta, kappa", [
    ({"a": 1.0, "A": 0.8, "delta": 0.3}, 0.0, 2.0),
    ({"a": 1.0, "A": 0.8, "delta": 0.3}, 0.5, 5.0),
    ({"a": 1.0, "A": 0.5, "delta": 1.2}, 0.2, 0.7),
    # T > 0, pure dephasing, coherent couplings: no closed form, the model alone
    ({"a": 1.0, "A": 0.7, "a_tilde": 0.3, "A_tilde": 0.2, "d": 0.1, "D": 0.05, "Delta": 1.0,
      "delta": 0.4, "Jz": 0.2, "Jperp": -0.15}, 0.3, 3.0),
])
def test_model_against_qutip_click_register(p, eta, kappa):
    qt = pytest.importorskip("qutip")
    t = np.linspace(0.0, 4.0, 21)
    rho0 = np.zeros((4, 4))
    rho0[1, 1] = 1.0  # |ud>, Eq. (S55)
    prob, conc, pops = _qutip_flag_reference(qt, p, rho0, t, eta, kappa)
    r = MODEL.evaluate({**p, "efficiency": eta, "measurement_rate": kappa}, t, OBS,
                       options={"postselect": True})
    np.testing.assert_allclose(r["success_probability"][0], prob, atol=1e-8)
    np.testing.assert_allclose(r["concurrence"][0], conc, atol=1e-7)
    np.testing.assert_allclose(r["populations"][0], pops, atol=1e-7)
    if "a_tilde" not in p:   # T = 0 closed forms of analytic.magnetic_medium_measurement
        args = (p["a"], p["A"], p["delta"], kappa, eta)
        np.testing.assert_allclose(mm.success_probability_monitor_t0(t, *args), prob, atol=1e-8)
        np.testing.assert_allclose(mm.concurrence_monitor_t0(t, *args), conc, atol=1e-7)


def test_model_general_initial_state_against_qutip():
    """A mixed initial state with weight in |uu> and |dd> (the monitor acts on them at once)."""
    qt = pytest.importorskip("qutip")
    t = np.linspace(0.0, 3.0, 16)
    psi = np.array([0.3, 0.6, 0.5j, 0.2])
    psi = psi / np.linalg.norm(psi)
    rho0 = 0.8 * np.outer(psi, psi.conj()) + 0.05 * np.eye(4)
    p = {"a": 1.0, "A": 0.9, "a_tilde": 0.2, "A_tilde": 0.1, "delta": 0.5}
    prob, conc, pops = _qutip_flag_reference(qt, p, rho0, t, 0.4, 1.5)
    r = MODEL.evaluate({**p, "efficiency": 0.4, "measurement_rate": 1.5}, t, OBS,
                       options={"postselect": True, "initial": rho0})
    np.testing.assert_allclose(r["success_probability"][0], prob, atol=1e-8)
    np.testing.assert_allclose(r["concurrence"][0], conc, atol=1e-7)


def test_success_probability_against_quantum_jump_unravelling():
    """QuTiP mcsolve of the monitor as a jump record: the fraction of the 800 trajectories
    without a click up to t estimates P(t) (binomial σ; tolerance 4.5σ + 1/800)."""
    qt = pytest.importorskip("qutip")
    a, A, delta, kappa = 1.0, 0.8, 0.3, 2.0
    I = qt.qeye(2)
    sp, sz = qt.sigmap(), qt.sigmaz()
    k = qt.tensor
    H = -delta * (k(sz, I) - k(I, sz)) / 2
    P2 = qt.Qobj(np.diag([1.0, 0, 0, 1.0]), dims=[[2, 2], [2, 2]])
    c_ops = [np.sqrt(a + A) * (k(sp, I) + k(I, sp)), np.sqrt(a - A) * (k(sp, I) - k(I, sp)),
             np.sqrt(kappa) * P2]
    t = np.linspace(0.0, 3.0, 7)
    n = 800
    res = qt.mcsolve(H, k(qt.basis(2, 0), qt.basis(2, 1)), t, c_ops, ntraj=n, seeds=12345,
                     options={"progress_bar": False, "map": "serial"})
    first = np.array([min([tc for tc, w in zip(ts, ws, strict=True) if w == 2], default=np.inf)
                      for ts, ws in zip(res.col_times, res.col_which, strict=True)])
    est = np.array([(first > tt).mean() for tt in t])
    exact = mm.success_probability_monitor_t0(t, a, A, delta, kappa)
    sigma = np.sqrt(exact * (1 - exact) / n)
    assert np.all(np.abs(est - exact) <= 4.5 * sigma + 1.0 / n), (est, exact)
    # the check can fail: κ_m = 1 instead of 2 is more than 6σ away from the estimate
    other = mm.success_probability_monitor_t0(t, a, A, delta, 1.0)
    assert np.max(np.abs(est - other) / np.maximum(sigma, 1e-3)) > 6


def test_limits_lindblad_and_ideal_postselection():
    """κ_m = 0 with η = 0: the Lindblad closed form Eqs. (8)–(9)/(S63); κ_m = 0 with η: the
    efficiency forms; κ_m → ∞: Eq. (13), approached as O(1/κ_m)."""
    t = np.linspace(0.0, 4.0, 81)
    a, A, delta = 1.0, 0.8, 0.3
    np.testing.assert_allclose(mm.concurrence_monitor_t0(t, a, A, delta, 0.0),
                               cf.concurrence_t0(t, a, A, delta), atol=1e-12)
    np.testing.assert_allclose(mm.success_probability_monitor_t0(t, a, A, delta, 0.0, 0.3),
                               cf.success_probability_efficiency_t0(t, a, A, delta, 0.3),
                               atol=1e-12)
    ideal = cf.concurrence_postselected(t, delta, A)
    errs = [np.max(np.abs(mm.concurrence_monitor_t0(t, a, A, delta, k) - ideal))
            for k in (50.0, 100.0, 200.0)]
    assert errs[0] > errs[1] > errs[2]
    # O(1/κ_m): doubling κ_m halves the error to within 5 %
    assert errs[0] / errs[1] == pytest.approx(2.0, rel=0.05)
    assert errs[1] / errs[2] == pytest.approx(2.0, rel=0.05)


def test_long_time_measurement_induced_transition():
    """C(∞) = (κ_m − κ_c)/(κ_m − η κ_c) above κ_c = 2(a − sqrt(|A|² − δ²)), 0 below: the model
    at t = 60 (exact conditional evolution) against the formula."""
    a, A, delta = 1.0, 0.8, 0.3
    kc = float(mm.critical_measurement_rate(a, A, delta))
    assert kc == pytest.approx(2 * (1 - np.sqrt(0.64 - 0.09)), rel=1e-14)
    kappa = np.array([0.3 * kc, 0.8 * kc, 1.5 * kc, 3 * kc, 10 * kc])
    eta = np.array([0.0, 0.0, 0.0, 0.5, 0.2])
    r = MODEL.evaluate({"a": a, "A": A, "delta": delta, "measurement_rate": kappa,
                        "efficiency": eta}, np.array([0.0, 60.0]), ["concurrence"],
                       options={"postselect": True})
    expect = mm.long_time_concurrence_t0(a, A, delta, kappa, eta)
    # below κ_c C decays like e^{-(κ_c - κ_m) t}; above it the approach is e^{-(κ_m - κ_c) t}
    np.testing.assert_allclose(r["concurrence"][:, -1], expect, atol=2e-3)
    np.testing.assert_allclose(expect[2:], (kappa[2:] - kc) / (kappa[2:] - eta[2:] * kc),
                               rtol=1e-14)
    assert np.all(expect[:2] == 0)
    # PT-exact point: no single limit, NaN
    assert np.isnan(mm.long_time_concurrence_t0(a, 0.5, 1.2, 5.0))


def test_batched_shapes():
    t = np.linspace(0, 2, 5)
    k = np.array([0.0, 1.0, 10.0])
    out = mm.concurrence_monitor_t0(t, 1.0, 0.8, 0.3, k)
    assert out.shape == (3, 5)
    assert mm.success_probability_monitor_t0(t, 1.0, 0.8, 0.3, 1.0).shape == (5,)
    np.testing.assert_allclose(out[1], mm.concurrence_monitor_t0(t, 1.0, 0.8, 0.3, 1.0),
                               atol=1e-15)
