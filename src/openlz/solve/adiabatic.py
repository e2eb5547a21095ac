"""Adiabatic (instantaneous-eigenbasis) Markovian master equation for any H(t).

Paper 000, Eqs. (8)–(14), following Albash, Boixo, Lidar & Zanardi, NJP 14, 123016
(2012) (ref. [34] of paper 000).  With H(t) = sum_a E_a(t) |a(t)><a(t)| and system–bath
couplings sum_k A_k (x) B_k to independent baths (spectral densities J_k, temperatures T_k):

    L_t rho = -i [H(t) + H_LS(t), rho]
              + sum_k sum_w gamma_k(w) ( A_k(w) rho A_k(w)^dag - 1/2 {A_k(w)^dag A_k(w), rho} )   (8)
    A_k(w)  = sum_{E_b - E_a = w} Pi_a A_k Pi_b                                               (9)
    H_LS    = sum_k sum_w S_k(w) A_k(w)^dag A_k(w)                                            (14)

with gamma(w) = 2 pi J(w)(1 + n(w)) (Eq. (11)) and S(w) its Lamb-shift partner
(appendix A); both come from :class:`openlz.core.baths.Bath`.  The paper writes lambda² in
front of H_LS and D; here the bath's coupling constant eta carries it (J -> lambda² J), so
the generator is exactly the library's Lindblad form.

Degenerate gaps: the secular sum runs over *distinct* Bohr frequencies.  Writing
A(w) = sum_(ab) a_ab |a><b| over the pairs p = (a, b) with w_p = w, the dissipator is a
Kossakowski sum over pairs (p, q) with |w_p - w_q| <= ``tol`` x (spectral width),
M_pq = gamma a_p a_q^*.  Equal Bohr frequencies from different level pairs and degenerate
levels (whose eigenvectors are arbitrary) are handled without any clustering step, and the
generator does not depend on the eigenvectors chosen inside a degenerate eigenspace (the
projectors of Eq. (9) do not).  A degeneracy at the initial time is therefore no special case.

The right-hand side applies L_t to the state without building the n² x n² superoperator:
rho is rotated into the eigenbasis, acted on there (O(n⁴) per state) and rotated back.

Shapes: H (*B, n, n); couplings (*B, n, n) or (n, n); states (*B, n m, n m) for L_t (x) id_m;
:meth:`AdiabaticMasterEquation.generator` returns (*B, n², n²) acting on the row-major vec of
the library (:mod:`openlz.core.liouvillian`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..core.baths import Bath
from ..errors import ParameterError
from .adiabatic_validity import ValidityReport, validity_timescales
from .ode import ODEOptions, ODEStats, solve_ode

__all__ = ["adiabatic_generator", "AdiabaticMasterEquation", "ValidityReport", "evolve_local",
           "validity_timescales"]

RateFn = Callable[[np.ndarray], np.ndarray]
Term = tuple[Any, RateFn, "RateFn | None"]        # (coupling, gamma, S or None)


def _batch_kron(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    out = a[..., :, None, :, None] * b[..., None, :, None, :]
    s = out.shape
    return out.reshape(*s[:-4], s[-4] * s[-3], s[-2] * s[-1])


def _dag(x: np.ndarray) -> np.ndarray:
    return np.conj(np.swapaxes(x, -1, -2))


def _pair_weights(coef: np.ndarray, a: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """W[b,i,j,k,l] = mask * (c_ij + c_kl)/2 * a_ij * conj(a_kl)."""
    c = 0.5 * (coef[..., :, :, None, None] + coef[..., None, None, :, :])
    return mask * c * a[..., :, :, None, None] * np.conj(a)[..., None, None, :, :]


def _parts(H: np.ndarray, terms: Sequence[Term], tol: float
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Eigenbasis pieces of L_t for Hamiltonians H (..., n, n).

    Returns V (eigenvectors), Hd (H + H_LS in the eigenbasis), G = sum_pq M_pq L_q^dag L_p
    and s1 = the jump part as an (n², n²) matrix on the row-major vec in the eigenbasis,
    s1[(ik),(jl)] = M[i,j,k,l] (D rho = -1/2 {G, rho} + sum M_ijkl rho_jl |i><k|).
    """
    E, V = np.linalg.eigh(H)
    Vd = _dag(V)
    w = E[..., None, :] - E[..., :, None]                            # w[a, b] = E_b - E_a
    n = E.shape[-1]
    width = (E[..., -1] - E[..., 0])[..., None, None, None, None]
    mask = np.abs(w[..., :, :, None, None] - w[..., None, None, :, :]) <= tol * width
    M = 0.0
    Hd = np.zeros(H.shape, dtype=complex)
    Hd[..., np.arange(n), np.arange(n)] = E
    for A, gamma, S in terms:
        a = Vd @ np.asarray(A, dtype=complex) @ V                  # coupling in the eigenbasis
        M = M + _pair_weights(gamma(w), a, mask)
        if S is not None:
            Hd = Hd + np.einsum("...ijil->...lj", _pair_weights(S(w), a, mask))
    M = np.broadcast_to(M, H.shape[:-2] + (n,) * 4)
    G = np.einsum("...ijil->...lj", M)
    s1 = np.swapaxes(M, -3, -2).reshape(*H.shape[:-2], n * n, n * n)  # [i,k,j,l] -> (ik),(jl)
    return V, Hd, G, s1


