"""Entanglement and state measures against QuTiP and closed forms.

Oracles: QuTiP 5 ``concurrence``, ``negativity``, ``partial_transpose``, ``fidelity``,
``entropy_vn``; closed forms for Bell, Werner and product states; pure-state
concurrence C = 2|ad - bc| (Wootters 1998, after Eq. (2)); entanglement of
formation E_F(C) (Wootters 1998, Eqs. (1), (5)).
"""

from __future__ import annotations

import numpy as np
import pytest
import qutip
from conftest import random_density_matrices, random_kets, random_unitaries
from hypothesis import given, settings
from hypothesis import strategies as st

import openlz
from openlz import (
    concurrence,
    entanglement_of_formation,
    fidelity,
    log_negativity,
    negativity,
    partial_trace,
    partial_transpose,
    purity,
)
from openlz.core.operators import STATE_LABELS, ket2dm, kron

DIMS = [[2, 2], [2, 2]]
seeds = st.integers(min_value=0, max_value=2**32 - 1)


def werner(p: float) -> np.ndarray:
    """p |psi-><psi-| + (1 - p) I/4."""
    return p * ket2dm(STATE_LABELS["singlet"]) + (1 - p) * np.eye(4) / 4


def test_top_level_exports():
    """The issue requires ``from openlz import concurrence, negativity``."""
    assert openlz.concurrence is concurrence and openlz.negativity is negativity


# ----------------------------------------------------------------- QuTiP oracle

def test_concurrence_negativity_vs_qutip_random(rng):
    """Random full-rank and rank-2 states: openlz batched == QuTiP per state."""
    rho = np.concatenate([random_density_matrices(rng, 150),
                          random_density_matrices(rng, 50, rank=2)])
    c, n0, n1 = concurrence(rho), negativity(rho, 0), negativity(rho, 1)
    ln = log_negativity(rho)
    for i, r in enumerate(rho):
        q = qutip.Qobj(r, dims=DIMS)
        # QuTiP takes square roots of the eigenvalues of rho rho~, whose rounding noise
        # (~1e-16) becomes ~1e-8 for the zero eigenvalues of rank-deficient states
        assert c[i] == pytest.approx(qutip.concurrence(q), abs=1e-10 if i < 150 else 1e-7)
        nq = qutip.negativity(q, 1)
        assert n1[i] == pytest.approx(nq, abs=1e-10)
        assert n0[i] == pytest.approx(qutip.negativity(q, 0), abs=1e-10)
        assert ln[i] == pytest.approx(qutip.negativity(q, 1, logarithmic=True), abs=1e-10)
    assert (c > 0).any() and (c == 0).any()  # both entangled and separable states tested


def test_concurrence_pure_states_vs_qutip_and_closed_form(rng):
    """Pure states: C = 2|ad - bc| (Wootters 1998) and QuTiP on the ket."""
    psi = random_kets(rng, 100)
    closed = 2 * np.abs(psi[:, 0] * psi[:, 3] - psi[:, 1] * psi[:, 2])
    np.testing.assert_allclose(concurrence(ket2dm(psi)), closed, atol=1e-12)
    for i in range(10):
        q = qutip.Qobj(psi[i].reshape(4, 1), dims=[[2, 2], [1, 1]])
        assert concurrence(q) == pytest.approx(qutip.concurrence(q), abs=1e-7)
        assert concurrence(q) == pytest.approx(closed[i], abs=1e-12)


def test_partial_transpose_vs_qutip(rng):
    rho = random_density_matrices(rng, 5)
    for r in rho:
        q = qutip.Qobj(r, dims=DIMS)
        np.testing.assert_allclose(partial_transpose(r, 1), qutip.partial_transpose(q, [0, 1]).full(),
                                   atol=1e-14)
        np.testing.assert_allclose(partial_transpose(r, 0), qutip.partial_transpose(q, [1, 0]).full(),
                                   atol=1e-14)


def test_partial_trace_vs_qutip(rng):
    rho = random_density_matrices(rng, 3)
    for r in rho:
        q = qutip.Qobj(r, dims=DIMS)
        np.testing.assert_allclose(partial_trace(r, 0), q.ptrace(0).full(), atol=1e-14)
        np.testing.assert_allclose(partial_trace(r, 1), q.ptrace(1).full(), atol=1e-14)


