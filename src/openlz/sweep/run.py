"""Running a sweep: validate the grid, pick an executor, stream chunks into a store.

The whole grid is resolved and validated up front (``Model.resolve`` on arrays of
shape (N,)), so a bad value is reported before any work starts.  Then every chunk
that the store does not already hold is evaluated with one vectorised
``Model.evaluate`` call and written as soon as it arrives.
"""

from __future__ import annotations

import math
import os
import time
import uuid
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import xarray as xr

from .._version import __version__
from ..core.budget import Cost, check_cost, current_limits
from ..core.validation import as_times, parse_times
from ..errors import CostError, OpenlzError, ParameterError
from ..results import jsonable, metadata_attrs
from .compute import ChunkFailure, ChunkResult, ChunkTask
from .executors import available_cores, run_dask, run_inline, run_processes
from .grid import GridAxis, as_axes, block_shape, chunk_indices, chunk_slices, default_chunk
from .progress import SweepProgress, format_seconds
from .store import MemoryStore, ZarrStore

__all__ = ["sweep", "run_sweep", "SweepPlan", "SweepSummary", "plan_sweep"]

#: In auto mode, use a process pool when the remaining chunks are estimated to take
#: longer than this (seconds) in-process: below it, starting workers costs more than it saves.
AUTO_POOL_SECONDS = 4.0


@dataclass
class SweepPlan:
    """A validated sweep. ``resolved`` holds every parameter: scalars (fixed) or arrays
    of shape (N,) over the flattened grid (swept and derived-from-swept parameters)."""

    model: Any
    axes: list[GridAxis]
    resolved: dict[str, Any]
    times: np.ndarray | None
    observables: list[str]
    options: dict[str, Any]
    chunk: int
    block: tuple[int, ...]
    slices: list[tuple[slice, ...]]

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(a.size for a in self.axes)

    @property
    def n_points(self) -> int:
        return int(np.prod(self.shape))

    @property
    def fixed(self) -> dict[str, Any]:
        return {k: v for k, v in self.resolved.items() if np.ndim(v) == 0}

    def spec(self) -> dict[str, Any]:
        """What a store must match to be resumed (JSON)."""
        return {"format": 1, "model": self.model.name, "openlz_version": __version__,
                "grid": [{"name": a.name, "values": list(a.values)} for a in self.axes],
                "params": jsonable(self.fixed),
                "times": None if self.times is None else jsonable(self.times),
                "observables": list(self.observables), "options": jsonable(self.options),
                "chunk": self.chunk, "block": list(self.block)}

    def task(self, i: int, delay: float = 0.0, limits: Any = None) -> ChunkTask:
        idx = chunk_indices(self.shape, self.slices[i])
        params = {k: (v[idx] if np.ndim(v) else v) for k, v in self.resolved.items()}
        return ChunkTask(i, self.model.name, self.model.evaluate_fn.__module__, params,
                         self.times, list(self.observables), dict(self.options), delay,
                         limits)

    def template(self, first: ChunkResult, lazy: bool) -> xr.Dataset:
        """The output Dataset, filled with NaN, shaped from the first finished chunk.

        ``lazy``: data variables are dask arrays chunked like the sweep (for zarr).
        Integer and boolean observables are stored as float (NaN marks a missing chunk).
        """
        grid_dims = [a.name for a in self.axes]
        coords: dict[str, Any] = {}
        for a in self.axes:
            p = self.model.param(a.name)
            coords[a.name] = xr.Variable(a.name, a.array(),
                                         {"units": p.unit, "description": p.doc})
        used = {d for o in self.observables for d in self.model.observable(o).dims}
        if self.times is not None and "time" not in first.coords and "time" in used:
            coords["time"] = xr.Variable("time", self.times, {"units": "1/energy (hbar = 1)"})
        for k, v in first.coords.items():  # the model's own axes (e.g. "level"), if used
            if k in used:
                coords[k] = np.asarray(v)
        for k, v in self.resolved.items():  # defaults derived from swept parameters
            if np.ndim(v) and k not in grid_dims:
                p = self.model.param(k)
                coords[k] = xr.Variable(grid_dims, np.asarray(v).reshape(self.shape),
                                        {"units": p.unit, "description": p.doc})
        data_vars = {}
        for name in self.observables:
            obs = self.model.observable(name)
            arr = first.arrays[name]
            if arr.ndim - 1 != len(obs.dims):
                raise RuntimeError(f"observable {name!r}: shape {arr.shape[1:]} per point does "
                                   f"not match dims {obs.dims}")
            shape = self.shape + arr.shape[1:]
            dtype = arr.dtype if arr.dtype.kind in "fc" else np.dtype(float)
            fill = np.nan if dtype.kind == "f" else complex(np.nan, np.nan)
            if lazy:
                import dask.array as da

                data = da.full(shape, fill, dtype=dtype, chunks=self.block + arr.shape[1:])
            else:
                data = np.full(shape, fill, dtype=dtype)
            data_vars[name] = xr.Variable((*grid_dims, *obs.dims), data,
                                          {"description": obs.doc, "units": obs.unit})
        ds = xr.Dataset(data_vars, coords=coords)
        ds.attrs.update(metadata_attrs(self.model, self.fixed, self.options, {
            "sweep_grid": " ".join(a.text or f"{a.name}=<{a.size} values>" for a in self.axes),
            "sweep_shape": list(self.shape), "sweep_chunk_points": self.chunk,
            "sweep_chunks": len(self.slices)}))
        return ds


