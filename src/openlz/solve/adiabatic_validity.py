"""Validity time scales of the adiabatic master equation (paper 000, Eqs. (15)–(18)).

For H(t) = sum_a E_a(t) |a(t)><a(t)|, generalising the Landau–Zener forms of Eqs. (16)–(18):

* tau_S = 1 / min |E_a - E_b| over non-degenerate pairs (beat time; Eq. (16): 1/(2 Omega)),
* tau_R = 1 / max gamma_k(w) over the positive Bohr frequencies w and the baths k (Eq. (17):
  1/(2 pi J(w1)(n(w1) + 1)); here with the coupling constant, the eta = lambda² of the bath,
  included, and without the matrix elements of the coupling operators, i.e. for couplings of
  norm <~ 1),
* tau_A = min over pairs of min(gap / |<a|dH/dt|b>|, gap / |d gap/dt|) (time scale of the
  eigenbasis and of the gaps; for Landau–Zener the first is 2 Omega²/(v Delta), the first
  branch of Eq. (18), the second Omega²/(v² t), its second branch).

The master equation needs tau_S << tau_R and tau_S << tau_A (Eq. (15)); "<<" is read as
"at least ``factor`` times" (default 10).  Pairs whose gap is below ``degenerate`` times the
spectral width are degenerate levels and do not enter tau_S, tau_A (a persistent degeneracy
is harmless; a gap closing towards it shows up as tau_S -> inf on its way).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ..errors import ValidityWarning

__all__ = ["ValidityReport", "validity_timescales"]

RateFn = Callable[[np.ndarray], np.ndarray]


@dataclass
class ValidityReport:
    """Timescales of paper 000, Eqs. (15)–(18), on a time grid, and whether they hold.

    times : (T,); tau_S, tau_R, tau_A : (*B, T) arrays (B the batch shape, () unbatched);
    ``factor``: "<<" is read as ">= factor times".
    """

    times: np.ndarray
    tau_S: np.ndarray
    tau_R: np.ndarray
    tau_A: np.ndarray
    factor: float

    def _ratio(self, tau: np.ndarray) -> np.ndarray:
        # no non-degenerate gap (tau_S = inf): no Bohr frequency to be secular about -> 0
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            r = np.where(np.isfinite(self.tau_S), tau / self.tau_S, 0.0)
        return np.where(np.isnan(r), 0.0, r)

    @property
    def ratio_R(self) -> np.ndarray:
        """min over time of tau_R/tau_S, shape (*B,)."""
        return np.min(self._ratio(self.tau_R), axis=-1)

    @property
    def ratio_A(self) -> np.ndarray:
        """min over time of tau_A/tau_S, shape (*B,)."""
        return np.min(self._ratio(self.tau_A), axis=-1)

    @property
    def holds(self) -> np.ndarray:
        """(*B,) True where both inequalities of Eq. (15) hold over the whole run."""
        return (self.ratio_R >= self.factor) & (self.ratio_A >= self.factor)

    def _where(self, ratio: np.ndarray) -> str:
        flat = ratio.reshape(-1, ratio.shape[-1]) if ratio.ndim > 1 else ratio[None]
        b, i = np.unravel_index(np.argmin(flat), flat.shape)
        return f" at t = {float(self.times[i]):.4g}"

    def violations(self) -> list[str]:
        """One sentence per failed inequality of Eq. (15), with the worst ratio and its time."""
        out = []
        rR, rA = self._ratio(self.tau_R), self._ratio(self.tau_A)
        if np.any(self.ratio_R < self.factor):
            out.append(f"tau_S << tau_R (paper 000, Eq. (15)) fails: min tau_R/tau_S = "
                       f"{float(np.min(self.ratio_R)):.3g} < {self.factor:g}{self._where(rR)}")
        if np.any(self.ratio_A < self.factor):
            out.append(f"tau_S << tau_A (paper 000, Eq. (15)) fails: min tau_A/tau_S = "
                       f"{float(np.min(self.ratio_A)):.3g} < {self.factor:g}{self._where(rA)}")
        return out

    def warn(self, prefix: str = "", stacklevel: int = 3) -> None:
        """Emit one :class:`ValidityWarning` per failed inequality."""
        for msg in self.violations():
            warnings.warn(prefix + msg, ValidityWarning, stacklevel=stacklevel)

    def as_dict(self) -> dict:
        return {"factor": self.factor, "min_tauR_over_tauS": np.asarray(self.ratio_R).tolist(),
                "min_tauA_over_tauS": np.asarray(self.ratio_A).tolist(),
                "holds": np.asarray(self.holds).tolist(), "violations": self.violations()}


def _stack(H: Callable[[float], np.ndarray], ts: np.ndarray) -> np.ndarray:
    """H at every t, (*B, T, n, n)."""
    return np.stack([np.asarray(H(float(t))) for t in ts], axis=-3)


def validity_timescales(H: Callable[[float], np.ndarray],
                        gamma: RateFn | Sequence[RateFn], times: np.ndarray,
                        factor: float = 10.0, dt: float | None = None,
                        degenerate: float = 1e-9) -> ValidityReport:
    """tau_S, tau_R, tau_A of paper 000, Eqs. (16)–(18), generalised to any H(t).

    Parameters
    ----------
    H : ``t -> (*B, n, n)`` (or (n, n)).
    gamma : rate function ``w (*B, ...) -> (*B, ...)`` of one bath, or a sequence (one per
        bath; tau_R uses the largest rate over baths).
    times : (T,) grid on which to check.
    factor : how many times larger "<<" requires.
    dt : step of the central difference for dH/dt (default 1e-6 x the span, at least 1e-6).
    degenerate : gaps below this times the spectral width count as degenerate levels.
    """
    gammas = [gamma] if callable(gamma) else list(gamma)
    times = np.asarray(times, dtype=float)
    span = float(np.ptp(times)) if times.size > 1 else 1.0
    h = dt if dt is not None else 1e-6 * max(span, 1.0)
    Hs = _stack(H, times)
    Hp, Hm = _stack(H, times + h), _stack(H, times - h)
    E, V = np.linalg.eigh(Hs)
    Ep, Em = np.linalg.eigvalsh(Hp), np.linalg.eigvalsh(Hm)
    dHe = np.abs(np.conj(np.swapaxes(V, -1, -2)) @ ((Hp - Hm) / (2 * h)) @ V)
    w = E[..., None, :] - E[..., :, None]
    wdot = ((Ep[..., None, :] - Ep[..., :, None]) - (Em[..., None, :] - Em[..., :, None])) / (2 * h)
    n = E.shape[-1]
    width = (E[..., -1] - E[..., 0])[..., None, None]
    tiny = 1e-300 + 1e-14 * np.abs(E).max(axis=-1)[..., None, None]
    gap_ok = ~np.eye(n, dtype=bool) & (np.abs(w) > degenerate * width + tiny)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        tau_S = 1.0 / np.min(np.where(gap_ok, np.abs(w), np.inf), axis=(-2, -1))
        wpos = np.where(gap_ok & (w > 0), w, 1.0)
        # rates are evaluated with the batch axes of H leading (bath parameters broadcast there)
        g = np.max(np.stack([np.asarray(gm(wpos)) * np.ones(wpos.shape) for gm in gammas]),
                   axis=0)
        tau_R = 1.0 / np.max(np.where(gap_ok & (w > 0), g, 0.0), axis=(-2, -1))
        t_vec = np.abs(w) / dHe
        t_gap = np.abs(w) / np.abs(wdot)
        tau_A = np.min(np.where(gap_ok, np.minimum(t_vec, t_gap), np.inf), axis=(-2, -1))
    return ValidityReport(times, tau_S, tau_R, tau_A, factor)
