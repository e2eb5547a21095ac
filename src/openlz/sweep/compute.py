"""One chunk of a sweep: the task shipped to a worker and the result it sends back.

:func:`compute_chunk` is the only function that runs on workers (in-process, in a
local process pool or on Dask workers).  It makes exactly one vectorised
``Model.evaluate`` call on the chunk's ``B`` points and writes nothing: the parent
process writes every result, so a worker needs no access to the store's filesystem.
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

__all__ = ["ChunkTask", "ChunkResult", "compute_chunk", "find_model", "CHUNK_DELAY_ENV"]

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


def compute_chunk(task: ChunkTask) -> ChunkResult:
    """Evaluate one chunk: one ``Model.evaluate`` call on arrays of shape (B,)."""
    delay = task.delay or float(os.environ.get(CHUNK_DELAY_ENV, "0") or 0)
    if delay > 0:
        time.sleep(delay)
    model = find_model(task.model, task.model_module)
    t0 = time.perf_counter()
    # Warnings (e.g. ValidityWarning) are returned with the result rather than printed by
    # the worker: the parent stores them in the chunk's record and summarises them once.
    # serial(): one BLAS thread, no chunk threads -- chunks already run one per core/worker
    with warnings.catch_warnings(record=True) as caught, serial():
        warnings.simplefilter("always")
        res = model.evaluate(task.params, task.times, task.observables, task.options)
    seconds = time.perf_counter() - t0
    seen: list[list[str]] = []
    for w in caught:
        item = [w.category.__name__, str(w.message)]
        if item not in seen:
            seen.append(item)
    n = max((np.size(v) for v in task.params.values() if np.ndim(v) > 0), default=1)
    arrays: dict[str, np.ndarray] = {}
    for name in task.observables:
        a = np.asarray(res[name])
        if a.ndim == 0 or a.shape[0] != n:
            raise RuntimeError(f"model {task.model!r}: observable {name!r} has shape {a.shape}, "
                               f"expected a leading batch axis of length {n}")
        arrays[name] = a
    coords = {k: np.asarray(v) for k, v in (res.get("_coords") or {}).items()}
    return ChunkResult(task.index, arrays, coords, jsonable(dict(res.get("_attrs") or {})),
                       seconds, f"{os.uname().nodename}:{os.getpid()}", seen)
