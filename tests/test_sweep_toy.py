"""A tiny closed-form model used by the sweep tests (registered in-process by the tests).

``sweep-toy`` evaluates, for parameters x >= 0, y, an integer k and scale (default 2 x):
    f = k sin(x) cos(y),   g = scale + i y,   decay(t) = y exp(-x t),
and warns (ValidityWarning) when y > 2.5.
Because the values are closed forms, a sweep's output can be checked point by point
against numpy evaluated at the dataset's coordinates.
"""

from __future__ import annotations

import warnings

import numpy as np

from openlz.core.validation import require
from openlz.errors import ValidityWarning
from openlz.models.base import MODELS, Model, Observable, Param


def _scale_default(p):
    """2 x"""
    return 2.0 * np.asarray(p["x"]) if np.ndim(p["x"]) else 2.0 * p["x"]


def _validate(p):
    require("x", p["x"], p["x"] >= 0, "must be >= 0", "sweep-toy test model")


def _evaluate(params, times, observables, options):
    x, y, k, scale = params["x"], params["y"], params["k"], params["scale"]
    out = {}
    if "f" in observables:
        out["f"] = k * np.sin(x) * np.cos(y)
    if "g" in observables:
        out["g"] = scale + 1j * y
    if "decay" in observables:
        out["decay"] = y[:, None] * np.exp(-x[:, None] * times[None, :])
    if np.any(y > 2.5):  # a validity report, as real models issue them
        warnings.warn(f"sweep-toy: y <= 2.5 violated at {int(np.sum(y > 2.5))} points",
                      ValidityWarning, stacklevel=2)
    out["_attrs"] = {"tolerance": 1e-12, "max_x": float(np.max(x)), "all_small": bool(np.all(x < 1))}
    return out


TOY = MODELS.get("sweep-toy") or Model(
    name="sweep-toy", paper="none", summary="closed-form test model for sweeps",
    params=(Param("x", 0.5, "rate x >= 0", unit="1/time"), Param("y", 1.0, "phase y", unit="rad"),
            Param("k", 2, "integer prefactor", kind="int"),
            Param("scale", _scale_default, "scale; default 2 x")),
    observables=(Observable("f", "k sin(x) cos(y)"), Observable("g", "scale + i y"),
                 Observable("decay", "y exp(-x t)", dims=("time",))),
    evaluate_fn=_evaluate, validate_fn=_validate, default_observables=("f",),
    default_times=(0.0, 1.0, 5))


def test_toy_closed_form():
    """The toy model returns its closed forms (checked against numpy directly)."""
    res = TOY.evaluate({"x": np.array([0.0, 1.0]), "y": np.array([0.5, 2.0])},
                       np.array([0.0, 1.0]), ["f", "g", "decay"])
    np.testing.assert_allclose(res["f"], 2 * np.sin([0.0, 1.0]) * np.cos([0.5, 2.0]))
    np.testing.assert_allclose(res["g"], [0.0 + 0.5j, 2.0 + 2.0j])
    np.testing.assert_allclose(res["decay"], [[0.5, 0.5], [2.0, 2.0 * np.exp(-1.0)]])
