"""Batched adaptive explicit Runge–Kutta integration with error control.

The state ``y`` has shape ``(B, M)`` (a batch of ``B`` independent systems of
``M`` complex unknowns).  One step size is shared by the whole batch: the local
error is measured per system (RMS of err / (atol + rtol |y|)) and the *largest*
of these decides acceptance and the next step.  This keeps every step a single
vectorised evaluation of ``f`` over the batch — no Python loop over parameter
points — at the price of letting the hardest system set the pace.

Tableaux are those of ``scipy.integrate.RK45`` (Dormand–Prince 5(4)) and
``scipy.integrate.DOP853`` (Hairer's 8(5,3)), read from the public classes so
that the coefficients are the well-tested ones.  Output times inside a step are
interpolated with the method's dense output (``ODEOptions.dense``, default): the steps are
those the error control chooses, not cut at every output time; ``dense=False`` clips the
steps to hit every output time exactly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.integrate as si

from ..core.budget import watchdog
from ..core.threads import single_threaded
from ..errors import SolverError

__all__ = ["ODEOptions", "ODEStats", "solve_ode"]

_METHODS = {"dopri5": si.RK45, "dop853": si.DOP853}
# DOP853's dense-output stages and interpolation coefficients (scipy's published tableau)
_DOP_A_EXTRA = si.DOP853.A_EXTRA
_DOP_C_EXTRA = si.DOP853.C_EXTRA
_DOP_D = si.DOP853.D


@dataclass(frozen=True)
class ODEOptions:
    """Tolerances and limits of the adaptive integrator.

    rtol, atol : relative and absolute local-error tolerances.
    method : ``"dop853"`` (8th order, default) or ``"dopri5"``.
    max_steps : hard limit on accepted + rejected steps (raises when exceeded).
    first_step : initial step; ``None`` picks one from the first derivative.
    max_step : largest allowed step (``inf`` = unlimited).
    dense : output times inside a step are interpolated with the method's dense output
        (DOP853: its 7th-order interpolant, 3 extra stages per step that holds output
        times; DOPRI5: the free 4th-order one) instead of cutting the steps at them.
        Only the last output time ends a step.  ``False`` hits every output time exactly.
    """

    rtol: float = 1e-8
    atol: float = 1e-10
    method: str = "dop853"
    max_steps: int = 1_000_000
    first_step: float | None = None
    max_step: float = np.inf
    dense: bool = True

    def __post_init__(self) -> None:
        from ..errors import ParameterError

        if self.method not in _METHODS:
            raise ParameterError("method", self.method, f"must be one of {sorted(_METHODS)}")
        for name in ("rtol", "atol"):
            v = getattr(self, name)
            if not (np.isfinite(v) and v > 0):
                raise ParameterError(name, v, "must be a finite number > 0")
        if not self.max_step > 0:
            raise ParameterError("max_step", self.max_step, "must be > 0")


@dataclass
class ODEStats:
    """Counters of one integration."""

    n_accepted: int = 0
    n_rejected: int = 0
    n_rhs: int = 0


@single_threaded
def solve_ode(f: Callable[[float, np.ndarray], np.ndarray], y0: np.ndarray, times: np.ndarray,
              options: ODEOptions | None = None) -> tuple[np.ndarray, ODEStats]:
    """Integrate ``dy/dt = f(t, y)`` from ``times[0]`` and return y at every ``times``.

    Parameters
    ----------
    f : right-hand side, ``f(t, y (B, M)) -> (B, M)``.
    y0 : initial state, shape (B, M) (any dtype; integrated as complex128 if complex).
    times : monotonic output times, shape (T,); ``times[0]`` is the initial time.

    Returns
    -------
    ys : shape (T, B, M); ``ys[0] = y0``.
    stats : :class:`ODEStats`.
    """
    opts = options or ODEOptions()
    tab = _METHODS[opts.method]
    a, b, c = tab.A, tab.B, tab.C
    n_stages = tab.n_stages
    order = tab.error_estimator_order
    times = np.asarray(times, dtype=float)
    if times.ndim != 1 or times.size == 0:
        raise ValueError(f"times: expected a non-empty 1-D array, got shape {times.shape}")
    if not np.all(np.isfinite(times)):
        raise ValueError("times: must be finite")
    direction = 1.0 if times.size < 2 or times[-1] >= times[0] else -1.0
    if np.any(direction * np.diff(times) < 0):
        raise ValueError("times: must be monotonic")
    y = np.asarray(y0)
    if y.ndim != 2:
        raise ValueError(f"y0: expected shape (B, M), got {y.shape}")
    if y.shape[0] == 0 or y.shape[1] == 0:  # empty batch: nothing to integrate
        return np.broadcast_to(y, (times.size, *y.shape)).copy(), ODEStats()
    t = float(times[0])
    fy = np.asarray(f(t, y))
    # integrate in the common dtype of y0 and f (a real y0 with a complex f becomes complex)
    dtype = np.result_type(y, fy, float)
    y = y.astype(dtype, copy=True)
    fy = fy.astype(dtype, copy=False)
    out = np.empty((times.size, *y.shape), dtype=dtype)
    out[0] = y
    stats = ODEStats(n_rhs=1)
    dop853 = opts.method == "dop853"
    n_k = 16 if dop853 else n_stages + 1          # DOP853's dense output adds 3 stages
    k = np.empty((n_k, *y.shape), dtype=dtype)
    k_flat = k.reshape(n_k, -1)

    def combine(coef: np.ndarray, s: int) -> np.ndarray:
        # sum_j coef[j] k[j] for j < s as one matrix product (faster than tensordot/einsum)
        return (coef @ k_flat[:s]).reshape(y.shape)

    def err_norm(h: float, y_old: np.ndarray, y_new: np.ndarray) -> float:
        # per-system error norms of scipy's RK45 / DOP853 estimators; the batch max decides
        scale = opts.atol + opts.rtol * np.maximum(np.abs(y_old), np.abs(y_new))
        if not dop853:
            e = combine(tab.E, n_stages + 1) * h / scale
            per = np.sqrt(np.mean(np.abs(e) ** 2, axis=-1))
        else:
            e5 = combine(tab.E5, n_stages + 1) / scale
            e3 = combine(tab.E3, n_stages + 1) / scale
            n5 = np.sum(np.abs(e5) ** 2, axis=-1)
            n3 = np.sum(np.abs(e3) ** 2, axis=-1)
            denom = n5 + 0.01 * n3
            with np.errstate(invalid="ignore", divide="ignore"):
                per = np.where(denom > 0, abs(h) * n5 / np.sqrt(denom * y.shape[-1]), 0.0)
        return float(np.max(per))

    def dense_output(t_old: float, hs: float, y_old: np.ndarray, y_new: np.ndarray,
                     f_new: np.ndarray, t_out: np.ndarray) -> np.ndarray:
        """States at t_out (inside the accepted step t_old -> t_old + hs), as scipy's
        Dop853DenseOutput / RkDenseOutput: (len(t_out), B, M)."""
        x = (t_out - t_old) / hs
        if not dop853:
            q = np.tensordot(tab.P, k[:n_stages + 1], axes=([0], [0]))   # (4, B, M)
            powers = np.cumprod(np.tile(x[:, None], (1, q.shape[0])), axis=1)  # x .. x^4
            return y_old + hs * np.tensordot(powers, q, axes=([1], [0]))
        for s_, (a_, c_) in enumerate(zip(_DOP_A_EXTRA, _DOP_C_EXTRA, strict=True), start=n_stages + 1):
            k[s_] = f(t_old + c_ * hs, y_old + combine(a_[:s_] * hs, s_))
        stats.n_rhs += 3
        dy = y_new - y_old
        F = [dy, hs * k[0] - dy, 2 * dy - hs * (f_new + k[0])]
        F += list(hs * np.tensordot(_DOP_D, k, axes=([1], [0])))
        # Horner in x and 1 - x, all output times at once (the same operations per element
        # as one time at a time)
        xs = x.reshape(-1, *([1] * y.ndim))
        res = np.zeros((x.size, *y.shape), dtype=dtype)
        for j, fj in enumerate(reversed(F)):
            res += fj
            res *= xs if j % 2 == 0 else 1 - xs
        res += y_old
        return res

    span = abs(times[-1] - times[0]) if times.size > 1 else 0.0
    if opts.first_step is not None:
        h = abs(opts.first_step)
    elif span == 0:
        h = 1.0
    else:
        h = _initial_step(f, t, y, fy, direction, order, opts, span)
        stats.n_rhs += 1
    h = min(h, opts.max_step)
    safety, min_fac, max_fac = 0.9, 0.2, 10.0
    steps = 0
    watch = watchdog(times[0], times[-1])  # stops hopeless runs early (openlz.limits)
    i_out = 1
    while i_out < times.size and times[i_out] == times[0]:   # repeated initial time
        out[i_out] = y
        i_out += 1
    rejected = False  # after a rejection the step may not grow (Hairer II.4)
    while i_out < times.size:
        # with dense output only the last time ends a step; otherwise every output time does
        t_target = float(times[-1] if opts.dense else times[i_out])
        h = min(h, opts.max_step)
        last = h >= abs(t_target - t) * (1 - 1e-12)
        h_step = abs(t_target - t) if last else h
        hs = direction * h_step
        k[0] = fy
        for s_ in range(1, n_stages):
            k[s_] = f(t + c[s_] * hs, y + combine(a[s_, :s_] * hs, s_))
        y_new = y + combine(b * hs, n_stages)
        t_new = t_target if last else t + hs
        f_new = f(t_new, y_new)
        k[n_stages] = f_new
        stats.n_rhs += n_stages
        en = err_norm(hs, y, y_new)
        steps += 1
        if watch is not None and steps % 32 == 0:
            watch.check(t)
        if steps > opts.max_steps:
            raise SolverError(
                f"solve_ode: exceeded max_steps = {opts.max_steps} at t = {t:.6g} "
                f"(step {h_step:.3e}); loosen rtol/atol or raise max_steps")
        if not np.isfinite(en):
            h = h_step * min_fac
            stats.n_rejected += 1
            rejected = True
        elif en <= 1.0:
            fac = max_fac if en == 0 else min(max_fac, safety * en ** (-1.0 / (order + 1)))
            if rejected:
                fac = min(fac, 1.0)
            # output times reached by this step: t_new itself exactly, inside by dense output
            j = i_out
            while j < times.size and direction * (times[j] - t_new) < 0:
                j += 1
            if j > i_out:
                out[i_out:j] = dense_output(t, hs, y, y_new, f_new, times[i_out:j])
            i_out = j
            while i_out < times.size and times[i_out] == t_new:
                out[i_out] = y_new
                i_out += 1
            t, y, fy = t_new, y_new, k[n_stages].copy()  # copy: f may reuse its buffer
            h = h_step * fac if not last else max(h, h_step * fac)
            stats.n_accepted += 1
            rejected = False
        else:
            h = h_step * max(min_fac, safety * en ** (-1.0 / (order + 1)))
            stats.n_rejected += 1
            rejected = True
        if not h >= 1e-14 * max(1.0, abs(t)):  # also a NaN step (non-finite right-hand side)
            why = "step size underflow" if h == h else "the right-hand side is not finite"
            raise SolverError(f"solve_ode: {why} at t = {t:.6g}")
    return out, stats


def _initial_step(f: Callable[[float, np.ndarray], np.ndarray], t0: float, y0: np.ndarray,
                  f0: np.ndarray, direction: float, order: int, opts: ODEOptions,
                  span: float) -> float:
    """First step from Hairer, Norsett & Wanner I, Sec. II.4 (as ``scipy.integrate``'s
    ``select_initial_step``), evaluated per system and minimised over the batch."""
    scale = opts.atol + np.abs(y0) * opts.rtol
    d0 = np.sqrt(np.mean(np.abs(y0 / scale) ** 2, axis=-1))
    d1 = np.sqrt(np.mean(np.abs(f0 / scale) ** 2, axis=-1))
    with np.errstate(divide="ignore", invalid="ignore"):
        h0_each = np.where((d0 < 1e-5) | (d1 < 1e-5), 1e-6, 0.01 * d0 / d1)
    h0 = float(min(np.min(h0_each), span, opts.max_step))
    f1 = f(t0 + direction * h0, y0 + direction * h0 * f0)
    d2 = np.sqrt(np.mean(np.abs((f1 - f0) / scale) ** 2, axis=-1)) / h0
    dmax = np.maximum(d1, d2)
    with np.errstate(divide="ignore"):
        h1_each = np.where(dmax <= 1e-15, max(1e-6, h0 * 1e-3),
                           (0.01 / dmax) ** (1.0 / (order + 1)))
    return float(min(100 * h0, np.min(h1_each), span))
