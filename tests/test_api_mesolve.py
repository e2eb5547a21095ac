"""openlz.mesolve against qutip.mesolve (the independent reference of every test here,
unless a test says otherwise), with Qobj and array inputs, batched and unbatched.

QuTiP runs at atol = 1e-12, rtol = 1e-10; openlz at its defaults (rtol 1e-8, atol 1e-10) for
the adaptive path.  Agreement is asserted to 1e-7 (adaptive) and 1e-8 (exact expm path).
"""

from __future__ import annotations

import numpy as np
import pytest
import qutip as qt

import openlz
from openlz.api.progress import TimeProgress, progress_enabled

QOPT = {"atol": 1e-12, "rtol": 1e-10, "nsteps": 100_000}
TIMES = np.linspace(0.0, 6.0, 13)
SX, SY, SZ, SM = qt.sigmax(), qt.sigmay(), qt.sigmaz(), qt.sigmam()


def qstates(h, rho0, c_ops=(), times=TIMES, args=None):
    res = qt.mesolve(h, rho0, times, list(c_ops), args=args or {}, options=QOPT)
    return np.array([s.full() for s in res.states])


def test_constant_qobj_unbatched():
    h = 0.5 * SZ + 0.4 * SX
    c = [np.sqrt(0.3) * SM, np.sqrt(0.05) * SZ]
    res = openlz.mesolve(h, qt.basis(2, 0), TIMES, c)
    assert res.states.shape == (TIMES.size, 2, 2) and res.stats["method"] == "expm"
    np.testing.assert_allclose(res.states, qstates(h, qt.basis(2, 0), c), atol=1e-8)
    assert res.validity["physicality"]["ok"]


def test_constant_arrays_batched_over_detuning():
    """H (B, 2, 2) from arrays; each batch point against its own QuTiP run."""
    det = np.array([-1.0, 0.0, 0.7])
    h = 0.5 * det[:, None, None] * SZ.full() + 0.4 * SX.full()
    c = [np.sqrt(0.3) * SM.full()]
    res = openlz.mesolve(h, np.diag([1.0, 0.0]), TIMES, c)
    assert res.states.shape == (3, TIMES.size, 2, 2)
    for b in range(3):
        ref = qstates(qt.Qobj(h[b]), qt.basis(2, 0), [qt.Qobj(c[0])])
        np.testing.assert_allclose(res.states[b], ref, atol=1e-8)


def test_list_form_with_batched_coefficients():
    """QuTiP list form [H0, [H1, f]] with f(t) returning (B,): drive amplitudes and frequencies
    per batch point, shared operators (the LinearGenerator fast path)."""
    amp, w = np.array([0.2, 0.5, 0.8]), np.array([0.9, 1.0, 1.3])
    h = [0.5 * SZ, [SX, lambda t: amp * np.cos(w * t)]]
    c = [np.sqrt(0.2) * SM]
    res = openlz.mesolve(h, qt.basis(2, 0), TIMES, c)
    assert res.stats["generator"] == "linear" and res.states.shape == (3, TIMES.size, 2, 2)
    for b in range(3):
        hb = [0.5 * SZ, [SX, lambda t, a=amp[b], v=w[b]: a * np.cos(v * t)]]
        np.testing.assert_allclose(res.states[b], qstates(hb, qt.basis(2, 0), c), atol=1e-7)


def test_list_form_args_qobjevo_and_complex_coefficients():
    """QuTiP's pythonic f(t, a, w) and the older f(t, args); a QobjEvo; complex coefficients
    exp(±iwt) on σ±."""
    h = [0.5 * SZ, [SX, lambda t, a, w: a * np.sin(w * t)]]
    args = {"a": 0.6, "w": 1.1}
    ref = qstates(h, qt.basis(2, 1), [np.sqrt(0.1) * SM], args=args)
    res = openlz.mesolve(h, qt.basis(2, 1), TIMES, [np.sqrt(0.1) * SM], args=args)
    np.testing.assert_allclose(res.states, ref, atol=1e-7)
    old = [0.5 * SZ, [SX, lambda t, args: args["a"] * np.sin(args["w"] * t)]]
    np.testing.assert_allclose(openlz.mesolve(old, qt.basis(2, 1), TIMES, [np.sqrt(0.1) * SM],
                                              args=args).states, ref, atol=1e-7)
    evo = qt.QobjEvo(h, args=args)
    np.testing.assert_allclose(openlz.mesolve(evo, qt.basis(2, 1), TIMES,
                                              [np.sqrt(0.1) * SM]).states, ref, atol=1e-7)
    hc = [0.5 * SZ, [qt.sigmap(), lambda t: 0.3 * np.exp(1j * 0.8 * t)],
          [qt.sigmam(), lambda t: 0.3 * np.exp(-1j * 0.8 * t)]]
    np.testing.assert_allclose(openlz.mesolve(hc, qt.basis(2, 1), TIMES, [np.sqrt(0.1) * SM]).states,
                               qstates(hc, qt.basis(2, 1), [np.sqrt(0.1) * SM]), atol=1e-7)


