"""One chunk of a sweep: the task shipped to a worker and the result it sends back.

:func:`compute_chunk` is the only function that runs on workers (in-process, in a
local process pool or on Dask workers).  It makes one vectorised ``Model.evaluate``
call on the chunk's ``B`` points and writes nothing: the parent process writes every
result, so a worker needs no access to the store's filesystem.  If the numerics fail for
the batch (:class:`~openlz.errors.NumericalError`), the points are evaluated one by one and
the failing ones are answered with NaN and a warning naming them: one degenerate point
never costs its chunk.  The chunk runs under the sweep's cost limits (``task.limits``).
"""

from __future__ import annotations

import importlib
import os
import time
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..core.threads import serial
from ..results import jsonable

__all__ = ["ChunkTask", "ChunkResult", "ChunkFailure", "compute_chunk", "find_model",
           "CHUNK_DELAY_ENV"]

#: Testing aid: seconds to sleep before each chunk (lets a test kill a sweep mid-way).
CHUNK_DELAY_ENV = "OPENLZ_SWEEP_CHUNK_DELAY"


@dataclass
class ChunkTask:
    """Everything a worker needs for one chunk.

    params : every model parameter, either a scalar (fixed) or an array of shape (B,).
    """

    index: int
    model: str
    model_module: str
    params: dict[str, Any]
    times: np.ndarray | None
    observables: list[str]
    options: dict[str, Any]
    delay: float = 0.0
    limits: Any = None  # core.budget.Limits of the sweep (None: the worker's defaults)


@dataclass
class ChunkResult:
    """Observables ``{name: array (B, *dims)}``, the model's ``_coords`` and ``_attrs``
    (JSON-able), the evaluation time and where it ran."""

    index: int
    arrays: dict[str, np.ndarray]
    coords: dict[str, Any] = field(default_factory=dict)
    attrs: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0
    worker: str = ""
    warnings: list[list[str]] = field(default_factory=list)


@dataclass
class ChunkFailure:
    """A chunk that could not be computed (its worker died, or an error that is not a
    per-point numerical failure); the sweep goes on and reports it at the end."""

    index: int
    error: str
    numerical: bool = False  # the numerics failed (deterministic): answered with NaN


_MODEL_CACHE: dict[str, Any] = {}


def find_model(name: str, module: str = "") -> Any:
    """The model ``name``: from the registry, else from the module that defines it
    (so models registered outside ``openlz.models``, e.g. by a test, reach workers)."""
    if name in _MODEL_CACHE:
        return _MODEL_CACHE[name]
    from ..models import get_model
    from ..models.base import MODELS, Model

    model = MODELS.get(name)
    if model is None and module:
        # import only the defining module (cheaper than loading every model)
        try:
            mod = importlib.import_module(module)
        except ImportError:
            mod = None
        model = MODELS.get(name) or next(
            (v for v in (vars(mod) if mod else {}).values()
             if isinstance(v, Model) and v.name == name),
            None)
    if model is None:
        model = get_model(name)  # raises UnknownNameError listing the known models
    _MODEL_CACHE[name] = model
    return model


def _evaluate_pointwise(model: Any, task: ChunkTask, n: int, first: BaseException
                        ) -> dict[str, Any]:
    """Evaluate the chunk's points one at a time; failing points become NaN (warned)."""
    from ..errors import NonFiniteWarning, OpenlzError

    parts: list[dict[str, Any] | None] = []
    failed: list[tuple[int, str]] = []
    for b in range(n):
        point = {k: (v[b:b + 1] if np.ndim(v) else v) for k, v in task.params.items()}
        try:
            parts.append(model.evaluate(point, task.times, task.observables, task.options))
        except OpenlzError as e:
            parts.append(None)
            failed.append((b, str(e)))
    ok = [r for r in parts if r is not None]
    if not ok:
        raise first
    out: dict[str, Any] = {k: v for k, v in ok[0].items() if k.startswith("_")}
    for name in task.observables:
        proto = np.asarray(ok[0][name])
        dtype = np.result_type(proto.dtype, np.float64)
        full = np.full((n, *proto.shape[1:]), np.nan, dtype=dtype)
        for b, r in enumerate(parts):
            if r is not None:
                full[b] = np.asarray(r[name])[0]
        out[name] = full
    b, why = failed[0]
    where = ", ".join(f"{k}={np.asarray(v)[b]:.6g}" for k, v in task.params.items()
                      if np.ndim(v) and np.asarray(v).dtype.kind in "iuf")[:200]
    warnings.warn(f"{len(failed)} of {n} points of chunk {task.index} failed and are NaN, e.g. "
                  f"({where}): {why}", NonFiniteWarning, stacklevel=2)
    return out


def compute_chunk(task: ChunkTask) -> ChunkResult:
    """Evaluate one chunk: one ``Model.evaluate`` call on arrays of shape (B,) (point by
    point if the numerics fail for the batch)."""
    from ..core.budget import limits
    from ..errors import NumericalError

    delay = task.delay or float(os.environ.get(CHUNK_DELAY_ENV, "0") or 0)
    if delay > 0:
        time.sleep(delay)
    model = find_model(task.model, task.model_module)
    n = max((np.size(v) for v in task.params.values() if np.ndim(v) > 0), default=1)
    lim = task.limits
    t0 = time.perf_counter()
    # Warnings (e.g. ValidityWarning) are returned with the result rather than printed by
    # the worker: the parent stores them in the chunk's record and summarises them once.
    # serial(): one BLAS thread, no chunk threads -- chunks already run one per core/worker
    with warnings.catch_warnings(record=True) as caught, serial(), limits(
            max_memory=None if lim is None else lim.max_memory,
            max_seconds=None if lim is None else lim.max_seconds,
            context=None if lim is None else lim.context):
        warnings.simplefilter("always")
        try:
            res = model.evaluate(task.params, task.times, task.observables, task.options)
        except NumericalError as e:
            if n == 1:
                raise
            res = _evaluate_pointwise(model, task, n, e)
    seconds = time.perf_counter() - t0
    seen: list[list[str]] = []
    for w in caught:
        item = [w.category.__name__, str(w.message)]
        if item not in seen:
            seen.append(item)
    arrays: dict[str, np.ndarray] = {}
    for name in task.observables:
        a = np.asarray(res[name])
        if a.ndim == 0 or a.shape[0] != n:
            raise RuntimeError(f"model {task.model!r}: observable {name!r} has shape {a.shape}, "
                               f"expected a leading batch axis of length {n}")
        arrays[name] = a
    coords = {k: ((v[0], np.asarray(v[1])) if isinstance(v, tuple) else np.asarray(v))
              for k, v in (res.get("_coords") or {}).items()}  # (dims, values) kept as is
    return ChunkResult(task.index, arrays, coords, jsonable(dict(res.get("_attrs") or {})),
                       seconds, f"{os.uname().nodename}:{os.getpid()}", seen)
