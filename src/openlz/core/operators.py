"""Operators and the library's single basis convention (``docs/design.md``).

Convention
----------
* hbar = k_B = 1.
* Qubit basis index 0 is ``|0> = |up>``, the sigma_z = +1 eigenstate; index 1 is ``|1> = |down>``.
* ``sigma_plus = |0><1|`` raises (down -> up), ``sigma_minus = |1><0|``;
  sigma_pm = (sigma_x +- i sigma_y) / 2.
* Two qubits: ``kron(q1, q2)``, basis order ``|00>, |01>, |10>, |11>``
  (= uu, ud, du, dd).

Models that follow a paper with another convention map it explicitly where they
build their operators.
"""

from __future__ import annotations

from functools import reduce

import numpy as np

from ..errors import UnknownNameError

__all__ = [
    "identity", "sigma_x", "sigma_y", "sigma_z", "sigma_plus", "sigma_minus",
    "kron", "on_qubit", "ket", "ket2dm", "two_qubit_state", "STATE_LABELS",
    "dag", "commutator",
]

SX = np.array([[0, 1], [1, 0]], dtype=complex)
SY = np.array([[0, -1j], [1j, 0]], dtype=complex)
SZ = np.array([[1, 0], [0, -1]], dtype=complex)
SP = np.array([[0, 1], [0, 0]], dtype=complex)  # |0><1| = |up><down|
SM = SP.T.copy()
I2 = np.eye(2, dtype=complex)


def identity(n: int = 2) -> np.ndarray:
    """Identity, shape (n, n)."""
    return np.eye(n, dtype=complex)


def sigma_x() -> np.ndarray:
    """Pauli x, shape (2, 2)."""
    return SX.copy()


def sigma_y() -> np.ndarray:
    """Pauli y, shape (2, 2)."""
    return SY.copy()


def sigma_z() -> np.ndarray:
    """Pauli z, shape (2, 2); +1 on index 0 (up)."""
    return SZ.copy()


def sigma_plus() -> np.ndarray:
    """Raising operator |0><1| = |up><down|, shape (2, 2)."""
    return SP.copy()


def sigma_minus() -> np.ndarray:
    """Lowering operator |1><0| = |down><up|, shape (2, 2)."""
    return SM.copy()


def dag(a: np.ndarray) -> np.ndarray:
    """Conjugate transpose over the last two axes, shape (..., n, m) -> (..., m, n)."""
    return np.conj(np.swapaxes(a, -1, -2))


def commutator(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """[a, b] with broadcasting over leading axes."""
    return a @ b - b @ a


def kron(*ops: np.ndarray) -> np.ndarray:
    """Kronecker product of operators (first factor = most significant index).

    Leading batch axes broadcast: ``kron(a (..., n, n), b (..., m, m)) -> (..., nm, nm)``.
    """
    def _k(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        a, b = np.asarray(a), np.asarray(b)
        out = a[..., :, None, :, None] * b[..., None, :, None, :]
        s = out.shape
        return out.reshape(*s[:-4], s[-4] * s[-3], s[-2] * s[-1])

    return reduce(_k, ops)


def on_qubit(op: np.ndarray, k: int, n_qubits: int = 2) -> np.ndarray:
    """Embed a single-qubit operator (2, 2) acting on qubit ``k`` (0-based) of ``n_qubits``."""
    factors = [I2] * n_qubits
    factors[k] = op
    return kron(*factors)


def ket(bits: str) -> np.ndarray:
    """Computational-basis ket from a string of ``0/1`` or ``u/d`` characters, shape (2**len,)."""
    idx = 0
    for ch in bits:
        if ch not in "01ud":
            raise UnknownNameError("basis character", ch, ["0", "1", "u", "d"])
        idx = 2 * idx + (1 if ch in "1d" else 0)
    v = np.zeros(2 ** len(bits), dtype=complex)
    v[idx] = 1.0
    return v


def ket2dm(psi: np.ndarray) -> np.ndarray:
    """|psi><psi|, shape (..., n) -> (..., n, n)."""
    psi = np.asarray(psi)
    return psi[..., :, None] * np.conj(psi[..., None, :])


_s2 = 1 / np.sqrt(2)
STATE_LABELS: dict[str, np.ndarray] = {
    "uu": ket("uu"), "ud": ket("ud"), "du": ket("du"), "dd": ket("dd"),
    "00": ket("00"), "01": ket("01"), "10": ket("10"), "11": ket("11"),
    "singlet": _s2 * (ket("ud") - ket("du")),
    "triplet0": _s2 * (ket("ud") + ket("du")),
    "phi+": _s2 * (ket("uu") + ket("dd")),
    "phi-": _s2 * (ket("uu") - ket("dd")),
    "psi+": _s2 * (ket("ud") + ket("du")),
    "psi-": _s2 * (ket("ud") - ket("du")),
}


def two_qubit_state(initial: str | np.ndarray) -> np.ndarray:
    """Two-qubit density matrix (4, 4) from a label (see ``STATE_LABELS``), a ket (4,) or a matrix (4, 4).

    Labels: ``uu, ud, du, dd`` (= ``00, 01, 10, 11``), ``singlet`` (= ``psi-``),
    ``triplet0`` (= ``psi+``), ``phi+``, ``phi-``, and ``mixed`` (I/4).
    """
    if isinstance(initial, str):
        key = initial.strip().lower()
        if key == "mixed":
            return np.eye(4, dtype=complex) / 4
        if key not in STATE_LABELS:
            raise UnknownNameError("initial state", initial, [*STATE_LABELS, "mixed"])
        return ket2dm(STATE_LABELS[key])
    from ..errors import ParameterError

    arr = np.asarray(initial, dtype=complex)
    if arr.shape == (4,):
        norm = np.linalg.norm(arr)
        if not (np.isfinite(norm) and norm > 0):
            raise ParameterError("initial", "ket of norm 0 or not finite", "must be a non-zero finite ket")
        arr = ket2dm(arr / norm)
    if arr.shape != (4, 4):
        raise ParameterError("initial", f"array of shape {arr.shape}", "must be a ket (4,) or a density matrix (4, 4)")
    # a density matrix must be physical (Hermitian, unit trace, positive) to 1e-8
    if not np.all(np.isfinite(arr)):
        raise ParameterError("initial", "matrix with non-finite entries", "must be a density matrix")
    herm = float(np.max(np.abs(arr - dag(arr))))
    tr = complex(np.trace(arr))
    mine = float(np.min(np.linalg.eigvalsh(0.5 * (arr + dag(arr)))))
    if herm > 1e-8 or abs(tr - 1) > 1e-8 or mine < -1e-8:
        raise ParameterError("initial", f"matrix with trace {tr:.6g}, hermiticity error {herm:.2e}, "
                             f"min eigenvalue {mine:.2e}",
                             "must be a density matrix (Hermitian, trace 1, positive; tolerance 1e-8)")
    return arr
