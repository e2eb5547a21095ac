"""BLAS thread control for small batched linear algebra (threadpoolctl).

openlz's solvers work on batches of small matrices (4 x 4 states, 16 x 16 Liouvillians).
A multi-threaded BLAS gains nothing there, and on a loaded machine -- a sweep with one
process per core, Dask workers, other jobs -- its threads wait for cores that other
processes hold: one batched ``expm`` of 200 Liouvillians took 0.02 s with one thread and
0.3 s with two on this project's 2-core machine while other processes ran.  So the
solvers run their linear algebra with one BLAS thread (:func:`single_threaded`, a cheap
re-entrant context that restores the previous limits on exit), and sweep workers run
with one BLAS thread throughout (:func:`limit_process`).

``OPENLZ_BLAS_THREADS`` (an integer, or ``default``) overrides the limit used inside the
solvers: ``default`` leaves the BLAS thread pools as they are.

Instead of BLAS threads, large batches are split into chunks that run on a small pool of
Python threads (:func:`parallel_chunks`; numpy releases the GIL inside its linear-algebra
and array loops).  Unlike BLAS threads these never spin waiting for each other, so a loaded
machine only shares the cores out.  ``OPENLZ_NUM_THREADS`` sets the pool size (default: the
number of cores, at most 4); :func:`limit_process` sets it to 1.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

__all__ = ["single_threaded", "limit_process", "blas_threads", "solver_threads", "worker_threads",
           "parallel_chunks", "serial"]

F = TypeVar("F", bound=Callable[..., Any])

_lock = threading.Lock()
_depth = 0
_saved: Any = None
_controller: Any = None
_n_libs = -1


def _get_controller() -> Any:
    """The cached ``ThreadpoolController``; rebuilt when a new BLAS library has been loaded
    since (scipy's OpenBLAS is loaded after numpy's)."""
    global _controller, _n_libs
    import sys

    n = sum(1 for m in ("numpy", "scipy.linalg", "scipy.sparse.linalg") if m in sys.modules)
    if _controller is None or n != _n_libs:
        from threadpoolctl import ThreadpoolController

        _controller = ThreadpoolController()
        _n_libs = n
    return _controller


def solver_threads() -> int | None:
    """The BLAS thread count used inside openlz's solvers: 1, or ``OPENLZ_BLAS_THREADS``
    (``None`` = leave the thread pools as they are)."""
    v = os.environ.get("OPENLZ_BLAS_THREADS", "1").strip().lower()
    if v in ("", "default", "none"):
        return None
    try:
        n = int(v)
    except ValueError:
        from ..errors import ParameterError

        raise ParameterError("OPENLZ_BLAS_THREADS", v, "must be a positive integer or 'default'"
                             ) from None
    if n < 1:
        from ..errors import ParameterError

        raise ParameterError("OPENLZ_BLAS_THREADS", v, "must be a positive integer or 'default'")
    return n


@contextmanager
def blas_threads(n: int | None) -> Iterator[None]:
    """Run the block with at most ``n`` BLAS threads (``None``: unchanged).

    Re-entrant and thread-safe: the outermost entry sets the limit, the last exit
    restores the previous one; nested entries cost a counter increment.
    """
    global _depth, _saved
    if n is None:
        yield
        return
    with _lock:
        if _depth == 0:
            ctl = _get_controller()
            _saved = ctl.limit(limits=n, user_api="blas")
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _saved is not None:
                _saved.restore_original_limits()
                _saved = None


def single_threaded(fn: F) -> F:
    """Decorator: run ``fn`` under :func:`blas_threads` (``solver_threads()``, default 1)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if _depth:  # already limited by an enclosing openlz call
            return fn(*args, **kwargs)
        with blas_threads(solver_threads()):
            return fn(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


_process_limit: int | None = None
_tls = threading.local()
_pool: Any = None
_pool_size = 0


def limit_process(n: int = 1) -> None:
    """Limit BLAS and openlz's chunk threads to ``n`` for the rest of this process (sweep /
    Dask workers, where one process per core is already running)."""
    global _process_limit
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=n, user_api="blas")
    _process_limit = n


@contextmanager
def serial() -> Iterator[None]:
    """One BLAS thread and no chunk threads inside the block (a sweep chunk: the sweep
    already runs one chunk per core or per Dask worker thread)."""
    _tls.serial = getattr(_tls, "serial", 0) + 1
    try:
        with blas_threads(1):
            yield
    finally:
        _tls.serial -= 1


def worker_threads() -> int:
    """Threads for :func:`parallel_chunks`: ``OPENLZ_NUM_THREADS``, else the cores available
    to this process (at most 4), else 1 after :func:`limit_process`."""
    if _process_limit is not None:
        return _process_limit
    if getattr(_tls, "serial", 0):
        return 1
    v = os.environ.get("OPENLZ_NUM_THREADS", "").strip()
    if v:
        try:
            n = int(v)
        except ValueError:
            n = 0
        if n < 1:
            from ..errors import ParameterError

            raise ParameterError("OPENLZ_NUM_THREADS", v, "must be a positive integer")
        return n
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(cores, 4))


def parallel_chunks(work: Callable[[slice], None], n: int, chunk: int) -> None:
    """Call ``work(slice)`` for consecutive slices of ``range(n)`` of length ``chunk``, on
    :func:`worker_threads` threads (inline when that is 1 or there is one chunk).

    ``work`` must write its results into disjoint parts of preallocated arrays.  The BLAS
    limit of the calling thread (:func:`blas_threads`) applies to the whole process, so the
    workers run single-threaded BLAS too.
    """
    global _pool, _pool_size
    slices = [slice(i, min(i + chunk, n)) for i in range(0, n, chunk)]
    k = min(worker_threads(), len(slices))
    if k <= 1:
        for sl in slices:
            work(sl)
        return
    with _lock:
        if _pool is None or _pool_size < k:
            from concurrent.futures import ThreadPoolExecutor

            if _pool is not None:
                _pool.shutdown(wait=False)
            _pool = ThreadPoolExecutor(max_workers=k, thread_name_prefix="openlz")
            _pool_size = k
        pool = _pool
    for f in [pool.submit(work, sl) for sl in slices]:
        f.result()
