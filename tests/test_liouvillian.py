"""Liouvillians: row-major vectorisation identities, trace/hermiticity preservation,
agreement with the direct right-hand side and with QuTiP's ``liouvillian``
(column-stacking, mapped by a transpose)."""

from __future__ import annotations

import numpy as np
import pytest
import qutip
from conftest import random_density_matrices

from openlz.core.liouvillian import (
    dissipator,
    hamiltonian_superop,
    lindblad_rhs,
    liouvillian,
    spost,
    spre,
    sprepost,
    unvec,
    vec,
)
from openlz.core.operators import dag, on_qubit, sigma_minus, sigma_x, sigma_z


def rand_op(rng, *shape):
    return rng.normal(size=(*shape,)) + 1j * rng.normal(size=(*shape,))


def test_vec_identities(rng):
    """vec(A rho B) = (A kron B^T) vec(rho) for row-major vec (definition)."""
    a, b, r = rand_op(rng, 3, 3), rand_op(rng, 3, 3), rand_op(rng, 3, 3)
    np.testing.assert_allclose(sprepost(a, b) @ vec(r), vec(a @ r @ b), atol=1e-12)
    np.testing.assert_allclose(spre(a) @ vec(r), vec(a @ r), atol=1e-12)
    np.testing.assert_allclose(spost(b) @ vec(r), vec(r @ b), atol=1e-12)
    np.testing.assert_array_equal(unvec(vec(r)), r)
    np.testing.assert_allclose(hamiltonian_superop(a) @ vec(r), vec(-1j * (a @ r - r @ a)), atol=1e-12)


def test_liouvillian_matches_direct_rhs_and_qutip(rng):
    """Same generator three ways: superoperator, direct rhs, QuTiP (column-stacked vec)."""
    h = rand_op(rng, 4, 4)
    h = h + dag(h)
    cs = [rand_op(rng, 4, 4) for _ in range(2)]
    rho = random_density_matrices(rng, 1)[0]
    lv = unvec(liouvillian(h, cs) @ vec(rho))
    np.testing.assert_allclose(lv, lindblad_rhs(rho, h, cs), atol=1e-12)
    lq = qutip.liouvillian(qutip.Qobj(h), [qutip.Qobj(c) for c in cs]).full()
    lq_rho = (lq @ rho.flatten(order="F")).reshape(4, 4, order="F")
    np.testing.assert_allclose(lv, lq_rho, atol=1e-12)


def test_trace_and_hermiticity_preserved(rng):
    """tr L(rho) = 0 and L(rho)^dag = L(rho) for a Lindblad generator."""
    h = rand_op(rng, 3, 3)
    h = h + dag(h)
    gen = liouvillian(h, [rand_op(rng, 3, 3), rand_op(rng, 3, 3)])
    np.testing.assert_allclose(vec(np.eye(3)) @ gen, 0, atol=1e-12)  # vec(I)^T L = 0
    d = unvec(gen @ vec(random_density_matrices(rng, 1, 3)[0]))
    np.testing.assert_allclose(d, dag(d), atol=1e-12)


def test_batched_generators_equal_loop(rng):
    """h (B, n, n) and c_ops (B, k, n, n) give the stack of per-item generators."""
    B = 3
    g = np.array([0.1, 0.5, 2.0])
    h = g[:, None, None] * on_qubit(sigma_z(), 0) + on_qubit(sigma_x(), 1)
    c = np.sqrt(g)[:, None, None, None] * np.stack([on_qubit(sigma_minus(), 0), on_qubit(sigma_minus(), 1)])
    batched = liouvillian(h, c)
    assert batched.shape == (B, 16, 16)
    for i in range(B):
        np.testing.assert_allclose(batched[i], liouvillian(h[i], [c[i, 0], c[i, 1]]), atol=1e-14)
    # a list of jump operators with a batch axis broadcasts against an unbatched h
    lst = liouvillian(h[0], [c[:, 0], c[:, 1]])
    np.testing.assert_allclose(lst[2], liouvillian(h[0], [c[2, 0], c[2, 1]]), atol=1e-14)
    np.testing.assert_allclose(dissipator(c).sum(axis=-3)[1], batched[1] - hamiltonian_superop(h[1]),
                               atol=1e-14)
    # lindblad_rhs broadcasts a batched h against one rho
    rho = random_density_matrices(rng, 1)[0]
    out = lindblad_rhs(rho, h, [c[:, 0], c[:, 1]])
    assert out.shape == (B, 4, 4)
    np.testing.assert_allclose(out, unvec(batched @ vec(rho)), atol=1e-12)


def test_liouvillian_errors():
    with pytest.raises(ValueError, match="Hamiltonian or at least one jump"):
        liouvillian(None, [])
    with pytest.raises(ValueError, match="c_ops"):
        liouvillian(np.eye(2), np.eye(2))


def test_assembly_matches_superoperator_sum_any_operators(rng):
    """liouvillian builds G x 1 + 1 x P^T + sum_k c_k x c_k* in one pass; check it against the
    textbook sum of spre / spost / sprepost terms for a non-Hermitian "H" (a term of a
    LinearGenerator), jump operators with different batch shapes, and no jumps at all."""
    from openlz.core.liouvillian import spost, spre, sprepost

    def textbook(h, cs):
        out = -1j * (spre(h) - spost(h))
        for c in cs:
            cdc = np.conj(np.swapaxes(c, -1, -2)) @ c
            out = out + sprepost(c, np.conj(np.swapaxes(c, -1, -2))) - 0.5 * (spre(cdc) + spost(cdc))
        return out

    n = 3
    h = rng.normal(size=(4, n, n)) + 1j * rng.normal(size=(4, n, n))      # not Hermitian
    c1 = rng.normal(size=(n, n)) + 1j * rng.normal(size=(n, n))           # shared
    c2 = rng.normal(size=(4, n, n)) + 1j * rng.normal(size=(4, n, n))     # per point
    np.testing.assert_allclose(liouvillian(h, [c1, c2]), textbook(h, [c1, c2]), atol=1e-13)
    np.testing.assert_allclose(liouvillian(h[0]), textbook(h[0], []), atol=1e-14)
    np.testing.assert_allclose(liouvillian(None, [c1]), textbook(np.zeros((n, n)), [c1]), atol=1e-14)
