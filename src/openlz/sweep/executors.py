"""Where chunks are computed: in-process, a local process pool, or a Dask cluster.

Each executor takes an iterable of :class:`ChunkTask` and yields :class:`ChunkResult` (or
:class:`ChunkFailure` for a chunk that could not be computed: the others go on) as chunks
finish, in any order.  Workers only compute (:func:`compute_chunk`); the parent process
writes.  Executors are generators: closing one (e.g. on Ctrl-C) cancels the chunks not
yet started and stops the workers it started.

Process hygiene: local workers never outlive the sweep.  Each worker asks the kernel to
kill it when its parent (the fork server) dies (``PR_SET_PDEATHSIG`` on Linux) and watches
the sweep's own process (``pidfd``, else polling once a second) so that it exits when the
sweep is killed, even with SIGKILL; the fork server exits when the sweep's end of its
pipe closes, and the resource tracker when its last client is gone.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from ..errors import CostError, NumericalError, OpenlzError
from .compute import ChunkFailure, ChunkResult, ChunkTask, compute_chunk

__all__ = ["run_inline", "run_processes", "run_dask", "available_cores"]

_PR_SET_PDEATHSIG = 1


def available_cores() -> int:
    """Cores this process may run on (affinity mask), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _failure(index: int, exc: BaseException) -> ChunkFailure:
    """A chunk's exception as a :class:`ChunkFailure`, or re-raised if it must stop the
    sweep (cost limits, interrupts, a broken pool)."""
    if isinstance(exc, (CostError, KeyboardInterrupt, BrokenProcessPool)):
        raise exc
    text = " ".join(str(exc).split())[:300]
    return ChunkFailure(index, f"{type(exc).__name__}: {text}",
                        numerical=isinstance(exc, NumericalError))


def run_inline(tasks: Iterable[ChunkTask]) -> Iterator[ChunkResult | ChunkFailure]:
    """Compute the chunks one after the other in this process."""
    for t in tasks:
        try:
            res: ChunkResult | ChunkFailure = compute_chunk(t)
        except (OpenlzError, ArithmeticError, ValueError, RuntimeError) as e:
            res = _failure(t.index, e)
        yield res


def _watch_parent(pid: int) -> None:
    """Exit this worker as soon as process ``pid`` (the sweep) has exited."""
    try:
        fd = os.pidfd_open(pid)
    except (AttributeError, OSError):
        fd = -1
    if fd >= 0:
        import select

        select.select([fd], [], [])  # readable once the process has exited
    else:  # pragma: no cover - kernels without pidfd
        import time

        while os.getppid() != 1:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(1.0)
    os._exit(1)


def _worker_init(sweep_pid: int) -> None:
    # Ctrl-C goes to the whole process group; the parent handles it and stops the pool.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # pragma: no cover - no prctl
            pass
    threading.Thread(target=_watch_parent, args=(sweep_pid,), daemon=True,
                     name="openlz-parent-watch").start()
    # one worker per core: one BLAS thread each (multi-threaded BLAS on busy cores spins)
    from ..core.threads import limit_process

    limit_process(1)


def run_processes(tasks: Iterable[ChunkTask], processes: int,
                  preload: Sequence[str] = ()) -> Iterator[ChunkResult | ChunkFailure]:
    """Compute the chunks in a pool of ``processes`` local worker processes.

    Workers are started with ``forkserver`` (``spawn`` where unavailable), so they do not
    inherit the parent's threads (progress bar, zarr's event loop).  The fork server
    imports openlz and the ``preload`` modules (the model's) once, so later pools of the
    same parent start in a fraction of a second.  At most ``2 * processes`` chunks are
    queued at a time.  A worker that dies (killed, out of memory) breaks the pool: the
    chunks in flight are lost and the sweep stops (finished chunks are stored).
    """
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if ctx.get_start_method() == "forkserver":
        ctx.set_forkserver_preload(["openlz.sweep.compute", *preload])
    pool = ProcessPoolExecutor(max_workers=processes, mp_context=ctx, initializer=_worker_init,
                               initargs=(os.getpid(),))
    it = iter(tasks)
    pending: dict[Any, int] = {}
    finished = False
    try:
        for t in it:
            pending[pool.submit(compute_chunk, t)] = t.index
            if len(pending) >= 2 * processes:
                break
        while pending:
            done, _ = wait(list(pending), return_when=FIRST_COMPLETED)
            for f in done:
                index = pending.pop(f)
                try:
                    res: ChunkResult | ChunkFailure = f.result()
                except BrokenProcessPool:
                    raise OpenlzError("a sweep worker process died (killed, or out of "
                                      "memory); the finished chunks are stored; run the same "
                                      "command again to resume") from None
                except Exception as e:  # noqa: BLE001 - classified by _failure
                    res = _failure(index, e)
                yield res
                nxt = next(it, None)
                if nxt is not None:
                    pending[pool.submit(compute_chunk, nxt)] = nxt.index
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
             client: Any = None) -> Iterator[ChunkResult | ChunkFailure]:
    """Compute the chunks on a ``dask.distributed`` cluster.

    ``scheduler`` is the scheduler's address (``tcp://host:port``); alternatively pass an
    existing ``distributed.Client``.  Workers need openlz installed (and the model's
    module importable); they return results to this process, so they need no access to
    the output path.  A worker that dies mid-chunk loses only that chunk: the scheduler
    runs it again on another worker (up to ``distributed.scheduler.allowed-failures``
    times; then it is reported as failed and the other chunks go on).
    """
    from distributed import Client, as_completed

    own = client is None
    if own:
        try:
            client = Client(scheduler, timeout="15s")
        except (OSError, TimeoutError) as e:
            raise OpenlzError(f"cannot connect to the Dask scheduler {scheduler!r}: {e}") from None
    futures: list[Any] = []
    try:
        tasks = list(tasks)
        keys = [f"openlz-sweep-chunk-{t.index}-{id(t):x}" for t in tasks]
        futures = client.map(compute_chunk, tasks, pure=False, key=keys)
        index = {f.key: t.index for f, t in zip(futures, tasks, strict=True)}
        for fut in as_completed(futures):
            try:
                res: ChunkResult | ChunkFailure = fut.result()
            except Exception as e:  # noqa: BLE001 - KilledWorker, errors on the worker
                res = _failure(index[fut.key], e)
            fut.release()
            yield res
        futures = []
    finally:
        if futures:
            client.cancel(futures)
        if own:
            client.close()
