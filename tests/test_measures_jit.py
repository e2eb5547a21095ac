"""The compiled (numba) route of ``concurrence`` and ``negativity`` against the numpy route
and QuTiP.

Oracles: QuTiP 5's ``concurrence`` / ``negativity`` (their own eigenvalue code, one state at a
time) at 1e-11 (the accuracy the issue asks for); the numpy route of openlz
(``_concurrence_numpy`` / ``_negativity_numpy``), which the compiled kernels mirror formula by
formula, at 1e-13; the SVD reference of tests/test_concurrence_fast.py for every rank.
"""

from __future__ import annotations

import numpy as np
import pytest
import qutip

from openlz.core import measures
from openlz.core.measures import concurrence, negativity

pytest.importorskip("numba")

N = 2000      # above measures._JIT_MIN_BATCH: these batches take the compiled route


def _ginibre(rng, n: int, rank: int = 4) -> np.ndarray:
    g = rng.normal(size=(n, 4, rank)) + 1j * rng.normal(size=(n, 4, rank))
    r = g @ np.conj(np.swapaxes(g, -1, -2))
    return r / np.einsum("bii->b", r).real[:, None, None]


def _mixed_batch(rng) -> np.ndarray:
    """Every kind of state in one batch: full rank, ranks 3, 2, 1, near-pure, X states,
    product states -- so both the fast routes and the exact fallback are exercised."""
    parts = [_ginibre(rng, N), _ginibre(rng, N // 4, 3), _ginibre(rng, N // 4, 2),
             _ginibre(rng, N // 4, 1)]
    eps = 10.0 ** rng.uniform(-14, -1, N // 4)
    parts.append((1 - eps)[:, None, None] * _ginibre(rng, N // 4, 1)
                 + eps[:, None, None] * np.eye(4) / 4)
    mask = np.zeros((4, 4), bool)
    mask[np.arange(4), np.arange(4)] = mask[np.arange(4), 3 - np.arange(4)] = True
    parts.append(np.where(mask, _ginibre(rng, N // 4), 0))
    a, b = _ginibre_1q(rng, N // 8), _ginibre_1q(rng, N // 8)
    parts.append(np.einsum("bij,bkl->bikjl", a, b).reshape(-1, 4, 4))
    out = np.concatenate(parts)
    return out[rng.permutation(out.shape[0])]


def _ginibre_1q(rng, n: int) -> np.ndarray:
    g = rng.normal(size=(n, 2, 2)) + 1j * rng.normal(size=(n, 2, 2))
    r = g @ np.conj(np.swapaxes(g, -1, -2))
    return r / np.einsum("bii->b", r).real[:, None, None]


def _qobjs(rho):
    return [qutip.Qobj(r, dims=[[2, 2], [2, 2]]) for r in rho]


def test_compiled_route_is_taken():
    assert measures._jit_kernels(N) is not None
    assert measures._jit_kernels(measures._JIT_MIN_BATCH - 1) is None


def test_concurrence_compiled_vs_numpy_route_and_svd_reference():
    """Mixed ranks: the SVD reference (exact to ~1e-16 for every rank; QuTiP's square roots
    of near-zero eigenvalues lose ~1e-8 on rank-deficient states, so it is not the oracle
    here) and the numpy route, both at 1e-13."""
    from test_concurrence_fast import _svd_reference

    rng = np.random.default_rng(21)
    rho = _mixed_batch(rng)
    ours = concurrence(rho)
    np.testing.assert_allclose(ours, measures._concurrence_numpy(rho), rtol=0, atol=1e-13)
    np.testing.assert_allclose(ours, _svd_reference(rho), rtol=0, atol=1e-13)
    assert np.mean(ours > 0) > 0.05 and np.mean(ours == 0) > 0.05   # both kinds present


def test_concurrence_compiled_vs_qutip_full_rank():
    """Full-rank states and X states (where QuTiP's eigenvalue route is accurate) at 1e-11."""
    rng = np.random.default_rng(26)
    mask = np.zeros((4, 4), bool)
    mask[np.arange(4), np.arange(4)] = mask[np.arange(4), 3 - np.arange(4)] = True
    rho = np.concatenate([_ginibre(rng, N), np.where(mask, _ginibre(rng, N // 2), 0)])
    ours = concurrence(rho)
    sub = rng.choice(rho.shape[0], 1500, replace=False)
    ref = np.array([qutip.concurrence(q) for q in _qobjs(rho[sub])])
    assert np.max(np.abs(ours[sub] - ref)) < 1e-11
    assert np.mean(ours > 0) > 0.05 and np.mean(ours == 0) > 0.05


@pytest.mark.parametrize("subsystem", [0, 1])
def test_negativity_compiled_vs_numpy_route_and_qutip(subsystem):
    rng = np.random.default_rng(22 + subsystem)
    rho = _mixed_batch(rng)
    ours = negativity(rho, subsystem)
    np.testing.assert_allclose(ours, measures._negativity_numpy(rho, subsystem), rtol=0, atol=1e-13)
    sub = rng.choice(rho.shape[0], 1500, replace=False)
    ref = np.array([qutip.negativity(q, subsystem) for q in _qobjs(rho[sub])])
    assert np.max(np.abs(ours[sub] - ref)) < 1e-11
    assert np.mean(ours > 0) > 0.05 and np.mean(ours == 0) > 0.05


def test_kernel_flags_go_to_the_exact_route():
    """The kernels flag rank-deficient states (the polynomial route cannot certify them); the
    values after the exact fallback match the numpy route."""
    rng = np.random.default_rng(23)
    rho = _ginibre(rng, N, 2)
    kern = measures._jit_kernels(N)
    _, need = kern.concurrence_kernel(rho, 1e-12)
    assert need.mean() > 0.5
    np.testing.assert_allclose(concurrence(rho), measures._concurrence_numpy(rho), atol=1e-13)


def test_unphysical_input_same_on_both_routes():
    """Hermitian but not positive semidefinite matrices: whatever the measures return for them,
    the compiled and numpy routes return the same (the kernels flag what they cannot certify)."""
    rng = np.random.default_rng(24)
    h = rng.normal(size=(N, 4, 4)) + 1j * rng.normal(size=(N, 4, 4))
    h = h + np.conj(np.swapaxes(h, -1, -2))
    np.testing.assert_allclose(concurrence(h), measures._concurrence_numpy(h), atol=1e-12)
    np.testing.assert_allclose(negativity(h), measures._negativity_numpy(h, 1), atol=1e-12)


def test_switch_off_by_environment(monkeypatch):
    monkeypatch.setenv("OPENLZ_NUMBA", "0")
    assert measures._jit_kernels(N) is None
    rho = _ginibre(np.random.default_rng(25), N)
    np.testing.assert_array_equal(concurrence(rho), measures._concurrence_numpy(rho))
