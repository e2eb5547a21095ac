"""Sweeps through the Python API with the closed-form ``sweep-toy`` model.

Expected values: the toy model's closed forms (f = k sin x cos y, g = 2x + i y,
decay = y exp(-x t)) evaluated with numpy at the dataset's coordinates; resumed and
parallel runs are compared with an uninterrupted in-process run (same bytes).
"""

from __future__ import annotations

import json

import numpy as np
import pytest
import xarray as xr
from test_sweep_toy import TOY

from openlz.errors import OpenlzError, ParameterError, UnknownNameError
from openlz.sweep import ZarrStore, aggregate_attrs, read_spec, run_sweep, sweep

GRID = {"x": "0:2:7", "y": "0:3:5"}
OBS = ["f", "g", "decay"]

# the toy model warns for y > 2.5 on purpose (tested in test_warnings_summarised)
pytestmark = pytest.mark.filterwarnings("ignore::openlz.errors.ValidityWarning")


def _closed_form(ds):
    x, y = np.meshgrid(ds.x.values, ds.y.values, indexing="ij")
    return {"f": 2 * np.sin(x) * np.cos(y), "g": 2 * x + 1j * y,
            "decay": y[..., None] * np.exp(-x[..., None] * ds.time.values)}


def test_memory_sweep_matches_closed_form():
    ds = sweep(TOY, GRID, times="0:1:3", observables=OBS, chunk=4)
    assert ds.f.dims == ("x", "y") and ds.decay.dims == ("x", "y", "time")
    assert ds.sizes == {"x": 7, "y": 5, "time": 3}
    for k, v in _closed_form(ds).items():
        np.testing.assert_allclose(ds[k].values, v, rtol=1e-14, atol=1e-15)
    # the derived default scale = 2x varies over the grid: a coordinate over (x, y)
    np.testing.assert_allclose(ds.scale.values, 2 * ds.x.values[:, None] + 0 * ds.y.values)
    assert ds.x.attrs["units"] == "1/time" and ds.attrs["model"] == "sweep-toy"
    assert ds.attrs["param_k"] == 2 and ds.attrs["tolerance"] == 1e-12
    # _attrs differing between chunks are aggregated: numbers -> max, booleans -> counted
    assert ds.attrs["max_x"] == 2.0
    assert ds.attrs["all_small"].startswith("mixed: true in")


def test_fixed_params_and_log_axis():
    ds = sweep(TOY, {"y": "0.1:10:3:log"}, params={"k": "3", "x": "pi/2"}, observables=["f"])
    np.testing.assert_allclose(ds.f.values, 3 * np.cos(np.geomspace(0.1, 10, 3)), rtol=1e-14)
    assert json.loads(ds.attrs["params"])["k"] == 3


def test_zarr_store_equals_memory_and_layout(tmp_path):
    mem = sweep(TOY, GRID, times="0:1:3", observables=OBS, chunk=4)
    out = tmp_path / "s.zarr"
    ds, summary = run_sweep(TOY, GRID, times="0:1:3", observables=OBS, chunk=4, out=out)
    xr.testing.assert_identical(ds.load(), mem)
    assert summary.computed and sorted(summary.computed) == list(range(14))
    # one zarr chunk per sweep chunk: block (1, 4) over the (7, 5) grid
    assert ds.f.encoding["chunks"] == (1, 4)
    assert ds.decay.encoding["chunks"] == (1, 4, 3)
    assert len(list((out / "_openlz" / "chunks").glob("*.done"))) == 14
    assert read_spec(out)["chunk"] == 4
    # plain xarray reads the store
    xr.testing.assert_identical(xr.open_zarr(out).load(), mem)


def test_resume_skips_done_chunks(tmp_path):
    """Drop some completion records (as if killed), rerun: only those chunks are recomputed."""
    out = tmp_path / "s.zarr"
    ref, _ = run_sweep(TOY, GRID, times="0:1:3", observables=OBS, chunk=4, out=tmp_path / "r.zarr")
    run_sweep(TOY, GRID, times="0:1:3", observables=OBS, chunk=4, out=out)
    store = ZarrStore(out)
    before = store.records()
    for i in (3, 7, 12):
        (out / "_openlz" / "chunks" / f"{i}.done").unlink()
    # corrupt the data of lost chunk 3 (x index 1, y 4:5): it must be rewritten
    import zarr
    zarr.open_group(str(out), mode="r+")["f"][1:2, 4:5] = -99.0
    ds, summary = run_sweep(TOY, GRID, times="0:1:3", observables=OBS, chunk=4, out=out)
    assert sorted(summary.computed) == [3, 7, 12] and summary.skipped == 11
    after = store.records()
    for i in set(range(14)) - {3, 7, 12}:
        assert after[i] == before[i]  # untouched records: same run id, same content
    assert after[3]["run"] != before[3]["run"]
    xr.testing.assert_identical(ds.load(), ref.load())
    # a complete store: nothing to compute
    _, s2 = run_sweep(TOY, GRID, times="0:1:3", observables=OBS, chunk=4, out=out)
    assert s2.computed == [] and s2.skipped == 14


