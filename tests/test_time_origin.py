"""Issue 11 item 1: the initial time is stated, results at a time do not depend on the other
requested times, and times before the initial time are refused (exit 2).

References: magnetic-medium against a Lindbladian assembled here directly from paper 004's
Eq. (3) (dissipator −Σ h_nm(O_m†O_n ρ + ρ O_m†O_n − 2 O_n ρ O_m†)) and propagated with scipy's
``expm``; spin-reservoir against ``scipy.integrate.solve_ivp`` on the full 2^(L+1) state of
paper 003's Eq. (1), built here with numpy kron; the generic ``Model`` support against the
closed form e^{−(t − t0)} of a toy model.
"""

from __future__ import annotations

import json
import sys

import numpy as np
import pytest
import scipy.linalg as sla
from scipy.integrate import solve_ivp

from openlz.errors import ParameterError
from openlz.models import get_model
from openlz.models.base import Model, Observable, Param, evolution_grid

# --- paper 004, Eqs. (1), (3)-(4), written out independently of openlz ---------------------
_sp = np.array([[0, 1], [0, 0]], dtype=complex)   # σ+ = |↑><↓| with |↑> = index 0
_sm = _sp.T.copy()
_sz = np.diag([1.0, -1.0]).astype(complex)
_I2 = np.eye(2)


def _paper004_lindbladian(a, A, delta, a_t=0.0, A_t=0.0, Delta=0.0):
    """dρ/dt = −i[H, ρ] − Σ_nm h_nm (O_m†O_n ρ + ρ O_m†O_n − 2 O_n ρ O_m†) as a 16×16 matrix
    acting on row-major vec(ρ)."""
    O = [np.kron(_sm, _I2), np.kron(_I2, _sm), np.kron(_sp, _I2), np.kron(_I2, _sp),
         np.kron(_sz, _I2), np.kron(_I2, _sz)]
    h = np.zeros((6, 6), dtype=complex)
    h[:2, :2] = [[a_t, A_t], [np.conj(A_t), a_t]]
    h[2:4, 2:4] = [[a, np.conj(A)], [A, a]]
    H = -((Delta + delta) * np.kron(_sz, _I2) + (Delta - delta) * np.kron(_I2, _sz)) / 2
    eye = np.eye(4)
    # row-major vec: vec(X ρ Y) = (X ⊗ Yᵀ) vec(ρ)
    L = -1j * (np.kron(H, eye) - np.kron(eye, H.T))
    for n in range(6):
        for m in range(6):
            if h[n, m] == 0:
                continue
            K = O[m].conj().T @ O[n]
            L -= h[n, m] * (np.kron(K, eye) + np.kron(eye, K.T)
                            - 2 * np.kron(O[n], O[m].conj()))
    return L


def _concurrence_x_state(rho):
    """C = 2 max(0, |ρ12| − sqrt(ρ00 ρ33), |ρ03| − sqrt(ρ11 ρ22)) (paper 004, Eq. S52)."""
    return 2 * max(0.0, abs(rho[1, 2]) - np.sqrt(abs(rho[0, 0] * rho[3, 3])),
                   abs(rho[0, 3]) - np.sqrt(abs(rho[1, 1] * rho[2, 2])))


def _reference_concurrence(times, t0, a=1.0, A=1.0, delta=0.0):
    L = _paper004_lindbladian(a, A, delta)
    rho0 = np.zeros((4, 4), dtype=complex)
    rho0[1, 1] = 1.0  # |ud>
    return np.array([_concurrence_x_state((sla.expm(L * (t - t0)) @ rho0.ravel()).reshape(4, 4))
                     for t in times])


def test_magnetic_medium_results_do_not_depend_on_the_other_times():
    """The issue's case: --times 1:2:2 gave C = [0, 0.4908]; both are C(1), C(2) from t0 = 0."""
    m = get_model("magnetic-medium")
    ref = _reference_concurrence([1.0, 2.0], 0.0)
    for grid in (np.array([1.0, 2.0]), np.array([0.0, 1.0, 2.0]), np.array([2.0])):
        c = m.evaluate({}, grid, ["concurrence"])["concurrence"][0]
        np.testing.assert_allclose(c[-1], ref[1], atol=1e-12)
        if grid.size > 1:
            np.testing.assert_allclose(c[grid == 1.0], ref[0], atol=1e-12)
    # a single time 5 is the evolved state at t = 5, not the initial state labelled t = 5
    c5 = m.evaluate({}, np.array([5.0]), ["concurrence"])["concurrence"][0, 0]
    np.testing.assert_allclose(c5, _reference_concurrence([5.0], 0.0)[0], atol=1e-12)
    assert c5 > 0.49