def _superoperator(V: np.ndarray, Hd: np.ndarray, G: np.ndarray, s1: np.ndarray) -> np.ndarray:
    """The generator in the lab basis, (..., n², n²), from the pieces of :func:`_parts`."""
    n = V.shape[-1]
    eye = np.broadcast_to(np.eye(n), V.shape)
    Heff = -1j * Hd - 0.5 * G
    L = _batch_kron(Heff, eye) + _batch_kron(eye, np.conj(Heff)) + s1
    # rho_lab = V rho_eig V^dag  <=>  vec(rho_lab) = (V kron V*) vec(rho_eig)
    U = _batch_kron(V, np.conj(V))
    return U @ L @ _dag(U)


def _apply(V: np.ndarray, Hd: np.ndarray, G: np.ndarray, s1: np.ndarray, Z: np.ndarray
           ) -> np.ndarray:
    """L_t applied to blocks Z (B, X, n, n) of lab-frame operators (X = m² for L_t (x) id_m)."""
    n = V.shape[-1]
    Vb, Vdb = V[:, None], _dag(V)[:, None]
    Ze = Vdb @ Z @ Vb
    Heff = (-1j * Hd - 0.5 * G)[:, None]
    jump = (Ze.reshape(*Ze.shape[:2], n * n) @ np.swapaxes(s1, -1, -2)).reshape(Ze.shape)
    dZe = Heff @ Ze + Ze @ _dag(Heff) + jump
    return Vb @ dZe @ Vdb


def adiabatic_generator(H: np.ndarray, A: np.ndarray, gamma: RateFn, lamb_shift: RateFn | None,
                        tol: float = 1e-9) -> np.ndarray:
    """Generator L_t of paper 000, Eq. (8), in the lab basis, for one coupling and bath.

    Parameters
    ----------
    H : (*B, n, n) Hermitian Hamiltonians at one time.
    A : (*B, n, n) or (n, n) Hermitian coupling operator.
    gamma, lamb_shift : ``f(w (*B, n, n)) -> (*B, n, n)`` rates and Lamb shifts (bath
        parameters broadcast on the leading axes); ``lamb_shift=None`` drops H_LS.
    tol : two Bohr frequencies closer than ``tol`` x (E_max - E_min) are one frequency.

    Returns
    -------
    (*B, n², n²) complex.
    """
    return _superoperator(*_parts(np.asarray(H), [(A, gamma, lamb_shift)], tol))


def _to_blocks(rho: np.ndarray, n: int, m: int) -> np.ndarray:
    """(B, n m, n m) -> (B, m², n, n): Z[b, (r r'), s, s'] = rho[b, (s r), (s' r')]."""
    B = rho.shape[0]
    return rho.reshape(B, n, m, n, m).transpose(0, 2, 4, 1, 3).reshape(B, m * m, n, n)