def test_qobjevo_coefficient_complex_between_output_times():
    """exp(iπt) is real (±1) at the integer output times and complex between them: the real
    fast path is tried, abandoned, and the run repeated with complex coefficients."""
    times = np.arange(0.0, 5.0)
    evo = qt.QobjEvo([0.5 * SZ, [qt.sigmap(), lambda t: 0.4 * np.exp(1j * np.pi * t)],
                      [qt.sigmam(), lambda t: 0.4 * np.exp(-1j * np.pi * t)]])
    res = openlz.mesolve(evo, qt.basis(2, 1), times, [np.sqrt(0.1) * SM])
    np.testing.assert_allclose(res.states, qstates(evo, qt.basis(2, 1), [np.sqrt(0.1) * SM], times),
                               atol=1e-7)


def test_callable_hamiltonian():
    """H as a callable t -> (n, n) array (assembled at every stage)."""
    def h_of_t(t):
        return 0.5 * t * SZ.full() + 0.3 * SX.full()
    times = np.linspace(-3.0, 3.0, 7)  # times[0] = -3 is the time of rho0
    res = openlz.mesolve(h_of_t, qt.basis(2, 0), times, [np.sqrt(0.05) * SM])
    assert res.stats["generator"] == "callable"
    ref = qstates([0.3 * SX, [0.5 * SZ, lambda t: t]], qt.basis(2, 0), [np.sqrt(0.05) * SM], times)
    np.testing.assert_allclose(res.states, ref, atol=1e-7)


@pytest.mark.parametrize("form", ["qutip_super", "openlz_array"])
def test_liouvillian_input_with_empty_c_ops(form):
    """A QuTiP super Qobj (column stacking, converted) or an openlz row-major array, both
    against qutip.mesolve of the Hamiltonian and jump operators."""
    h = 0.3 * SZ + 0.5 * SX
    c = [np.sqrt(0.2) * SM, np.sqrt(0.1) * SZ]
    lq = qt.liouvillian(h, c)
    gen = lq if form == "qutip_super" else openlz.api.as_superoperator(lq, "L")
    res = openlz.mesolve(gen, qt.basis(2, 0), TIMES)
    np.testing.assert_allclose(res.states, qstates(h, qt.basis(2, 0), c), atol=1e-8)


def test_liouvillian_list_form_time_dependent():
    """[L0, [L1, f]] with QuTiP super Qobjs: a time-dependent Liouvillian."""
    l0 = qt.liouvillian(0.5 * SZ, [np.sqrt(0.2) * SM])
    l1 = qt.liouvillian(SX)
    f = lambda t: 0.4 * np.cos(t)  # noqa: E731
    res = openlz.mesolve([l0, [l1, f]], qt.basis(2, 0), TIMES)
    ref = qstates([0.5 * SZ, [SX, f]], qt.basis(2, 0), [np.sqrt(0.2) * SM])
    np.testing.assert_allclose(res.states, ref, atol=1e-7)


def test_time_dependent_collapse_operators():
    """c_ops in list form: [[σ−, f]] and a sum C(t) = C0 + f(t) C1 (cross terms of D[C])."""
    h = 0.5 * SZ + 0.3 * SX
    f = lambda t: 0.5 * (1.2 + np.cos(t))  # noqa: E731
    c1 = [[SM, f]]
    np.testing.assert_allclose(openlz.mesolve(h, qt.basis(2, 0), TIMES, c1).states,
                               qstates(h, qt.basis(2, 0), c1), atol=1e-7)
    g = lambda t: 0.3 * np.exp(1j * t)  # noqa: E731  complex coefficient in a sum
    c2 = [[0.4 * SM, [SZ, g]]]
    ours = openlz.mesolve(h, qt.basis(2, 0), TIMES, c2)
    assert ours.stats["generator"] == "linear"
    np.testing.assert_allclose(ours.states, qstates(h, qt.basis(2, 0), [qt.QobjEvo(c2[0])]),
                               atol=1e-7)


