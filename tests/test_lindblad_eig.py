"""The eigendecomposition route of ``evolve_constant`` and its expm fallback.

Oracles: ``scipy.linalg.expm(L t) vec(rho0)`` evaluated independently at every time; the
T = 0 closed form of paper 004 (Eqs. S55–S64, ``openlz.analytic.magnetic_medium``) across its
exceptional point |delta| = |A| (critical damping), where the Liouvillian is defective.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg as sla

import openlz.solve._constant_eig as ce
from openlz.analytic import magnetic_medium as cf
from openlz.core.liouvillian import liouvillian, unvec, vec
from openlz.core.operators import two_qubit_state
from openlz.models.magnetic_medium import MODEL, generator
from openlz.solve.lindblad import EIG_COND_MAX, evolve_constant


def _expm_reference(gen: np.ndarray, rho0: np.ndarray, times: np.ndarray) -> np.ndarray:
    """exp(L (t - t0)) vec rho0 with scipy's expm at each time separately: (B, T, n, n)."""
    gen = np.asarray(gen)
    rho0 = np.broadcast_to(rho0, (gen.shape[0], *rho0.shape[-2:]))
    out = [[sla.expm(g * (t - times[0])) @ vec(r) for t in times] for g, r in zip(gen, rho0, strict=True)]
    return unvec(np.array(out))


def _random_lindbladians(b: int, n: int, seed: int, hermitian_jumps: bool = False) -> np.ndarray:
    rng = np.random.default_rng(seed)
    h = rng.normal(size=(b, n, n)) + 1j * rng.normal(size=(b, n, n))
    h = h + np.conj(np.swapaxes(h, -1, -2))
    c = 0.5 * (rng.normal(size=(b, 2, n, n)) + 1j * rng.normal(size=(b, 2, n, n)))
    if hermitian_jumps:
        c = c + np.conj(np.swapaxes(c, -1, -2))
    return liouvillian(h, c)


