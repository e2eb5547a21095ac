"""Sweeps on a real ``dask.distributed`` cluster: a LocalCluster with a scheduler and two
worker processes on loopback, started for this module and shut down after it.

Expected values: the same sweep computed in-process and by a local process pool
(identical datasets, bit for bit), and the toy model's closed form.
"""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr
from test_sweep_toy import TOY

from openlz.sweep import ZarrStore, run_sweep, sweep

distributed = pytest.importorskip("distributed")

GRID = {"x": "0:2:9", "y": "0:3:6"}
OBS = ["f", "g", "decay"]


@pytest.fixture(scope="module")
def cluster():
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, host="127.0.0.1",
                      dashboard_address=None) as c:
        yield c


def test_dask_processes_inline_identical(cluster, tmp_path):
    inline = sweep(TOY, GRID, times="0:1:4", observables=OBS, chunk=5, processes=0,
                   out=tmp_path / "inline.zarr").load()
    procs = sweep(TOY, GRID, times="0:1:4", observables=OBS, chunk=5, processes=2,
                  out=tmp_path / "procs.zarr").load()
    ds, summary = run_sweep(TOY, GRID, times="0:1:4", observables=OBS, chunk=5,
                            scheduler=cluster.scheduler_address, out=tmp_path / "dask.zarr")
    assert summary.executor.startswith("dask(tcp://127.0.0.1:")
    # both workers took part (chunks are spread over the two worker processes)
    workers = {r["worker"] for r in ZarrStore(tmp_path / "dask.zarr").records().values()}
    assert len(workers) == 2
    ds = ds.load()
    xr.testing.assert_identical(ds, inline)
    xr.testing.assert_identical(procs, inline)
    x, y = np.meshgrid(ds.x.values, ds.y.values, indexing="ij")
    np.testing.assert_allclose(ds.f.values, 2 * np.sin(x) * np.cos(y), rtol=1e-14, atol=1e-15)


def test_dask_resume_and_client(cluster, tmp_path):
    """A Dask run resumes a store begun in-process (only missing chunks go to the cluster)."""
    from distributed import Client

    out = tmp_path / "s.zarr"
    run_sweep(TOY, GRID, observables=["f"], chunk=5, processes=0, out=out)
    for i in (0, 4):
        (out / "_openlz" / "chunks" / f"{i}.done").unlink()
    with Client(cluster.scheduler_address) as client:
        ds, s = run_sweep(TOY, GRID, observables=["f"], chunk=5, client=client, out=out)
    assert sorted(s.computed) == [0, 4]
    xr.testing.assert_identical(ds.load(), sweep(TOY, GRID, observables=["f"], chunk=5))