def test_fidelity_is_square_of_qutip(rng):
    """openlz fidelity is Jozsa's squared form; QuTiP's ``fidelity`` is its square root."""
    a, b = random_density_matrices(rng, 20), random_density_matrices(rng, 20, rank=2)
    f = fidelity(a, b)
    for i in range(20):
        fq = qutip.fidelity(qutip.Qobj(a[i], dims=DIMS), qutip.Qobj(b[i], dims=DIMS))
        # QuTiP's sqrtm route has ~1e-8 noise for the rank-2 sigma (square roots of zeros)
        assert f[i] == pytest.approx(fq**2, abs=1e-7)


def test_fidelity_pure_states_overlap(rng):
    """F(|a><a|, |b><b|) = |<a|b>|^2 (closed form)."""
    a, b = random_kets(rng, 30), random_kets(rng, 30)
    np.testing.assert_allclose(fidelity(ket2dm(a), ket2dm(b)),
                               np.abs(np.einsum("bi,bi->b", a.conj(), b)) ** 2, atol=1e-12)
    np.testing.assert_allclose(fidelity(ket2dm(a), ket2dm(a)), 1.0, atol=1e-12)
    # F(rho, sigma) = F(sigma, rho) and F(rho, rho) = 1 for mixed states
    rho, sig = random_density_matrices(rng, 30), random_density_matrices(rng, 30, rank=3)
    np.testing.assert_allclose(fidelity(rho, sig), fidelity(sig, rho), atol=1e-12)
    np.testing.assert_allclose(fidelity(rho, rho), 1.0, atol=1e-12)


def test_purity_vs_qutip(rng):
    rho = random_density_matrices(rng, 10, rank=2)
    for r, p in zip(rho, purity(rho), strict=True):
        assert p == pytest.approx((qutip.Qobj(r) ** 2).tr().real, abs=1e-14)
    assert purity(np.eye(4) / 4) == pytest.approx(0.25)


def test_entanglement_of_formation_vs_entropy_of_entanglement(rng):
    """For pure states E_F = von Neumann entropy (bits) of the reduced state (QuTiP entropy_vn)."""
    psi = random_kets(rng, 20)
    ef = entanglement_of_formation(ket2dm(psi))
    for i in range(20):
        q = qutip.Qobj(psi[i].reshape(4, 1), dims=[[2, 2], [1, 1]])
        assert ef[i] == pytest.approx(qutip.entropy_vn(q.ptrace(0), base=2), abs=1e-7)


# ----------------------------------------------------------------- Qobj interop

def test_accepts_qobj_lists_kets_and_bras():
    bell = qutip.bell_state("11")  # (|01> - |10>)/sqrt2, the singlet
    assert concurrence(bell) == pytest.approx(1.0)
    assert concurrence(bell.dag()) == pytest.approx(1.0)
    assert negativity(qutip.ket2dm(bell)) == pytest.approx(0.5)
    prod = qutip.tensor(qutip.basis(2, 0), qutip.basis(2, 1))
    out = concurrence([bell, prod, qutip.ket2dm(bell)])
    assert out.shape == (3,)
    np.testing.assert_allclose(out, [1.0, 0.0, 1.0], atol=1e-12)
    np.testing.assert_allclose(negativity([bell, prod]), [0.5, 0.0], atol=1e-12)
    assert fidelity(bell, qutip.ket2dm(bell)) == pytest.approx(1.0)
    assert purity([bell, qutip.Qobj(np.eye(4) / 4)]) == pytest.approx([1.0, 0.25])


def test_rejects_wrong_shapes():
    with pytest.raises(ValueError, match="rho"):
        concurrence(np.eye(3) / 3)
    with pytest.raises(ValueError, match="rho"):
        negativity(np.ones(4))
    with pytest.raises(ValueError, match="subsystem"):
        partial_transpose(np.eye(4) / 4, 2)


# ----------------------------------------------------------------- closed forms

