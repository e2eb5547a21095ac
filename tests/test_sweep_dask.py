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

# the toy model warns for y > 2.5 on purpose (tested in test_warnings_summarised)
pytestmark = pytest.mark.filterwarnings("ignore::openlz.errors.ValidityWarning")


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


def test_cli_scheduler_option(cluster, tmp_path, monkeypatch, capsys):
    """``openlz sweep --scheduler ADDRESS`` runs on the cluster; same data as in-process."""
    import sys

    from openlz.cli import main
    from openlz.models.base import MODELS

    monkeypatch.setitem(MODELS, TOY.name, TOY)
    out = tmp_path / "c.zarr"
    monkeypatch.setattr(sys, "argv", ["openlz", "sweep", "sweep-toy", "--grid", "x=0:2:9",
                                      "--grid", "y=0:3:6", "-o", "f", "--chunk", "5",
                                      "--scheduler", cluster.scheduler_address,
                                      "--out", str(out), "--progress", "none"])
    with pytest.raises(SystemExit) as e:
        main()
    assert e.value.code == 0
    assert f"executor dask({cluster.scheduler_address})" in capsys.readouterr().err
    xr.testing.assert_identical(xr.open_zarr(out).load(),
                                sweep(TOY, GRID, observables=["f"], chunk=5))


def test_magnetic_medium_identical_on_dask(cluster):
    """A real model (Lindblad evolution + steady state, time and level axes): Dask workers,
    local processes and in-process evaluation give bit-identical datasets."""
    from openlz.models import all_models

    if "magnetic-medium" not in all_models():
        pytest.skip("magnetic-medium model not available")
    kw = {"grid": {"A": "0.1:1:4", "delta": "0:2:3"}, "times": "0:3:5", "chunk": 4,
          "observables": ["steady_concurrence", "concurrence", "populations"]}
    a = sweep("magnetic-medium", processes=0, **kw)
    b = sweep("magnetic-medium", processes=2, **kw)
    d = sweep("magnetic-medium", scheduler=cluster.scheduler_address, **kw)
    assert dict(a.sizes) == {"A": 4, "delta": 3, "time": 5, "level": 4}
    xr.testing.assert_identical(a, b)
    xr.testing.assert_identical(a, d)


def test_dask_worker_death_loses_only_its_chunk(cluster, tmp_path):
    """A worker that dies mid-chunk (os._exit, as under the OOM killer) loses only that
    chunk: the scheduler runs it again on a worker, the other chunks are not recomputed,
    and the store ends complete with the closed form f = x."""
    from sweep_killer import KILLER

    from openlz.sweep import inspect_store

    log = tmp_path / "evals.log"
    out = tmp_path / "k.zarr"
    ds, summary = run_sweep(KILLER, {"x": "0:7:8"}, chunk=1, observables=["f"],
                            options={"log": str(log)}, scheduler=cluster.scheduler_address,
                            out=out)
    assert (tmp_path / "evals.log.killed").exists()  # a worker did die
    evals = [ln.strip() for ln in log.read_text().splitlines()]
    assert evals.count("2") == 2  # the killed chunk: once killed, once retried
    assert len(evals) <= 8 + 2  # at most one finished result in flight lost with the worker
    assert sorted(summary.computed) == list(range(8))
    np.testing.assert_array_equal(ds.f.values, np.arange(8.0))
    assert inspect_store(out).clean
