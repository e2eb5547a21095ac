"""Issue 12, items 4 and 5: sweep stores prove their integrity; one writer at a time.

Every damage of issue 12 is applied to a finished store of the toy model (closed form
f = 2 sin(x) cos(y), see ``test_sweep_toy``): deleting a data chunk, copying chunk 2 over
chunk 3, random bytes in a chunk, a truncated completion record, a corrupt ``sweep.json``
or ``.zarray``, stray ``x.done`` / ``99.done``.  Expected: ``--verify`` reports it without
computing; a rerun reports it in one line, recomputes only what was lost and ends with a
dataset identical to an undamaged sweep (the reference); never a traceback.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import xarray as xr
from test_sweep_toy import TOY

from openlz.cli import main
from openlz.models.base import MODELS
from openlz.sweep import inspect_store, run_sweep, sweep

GRID = {"x": "0:2:4", "y": "0:3:4"}
KW = {"observables": ["f", "decay"], "times": "0:1:3", "chunk": 2, "processes": 0}
TESTS = str(Path(__file__).resolve().parent)
WRAPPER = (f"import sys; sys.path.insert(0, {TESTS!r}); import test_sweep_toy as t; "
           "from openlz.models.base import register; register(t.TOY); "
           "from openlz.cli import main; main()")

pytestmark = pytest.mark.filterwarnings("ignore::openlz.errors.ValidityWarning")


@pytest.fixture(scope="module")
def reference():
    return sweep(TOY, GRID, **KW)


def _store(tmp_path: Path) -> Path:
    out = tmp_path / "s.zarr"
    run_sweep(TOY, GRID, out=out, **KW)
    return out


def _chunk_file(out: Path, var: str, i: int) -> Path:
    # block (1, 2) over the (4, 4) grid: chunk i covers x = i // 2, y = 2 (i % 2) ...
    key = f"{i // 2}.{i % 2}" + (".0" if var == "decay" else "")
    return out / var / key


def _damage(out: Path, how: str) -> None:
    chunks = out / "_openlz" / "chunks"
    if how == "delete data chunk":
        _chunk_file(out, "f", 5).unlink()
    elif how == "copy chunk 2 over 3":
        shutil.copy(_chunk_file(out, "f", 2), _chunk_file(out, "f", 3))
    elif how == "random bytes":
        _chunk_file(out, "decay", 4).write_bytes(os.urandom(64))
    elif how == "truncated record":
        p = chunks / "1.done"
        p.write_text(p.read_text()[:25])
    elif how == "corrupt sweep.json":
        (out / "_openlz" / "sweep.json").write_text('{"format": 1, "mod')
    elif how == "corrupt .zarray":
        (out / "f" / ".zarray").write_text("{ not json")
    elif how == "stray files":
        (chunks / "x.done").write_text("{}")
        (chunks / "99.done").write_text(json.dumps({"chunk": 99}))
    else:  # pragma: no cover
        raise ValueError(how)


EXPECT = {  # damage -> (words in the rerun's one line, chunks recomputed)
    "delete data chunk": ("5: f data does not match its checksum", [5]),
    "copy chunk 2 over 3": ("3: f data does not match its checksum", [3]),
    "random bytes": ("4: decay unreadable", [4]),
    "truncated record": ("1: record unreadable", [1]),
    "corrupt sweep.json": ("sweep.json was corrupt and is rebuilt", []),
    "corrupt .zarray": (None, []),  # restored from .zmetadata: nothing lost
    "stray files": ("stray files in the records: 99.done, x.done", []),
}


@pytest.mark.parametrize("how", list(EXPECT))
def test_damage_detected_reported_and_repaired(tmp_path, reference, how):
    out = _store(tmp_path)
    assert inspect_store(out).complete
    _damage(out, how)
    if how != "corrupt .zarray":
        rep = inspect_store(out)  # read-only: sees the damage, changes nothing
        assert not rep.clean, rep.lines()
    lines: list[str] = []
    ds, summary = run_sweep(TOY, GRID, out=out, log=lines.append, **KW)
    words, recomputed = EXPECT[how]
    damage = [ln for ln in lines if "recomputing what was lost" in ln]
    if words is None:
        assert damage == []
    else:
        assert len(damage) == 1 and words in damage[0], lines
    assert sorted(summary.computed) == recomputed
    xr.testing.assert_identical(ds.load(), reference)
    assert inspect_store(out).clean


def test_verify_cli_reports_without_computing(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(MODELS, TOY.name, TOY)
    out = _store(tmp_path)
    before = sorted(p.name for p in (out / "_openlz" / "chunks").iterdir())
    with pytest.raises(SystemExit) as e:
        main(["sweep", "--verify", str(out)])
    assert e.value.code == 0 and "8 verified, 0 missing, 0 damaged" in capsys.readouterr().out
    _damage(out, "copy chunk 2 over 3")
    (out / "_openlz" / "chunks" / "6.done").unlink()
    with pytest.raises(SystemExit) as e:
        main(["sweep", "--verify", str(out)])
    text = capsys.readouterr().out
    assert e.value.code == 1
    assert "6 verified, 1 missing, 1 damaged" in text and "missing: 6" in text
    assert "3: f data does not match its checksum" in text
    assert sorted(p.name for p in (out / "_openlz" / "chunks").iterdir()) == \
        sorted(set(before) - {"6.done"})  # nothing changed by --verify
    for path in (tmp_path / "nope.zarr", tmp_path):
        with pytest.raises(SystemExit) as e:
            main(["sweep", "--verify", str(path)])
        assert e.value.code == 1 and "Traceback" not in capsys.readouterr().err


def test_records_hold_checksums_and_fsynced_layout(tmp_path):
    out = _store(tmp_path)
    rec = json.loads((out / "_openlz" / "chunks" / "0.done").read_text())
    assert rec["record_format"] == 2 and set(rec["checksums"]) == {"f", "decay"}
    assert all(v.startswith("blake2b:") for v in rec["checksums"].values())
    leftovers = [p.name for p in tmp_path.iterdir() if ".tmp" in p.name]
    leftovers += [p.name for p in (out / "_openlz").iterdir() if p.name.startswith("new-")]
    assert leftovers == []


def _cli_sweep(out: Path, delay: str) -> subprocess.Popen:
    env = {**os.environ, "OPENLZ_SWEEP_CHUNK_DELAY": delay}
    return subprocess.Popen([sys.executable, "-c", WRAPPER, "sweep", "sweep-toy", "--grid",
                             "x=0:2:4", "--grid", "y=0:3:4", "-o", "f", "--chunk", "4",
                             "--processes", "0", "--progress", "none", "--out", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def test_two_writers_on_a_new_store(tmp_path):
    """Two sweeps 0.3 s apart into the same new store: whichever takes the lock first
    finishes, the other refuses with one line naming it; no temporary directory is left."""
    out = tmp_path / "new.zarr"
    first = _cli_sweep(out, "0.3")
    time.sleep(0.3)
    second = _cli_sweep(out, "0.3")
    res = {p.pid: (p, *p.communicate(timeout=180)) for p in (first, second)}
    codes = sorted(p.returncode for p, _, _ in res.values())
    assert codes == [0, 2], {pid: err for pid, (_, _, err) in res.items()}
    loser = next(p for p, _, _ in res.values() if p.returncode == 2)
    winner = next(p for p, _, _ in res.values() if p.returncode == 0)
    err = res[loser.pid][2]
    errors = [ln for ln in err.splitlines() if ln.startswith("openlz: error")]
    assert len(errors) == 1 and "Traceback" not in err, err
    assert "another openlz sweep" in errors[0] and f"pid {winner.pid}" in errors[0]
    assert [p.name for p in tmp_path.iterdir()] == ["new.zarr"]
    assert inspect_store(out).complete


def test_unwritable_output_fails_before_computing(tmp_path, capsys, monkeypatch):
    """The output is checked before the first chunk (each would sleep 5 s here)."""
    monkeypatch.setitem(MODELS, TOY.name, TOY)
    monkeypatch.setenv("OPENLZ_SWEEP_CHUNK_DELAY", "5")
    if os.geteuid() == 0:  # root ignores permissions: a path below a regular file instead
        (tmp_path / "file").write_text("")
        out = tmp_path / "file" / "s.zarr"
    else:  # pragma: no cover - depends on the user
        ro = tmp_path / "ro"
        ro.mkdir()
        ro.chmod(0o500)
        out = ro / "s.zarr"
    t0 = time.perf_counter()
    with pytest.raises(SystemExit) as e:
        main(["sweep", "sweep-toy", "--grid", "x=0:1:3", "--out", str(out), "--processes", "0"])
    err = capsys.readouterr().err
    assert e.value.code == 2 and "Traceback" not in err and "cannot write" in err
    assert time.perf_counter() - t0 < 4


def _descendants(pid: int) -> list[int]:
    psutil = pytest.importorskip("psutil")
    try:
        return [p.pid for p in psutil.Process(pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def _alive(pid: int) -> bool:
    psutil = pytest.importorskip("psutil")
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_no_child_outlives_a_killed_sweep(tmp_path):
    """SIGKILL of ``openlz sweep --processes 2``: the fork server, the resource tracker and
    both workers exit too (PR_SET_PDEATHSIG + the parent watch)."""
    out = tmp_path / "k.zarr"
    env = {**os.environ, "OPENLZ_SWEEP_CHUNK_DELAY": "30"}
    proc = subprocess.Popen([sys.executable, "-c", WRAPPER, "sweep", "sweep-toy", "--grid",
                             "x=0:2:4", "--grid", "y=0:3:4", "-o", "f", "--chunk", "2",
                             "--processes", "2", "--progress", "none", "--out", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                            start_new_session=True)
    kids: list[int] = []
    try:
        deadline = time.time() + 60
        while time.time() < deadline and len(kids) < 4:  # fork server, tracker, 2 workers
            time.sleep(0.2)
            kids = _descendants(proc.pid)
        assert len(kids) >= 3, kids
        proc.kill()
        proc.wait()
        deadline = time.time() + 15
        while time.time() < deadline and any(_alive(k) for k in kids):
            time.sleep(0.2)
        assert [k for k in kids if _alive(k)] == []
    finally:
        proc.kill()
        for k in kids:  # pragma: no cover - only if the test failed
            if _alive(k):
                os.kill(k, 9)
