"""openlz.dephasing_lindbladian and openlz.dephasing_transition_probability (paper 001 for a
user's own H, Secs. 2.1.1, 3.1 and 4).

References: closed-form operator functions (f(e) = e^2 is H @ H, f(e) = exp(i e) is
scipy's expm(i H)); QuTiP ``mesolve`` with jump operators built in the test from numpy's
eigendecomposition; the dephasing-lz model's adiabatic-frame Magnus integrator (independent
numerics) and the closed-form integral of Eq. (1.3) for the Landau–Zener Hamiltonian.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg as sla

import openlz
from openlz.errors import ParameterError
from openlz.models.dephasing_lz import solve_dephasing_lz

qt = pytest.importorskip("qutip")


def _hermitian(rng, *shape):
    x = rng.normal(size=(*shape, shape[-1])) + 1j * rng.normal(size=(*shape, shape[-1]))
    return 0.5 * (x + np.conj(np.swapaxes(x, -1, -2)))


def _sqrt_h(h: np.ndarray) -> np.ndarray:
    """sgn(H) sqrt|H| from numpy's eigh (paper 001, below Eq. 1.1)."""
    e, v = np.linalg.eigh(h)
    return (v * (np.sign(e) * np.sqrt(np.abs(e)))) @ np.conj(v.T)


# ---------------------------------------------------------------------------- jump operators
def test_jump_operators_are_functions_of_h_batched(rng):
    """f(e) = e^2 and exp(i e) against H @ H and expm(i H), batch (3,) with gamma (3,)."""
    h = _hermitian(rng, 3, 4)
    gamma = np.array([0.1, 0.5, 2.0])
    sq, ex = openlz.dephasing_lindbladian(h, [lambda e: e ** 2, lambda e: np.exp(1j * e)], gamma)
    root = np.sqrt(gamma)[:, None, None]
    np.testing.assert_allclose(sq, root * (h @ h), atol=1e-12)
    np.testing.assert_allclose(ex, root * np.stack([sla.expm(1j * x) for x in h]), atol=1e-12)


def test_default_is_lemma1_sqrt_h_and_returns_qobj():
    """Default f = sgn(e) sqrt|e| (Eqs. 3.1-3.3): for H = (s sz + g sx)/2, sqrt(H) = sqrt(e) n.sigma
    with e = sqrt(s^2+g^2)/2, n = (g, 0, s)/(2e) (closed form); Qobj in -> Qobj out."""
    s, g, gamma = 0.7, 1.3, 0.4
    h = 0.5 * (s * qt.sigmaz() + g * qt.sigmax())
    (jump,) = openlz.dephasing_lindbladian(h, gamma=gamma)
    e = 0.5 * np.hypot(s, g)
    expected = np.sqrt(gamma) * np.sqrt(e) * (s * qt.sigmaz() + g * qt.sigmax()) / (2 * e)
    assert isinstance(jump, qt.Qobj)
    np.testing.assert_allclose(jump.full(), expected.full(), atol=1e-12)


def test_dephasing_preserves_populations_and_decays_coherences(rng):
    """Sec. 2.1.1: populations in the eigenbasis of H are stationary; the coherence
    |a><b| decays as exp(Re(lambda_ab) t), Re lambda = -gamma |f(E_a) - f(E_b)|^2/2 (Eq. 3.4),
    via openlz.mesolve with the returned jump operators."""
    h = _hermitian(rng, 3)
    gamma, t = 0.8, 1.5
    c_ops = openlz.dephasing_lindbladian(h, gamma=gamma)
    e, v = np.linalg.eigh(h)
    psi = v @ np.array([0.6, 0.48, 0.64])
    res = openlz.mesolve(h, psi, [0.0, t], c_ops=c_ops)
    rho_eig = np.conj(v.T) @ res.final_state @ v
    rho0_eig = np.conj(v.T) @ np.outer(psi, psi.conj()) @ v
    np.testing.assert_allclose(np.diag(rho_eig).real, np.diag(rho0_eig).real, atol=1e-9)
    f = np.sign(e) * np.sqrt(np.abs(e))
    lam = -1j * (e[0] - e[2]) - 0.5 * gamma * (f[0] - f[2]) ** 2
    np.testing.assert_allclose(rho_eig[0, 2], rho0_eig[0, 2] * np.exp(lam * t), atol=1e-8)