def test_magnetic_medium_initial_time_parameter():
    """t0 shifts the whole evolution (autonomous dynamics); recorded in the attrs; points with
    different t0 in one batch; the closed form (S63) is evaluated at t − t0 too."""
    m = get_model("magnetic-medium")
    t = np.array([1.0, 1.5, 3.0])
    r = m.evaluate({"t0": np.array([0.0, 1.0]), "delta": 0.3}, t,
                   ["concurrence", "concurrence_closed_form"])
    np.testing.assert_allclose(r["concurrence"][0], _reference_concurrence(t, 0.0, delta=0.3),
                               atol=1e-12)
    np.testing.assert_allclose(r["concurrence"][1], _reference_concurrence(t, 1.0, delta=0.3),
                               atol=1e-12)
    np.testing.assert_allclose(r["concurrence_closed_form"], r["concurrence"], atol=1e-10)
    assert r["_attrs"]["initial_time"] == [0.0, 1.0]
    ds = m.run(times=np.array([2.0, 3.0]), observables=["concurrence"], t0=2.0)
    assert ds.attrs["initial_time"] == 2.0 and ds.attrs["param_t0"] == 2.0
    assert ds["concurrence"].values[0] == 0.0  # the initial product state |ud> at t0 = 2
    # default grid starts at t0
    assert m.run(observables=["concurrence"], t0=7.0)["time"].values[0] == 7.0


def test_magnetic_medium_times_before_t0_refused():
    m = get_model("magnetic-medium")
    with pytest.raises(ParameterError, match="initial time t0 = 0"):
        m.evaluate({}, np.array([-1.0, 0.0]), ["concurrence"])
    with pytest.raises(ParameterError, match="initial time t0 = 3"):
        m.evaluate({"t0": 3.0}, np.array([2.0, 4.0]), ["concurrence"])


def _cli(monkeypatch, capsys, *args):
    from openlz.cli import main

    monkeypatch.setattr(sys, "argv", ["openlz", *args])
    with pytest.raises(SystemExit) as e:
        main()
    return e.value.code, capsys.readouterr()


def test_cli_time_origin(monkeypatch, capsys):
    """`openlz run magnetic-medium -o concurrence --times 1:2:2 --json` (the issue's command)."""
    code, std = _cli(monkeypatch, capsys, "run", "magnetic-medium", "-o", "concurrence",
                     "--times", "1:2:2", "--json")
    assert code == 0
    d = json.loads(std.out)
    np.testing.assert_allclose(d["observables"]["concurrence"], _reference_concurrence([1, 2], 0),
                               atol=1e-12)
    assert d["attrs"]["initial_time"] == 0.0
    code, std = _cli(monkeypatch, capsys, "run", "magnetic-medium", "--times", "-1:2:4")
    assert code == 2 and "initial time" in std.err and "Traceback" not in std.err
    code, std = _cli(monkeypatch, capsys, "run", "spin-reservoir", "--times", "-20:10:4",
                     "-o", "p_exact_t")
    assert code == 2 and "initial time t0 = 0" in std.err and "Traceback" not in std.err


def test_models_list_states_the_initial_time(monkeypatch, capsys):
    code, std = _cli(monkeypatch, capsys, "models", "--json")
    assert code == 0
    d = json.loads(std.out)
    assert d["magnetic-medium"]["initial_time"].startswith("parameter t0")
    assert d["spin-reservoir"]["initial_time"].startswith("t = 0 (fixed)")


# --- paper 003, Eq. (1), dense reference -----------------------------------------------------
def _site(op, j, n):
    out = np.array([[1.0 + 0j]])
    for i in range(n):
        out = np.kron(out, op if i == j else _I2)
    return out


def _dense_reference(L, de, nu, rate, beta, p0, k0, times):
    """p(t), k(t) from solve_ivp on the full state, initial product state at t = 0."""
    n = L + 1
    eps = de * np.arange(1, L + 1)
    f = 1 / (np.exp(2 * beta * eps) + 1)  # paper 003 after Eq. (15), μ = 0
    H0 = sum(eps[i - 1] * _site(_sz, i, n) for i in range(1, n))
    H0 = H0 + sum(nu * _site(_sp, 0, n) @ _site(_sm, i, n) for i in range(1, n))
    H0 = H0 + sum(np.conj(nu) * _site(_sm, 0, n) @ _site(_sp, i, n) for i in range(1, n))
    Z0 = _site(_sz, 0, n)
    rho = np.array([[p0, k0], [np.conj(k0), 1 - p0]], dtype=complex)
    for fn in f:
        rho = np.kron(rho, np.diag([fn, 1 - fn]))
    D = rho.shape[0]

    def rhs(t, y):
        r = y.reshape(D, D)
        H = H0 + rate * t * Z0
        return (-1j * (H @ r - r @ H)).ravel()

    sol = solve_ivp(rhs, (0.0, max(times)), rho.ravel(), t_eval=times, rtol=1e-10, atol=1e-12,
                    method="DOP853")
    P_up = _site(np.diag([1.0, 0.0]).astype(complex), 0, n)
    S_m = _site(_sm, 0, n)
    rs = sol.y.T.reshape(-1, D, D)
    return (np.einsum("ij,tji->t", P_up, rs).real, np.einsum("ij,tji->t", S_m, rs))