def _rewarn(ds: xr.Dataset, n_chunks: int) -> None:
    """One warning per category for the whole sweep (the details are in the dataset's
    ``sweep_warnings`` attribute and in every chunk's record)."""
    import builtins
    import json
    import warnings

    from .. import errors

    summary = json.loads(ds.attrs.get("sweep_warnings", "{}"))
    for cat, n in summary.get("chunks", {}).items():
        msgs = [m["message"] for m in summary["messages"] if m["category"] == cat]
        cls = getattr(errors, cat, None) or getattr(builtins, cat, None)
        if not (isinstance(cls, type) and issubclass(cls, Warning)):
            cls = UserWarning
        more = f" (and {len(msgs) - 1} other messages)" if len(msgs) > 1 else ""
        warnings.warn(f"{cat} in {n}/{n_chunks} chunks, e.g.: {msgs[0] if msgs else '?'}{more}; "
                      "all messages: the dataset's 'sweep_warnings' attribute", cls, stacklevel=3)


def _check_axis(model: Any, axis: GridAxis) -> None:
    """Swept parameters must be numeric; a complex one is swept along the real axis."""
    p = model.param(axis.name)  # UnknownNameError for an unknown parameter
    shown = axis.text.split("=", 1)[-1] if axis.text else list(axis.values)
    if p.kind not in ("float", "int", "complex"):
        raise ParameterError(axis.name, shown, f"cannot be swept: it is a {p.kind} parameter")
    if p.kind == "int" and not np.all(axis.array() == np.round(axis.array())):
        raise ParameterError(axis.name, shown,
                             "is an integer parameter: every grid value must be an integer")


def plan_sweep(model: Any, grid: Mapping[str, Any] | Sequence[Any],
               params: Mapping[str, Any] | None = None, times: Any = None,
               observables: Sequence[str] | None = None, options: Mapping[str, Any] | None = None,
               chunk: int | None = None) -> SweepPlan:
    """Validate a sweep and resolve every parameter on the flattened grid (no evaluation).

    Raises ParameterError / UnknownNameError naming the problem.
    """
    from ..models import get_model

    m = get_model(model) if isinstance(model, str) else model
    axes = as_axes(grid)
    for a in axes:
        _check_axis(m, a)
    fixed = dict(params or {})
    for a in axes:
        if a.name in fixed:
            raise ParameterError(a.name, fixed[a.name], "is swept with --grid and also set with --set")
    obs = m.check_observables(observables)
    opts = m.check_options(options)
    if isinstance(times, str):
        times = parse_times(times)
    if times is None and m.default_times is not None and any("time" in m.observable(o).dims
                                                             for o in obs):
        start, stop, num = m.default_times
        times = np.linspace(start, stop, int(num))
    if times is not None:
        times = as_times(times)
    shape = tuple(a.size for a in axes)
    n_points = math.prod(shape)
    # the flattened grid of every parameter (meshgrid, resolve) before any chunk runs
    check_cost(f"sweep of {m.name}", Cost(n_points * 8.0 * (len(m.params) + 2 * len(axes) + 2),
                                          n_points * 2e-6,
                                          f"a grid of {n_points:.3g} points"))
    mesh = np.meshgrid(*[a.array() for a in axes], indexing="ij")
    values = {**fixed, **{a.name: g.ravel() for a, g in zip(axes, mesh, strict=True)}}
    resolved = m.resolve(values)  # validates the whole grid
    n = int(np.prod(shape))
    if chunk is None:
        chunk = default_chunk(n)
    if isinstance(chunk, bool) or int(chunk) != chunk or chunk < 1:
        raise ParameterError("chunk", chunk, "must be an integer >= 1")
    block = block_shape(shape, int(chunk))
    return SweepPlan(m, axes, resolved, times, obs, opts, int(chunk), block,
                     chunk_slices(shape, block))