def _from_blocks(Z: np.ndarray, n: int, m: int) -> np.ndarray:
    """Inverse of :func:`_to_blocks` for Z (..., m², n, n) -> (..., n m, n m)."""
    lead = Z.shape[:-3]
    k = len(lead)
    X = Z.reshape(*lead, m, m, n, n)
    perm = tuple(range(k)) + (k + 2, k, k + 3, k + 1)
    return X.transpose(perm).reshape(*lead, n * m, n * m)


def evolve_local(generator: Callable[[float], np.ndarray], rho0: np.ndarray, times: np.ndarray,
                 dims: tuple[int, int], options: ODEOptions | None = None
                 ) -> tuple[np.ndarray, ODEStats]:
    """Evolve a bipartite state under L_t (x) id (paper 000, Eq. (35)) from a superoperator.

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


def _flat_coupling(A: Any, B: tuple[int, ...], n: int) -> Any:
    """A constant coupling (n, n) / (*B, n, n) as (1 or prod(B), n, n); a callable wrapped."""
    Bf = int(np.prod(B))
    if callable(A):
        return lambda t: np.broadcast_to(np.asarray(A(t), complex), (*B, n, n)).reshape(Bf, n, n)
    a = np.asarray(A, dtype=complex)
    if a.ndim == 2:
        return a[None]
    return np.broadcast_to(a, (*B, n, n)).reshape(Bf, n, n)


class AdiabaticMasterEquation:
    """The master equation of paper 000, Eq. (8), for H(t) and couplings to independent baths.

    Parameters
    ----------
    H : ``t -> (*B, n, n)`` (or (n, n)) Hermitian Hamiltonian.
    a_ops : a list of ``(A, bath)`` pairs — coupling operator (constant (n, n) or (*B, n, n),
        or ``t -> ...``) and :class:`openlz.core.baths.Bath` — or, with ``bath`` given, one
        coupling operator.  Each bath's eta multiplies its dissipator and Lamb shift (the
        lambda² of Eq. (8)); bath batch parameters broadcast with B.
    bath : the bath of a single coupling ``a_ops``.
    lamb_shift : include H_LS (Eq. (14)).  S is the bath's T = 0 closed form when it has one
        and T = 0, otherwise a table (:meth:`Bath.lamb_shift_table`) built once per bath by
        :meth:`prepare` over the Bohr frequencies of the run (or ``omega_hint``).
    tol : relative tolerance for equal Bohr frequencies (of the spectral width).

    Use :meth:`prepare` to fix the batch shape and the Lamb-shift frequency range, then
    :meth:`evolve` (which prepares only if that was not done); :meth:`validity` gives the
    time scales of Eqs. (15)–(18).
    """

    def __init__(self, H: Callable[[float], np.ndarray], a_ops: Any, bath: Bath | None = None,
                 lamb_shift: bool = True, tol: float = 1e-9):
        if bath is not None:
            a_ops = [(a_ops, bath)]
        pairs = list(a_ops)
        for i, pair in enumerate(pairs):
            if not (isinstance(pair, (tuple, list)) and len(pair) == 2
                    and isinstance(pair[1], Bath)):
                raise ParameterError(f"a_ops[{i}]", type(pair).__name__, "must be a pair "
                                     "(coupling operator, openlz.Bath)", "amesolve")
        if not pairs:
            raise ParameterError("a_ops", pairs, "needs at least one (operator, bath) pair")
        self.H, self.a_ops, self.tol = H, pairs, float(tol)
        self.use_lamb_shift = bool(lamb_shift)
        self.batch_shape: tuple[int, ...] | None = None
        self.tables: list[Any] = []
        self._terms: list[tuple[Any, Bath, Any]] | None = None
        self._prepared = False
        self.last_validity: ValidityReport | None = None

    # -- set-up ------------------------------------------------------------------------
    def _setup(self, t0: float, batch_shape: tuple[int, ...] = ()) -> None:
        """Batch shape and flat views of H, couplings and baths (cheap; no tables)."""
        H0 = np.asarray(self.H(t0))
        if H0.ndim < 2 or H0.shape[-1] != H0.shape[-2]:
            raise ParameterError("H", H0.shape, "H(t) must return a square (n, n) or batched "
                                 "(..., n, n) array")
        n = H0.shape[-1]
        shapes = [H0.shape[:-2], tuple(batch_shape)]
        for i, (A, bath) in enumerate(self.a_ops):
            a = np.asarray(A(t0) if callable(A) else A)
            if a.shape[-2:] != (n, n):
                raise ParameterError(f"a_ops[{i}]", a.shape, f"coupling operator must be "
                                     f"({n}, {n}) like H (or batched (..., {n}, {n}))")
            shapes += [a.shape[:-2], bath.batch_shape]
        try:
            B = np.broadcast_shapes(*shapes)
        except ValueError:
            raise ParameterError("batch shapes", shapes, "H, the couplings, the baths and "
                                 "rho0 must have broadcastable batch shapes") from None
        self.batch_shape, self.n = B, n
        Bf = int(np.prod(B))
        H, full = self.H, (*B, n, n)

        def Hf(t: float) -> np.ndarray:
            h = np.asarray(H(t))
            return (h if h.shape == full else np.broadcast_to(h, full)).reshape(Bf, n, n)
        self._Hf = Hf
        self._terms = [(_flat_coupling(A, B, n), bath.broadcast_flat(B), None)
                       for A, bath in self.a_ops]

    def prepare(self, times: np.ndarray, batch_shape: tuple[int, ...] = (),
                omega_hint: np.ndarray | None = None, n_sample: int = 257) -> None:
        """Fix the batch shape (broadcast with ``batch_shape``, e.g. that of rho0) and build
        the Lamb-shift tables.

        The table range is lo <= |w| <= hi with hi = 1.25 x the largest Bohr frequency met on
        ``n_sample`` points of the run (plus ``times``) and lo = 1e-6 hi, or the range of
        ``omega_hint`` (any array of frequencies, like HOQST's ``ω_hint``).  Frequencies
        outside it are still answered (bridge to S(0) below; above, the table extends itself).
        """
        times = np.asarray(times, dtype=float)
        self._setup(float(times[0]), batch_shape)
        self.tables = []
        terms = []
        for A, bath, _ in self._terms:
            S = None
            if self.use_lamb_shift:
                if bath.lamb_shift_t0 is not None and np.all(np.asarray(bath.T) == 0):
                    S = bath.lamb_shift_t0
                else:
                    lo, hi = self._omega_range(times, omega_hint, n_sample)
                    S = bath.lamb_shift_table(lo, hi)
                    self.tables.append(S)
            terms.append((A, bath, S))
        self._terms = terms
        self._prepared = True

    def _omega_range(self, times: np.ndarray, hint: np.ndarray | None, n_sample: int
                     ) -> tuple[float, float]:
        if hint is not None:
            a = np.abs(np.asarray(hint, dtype=float)).ravel()
            a = a[np.isfinite(a) & (a > 0)]
            if a.size == 0:
                raise ParameterError("omega_hint", hint, "needs at least one finite frequency "
                                     "!= 0")
            hi = float(a.max())
            lo = float(a.min()) if a.min() < hi else 1e-6 * hi
            return lo, hi
        if not hasattr(self, "_range_cache") or self._range_cache[0] is not times:
            ts = np.union1d(np.linspace(times.min(), times.max(), n_sample), times)
            E = np.linalg.eigvalsh(np.stack([self._Hf(float(t)) for t in ts]))
            hi = 1.25 * float(np.max(E[..., -1] - E[..., 0]))
            hi = hi if hi > 0 else 1.0
            self._range_cache = (times, (1e-6 * hi, hi))
        return self._range_cache[1]

    # -- the generator -----------------------------------------------------------------
    def _pieces(self, t: float) -> tuple[np.ndarray, ...]:
        terms = [(A(t) if callable(A) else A, bath.gamma, S) for A, bath, S in self._terms]
        return _parts(self._Hf(t), terms, self.tol)

    def _check_prepared(self) -> None:
        if not self._prepared:
            raise RuntimeError("call prepare(times) before generator(t)")

    def generator(self, t: float) -> np.ndarray:
        """L_t, shape (*B, n², n²) (call :meth:`prepare` first)."""
        self._check_prepared()
        L = _superoperator(*self._pieces(t))
        return L.reshape(*self.batch_shape, *L.shape[-2:])

    def rhs(self, t: float, Z: np.ndarray) -> np.ndarray:
        """L_t applied to blocks Z (prod(B), X, n, n) (see :meth:`evolve`)."""
        return _apply(*self._pieces(t), Z)

    def evolve(self, rho0: np.ndarray, times: np.ndarray, options: ODEOptions | None = None,
               ref_dim: int = 1, validity_factor: float | None = 10.0,
               validity_points: int = 201) -> tuple[np.ndarray, ODEStats]:
        """Evolve states (*B, n m, n m) under L_t (x) id_m (m = ``ref_dim``; 1: the system).

        Prepares (:meth:`prepare`) only if that has not been done; a prepared batch shape
        must accept rho0's.  Returns (*B, T, n m, n m) and the integrator's counters.

        Unless ``validity_factor`` is None, Eq. (15) is then checked (:meth:`validity` on
        ``validity_points`` points of the run plus ``times``, "<<" read as ``validity_factor``
        times): the report is kept as ``self.last_validity`` and a
        :class:`~openlz.errors.ValidityWarning` names each failed inequality.
        """
        times = np.asarray(times, dtype=float)
        rho0 = np.asarray(rho0, dtype=complex)
        if not self._prepared:
            self.prepare(times, rho0.shape[:-2])
        B = self.batch_shape
        if np.broadcast_shapes(B, rho0.shape[:-2]) != B:
            raise ParameterError("rho0", rho0.shape, f"batch shape must broadcast to the "
                                 f"prepared batch shape {B} (prepare(times, batch_shape=...))")
        n, m = self.n, int(ref_dim)
        if rho0.shape[-1] != n * m:
            raise ParameterError("rho0", rho0.shape, f"must be ({n * m}, {n * m}) for a "
                                 f"{n}-level system and ref_dim = {m}")
        Bf = int(np.prod(B))
        r0 = np.broadcast_to(rho0, (*B, n * m, n * m)).reshape(Bf, n * m, n * m)
        Z0 = _to_blocks(r0, n, m)

        def f(t: float, y: np.ndarray) -> np.ndarray:
            return self.rhs(t, y.reshape(Z0.shape)).reshape(Bf, -1)

        ys, stats = solve_ode(f, Z0.reshape(Bf, -1), times, options)
        Z = np.moveaxis(ys, 0, 1).reshape(Bf, times.size, m * m, n, n)
        rho = _from_blocks(Z, n, m)
        if validity_factor is not None:
            grid = np.union1d(np.linspace(times.min(), times.max(), int(validity_points)), times)
            self.last_validity = self.validity(grid, float(validity_factor))
            self.last_validity.warn(prefix="AdiabaticMasterEquation.evolve: ", stacklevel=3)
        return rho.reshape(*B, times.size, n * m, n * m), stats

    def validity(self, times: np.ndarray, factor: float = 10.0) -> ValidityReport:
        """Timescales of Eqs. (15)–(18) on ``times`` (see :func:`validity_timescales`), with
        arrays of shape (*B, T)."""
        times = np.asarray(times, dtype=float)
        if self._terms is None:
            self._setup(float(times[0]))
        rep = validity_timescales(self._Hf, [bath.gamma for _, bath, _ in self._terms], times,
                                  factor, degenerate=self.tol)
        B = self.batch_shape
        return ValidityReport(times, *(x.reshape(*B, times.size) for x in
                                       (rep.tau_S, rep.tau_R, rep.tau_A)), factor)