def test_time_dependent_jumps_match_qutip():
    """List-form H(t) = H0 + cos(t) H1: callable jumps sqrt(gamma) sqrt(H(t)) in openlz.mesolve
    against qutip.mesolve with a function QobjEvo built from numpy's eigh."""
    h0, h1 = 0.5 * qt.sigmaz() + 0.2 * qt.sigmax(), 0.8 * qt.sigmax()
    gamma = 0.3
    H = [h0, [h1, lambda t: np.cos(t)]]
    c_ops = openlz.dephasing_lindbladian(H, gamma=gamma)
    times = np.linspace(0.0, 4.0, 5)
    ours = openlz.mesolve(H, qt.basis(2, 0), times, c_ops=c_ops, e_ops=[qt.sigmax(), qt.sigmaz()],
                          options={"rtol": 1e-10, "atol": 1e-12})

    def jump(t):  # noqa: ANN001, ANN202
        return qt.Qobj(np.sqrt(gamma) * _sqrt_h((h0 + np.cos(t) * h1).full()))

    ref = qt.mesolve(H, qt.basis(2, 0), times, c_ops=[qt.QobjEvo(jump)],
                     e_ops=[qt.sigmax(), qt.sigmaz()], options={"rtol": 1e-10, "atol": 1e-12})
    for k in range(2):
        np.testing.assert_allclose(ours.expect[k], ref.expect[k], atol=1e-8)


def test_jump_operator_errors():
    """Negative gamma, non-Hermitian H and a non-callable f name the parameter."""
    with pytest.raises(ParameterError, match="gamma"):
        openlz.dephasing_lindbladian(np.eye(2), gamma=-1.0)
    with pytest.raises(ParameterError, match="Hermitian"):
        openlz.dephasing_lindbladian(np.array([[0, 1], [0, 0]]))
    with pytest.raises(ParameterError, match=r"f_ops\[0\]"):
        openlz.dephasing_lindbladian(np.eye(2), [3.0])


# ---------------------------------------------------------------------------- transitions
def _qutip_transition(h, s0, s1, eps, gamma, i, f, hq=None, cq=None):  # noqa: ANN001, ANN202
    """tr(P_f(s1) rho(s1)), eps d rho/ds = L_s rho from P_i(s0), by qutip.mesolve in s with
    H(s)/eps and the jump sqrt(gamma/eps) sgn(H)sqrt|H| (numpy eigh unless hq, cq are given)."""
    hq = hq or qt.QobjEvo(lambda s: qt.Qobj(h(s) / eps))
    cq = cq or qt.QobjEvo(lambda s: qt.Qobj(np.sqrt(gamma / eps) * _sqrt_h(h(s))))
    _, v0 = np.linalg.eigh(h(s0))
    _, v1 = np.linalg.eigh(h(s1))
    rho0 = qt.Qobj(np.outer(v0[:, i], v0[:, i].conj()))
    pf = qt.Qobj(np.outer(v1[:, f], v1[:, f].conj()))
    res = qt.mesolve(hq, rho0, [s0, s1], c_ops=[cq], e_ops=[pf],
                     options={"rtol": 1e-11, "atol": 1e-13, "nsteps": 10 ** 6})
    return float(res.expect[0][-1])


def _spin1_qutip(g: float, eps: float, gamma: float):  # noqa: ANN202
    """Spin-1 LZ in QuTiP list form: H = s Jz + g Jx = r n.J has eigenvalues -r, 0, r, so
    sgn(H) sqrt|H| = sqrt(r) n.J = H / sqrt(r), r = sqrt(s^2 + g^2) (closed form)."""
    jz, jx = qt.jmat(1.0, "z"), qt.jmat(1.0, "x")
    c = lambda s: np.sqrt(gamma / (eps * np.hypot(s, g)))  # noqa: E731
    hq = qt.QobjEvo([[jz / eps, lambda s: s], g * jx / eps])
    cq = qt.QobjEvo([[jz, lambda s: s * c(s)], [jx, lambda s: g * c(s)]])
    return hq, cq


def _spin_lz(j: float, g: float):  # noqa: ANN202
    """n = 2j+1 levels: H(s) = s Jz + g Jx (Majorana); n = 2 is paper 001's Eq. (3.5)."""
    jz, jx = qt.jmat(j, "z").full(), qt.jmat(j, "x").full()
    return lambda s: s * jz + g * jx


def _four_level():  # noqa: ANN202
    """A generic 4-level sweep: diabatic slopes (-1.5, -0.5, 0.7, 1.3), fixed couplings."""
    slopes = np.diag([-1.5, -0.5, 0.7, 1.3])
    v = np.array([[0, 0.4, 0.2, 0.1], [0.4, 0, 0.3, 0.2], [0.2, 0.3, 0, 0.5],
                  [0.1, 0.2, 0.5, 0]])
    return lambda s: s * slopes + v