def _random_state(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    g = rng.normal(size=(n, n)) + 1j * rng.normal(size=(n, n))
    r = g @ np.conj(g.T)
    return r / np.trace(r)


@pytest.mark.parametrize("times", [np.linspace(0.0, 3.0, 41),           # uniform: factorised exp
                                   np.array([0.0, 0.01, 0.3, 0.31, 1.7, 2.9]),  # irregular
                                   np.linspace(2.0, -1.0, 25)])           # backwards, t0 != 0
def test_generic_lindbladians_match_expm(times):
    """Dense random 3-level Lindbladians (one block, no symmetry) against expm at each time,
    relative to the size of the state (backwards in time a dissipative evolution grows)."""
    gen = _random_lindbladians(5, 3, seed=1)
    rho0 = _random_state(3, seed=2)
    got = evolve_constant(gen, rho0, times, method="eig")
    ref = _expm_reference(gen, rho0, times)
    scale = np.max(np.abs(ref), axis=(-2, -1), keepdims=True)
    assert np.max(np.abs(got - ref) / scale) < 1e-12


def test_block_structure_and_mirror_blocks():
    """Magnetic-medium Liouvillians split into coherence sectors (6 + 4 + 4 + 1 + 1) with the
    transposed sectors solved as complex conjugates; the result matches expm at each time."""
    n = 6
    p = MODEL.resolve({"a": np.ones(n), "A": np.full(n, 0.9), "a_tilde": np.full(n, 0.1),
                       "A_tilde": np.full(n, 0.09), "delta": np.linspace(0.0, 3.0, n)})
    p = {k: np.broadcast_to(np.asarray(v), (n,)) for k, v in p.items()}
    gen = generator(p)
    sizes = sorted(idx.shape[1] * idx.shape[0] * (2 if m is not None else 1)
                   for idx, m in ce.generator_blocks(gen))
    assert sum(sizes) == 16 and max(idx.shape[1] for idx, _ in ce.generator_blocks(gen)) == 6
    times = np.linspace(0.0, 5.0, 201)
    rho0 = two_qubit_state("ud")
    got = evolve_constant(gen, rho0, times, method="eig")
    ref = _expm_reference(gen, rho0, times[::20])
    assert np.max(np.abs(got[:, ::20] - ref)) < 1e-12
    # a non-Hermitian initial operator cannot use the mirror shortcut: still exact
    op = np.zeros((4, 4), complex)
    op[1, 2] = 1.0
    got = evolve_constant(gen, op, times[:30], method="eig")
    ref = _expm_reference(gen, op, times[:30])
    assert np.max(np.abs(got - ref)) < 1e-12


def test_broadcasting_shared_generator_many_states():
    gen = _random_lindbladians(1, 2, seed=3)[0]                     # (4, 4), shared
    rho0 = np.stack([_random_state(2, s) for s in range(7)])         # (7, 2, 2)
    times = np.linspace(0, 2, 30)
    got = evolve_constant(gen, rho0, times, method="eig")
    assert got.shape == (7, 30, 2, 2)
    ref = _expm_reference(np.broadcast_to(gen, (7, 4, 4)), rho0, times)
    assert np.max(np.abs(got - ref)) < 1e-12


@pytest.mark.parametrize("rel", [0.0, 1e-14, -1e-12, 1e-10, -1e-8, 1e-6, -1e-4, 1e-2])
def test_exceptional_point_of_magnetic_medium(rel):
    """Across critical damping |delta| = |A| (an EP: the Liouvillian is defective, T = 0)
    both routes agree with the closed form of paper 004 (Eqs. S55-S64) and with expm."""
    a, A = 1.0, 0.7
    delta = A * (1 + rel)
    p = MODEL.resolve({"a": a, "A": A, "delta": delta})
    p = {k: np.atleast_1d(v) for k, v in p.items()}
    gen = generator(p)
    times = np.linspace(0.0, 4.0, 81)
    ref = _expm_reference(gen, two_qubit_state("ud"), times)[0]
    for method in ("eig", "expm"):
        rho = evolve_constant(gen, two_qubit_state("ud"), times, method=method)[0]
        assert np.max(np.abs(rho - ref)) < 1e-12
    # closed form: rho_{ud,du} = x + i y (Eq. S59), populations Eqs. (S56)-(S57)
    x, y, _ = cf.x_y_h_t0(times, a, A, delta)
    ud, du = 1, 2
    np.testing.assert_allclose(rho[:, ud, du], x + 1j * y, atol=1e-12)
    np.testing.assert_allclose(np.einsum("tii->ti", rho).real,
                               cf.populations_t0(times, a, A, delta), atol=1e-12)


def test_exceptional_point_is_detected_and_stepped():
    """At the EP itself the eigenvector matrix is (numerically) singular: the condition
    estimate exceeds the threshold, so that point goes to the expm fallback; far from it the
    eigenbasis is well conditioned and is used."""
    a, A = 1.0, 0.7
    p = MODEL.resolve({"a": a, "A": A, "delta": np.array([A, 3.0])})
    p = {k: np.broadcast_to(np.asarray(v), (2,)) for k, v in p.items()}
    gen = generator(p)
    calls = []

    def fallback(g, v, times, batch):
        calls.append(g.shape)
        from openlz.solve.lindblad import _evolve_expm
        return _evolve_expm(g, v, times, batch)

    times = np.linspace(0, 2, 21)
    v = np.broadcast_to(vec(two_qubit_state("ud")), (2, 16))
    out = ce.evolve_eig(gen, v, times, (2,), EIG_COND_MAX, fallback)
    assert calls == [(1, 16, 16)]            # only the EP point was stepped
    ref = _expm_reference(gen, two_qubit_state("ud"), times)
    assert np.max(np.abs(unvec(out) - ref)) < 1e-12


def test_auto_picks_a_route_by_grid():
    """auto: expm stepping on a uniform grid, the eigendecomposition otherwise; same values."""
    gen = _random_lindbladians(70, 2, seed=7)      # > 64 points: chunked over threads
    rho0 = _random_state(2, 8)
    for times in (np.linspace(0, 2, 50), np.geomspace(1e-3, 2, 50)):
        auto = evolve_constant(gen, rho0, times)
        ref = _expm_reference(gen[::10], rho0, times)
        assert np.max(np.abs(auto[::10] - ref)) < 1e-12
        assert np.max(np.abs(auto - evolve_constant(gen, rho0, times, method="eig"))) < 1e-12


def test_method_expm_and_bad_method():
    gen = _random_lindbladians(2, 2, seed=5)
    rho0 = _random_state(2, 6)
    times = np.linspace(0, 1, 11)
    np.testing.assert_allclose(evolve_constant(gen, rho0, times, method="expm"),
                               _expm_reference(gen, rho0, times), atol=1e-12)
    from openlz import ParameterError
    with pytest.raises(ParameterError, match="method"):
        evolve_constant(gen, rho0, times, method="eig?")
