"""Bosonic baths: spectral densities and occupations (hbar = k_B = 1).

Spectral densities are extended to negative frequencies as odd functions,
J(-w) = -J(w).  With n(-w) = -1 - n(w) this makes J(w)(1 + n(w)) a single formula
for emission (w > 0) and absorption (w < 0) that obeys detailed balance.

Model-specific rate conventions (2 pi J (1+n), Lamb shifts, ...) live with the
solver or model that uses them, citing their paper.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = ["ohmic_exponential", "ohmic_drude", "bose", "SpectralDensity"]

SpectralDensity = Callable[[np.ndarray], np.ndarray]


def ohmic_exponential(omega: np.ndarray, eta: float | np.ndarray, wc: float | np.ndarray) -> np.ndarray:
    """Ohmic spectral density with exponential cutoff, J(w) = eta w exp(-|w|/wc) (odd in w)."""
    w = np.asarray(omega, dtype=float)
    return eta * w * np.exp(-np.abs(w) / wc)


def ohmic_drude(omega: np.ndarray, eta: float | np.ndarray, wc: float | np.ndarray) -> np.ndarray:
    """Ohmic spectral density with Drude–Lorentz cutoff, J(w) = eta w / (1 + (w/wc)²) (odd in w)."""
    w = np.asarray(omega, dtype=float)
    return eta * w / (1.0 + (w / wc) ** 2)


def bose(omega: np.ndarray, T: float | np.ndarray) -> np.ndarray:
    """Bose–Einstein occupation n(w) = 1/(exp(w/T) - 1).

    T = 0 gives n = 0 for w > 0 and n = -1 for w < 0 (so that 1 + n(w) = -n(-w) holds).
    At w = 0 the value is infinite; callers take the w -> 0 limit of w n(w) = T themselves.
    """
    w = np.asarray(omega, dtype=float)
    T = np.asarray(T, dtype=float)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        x = w / np.where(T > 0, T, 1.0)
        n = np.where(T > 0, 1.0 / np.expm1(x), np.where(w > 0, 0.0, np.where(w < 0, -1.0, np.inf)))
    return n