@pytest.mark.parametrize("label", ["phi+", "phi-", "psi+", "psi-"])
def test_bell_states(label):
    """Bell states: C = 1, N = 1/2, E_N = 1, E_F = 1, purity 1 (closed forms)."""
    r = ket2dm(STATE_LABELS[label])
    assert concurrence(r) == pytest.approx(1.0, abs=1e-12)
    assert negativity(r, 0) == pytest.approx(0.5, abs=1e-12)
    assert negativity(r, 1) == pytest.approx(0.5, abs=1e-12)
    assert log_negativity(r) == pytest.approx(1.0, abs=1e-12)
    assert entanglement_of_formation(r) == pytest.approx(1.0, abs=1e-12)
    assert purity(r) == pytest.approx(1.0)


def test_werner_states():
    """Werner p|psi-><psi-| + (1-p)I/4: C = max(0, (3p-1)/2) (Wootters 1998);
    the partial transpose has eigenvalues (1-p)/4 (x3) and (1-3p)/4, so N = max(0, (3p-1)/4)."""
    p = np.linspace(0, 1, 61)
    rho = p[:, None, None] * ket2dm(STATE_LABELS["singlet"]) + (1 - p)[:, None, None] * np.eye(4) / 4
    np.testing.assert_allclose(concurrence(rho), np.maximum(0, (3 * p - 1) / 2), atol=1e-12)
    np.testing.assert_allclose(negativity(rho), np.maximum(0, (3 * p - 1) / 4), atol=1e-12)
    np.testing.assert_allclose(log_negativity(rho), np.log2(1 + 2 * np.maximum(0, (3 * p - 1) / 4)),
                               atol=1e-12)
    assert concurrence(werner(1 / 3)) == pytest.approx(0.0, abs=1e-12)


def test_product_states_are_unentangled(rng):
    """Product states rho_A x rho_B: C = N = E_F = 0."""
    a, b = random_density_matrices(rng, 50, 2), random_density_matrices(rng, 50, 2, rank=1)
    rho = kron(a, b)
    np.testing.assert_allclose(concurrence(rho), 0.0, atol=1e-7)
    np.testing.assert_allclose(negativity(rho), 0.0, atol=1e-12)
    np.testing.assert_allclose(entanglement_of_formation(rho), 0.0, atol=1e-6)
    np.testing.assert_allclose(log_negativity(rho), 0.0, atol=1e-12)


def test_batch_shapes_are_kept(rng):
    rho = random_density_matrices(rng, 6).reshape(2, 3, 4, 4)
    for f in (concurrence, negativity, log_negativity, entanglement_of_formation, purity):
        assert f(rho).shape == (2, 3)
    assert fidelity(rho, np.eye(4) / 4).shape == (2, 3)
    assert np.ndim(concurrence(rho[0, 0])) == 0


# ----------------------------------------------------------------- hypothesis properties

@settings(max_examples=25, deadline=None)
@given(seed=seeds, rank=st.integers(1, 4))
def test_bounds(seed, rank):
    """0 <= C <= 1, 0 <= N <= 1/2, 0 <= E_F <= 1, 1/4 <= purity <= 1 (definitions)."""
    rho = random_density_matrices(np.random.default_rng(seed), 40, rank=rank)
    c, n, ef, p = concurrence(rho), negativity(rho), entanglement_of_formation(rho), purity(rho)
    assert np.all((c >= 0) & (c <= 1 + 1e-12))
    assert np.all((n >= 0) & (n <= 0.5 + 1e-12))
    assert np.all((ef >= 0) & (ef <= 1 + 1e-12))
    assert np.all((p >= 0.25 - 1e-12) & (p <= 1 + 1e-12))


@settings(max_examples=25, deadline=None)
@given(seed=seeds, rank=st.integers(1, 4))
def test_invariance_under_local_unitaries(seed, rank):
    """C, N, E_F, purity are invariant under U_A x U_B (LU invariance)."""
    rng = np.random.default_rng(seed)
    rho = random_density_matrices(rng, 20, rank=rank)
    u = kron(random_unitaries(rng, 20), random_unitaries(rng, 20))
    rot = u @ rho @ np.conj(np.swapaxes(u, -1, -2))
    # concurrence of rank-deficient states carries sqrt(eps)-level noise: tol 1e-7
    np.testing.assert_allclose(concurrence(rot), concurrence(rho), atol=1e-7)
    np.testing.assert_allclose(negativity(rot), negativity(rho), atol=1e-12)
    np.testing.assert_allclose(purity(rot), purity(rho), atol=1e-12)


