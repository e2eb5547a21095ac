"""Parameter sweeps: grids evaluated chunk by chunk into a resumable zarr store.

Python::

    from openlz.sweep import sweep
    ds = sweep("magnetic-medium", {"A": "0:1:101", "delta": "0.1:10:50:log"},
               observables=["steady_concurrence"], out="cmap.zarr")      # resumable
    ds = sweep("magnetic-medium", {"A": "0:1:11"}, params={"a": 2},
               times="0:5:51", observables=["concurrence"])              # in memory

Command line (``--set``, ``--times`` and observable names as in ``openlz run``)::

    openlz sweep magnetic-medium --grid A=0:1:101 --grid delta=0.1:10:50:log \
        -o steady_concurrence --out cmap.zarr [--processes N | --scheduler tcp://host:8786]

The result is an ``xarray.Dataset`` with one dimension per grid parameter (in the order
given), then the observable's own dims (``time``, ``level``, ...).  Rerunning the same
command after a crash or Ctrl-C computes only the chunks without a verified completion
record (damaged chunks are found by their checksums and recomputed); a different command
on the same store is refused unless ``--overwrite``; ``openlz sweep --verify PATH``
reports a store's state without computing.

* :mod:`~openlz.sweep.grid` -- ``NAME=START:STOP:NUM[:log]`` axes and rectangular chunks,
* :mod:`~openlz.sweep.compute` -- one chunk = one vectorised ``Model.evaluate`` call,
* :mod:`~openlz.sweep.executors` -- in-process, local process pool, Dask distributed,
* :mod:`~openlz.sweep.store` -- zarr layout with atomic per-chunk completion records,
* :mod:`~openlz.sweep.integrity` -- checksums in the records, verification, ``--verify``,
* :mod:`~openlz.sweep.lock` -- one writer per store (``flock``),
* :mod:`~openlz.sweep.attrs` -- dataset attrs and warnings assembled from the chunks,
* :mod:`~openlz.sweep.progress` -- rich bar on a terminal, plain lines otherwise,
* :mod:`~openlz.sweep.run` -- :func:`sweep` itself.

Testing aid: the environment variable ``OPENLZ_SWEEP_CHUNK_DELAY`` (seconds) makes every
chunk sleep before it is evaluated, so a test can kill a sweep part-way.
"""

from __future__ import annotations

from .compute import CHUNK_DELAY_ENV, ChunkFailure, ChunkResult, ChunkTask, compute_chunk
from .grid import GridAxis, block_shape, chunk_slices, default_chunk, parse_grid
from .integrity import StoreReport, inspect_store
from .run import SweepPlan, SweepSummary, plan_sweep, run_sweep, sweep
from .store import ZarrStore, aggregate_attrs, read_spec

__all__ = ["sweep", "run_sweep", "plan_sweep", "SweepPlan", "SweepSummary", "GridAxis",
           "parse_grid", "block_shape", "chunk_slices", "default_chunk", "ZarrStore",
           "read_spec", "aggregate_attrs", "compute_chunk", "ChunkTask", "ChunkResult",
           "ChunkFailure", "CHUNK_DELAY_ENV", "inspect_store", "StoreReport"]
