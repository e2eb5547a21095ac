"""A test model whose evaluation kills its own worker process once (``test_sweep_dask``).

``sweep-killer``: f = x (closed form).  With the option ``log`` (a file path) every
evaluation appends the x values it got; the first evaluation of a chunk containing
x = 2 also creates ``log + ".killed"`` and ends its process with ``os._exit`` -- as a
worker killed by the OOM killer would.
"""

from __future__ import annotations

import os

import numpy as np

from openlz.models.base import MODELS, Model, Observable, Param


def _evaluate(params, times, observables, options):
    x = params["x"]
    log = options.get("log")
    if log:
        with open(log, "a") as fh:
            fh.write(" ".join(f"{v:g}" for v in x) + "\n")
        marker = log + ".killed"
        if np.any(x == 2.0) and not os.path.exists(marker):
            open(marker, "w").close()
            os._exit(1)
    return {"f": np.asarray(x, float).copy()}


KILLER = MODELS.get("sweep-killer") or Model(
    name="sweep-killer", paper="none", summary="kills its worker once (test model)",
    params=(Param("x", 0.0, "value"),), observables=(Observable("f", "x"),),
    evaluate_fn=_evaluate, options=("log",), option_defaults={"log": ""})
