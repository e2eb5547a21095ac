"""Physicality checks of density matrices: trace, hermiticity, positivity."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from ..errors import PhysicalityWarning

__all__ = ["StateCheck", "check_states"]


@dataclass(frozen=True)
class StateCheck:
    """Worst deviations over a batch of states and whether they are within ``atol``."""

    trace_error: float
    hermiticity_error: float
    min_eigenvalue: float
    atol: float

    @property
    def ok(self) -> bool:
        return (self.trace_error <= self.atol and self.hermiticity_error <= self.atol
                and self.min_eigenvalue >= -self.atol)

    def as_dict(self) -> dict[str, float | bool]:
        return {"trace_error": self.trace_error, "hermiticity_error": self.hermiticity_error,
                "min_eigenvalue": self.min_eigenvalue, "atol": self.atol, "ok": self.ok}

    def describe(self) -> str:
        return (f"trace error {self.trace_error:.2e}, hermiticity error {self.hermiticity_error:.2e}, "
                f"min eigenvalue {self.min_eigenvalue:.2e} (tolerance {self.atol:.1e})")


def check_states(rho: np.ndarray, atol: float = 1e-6, warn: bool = True,
                 normalized: bool = True) -> StateCheck:
    """Check states (..., n, n): |tr - 1|, max |rho - rho^dag|, smallest eigenvalue.

    With ``warn`` a :class:`PhysicalityWarning` is emitted when a check fails.
    ``normalized=False`` skips the trace check (unnormalised conditional states).
    """
    rho = np.asarray(rho)
    if rho.size == 0:
        return StateCheck(0.0, 0.0, 0.0, atol)
    tr = np.einsum("...ii->...", rho)
    terr = float(np.max(np.abs(tr - 1))) if normalized else 0.0
    herm = float(np.max(np.abs(rho - np.conj(np.swapaxes(rho, -1, -2)))))
    hpart = 0.5 * (rho + np.conj(np.swapaxes(rho, -1, -2)))
    mine = float(np.min(np.linalg.eigvalsh(hpart)))
    res = StateCheck(terr, herm, mine, atol)
    if warn and not res.ok:
        warnings.warn("state failed physicality check: " + res.describe(), PhysicalityWarning,
                      stacklevel=2)
    return res
