"""Issue 12, items 1, 3 and 5: bad numbers, silent coercions, JSON encoding, output paths.

Expected behaviour comes from the error policy of DESIGN.md ("Bad input gets a clear
error naming the parameter, the value and the rule"; the CLI prints one line, exit 2) and
from issue 12's list of reproduced failures (each case below was a traceback, a hang or a
silent truncation before).  The accepted values are the numbers the strings denote.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from openlz.core.validation import (
    MAX_EXPRESSION,
    as_times,
    convert_array,
    parse_number,
    parse_times,
)
from openlz.errors import ParameterError
from openlz.models import get_model
from openlz.results import jsonable


def _cli(capsys, *args: str) -> tuple[int, str, str]:
    from openlz.cli import main

    with pytest.raises(SystemExit) as e:
        main(list(args))
    out = capsys.readouterr()
    return e.value.code, out.out, out.err


def _one_error_line(err: str) -> str:
    lines = [ln for ln in err.splitlines() if ln.strip() and not ln.startswith("openlz: warning")]
    assert len(lines) == 1, err
    assert lines[0].startswith("openlz: error: ") and "Traceback" not in err
    return lines[0]


@pytest.mark.parametrize(("text", "words"), [
    ("inf", "finite integer"), ("nan", "NaN"), ("1e30", "2**53"), ("10**30", "2**53"),
    ("inf-inf", "NaN"), ("99999999999999999999999", "2**53"), ("1e309", "finite integer"),
    ("2.5", "must be an integer"), ("1+2j", "must be real"), ("", "empty"),
])
def test_integer_parameters_reject_non_integers(text, words):
    with pytest.raises(ParameterError) as e:
        parse_number("L", text, "int")
    assert "'L'" in str(e.value) and words in str(e.value)


def test_long_and_deep_expressions_are_errors_not_recursion():
    with pytest.raises(ParameterError, match="longer than"):
        parse_number("x", "+".join(["1"] * 3000))
    # just under the length limit and nested as deep as it gets: still a clean answer
    expr = "+".join(["1"] * (MAX_EXPRESSION // 2))
    assert parse_number("x", expr) == MAX_EXPRESSION // 2
    with pytest.raises(ParameterError, match="'x'"):
        parse_number("x", "(" * 300 + "1" + ")" * 300)
    with pytest.raises(ParameterError, match="overflows"):
        parse_number("x", "10**10**10")
    with pytest.raises(ParameterError, match="overflows"):
        parse_number("x", "1" + "0" * 400)


@pytest.mark.parametrize("spec", ["0:1:inf", "0:1:nan", "0:1:1e30", "0:1:10**30", "0:1:2.5",
                                  "-1e308:1e308:3", "0:inf:3"])
def test_bad_time_grids(spec):
    with pytest.raises(ParameterError, match="times"):
        parse_times(spec)


@pytest.mark.parametrize(("args", "words"), [
    (["run", "driven-qubits", "--set", "steps=inf"], "'steps' = 'inf': must be a finite integer"),
    (["run", "coherence-engine", "--set", "stokes_sign=inf"], "'stokes_sign'"),
    (["run", "spin-reservoir", "--set", "L=inf-inf"], "'L' = 'inf-inf': is not a number (NaN)"),
    (["run", "magnetic-medium", "--times", "0:1:inf"], "'times NUM'"),
    (["sweep", "magnetic-medium", "--grid", "delta=0:1:inf", "--out", "x.zarr"], "'delta NUM'"),
    (["run", "magnetic-medium", "--set", "delta=" + "+".join(["1"] * 3000)], "longer than"),
    (["run", "magnetic-medium", "--initial", "{empty}"], "cannot be read as a .npy array"),
])
def test_cli_parsing_errors_are_one_line(capsys, tmp_path, monkeypatch, args, words):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty.npy").write_bytes(b"")
    args = [a.replace("{empty}", str(tmp_path / "empty.npy")) for a in args]
    code, _, err = _cli(capsys, *args)
    assert code == 2
    assert words in _one_error_line(err)


def test_api_arrays_are_not_silently_truncated():
    dq, mm = get_model("driven-qubits"), get_model("magnetic-medium")
    with pytest.raises(ParameterError, match="'steps' = 96.7: must be an integer"):
        dq.resolve({"steps": np.array([96.7])})
    with pytest.raises(ParameterError, match="'delta'.*must be real"):
        mm.resolve({"delta": np.array([0.5 + 0.1j])})
    with pytest.raises(ParameterError, match="times.*must be real"):
        mm.evaluate({}, np.array([0.0, 1.0 + 1e-3j]), ["concurrence"])
    with pytest.raises(ParameterError, match="NaN"):
        mm.resolve({"delta": np.array([0.1, np.nan])})
    # values that are exactly what the kind asks for pass unchanged
    assert dq.resolve({"steps": np.array([96.0, 128.0])})["steps"].tolist() == [96, 128]
    assert mm.resolve({"delta": np.array([0.5 + 0j])})["delta"].tolist() == [0.5]
    np.testing.assert_array_equal(as_times(np.array([0.0, 1.0 + 0j])), [0.0, 1.0])
    assert convert_array("x", ["1", "pi"], "float").tolist() == [1.0, math.pi]


def test_json_encodes_non_finite_one_documented_way():
    enc = jsonable({"a": np.array([1.0, np.nan, np.inf, -np.inf]), "b": float("nan")})
    assert enc == {"a": [1.0, "NaN", "Infinity", "-Infinity"], "b": "NaN"}
    text = json.dumps(enc, allow_nan=False)  # strict JSON
    back = [float(v) for v in json.loads(text)["a"]]
    assert back[0] == 1.0 and math.isnan(back[1]) and back[2] == math.inf and back[3] == -math.inf


def test_run_out_paths(capsys, tmp_path):
    code, _, err = _cli(capsys, "run", "magnetic-medium", "--out", str(tmp_path / "nope" / "x.nc"))
    assert code == 2 and "directory" in _one_error_line(err) and "does not exist" in err
    victim = tmp_path / "victim.zarr"
    victim.mkdir()
    (victim / ".zgroup").write_text("{}")
    (victim / "data").write_text("precious")
    code, _, err = _cli(capsys, "run", "magnetic-medium", "--out", str(victim))
    assert code == 2 and "--overwrite" in _one_error_line(err)
    assert (victim / "data").read_text() == "precious"
    code, _, err = _cli(capsys, "run", "magnetic-medium", "-o", "steady_concurrence",
                        "--out", str(victim), "--overwrite")
    assert code == 0 and not (victim / "data").exists()
    import xarray as xr

    assert float(xr.open_zarr(victim)["steady_concurrence"]) >= 0
    nc = tmp_path / "a.nc"
    assert _cli(capsys, "run", "magnetic-medium", "-o", "steady_concurrence", "--out", str(nc))[0] == 0
    code, _, err = _cli(capsys, "run", "magnetic-medium", "--out", str(nc))
    assert code == 2 and "already exists" in err
    leftovers = [p.name for p in tmp_path.iterdir() if ".tmp-" in p.name]
    assert leftovers == []


def test_reproduce_and_report_out_is_a_file(capsys, tmp_path):
    f = tmp_path / "file"
    f.write_text("x")
    for args in (["report", "--out", str(f)], ["reproduce", "004-fig2", "--out", str(f)]):
        code, _, err = _cli(capsys, *args)
        assert code == 2 and "is a file, not a directory" in _one_error_line(err)
