"""Dephasing Lindbladians (paper 001, Secs. 2-3): Lemma 1, parallel transport, Theorem 2 / Lemma 2,
and the numerical building blocks of the adiabatic-frame integrator."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg as sl

from openlz.analytic import dephasing_lz as cf
from openlz.core.liouvillian import liouvillian, unvec, vec
from openlz.solve import dephasing as dp
from openlz.solve.dephasing_bloch import Jet, chain_product, expm_taylor
from openlz.solve.ode import ODEOptions, solve_ode

FS = [lambda e: np.exp(1j * e) * (1 + e ** 2), lambda e: np.cos(3 * e) + 0.5j,
      lambda e: np.abs(e) ** 1.5]


def _random_hermitian(rng, batch, n):
    x = rng.normal(size=(batch, n, n)) + 1j * rng.normal(size=(batch, n, n))
    return x + np.conj(np.swapaxes(x, -1, -2))


def test_lemma1_reduction_equals_direct_construction(rng):
    """Lemma 1: (H~, {f_a(H~)}) equals -i[H,.] - (gamma/2)[sqrt H,[sqrt H,.]] with kappa, gamma
    of its proof.  Direct construction: f_a(H~) through eigendecomposition, library Liouvillian."""
    h = _random_hermitian(rng, 6, 2)
    direct = dp.dephasing_lindbladian(h, FS)
    red = dp.two_level_reduction(h, FS)
    assert np.all(red.gamma >= 0)
    np.testing.assert_allclose(np.trace(red.hamiltonian, axis1=-2, axis2=-1), 0, atol=1e-12)
    np.testing.assert_allclose(dp.two_level_dephasing(red.hamiltonian, red.gamma), direct,
                               atol=1e-12)


def test_lemma1_rejects_degenerate():
    """Im(lambda) = -(e+ - e-) + Im(f+ conj f-) = -2 + 2 = 0: not minimally degenerate."""
    h = np.diag([1.0, -1.0]).astype(complex)
    with pytest.raises(ValueError, match="minimally degenerate"):
        dp.two_level_reduction(h, [lambda e: np.where(e > 0, 2j, 1.0)])


def test_dephasing_kernel_contains_spectral_projections(rng):
    """Sec. 2.1.1: L P_j = 0 for every spectral projection, and P of Eq. (2.5) is a projection
    onto ker L commuting with L (n = 3)."""
    h = _random_hermitian(rng, 2, 3)
    lind = dp.dephasing_lindbladian(h, FS[:2])
    projs = dp.spectral_projections(h)
    for j in range(3):
        np.testing.assert_allclose(lind @ vec(projs[:, j])[..., None], 0, atol=1e-12)
    kp = dp.kernel_projection(projs)
    np.testing.assert_allclose(kp @ kp, kp, atol=1e-12)
    np.testing.assert_allclose(lind @ kp, 0, atol=1e-12)
    np.testing.assert_allclose(kp @ lind, 0, atol=1e-12)
    inv = dp.inverse_on_range(lind, kp)
    np.testing.assert_allclose(lind @ inv, np.eye(9) - kp, atol=1e-10)


def test_two_level_form_is_library_jump_sqrt_gamma_sqrt_h(rng):
    """DESIGN.md mapping: -(gamma/2)[sqrtH,[sqrtH,rho]] is L = sqrt(gamma) sqrt(H); checked
    by applying the double commutator directly to random matrices."""
    h = _random_hermitian(rng, 1, 2)[0]
    gamma = 0.7
    rho = _random_hermitian(rng, 1, 2)[0]
    sq = dp.sqrt_hamiltonian(h)
    np.testing.assert_allclose(sq @ sq, dp.operator_function(h, np.abs), atol=1e-12)  # |H|
    double = sq @ (sq @ rho - rho @ sq) - (sq @ rho - rho @ sq) @ sq
    expected = -1j * (h @ rho - rho @ h) - 0.5 * gamma * double
    got = unvec(dp.two_level_dephasing(h, gamma) @ vec(rho))
    np.testing.assert_allclose(got, expected, atol=1e-12)


def _lz_superops(g, gamma):
    def lind(s):
        return dp.two_level_dephasing(cf.lz_hamiltonian(s, g), gamma)

    def kproj(s):
        return dp.kernel_projection(dp.spectral_projections(cf.lz_hamiltonian(s, g)))

    def ground(s):
        return vec(cf.eigenprojections(s, g)[1])

    return lind, kproj, ground


def test_parallel_transport_carries_spectral_projections():
    """Eq. (2.13): T(s, s') P_{s'} = P_s for spectral projections; Eq. (2.10) intertwining."""
    g = 1.0
    _, kproj, ground = _lz_superops(g, 0.3)
    s = np.array([-1.0, 0.0, 2.0])
    t = dp.parallel_transport(kproj, s, -3.0)
    for k, sk in enumerate(s):
        np.testing.assert_allclose(t[k] @ ground(-3.0), ground(sk), atol=1e-8)
        np.testing.assert_allclose(t[k] @ kproj(-3.0), kproj(sk) @ t[k], atol=1e-8)


def test_theorem2_first_order_equals_lemma2_closed_form():
    """Theorem 2's a_{s,s'} (Eq. 2.14, numerically: L^{-1}, parallel transport) equals the closed
    form a^-_{s,s'} of Lemma 2 (Eq. 3.7) for the LZ Hamiltonian."""
    g, gamma, s0 = 1.0, 0.3, -3.0
    lind, kproj, ground = _lz_superops(g, gamma)
    s = np.array([-1.0, 0.0, 0.5, 2.0])
    num = dp.first_order_adiabatic(lind, kproj, ground, s, s0)
    for k, sk in enumerate(s):
        closed = vec(cf.first_order_correction(sk, s0, g, gamma, sign=-1))
        np.testing.assert_allclose(num[k], closed, atol=1e-9)


@pytest.mark.parametrize("sign", [+1, -1])
def test_eq38_dual_correction_equals_theorem2_for_adjoint(sign):
    """Eq. (3.8): a-hat for L*_{-t} equals Theorem 2 (Eq. 2.14) computed numerically with the
    adjoint superoperator (conjugate transpose in the row-major vec) and the family P±_{-t}."""
    g, gamma, t0 = 1.0, 0.3, -3.0
    lind, kproj, _ = _lz_superops(g, gamma)
    k = 0 if sign > 0 else 1
    t = np.array([-1.0, 0.5, 2.0])
    num = dp.first_order_adiabatic(lambda u: np.conj(lind(-u)).T, lambda u: kproj(-u),
                                   lambda u: vec(cf.eigenprojections(-u, g)[k]), t, t0)
    for j, tj in enumerate(t):
        np.testing.assert_allclose(num[j], vec(cf.dual_first_order_correction(tj, t0, g, gamma,
                                                                              sign)), atol=1e-9)


def test_lemma2_state_solves_master_equation_to_order_eps2():
    """Lemma 2: the solution started at P- + eps a^-_{s',s'} stays within O(eps^2) of
    P-_s + eps a^-_{s,s'}.  Reference: the library's generic DOP853 on the lab-frame equation."""
    g, gamma, s0, s1 = 1.0, 0.5, -2.0, 2.0
    errs = []
    for eps in (0.1, 0.05, 0.025):
        def rhs(s, y, eps=eps):
            return (liouvillian(cf.lz_hamiltonian(s, g),
                                [np.sqrt(gamma) * dp.sqrt_hamiltonian(cf.lz_hamiltonian(s, g))])
                    @ y[0])[None] / eps

        y0 = vec(cf.lemma2_state(s0, s0, g, eps, gamma))[None]
        ys, _ = solve_ode(rhs, y0, np.array([s0, s1]), ODEOptions(rtol=1e-11, atol=1e-13))
        errs.append(np.abs(unvec(ys[-1, 0]) - cf.lemma2_state(s1, s0, g, eps, gamma)).max())
    rates = np.log2(np.array(errs[:-1]) / np.array(errs[1:]))
    assert np.all(np.abs(rates - 2.0) < 0.3), (errs, rates)


def test_lemma2_expansion_first_order_terms():
    """Eq. (3.7) at s = s' reduces to its first term; at gamma = 0 it is Eq. (3.18)."""
    g, s = 1.0, 0.4
    a0 = cf.first_order_correction(s, s, g, 0.0, sign=-1)
    e_op = cf.e_operator(s, g)
    expected = g * (1j * np.conj(e_op.T) + np.conj((1j * np.conj(e_op.T)).T)) / (
        16 * cf.gap(s, g) ** 3)  # Eq. (3.18): g (i E* + h.c.) / (16 e^3)
    np.testing.assert_allclose(a0, expected, atol=1e-14)


def test_closed_form_objects_of_sec3():
    """E_s (Eq. 3.9) is |psi+><psi-|; dP+/ds (Eq. 3.10) by finite differences; Eq. (1.4)."""
    s, g = 0.7, 1.3
    e_op = cf.e_operator(s, g)
    pp, pm = cf.eigenprojections(s, g)
    np.testing.assert_allclose(e_op @ np.conj(e_op.T), pp, atol=1e-14)
    np.testing.assert_allclose(np.conj(e_op.T) @ e_op, pm, atol=1e-14)
    h = 1e-5
    fd = (cf.eigenprojections(s + h, g)[0] - cf.eigenprojections(s - h, g)[0]) / (2 * h)
    np.testing.assert_allclose(cf.dprojection(s, g, +1), fd, atol=1e-9)
    np.testing.assert_allclose(np.trace(pm @ fd @ fd @ pm).real, cf.fubini_study_rate(s, g),
                               rtol=1e-8)
    # Eq. (3.11): L^{-1} E = E / (2(-i - gamma) e)
    lind = dp.two_level_dephasing(cf.lz_hamiltonian(s, g), 0.4)
    np.testing.assert_allclose(unvec(lind @ vec(cf.inverse_on_e(s, g, 0.4))), e_op, atol=1e-13)


def test_incoherent_integral_closed_form():
    """int_R g^2/(64 e^5) ds = 2/(3 g^2): the callable-gamma quadrature reproduces the closed form."""
    for g in (0.5, 1.0, 2.0):
        q = cf.incoherent_part(1.0, g, lambda s: 1.0 + 0 * s)
        np.testing.assert_allclose(q, 2.0 * 0.5 / (3 * g ** 2), rtol=1e-10)


def test_expm_taylor_and_chain_product(rng):
    """Building blocks: batched exponential against scipy.linalg.expm; ordered tree product."""
    om = rng.normal(size=(7, 4, 4)) * np.array([0.1, 1.0, 5.0, 30.0, 0.01, 2.0, 8.0])[:, None, None]
    np.testing.assert_allclose(expm_taylor(om), sl.expm(om), rtol=1e-12, atol=1e-12)
    mats = rng.normal(size=(2, 5, 3, 3))
    expected = mats[:, 4] @ mats[:, 3] @ mats[:, 2] @ mats[:, 1] @ mats[:, 0]
    np.testing.assert_allclose(chain_product(mats), expected, rtol=1e-12)


def test_jet_arithmetic():
    """Taylor jets: 1/sqrt(s^2+1) at s = 0.3 against its known derivatives (closed form)."""
    s = Jet.variable(np.array([0.3]), 6)
    f = (s * s + 1.0).sqrt().reciprocal()
    x = 0.3
    # derivatives of (1+x^2)^(-1/2): f' = -x r^-3, f'' = (2x^2-1) r^-5
    r = np.sqrt(1 + x * x)
    np.testing.assert_allclose(f.value, 1 / r)
    np.testing.assert_allclose(f.deriv().value, -x / r ** 3)
    np.testing.assert_allclose(f.deriv().deriv().value, (2 * x * x - 1) / r ** 5)


def test_eq316_duhamel_split_into_coherent_and_incoherent():
    """Eq. (3.16): p = p_c + (1/2eps) int gamma tr((U*(T,t) P+_T) D_t U_0(t,-T) P-_{-T}) dt.
    The integral is computed independently (library DOP853 on 2x2 matrices: forward Hamiltonian
    evolution, backward dual evolution Eq. 3.19, Simpson quadrature) and compared with the
    model's p - p_c."""
    from scipy.integrate import simpson

    from openlz.models.dephasing_lz import solve_dephasing_lz

    eps, g, gamma, t_end = 0.5, 1.0, 0.3, 5.0
    opt = ODEOptions(rtol=1e-10, atol=1e-12)

    def parts(s):
        h = cf.lz_hamiltonian(s, g)
        sq = h / np.sqrt(cf.gap(s, g))[..., None, None]  # sqrt H = H / sqrt(e) (Eq. 3.5)
        return h, sq

    def forward(s, y):  # eps rho' = -i[H, rho]
        h, _ = parts(s)
        r = y[0].reshape(2, 2)
        return (-1j * (h @ r - r @ h)).reshape(1, 4) / eps

    def backward(s, y):  # eps X' = -L*_s X, L* X = i[H,X] - (gamma/2)[sqrtH,[sqrtH,X]]
        h, sq = parts(s)
        x = y[0].reshape(2, 2)
        c = sq @ x - x @ sq
        return -(1j * (h @ x - x @ h) - 0.5 * gamma * (sq @ c - c @ sq)).reshape(1, 4) / eps

    tau = np.linspace(-t_end, t_end, 2001)
    y, _ = solve_ode(forward, vec(cf.eigenprojections(-t_end, g)[1])[None], tau, opt)
    x, _ = solve_ode(backward, vec(cf.eigenprojections(t_end, g)[0])[None], tau[::-1], opt)
    ym, xm = unvec(y[:, 0]), unvec(x[::-1, 0])
    _, sq = parts(tau)
    c = sq @ ym - ym @ sq
    d_y = -(sq @ c - c @ sq)  # D rho = -[sqrtH, [sqrtH, rho]] (Eq. 3.3)
    p_d = simpson(gamma / (2 * eps) * np.einsum("tij,tji->t", xm, d_y).real, x=tau)
    res = solve_dephasing_lz(eps, g, gamma, t_end, limit=False)
    assert abs(p_d - (res["p"][0] - res["p_coherent"][0])) < 1e-9
    assert p_d > 0.05  # the incoherent part is not small here


@pytest.mark.slow
def test_theorem2_three_level_family_order_eps2():
    """Theorem 2 for a generic 3-level dephasing family L_s = (H(s), {f(H(s))}): the solution
    started at P_j + eps a_{s',s'} stays within O(eps^2) of P_j(s) + eps a_{s,s'} (Eq. 2.14);
    reference: the library's DOP853 on the full 9-dimensional master equation."""
    base = np.diag([-1.0, 0.2, 1.5])
    v = np.array([[0, 1, 0.3], [1, 0, 0.7], [0.3, 0.7, 0]])

    def ham(s):
        return (base + np.tanh(s) * v).astype(complex)

    fam = dp.DephasingFamily(ham, [lambda e: np.sqrt(0.8) * e, lambda e: 0.5 * np.sin(e)])
    s0, s1, j = -1.5, 1.0, 0
    a0 = fam.first_order(np.array([s0]), s0, j)[0]
    a1 = fam.first_order(np.array([s1]), s0, j)[0]
    errs = []
    for eps in (0.08, 0.04, 0.02):
        y0 = (fam.level(s0, j) + eps * a0)[None]
        ys, _ = solve_ode(lambda s, y, eps=eps: (fam.lindbladian(s) @ y[0])[None] / eps, y0,
                          np.array([s0, s1]), ODEOptions(rtol=1e-11, atol=1e-13))
        errs.append(np.abs(ys[-1, 0] - (fam.level(s1, j) + eps * a1)).max())
    rates = np.log2(np.array(errs[:-1]) / np.array(errs[1:]))
    assert np.all(np.abs(rates - 2.0) < 0.35), (errs, rates)


def test_three_level_family_transport_and_kernel():
    """DephasingFamily (n = 3): Eq. (2.13) T(s, s') P_j(s') = P_j(s) and L_s P_j(s) = 0."""
    base = np.diag([-1.0, 0.2, 1.5])
    v = np.array([[0, 1, 0.3], [1, 0, 0.7], [0.3, 0.7, 0]])
    fam = dp.DephasingFamily(lambda s: (base + np.tanh(s) * v).astype(complex),
                             [lambda e: np.sqrt(0.8) * e, lambda e: 0.5 * np.sin(e)])
    s0, s1 = -1.5, 1.0
    for j in range(3):
        np.testing.assert_allclose(fam.lindbladian(s1) @ fam.level(s1, j), 0, atol=1e-12)
    t = fam.parallel_transport(np.array([s1]), s0)[0]
    np.testing.assert_allclose(t @ fam.level(s0, 2), fam.level(s1, 2), atol=1e-8)  # Eq. (2.13)