def test_interrupt_keeps_finished_chunks(tmp_path, monkeypatch):
    """A KeyboardInterrupt mid-sweep keeps the finished chunks; the rerun completes."""
    import openlz.sweep.run as run_mod

    out = tmp_path / "s.zarr"
    calls = {"n": 0}
    real = run_mod.run_inline

    def flaky(tasks):
        for r in real(tasks):
            calls["n"] += 1
            if calls["n"] == 5:
                raise KeyboardInterrupt
            yield r

    monkeypatch.setattr(run_mod, "run_inline", flaky)
    with pytest.raises(KeyboardInterrupt):
        run_sweep(TOY, GRID, observables=["f"], chunk=4, out=out, processes=0)
    assert len(ZarrStore(out).done()) == 4  # chunk 0..3 written (auto probe is not used)
    monkeypatch.setattr(run_mod, "run_inline", real)
    ds, s = run_sweep(TOY, GRID, observables=["f"], chunk=4, out=out, processes=0)
    assert len(s.computed) == 10 and s.skipped == 4
    xr.testing.assert_identical(ds.load(), sweep(TOY, GRID, observables=["f"], chunk=4))


def test_mismatch_refused_unless_overwrite(tmp_path):
    out = tmp_path / "s.zarr"
    run_sweep(TOY, GRID, observables=["f"], chunk=4, out=out)
    for kw, what in [({"grid": {"x": "0:2:8", "y": "0:3:5"}}, "grid"),
                     ({"params": {"k": 3}}, "params; params k: 2 -> 3"), ({"chunk": 5}, "block, chunk"),
                     ({"observables": ["g"]}, "observables")]:
        args = {"grid": GRID, "observables": ["f"], "chunk": 4, **kw}
        with pytest.raises(OpenlzError, match=f"differs in: {what}"):
            run_sweep(TOY, args.pop("grid"), out=out, **args)
    ds, s = run_sweep(TOY, GRID, observables=["f"], params={"k": 3}, chunk=4, out=out,
                      overwrite=True)
    assert s.skipped == 0
    np.testing.assert_allclose(ds.f.values, 1.5 * sweep(TOY, GRID, observables=["f"]).f.values)


def test_refuses_foreign_directory(tmp_path):
    d = tmp_path / "notastore.zarr"
    d.mkdir()
    (d / "precious.txt").write_text("keep me")
    with pytest.raises(OpenlzError, match="not an openlz sweep store"):
        run_sweep(TOY, GRID, observables=["f"], out=d)
    with pytest.raises(OpenlzError, match="refusing to overwrite"):
        run_sweep(TOY, GRID, observables=["f"], out=d, overwrite=True)
    assert (d / "precious.txt").exists()


@pytest.mark.parametrize("kw, exc, words", [
    ({"grid": {"nope": "0:1:3"}}, UnknownNameError, "nope"),
    ({"observables": ["nope"]}, UnknownNameError, "observable"),
    ({"grid": {"x": "-1:1:3"}}, ParameterError, "'x' = -1.0: must be >= 0"),
    ({"grid": {"k": "0:1:3"}}, ParameterError, "integer"),
    ({"params": {"x": 1}}, ParameterError, "also set"),
    ({"chunk": 0}, ParameterError, "chunk"),
    ({"processes": -1}, ParameterError, "processes"),
    ({"processes": 2, "scheduler": "tcp://127.0.0.1:1"}, ParameterError, "scheduler"),
])
def test_bad_input(kw, exc, words):
    args = {"grid": {"x": "0:1:3"}, **kw}
    with pytest.raises(exc, match=words):
        run_sweep(TOY, args.pop("grid"), **args)


def test_process_pool_identical(tmp_path):
    """Two local worker processes produce the same dataset as in-process evaluation."""
    mem = sweep(TOY, GRID, times="0:1:3", observables=OBS, chunk=4)
    ds, s = run_sweep(TOY, GRID, times="0:1:3", observables=OBS, chunk=4, processes=2,
                      out=tmp_path / "p.zarr")
    assert s.executor == "processes(2)"
    xr.testing.assert_identical(ds.load(), mem)


