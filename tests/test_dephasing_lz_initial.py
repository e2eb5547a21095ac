"""Issue 11 item 1 for dephasing-lz: the initial point of the sweep is stated (s = -s_max,
paper 001 Eq. 2.8 at T = s_max), recorded per point, printed by ``openlz models``, and the
numbers are those of a sweep that starts there.

Reference: the independent lab-frame Bloch integrator of ``tests/bloch_reference.py``
(Gragg–Bulirsch–Stoer in ``np.longdouble``, started at rho(-S) = P-_{-S}); the generic
``Model`` support against the closed form e^{-(t - t0)} of a toy model.
"""

from __future__ import annotations

import json
import sys

import numpy as np
import pytest
from bloch_reference import window_probability

from openlz.errors import ParameterError
from openlz.models import get_model
from openlz.models.base import Model, Observable, Param


def test_models_list_states_the_sweep_start(monkeypatch, capsys):
    from openlz.cli import main

    monkeypatch.setattr(sys, "argv", ["openlz", "models", "--json"])
    with pytest.raises(SystemExit) as exc:
        main()
    assert exc.value.code in (0, None)
    text = json.loads(capsys.readouterr().out)["dephasing-lz"]["initial_time"]
    assert text.startswith("s = -s_max (default -30)")
    assert "Eq. (2.8)" in text


def test_initial_point_recorded_per_point_and_sweep_starts_there():
    """attrs['initial_time'] = -s_max for every point; p(s_max) equals the reference sweep
    from rho(-s_max) = P-_{-s_max} to +s_max (1e-13; the model states 1e-14, the reference
    ~1e-17). Different windows give visibly different p (the start matters: finite-window
    oscillation of Eq. 2.8 at finite T)."""
    m = get_model("dephasing-lz")
    s_max = np.array([4.0, 5.0, 7.0])
    r = m.evaluate({"eps": 0.5, "gamma": 0.3, "s_max": s_max}, None, ["transition_probability"])
    assert r["_attrs"]["initial_time"] == [-4.0, -5.0, -7.0]
    p = r["transition_probability"]
    ref = window_probability(0.5, 1.0, 0.3, s_max)
    np.testing.assert_allclose(p, ref, rtol=0, atol=1e-13)
    assert np.min(np.abs(np.diff(p))) > 1e-6   # measured 2.5e-5: far above the 1e-13
    one = m.evaluate({"s_max": 6.0}, None, ["transition_probability"])
    assert one["_attrs"]["initial_time"] == -6.0


def _toy_eval(params, times, observables, options):  # noqa: ANN001, ANN202
    t0 = -params["L"][:, None]
    return {"x": np.exp(-(times[None, :] - t0))}


def test_initial_time_as_a_function_of_the_parameters():
    """Model(initial_time=callable): the callable's docstring is the text, its value on the
    defaults is shown, times before it are refused naming the rule."""
    def start(p):  # noqa: ANN001, ANN202
        """t = -L"""
        return -np.asarray(p["L"], dtype=float)

    toy = Model(name="toy-window", paper="none", summary="x(t) = exp(-(t + L))",
                params=(Param("L", 2.0, "half window"),),
                observables=(Observable("x", "x(t)", ("time",)),), evaluate_fn=_toy_eval,
                initial_time=start, initial_time_doc="test")
    assert toy.initial_time_text() == "t = -L (default -2); test"
    r = toy.evaluate({"L": np.array([1.0, 3.0])}, np.array([0.0, 1.0]), ["x"])
    np.testing.assert_allclose(r["x"], np.exp(-(np.array([[0.0, 1.0]]) + [[1.0], [3.0]])))
    assert r["_attrs"]["initial_time"] == [-1.0, -3.0]
    with pytest.raises(ParameterError, match="t = -L"):
        toy.evaluate({"L": 1.0}, np.array([-1.5]), ["x"])
