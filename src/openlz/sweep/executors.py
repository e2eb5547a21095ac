"""Where chunks are computed: in-process, a local process pool, or a Dask cluster.

Each executor takes an iterable of :class:`ChunkTask` and yields :class:`ChunkResult`
as chunks finish (in any order).  Workers only compute (:func:`compute_chunk`); the
parent process writes.  Executors are generators: closing one (e.g. on Ctrl-C)
cancels the chunks not yet started and stops the workers it started.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Any

from .compute import ChunkResult, ChunkTask, compute_chunk

__all__ = ["run_inline", "run_processes", "run_dask"]


def run_inline(tasks: Iterable[ChunkTask]) -> Iterator[ChunkResult]:
    """Compute the chunks one after the other in this process."""
    for t in tasks:
        yield compute_chunk(t)


def _ignore_sigint() -> None:
    # Ctrl-C goes to the whole process group; the parent handles it and stops the pool.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # one worker per core: one BLAS thread each (multi-threaded BLAS on busy cores spins)
    from ..core.threads import limit_process

    limit_process(1)


def run_processes(tasks: Iterable[ChunkTask], processes: int,
                  preload: Sequence[str] = ()) -> Iterator[ChunkResult]:
    """Compute the chunks in a pool of ``processes`` local worker processes.

    Workers are started with ``forkserver`` (``spawn`` where unavailable), so they do not
    inherit the parent's threads (progress bar, zarr's event loop).  The fork server
    imports openlz and the ``preload`` modules (the model's) once, so later pools of the
    same parent start in a fraction of a second.  At most ``2 * processes`` chunks are
    queued at a time.
    """
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if ctx.get_start_method() == "forkserver":
        ctx.set_forkserver_preload(["openlz.sweep.compute", *preload])
    pool = ProcessPoolExecutor(max_workers=processes, mp_context=ctx, initializer=_ignore_sigint)
    it = iter(tasks)
    pending: set[Any] = set()
    finished = False
    try:
        for t in it:
            pending.add(pool.submit(compute_chunk, t))
            if len(pending) >= 2 * processes:
                break
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for f in done:
                yield f.result()
                nxt = next(it, None)
                if nxt is not None:
                    pending.add(pool.submit(compute_chunk, nxt))
        finished = True
    finally:
        if finished:
            pool.shutdown(wait=True)
        else:
            # Interrupted or failed: drop queued chunks and stop the workers now rather
            # than waiting for the chunks in flight (their results would be discarded).
            procs = list(getattr(pool, "_processes", {}).values())
            pool.shutdown(wait=False, cancel_futures=True)
            for p in procs:
                p.terminate()


def run_dask(tasks: Iterable[ChunkTask], scheduler: str | None = None,
             client: Any = None) -> Iterator[ChunkResult]:
    """Compute the chunks on a ``dask.distributed`` cluster.

    ``scheduler`` is the scheduler's address (``tcp://host:port``); alternatively pass an
    existing ``distributed.Client``.  Workers need openlz installed (and the model's
    module importable); they return results to this process, so they need no access to
    the output path.
    """
    from distributed import Client, as_completed

    own = client is None
    if own:
        try:
            client = Client(scheduler, timeout="15s")
        except (OSError, TimeoutError) as e:
            from ..errors import OpenlzError

            raise OpenlzError(f"cannot connect to the Dask scheduler {scheduler!r}: {e}") from None
    futures: list[Any] = []
    try:
        tasks = list(tasks)
        futures = client.map(compute_chunk, tasks, pure=False,
                             key=[f"openlz-sweep-chunk-{t.index}-{id(t):x}" for t in tasks])
        for fut in as_completed(futures):
            res = fut.result()
            fut.release()
            yield res
        futures = []
    finally:
        if futures:
            client.cancel(futures)
        if own:
            client.close()