@dataclass
class SweepSummary:
    """What one run did: chunks computed now / found done, executor, wall time."""

    path: str | None
    n_points: int
    n_chunks: int
    computed: list[int] = field(default_factory=list)
    skipped: int = 0
    executor: str = "inline"
    seconds: float = 0.0

    def line(self) -> str:
        where = self.path or "memory"
        return (f"sweep -> {where}: {self.n_points} points in {self.n_chunks} chunks; computed "
                f"{len(self.computed)}, already done {self.skipped}; executor {self.executor}; "
                f"{format_seconds(self.seconds)}")


def run_sweep(model: Any, grid: Mapping[str, Any] | Sequence[Any], *,
              params: Mapping[str, Any] | None = None, times: Any = None,
              observables: Sequence[str] | None = None, options: Mapping[str, Any] | None = None,
              out: str | os.PathLike[str] | None = None, chunk: int | None = None,
              processes: int | None = None, scheduler: str | None = None, client: Any = None,
              overwrite: bool = False, progress: str = "none",
              log: Callable[[str], None] | None = None) -> tuple[xr.Dataset, SweepSummary]:
    """Like :func:`sweep`, also returning a :class:`SweepSummary`."""
    t0 = time.perf_counter()
    if processes is not None and (scheduler is not None or client is not None):
        raise ParameterError("--processes", processes, "cannot be combined with --scheduler")
    if processes is not None and (isinstance(processes, bool) or int(processes) != processes
                                  or processes < 0):
        raise ParameterError("--processes", processes, "must be an integer >= 0")
    plan = plan_sweep(model, grid, params, times, observables, options, chunk)
    lim = current_limits()
    if scheduler is None and client is None:
        processes = _cap_processes(processes, len(plan.slices), log)
    store: ZarrStore | MemoryStore = ZarrStore(out) if out is not None else MemoryStore()
    workers = max(1, int(processes or 0)) if processes is not None else available_cores()
    _check_sweep_cost(plan, lim, workers, out is None)
    done = store.prepare(plan.spec(), overwrite, log)  # takes the writer lock, verifies
    pending = [i for i in range(len(plan.slices)) if i not in done]
    sizes = [int(np.prod([s.stop - s.start for s in sl])) for sl in plan.slices]
    summary = SweepSummary(None if out is None else str(out), plan.n_points, len(plan.slices),
                           skipped=len(done))
    run_id = uuid.uuid4().hex[:12]
    preload = (plan.model.evaluate_fn.__module__,)

    def results() -> Iterator[ChunkResult | ChunkFailure]:
        tasks: Iterable[ChunkTask] = (plan.task(i, limits=lim) for i in pending)
        if scheduler is not None or client is not None:
            summary.executor = f"dask({scheduler or client.scheduler.address})"
            yield from run_dask(tasks, scheduler, client)
            return
        if processes is not None:
            if processes == 0:
                yield from run_inline(tasks)
            else:
                summary.executor = f"processes({processes})"
                yield from run_processes(tasks, int(processes), preload)
            return
        # auto: time the first chunk in-process, then decide whether a pool pays off
        if not pending:
            return
        first = next(run_inline([plan.task(pending[0], limits=lim)]))
        est = getattr(first, "seconds", 0.0) * (len(pending) - 1)
        yield first
        ncpu = available_cores()
        rest = (plan.task(i, limits=lim) for i in pending[1:])
        if ncpu > 1 and len(pending) > 2 and est > AUTO_POOL_SECONDS:
            n = min(ncpu, len(pending) - 1)
            summary.executor = f"processes({n}, auto)"
            yield from run_processes(rest, n, preload)
        else:
            yield from run_inline(rest)

    bar: SweepProgress | None = None
    failed: list[ChunkFailure] = []
    deferred: list[ChunkFailure] = []  # numerical failures before the store exists
    spent: list[float] = []
    try:
        bar = SweepProgress(len(plan.slices), plan.n_points, len(done),
                            sum(sizes[i] for i in done), mode=progress)
        with closing(results()) as stream:
            for res in stream:
                if isinstance(res, ChunkFailure):
                    (deferred if res.numerical else failed).append(res)
                    if res.numerical and store.initialised:
                        _write_nan_chunk(store, plan, deferred.pop(), run_id)
                        summary.computed.append(res.index)
                        bar.advance(sizes[res.index])
                    continue
                if not store.initialised:
                    store.initialise(plan.template(res, lazy=out is not None))
                store.write(res, plan.slices[res.index], {"run": run_id})
                summary.computed.append(res.index)
                bar.advance(sizes[res.index])
                spent.append(res.seconds)
                _check_projection(plan, lim, t0, spent, len(pending) - len(summary.computed)
                                  - len(failed) - len(deferred), workers, out)
                if deferred and store.initialised:
                    for f in deferred:
                        _write_nan_chunk(store, plan, f, run_id)
                        summary.computed.append(f.index)
                        bar.advance(sizes[f.index])
                    deferred = []
        bar.close()
        failed += deferred
        if not store.initialised:
            raise OpenlzError("no chunk of the sweep could be computed: "
                              + "; ".join(f"chunk {f.index}: {f.error}" for f in failed[:2]))
        ds = store.finalize()
    except KeyboardInterrupt:
        if bar is not None:
            bar.close()
        if log is not None and out is not None:
            log(f"interrupted: {len(done) + len(summary.computed)}/{len(plan.slices)} chunks are "
                f"stored in {out}; run the same command again to resume")
        raise
    finally:
        if bar is not None:
            bar.close()
        store.release()
    summary.seconds = time.perf_counter() - t0
    _rewarn(ds, len(plan.slices))
    if failed:
        kept = f"the other chunks are stored in {out}; run the same command again to retry" \
            if out is not None else "no output store was given, so nothing is kept"
        raise OpenlzError(f"{len(failed)} of {len(plan.slices)} chunks failed (chunk "
                          f"{failed[0].index}: {failed[0].error}); {kept}")
    if log is not None:
        log(summary.line())
    return ds, summary


