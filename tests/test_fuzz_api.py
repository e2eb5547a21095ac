"""The bad-call fuzz of the Python API (issue 12: raw exceptions and silent coercions).

Cases and classification: :mod:`fuzz_api` (one argument spoiled per call of mesolve,
steadystate, amesolve, fmmesolve, floquet_markov_steadystate, collisions, the dephasing
functions, the baths, the measures and ``Model.evaluate``).  The expected behaviour is the
error policy of DESIGN.md: an :class:`openlz.ParameterError` (or another ``OpenlzError``)
naming the argument, never a raw numpy/Python exception, a hang or a silent return.
"""

from __future__ import annotations

import fuzz_api
import numpy as np

import openlz


def test_api_fuzz_all_cases():
    outcomes = fuzz_api.run_all(timeout=60)
    counts = fuzz_api.counts(outcomes)
    bad = [f"{o.kind}: {o.case.label} -> {o.detail}" for o in outcomes
           if o.kind not in ("clean", "nan")]
    assert counts["cases"] >= 70
    assert bad == []


def test_measures_nan_only_where_the_state_is_not_finite():
    # closed forms: a Bell state has concurrence 1 and negativity 1/2, the maximally mixed
    # state 0; the NaN entry does not spoil its neighbours
    bell = np.zeros((4, 4))
    bell[np.ix_([0, 3], [0, 3])] = 0.5
    batch = np.stack([bell, np.full((4, 4), np.nan), np.eye(4) / 4])
    c = openlz.concurrence(batch)
    n = openlz.negativity(batch)
    np.testing.assert_allclose(c[[0, 2]], [1.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(n[[0, 2]], [0.5, 0.0], atol=1e-12)
    assert np.isnan(c[1]) and np.isnan(n[1])
    assert np.isnan(openlz.log_negativity(batch)[1])