def test_batch_axes_broadcast_across_h_c_ops_and_rho0():
    """H batched (3, 1), c_ops (1, 2), rho0 a list of 2 kets (batch (2,)): states of batch
    shape (3, 2), compared point by point with QuTiP."""
    det = np.array([-0.5, 0.0, 0.5])[:, None]
    gam = np.array([0.1, 0.4])[None, :]
    h = 0.5 * det[..., None, None] * SZ.full() + 0.3 * SX.full()          # (3, 1, 2, 2)
    c = np.sqrt(gam)[..., None, None] * SM.full()                          # (1, 2, 2, 2)
    rho0 = [qt.basis(2, 0), (qt.basis(2, 0) + qt.basis(2, 1)).unit()]      # (2,) batch
    res = openlz.mesolve(h, rho0, TIMES, [c])
    assert res.states.shape == (3, 2, TIMES.size, 2, 2)
    for i in range(3):
        for j in range(2):
            ref = qstates(qt.Qobj(h[i, 0]), rho0[j], [qt.Qobj(c[0, j])])
            np.testing.assert_allclose(res.states[i, j], ref, atol=1e-8)


def test_unbatched_input_gives_unbatched_output_on_every_path():
    rho0 = np.diag([1.0, 0.0])
    for h in (SZ.full(), [SZ.full(), [SX.full(), np.cos]], lambda t: t * SZ.full()):
        res = openlz.mesolve(h, rho0, TIMES, [SM.full()])
        assert res.states.shape == (TIMES.size, 2, 2) and res.final_state.shape == (2, 2)


def test_e_ops_equal_trace_of_returned_states():
    """expect[k][..., t] = tr(O_k rho(t)) of the returned states (reference: np.trace), and the
    values against QuTiP's expect."""
    amp = np.array([0.3, 0.6])
    h = [0.5 * SZ, [SX, lambda t: amp * np.cos(t)]]
    c = [np.sqrt(0.2) * SM]
    e = [SZ, SX.full(), SM, lambda t, rho: np.einsum("...ii->...", rho).real * t]
    res = openlz.mesolve(h, qt.basis(2, 0), TIMES, c, e_ops=e, options={"store_states": True})
    rho = res.states
    for k, op in enumerate([SZ.full(), SX.full(), SM.full()]):
        np.testing.assert_allclose(res.expect[k], np.trace(op @ rho, axis1=-2, axis2=-1), atol=1e-14)
    assert np.isrealobj(res.expect[0]) and np.iscomplexobj(res.expect[2])  # SM not Hermitian
    np.testing.assert_allclose(res.expect[3], np.broadcast_to(TIMES, (2, TIMES.size)), atol=1e-8)
    for b in range(2):
        hb = [0.5 * SZ, [SX, lambda t, a=amp[b]: a * np.cos(t)]]
        ref = qt.mesolve(hb, qt.basis(2, 0), TIMES, c, e_ops=[SZ, SX], options=QOPT).expect
        np.testing.assert_allclose(res.expect[0][b], ref[0], atol=1e-7)
        np.testing.assert_allclose(res.expect[1][b], ref[1], atol=1e-7)


def test_e_ops_dict_and_store_states_default():
    """QuTiP's rule: with e_ops the states are not stored unless asked; final_state always is."""
    res = openlz.mesolve(SZ, qt.basis(2, 0), TIMES, [SM], e_ops={"z": SZ, "x": SX})
    assert res.states is None and res.final_state.shape == (2, 2)
    assert set(res.e_data) == {"z", "x"} and res.e_data["z"] is res.expect[0]
    ref = qt.mesolve(SZ, qt.basis(2, 0), TIMES, [SM], e_ops=[SZ], options=QOPT).expect[0]
    np.testing.assert_allclose(res.e_data["z"], ref, atol=1e-8)


def test_methods_expm_and_adaptive_agree_and_expm_rejects_time_dependence():
    """The adaptive integrator on a constant generator against the exact expm path."""
    h, c = 0.5 * SZ + 0.3 * SX, [np.sqrt(0.2) * SM]
    exact = openlz.mesolve(h, qt.basis(2, 0), TIMES, c)
    rk = openlz.mesolve(h, qt.basis(2, 0), TIMES, c, options={"method": "dopri5", "rtol": 1e-10,
                                                              "atol": 1e-12})
    assert rk.stats["method"] == "dopri5" and rk.stats["n_accepted"] > 0
    np.testing.assert_allclose(rk.states, exact.states, atol=1e-8)
    with pytest.raises(openlz.ParameterError, match="expm.*constant generator"):
        openlz.mesolve([SZ, [SX, np.cos]], qt.basis(2, 0), TIMES, options={"method": "expm"})


