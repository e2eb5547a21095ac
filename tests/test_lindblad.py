"""Batched Lindblad evolution (``evolve_constant``, ``evolve_td``, ``lindblad_evolve``).

Oracles: closed forms of amplitude damping, pure dephasing and the driven damped
qubit (optical Bloch equations); the Landau–Zener formula P = exp(-pi Delta^2 / (2 v))
for H = (v t / 2) sigma_z + (Delta / 2) sigma_x; QuTiP ``mesolve`` on the same model.
Library convention (shared/DESIGN.md): |0> = up (sigma_z = +1), sigma_- = |1><0|,
which are QuTiP's ``basis(2, 0)`` and ``sigmam()`` too, so matrices are passed unchanged.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import qutip
from hypothesis import given, settings
from hypothesis import strategies as st

from openlz.core.checks import check_states
from openlz.core.liouvillian import liouvillian
from openlz.core.operators import (
    ket2dm,
    kron,
    on_qubit,
    sigma_minus,
    sigma_plus,
    sigma_x,
    sigma_z,
    two_qubit_state,
)
from openlz.solve.lindblad import (
    LinearGenerator,
    evolve_constant,
    evolve_td,
    hermitian_basis,
    lindblad_evolve,
    propagators,
)
from openlz.solve.ode import ODEOptions

SX, SZ, SM = sigma_x(), sigma_z(), sigma_minus()
PLUS = ket2dm(np.array([1, 1]) / np.sqrt(2))
TIGHT = ODEOptions(rtol=1e-10, atol=1e-12)
QOPTS = {"rtol": 1e-10, "atol": 1e-12, "nsteps": 100000}


def test_amplitude_damping_closed_form():
    """H = (w/2) sz, L = sqrt(g) s-: rho_00 = rho_00(0) e^{-g t}, rho_01 = rho_01(0) e^{-(i w + g/2) t}."""
    w, g = 1.3, np.array([0.2, 0.7])
    times = np.linspace(0, 5, 11)
    gen = liouvillian(0.5 * w * SZ, np.sqrt(g)[:, None, None, None] * SM[None, None])
    rho = evolve_constant(gen, PLUS, times)
    assert rho.shape == (2, 11, 2, 2)
    np.testing.assert_allclose(rho[..., 0, 0], 0.5 * np.exp(-g[:, None] * times), atol=1e-13)
    np.testing.assert_allclose(rho[..., 0, 1], 0.5 * np.exp(-(1j * w + g[:, None] / 2) * times),
                               atol=1e-13)
    np.testing.assert_allclose(np.trace(rho, axis1=-2, axis2=-1), 1.0, atol=1e-13)


def test_pure_dephasing_closed_form():
    """L = sqrt(k) sz: populations fixed, coherence rho_01 e^{-2 k t} (D[sz] rho_01 = -2 rho_01)."""
    k = 0.4
    times = np.array([0.0, 0.3, 1.0, 2.5])
    rho = evolve_constant(liouvillian(None, [np.sqrt(k) * SZ]), PLUS, times)
    np.testing.assert_allclose(rho[:, 0, 1], 0.5 * np.exp(-2 * k * times), atol=1e-14)
    np.testing.assert_allclose(rho[:, 0, 0], 0.5, atol=1e-14)


def driven_qubit(delta, omega):
    return 0.5 * delta * SZ + 0.5 * omega * SX


def test_driven_damped_qubit_long_time_is_bloch_steady_state():
    """Optical Bloch steady state for H = (D/2) sz + (W/2) sx, L = sqrt(g) s-:
    <sz> = 2 W^2/(4D^2 + 2W^2 + g^2) - 1, <sy> = 2 g W/(...), <sx> = -4 D W/(...)."""
    d, w, g = 0.6, 1.1, 0.8
    den = 4 * d**2 + 2 * w**2 + g**2
    rho = evolve_constant(liouvillian(driven_qubit(d, w), [np.sqrt(g) * SM]), ket2dm(np.array([0, 1])),
                          np.array([0.0, 200.0]))[-1]
    sy = np.array([[0, -1j], [1j, 0]])
    assert np.trace(rho @ SZ).real == pytest.approx(2 * w**2 / den - 1, abs=1e-12)
    assert np.trace(rho @ sy).real == pytest.approx(2 * g * w / den, abs=1e-12)
    assert np.trace(rho @ SX).real == pytest.approx(-4 * d * w / den, abs=1e-12)


def two_qubit_model(j, g1, g2, dz):
    """Two exchange-coupled qubits with local decay: batch over (j, g1, g2, dz)."""
    h = (0.5 * dz[:, None, None] * (on_qubit(SZ, 0) - on_qubit(SZ, 1))
         + j[:, None, None] * kron(SX, SX))
    c = np.stack([np.sqrt(g1)[:, None, None] * on_qubit(SM, 0),
                  np.sqrt(g2)[:, None, None] * on_qubit(SM, 1)], axis=1)
    return h, c


def test_constant_two_qubits_batched_vs_qutip_mesolve():
    j, g1, g2, dz = (np.array([0.5, 1.0, 0.2]), np.array([0.1, 0.3, 0.0]),
                     np.array([0.2, 0.0, 0.05]), np.array([0.0, 0.7, 1.5]))
    h, c = two_qubit_model(j, g1, g2, dz)
    rho0 = two_qubit_state("ud")
    times = np.linspace(0, 6, 13)
    rho = lindblad_evolve(h, c, rho0, times)
    assert rho.shape == (3, 13, 4, 4)
    for i in range(3):
        res = qutip.mesolve(qutip.Qobj(h[i]), qutip.Qobj(rho0), times,
                            [qutip.Qobj(c[i, 0]), qutip.Qobj(c[i, 1])], options=QOPTS)
        np.testing.assert_allclose(rho[i], np.array([s.full() for s in res.states]), atol=1e-8)
        # batched == unbatched
        np.testing.assert_allclose(rho[i], lindblad_evolve(h[i], [c[i, 0], c[i, 1]], rho0, times),
                                   atol=1e-13)


def lz_generator(v, delta, gamma):
    """Landau–Zener sweep with damping, batched: H(t) = (v t/2) sz + (Delta/2) sx, L = sqrt(g) s-."""
    l_sweep = liouvillian(0.5 * v[:, None, None] * SZ)
    l_rest = liouvillian(0.5 * delta[:, None, None] * SX,
                         np.sqrt(gamma)[:, None, None, None] * SM[None, None])

    def gen(t: float) -> np.ndarray:
        return l_rest + t * l_sweep
    return gen


def test_landau_zener_formula_without_damping():
    """gamma = 0: from |down> at t = -T the probability to end in |down> (diabatic passage)
    is exp(-pi Delta^2 / (2 v)) (Landau–Zener), up to finite-time corrections O(Delta/(v T))."""
    v, delta = np.array([1.0, 2.0, 4.0, 1.0]), np.array([0.5, 0.5, 2.0, 1.0])
    T = 20.0
    rho, _ = evolve_td(lz_generator(v, delta, np.zeros(4)), ket2dm(np.array([0, 1])),
                       np.array([-T, T]), ODEOptions(rtol=1e-9, atol=1e-11))
    p_stay = rho[:, -1, 1, 1].real
    p_lz = np.exp(-np.pi * delta**2 / (2 * v))
    assert np.all(np.abs(p_stay - p_lz) < 1.2 * delta / (v * T)), p_stay - p_lz


def test_landau_zener_with_damping_batched_vs_qutip():
    """Time-dependent generator: batched evolve_td == QuTiP mesolve per point == unbatched."""
    v, delta, gamma = np.array([1.0, 0.5, 2.0]), np.array([0.5, 1.0, 0.3]), np.array([0.05, 0.2, 0.0])
    times = np.linspace(-10, 10, 21)
    rho0 = ket2dm(np.array([0, 1]))
    rho, stats = evolve_td(lz_generator(v, delta, gamma), rho0, times, TIGHT)
    assert rho.shape == (3, 21, 2, 2) and stats.n_accepted > 0
    for i in range(3):
        h = [qutip.Qobj(0.5 * delta[i] * SX), [qutip.Qobj(0.5 * v[i] * SZ), lambda t: t]]
        res = qutip.mesolve(h, qutip.Qobj(rho0), times, [qutip.Qobj(np.sqrt(gamma[i]) * SM)],
                            options=QOPTS)
        np.testing.assert_allclose(rho[i], np.array([s.full() for s in res.states]), atol=1e-7)
        single, _ = evolve_td(lz_generator(v[i:i + 1], delta[i:i + 1], gamma[i:i + 1]), rho0, times, TIGHT)
        np.testing.assert_allclose(rho[i], single[0], atol=1e-8)


def test_lindblad_evolve_with_callable_hamiltonian_matches_evolve_td():
    v, delta, gamma = 1.5, 0.7, 0.1
    times = np.linspace(-5, 5, 6)
    rho0 = ket2dm(np.array([0, 1]))
    a = lindblad_evolve(lambda t: 0.5 * v * t * SZ + 0.5 * delta * SX, [np.sqrt(gamma) * SM], rho0, times,
                        TIGHT)
    b, _ = evolve_td(lz_generator(np.array([v]), np.array([delta]), np.array([gamma])), rho0, times, TIGHT)
    assert a.shape == (6, 2, 2)
    np.testing.assert_allclose(a, b[0], atol=1e-9)


def test_constant_generator_through_evolve_td_equals_exact():
    """An adaptive RK solution of a constant generator agrees with the exact expm one."""
    gen = liouvillian(driven_qubit(0.3, 1.0), [np.sqrt(0.4) * SM])
    times = np.linspace(0, 8, 9)
    exact = evolve_constant(gen, PLUS, times)
    rk, _ = evolve_td(lambda t: gen, PLUS, times, TIGHT)
    np.testing.assert_allclose(rk, exact, atol=1e-9)


def test_evolve_constant_grids_and_backward_time():
    """Non-uniform and tiny steps, repeated times and a backward (decreasing) grid."""
    h = driven_qubit(0.4, 0.9)
    gen = liouvillian(h)
    times = np.array([0.0, 1e-13, 0.5, 0.5, 1.7, 3.0])
    rho = evolve_constant(gen, PLUS, times)
    for k, t in enumerate(times):  # unitary closed form U rho U^dag
        w, vv = np.linalg.eigh(h)
        u = (vv * np.exp(-1j * w * t)) @ vv.conj().T
        np.testing.assert_allclose(rho[k], u @ PLUS @ u.conj().T, atol=1e-12)
    back = evolve_constant(gen, rho[-1], times[::-1] - 0)  # from t = 3 back to 0
    np.testing.assert_allclose(back[-1], PLUS, atol=1e-12)
    # a tiny step is applied, not rounded away: compare with the first-order expansion
    tiny = evolve_constant(gen, PLUS, np.array([0.0, 1e-9]))[-1]
    np.testing.assert_allclose((tiny - PLUS) / 1e-9, -1j * (h @ PLUS - PLUS @ h), atol=1e-6)


def test_propagators_shape_and_composition():
    gen = liouvillian(driven_qubit(0.4, 0.9), [np.sqrt(0.2) * SM])
    p = propagators(gen, np.array([0.5, 1.0]))
    assert p.shape == (2, 4, 4)
    np.testing.assert_allclose(p[0] @ p[0], p[1], atol=1e-12)


def test_two_qubit_time_dependent_batch_vs_qutip_many_points():
    """A larger batch (16 points) of driven damped two-qubit systems vs QuTiP."""
    rng = np.random.default_rng(3)
    B = 16
    j, g1, g2, dz = rng.uniform(0.1, 1, B), rng.uniform(0, 0.3, B), rng.uniform(0, 0.3, B), rng.uniform(0, 1, B)
    h0, c = two_qubit_model(j, g1, g2, dz)
    drive = on_qubit(SX, 0) + on_qubit(SX, 1)
    l0 = liouvillian(h0, c)
    l1 = liouvillian(drive)
    times = np.linspace(0, 5, 6)
    rho0 = two_qubit_state("dd")
    rho, _ = evolve_td(lambda t: l0 + np.cos(2 * t) * l1, rho0, times, TIGHT)
    for i in range(B):
        res = qutip.mesolve([qutip.Qobj(h0[i]), [qutip.Qobj(drive), lambda t: np.cos(2 * t)]],
                            qutip.Qobj(rho0), times, [qutip.Qobj(c[i, 0]), qutip.Qobj(c[i, 1])],
                            options=QOPTS)
        np.testing.assert_allclose(rho[i], np.array([s.full() for s in res.states]), atol=1e-7)


# ----------------------------------------------------------------- LinearGenerator

def lz_linear(v, delta, gamma):
    return LinearGenerator(liouvillian(0.5 * delta[:, None, None] * SX,
                                       np.sqrt(gamma)[:, None, None, None] * SM[None, None]),
                           [(liouvillian(0.5 * v[:, None, None] * SZ), lambda t: t)])


def test_linear_generator_matches_callable_and_qutip():
    """L0 + t L1 applied term-wise (real Hermitian-basis path) == full L(t) callable == QuTiP."""
    v, delta, gamma = np.array([1.0, 0.5]), np.array([0.5, 1.0]), np.array([0.05, 0.2])
    times = np.linspace(-8, 8, 9)
    rho0 = ket2dm(np.array([0, 1]))
    lin = lz_linear(v, delta, gamma)
    assert lin.real_form() is not None
    np.testing.assert_allclose(lin(1.7), lz_generator(v, delta, gamma)(1.7), atol=1e-14)
    a, _ = evolve_td(lin, rho0, times, TIGHT)
    b, _ = evolve_td(lz_generator(v, delta, gamma), rho0, times, TIGHT)
    np.testing.assert_allclose(a, b, atol=1e-8)
    np.testing.assert_allclose(a, np.conj(np.swapaxes(a, -1, -2)), atol=1e-15)  # exactly Hermitian
    h = [qutip.Qobj(0.5 * delta[1] * SX), [qutip.Qobj(0.5 * v[1] * SZ), lambda t: t]]
    res = qutip.mesolve(h, qutip.Qobj(rho0), times, [qutip.Qobj(np.sqrt(gamma[1]) * SM)], options=QOPTS)
    np.testing.assert_allclose(a[1], np.array([s.full() for s in res.states]), atol=1e-7)


def test_linear_generator_complex_terms_use_complex_path():
    """A rotating-wave drive e^{-iwt} s+ + e^{iwt} s-: each term alone does not preserve
    hermiticity, so the complex path runs; compare with the full L(t) callable."""
    w, om, g = 1.2, 0.8, 0.3
    sp = sigma_plus()
    l0 = liouvillian(0.5 * w * SZ, [np.sqrt(g) * SM])
    lp, lm = liouvillian(0.5 * om * sp), liouvillian(0.5 * om * SM)
    lin = LinearGenerator(l0, [(lp, lambda t: np.exp(-1j * w * t)), (lm, lambda t: np.exp(1j * w * t))])
    assert lin.real_form() is None
    times = np.linspace(0, 5, 6)
    a, _ = evolve_td(lin, PLUS, times, TIGHT)
    b, _ = evolve_td(lambda t: liouvillian(0.5 * w * SZ + 0.5 * om * (np.exp(-1j * w * t) * sp
                                                                        + np.exp(1j * w * t) * SM),
                                           [np.sqrt(g) * SM]), PLUS, times, TIGHT)
    np.testing.assert_allclose(a, b, atol=1e-9)


def test_linear_generator_real_coefficient_turning_complex_raises():
    lin = LinearGenerator(liouvillian(0.5 * SZ), [(liouvillian(0.5 * SX), lambda t: 1.0 if t < 0.5 else 1j)])
    with pytest.raises(ValueError, match="complex"):
        evolve_td(lin, PLUS, np.array([0.0, 1.0]), TIGHT)


def test_hermitian_basis_is_orthonormal():
    for n in (2, 3, 4):
        e = hermitian_basis(n)
        np.testing.assert_allclose(np.einsum("aij,bji->ab", e, e), np.eye(n * n), atol=1e-15)
        np.testing.assert_allclose(e, np.conj(np.swapaxes(e, -1, -2)))


def test_lindblad_evolve_time_dependent_jump_operator():
    """L(t) = sqrt(g0 (1 + t)) s-: rho_00(t) = rho_00(0) exp(-g0 (t + t^2/2)) (closed form)."""
    g0 = 0.3
    times = np.linspace(0, 3, 7)
    rho = lindblad_evolve(None, lambda t: [np.sqrt(g0 * (1 + t)) * SM], PLUS, times, TIGHT)
    np.testing.assert_allclose(rho[:, 0, 0].real, 0.5 * np.exp(-g0 * (times + times**2 / 2)), atol=1e-9)


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_random_lindbladians_adaptive_equals_exact_and_stays_physical(seed):
    """Property: for random qutrit Lindbladians (batch of 3) the adaptive real-basis path
    equals the exact expm evolution, and states keep trace 1, hermiticity and positivity."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(3, 3, 3)) + 1j * rng.normal(size=(3, 3, 3))
    h = x + np.conj(np.swapaxes(x, 1, 2))
    c = 0.5 * (rng.normal(size=(3, 2, 3, 3)) + 1j * rng.normal(size=(3, 2, 3, 3)))
    gen = liouvillian(h, c)
    rho0 = ket2dm(np.array([1, 1j, 0]) / np.sqrt(2))
    times = np.linspace(0, 2, 5)
    exact = evolve_constant(gen, rho0, times)
    rk, _ = evolve_td(LinearGenerator(gen), rho0, times, TIGHT)
    np.testing.assert_allclose(rk, exact, atol=1e-8)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert check_states(exact, atol=1e-10).ok and check_states(rk, atol=1e-8).ok


