"""The fast routes of ``concurrence``: X-state closed form and characteristic polynomial.

Oracles: QuTiP's ``concurrence`` (eigenvalues of rho rho~, its own code); the singular
values of Wootters' tau = G^dag (sy x sy) G* computed by ``numpy.linalg.svd`` (l_i directly,
no square roots of small eigenvalues, so accurate to ~1e-16 for every rank); Werner states,
C = max(0, (3p - 1)/2) (Wootters 1998).
"""

from __future__ import annotations

import numpy as np
import pytest
import qutip

from openlz import concurrence
from openlz.core._concurrence_poly import concurrence_poly, concurrence_x
from openlz.core.measures import _YFLIP, _YSIGN, _psd_factor


def _svd_reference(rho: np.ndarray) -> np.ndarray:
    g = _psd_factor(rho)
    tau = np.conj(np.swapaxes(g, -1, -2)) @ (_YSIGN[:, None] * np.conj(g[..., _YFLIP, :]))
    sv = np.linalg.svd(tau, compute_uv=False)
    return np.maximum(sv[:, 0] - sv[:, 1:].sum(axis=1), 0.0)


def _ginibre(rng, n: int, rank: int = 4) -> np.ndarray:
    g = rng.normal(size=(n, 4, rank)) + 1j * rng.normal(size=(n, 4, rank))
    r = g @ np.conj(np.swapaxes(g, -1, -2))
    return r / np.einsum("bii->b", r).real[:, None, None]


def test_random_states_against_qutip():
    rng = np.random.default_rng(11)
    rho = _ginibre(rng, 3000)
    ours = concurrence(rho)
    ref = np.array([qutip.concurrence(qutip.Qobj(r, dims=[[2, 2], [2, 2]])) for r in rho])
    assert np.max(np.abs(ours - ref)) < 1e-12
    assert np.mean(ours > 0) > 0.01          # the sample has entangled states


@pytest.mark.parametrize("kind", ["full", "rank3", "rank2", "pure", "near-pure", "mixture"])
def test_every_rank_against_svd_reference(kind):
    """Whatever route each state takes, C matches the SVD reference to 1e-13."""
    rng = np.random.default_rng(hash(kind) % 2**32)
    n = 4000
    if kind == "full":
        rho = _ginibre(rng, n)
    elif kind.startswith("rank"):
        rho = _ginibre(rng, n, int(kind[-1]))
    elif kind == "pure":
        rho = _ginibre(rng, n, 1)
    elif kind == "near-pure":
        eps = 10.0 ** rng.uniform(-14, -1, n)
        rho = (1 - eps)[:, None, None] * _ginibre(rng, n, 1) + eps[:, None, None] * np.eye(4) / 4
    else:
        w = rng.uniform(0, 1, n)[:, None, None]
        rho = w * _ginibre(rng, n, 1) + (1 - w) * _ginibre(rng, n, 1)
    assert np.max(np.abs(concurrence(rho) - _svd_reference(rho))) < 1e-13


def test_polynomial_route_accuracy_where_accepted():
    """Where the characteristic-polynomial route accepts a state (its error estimate < 1e-12)
    the value is within 1e-13 of the SVD reference, and it accepts most full-rank states."""
    rng = np.random.default_rng(5)
    rho = _ginibre(rng, 20000)
    c, need_exact = concurrence_poly(rho)
    ok = ~need_exact
    assert ok.mean() > 0.9
    assert np.max(np.abs(c[ok] - _svd_reference(rho[ok]))) < 1e-13


def test_x_states_closed_form_and_werner():
    p = np.linspace(0, 1, 201)
    bell = np.zeros((4, 4))
    bell[[0, 0, 3, 3], [0, 3, 0, 3]] = 0.5
    w = p[:, None, None] * bell + (1 - p[:, None, None]) * np.eye(4) / 4
    c, is_x = concurrence_x(w.astype(complex))
    assert np.all(is_x)
    np.testing.assert_allclose(c, np.maximum(0, (3 * p - 1) / 2), atol=1e-15)
    np.testing.assert_allclose(concurrence(w), np.maximum(0, (3 * p - 1) / 2), atol=1e-15)
    # random X states against QuTiP
    rng = np.random.default_rng(3)
    rho = _ginibre(rng, 500)
    mask = np.zeros((4, 4), bool)
    mask[np.arange(4), np.arange(4)] = mask[np.arange(4), 3 - np.arange(4)] = True
    x = np.where(mask, rho, 0)          # the X part of a state is a state
    assert np.all(concurrence_x(x)[1])
    ref = np.array([qutip.concurrence(qutip.Qobj(r, dims=[[2, 2], [2, 2]])) for r in x])
    assert np.max(np.abs(concurrence(x) - ref)) < 1e-12
    # an X pattern that is not positive semidefinite is not taken by the closed form
    bad = np.diag([0.5, 0.0, 0.0, 0.5]).astype(complex)
    bad[1, 2] = bad[2, 1] = 0.3
    assert not concurrence_x(bad[None])[1][0]
