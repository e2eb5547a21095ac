"""Batched Lindblad evolution: exact for constant generators, adaptive RK otherwise.

Shapes: a generator ``L`` is ``(..., n², n²)`` acting on row-major ``vec(rho)``
(see :mod:`openlz.core.liouvillian`); states are ``(..., n, n)``; results carry
the time axis just before the matrix axes, ``(..., T, n, n)``.

For time-dependent generators of the form L(t) = L_0 + sum_k c_k(t) L_k (sweeps,
drives) pass a :class:`LinearGenerator` to :func:`evolve_td`: the terms are applied to
the state without assembling L(t), and when every term preserves hermiticity the
integration runs on the real coordinates tr(E_a rho) of an orthonormal Hermitian basis
(:func:`hermitian_basis`), a quarter of the arithmetic of the complex vec(rho).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import scipy.linalg as sla

from ..core.liouvillian import hamiltonian_superop, liouvillian, unvec, vec
from ..core.threads import single_threaded
from .ode import ODEOptions, ODEStats, solve_ode

__all__ = ["evolve_constant", "evolve_td", "lindblad_evolve", "propagators", "LinearGenerator",
           "hermitian_basis"]


def _check_times(times: np.ndarray) -> np.ndarray:
    times = np.asarray(times, dtype=float).reshape(-1)
    if times.size == 0:
        raise ValueError("times: must contain at least one time")
    if not np.all(np.isfinite(times)):
        raise ValueError("times: must be finite")
    if times.size > 1 and not (np.all(np.diff(times) >= 0) or np.all(np.diff(times) <= 0)):
        raise ValueError("times: must be monotonic")
    return times


def propagators(generator: np.ndarray, dts: np.ndarray) -> np.ndarray:
    """exp(L dt) for each dt: (..., N, N), (K,) -> (K, ..., N, N)."""
    gen = np.asarray(generator)
    return np.stack([sla.expm(gen * dt) for dt in np.asarray(dts, dtype=float)])


# eigendecomposition route of evolve_constant: a point whose eigenvector matrix V has
# ||V||_F ||V^-1||_F / n above this is stepped with expm instead (near exceptional points
# the eigenvector basis degenerates and V e^{Lambda t} V^-1 loses ~log10(kappa) digits;
# tests/test_lindblad_eig.py checks both routes against scipy's expm near an EP)
EIG_COND_MAX = 1e4


def evolve_constant(generator: np.ndarray, rho0: np.ndarray, times: np.ndarray, *,
                    method: str = "auto") -> np.ndarray:
    """Exact evolution under a time-independent generator, rho(t_k) = exp(L (t_k - t_0)) rho0.

    ``method="eig"`` diagonalises each generator once, L = V diag(lambda) V^-1, and returns
    rho(t) = V e^{lambda (t - t_0)} V^-1 rho0 for every requested time in one batched product
    (no stepping, any time grid).  The generator is first split into its
    decoupled blocks (connected components of its sparsity pattern over the whole batch:
    coherence sectors of a symmetric Lindbladian), so each eigendecomposition is of a
    block.  Where V is ill-conditioned -- at and near exceptional points (critical
    damping), where a defective L has no eigenbasis -- that point is instead stepped with
    exp(L dt) (one ``expm`` per distinct step, as ``method="expm"`` does everywhere).
    ``method="auto"`` (default) uses ``"expm"`` on grids with one distinct step (one ``expm``
    per point, then T batched products: the cheaper route there) and ``"eig"`` otherwise.
    Both are exact to ~1e-12 against scipy's ``expm`` at every time.
    The switch is at cond_F(V) / n > :data:`EIG_COND_MAX`, which keeps both routes at the
    ~1e-12 agreement with scipy's ``expm`` tested in ``tests/test_lindblad_eig.py``.

    Parameters
    ----------
    generator : (..., n², n²)
    rho0 : (..., n, n), broadcast against the generator's batch axes.
    times : (T,), ``times[0]`` is the time of ``rho0``.
    method : ``"auto"``, ``"eig"`` (eigendecomposition, expm where ill-conditioned), ``"expm"``.

    Returns
    -------
    (..., T, n, n)
    """
    from ..core.threads import blas_threads, parallel_chunks, solver_threads
    from ._constant_eig import evolve_eig

    times = _check_times(times)
    if method not in ("auto", "eig", "expm"):
        from ..errors import ParameterError

        raise ParameterError("method", method, "must be 'auto', 'eig' or 'expm'")
    gen = np.asarray(generator, dtype=complex)
    rho0 = np.asarray(rho0, dtype=complex)
    batch = np.broadcast_shapes(gen.shape[:-2], rho0.shape[:-2])
    v = np.broadcast_to(vec(rho0), (*batch, gen.shape[-1]))
    if method == "auto":
        # a grid with one distinct step needs one expm per point and T cheap products: that
        # is faster than the eigendecomposition route in numpy (measured in
        # benchmarks/run_all.py); with several distinct steps one decomposition serves all
        method = "expm" if _n_distinct_steps(times) <= 1 else "eig"
    with blas_threads(solver_threads()):
        if method == "eig" and times.size > 1:
            return unvec(evolve_eig(gen, v, times, batch, EIG_COND_MAX, _evolve_expm))
        if gen.shape[:-2] == batch and len(batch) >= 1 and gen.shape[0] > 64:
            N = gen.shape[-1]
            gf, vf = gen.reshape(-1, N, N), v.reshape(-1, N)
            out = np.empty((gf.shape[0], times.size, N), dtype=complex)

            def work(sl: slice) -> None:
                out[sl] = _evolve_expm(gf[sl], vf[sl].copy(), times, (sl.stop - sl.start,))

            parallel_chunks(work, gf.shape[0], max(64, -(-gf.shape[0] // 4)))
            return unvec(out.reshape(*batch, times.size, N))
        return unvec(_evolve_expm(gen, v.copy(), times, batch))


def _n_distinct_steps(times: np.ndarray) -> int:
    dts = np.diff(times)
    if dts.size == 0:
        return 0
    scale = float(np.max(np.abs(dts))) or 1.0
    return int(np.unique(np.round(dts / scale, 12)).size)


def _evolve_expm(gen: np.ndarray, v: np.ndarray, times: np.ndarray,
                 batch: tuple[int, ...]) -> np.ndarray:
    """exp(L dt) stepping: gen (..., N, N), v (*batch, N) -> (*batch, T, N)."""
    dts = np.diff(times)
    # one expm per distinct step; steps equal to ~1e-12 relative share a propagator
    # (keys are relative so that tiny steps are not rounded to zero)
    dt_scale = float(np.max(np.abs(dts))) if dts.size else 1.0
    keys = np.round(dts / (dt_scale or 1.0), 12)
    _, first, inv = np.unique(keys, return_index=True, return_inverse=True)
    # propagators keep the generator's own batch shape; matmul broadcasts them over rho0's
    props = [sla.expm(gen * dts[j]) if dts[j] != 0 else None for j in first]
    out = np.empty((*batch, times.size, gen.shape[-1]), dtype=complex)
    out[..., 0, :] = v
    for i in range(dts.size):
        p = props[int(inv[i])]
        if p is not None:
            v = (p @ v[..., None])[..., 0]
        out[..., i + 1, :] = v
    return out


class LinearGenerator:
    """A time-dependent generator L(t) = L_0 + sum_k c_k(t) L_k with constant matrices.

    Calling the object returns L(t) (so it can be used wherever a generator callable is
    expected), but :func:`evolve_td` recognises it and applies the terms to the state
    without ever forming L(t): for a batch of two-qubit Liouvillians assembling L(t) costs
    several times more than the matrix-vector products themselves.  Terms given without a
    batch axis, (N, N), are applied to the whole batch with one matrix product (BLAS), so
    the fastest form puts per-point parameters into (B,)-valued coefficients, e.g.
    ``(L_drive, lambda t: W * np.cos(w * t))`` with W, w of shape (B,).

    Parameters
    ----------
    constant : L_0, (B, N, N) or (N, N).
    terms : pairs ``(L_k, c_k)``: L_k (B, N, N) or (N, N), and ``c_k(t)`` returning a
        scalar or an array of shape (B,) (one coefficient per batch point, e.g. cos(w_b t)).
    """

    def __init__(self, constant: np.ndarray,
                 terms: Sequence[tuple[np.ndarray, Callable[[float], np.ndarray | float]]] = ()):
        mats = [np.asarray(constant, dtype=complex)] + [np.asarray(m, dtype=complex) for m, _ in terms]
        shape = np.broadcast_shapes(*[m.shape for m in mats])
        if len(shape) not in (2, 3) or shape[-1] != shape[-2]:
            raise ValueError(f"LinearGenerator: matrices must be (N, N) or (B, N, N), got {shape}")
        self.coefficients = [f for _, f in terms]
        self.matrices = mats
        self.batched = len(shape) == 3
        self._packed: tuple | None = None
        self._real: tuple[np.ndarray, tuple] | bool | None = None

    def _coefs(self, t: float) -> np.ndarray:
        """(B or 1, K) coefficients at time t."""
        if len(self.coefficients) == 1:  # the common case, without stacking (~2x per stage)
            return np.asarray(self.coefficients[0](t)).reshape(-1, 1)
        cs = [np.asarray(f(t)).reshape(-1) for f in self.coefficients]
        n = max([c.size for c in cs], default=1)
        return np.stack([np.broadcast_to(c, (n,)) for c in cs], axis=-1)

    def __call__(self, t: float) -> np.ndarray:
        out = self.matrices[0]
        if self.coefficients:
            c = self._coefs(t)
            for k, m in enumerate(self.matrices[1:]):
                ck = c[:, k, None, None] if c.shape[0] > 1 else c[0, k]
                out = out + ck * m
        return np.array(out, copy=True)

    def apply(self, t: float, y: np.ndarray) -> np.ndarray:
        """L(t) y for states y (B, N) -> (B, N)."""
        if self._packed is None:
            self._packed = self._pack(self.matrices)
        return self._apply(self._packed, self._coefs(t) if self.coefficients else None, y)

    @staticmethod
    def _transposed(stack: np.ndarray) -> np.ndarray:
        """(..., K, N, N) -> contiguous (..., N, K N) with [..., j, k N + i] = L_k[i, j]:
        y (B, 1, N) @ this gives every L_k y in one row-vector product, which numpy runs
        ~2x faster than the stacked matrix-vector products for batches of 16 x 16."""
        st = np.swapaxes(stack, -1, -2)                       # (..., K, N(j), N(i))
        st = np.moveaxis(st, -3, -2)                          # (..., N(j), K, N(i))
        return np.ascontiguousarray(st.reshape(*st.shape[:-2], -1))

    @classmethod
    def _pack(cls, mats: Sequence[np.ndarray]) -> tuple:
        """Split into batched and shared matrices, each group in the layout of :meth:`_transposed`."""
        b_idx = [i for i, m in enumerate(mats) if m.ndim == 3]
        u_idx = [i for i, m in enumerate(mats) if m.ndim == 2]
        bt = cls._transposed(np.stack([mats[i] for i in b_idx], axis=-3)) if b_idx else None
        ut = cls._transposed(np.stack([mats[i] for i in u_idx], axis=-3)) if u_idx else None
        return bt, b_idx, ut, u_idx

    @staticmethod
    def _apply(packed: tuple, c: np.ndarray | None, y: np.ndarray) -> np.ndarray:
        bt, b_idx, ut, u_idx = packed
        n = y.shape[-1]
        out = None
        groups = []
        if bt is not None:
            groups.append(((y[:, None, :] @ bt)[:, 0, :], b_idx))  # per-point matrices
        if ut is not None:
            groups.append((y @ ut, u_idx))                          # shared: one BLAS product
        if len(groups) == 2 and b_idx == [0] and len(u_idx) == 1:
            # L_0 per point + one shared term (sweeps, drives): out = L_0 y + c(t) L_1 y
            out = groups[0][0]
            out += c[:, u_idx[0] - 1, None] * groups[1][0]  # type: ignore[index]
            return out
        for prods, idx in groups:
            for slot, i in enumerate(idx):
                term = prods[:, slot * n:(slot + 1) * n]
                if i > 0:  # matrix 0 is L_0 (coefficient 1); matrix i has c_{i-1}(t)
                    term = c[:, i - 1, None] * term  # type: ignore[index]
                out = term if out is None else out + term
        return out  # type: ignore[return-value]

    def real_form(self) -> tuple[np.ndarray, tuple] | None:
        """``(T, packed R)`` with R_k = T^dag L_k T real, or None if some L_k does not
        preserve hermiticity.

        T (N, N) has the vectorised orthonormal Hermitian basis of :func:`hermitian_basis` as
        columns, so x = T^dag vec(rho) is real for Hermitian rho and dx/dt = R x is a real
        ODE: a quarter of the floating-point work of the complex one.
        """
        if self._real is None:
            n = int(round(np.sqrt(self.matrices[0].shape[-1])))
            t = vec(hermitian_basis(n)).T  # (n², n²), column a = vec(E_a)
            rs = [np.conj(t.T) @ m @ t for m in self.matrices]
            ok = all(np.max(np.abs(r.imag), initial=0.0) <= 1e-12 * max(1.0, float(np.max(np.abs(r))))
                     for r in rs)
            self._real = (t, self._pack([np.ascontiguousarray(r.real) for r in rs])) if ok else False
        return self._real or None


def hermitian_basis(n: int) -> np.ndarray:
    """Orthonormal (tr E_a E_b = delta_ab) basis of Hermitian n x n matrices, shape (n², n, n).

    |k><k|, (|j><k| + |k><j|)/sqrt2 and i(|k><j| - |j><k|)/sqrt2 for j < k; the
    coefficients tr(E_a rho) of a Hermitian rho are real.
    """
    out = np.zeros((n * n, n, n), dtype=complex)
    a = 0
    for k in range(n):
        out[a, k, k] = 1.0
        a += 1
    r2 = 1 / np.sqrt(2)
    for j in range(n):
        for k in range(j + 1, n):
            out[a, j, k] = out[a, k, j] = r2
            out[a + 1, j, k], out[a + 1, k, j] = -1j * r2, 1j * r2
            a += 2
    return out


@single_threaded
def evolve_td(generator: Callable[[float], np.ndarray], rho0: np.ndarray, times: np.ndarray,
              options: ODEOptions | None = None) -> tuple[np.ndarray, ODEStats]:
    """Evolution under a time-dependent generator with batched adaptive Runge–Kutta.

    Parameters
    ----------
    generator : ``L(t) -> (B, n², n²)`` or ``(n², n²)`` (shared by the batch), or a
        :class:`LinearGenerator` (L_0 + sum_k c_k(t) L_k, applied without forming L(t)).
    rho0 : (B, n, n) or (n, n); more leading axes are flattened for the integration and
        restored in the result (the generator then sees their product as B).
    times : (T,) output times; ``times[0]`` is the time of ``rho0``.
    options : tolerances (:class:`ODEOptions`).

    Returns
    -------
    rho : (B, T, n, n) — or (T, n, n) if neither input had a batch axis.
    stats : step counters.
    """
    times = _check_times(times)
    rho0 = np.asarray(rho0, dtype=complex)
    unbatched = rho0.ndim == 2
    g0 = np.asarray(generator(float(times[0])))
    if unbatched and g0.ndim == 3:
        rho0 = np.broadcast_to(rho0, (g0.shape[0], *rho0.shape))
        unbatched = False
    lead = rho0.shape[:-2]
    y0 = vec(rho0.reshape(-1, *rho0.shape[-2:]))
    if isinstance(generator, LinearGenerator):
        ys = _evolve_linear_real(generator, rho0, y0, times, options)
        if ys is not None:
            ys, stats = ys
            rho = unvec(np.moveaxis(ys, 0, 1))
            return (rho[0], stats) if unbatched else (rho.reshape(*lead, *rho.shape[1:]), stats)

    def rhs(t: float, y: np.ndarray) -> np.ndarray:
        if isinstance(generator, LinearGenerator):
            return generator.apply(t, y)
        g = np.asarray(generator(t))
        if g.ndim == 2:
            return y @ g.T
        # batched matrix-vector product; matmul is ~3x faster than einsum here
        return (g @ y[:, :, None])[:, :, 0]

    ys, stats = solve_ode(rhs, y0, times, options)
    rho = unvec(np.moveaxis(ys, 0, 1))
    if unbatched:
        return rho[0], stats
    return rho.reshape(*lead, *rho.shape[1:]), stats


def _evolve_linear_real(gen: LinearGenerator, rho0: np.ndarray, y0: np.ndarray, times: np.ndarray,
                        options: ODEOptions | None) -> tuple[np.ndarray, ODEStats] | None:
    """Integrate in the real Hermitian-basis coordinates when that is exact: every L_k
    preserves hermiticity, rho0 is Hermitian and the coefficients are real.  Returns the
    vectorised states (T, B, n²) or None when the complex path must be used."""
    real = gen.real_form()
    if real is None or np.max(np.abs(rho0 - np.conj(np.swapaxes(rho0, -1, -2))), initial=0.0) > 1e-12:
        return None
    c0 = gen._coefs(float(times[0])) if gen.coefficients else None
    if c0 is not None and np.iscomplexobj(c0):
        return None
    t_mat, r_packed = real
    x0 = (y0 @ np.conj(t_mat)).real  # x = T^dag vec(rho), row-wise

    def rhs(t: float, x: np.ndarray) -> np.ndarray:
        c = gen._coefs(t) if gen.coefficients else None
        if c is not None and np.iscomplexobj(c):
            if np.any(c.imag != 0):
                raise ValueError("LinearGenerator: a coefficient c_k(t) became complex during the "
                                 "integration; return a complex dtype from t0 on for complex drives")
            c = c.real
        return LinearGenerator._apply(r_packed, c, x)

    xs, stats = solve_ode(rhs, x0, times, options)
    return xs @ t_mat.T, stats


def lindblad_evolve(h: np.ndarray | Callable[[float], np.ndarray],
                    c_ops: Sequence[np.ndarray] | np.ndarray | Callable[[float], np.ndarray],
                    rho0: np.ndarray, times: np.ndarray,
                    options: ODEOptions | None = None) -> np.ndarray:
    """Solve the Lindblad equation for H and jump operators, constant or callables of t.

    Constant ``h`` (..., n, n) and ``c_ops`` -> exact :func:`evolve_constant`;
    if either is a callable ``t -> array`` the adaptive :func:`evolve_td` is used.
    Returns (..., T, n, n).
    """
    if callable(h) or callable(c_ops):
        if not callable(c_ops):
            # only H depends on t: build the dissipator once, -i[H(t), .] per stage
            has_c = (c_ops.ndim >= 3 and c_ops.shape[-3] > 0) if isinstance(c_ops, np.ndarray) \
                else len(c_ops) > 0
            d_const = liouvillian(None, c_ops) if has_c else None

            def gen(t: float) -> np.ndarray:
                hs = hamiltonian_superop(np.asarray(h(t), dtype=complex))  # type: ignore[operator]
                return hs if d_const is None else hs + d_const
            return evolve_td(gen, rho0, times, options)[0]

        def gen(t: float) -> np.ndarray:
            hh = h(t) if callable(h) else h
            cc = c_ops(t) if callable(c_ops) else c_ops
            return liouvillian(hh, cc)
        return evolve_td(gen, rho0, times, options)[0]
    return evolve_constant(liouvillian(h, c_ops), rho0, times)
