"""The cost guard of a sweep gets chunk parameters as (B,) arrays for swept names and (1,) for
constant ones; spin-reservoir's estimate indexed a constant one per point and raised IndexError
(seen in the paper-003 tutorial's ν × ε̇ sweep; chunk=2 puts two points in a chunk).
Expected values: the model evaluated point by point directly (no sweep, no cost guard)."""

import warnings

import numpy as np

from openlz.models import get_model
from openlz.sweep import sweep


def test_spin_reservoir_sweep_over_rate_with_exact_observables():
    params = {"L": 4, "beta": 2.0, "p0": 0.5, "k0_re": 0.5}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        grid = sweep("spin-reservoir", {"rate": [0.5, 1.0]}, params=params,
                     observables=["p_exact"], processes=0, chunk=2)
        model = get_model("spin-reservoir")
        for rate in (0.5, 1.0):
            direct = model.run(observables=["p_exact"], rate=rate, **params)["p_exact"]
            np.testing.assert_allclose(grid["p_exact"].sel(rate=rate), direct, atol=1e-12)
