"""Sweep executors: a 100x100 grid in-process, with 2 local processes and on a 2-worker Dask
LocalCluster, each writing a resumable zarr store.

Peer: QuTiP's ``serial_map`` / ``parallel_map(num_cpus=2)`` mapping the same chunk function
over the same chunks (no storage).  ``ratio`` = QuTiP map time / openlz wall time, the
convention of every benchmark here (peer / openlz: above 1 means openlz is faster); below 1 it
shows what the store, the completion records and the executor cost on top of the computation.
``overhead/chunk`` = (wall time - evaluation time / workers) / chunks.

Usage: ``python benchmarks/bench_sweep.py [--repeat 3] [--heavy]``; ``--heavy`` adds the
numerical steady-state concurrence (a Liouvillian null space per point).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import record  # noqa: E402

from openlz.sweep import ZarrStore, plan_sweep, run_sweep  # noqa: E402
from openlz.sweep.compute import compute_chunk  # noqa: E402

GRID = {"A": "0:1:100", "delta": "0:2:100"}
MODEL = "magnetic-medium"


def _peer(tasks, workers):
    from qutip.solver.parallel import parallel_map, serial_map

    if workers == 1:
        return serial_map(compute_chunk, tasks)
    return parallel_map(compute_chunk, tasks, map_kw={"num_cpus": workers})


def bench(observable: str, repeat: int, cluster) -> list[dict]:
    plan = plan_sweep(MODEL, GRID, observables=[observable])
    tasks = [plan.task(i) for i in range(len(plan.slices))]
    _peer(tasks[:1], 1)  # import qutip before timing
    tmp = Path(tempfile.mkdtemp(prefix="openlz-bench-sweep-"))
    rows = []
    ref = None
    try:
        for label, kw, workers in [("in-process", {"processes": 0}, 1),
                                   ("2 processes", {"processes": 2}, 2),
                                   ("dask 2 workers", {"scheduler": cluster.scheduler_address}, 2)]:
            walls, evals = [], []
            ds = None
            for _ in range(repeat):
                out = tmp / "s.zarr"
                shutil.rmtree(out, ignore_errors=True)
                t0 = time.perf_counter()
                ds, summary = run_sweep(MODEL, GRID, observables=[observable], out=out, **kw)
                ds = ds.load()
                walls.append(time.perf_counter() - t0)
                evals.append(sum(r["seconds"] for r in ZarrStore(out).records().values()))
            wall, ev = statistics.median(walls), statistics.median(evals)
            t0 = time.perf_counter()
            peer_res = _peer(tasks, workers)
            peer = time.perf_counter() - t0
            peer_arr = np.empty(plan.shape)
            for r in peer_res:
                peer_arr[plan.slices[r.index]] = r.arrays[observable].reshape(
                    peer_arr[plan.slices[r.index]].shape)
            ref = ds[observable].values if ref is None else ref
            diff = float(max(np.max(np.abs(ds[observable].values - peer_arr)),
                             np.max(np.abs(ds[observable].values - ref))))
            n = len(plan.slices)
            rows.append({"case": f"100x100 {observable}, {label}", "openlz_s": wall,
                         "peer_s": peer, "ratio": peer / wall, "max_diff": diff,
                         "chunks": n, "points_per_chunk": plan.chunk,
                         "eval_s": ev, "overhead_per_chunk_ms": 1e3 * (wall - ev / workers) / n})
            print(f"{rows[-1]['case']:55s} openlz {wall:7.3f} s  qutip-map {peer:7.3f} s  "
                  f"qutip/openlz {peer / wall:5.2f}  eval {ev:6.3f} s  "
                  f"overhead/chunk {rows[-1]['overhead_per_chunk_ms']:6.2f} ms  "
                  f"max diff {diff:.1e}", flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--heavy", action="store_true", help="also the numerical steady state")
    args = ap.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        rows = bench("steady_concurrence_closed_form", args.repeat, cluster)
        if args.heavy:
            rows += bench("steady_concurrence", 1, cluster)
    path = record("sweep", rows, note="openlz sweep (zarr store, completion records) vs QuTiP "
                  "serial_map/parallel_map of the same chunk function without storage; "
                  "median wall times")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