@settings(max_examples=25, deadline=None)
@given(seed=seeds)
def test_pure_state_concurrence_closed_form(seed):
    """C(|psi>) = 2|ad - bc| for psi = (a, b, c, d) (Wootters 1998)."""
    psi = random_kets(np.random.default_rng(seed), 30)
    np.testing.assert_allclose(concurrence(ket2dm(psi)),
                               2 * np.abs(psi[:, 0] * psi[:, 3] - psi[:, 1] * psi[:, 2]), atol=1e-12)


@settings(max_examples=25, deadline=None)
@given(seed=seeds, rank=st.integers(1, 4))
def test_negativity_same_for_either_subsystem(seed, rank):
    """rho^{T_A} = (rho^{T_B})^T has the same spectrum, so N does not depend on the choice."""
    rho = random_density_matrices(np.random.default_rng(seed), 40, rank=rank)
    np.testing.assert_allclose(negativity(rho, 0), negativity(rho, 1), atol=1e-12)
    np.testing.assert_allclose(log_negativity(rho, 0), log_negativity(rho, 1), atol=1e-12)


@settings(max_examples=25, deadline=None)
@given(seed=seeds, rank=st.integers(1, 4))
def test_entanglement_of_formation_monotone_in_concurrence(seed, rank):
    """E_F is a monotonically increasing function of C (Wootters 1998, Eq. (5))."""
    rho = random_density_matrices(np.random.default_rng(seed), 60, rank=rank)
    c, ef = concurrence(rho), entanglement_of_formation(rho)
    order = np.argsort(c)
    assert np.all(np.diff(ef[order]) >= -1e-12)
    # and E_F(C) matches the closed form h((1 + sqrt(1 - C^2))/2)
    x = (1 + np.sqrt(1 - c**2)) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        h = np.nan_to_num(-x * np.log2(x) - (1 - x) * np.log2(1 - x))
    np.testing.assert_allclose(ef, h, atol=1e-12)


@settings(max_examples=15, deadline=None)
@given(seed=seeds)
def test_negativity_bounded_by_concurrence(seed):
    """For two qubits N <= C/2 (Verstraete et al., J. Phys. A 34, 10327 (2001): N_{[0,1]} <= C)."""
    rho = random_density_matrices(np.random.default_rng(seed), 60, rank=2)
    assert np.all(2 * negativity(rho) <= concurrence(rho) + 1e-9)


def _negativity_eigvalsh(rho: np.ndarray) -> np.ndarray:
    """Reference: sum of |negative eigenvalues| of the partial transpose from LAPACK eigvalsh."""
    pt = partial_transpose(rho, 1)
    return np.maximum(-np.linalg.eigvalsh(0.5 * (pt + np.conj(np.swapaxes(pt, -1, -2)))), 0).sum(-1)


@settings(max_examples=20, deadline=None)
@given(seed=seeds)
def test_negativity_polynomial_route_matches_eigvalsh(seed):
    """The LAPACK-free route (characteristic polynomial + Laguerre, with eigvalsh fallback)
    equals eigvalsh on random states of every rank, weakly entangled pure states, Werner
    states at the separability edge, and unphysical Hermitian matrices with several
    negative eigenvalues (which must be detected and sent to the fallback)."""
    rng = np.random.default_rng(seed)
    b = rng.uniform(1e-9, 0.3, 50)
    weak = np.zeros((50, 4), complex)
    weak[:, 0], weak[:, 3] = np.sqrt(1 - b**2), b
    p = 1 / 3 + 10.0 ** rng.uniform(-12, -1, 50)
    x = rng.normal(size=(50, 4, 4)) + 1j * rng.normal(size=(50, 4, 4))
    states = np.concatenate([random_density_matrices(rng, 200), random_density_matrices(rng, 100, rank=1),
                             random_density_matrices(rng, 100, rank=2), ket2dm(weak),
                             p[:, None, None] * ket2dm(STATE_LABELS["singlet"])
                             + (1 - p)[:, None, None] * np.eye(4) / 4,
                             x + np.conj(np.swapaxes(x, 1, 2))])  # last: not states at all
    np.testing.assert_allclose(negativity(states), _negativity_eigvalsh(states), atol=1e-13, rtol=1e-12)
