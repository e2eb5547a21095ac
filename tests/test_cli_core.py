"""Model-independent behaviour of the command line and the model interface.

The CLI contract (shared/DESIGN.md): user errors print ONE line on stderr and exit
with status 2, never a traceback.  The in-process checks use a tiny test-only model
(exponential decay, closed form exp(-a t)) that is registered only for the duration
of a test and removed again, so that other tests never see it.
"""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from openlz.core.validation import require_positive
from openlz.errors import ParameterError, UnknownNameError
from openlz.models.base import MODELS, Model, Observable, Param
from openlz.results import to_dataset


def openlz_cmd(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "openlz.cli", *args], capture_output=True, text=True,
                          timeout=120)


def test_help_lists_commands():
    res = openlz_cmd("--help")
    assert res.returncode == 0
    for cmd in ("run", "models", "figures", "reproduce"):
        assert cmd in res.stdout


def test_unknown_model_is_one_line_exit_2():
    res = openlz_cmd("run", "nonexistent")
    assert res.returncode == 2
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and "nonexistent" in lines[0]
    assert "Traceback" not in res.stderr and res.stdout == ""


def test_figures_and_models_json():
    res = openlz_cmd("figures")
    assert res.returncode == 0 and "Traceback" not in res.stderr
    res = openlz_cmd("models", "--json")
    assert res.returncode == 0
    models = json.loads(res.stdout)
    assert isinstance(models, dict)
    for name, m in models.items():
        assert {"paper", "summary", "params", "observables", "options"} <= set(m), name
        assert all({"name", "default", "doc"} <= set(p) for p in m["params"]), name


# ---------------------------------------------------------------- a test-only model

def _validate(p: dict[str, np.ndarray]) -> None:
    require_positive("a", p["a"], source="test model rule")


def _evaluate(params, times, observables, options):
    a, b = params["a"], params["b"]
    out = {}
    if "decay" in observables:
        out["decay"] = np.exp(-a[:, None] * times[None, :])
    if "rate" in observables:
        out["rate"] = a + b
    out["_attrs"] = {"tolerance": 1e-12}
    return out


def _b_default(p):
    """2 a (derived)"""
    return 2 * p["a"]


TOY = Model(name="test-toy-decay", paper="none", summary="exp(-a t), test only",
            params=(Param("a", 1.0, "decay rate", unit="1/time"),
                    Param("b", _b_default, "offset; default 2 a"),
                    Param("n", 3, "an integer setting", kind="int", numerical=True)),
            observables=(Observable("decay", "exp(-a t)", dims=("time",)),
                         Observable("rate", "a + b")),
            evaluate_fn=_evaluate, validate_fn=_validate, default_times=(0.0, 2.0, 5))


@pytest.fixture
def toy_registered():
    MODELS[TOY.name] = TOY
    yield TOY
    MODELS.pop(TOY.name, None)


def test_resolve_defaults_derived_and_validation():
    p = TOY.resolve({"a": "pi/2"})
    assert p == {"a": pytest.approx(np.pi / 2), "b": pytest.approx(np.pi), "n": 3}
    assert TOY.resolve({"a": 1.0, "b": "0"})["b"] == 0.0  # explicit beats derived
    with pytest.raises(ParameterError, match=r"'a' = -1\.0: must be > 0 \(test model rule\)"):
        TOY.resolve({"a": -1})
    with pytest.raises(ParameterError, match="'n'"):
        TOY.resolve({"n": "2.5"})
    with pytest.raises(UnknownNameError, match="parameter"):
        TOY.resolve({"zz": 1})
    with pytest.raises(ParameterError, match="'a'"):
        TOY.resolve({"a": np.array([1.0, -3.0])})


def test_evaluate_batched_and_default_times():
    a = np.array([0.5, 1.0, 2.0])
    res = TOY.evaluate({"a": a}, observables=["decay", "rate"])
    t = np.linspace(0, 2, 5)  # default_times
    np.testing.assert_allclose(res["decay"], np.exp(-a[:, None] * t))
    np.testing.assert_allclose(res["rate"], 3 * a)
    with pytest.raises(UnknownNameError, match="observable"):
        TOY.evaluate({}, observables=["nope"])


def test_to_dataset_carries_metadata():
    params = TOY.resolve({"a": 0.5})
    times = np.array([0.0, 1.0])
    ds = to_dataset(TOY, params, TOY.evaluate(params, times), times)
    assert ds["decay"].dims == ("time",)
    np.testing.assert_allclose(ds["decay"].values, np.exp(-0.5 * times))
    assert ds.attrs["model"] == TOY.name and ds.attrs["param_b"] == 1.0
    assert json.loads(ds.attrs["params"])["a"] == 0.5 and ds.attrs["tolerance"] == 1e-12
    assert "openlz_version" in ds.attrs


def run_main(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    from openlz import cli

    monkeypatch.setattr(sys, "argv", ["openlz", *args])
    with pytest.raises(SystemExit) as info:
        cli.main()
    out = capsys.readouterr()
    return info.value.code, out.out, out.err


def test_cli_run_toy_model_json(toy_registered, monkeypatch, capsys):
    code, out, err = run_main(monkeypatch, capsys, "run", TOY.name, "--set", "a=pi/4", "--times", "0:2:3",
                              "--json")
    assert code == 0, err
    obj = json.loads(out)
    assert obj["model"] == TOY.name and obj["params"]["b"] == pytest.approx(np.pi / 2)
    np.testing.assert_allclose(obj["observables"]["decay"], np.exp(-np.pi / 4 * np.array([0, 1, 2])))
    assert obj["times"] == [0.0, 1.0, 2.0]


@pytest.mark.parametrize(("args", "needle"), [
    (("--set", "a=-2"), "'a'"), (("--set", "a=abc"), "'a'"), (("--set", "zz=1"), "zz"),
    (("--set", "a"), "NAME=VALUE"), (("--times", "0:1"), "times"), (("-o", "nope"), "nope"),
])
def test_cli_user_errors_are_one_line(toy_registered, monkeypatch, capsys, args, needle):
    code, out, err = run_main(monkeypatch, capsys, "run", TOY.name, *args)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0] and "Traceback" not in err
