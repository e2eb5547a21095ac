"""``openlz.collisions``: repeated interactions (collision model) with the user's unitaries.

rho_{k+1} = Tr_anc[U_k (rho_k ⊗ sigma_k) U_k^dag] (paper 003, Eq. 6), k = 0 .. N-1: the system
meets a fresh ancilla in state sigma_k through the system–ancilla unitary U_k (basis
``kron(system, ancilla)``, i.e. QuTiP's ``tensor(system, ancilla)``).  Thin: convert, check the
dimensions, dispatch to :func:`openlz.solve.collisions.repeated_interactions`, wrap a
:class:`~openlz.api.result.Result`.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import numpy as np

from ..core.budget import Cost, check_cost
from ..core.checks import check_states
from ..errors import ParameterError
from ..solve.collisions import repeated_interactions
from .convert import Shape, as_operator, as_state, is_qobj, qobj_dims
from .expect import expectation, parse_e_ops
from .options import Options
from .result import Result

__all__ = ["collisions"]


def _sequence(x: Any, name: str, conv: Any) -> tuple[list[np.ndarray], bool]:
    """A Python list/tuple of arrays or ``Qobj``s is a sequence (one per collision); anything
    else (an array with batch axes, a ``Qobj``, a literal nested list of numbers) is one item
    used at every collision."""
    if isinstance(x, (list, tuple)) and x and all(is_qobj(v) or isinstance(v, np.ndarray)
                                                  for v in x):
        return [conv(v, f"{name}[{k}]") for k, v in enumerate(x)], True
    return [conv(x, name)], False


def collisions(U: Any, rho0: Any, ancillas: Any, n_collisions: int | None = None,
               e_ops: Any = None, options: Options | Mapping[str, Any] | None = None) -> Result:
    """Repeated-interaction (collision-model) dynamics of a system meeting ancillas one by one.

    rho_{k+1} = Tr_anc[U_k (rho_k ⊗ sigma_k) U_k^dag], k = 0 .. N-1 (paper 003, Eq. 6; any
    unitaries, not only the Landau–Zener collisions of ``openlz.analytic.landau_zener``).

    Parameters
    ----------
    U : system–ancilla unitary (..., ds*da, ds*da) in the basis kron(system, ancilla) (QuTiP
        ``tensor(system, ancilla)``): an array (leading axes are batch axes) or a ``Qobj``, used
        at every collision — or a Python list of them, one per collision.
    rho0 : initial system state: ket (ds,) / (..., ds, 1) or density matrix (..., ds, ds),
        array or ``Qobj``.  Its dimension is ds.
    ancillas : ancilla state(s) sigma_k (ket or density matrix, array or ``Qobj``), one used at
        every collision or a Python list, one per collision (freely evolved to the start of
        their collision already).  Their dimension da must be (dim U)/ds.
    n_collisions : N; required when neither U nor ancillas is a list, else it must equal the
        list length (a single U or ancilla is repeated).
    e_ops : system operators O (arrays / ``Qobj``), callables f(k, rho), a list or a dict;
        ``expect[j][..., k] = tr(O_j rho_k)``.
    options : only ``store_states`` (default: store unless e_ops are given) and
        ``progress_bar`` are used.

    Returns
    -------
    Result
        ``times`` = collision index 0 .. N (T = N + 1; ``times[k]`` is the state after k
        collisions), ``states`` (..., N+1, ds, ds), ``expect``, ``stats`` (collisions, wall
        time), ``validity`` (physicality of the states).

    Raises
    ------
    ParameterError
        dimensions that do not fit (naming the argument, its shape and the expected shape),
        sequence lengths that differ, a non-unitary U, a missing ``n_collisions``.
    """
    wall0 = time.perf_counter()
    opts = Options.resolve(options)
    rho = as_state(rho0, "rho0")
    ds = rho.shape[-1]
    us, u_seq = _sequence(U, "U", as_operator)
    sig, a_seq = _sequence(ancillas, "ancillas", as_state)
    lengths = {len(v) for v, seq in ((us, u_seq), (sig, a_seq)) if seq}
    if len(lengths) > 1:
        raise ParameterError("ancillas", f"a list of {len(sig)}",
                             f"must have the length of U's list ({len(us)})")
    if lengths:
        n = lengths.pop()
        if n_collisions is not None and n_collisions != n:
            raise ParameterError("n_collisions", n_collisions, f"must equal the list length {n}")
    else:
        if n_collisions is None:
            raise ParameterError("n_collisions", None, "is required when U and ancillas are "
                                 "single operators (not lists)")
        n = n_collisions
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise ParameterError("n_collisions", n, "must be an integer >= 0")
    big = us[0].shape[-1]
    if big % ds:
        raise ParameterError("U", Shape(us[0].shape), f"must be (..., ds*da, ds*da) with "
                             f"ds = {ds} from rho0")
    da = big // ds
    for name, items, want in (("U", us, big), ("ancillas", sig, da)):
        for k, a in enumerate(items):
            if a.shape[-1] != want:
                label = f"{name}[{k}]" if len(items) > 1 else name
                raise ParameterError(label, Shape(a.shape), f"must have shape (..., {want}, "
                                     f"{want}) (ds = {ds} from rho0, da = {da})")
    for k, u in enumerate(us):
        eye = np.eye(big)
        if not np.allclose(u @ np.conj(np.swapaxes(u, -1, -2)), eye, atol=1e-10):
            raise ParameterError(f"U[{k}]" if u_seq else "U", Shape(u.shape, "non-unitary matrix"),
                                 "must be unitary (U U^dag = 1 to 1e-10)")
    u_all = np.stack(np.broadcast_arrays(*us)) if u_seq else us[0][None]
    s_all = np.stack(np.broadcast_arrays(*sig)) if a_seq else sig[0][None]
    if n and (not u_seq or not a_seq):
        u_all = np.broadcast_to(u_all, (n, *u_all.shape[1:])) if not u_seq else u_all
        s_all = np.broadcast_to(s_all, (n, *s_all.shape[1:])) if not a_seq else s_all
    if n == 0:
        u_all, s_all = u_all[:0], s_all[:0]
    try:
        batch = np.broadcast_shapes(rho.shape[:-2], u_all.shape[1:-2], s_all.shape[1:-2])
    except ValueError:
        raise ParameterError("U", Shape(u_all.shape[1:]), "batch axes of U, rho0 and ancillas "
                             f"must broadcast (rho0 {rho.shape}, ancillas {s_all.shape[1:]})") \
            from None
    check_cost("collisions", _cost(n, batch, ds, da))
    states = repeated_interactions(rho, u_all, s_all)  # (N+1, ..., ds, ds)
    states = np.moveaxis(np.broadcast_to(states, (n + 1, *batch, ds, ds)), 0, -3)
    times = np.arange(n + 1, dtype=float)
    names, items = parse_e_ops(e_ops, ds)
    expect = [expectation(it, states, times) for it in items]
    store = opts["store_states"] if opts["store_states"] is not None else not items
    chk = check_states(states, warn=True, normalized=bool(np.allclose(
        np.einsum("...ii->...", rho), 1.0, atol=1e-10))).as_dict()
    dims = None
    if is_qobj(rho0):
        dims = qobj_dims(rho0)
    return Result(times, np.ascontiguousarray(states) if store else None,
                  final_state=states[..., -1, :, :].copy(), expect=expect, e_names=names,
                  stats={"collisions": n, "system_dim": ds, "ancilla_dim": da,
                         "wall_time": time.perf_counter() - wall0},
                  validity={"physicality": chk}, options=opts.as_dict(), solver="collisions",
                  dims=dims)


def _cost(n: int, batch: tuple[int, ...], ds: int, da: int) -> Cost:
    """Memory of the (N+1, ..., ds, ds) states (and the work arrays of one collision), time
    of N collisions of (ds da)³ matrix products (~1 ns per multiply-add, a factor of a few)."""
    points = float(np.prod(batch)) if batch else 1.0
    big = ds * da
    mem = 16.0 * points * ((n + 1) * ds * ds * 2 + 4 * big * big)
    secs = 2e-9 * points * n * (3 * big**3 + 20)
    return Cost(mem, secs, f"{n} collisions x {points:.0f} points, dimension {ds}x{da}")

