"""``openlz.mesolve``: the Lindblad master equation for a user's own system.

Thin: convert the inputs (:mod:`openlz.api.convert`), assemble the generator
(:mod:`openlz.api.generator`), dispatch to ``openlz.solve.lindblad`` (exact ``evolve_constant``
for a constant generator, the batched adaptive ``evolve_td`` otherwise), wrap a
:class:`~openlz.api.result.Result`.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np

from ..errors import ParameterError, PhysicalityWarning
from ..solve.lindblad import LinearGenerator, evolve_constant, evolve_td
from .convert import as_state, as_times, is_qobj, qobj_dims
from .expect import expectation, parse_e_ops
from .generator import ComplexCoefficient, Generator, _flat, build_generator
from .options import Options
from .progress import TimeProgress, progress_enabled
from .result import Result
from .timedep import as_operator_list, as_time_operator

__all__ = ["mesolve"]


def mesolve(H: Any, rho0: Any, times: Any, c_ops: Any = None, e_ops: Any = None,
            options: Options | Mapping[str, Any] | None = None, *,
            args: Mapping[str, Any] | None = None) -> Result:
    """Solve dρ/dt = −i[H, ρ] + Σ_k (L_k ρ L_k† − ½{L_k† L_k, ρ}) (QuTiP's argument order).

    Parameters
    ----------
    H : Hamiltonian or Liouvillian, constant or time-dependent:

        * an operator (..., n, n) (array or ``Qobj``; leading axes are batch axes);
        * a Liouvillian superoperator (..., n², n²): an openlz array (**row-major** vec,
          ``vec(rho)[i*n + j] = rho[i, j]``) or a QuTiP ``super`` ``Qobj`` (column-stacking,
          permuted here); ``c_ops`` may then be empty;
        * the QuTiP list form ``[H0, [H1, f1], ...]`` with f(t) or f(t, args) returning a
          scalar or an array of batch shape (e.g. ``lambda t: W * np.cos(w * t)`` with W, w of
          shape (B,)), a ``QobjEvo``, or a callable t -> (..., n, n);
        * ``None`` for purely dissipative dynamics.
    rho0 : ket(s) or density matrix(ces): array (n,), (..., n, 1), (..., n, n), ``Qobj`` or
        a list of ``Qobj`` (a batch axis).  Kets become |ψ⟩⟨ψ|.
    times : (T,) output times; ``times[0]`` is the time of ``rho0`` (QuTiP's convention).
    c_ops : list of jump operators L_k, each in any of the forms of ``H`` (operators, list
        forms for time-dependent L_k(t), callables) or a superoperator added to the generator.
    e_ops : operators O_k (arrays / ``Qobj``, possibly batched), callables f(t, rho), a list or
        a dict of them.  ``expect[k][..., t] = tr(O_k ρ(t))``.
    options : :class:`~openlz.api.options.Options` or a dict (tolerances, method,
        ``store_states``, ``progress_bar``...); unknown keys raise ``ParameterError``.
    args : values passed to coefficients written f(t, args) (and QuTiP string coefficients).

    Returns
    -------
    Result
        ``states`` (..., T, n, n) with the broadcast batch shape of H, c_ops, their
        coefficients and rho0 — (T, n, n) when nothing is batched; ``expect`` one (..., T)
        array per e_op; ``stats`` (method, generator form, steps, wall time); ``validity``
        (trace / hermiticity / positivity of the states, a ``PhysicalityWarning`` on failure).

    Raises
    ------
    ParameterError
        A shape that does not fit (naming the argument, its shape and the expected shape),
        batch shapes that do not broadcast, unknown options.
    """
    wall0 = time.perf_counter()
    opts = Options.resolve(options)
    times = as_times(times)
    rho = as_state(rho0, "rho0")
    n = rho.shape[-1]
    t0 = float(times[0])
    h = as_time_operator(H, "H", n, t0, args) if H is not None else None
    cops = [(f"c_ops[{k}]", as_time_operator(c, f"c_ops[{k}]", n, t0, args))
            for k, c in enumerate(as_operator_list(c_ops, "c_ops"))]
    names, items = parse_e_ops(e_ops, n)
    gen = build_generator(h, cops, n, t0, rho.shape[:-2])

    states, stats = _evolve(gen, rho, times, opts)
    stats["wall_time"] = time.perf_counter() - wall0
    expect = [expectation(it, states, times) for it in items]
    store = opts["store_states"] if opts["store_states"] is not None else not items
    return Result(times, states if store else None, final_state=states[..., -1, :, :].copy(),
                  expect=expect, e_names=names, stats=stats,
                  validity={"physicality": _physicality(states, rho)},
                  options=opts.as_dict(), solver="mesolve", dims=_dims(rho0, H))


def _evolve(gen: Generator, rho: np.ndarray, times: np.ndarray,
            opts: Options) -> tuple[np.ndarray, dict[str, Any]]:
    method = opts["method"]
    if gen.kind == "constant" and method in ("auto", "expm"):
        out = evolve_constant(gen.constant, rho, times)  # type: ignore[arg-type]
        return out, {"method": "expm", "generator": "constant"}
    if method == "expm":
        raise ParameterError("options['method']", "expm", "needs a constant generator, but H or "
                             "c_ops depend on time; use 'auto', 'dop853' or 'dopri5'")
    batch = gen.batch
    if gen.kind == "constant":
        lin: Any = LinearGenerator(_flat(gen.constant, batch))  # type: ignore[arg-type]
    else:
        lin = gen.linear if gen.kind == "linear" else gen.func
    r0 = np.broadcast_to(rho, (*batch, *rho.shape[-2:])).reshape(-1, *rho.shape[-2:]) if batch else rho
    ode = opts.ode_options()
    progress = TimeProgress(float(times[0]), float(times[-1])) \
        if progress_enabled(opts["progress_bar"]) and times.size > 1 else None
    with progress or _Null():
        g = _with_progress(lin, progress) if progress is not None else lin
        try:
            out, st = evolve_td(g, r0, times, ode)
        except ComplexCoefficient:  # a QuTiP coefficient turned complex: integrate complex
            gen.use_complex_coefficients()
            out, st = evolve_td(g, r0, times, ode)
    if batch:
        out = out.reshape(*batch, *out.shape[-3:])
    return out, {"method": ode.method, "generator": gen.kind, "n_accepted": st.n_accepted,
                 "n_rejected": st.n_rejected, "n_rhs": st.n_rhs}


class _Null:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: Any) -> None:
        return None


def _with_progress(g: Any, progress: TimeProgress) -> Any:
    """The same generator, reporting the integrator's time to the progress bar."""
    if isinstance(g, LinearGenerator):
        mats, coefs = g.matrices, list(g.coefficients)
        if coefs:
            first = coefs[0]
            coefs[0] = lambda t: (progress.update(t), first(t))[1]
        else:  # no coefficient to hook: a zero term whose coefficient reports the time
            mats = [*mats, np.zeros(mats[0].shape[-2:], dtype=complex)]
            coefs = [lambda t: (progress.update(t), 0.0)[1]]
        return LinearGenerator(mats[0], list(zip(mats[1:], coefs, strict=True)))

    def f(t: float) -> np.ndarray:
        progress.update(t)
        return g(t)
    return f


def _physicality(states: np.ndarray, rho: np.ndarray, atol: float = 1e-6) -> dict[str, Any]:
    """Trace, hermiticity and positivity of every state, within ``atol``.

    Positivity of all states is tested by a Cholesky factorisation of rho + atol·1 (a fraction
    of the cost of their eigenvalues); ``min_eigenvalue`` is that of the final states, or of
    all states when the test fails.  A failed check emits a ``PhysicalityWarning``.
    """
    n = states.shape[-1]
    tr0 = np.einsum("...ii->...", rho)
    normalized = bool(np.allclose(tr0, 1.0, atol=1e-10))
    tr = np.einsum("...ii->...", states)
    trace_error = float(np.max(np.abs(tr - 1))) if normalized else 0.0
    herm = float(np.max(np.abs(states - np.conj(np.swapaxes(states, -1, -2))), initial=0.0))
    try:
        np.linalg.cholesky(states + atol * np.eye(n))  # reads the lower triangle (Hermitian part)
        positive, sub = True, states[..., -1, :, :]
    except np.linalg.LinAlgError:
        positive, sub = False, states
    hpart = 0.5 * (sub + np.conj(np.swapaxes(sub, -1, -2)))
    min_eig = float(np.min(np.linalg.eigvalsh(hpart))) if sub.size else 0.0
    ok = trace_error <= atol and herm <= atol and positive
    out = {"trace_error": trace_error, "hermiticity_error": herm, "min_eigenvalue": min_eig,
           "positive": positive, "atol": atol, "ok": ok,
           "checked": "all states" + ("" if normalized else " (trace not checked: tr rho0 != 1)")}
    if not ok:
        warnings.warn(f"states failed the physicality check: trace error {trace_error:.2e}, "
                      f"hermiticity error {herm:.2e}, min eigenvalue {min_eig:.2e} "
                      f"(tolerance {atol:.1e})", PhysicalityWarning, stacklevel=3)
    return out


def _dims(*objs: Any) -> list | None:
    """QuTiP dims of the first Qobj among the inputs (or the first item of a list of them)."""
    for o in objs:
        if isinstance(o, (list, tuple)) and o:
            o = o[0]
            if isinstance(o, (list, tuple)) and o:
                o = o[0]
        if is_qobj(o):
            d = qobj_dims(o)
            if d is not None:
                return d
    return None
