"""Paper 004, Supplement (ii) and (iii): the medium's Green's functions and what they give the
qubits — single-qubit T1 and T2 (Eqs. S15–S23).

All rates in the model's notation (Eq. 4): a, ã local decay / excitation, d local pure
dephasing.  Shapes: scalars or arrays that broadcast.
"""

from __future__ import annotations

import numpy as np

__all__ = ["relaxation_time_T1", "decoherence_time_T2", "equilibrium_sz"]


def relaxation_time_T1(a: np.ndarray | float, a_tilde: np.ndarray | float) -> np.ndarray:
    """T1 of one qubit, Eq. (S16): T1⁻¹ = 4B̄ = 2(B> + B<), with the down→up (decay) rate
    2B> = 2a and the up→down rate 2B< = 2ã of Eq. (S17) (the local rates of Eq. 4).
    inf where a + ã = 0."""
    s = np.asarray(a, float) + np.asarray(a_tilde, float)
    with np.errstate(divide="ignore"):
        return 1.0 / (2.0 * s)


def decoherence_time_T2(a: np.ndarray | float, a_tilde: np.ndarray | float,
                        d: np.ndarray | float = 0.0) -> np.ndarray:
    """T2 of one qubit, Eq. (S21): T2⁻¹ = 4D + 2B̄ = 4d + a + ã (pure dephasing d of Eq. 4
    plus half the relaxation rate).  inf where all three vanish."""
    s = 4 * np.asarray(d, float) + np.asarray(a, float) + np.asarray(a_tilde, float)
    with np.errstate(divide="ignore"):
        return 1.0 / s


def equilibrium_sz(a: np.ndarray | float, a_tilde: np.ndarray | float) -> np.ndarray:
    """s̄z = <σz>/2 in equilibrium, Eqs. (S15), (S18): (B> − B<)/4B̄ = (a − ã)/(2(a + ã))."""
    a_, at = np.asarray(a, float), np.asarray(a_tilde, float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (a_ - at) / (2 * (a_ + at))