def _cap_processes(processes: int | None, n_chunks: int, log: Callable[[str], None] | None
                   ) -> int | None:
    """More workers than cores (or than chunks) only compete: cap them, with a message."""
    if processes is None or processes <= 1:
        return processes
    cap = min(available_cores(), n_chunks)
    if processes > cap:
        what = f"the {available_cores()} available cores" if cap == available_cores() else \
            f"the {n_chunks} chunks of this sweep"
        msg = f"--processes {processes} is more than {what}; using {cap}"
        (log or (lambda s: warnings.warn(s, UserWarning, stacklevel=4)))(msg)
        return cap
    return processes


def _check_sweep_cost(plan: SweepPlan, lim: Any, workers: int, in_memory: bool) -> None:
    """Memory of one chunk per worker (+ the whole result in memory) and the total time,
    estimated from the model's cost function before any chunk starts."""
    from ..models._costs import COSTS

    fn = plan.model.cost_fn or COSTS.get(plan.model.name)
    name = f"sweep of {plan.model.name}"
    if fn is not None:
        task = plan.task(0)
        one = fn({k: np.atleast_1d(v) for k, v in task.params.items()}, plan.times,
                 plan.observables, plan.options)
        n = len(plan.slices)
        total = Cost(one.memory, one.seconds * n,
                     f"{n} chunks of {plan.chunk} points; per chunk: {one.detail}")
        check_cost(name, total, lim, workers=min(workers, n))
    if in_memory:  # outputs: time axis x (a small level/axis dimension) x complex
        per_point = 16 * 4 * max(1, plan.times.size if plan.times is not None else 1)
        check_cost(name, Cost(plan.n_points * per_point * len(plan.observables), 0.0,
                              f"the whole result of {plan.n_points} points in memory; give "
                              "an output store to write it chunk by chunk"), lim)


