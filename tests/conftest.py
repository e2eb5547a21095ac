"""Shared fixtures and random-state helpers for the foundation tests.

Random states are drawn with numpy generators seeded per test, so every run is
reproducible; hypothesis strategies draw the seeds.
"""

from __future__ import annotations

import numpy as np
import pytest


def random_density_matrices(rng: np.random.Generator, batch: int, n: int = 4,
                            rank: int | None = None) -> np.ndarray:
    """Random density matrices (batch, n, n) of the given rank (Ginibre ensemble G G^dag / tr)."""
    k = n if rank is None else rank
    g = rng.normal(size=(batch, n, k)) + 1j * rng.normal(size=(batch, n, k))
    r = g @ np.conj(np.swapaxes(g, -1, -2))
    return r / np.einsum("bii->b", r).real[:, None, None]


def random_kets(rng: np.random.Generator, batch: int, n: int = 4) -> np.ndarray:
    """Haar-random normalised kets (batch, n)."""
    v = rng.normal(size=(batch, n)) + 1j * rng.normal(size=(batch, n))
    return v / np.linalg.norm(v, axis=-1, keepdims=True)


def random_unitaries(rng: np.random.Generator, batch: int, n: int = 2) -> np.ndarray:
    """Haar-random unitaries (batch, n, n) from the QR decomposition of Ginibre matrices."""
    z = (rng.normal(size=(batch, n, n)) + 1j * rng.normal(size=(batch, n, n))) / np.sqrt(2)
    q, r = np.linalg.qr(z)
    d = np.einsum("bii->bi", r)
    return q * (d / np.abs(d))[:, None, :]


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(20261122)