def test_progress_bar_option_does_not_change_results(monkeypatch):
    """progress_bar=True routes the integrator's time through the bar; the states are the same
    and the bar is updated (its updates are counted)."""
    calls = []
    monkeypatch.setattr(TimeProgress, "update", lambda self, t: calls.append(t))
    h = [0.5 * SZ, [SX, lambda t: 0.4 * np.cos(t)]]
    off = openlz.mesolve(h, qt.basis(2, 0), TIMES, [SM], options={"progress_bar": False})
    assert not calls
    on = openlz.mesolve(h, qt.basis(2, 0), TIMES, [SM], options={"progress_bar": True})
    np.testing.assert_array_equal(on.states, off.states)
    assert calls and max(calls) == pytest.approx(TIMES[-1])
    assert progress_enabled(None) is False  # pytest's stderr is not a terminal
    assert progress_enabled("none") is False and progress_enabled(True) is True


def test_physicality_failures_are_reported_with_closed_form_values():
    """Non-physical generators (row-major superoperators built by hand):
    L = −γ·1 gives rho(t) = e^{−γt} rho0, trace error 1 − e^{−γT};
    L rho = γ(tr(rho) σ − rho) with σ = diag(1.5, −0.5) gives, from |0⟩⟨0|, the smallest
    eigenvalue −0.5 (1 − e^{−γT}) (closed forms)."""
    gam, times = 0.5, np.linspace(0, 2, 5)
    with pytest.warns(openlz.PhysicalityWarning, match="trace error"):
        res = openlz.mesolve(-gam * np.eye(4), np.diag([1.0, 0.0]), times)
    v = res.validity["physicality"]
    assert not v["ok"] and v["trace_error"] == pytest.approx(1 - np.exp(-gam * 2), abs=1e-12)
    sigma = np.diag([1.5, -0.5])
    lmat = gam * (np.outer(sigma.reshape(-1), np.eye(2).reshape(-1)) - np.eye(4))
    with pytest.warns(openlz.PhysicalityWarning, match="min eigenvalue"):
        res = openlz.mesolve(lmat, np.diag([1.0, 0.0]), times)
    v = res.validity["physicality"]
    assert not v["positive"] and v["trace_error"] < 1e-12
    assert v["min_eigenvalue"] == pytest.approx(-0.5 * (1 - np.exp(-gam * 2)), abs=1e-12)


def test_two_batch_axes_on_the_linear_path():
    """Coefficients of shape (3, 1) (broadcast) and (3, 2) (full batch), H0 batched (1, 2, ...):
    batch (3, 2), each point against its own QuTiP run."""
    amp = np.array([0.2, 0.5, 0.9])[:, None]                        # (3, 1)
    w = np.array([[0.8, 1.0], [1.1, 1.2], [0.9, 1.3]])              # (3, 2)
    eps = np.array([0.4, 0.6])[:, None, None]                       # (2, 1, 1)
    h = [0.5 * eps * SZ.full(), [SX.full(), lambda t: amp * np.ones((1, 2))],
         [SY.full(), lambda t: 0.3 * np.cos(w * t)]]
    c = [np.sqrt(0.1) * SM]
    res = openlz.mesolve(h, qt.basis(2, 0), TIMES, c)
    assert res.states.shape == (3, 2, TIMES.size, 2, 2) and res.stats["generator"] == "linear"
    for i in range(3):
        for j in range(2):
            hq = [0.5 * eps[j, 0, 0] * SZ + amp[i, 0] * SX,
                  [SY, lambda t, v=w[i, j]: 0.3 * np.cos(v * t)]]
            np.testing.assert_allclose(res.states[i, j], qstates(hq, qt.basis(2, 0), c), atol=1e-7)


def test_qobjevo_collapse_operator_and_no_hamiltonian():
    """A QobjEvo jump operator; H = None (purely dissipative)."""
    f = lambda t: np.sqrt(0.3) * (1 + 0.5 * np.sin(t))  # noqa: E731
    c = [qt.QobjEvo([SM, f])]
    ours = openlz.mesolve(None, qt.basis(2, 0), TIMES, c)
    ref = qstates(qt.qzero(2), qt.basis(2, 0), c)
    np.testing.assert_allclose(ours.states, ref, atol=1e-7)