def test_two_level_transition_matches_dephasing_lz_model():
    """n = 2 (paper 001's model): p and p_c against the model's adiabatic-frame Magnus integrator
    (independent numerics), batched over (eps, gamma); the formula's incoherent part against the
    closed form eps gamma/(1+gamma^2) g^2 int_{-S}^{S} (s^2+g^2)^(-5/2)/2 ds (Eqs. 1.3-1.4)."""
    g, S = 1.0, 5.0
    eps, gamma = np.array([0.3, 0.5]), np.array([0.2, 1.0])
    res = openlz.dephasing_transition_probability(lambda s: 0.5 * np.array([[s, g], [g, -s]]),
                                                  (-S, S), eps, gamma)
    model = solve_dephasing_lz(eps, g, gamma, S)
    np.testing.assert_allclose(res.probability, model["p"], atol=1e-8)
    np.testing.assert_allclose(res.coherent, model["p_coherent"], atol=1e-8)
    window = 2 * S * (2 * S ** 2 + 3 * g ** 2) / (3 * g ** 4 * (S ** 2 + g ** 2) ** 1.5)
    closed = eps * gamma / (1 + gamma ** 2) * g ** 2 * window / 2
    np.testing.assert_allclose(res.formula_incoherent, closed, rtol=1e-9)
    np.testing.assert_allclose(res.formula, res.coherent + closed, rtol=1e-9)
    assert res.states.shape == (2, 2, 2, 2) and res.adiabatic_populations.shape == (2, 2, 2)


@pytest.mark.parametrize("i,f", [(0, 1), pytest.param(1, 2, marks=pytest.mark.slow)])
def test_three_level_transition_matches_qutip(i, f):
    """n = 3 (spin-1 LZ, H = s Jz + g Jx): p against qutip.mesolve (list form, closed-form
    sqrt(H) = H/sqrt(r))."""
    g, eps, gamma, s0, s1 = 0.8, 0.4, 0.5, -4.0, 4.0
    h = _spin_lz(1.0, g)
    res = openlz.dephasing_transition_probability(h, (s0, s1), eps, gamma, i, f, coherent=False,
                                                  formula=False)
    ref = _qutip_transition(h, s0, s1, eps, gamma, i, f, *_spin1_qutip(g, eps, gamma))
    assert abs(float(res.probability) - ref) < 1e-8


@pytest.mark.parametrize("i,f", [(0, 1), pytest.param(2, 3, marks=pytest.mark.slow)])
def test_four_level_transition_matches_qutip(i, f):
    """n = 4 (a generic sweep with all levels coupled): p against qutip.mesolve (function
    QobjEvo, sqrt(H) from numpy's eigh)."""
    h = _four_level()
    eps, gamma, s0, s1 = 0.4, 0.5, -4.0, 4.0
    res = openlz.dephasing_transition_probability(h, (s0, s1), eps, gamma, i, f, coherent=False,
                                                  formula=False)
    ref = _qutip_transition(h, s0, s1, eps, gamma, i, f)
    assert abs(float(res.probability) - ref) < 1e-8


def test_list_form_and_gamma_profile_match_qutip():
    """H(s) as a QuTiP list [g Jx, [Jz, s -> s]] (spin 3/2) with gamma(s) = 0.3 + 0.2 tanh(s):
    against qutip.mesolve with the same profile."""
    jz, jx = qt.jmat(1.5, "z"), qt.jmat(1.5, "x")
    prof = lambda s: 0.3 + 0.2 * np.tanh(s)  # noqa: E731
    eps, s0, s1 = 0.5, -3.0, 3.0
    res = openlz.dephasing_transition_probability([0.9 * jx, [jz, lambda s: s]], (s0, s1), eps,
                                                  prof, 1, 2, formula=False, coherent=False)
    h = lambda s: s * jz.full() + 0.9 * jx.full()  # noqa: E731
    hq = qt.QobjEvo(lambda s: qt.Qobj(h(s) / eps))
    cq = qt.QobjEvo(lambda s: qt.Qobj(np.sqrt(prof(s) / eps) * _sqrt_h(h(s))))
    v0, v1 = np.linalg.eigh(h(s0))[1], np.linalg.eigh(h(s1))[1]
    ref = qt.mesolve(hq, qt.Qobj(np.outer(v0[:, 1], v0[:, 1].conj())), [s0, s1], c_ops=[cq],
                     e_ops=[qt.Qobj(np.outer(v1[:, 2], v1[:, 2].conj()))],
                     options={"rtol": 1e-11, "atol": 1e-13, "nsteps": 10 ** 6}).expect[0][-1]
    assert abs(float(res.probability) - ref) < 1e-8


def test_transition_probability_errors():
    """Bad levels, eps and gamma are ParameterErrors naming the parameter."""
    h = _spin_lz(0.5, 1.0)
    with pytest.raises(ParameterError, match="final_level"):
        openlz.dephasing_transition_probability(h, (-2, 2), 0.5, 0.1, 0, 0)
    with pytest.raises(ParameterError, match="initial_level"):
        openlz.dephasing_transition_probability(h, (-2, 2), 0.5, 0.1, 2, 1)
    with pytest.raises(ParameterError, match="eps"):
        openlz.dephasing_transition_probability(h, (-2, 2), 0.0, 0.1)
    with pytest.raises(ParameterError, match="gamma"):
        openlz.dephasing_transition_probability(h, (-2, 2), 0.5, -0.1)
    with pytest.raises(ParameterError, match="s_range"):
        openlz.dephasing_transition_probability(h, (2, -2), 0.5, 0.1)