def _check_projection(plan: SweepPlan, lim: Any, t0: float, spent: list[float],
                      remaining: int, workers: int, out: Any) -> None:
    """Stop (finished chunks are kept) when the measured chunk times project the sweep
    beyond the time limit."""
    if not np.isfinite(lim.max_seconds) or remaining <= 0:
        return
    elapsed = time.perf_counter() - t0
    projected = elapsed + float(np.mean(spent)) * remaining / max(1, workers)
    if projected > lim.max_seconds:
        from ..core.budget import format_duration

        kept = f"; the finished chunks are stored in {out} and a rerun resumes" if out else ""
        raise CostError(f"sweep of {plan.model.name}: {remaining} chunks to go at "
                        f"{float(np.mean(spent)):.3g} s per chunk project "
                        f"{format_duration(projected)}, more than the limit of "
                        f"{format_duration(lim.max_seconds)}{kept}; "
                        f"{lim.override('time')}")


def _write_nan_chunk(store: Any, plan: SweepPlan, failure: ChunkFailure, run_id: str) -> None:
    """Answer a chunk whose every point failed numerically with NaN, flagged in its record."""
    ds = store.ds if isinstance(store, MemoryStore) else None
    arrays = {}
    for name in plan.observables:
        shape = tuple(s.stop - s.start for s in plan.slices[failure.index])
        if ds is not None:
            tail, dtype = ds[name].shape[len(shape):], ds[name].dtype
        else:
            z = store._open()[name]
            tail, dtype = z.shape[len(shape):], z.dtype
        arrays[name] = np.full((int(np.prod(shape)), *tail), np.nan, dtype=dtype)
    res = ChunkResult(failure.index, arrays, {}, {}, 0.0, "",
                      [["NonFiniteWarning", f"chunk {failure.index} failed and is NaN: "
                                            f"{failure.error}"]])
    store.write(res, plan.slices[failure.index], {"run": run_id, "failed": failure.error})


def sweep(model: Any, grid: Mapping[str, Any] | Sequence[Any], *,
          params: Mapping[str, Any] | None = None, times: Any = None,
          observables: Sequence[str] | None = None, options: Mapping[str, Any] | None = None,
          out: str | os.PathLike[str] | None = None, chunk: int | None = None,
          processes: int | None = None, scheduler: str | None = None, client: Any = None,
          overwrite: bool = False, progress: str = "none") -> xr.Dataset:
    """Evaluate ``model`` on a parameter grid, chunk by chunk, and return an ``xarray.Dataset``.

    Parameters
    ----------
    model : a model name or :class:`~openlz.models.base.Model`.
    grid : ``{name: "START:STOP:NUM[:log]" | values (n,) | GridAxis}`` (or ``"NAME=..."``
        strings); one output dimension per entry, in this order.
    params : fixed parameter values (as with ``--set``); everything else takes its default.
    times : ``"START:STOP:NUM"`` or an array (T,) for time-resolved observables.
    observables, options : as for ``Model.evaluate``.
    out : a ``.zarr`` path. With it the sweep is crash-safe and resumable (finished chunks
        are kept and skipped on the next call); without it, results stay in memory.
    chunk : points per vectorised call (default :func:`~openlz.sweep.grid.default_chunk`).
        Chunks are rectangular blocks of the grid (whole trailing axes first).
    processes : ``0`` in-process; ``N >= 1`` a pool of N local processes; ``None`` (default)
        auto: in-process unless the first chunk's time says the rest takes more than
        ``AUTO_POOL_SECONDS``, then one process per core.
    scheduler, client : run on a ``dask.distributed`` cluster (address or Client).
    overwrite : replace a store holding a different sweep instead of refusing.
    progress : ``"none"``, ``"auto"``, ``"rich"`` or ``"plain"``.

    Returns
    -------
    Dataset with variables of shape ``(n_1, ..., n_k, *observable dims)``, one coordinate per
    grid parameter (with units), and attrs: model, every fixed parameter (defaults included),
    options, the model's ``_attrs`` aggregated over chunks, and the openlz version.
    Lazily backed by the zarr store when ``out`` is given.
    """
    ds, _ = run_sweep(model, grid, params=params, times=times, observables=observables,
                      options=options, out=out, chunk=chunk, processes=processes,
                      scheduler=scheduler, client=client, overwrite=overwrite, progress=progress)
    return ds

