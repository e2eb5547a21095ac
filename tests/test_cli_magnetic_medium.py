"""The ``openlz`` command on the magnetic-medium model (paper 004)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

OPENLZ = Path(sys.executable).parent / "openlz"
CMD = [str(OPENLZ)] if OPENLZ.exists() else [sys.executable, "-m", "openlz.cli"]


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*CMD, *args], capture_output=True, text=True, timeout=120,
                          env={"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
                               "PATH": "/usr/bin:/bin"})


def test_cli_rejects_A_larger_than_a():
    """Eq. (S42) a >= |A|: exit status 2 and one line on stderr naming A and a."""
    p = _run("run", "magnetic-medium", "--set", "a=1", "--set", "A=2")
    assert p.returncode == 2
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "'A'" in lines[0] and "a = 1" in lines[0] and "S42" in lines[0]
    assert "Traceback" not in p.stderr


@pytest.mark.slow
@pytest.mark.parametrize("sets,name", [(["a_tilde=0.1", "A_tilde=0.5"], "A_tilde"),
                                       (["d=-1"], "d"), (["efficiency=2"], "efficiency")])
def test_cli_other_validation_errors(sets, name):
    args = ["run", "magnetic-medium"]
    for s in sets:
        args += ["--set", s]
    p = _run(*args)
    assert p.returncode == 2
    assert len(p.stderr.strip().splitlines()) == 1 and f"'{name}'" in p.stderr


def test_cli_json_has_every_parameter_and_paper_value():
    """Paper 004, Eq. (S65): steady concurrence 1/2 at T = 0, |A| = a, δ = 0."""
    p = _run("run", "magnetic-medium", "--set", "a=2", "--set", "A=2", "--times", "0:3:7",
             "-o", "concurrence", "-o", "steady_concurrence", "--json")
    assert p.returncode == 0, p.stderr
    obj = json.loads(p.stdout)
    from openlz.models.magnetic_medium import MODEL

    assert set(obj["params"]) == set(MODEL.param_names)
    assert obj["params"]["a"] == 2.0 and obj["params"]["A"] == 2.0
    assert obj["observables"]["steady_concurrence"] == pytest.approx(0.5, abs=1e-9)
    assert len(obj["observables"]["concurrence"]) == 7


def test_cli_postselect_tanh():
    """Fig. 3 / text after Eq. (15): postselected C(t) = tanh 2Γt at δ = 0 (Γ = 2)."""
    p = _run("run", "magnetic-medium", "--set", "a=2", "--set", "A=2", "--postselect",
             "--times", "0:1:5", "-o", "concurrence", "-o", "success_probability", "--json")
    assert p.returncode == 0, p.stderr
    obj = json.loads(p.stdout)
    t = np.asarray(obj["times"])
    np.testing.assert_allclose(obj["observables"]["concurrence"], np.tanh(4 * t), atol=1e-9)
    sp = np.asarray(obj["observables"]["success_probability"])
    np.testing.assert_allclose(sp, np.exp(-4 * t) * np.cosh(4 * t), atol=1e-9)


@pytest.mark.slow
def test_cli_initial_label():
    p = _run("run", "magnetic-medium", "--initial", "singlet", "--times", "0:1:3", "-o",
             "concurrence", "--json")
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["observables"]["concurrence"] == pytest.approx([1.0] * 3)


def test_cli_temperature_with_explicit_a_tilde_is_one_line_error():
    """T derives ã (paper 004, text after Eq. 6): giving both is refused, exit 2, one line."""
    p = _run("run", "magnetic-medium", "--set", "T=1", "--set", "Delta=1", "--set",
             "a_tilde=0.1", "-o", "steady_concurrence")
    assert p.returncode == 2
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and "'a_tilde'" in lines[0] and "T" in lines[0]
    q = _run("run", "magnetic-medium", "--set", "T=1", "--set", "Delta=1", "-o",
             "steady_concurrence", "--json")
    assert q.returncode == 0, q.stderr
    obj = json.loads(q.stdout)
    assert obj["params"]["T"] == 1.0
    assert obj["params"]["a_tilde"] == pytest.approx(np.exp(-1.0), rel=1e-14)


def test_cli_measurement_rate_matches_closed_form():
    """Finite-rate |σz| monitor from the command line (beyond paper 004's Discussion): the
    no-click C(t) and success probability at T = 0 from |ud> against the closed forms of
    analytic.magnetic_medium_measurement (themselves checked against QuTiP in
    tests/test_magnetic_medium_measurement.py)."""
    from openlz.analytic import magnetic_medium_measurement as mm

    p = _run("run", "magnetic-medium", "--set", "a=1", "--set", "A=0.8", "--set", "delta=0.3",
             "--set", "measurement_rate=2", "--postselect", "--times", "0:3:7",
             "-o", "concurrence", "-o", "success_probability", "--json")
    assert p.returncode == 0, p.stderr
    obj = json.loads(p.stdout)
    t = np.asarray(obj["times"])
    assert obj["params"]["efficiency"] == 0.0     # the monitor alone by default
    np.testing.assert_allclose(obj["observables"]["concurrence"],
                               mm.concurrence_monitor_t0(t, 1.0, 0.8, 0.3, 2.0), atol=1e-9)
    np.testing.assert_allclose(obj["observables"]["success_probability"],
                               mm.success_probability_monitor_t0(t, 1.0, 0.8, 0.3, 2.0),
                               atol=1e-9)
