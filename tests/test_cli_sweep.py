"""``openlz sweep`` on the command line: errors, resume after SIGKILL, the real binary.

Expected values: the toy model's closed form (tests/test_sweep_toy.py), an uninterrupted
in-process run of the same sweep (for the killed-and-resumed one), and single-point
``Model.evaluate`` calls of ``magnetic-medium`` (for the installed ``openlz`` command).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import xarray as xr
from test_sweep_toy import TOY

from openlz.cli import main
from openlz.models.base import MODELS
from openlz.sweep import ZarrStore, run_sweep

TESTS = str(Path(__file__).resolve().parent)
# runs `openlz` with the test model registered (workers import it from the tests directory)
WRAPPER = (f"import sys; sys.path.insert(0, {TESTS!r}); import test_sweep_toy as t; "
           "from openlz.models.base import register; register(t.TOY); "
           "from openlz.cli import main; sys.argv[0] = 'openlz'; main()")

# the toy model warns for y > 2.5 on purpose (tested in test_warnings_summarised)
pytestmark = pytest.mark.filterwarnings("ignore::openlz.errors.ValidityWarning")


def cli(monkeypatch, capsys, *args):
    """Run ``openlz ARGS`` in-process through ``cli.main``; return (status, stdout, stderr)."""
    monkeypatch.setitem(MODELS, TOY.name, TOY)
    monkeypatch.setattr(sys, "argv", ["openlz", *args])
    with pytest.raises(SystemExit) as e:
        main()
    out = capsys.readouterr()
    return e.value.code, out.out, out.err


@pytest.mark.parametrize("args, words", [
    (["--grid", "x=1:0:10"], "STOP = 0 must be > START = 1"),
    (["--grid", "x=0:1:0"], "NUM = 0 must be >= 1"),
    (["--grid", "nope=0:1:3"], "unknown parameter of model 'sweep-toy' 'nope'"),
    (["--grid", "x=0:1:3", "-o", "nope"], "unknown observable of model 'sweep-toy' 'nope'"),
    (["--grid", "x=0:one:3"], "'x STOP' = 'one': is not a valid float number"),
    (["--grid", "x=0:1:3", "--set", "k=two"], "'k' = 'two': is not a valid int number"),
    (["--grid", "x=-1:1:3"], "'x' = -1.0: must be >= 0"),
    (["--grid", "x=0:1:3", "--times", "0:1"], "START:STOP:NUM"),
    (["--grid", "x=0:1:3", "--chunk", "0"], "'chunk' = 0"),
    (["--set", "x=1"], "--grid"),
])
def test_bad_input_is_one_line_exit_2(monkeypatch, capsys, tmp_path, args, words):
    code, out, err = cli(monkeypatch, capsys, "sweep", "sweep-toy", *args,
                         "--out", str(tmp_path / "s.zarr"))
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("openlz: error:"), err
    assert words in lines[0]
    assert not (tmp_path / "s.zarr").exists()


def test_cli_sweep_then_mismatch(monkeypatch, capsys, tmp_path):
    out = str(tmp_path / "s.zarr")
    code, stdout, err = cli(monkeypatch, capsys, "sweep", "sweep-toy", "--grid", "x=0:2:5",
                            "--grid", "y=0:3:4", "--set", "k=3", "--times", "0:1:3", "-o", "f",
                            "-o", "decay", "--out", out, "--chunk", "4", "--progress", "plain")
    assert code == 0, err
    assert "computed 5 of 5 chunks (0 already done)" in stdout
    assert "sweep: 20 points in 5 chunks" in err  # plain progress lines when not a TTY
    ds = xr.open_zarr(out).load()
    x, y = np.meshgrid(ds.x.values, ds.y.values, indexing="ij")
    np.testing.assert_allclose(ds.f.values, 3 * np.sin(x) * np.cos(y), rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(ds.decay.values, y[..., None] * np.exp(-x[..., None] * [0, .5, 1]),
                               rtol=1e-14)
    assert ds.attrs["param_k"] == 3 and json.loads(ds.attrs["params"])["k"] == 3
    code, _, err = cli(monkeypatch, capsys, "sweep", "sweep-toy", "--grid", "x=0:2:6",
                       "--grid", "y=0:3:4", "--set", "k=3", "--times", "0:1:3", "-o", "f",
                       "-o", "decay", "--out", out, "--chunk", "4")
    assert code == 2 and "differs in: grid)" in err and "--overwrite" in err
    code, stdout, _ = cli(monkeypatch, capsys, "sweep", "sweep-toy", "--grid", "x=0:2:6",
                          "--grid", "y=0:3:4", "--out", out, "--overwrite", "--progress", "none")
    assert code == 0 and xr.open_zarr(out).sizes["x"] == 6


def _markers(path: Path) -> dict[int, dict]:
    return ZarrStore(path).records() if (path / "_openlz" / "chunks").exists() else {}


def test_sigkill_then_resume(tmp_path):
    """Kill a sweep with SIGKILL part-way, rerun the same command: finished chunks are kept
    (their completion records are untouched), only the rest is computed, and the result is
    identical to an uninterrupted run."""
    out = tmp_path / "k.zarr"
    args = [sys.executable, "-c", WRAPPER, "sweep", "sweep-toy", "--grid", "x=0:2:6",
            "--grid", "y=0:3:5", "--times", "0:1:3", "-o", "f", "-o", "g", "-o", "decay",
            "--chunk", "5", "--processes", "0", "--progress", "plain", "--out", str(out)]
    env = {**os.environ, "OPENLZ_SWEEP_CHUNK_DELAY": "0.5", "OMP_NUM_THREADS": "1"}
    proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while len(_markers(out)) < 2 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    assert proc.returncode == -signal.SIGKILL
    before = _markers(out)
    assert 2 <= len(before) < 6, "the sweep was not killed part-way"
    env.pop("OPENLZ_SWEEP_CHUNK_DELAY")
    res = subprocess.run(args, env=env, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    n_done = len(before)
    assert f"computed {6 - n_done} of 6 chunks ({n_done} already done)" in res.stdout
    after = _markers(out)
    assert sorted(after) == list(range(6))
    for i, rec in before.items():
        assert after[i] == rec  # not recomputed: the record (with its run id) is unchanged
    assert len({after[i]["run"] for i in after if i not in before}) == 1
    assert all(after[i]["run"] != before[next(iter(before))]["run"] for i in after if i not in before)
    ref, _ = run_sweep(TOY, {"x": "0:2:6", "y": "0:3:5"}, times="0:1:3", observables=["f", "g", "decay"],
                       chunk=5, out=tmp_path / "ref.zarr", processes=0)
    xr.testing.assert_identical(xr.open_zarr(out).load(), ref.load())


def test_installed_command_magnetic_medium(tmp_path):
    """The real ``openlz`` command sweeps the magnetic-medium model; each
    point equals a single-point ``Model.evaluate`` (an independent code path)."""
    from openlz.models import all_models

    if "magnetic-medium" not in all_models():
        pytest.skip("magnetic-medium model not available")
    exe = Path(sys.executable).with_name("openlz")
    out = tmp_path / "mm.zarr"
    res = subprocess.run([str(exe), "sweep", "magnetic-medium", "--grid", "A=0.2:0.8:3",
                          "--grid", "delta=0:1:2", "--set", "a=1", "-o", "steady_concurrence",
                          "--chunk", "2", "--out", str(out)],
                         capture_output=True, text=True, timeout=120,
                         env={**os.environ, "OMP_NUM_THREADS": "1"})
    assert res.returncode == 0, res.stderr
    ds = xr.open_zarr(out).load()
    m = all_models()["magnetic-medium"]
    assert ds.attrs["model"] == "magnetic-medium" and ds.attrs["param_a"] == 1.0
    for A in ds.A.values:
        for dl in ds.delta.values:
            single = m.evaluate({"A": A, "delta": dl, "a": 1.0}, None, ["steady_concurrence"])
            np.testing.assert_allclose(ds.steady_concurrence.sel(A=A, delta=dl).values,
                                       single["steady_concurrence"][0], rtol=1e-10, atol=1e-12)
    res = subprocess.run([str(exe), "sweep", "magnetic-medium", "--grid", "A=0:1:3:log",
                          "--out", str(tmp_path / "bad.zarr")], capture_output=True, text=True)
    assert res.returncode == 2 and res.stderr.count("\n") == 1 and "START > 0" in res.stderr


@pytest.mark.slow
def test_ctrl_c_with_process_pool_then_resume(tmp_path):
    """SIGINT (Ctrl-C) during a 2-process sweep: exit status 130, a resume hint, the finished
    chunks kept; the rerun computes only the rest and matches an uninterrupted run."""
    out = tmp_path / "c.zarr"
    args = [sys.executable, "-c", WRAPPER, "sweep", "sweep-toy", "--grid", "x=0:2:8",
            "--grid", "y=0:3:3", "-o", "f", "--chunk", "3", "--processes", "2",
            "--progress", "plain", "--out", str(out)]
    env = {**os.environ, "OPENLZ_SWEEP_CHUNK_DELAY": "0.5", "OMP_NUM_THREADS": "1"}
    proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 60
    while len(_markers(out)) < 2 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGINT)  # like Ctrl-C: the whole process group
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "run the same command again to resume" in err
    n_done = len(_markers(out))
    assert 2 <= n_done < 8
    env.pop("OPENLZ_SWEEP_CHUNK_DELAY")
    res = subprocess.run(args, env=env, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert f"computed {8 - n_done} of 8 chunks ({n_done} already done)" in res.stdout
    ref, _ = run_sweep(TOY, {"x": "0:2:8", "y": "0:3:3"}, observables=["f"], chunk=3,
                       out=tmp_path / "ref.zarr", processes=0)
    xr.testing.assert_identical(xr.open_zarr(out).load(), ref.load())
