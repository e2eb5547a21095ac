"""Adiabatic (instantaneous-eigenbasis) Markovian master equation for any H(t).

Paper 000, Eqs. (8)–(14), following Albash, Boixo, Lidar & Zanardi, NJP 14, 123016
(2012) (ref. [34] of paper 000).  With H(t) = sum_a E_a(t) |a(t)><a(t)| and the
system–bath coupling A (x) B (bath spectral density J, temperature T):

    L_t rho = -i [H(t) + H_LS(t), rho]
              + sum_w gamma(w) ( A(w) rho A(w)^dag - 1/2 {A(w)^dag A(w), rho} )     (8)
    A(w)    = sum_{E_b - E_a = w} Pi_a A Pi_b                                          (9)
    H_LS    = sum_w S(w) A(w)^dag A(w)                                                 (14)

with gamma(w) = 2 pi J(w)(1 + n(w)) (Eq. (11)) and S(w) its Lamb-shift partner
(appendix A); both come from :class:`openlz.core.baths.Bath`.  The paper writes
lambda² in front of H_LS and D; here the bath's coupling constant eta carries it
(J -> lambda² J), so the generator is exactly the library's Lindblad form.

Degenerate gaps: the secular sum runs over *distinct* Bohr frequencies.  Writing
A(w) = sum_(ab) a_ab |a><b| over the pairs p = (a, b) with w_p = w, the
dissipator is a Kossakowski sum over pairs (p, q) with w_p = w_q (within ``tol``),
M_pq = gamma a_p a_q^*; equal Bohr frequencies from different level pairs (and
degenerate levels, whose eigenvectors are arbitrary) are then handled without any
clustering step and the result does not depend on the eigenvector phases.

Validity (paper 000, Eqs. (15)–(18)): tau_S = 1/min gap (beat time), tau_R =
1/max rate, tau_A = min( gap / |<a|dH/dt|b>|, gap / |d gap/dt| ) (time scale of
the eigenbasis and of the gaps; for Landau–Zener this is the two branches of Eq. (18)).
The master equation needs tau_S << tau_R and tau_S << tau_A.

Shapes: H (B, n, n), A (B, n, n) or (n, n); generators (B, n², n²) acting on the
row-major vec of the library (:mod:`openlz.core.liouvillian`).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..core.baths import Bath
from ..errors import ValidityWarning
from .ode import ODEOptions, ODEStats, solve_ode

__all__ = ["adiabatic_generator", "AdiabaticMasterEquation", "ValidityReport", "evolve_local",
           "validity_timescales"]

RateFn = Callable[[np.ndarray], np.ndarray]


def _batch_kron(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    out = a[..., :, None, :, None] * b[..., None, :, None, :]
    s = out.shape
    return out.reshape(*s[:-4], s[-4] * s[-3], s[-2] * s[-1])


def _pair_weights(coef: np.ndarray, a: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """M[b,i,j,k,l] = mask * (c_ij + c_kl)/2 * a_ij * conj(a_kl)."""
    c = 0.5 * (coef[..., :, :, None, None] + coef[..., None, None, :, :])
    return mask * c * a[..., :, :, None, None] * np.conj(a)[..., None, None, :, :]


def adiabatic_generator(H: np.ndarray, A: np.ndarray, gamma: RateFn, lamb_shift: RateFn | None,
                        tol: float = 1e-9) -> np.ndarray:
    """Generator L_t of paper 000, Eq. (8), in the lab basis.

    Parameters
    ----------
    H : (B, n, n) Hermitian Hamiltonians at one time.
    A : (B, n, n) or (n, n) Hermitian coupling operators.
    gamma, lamb_shift : ``f(w (B, n, n)) -> (B, n, n)`` rates and Lamb shifts (bath
        parameters broadcast on the leading axis); ``lamb_shift=None`` drops H_LS.
    tol : two Bohr frequencies closer than ``tol * (1 + max |E|)`` are one frequency.

    Returns
    -------
    (B, n², n²) complex.
    """
    H = np.asarray(H)
    E, V = np.linalg.eigh(H)
    Vd = np.conj(np.swapaxes(V, -1, -2))
    a = Vd @ np.asarray(A, dtype=complex) @ V                       # A in the eigenbasis
    w = E[..., None, :] - E[..., :, None]                            # w[a, b] = E_b - E_a
    n = E.shape[-1]
    scale = 1.0 + np.max(np.abs(E), axis=-1)
    mask = np.abs(w[..., :, :, None, None] - w[..., None, None, :, :]) <= (
        tol * scale)[..., None, None, None, None]
    M = _pair_weights(gamma(w), a, mask)
    B = E.shape[:-1]
    # D rho = sum M_pq (L_p rho L_q^dag - 1/2 {L_q^dag L_p, rho}), L_p = |i><j|, L_q = |k><l|
    s1 = np.swapaxes(M, -3, -2).reshape(*B, n * n, n * n)            # [i,k,j,l] -> (ik),(jl)
    G = np.einsum("...ijil->...lj", M)
    Hd = np.zeros((*B, n, n), dtype=complex)
    Hd[..., np.arange(n), np.arange(n)] = E
    if lamb_shift is not None:
        Hd = Hd + np.einsum("...ijil->...lj", _pair_weights(lamb_shift(w), a, mask))
    eye = np.broadcast_to(np.eye(n), (*B, n, n))
    Heff = -1j * Hd - 0.5 * G
    L = (_batch_kron(Heff, eye) + _batch_kron(eye, np.conj(Heff))) + s1
    # rho_lab = V rho_eig V^dag  <=>  vec(rho_lab) = (V kron V*) vec(rho_eig)
    U = _batch_kron(V, np.conj(V))
    return U @ L @ np.conj(np.swapaxes(U, -1, -2))


def evolve_local(generator: Callable[[float], np.ndarray], rho0: np.ndarray, times: np.ndarray,
                 dims: tuple[int, int], options: ODEOptions | None = None
                 ) -> tuple[np.ndarray, ODEStats]:
    """Evolve a bipartite state under L_t (x) id (paper 000, Eq. (35)).

    The generator acts on the first factor only, so the state is integrated as the
    matrix X[(s s'), (r r')] and dX/dt = L_t X: n² x m² unknowns, no (nm)² generator.

    Parameters
    ----------
    generator : ``t -> (B, n², n²)`` (row-major vec) for the first factor.
    rho0 : (B, n m, n m) states of the pair.
    times : (T,), ``times[0]`` is the time of ``rho0``.
    dims : (n, m).

    Returns
    -------
    rho : (B, T, n m, n m);  stats.
    """
    n, m = dims
    rho0 = np.asarray(rho0, dtype=complex)
    Bn = rho0.shape[0]
    X0 = rho0.reshape(Bn, n, m, n, m).transpose(0, 1, 3, 2, 4).reshape(Bn, n * n * m * m)

    def rhs(t: float, y: np.ndarray) -> np.ndarray:
        L = generator(t)
        return np.matmul(L, y.reshape(Bn, n * n, m * m)).reshape(Bn, -1)

    ys, stats = solve_ode(rhs, X0, np.asarray(times, dtype=float), options)
    X = np.moveaxis(ys, 0, 1).reshape(Bn, -1, n, n, m, m).transpose(0, 1, 2, 4, 3, 5)
    return X.reshape(Bn, -1, n * m, n * m), stats


@dataclass
class ValidityReport:
    """Timescales of paper 000, Eqs. (15)–(18), on a time grid, and whether they hold.

    tau_S, tau_R, tau_A : (B, T) arrays; ``factor``: "<<" is read as ">= factor times".
    """

    times: np.ndarray
    tau_S: np.ndarray
    tau_R: np.ndarray
    tau_A: np.ndarray
    factor: float

    @property
    def ratio_R(self) -> np.ndarray:
        """min over time of tau_R/tau_S, shape (B,)."""
        return np.min(self.tau_R / self.tau_S, axis=-1)

    @property
    def ratio_A(self) -> np.ndarray:
        """min over time of tau_A/tau_S, shape (B,)."""
        return np.min(self.tau_A / self.tau_S, axis=-1)

    @property
    def holds(self) -> np.ndarray:
        """(B,) True where both inequalities of Eq. (15) hold over the whole run."""
        return (self.ratio_R >= self.factor) & (self.ratio_A >= self.factor)

    def violations(self) -> list[str]:
        out = []
        if np.any(self.ratio_R < self.factor):
            out.append(f"tau_S << tau_R (paper 000, Eq. (15)) fails: min tau_R/tau_S = "
                       f"{float(np.min(self.ratio_R)):.3g} < {self.factor:g}")
        if np.any(self.ratio_A < self.factor):
            out.append(f"tau_S << tau_A (paper 000, Eq. (15)) fails: min tau_A/tau_S = "
                       f"{float(np.min(self.ratio_A)):.3g} < {self.factor:g}")
        return out

    def warn(self) -> None:
        for msg in self.violations():
            warnings.warn(msg, ValidityWarning, stacklevel=3)

    def as_dict(self) -> dict:
        return {"factor": self.factor, "min_tauR_over_tauS": self.ratio_R.tolist(),
                "min_tauA_over_tauS": self.ratio_A.tolist(), "holds": self.holds.tolist(),
                "violations": self.violations()}


def validity_timescales(H: Callable[[float], np.ndarray], gamma: RateFn, times: np.ndarray,
                        factor: float = 10.0, dt: float | None = None) -> ValidityReport:
    """tau_S, tau_R, tau_A of paper 000, Eqs. (16)–(18), generalised to any H(t).

    H : ``t -> (B, n, n)``; gamma : rates (as for :func:`adiabatic_generator`);
    times : (T,) grid on which to check; dt : step of the central difference for dH/dt.
    tau_R = 1 / max over the positive Bohr frequencies of gamma (the emission rates).
    """
    times = np.asarray(times, dtype=float)
    span = float(np.ptp(times)) if times.size > 1 else 1.0
    h = dt if dt is not None else 1e-6 * max(span, 1.0)
    Hs = np.stack([np.asarray(H(float(t))) for t in times], axis=1)          # (B, T, n, n)
    dH = np.stack([(np.asarray(H(float(t) + h)) - np.asarray(H(float(t) - h))) / (2 * h)
                   for t in times], axis=1)
    E, V = np.linalg.eigh(Hs)
    Ep = np.linalg.eigvalsh(np.stack([np.asarray(H(float(t) + h)) for t in times], axis=1))
    Em = np.linalg.eigvalsh(np.stack([np.asarray(H(float(t) - h)) for t in times], axis=1))
    w = E[..., None, :] - E[..., :, None]
    wdot = ((Ep[..., None, :] - Ep[..., :, None]) - (Em[..., None, :] - Em[..., :, None])) / (2 * h)
    dHe = np.abs(np.conj(np.swapaxes(V, -1, -2)) @ dH @ V)
    n = E.shape[-1]
    off = ~np.eye(n, dtype=bool)
    gap_ok = off & (np.abs(w) > 1e-12 * (1 + np.abs(E).max(axis=-1))[..., None, None])
    big = np.inf
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        tau_S = 1.0 / np.min(np.where(gap_ok, np.abs(w), big), axis=(-2, -1))
        g = gamma(np.where(gap_ok & (w > 0), w, 1.0))
        tau_R = 1.0 / np.max(np.where(gap_ok & (w > 0), g, 0.0), axis=(-2, -1))
        t_vec = np.abs(w) / dHe
        t_gap = np.abs(w) / np.abs(wdot)
        tau_A = np.min(np.where(gap_ok, np.minimum(t_vec, t_gap), big), axis=(-2, -1))
    return ValidityReport(times, tau_S, tau_R, tau_A, factor)


class AdiabaticMasterEquation:
    """The master equation of paper 000, Eq. (8), for H(t), coupling A and a bath.

    Parameters
    ----------
    H : ``t -> (B, n, n)`` Hamiltonian (Hermitian).
    A : (B, n, n) or (n, n) coupling operator (constant), or ``t -> (B, n, n)``.
    bath : :class:`Bath` with batch parameters of shape (B,) or scalars; its eta
        multiplies the dissipator and H_LS (lambda² of Eq. (8)).
    lamb_shift : include H_LS (Eq. (14)).  S is evaluated from the bath's T = 0 closed
        form when it applies, otherwise from a Chebyshev table built on the range of
        Bohr frequencies met over the run (:meth:`Bath.lamb_shift_table`).
    tol : relative tolerance for equal Bohr frequencies.
    """

    def __init__(self, H: Callable[[float], np.ndarray],
                 A: np.ndarray | Callable[[float], np.ndarray], bath: Bath,
                 lamb_shift: bool = True, tol: float = 1e-9):
        self.H, self.A, self.bath, self.tol = H, A, bath, tol
        self.use_lamb_shift = bool(lamb_shift)
        self._S: RateFn | None = None

    def _coupling(self, t: float) -> np.ndarray:
        return np.asarray(self.A(t) if callable(self.A) else self.A)

    def prepare(self, times: np.ndarray, n_sample: int = 2001) -> None:
        """Set up S(w) for a run over ``times`` (tabulates it when no closed form applies)."""
        if not self.use_lamb_shift:
            self._S = None
            return
        T = np.asarray(self.bath.T)
        if self.bath.lamb_shift_t0 is not None and np.all(T == 0):
            self._S = self.bath.lamb_shift_t0
            return
        ts = np.linspace(float(np.min(times)), float(np.max(times)), n_sample)
        E = np.stack([np.linalg.eigvalsh(np.asarray(self.H(float(t)))) for t in ts], axis=-2)
        w = np.abs(E[..., None, :] - E[..., :, None]).reshape(*E.shape[:-1], -1)
        w = np.where(w > 1e-12 * (1 + np.abs(E).max(axis=-1, keepdims=True)), w, np.nan)
        axes = tuple(range(1, w.ndim))
        lo = np.nanmin(w, axis=axes) if w.ndim > 1 else np.nanmin(w)
        hi = np.nanmax(w, axis=axes) if w.ndim > 1 else np.nanmax(w)
        self._S = self.bath.lamb_shift_table(0.5 * lo, 2.0 * hi)

    def generator(self, t: float) -> np.ndarray:
        """L_t, shape (B, n², n²) (call :meth:`prepare` first when the Lamb shift is on)."""
        if self.use_lamb_shift and self._S is None:
            raise RuntimeError("call prepare(times) before generator(t)")
        return adiabatic_generator(np.asarray(self.H(t)), self._coupling(t), self.bath.gamma,
                                   self._S, self.tol)

    def evolve(self, rho0: np.ndarray, times: np.ndarray, options: ODEOptions | None = None,
               ref_dim: int = 1) -> tuple[np.ndarray, ODEStats]:
        """Evolve (B, n m, n m) states under L_t (x) id_m (m = ``ref_dim``; 1: the system alone).

        Returns (B, T, n m, n m) and the integrator's counters.
        """
        self.prepare(times)
        rho0 = np.asarray(rho0, dtype=complex)
        n = rho0.shape[-1] // ref_dim
        return evolve_local(self.generator, rho0, times, (n, ref_dim), options)

    def validity(self, times: np.ndarray, factor: float = 10.0) -> ValidityReport:
        """Timescales of Eqs. (15)–(18) on ``times`` (see :func:`validity_timescales`)."""
        return validity_timescales(self.H, self.bath.gamma, times, factor)
