"""Landau–Zener collision pieces of paper 003 (``openlz.analytic.landau_zener``).

Oracles: QuTiP ``sesolve`` of the two-spin Hamiltonian (paper 003, Eq. 1 with L = 1) for
one crossing; an independent Stirling-series evaluation of arg Γ for the Stokes phase; the
partial trace of the unitary (Eq. 8) computed by hand; conservation of σ^z + σ^z_n
(the identity behind Eq. 34).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openlz.analytic.landau_zener import (
    adiabatic_phases,
    adiabaticity,
    collision_map,
    collision_unitary,
    diabatic_survival,
    fermi_spin_occupation,
    finite_time_phase,
    grand_canonical_map,
    level_shift_phase,
    lz_transition_probability,
    stokes_phase,
)
from openlz.solve.collisions import choi_matrix, collide


def _arg_gamma_stirling(z: complex, shift: int = 40) -> float:
    """Im ln Γ(z) by the recurrence Γ(z) = Γ(z+N)/Π(z+k) and Stirling's series at z+N
    (independent of scipy.special.loggamma; continuous branch as a sum of small args)."""
    w = z + shift
    lg = (w - 0.5) * np.log(w) - w + 0.5 * np.log(2 * np.pi) + 1 / (12 * w) - 1 / (360 * w**3)
    return float(np.imag(lg) - sum(np.angle(z + k) for k in range(shift)))


@pytest.mark.parametrize("delta", [1e-3, 0.05, 0.8, 3.0, 25.0])
def test_stokes_phase_against_stirling(delta):
    """Eq. (11) with arg Γ(1 - iδ) from an independent Stirling evaluation."""
    expected = np.pi / 4 + delta * (np.log(delta) - 1) + _arg_gamma_stirling(1 - 1j * delta)
    assert stokes_phase(delta) == pytest.approx(expected, abs=1e-10)


def test_stokes_phase_limits():
    """ϕ → π/4 for δ → 0 (sudden) and ϕ → 0 for δ → ∞ (adiabatic) (paper 003, Eq. 11)."""
    assert stokes_phase(0.0) == pytest.approx(np.pi / 4, abs=1e-15)
    assert stokes_phase(1e-12) == pytest.approx(np.pi / 4, abs=1e-10)
    assert abs(stokes_phase(1e3)) < 1e-3


def test_survival_and_transition_probability():
    """R = exp(-2πδ), δ = |ν|²/(2ε̇) (Eq. 10); 1 - R = 1 - exp(-π|ν|²/ε̇)."""
    nu, rate = 0.4 * np.exp(0.3j), 0.1
    delta = adiabaticity(nu, rate)
    assert delta == pytest.approx(0.8)
    assert diabatic_survival(delta) == pytest.approx(np.exp(-1.6 * np.pi))
    assert lz_transition_probability(nu, rate) == pytest.approx(1 - np.exp(-np.pi * 0.16 / 0.1))


def test_fermi_spin_occupation():
    """f = 1/(exp(2β(ε-μ)) + 1) (paper 003, after Eq. 15); f(μ) = 1/2, no overflow."""
    eps = np.array([0.3, 1.0, 2.0])
    assert np.allclose(fermi_spin_occupation(eps, 2.0, 0.5), 1 / (np.exp(4 * (eps - 0.5)) + 1))
    assert fermi_spin_occupation(0.5, 7.0, 0.5) == pytest.approx(0.5)
    assert fermi_spin_occupation(1e4, 10.0) == 0.0


def _exact_two_spin_unitary(nu: complex, rate: float, eps_n: float, t0: float, t1: float):
    """QuTiP sesolve of H = ε̇t σ^z + ε_n σ^z_n + (ν σ^+ σ^-_n + H.c.) (paper 003, Eq. 1, L = 1)."""
    qutip = pytest.importorskip("qutip")
    sz, sp, sm, i2 = qutip.sigmaz(), qutip.sigmap(), qutip.sigmam(), qutip.qeye(2)
    # qutip's basis(2, 0) is σz = +1 (|↑⟩), as in openlz
    Hz = qutip.tensor(sz, i2)
    H0 = eps_n * qutip.tensor(i2, sz) + nu * qutip.tensor(sp, sm) + np.conj(nu) * qutip.tensor(sm, sp)
    H = qutip.QobjEvo([H0, [Hz, lambda t: rate * t]])
    opts = {"atol": 1e-12, "rtol": 1e-10, "nsteps": 10**6}
    U = qutip.sesolve(H, qutip.qeye([2, 2]), [t0, t1], options=opts).states[-1]
    return U.full()


@pytest.mark.parametrize("nu,rate,before,after", [
    (0.3 * np.exp(0.9j), 0.7, 6.0, 8.0),
    (0.1, 1.0, 10.0, 10.0),
    (0.4, 0.5, 9.0, 7.0),
])
def test_collision_unitary_matches_qutip(nu, rate, before, after):
    """Eq. (8) with the adiabatic phases ζ, η and arg ν reproduces the exact crossing.

    The residual is the finite-time correction ~ |ν| / (ε̇ T) of the adiabatic-impulse
    approximation; |U_{↓↑,↑↓}|² matches 1 - R to the same accuracy, α_n (Eq. 9) exactly.
    """
    eps_n = 2.0
    tn = eps_n / rate
    t0, t1 = tn - before, tn + after
    Ue = _exact_two_spin_unitary(nu, rate, eps_n, t0, t1)
    d = adiabaticity(nu, rate)
    R = diabatic_survival(d)
    alpha = finite_time_phase(rate, eps_n, t0, t1)
    zeta, eta = adiabatic_phases(nu, rate, tn, t0, t1)
    Ua = collision_unitary(R, stokes_phase(d), alpha, zeta, eta, np.angle(nu))
    tol = 2.5 * abs(nu) / (rate * min(before, after))
    assert abs(Ue[0, 0] - np.exp(-1j * alpha)) < 1e-6  # integrator tolerance
    assert abs(Ue[3, 3] - np.exp(1j * alpha)) < 1e-6
    assert abs(abs(Ue[2, 1]) ** 2 - (1 - R)) < tol
    assert np.max(np.abs(Ue - Ua)) < tol


def test_eq8_verbatim_misses_phases_of_an_asymmetric_interval():
    """Eq. (8) as printed (ζ = η = 0) gets the moduli right but not the phases of the
    middle block when the interval is not centred on the crossing (documented finding 2)."""
    nu, rate, eps_n = 0.3, 0.7, 2.0
    tn = eps_n / rate
    t0, t1 = tn - 6.0, tn + 8.0
    Ue = _exact_two_spin_unitary(nu, rate, eps_n, t0, t1)
    d = adiabaticity(nu, rate)
    U8 = collision_unitary(diabatic_survival(d), stokes_phase(d), finite_time_phase(rate, eps_n,
                                                                                     t0, t1))
    assert np.max(np.abs(np.abs(Ue) - np.abs(U8))) < 0.1
    assert np.max(np.abs(Ue - U8)) > 0.5


def _partial_traces(U, rs, ra):
    r = U @ np.kron(rs, ra) @ U.conj().T
    r4 = r.reshape(2, 2, 2, 2)
    return np.einsum("iaja->ij", r4), np.einsum("aiaj->ij", r4)


def _states(p, k_mod, k_arg, a, q_mod, q_arg):
    k = np.sqrt(p * (1 - p)) * k_mod * np.exp(1j * k_arg)
    q = np.sqrt(a * (1 - a)) * q_mod * np.exp(1j * q_arg)
    return k, q, np.array([[p, k], [np.conj(k), 1 - p]]), np.array([[a, q], [np.conj(q), 1 - a]])


unit = st.floats(0.0, 1.0)
angle = st.floats(-np.pi, np.pi)


@settings(max_examples=60, deadline=None)
@given(R=unit, phi=angle, alpha=angle, p=unit, km=unit, ka=angle, a=unit, qm=unit, qa=angle)
def test_collision_map_is_the_reduced_unitary(R, phi, alpha, p, km, ka, a, qm, qa):
    """Eqs. (13)–(14) (stokes_sign=+1) equal Tr_n[U (ρ ⊗ ρ_n) U†] with U of Eq. (8); the
    printed signs (stokes_sign=-1) equal it with ϕ → -ϕ (documented finding 1)."""
    k, q, rs, ra = _states(p, km, ka, a, qm, qa)
    red, _ = _partial_traces(collision_unitary(R, phi, alpha), rs, ra)
    p1, k1 = collision_map(p, k, a, q, R, phi, alpha)
    assert p1 == pytest.approx(red[0, 0].real, abs=1e-12)
    assert k1 == pytest.approx(red[0, 1], abs=1e-12)
    red_m, _ = _partial_traces(collision_unitary(R, -phi, alpha), rs, ra)
    p2, k2 = collision_map(p, k, a, q, R, phi, alpha, stokes_sign=-1)
    assert p2 == pytest.approx(red_m[0, 0].real, abs=1e-12)
    assert k2 == pytest.approx(red_m[0, 1], abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(R=unit, phi=angle, alpha=angle, zeta=angle, eta=angle, th=angle, p=unit, km=unit,
       ka=angle, a=unit, qm=unit, qa=angle)
def test_finite_time_phases_enter_the_map_as_shifts(R, phi, alpha, zeta, eta, th, p, km, ka, a,
                                                    qm, qa):
    """The reduced map of collision_unitary(..., ζ, η, θ) is collision_map with
    α → α + η and ϕ → ϕ + ζ - η - θ (module docstring, finding 2)."""
    k, q, rs, ra = _states(p, km, ka, a, qm, qa)
    red, _ = _partial_traces(collision_unitary(R, phi, alpha, zeta, eta, th), rs, ra)
    p1, k1 = collision_map(p, k, a, q, R, phi + zeta - eta - th, alpha + eta)
    assert p1 == pytest.approx(red[0, 0].real, abs=1e-12)
    assert k1 == pytest.approx(red[0, 1], abs=1e-12)


def test_printed_sign_differs_when_reservoir_spin_is_coherent():
    """With q ≠ 0 the printed Eqs. (13)–(14) and the reduced Eq. (8) differ (finding 1)."""
    args = dict(p=0.8, k=0.3 + 0.1j, a=0.5, q=0.4j, R=0.5, phi=0.6, alpha=0.2)
    p1, k1 = collision_map(**args)
    p2, k2 = collision_map(**args, stokes_sign=-1)
    assert abs(p1 - p2) > 0.1 and abs(k1 - k2) > 0.1
    p3, k3 = collision_map(**{**args, "q": 0.0})
    p4, k4 = collision_map(**{**args, "q": 0.0}, stokes_sign=-1)
    assert p3 == pytest.approx(p4) and k3 == pytest.approx(k4)


@settings(max_examples=60, deadline=None)
@given(R=unit, phi=angle, alpha=angle, zeta=angle, eta=angle, a=unit, qm=unit, qa=angle)
def test_collision_channel_is_cptp(R, phi, alpha, zeta, eta, a, qm, qa):
    """The reduced channel of Eq. (8) is CPTP for every physical reservoir-spin state:
    Choi matrix ⪰ 0, partial trace over the output = identity."""
    _, _, _, ra = _states(0.5, 0.0, 0.0, a, qm, qa)
    C = choi_matrix(collision_unitary(R, phi, alpha, zeta, eta), ra, 2)
    assert np.allclose(C, C.conj().T, atol=1e-13)
    assert np.min(np.linalg.eigvalsh(C)) > -1e-12
    assert np.allclose(np.einsum("iaja->ij", C.reshape(2, 2, 2, 2)), np.eye(2), atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(R=unit, phi=angle, alpha=angle, p=unit, km=unit, ka=angle, a=unit, qm=unit, qa=angle)
def test_collision_conserves_excitations(R, phi, alpha, p, km, ka, a, qm, qa):
    """[U, σ^z + σ^z_n] = 0, hence p' - p = a - a': the energy exchanged at the crossing is
    the work identity of paper 003, Eq. (34), W = 2ε0 (a - a')."""
    k, q, rs, ra = _states(p, km, ka, a, qm, qa)
    U = collision_unitary(R, phi, alpha)
    M = np.kron(np.diag([1, -1]), np.eye(2)) + np.kron(np.eye(2), np.diag([1, -1]))
    assert np.allclose(U @ M, M @ U)
    red_s, red_a = _partial_traces(U, rs, ra)
    p1, _ = collision_map(p, k, a, q, R, phi, alpha)
    assert p1 - p == pytest.approx(a - red_a[0, 0].real, abs=1e-12)


def test_grand_canonical_map_is_q_zero_case():
    """Eqs. (16)–(17) are Eqs. (13)–(14) at q = 0, a = f; batched broadcast."""
    p = np.array([0.9, 0.2, 0.5])
    k = np.array([0.1, 0.3j, -0.2])
    f, R, alpha = 0.1, np.array([0.3, 0.6, 0.9]), 1.3
    pg, kg = grand_canonical_map(p, k, f, R, alpha)
    pc, kc = collision_map(p, k, f, 0.0, R, 0.4, alpha)
    assert np.allclose(pg, pc) and np.allclose(kg, kc)
    red = collide(np.array([[0.9, 0.1], [0.1, 0.1]]), collision_unitary(0.3, 0.4, alpha),
                  np.diag([f, 1 - f]))
    assert red[0, 0].real == pytest.approx(pg[0]) and red[0, 1] == pytest.approx(kg[0])


@pytest.mark.parametrize("nu,rate,eps_m,t0,t1", [(0.3, 0.7, 2.0, 1.0, 6.0),
                                                 (0.1, 1.0, 5.0, 0.0, 1.5),
                                                 (0.4, 0.1, 1.0, 15.0, 25.0)])
def test_level_shift_phase_against_quadrature(nu, rate, eps_m, t0, t1):
    """Closed form of ∫ sign(Δ)(sqrt(Δ²+ν²) - |Δ|) dt, Δ = ε̇t - ε_m, vs scipy.integrate.quad."""
    from scipy.integrate import quad

    def s(t):
        d = rate * t - eps_m
        return np.sign(d) * (np.sqrt(d * d + nu * nu) - abs(d))

    pts = [eps_m / rate] if t0 < eps_m / rate < t1 else None
    ref = quad(s, t0, t1, points=pts, limit=200, epsabs=1e-13)[0]
    assert level_shift_phase(nu, rate, eps_m, t0, t1) == pytest.approx(ref, abs=1e-10)