def test_aggregate_attrs_rules():
    agg = aggregate_attrs([{"tol": 1e-9, "err": 1e-3, "ok": True, "m": "a"},
                           {"tol": 1e-9, "err": 2e-3, "ok": False, "m": "b"}])
    assert agg["tol"] == 1e-9 and agg["err"] == 2e-3
    assert agg["ok"] == "mixed: true in 1/2 chunks" and agg["m"] == "a"
    assert "err: max" in agg["sweep_attrs_aggregated"]


def test_progress_plain_lines(capsys):
    from openlz.sweep.progress import SweepProgress, format_seconds

    p = SweepProgress(4, 40, 1, 10, mode="plain", interval=0.0)
    for _ in range(3):
        p.advance(10)
    p.close()
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "sweep: 40 points in 4 chunks, 1 chunks already done"
    assert err[-1].startswith("sweep: 4/4 chunks, 40/40 points") and "ETA 0s" in err[-1]
    assert format_seconds(75.2) == "1m15s" and format_seconds(3700) == "1h01m"


def test_writer_lock(tmp_path):
    """A live writer's lock refuses a second writer; once that writer is gone (even killed
    with SIGKILL) the lock is free: the kernel drops a flock with its process."""
    import subprocess
    import sys

    out = tmp_path / "s.zarr"
    run_sweep(TOY, GRID, observables=["f"], chunk=4, out=out)
    lock = out / "_openlz" / "lock"
    assert lock.read_text() == ""  # released (emptied) after the run
    (out / "_openlz" / "chunks" / "2.done").unlink()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import fcntl, json, os, socket, sys, time; "
         f"fd = os.open({str(lock)!r}, os.O_RDWR); fcntl.flock(fd, fcntl.LOCK_EX); "
         "os.write(fd, json.dumps({'host': socket.gethostname(), 'pid': os.getpid()}).encode());"
         " print('locked', flush=True); time.sleep(60)"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(OpenlzError, match=f"another openlz sweep \\(pid {holder.pid} "):
            run_sweep(TOY, GRID, observables=["f"], chunk=4, out=out)
    finally:
        holder.kill()
        holder.wait()
    _, s = run_sweep(TOY, GRID, observables=["f"], chunk=4, out=out)
    assert s.computed == [2] and lock.read_text() == ""


def test_auto_executor(monkeypatch):
    """Auto mode: a cheap sweep stays in-process; when the first chunk's time predicts more
    than AUTO_POOL_SECONDS for the rest, the rest goes to one process per core."""
    import openlz.sweep.run as run_mod

    ref, s = run_sweep(TOY, GRID, observables=["f", "g"], chunk=4)
    assert s.executor == "inline"
    monkeypatch.setattr(run_mod, "AUTO_POOL_SECONDS", -1.0)
    monkeypatch.setattr(run_mod.os, "cpu_count", lambda: 2)
    ds, s = run_sweep(TOY, GRID, observables=["f", "g"], chunk=4)
    assert s.executor == "processes(2, auto)"
    xr.testing.assert_identical(ds, ref)


def test_rerun_repairs_torn_metadata(tmp_path):
    """A finalize killed while rewriting the consolidated metadata is repaired by a rerun."""
    out = tmp_path / "s.zarr"
    ref, _ = run_sweep(TOY, GRID, observables=["f"], chunk=4, out=out)
    ref = ref.load()
    (out / ".zmetadata").write_text('{"metadata": {".zgr')
    ds, s = run_sweep(TOY, GRID, observables=["f"], chunk=4, out=out)
    assert s.computed == []
    xr.testing.assert_identical(ds.load(), ref)


def test_warnings_summarised(tmp_path):
    """Chunk warnings are stored (per chunk record and as the dataset attr sweep_warnings)
    and re-issued once per category; the toy warns in the chunks holding y = 3 > 2.5."""
    from openlz.errors import ValidityWarning

    with pytest.warns(ValidityWarning, match=r"ValidityWarning in 7/14 chunks"):
        ds = sweep(TOY, GRID, observables=["f"], chunk=4, out=tmp_path / "w.zarr")
    w = json.loads(ds.attrs["sweep_warnings"])
    # block (1, 4): y indices 0..3 and 4; only the 7 chunks of column y = 3.0 warn
    assert w["chunks"] == {"ValidityWarning": 7}
    assert w["messages"] == [{"category": "ValidityWarning", "chunks": 7,
                              "message": "sweep-toy: y <= 2.5 violated at 1 points"}]
    recs = ZarrStore(tmp_path / "w.zarr").records()
    assert sum(bool(r["warnings"]) for r in recs.values()) == 7
    with pytest.warns(ValidityWarning):
        mem = sweep(TOY, GRID, observables=["f"], chunk=4)
    assert mem.attrs["sweep_warnings"] == ds.attrs["sweep_warnings"]
