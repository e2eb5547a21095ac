"""The batched adaptive Runge–Kutta integrator ``openlz.solve.ode.solve_ode``.

Oracles: closed-form solutions of linear ODEs (exponential decay, rotation) and
``scipy.integrate.solve_ivp`` (an independent implementation) at tight tolerance
for a nonlinear system; the convergence order of the Dormand–Prince pairs
(5 for DOPRI5, 8 for DOP853) for fixed steps.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import solve_ivp
from scipy.linalg import expm

from openlz.errors import ParameterError
from openlz.solve.ode import ODEOptions, solve_ode


def rotation(omega: np.ndarray):
    """dy/dt = -i omega y per system, y(t) = exp(-i omega t) y(0)."""
    def f(t, y):
        return -1j * omega[:, None] * y
    return f


@pytest.mark.parametrize("method", ["dop853", "dopri5"])
def test_error_scales_with_tolerance(method):
    """Global error of a rotation over 10 periods shrinks with rtol and stays ~ within it."""
    omega = np.array([1.0, 2.0, 3.0])
    times = np.linspace(0, 20 * np.pi, 11)
    exact = np.exp(-1j * omega[None, :, None] * times[:, None, None]) * np.ones((1, 3, 2))
    errs = []
    for rtol in (1e-4, 1e-6, 1e-8, 1e-10):
        ys, _ = solve_ode(rotation(omega), np.ones((3, 2), complex), times,
                          ODEOptions(rtol=rtol, atol=rtol * 1e-3, method=method))
        errs.append(np.abs(ys - exact).max())
    errs = np.array(errs)
    assert np.all(np.diff(np.log10(errs)) < -1.0), errs  # >= 10x better per 100x tighter
    assert errs[-1] < 1e-7


@pytest.mark.parametrize(("method", "order"), [("dopri5", 5), ("dop853", 8)])
def test_convergence_order_fixed_steps(method, order):
    """With fixed steps (max_step = first_step, tolerance never binding) the global error
    falls as h^order: the Dormand–Prince 5(4) and 8(5,3) tableaux."""
    f = rotation(np.array([1.0]))
    errs = []
    hs = (0.4, 0.2) if method == "dop853" else (0.1, 0.05)
    for h in hs:
        ys, st = solve_ode(f, np.ones((1, 1), complex), np.array([0.0, 8.0]),
                           ODEOptions(rtol=1.0, atol=1.0, method=method, first_step=h, max_step=h))
        assert st.n_rejected == 0
        errs.append(abs(ys[-1, 0, 0] - np.exp(-8j)))
    slope = np.log2(errs[0] / errs[1])
    assert slope == pytest.approx(order, abs=0.6)


def test_output_times_hit_exactly_and_initial_value_kept():
    """Irregular output grid: each output equals the closed form at exactly that time."""
    rates = np.array([0.5, 1.0, 2.0])
    times = np.array([0.0, 1e-3, 0.1, 0.1, 0.7, 1.3, 5.0])  # includes a repeated time
    y0 = np.array([[1.0], [2.0], [3.0]])
    ys, stats = solve_ode(lambda t, y: -rates[:, None] * y, y0, times, ODEOptions(rtol=1e-11, atol=1e-14))
    assert ys.shape == (7, 3, 1)
    assert np.array_equal(ys[0], y0)
    exact = y0[None] * np.exp(-rates[None, :, None] * times[:, None, None])
    np.testing.assert_allclose(ys, exact, rtol=1e-9, atol=0)
    assert ys.dtype == np.float64
    assert stats.n_rhs >= 1 + 12 * stats.n_accepted  # 12 new stages per DOP853 step


def test_time_dependent_rhs_sampled_at_exact_times():
    """dy/dt = cos t: y(t) = sin t; with dense=False outputs land on t exactly (no
    interpolation)."""
    times = np.linspace(0, 10, 37)
    ys, _ = solve_ode(lambda t, y: np.full_like(y, np.cos(t)), np.zeros((1, 1)), times,
                      ODEOptions(rtol=1e-12, atol=1e-13, dense=False))
    np.testing.assert_allclose(ys[:, 0, 0], np.sin(times), atol=1e-10)


@pytest.mark.parametrize("method, tol", [("dop853", 1e-8), ("dop853", 1e-11), ("dopri5", 1e-8)])
def test_dense_output_accuracy(method, tol):
    """Dense output (default) against the closed form of a batch of rotations at 401 output
    times, many inside each step: the interpolated values are as accurate as the step ends
    (the error grows smoothly in time, as the global error of the steps does; DOP853's
    interpolant is 7th order, DOPRI5's 4th), and fewer steps are taken than when every
    output time cuts a step."""
    omega = np.array([0.3, 1.0, 2.5])
    times = np.linspace(0.0, 20.0, 401)
    y0 = np.ones((3, 1), complex)
    exact = np.exp(-1j * omega[None, :, None] * times[:, None, None])
    ys, st_dense = solve_ode(rotation(omega), y0, times,
                             ODEOptions(rtol=tol, atol=tol * 1e-2, method=method))
    err = np.abs(ys - exact)[:, :, 0]                 # (T, B)
    # the largest error anywhere is close to the error at the final step end (t = 20 is hit)
    assert np.max(err) < 1.5 * np.max(err[-1]) + tol
    assert np.max(err) < 100 * tol                    # global error over 20 time units
    _, st_cut = solve_ode(rotation(omega), y0, times,
                          ODEOptions(rtol=tol, atol=tol * 1e-2, method=method, dense=False))
    assert st_dense.n_accepted < st_cut.n_accepted


def test_backward_in_time():
    """Integrating dy/dt = -y from t=2 back to t=0 gives y(0) = y(2) e^2."""
    times = np.array([2.0, 1.5, 0.0])
    ys, _ = solve_ode(lambda t, y: -y, np.array([[1.0, -2.0]]), times, ODEOptions(rtol=1e-10, atol=1e-12))
    np.testing.assert_allclose(ys[:, 0, :], np.exp(2.0 - times)[:, None] * np.array([1.0, -2.0]),
                               rtol=1e-8)


def test_batch_equals_unbatched_and_scipy():
    """Van der Pol oscillators with different mu in one batch == each alone == solve_ivp."""
    mu = np.array([0.5, 1.0, 2.0])

    def vdp(m: np.ndarray):
        def f(t, y):
            return np.stack([y[:, 1], m * (1 - y[:, 0] ** 2) * y[:, 1] - y[:, 0]], axis=1)
        return f

    times = np.linspace(0, 6, 13)
    y0 = np.tile([2.0, 0.0], (3, 1))
    opts = ODEOptions(rtol=1e-10, atol=1e-12)
    batched, _ = solve_ode(vdp(mu), y0, times, opts)
    for i, m in enumerate(mu):
        single, _ = solve_ode(vdp(mu[i:i + 1]), y0[i:i + 1], times, opts)
        np.testing.assert_allclose(batched[:, i], single[:, 0], atol=1e-8)
        ref = solve_ivp(lambda t, y, m=m: [y[1], m * (1 - y[0] ** 2) * y[1] - y[0]], (0, 6), [2.0, 0.0],
                        method="DOP853", t_eval=times, rtol=1e-13, atol=1e-13)
        np.testing.assert_allclose(batched[:, i], ref.y.T, atol=1e-7)


def test_real_initial_state_with_complex_rhs_becomes_complex():
    ys, _ = solve_ode(lambda t, y: -1j * y, np.ones((1, 1)), np.array([0.0, np.pi / 2]),
                      ODEOptions(rtol=1e-10, atol=1e-12))
    assert np.iscomplexobj(ys)
    assert ys[-1, 0, 0] == pytest.approx(-1j, abs=1e-8)


def test_errors():
    f = rotation(np.array([1.0]))
    y0 = np.ones((1, 1), complex)
    with pytest.raises(ValueError, match="monotonic"):
        solve_ode(f, y0, np.array([0.0, 1.0, 0.5]))
    with pytest.raises(ValueError, match="y0"):
        solve_ode(f, np.ones(3), np.array([0.0, 1.0]))
    with pytest.raises(ParameterError, match="rtol"):
        ODEOptions(rtol=-1.0)
    with pytest.raises(ParameterError, match="method"):
        ODEOptions(method="euler")
    with pytest.raises(RuntimeError, match="max_steps"):
        solve_ode(f, y0, np.array([0.0, 100.0]), ODEOptions(max_steps=5))


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), method=st.sampled_from(["dop853", "dopri5"]))
def test_random_linear_systems_match_expm(seed, method):
    """Property: for random stable linear systems y' = A y (a batch of 4), the batched
    integrator reproduces expm(A t) y0 (scipy.linalg.expm, independent) to ~tolerance."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(4, 5, 5)) + 1j * rng.normal(size=(4, 5, 5))
    a = (x - np.conj(np.swapaxes(x, 1, 2))) - np.diag(rng.uniform(0, 1, 5))  # anti-Hermitian + decay
    y0 = rng.normal(size=(4, 5)) + 0j
    times = np.array([0.0, 0.3, 1.0])
    ys, _ = solve_ode(lambda t, y: (a @ y[:, :, None])[:, :, 0], y0, times,
                      ODEOptions(rtol=1e-10, atol=1e-12, method=method))
    for k, t in enumerate(times):
        exact = np.stack([expm(a[b] * t) @ y0[b] for b in range(4)])
        np.testing.assert_allclose(ys[k], exact, atol=1e-7)


def test_empty_batch_returns_empty():
    ys, stats = solve_ode(lambda t, y: -y, np.zeros((0, 3)), np.array([0.0, 1.0]))
    assert ys.shape == (2, 0, 3) and stats.n_rhs == 0