def test_evolve_td_backward_and_leading_axes():
    """Forward then backward through a Landau–Zener sweep (unitary, gamma = 0) returns the
    initial state; leading axes (2, 3) of rho0 come back in the result."""
    v, delta = np.full(6, 1.0), np.linspace(0.2, 1.0, 6)
    gen = lz_linear(v, delta, np.zeros(6))
    rho0 = np.broadcast_to(PLUS, (2, 3, 2, 2))
    fwd, _ = evolve_td(gen, rho0, np.array([-4.0, 4.0]), TIGHT)
    assert fwd.shape == (2, 3, 2, 2, 2)
    back, _ = evolve_td(gen, fwd[..., -1, :, :], np.array([4.0, -4.0]), TIGHT)
    np.testing.assert_allclose(back[..., -1, :, :], rho0, atol=1e-8)


def test_linear_generator_shared_terms_with_batched_coefficients():
    """Shared (N, N) terms with (B,)-valued coefficients == the same generator with batched
    matrices (both paths of LinearGenerator), for real and complex integration."""
    v, delta, gamma = np.array([1.0, 0.5, 2.0]), np.array([0.5, 1.0, 0.3]), np.array([0.05, 0.2, 0.0])
    shared = LinearGenerator(liouvillian(None, [SM]) * 0, [
        (liouvillian(0.5 * SX), lambda t: delta), (liouvillian(None, [SM]), lambda t: gamma),
        (liouvillian(0.5 * SZ), lambda t: v * t)])
    batched = lz_linear(v, delta, gamma)
    np.testing.assert_allclose(shared(0.8), batched(0.8), atol=1e-14)
    times = np.linspace(-6, 6, 5)
    a, _ = evolve_td(shared, ket2dm(np.array([0, 1])), times, TIGHT)
    b, _ = evolve_td(batched, ket2dm(np.array([0, 1])), times, TIGHT)
    np.testing.assert_allclose(a, b, atol=1e-9)
    # a non-Hermitian initial operator forces the complex path: same linear map
    op = np.array([[0.3, 0.2], [0.0, 0.7]], dtype=complex)
    c1, _ = evolve_td(shared, op, times, TIGHT)
    c2, _ = evolve_td(lz_generator(v, delta, gamma), op, times, TIGHT)
    np.testing.assert_allclose(c1, c2, atol=1e-9)
