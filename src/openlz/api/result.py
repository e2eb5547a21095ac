"""``openlz.Result``: the one result object of every public solver.

Shapes, with ``...`` the batch axes (empty for an unbatched solve):

* ``times`` (T,); ``times[0]`` is the time of the initial state.  Time-independent answers
  (steady states) have ``times = [inf]`` and T = 1.
* ``states`` (..., T, n, n), batch axes first, always (``None`` if not stored); ``final_state``
  (..., n, n) is always kept.
* ``expect`` a list with one array (..., T) per e_op; ``e_data`` the same keyed by the e_op's
  name (its index, or its key when ``e_ops`` was a dict).
* ``stats``, ``validity``, ``options``: plain dicts (JSON-able values).
* ``extras``: named solver-specific arrays (``rho_average``, ``quasienergies``, ``rates``,
  ``kernel_dim``...), readable as attributes (``result.rates``).  Each carries the batch axes
  first, then trailing axes named by ``extra_dims[name]`` in :meth:`Result.to_xarray`.

Solvers adopt it by constructing ``Result(...)`` with their extras, or by subclassing it
(keep the constructor's keywords and call ``super().__init__``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .._version import __version__
from ..results import jsonable

__all__ = ["Result"]


class Result:
    """Result of a solver call.

    Parameters
    ----------
    times : (T,) array.
    states : (..., T, n, n) array or None (not stored).
    final_state : (..., n, n) array; defaults to ``states[..., -1, :, :]``.
    expect : sequence of arrays (..., T), one per e_op.
    e_names : names of the e_ops (defaults to 0, 1, ...).
    stats, validity, options : dicts (method, step counts, wall time / physicality and
        approximation checks / the options used).
    solver : name of the solver (``"mesolve"``...).
    dims : QuTiP operator dims ``[[d1, ...], [d1, ...]]`` used by :meth:`to_qobj`.
    extras : dict of solver-specific values; arrays carry the batch axes first.
    extra_dims : names of the trailing axes of each extra array (for :meth:`to_xarray`).
    batch_shape : the batch shape, needed only when neither states nor final_state is given.
    """

    def __init__(self, times: np.ndarray, states: np.ndarray | None = None, *,
                 final_state: np.ndarray | None = None, expect: Sequence[np.ndarray] = (),
                 e_names: Sequence[Any] | None = None, stats: Mapping[str, Any] | None = None,
                 validity: Mapping[str, Any] | None = None,
                 options: Mapping[str, Any] | None = None, solver: str = "",
                 dims: list | None = None, extras: Mapping[str, Any] | None = None,
                 extra_dims: Mapping[str, Sequence[str]] | None = None,
                 batch_shape: tuple[int, ...] | None = None):
        self.times = np.asarray(times, dtype=float).reshape(-1)
        self.states = None if states is None else np.asarray(states)
        if final_state is None and self.states is not None:
            final_state = self.states[..., -1, :, :]
        self.final_state = None if final_state is None else np.asarray(final_state)
        if self.states is not None and self.states.shape[-3] != self.times.size:
            raise ValueError(f"Result: states {self.states.shape} need T = {self.times.size} "
                             "on axis -3")
        if batch_shape is None:
            if self.final_state is None:
                raise ValueError("Result: give states, final_state or batch_shape")
            batch_shape = self.final_state.shape[:-2]
        self.batch_shape = tuple(batch_shape)
        self.expect = [np.asarray(e) for e in expect]
        names = list(e_names) if e_names is not None else list(range(len(self.expect)))
        if len(names) != len(self.expect):
            raise ValueError("Result: one name per expectation value")
        self.e_data = dict(zip(names, self.expect, strict=True))
        for k, e in self.e_data.items():
            if e.shape[:len(self.batch_shape)] != self.batch_shape:
                raise ValueError(f"Result: expect[{k!r}] {e.shape} must start with the batch "
                                 f"shape {self.batch_shape}")
        self.stats = dict(stats or {})
        self.validity = dict(validity or {})
        self.options = dict(options or {})
        self.solver = solver
        self.dims = dims
        self.extras = dict(extras or {})
        self.extra_dims = {k: tuple(v) for k, v in (extra_dims or {}).items()}
        for k, v in self.extras.items():
            if isinstance(v, np.ndarray) and v.shape[:len(self.batch_shape)] != self.batch_shape:
                raise ValueError(f"Result: extra {k!r} {v.shape} must start with the batch "
                                 f"shape {self.batch_shape}")

    # ------------------------------------------------------------------ access
    def __getattr__(self, name: str) -> Any:
        extras = self.__dict__.get("extras", {})
        if name in extras:
            return extras[name]
        raise AttributeError(f"{type(self).__name__!s} has no attribute or extra {name!r}"
                             + (f" (extras: {', '.join(extras)})" if extras else ""))

    @property
    def state(self) -> np.ndarray | None:
        """The final state (..., n, n) — for steady-state solvers, *the* state."""
        return self.final_state

    @property
    def n(self) -> int:
        """Hilbert-space dimension."""
        ref = self.final_state if self.final_state is not None else self.states
        return int(ref.shape[-1]) if ref is not None else 0

    # ------------------------------------------------------------------ QuTiP
    def to_qobj(self, final: bool = False) -> Any:
        """States as ``qutip.Qobj`` (QuTiP imported here).

        Unbatched: a list over times (like QuTiP's ``result.states``), or one Qobj with
        ``final=True``.  Batched: nested lists, batch axes outermost, ``[b0][b1]...[t]``.
        ``openlz.api.convert.as_state`` turns the nested lists back into the same array.
        """
        import qutip

        arr = self.final_state if final else self.states
        if arr is None:
            raise ValueError("to_qobj: states were not stored (options store_states=False); "
                             "use to_qobj(final=True)")
        dims = self.dims or [[self.n], [self.n]]

        def build(a: np.ndarray) -> Any:
            if a.ndim == 2:
                return qutip.Qobj(a, dims=dims)
            return [build(x) for x in a]
        return build(arr)

    # ------------------------------------------------------------------ xarray
    def to_xarray(self, batch_dims: Sequence[str] | None = None,
                  coords: Mapping[str, Any] | None = None):
        """An ``xarray.Dataset``: ``states`` (*batch, time, row, col), ``final_state``,
        ``expect_<name>`` (*batch, time), the array extras; attrs hold the solver, the openlz
        version, options, stats and validity (JSON strings).

        batch_dims : names of the batch axes (default ``batch_0``, ``batch_1``, ...).
        coords : coordinate values, e.g. ``{"detuning": deltas}``.
        """
        import xarray as xr

        nb = len(self.batch_shape)
        bd = tuple(batch_dims) if batch_dims is not None else tuple(f"batch_{k}" for k in range(nb))
        if len(bd) != nb:
            raise ValueError(f"to_xarray: batch_dims {bd} must name {nb} batch axes "
                             f"{self.batch_shape}")
        data: dict[str, Any] = {}
        if self.states is not None:
            data["states"] = ((*bd, "time", "row", "col"), self.states)
        if self.final_state is not None:
            data["final_state"] = ((*bd, "row", "col"), self.final_state)
        for k, e in self.e_data.items():
            data[f"expect_{k}"] = ((*bd, "time"), e)
        attrs: dict[str, Any] = {"solver": self.solver, "openlz_version": __version__,
                                 "options": json.dumps(jsonable(self.options)),
                                 "stats": json.dumps(jsonable(self.stats)),
                                 "validity": json.dumps(jsonable(self.validity))}
        if self.dims is not None:
            attrs["dims"] = json.dumps(self.dims)
        for k, v in self.extras.items():
            if isinstance(v, np.ndarray):
                trailing = self.extra_dims.get(k, tuple(f"{k}_dim{i}" for i in range(v.ndim - nb)))
                data[k] = ((*bd, *trailing), v)
            else:
                attrs[k] = v if isinstance(v, (int, float, str)) else json.dumps(jsonable(v))
        c: dict[str, Any] = {"time": self.times}
        c.update({k: np.asarray(v) for k, v in (coords or {}).items()})
        return xr.Dataset(data, coords=c, attrs=attrs)

    # ------------------------------------------------------------------ display
    def __repr__(self) -> str:
        t = self.times
        span = (f"{t.size} time{'s' if t.size != 1 else ''}" if np.all(np.isfinite(t))
                else "steady state")
        if t.size and np.all(np.isfinite(t)):
            span += f" in [{t[0]:g}, {t[-1]:g}]"
        lines = [f"openlz.Result({self.solver or 'solver'}: batch {self.batch_shape}, {span}, n = {self.n})"]
        if self.states is not None:
            lines.append(f"  states      {self.states.shape} {self.states.dtype}")
        elif self.final_state is not None:
            lines.append(f"  final_state {self.final_state.shape} (states not stored)")
        for k, e in self.e_data.items():
            lines.append(f"  expect[{k!r}] {e.shape} {e.dtype}")
        for k, v in self.extras.items():
            desc = f"{v.shape} {v.dtype}" if isinstance(v, np.ndarray) else repr(v)
            lines.append(f"  {k:<11s} {desc}")
        if self.stats:
            lines.append("  stats       " + ", ".join(f"{k}={_short(v)}" for k, v in self.stats.items()))
        if self.validity:
            lines.append("  validity    " + ", ".join(f"{k}={_short(v)}" for k, v in self.validity.items()))
        return "\n".join(lines)


def _short(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.3g}"
    if isinstance(v, Mapping):
        if "ok" in v:
            return "ok" if v["ok"] else "FAILED"
        return "{" + ", ".join(f"{k}: {_short(x)}" for k, x in v.items()) + "}"
    return str(v)
