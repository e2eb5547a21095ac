"""BLAS thread control (``openlz.core.threads``): limits set inside, restored outside."""

from __future__ import annotations

import numpy as np
import pytest
from threadpoolctl import threadpool_info, threadpool_limits

from openlz import ParameterError
from openlz.core import threads


def _blas_threads() -> set[int]:
    return {i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"}


def test_blas_threads_nested_and_restored():
    with threadpool_limits(limits=2, user_api="blas"):
        before = _blas_threads()
        with threads.blas_threads(1):
            assert _blas_threads() == {1}
            with threads.blas_threads(1):          # re-entrant
                assert _blas_threads() == {1}
            assert _blas_threads() == {1}
        assert _blas_threads() == before


def test_solvers_run_single_threaded(monkeypatch):
    seen = []

    @threads.single_threaded
    def probe():
        seen.append(_blas_threads())
        return 1

    with threadpool_limits(limits=2, user_api="blas"):
        outer = _blas_threads()
        probe()
        monkeypatch.setenv("OPENLZ_BLAS_THREADS", "default")
        probe()
    assert seen[0] == {1}
    assert seen[1] == outer          # "default": the pools are left as they were
    monkeypatch.setenv("OPENLZ_BLAS_THREADS", "zero")
    with pytest.raises(ParameterError, match="OPENLZ_BLAS_THREADS"):
        probe()


def test_parallel_chunks_covers_every_slice(monkeypatch):
    monkeypatch.setenv("OPENLZ_NUM_THREADS", "3")
    out = np.zeros(1003)

    def work(sl):
        out[sl] += np.arange(sl.start, sl.stop)

    threads.parallel_chunks(work, out.size, 100)
    np.testing.assert_array_equal(out, np.arange(out.size))
    with threads.serial():
        assert threads.worker_threads() == 1
        assert _blas_threads() == {1}
    monkeypatch.setenv("OPENLZ_NUM_THREADS", "-1")
    with pytest.raises(ParameterError, match="OPENLZ_NUM_THREADS"):
        threads.worker_threads()