def test_spin_reservoir_exact_starts_at_zero():
    """The issue: --times -20:10:4 started the exact solver at -20 (p_exact(τ1 = 0) = 0.756
    instead of p0 = 0.8).  Now negative times are refused, and a grid starting after 0 still
    evolves from t = 0 (dense solve_ivp reference, L = 3)."""
    m = get_model("spin-reservoir")
    params = {"L": 3, "nu": 0.3, "rate": 0.5, "beta": 0.5, "p0": 0.8, "k0_re": 0.3,
              "k0_im": 0.1}
    with pytest.raises(ParameterError, match="initial time"):
        m.evaluate(params, np.linspace(-20, 10, 4), ["p_exact_t"])
    times = np.array([2.5, 4.0, 6.0])
    r = m.evaluate(params, times, ["p_exact", "p_exact_t", "re_k_exact_t", "abs_k_exact_t",
                                   "p_continuous_t"])
    p_ref, k_ref = _dense_reference(3, 1.0, 0.3, 0.5, 0.5, 0.8, 0.3 + 0.1j, times)
    np.testing.assert_allclose(r["p_exact_t"][0], p_ref, atol=1e-7)
    np.testing.assert_allclose(r["re_k_exact_t"][0], k_ref.real, atol=1e-7)
    np.testing.assert_allclose(r["abs_k_exact_t"][0], np.abs(k_ref), atol=1e-7)
    assert r["p_exact"][0, 0] == pytest.approx(0.8, abs=1e-12)  # τ_1 = 0 is the initial time
    assert r["_attrs"]["initial_time"] == 0.0
    # the same time requested alone gives the same value (within the ODE tolerance)
    alone = m.evaluate(params, np.array([6.0]), ["p_exact_t"])["p_exact_t"][0, 0]
    assert alone == pytest.approx(r["p_exact_t"][0, -1], abs=1e-8)


def test_exact_spin_dynamics_t0_argument():
    from openlz.solve.exact_spins import exact_spin_dynamics

    eps = np.arange(1.0, 4.0)
    f = 1 / (np.exp(2 * 0.5 * eps) + 1)
    times = np.array([2.5, 6.0])
    res = exact_spin_dynamics(eps, 0.3, 0.5, f, 0.8, 0.3 + 0.1j, times, t0=0.0)
    p_ref, k_ref = _dense_reference(3, 1.0, 0.3, 0.5, 0.5, 0.8, 0.3 + 0.1j, times)
    np.testing.assert_allclose(res.p, p_ref, atol=1e-7)
    np.testing.assert_allclose(res.k, k_ref, atol=1e-7)
    assert np.array_equal(res.times, times)
    with pytest.raises(ValueError, match="initial time"):
        exact_spin_dynamics(eps, 0.3, 0.5, f, 0.8, 0.0, np.array([-1.0, 1.0]), t0=0.0)


# --- generic Model support -----------------------------------------------------------------
def _toy_eval(params, times, observables, options):
    t0 = params["t0"][:, None]
    return {"x": np.exp(-(times[None, :] - t0))}


def _toy(initial_time, doc="test"):
    return Model(name="toy-decay", paper="none", summary="x(t) = exp(-(t - t0))",
                 params=(Param("t0", 0.0, "initial time"),),
                 observables=(Observable("x", "x(t)", ("time",)),), evaluate_fn=_toy_eval,
                 default_times=(0.0, 1.0, 3), initial_time=initial_time,
                 initial_time_doc=doc)


def test_generic_initial_time_support():
    toy = _toy("t0")
    r = toy.evaluate({"t0": 1.0}, np.array([1.0, 2.0]), ["x"])
    np.testing.assert_allclose(r["x"][0], np.exp(-np.array([0.0, 1.0])))
    assert r["_attrs"]["initial_time"] == 1.0
    with pytest.raises(ParameterError, match="initial time t0 = 1"):
        toy.evaluate({"t0": 1.0}, np.array([0.5]), ["x"])
    # default grid shifted to start at t0
    ds = toy.run(observables=["x"], t0=2.0)
    np.testing.assert_allclose(ds["time"].values, [2.0, 2.5, 3.0])
    np.testing.assert_allclose(ds["x"].values, np.exp(-np.array([0.0, 0.5, 1.0])))
    fixed = _toy(0.0)
    with pytest.raises(ParameterError, match="fixed"):
        fixed.evaluate({}, np.array([-0.1, 1.0]), ["x"])
    assert fixed.initial_time_text() == "t = 0 (fixed); test"
    assert _toy(None, "").initial_time_text().startswith("not declared")
    assert _toy(None, "periodic").initial_time_text() == "none; periodic"


def test_evolution_grid():
    grid, idx = evolution_grid(np.array([2.0, 1.0, 2.0, 0.5]), 0.5)
    assert grid[0] == 0.5 and np.all(np.diff(grid) > 0)
    np.testing.assert_array_equal(grid[idx], [2.0, 1.0, 2.0, 0.5])
    with pytest.raises(ValueError, match="initial time"):
        evolution_grid(np.array([0.0]), 1.0)
