"""003-fig5-T (issue 14): the extremes of Fig. 5 against the unstated period T.

Oracle for the extreme search: a brute-force Cartesian grid (301 x 301 points over the disk
|q| <= sqrt(a(1-a))) of the same engine; the zoom search must find extremes at least as
extreme as the grid's and within 2 % of them (the accuracy its docstring states).
"""

from __future__ import annotations

import numpy as np
import pytest

from openlz.analytic.coherence_engine import coherence_bound, thermal_population
from openlz.figures import get_figure
from openlz.figures.p003_period import power_extremes
from openlz.models.coherence_engine import engine_cycle


@pytest.mark.parametrize("beta,m", [(0.5, 3.0), (2.0, 3.0), (0.5, 4.5)])
def test_zoom_search_against_brute_force(beta, m):
    T = m * np.pi / 2
    base = {"eps0": np.array([1.0]), "eta": np.array([0.002]), "wc": np.array([10.0]),
            "beta": np.array([beta]), "nu": np.array([0.1]), "period": np.array([T])}
    lo, hi, _ = power_extremes(base)
    qb = float(coherence_bound(thermal_population(beta, 1.0)))
    x = np.linspace(-qb, qb, 301)
    q = (x[:, None] + 1j * x[None, :]).ravel()
    q = q[np.abs(q) <= qb * (1 - 1e-9)]
    p = engine_cycle(1.0, 0.002, 10.0, beta, 0.1, T, q).power
    # at least as extreme as the grid (to 1e-3) and within 2 % of it (measured <= 0.8 %: the
    # zoom beats the grid on the narrow spent-power lobe)
    assert lo[0] <= np.min(p) + 1e-3 * abs(np.min(p))
    assert hi[0] >= np.max(p) * (1 - 1e-3)
    assert lo[0] == pytest.approx(np.min(p), rel=0.02)
    assert hi[0] == pytest.approx(np.max(p), rel=0.02)


@pytest.mark.slow
def test_period_figure_claims():
    """~10 s of CPU.  With openlz's eta, wc, eps0 the extremes stay at βε0 <= 0.7 at every T
    (both Fig. 5 statements fail at every period of the scan) and the Redfield states are
    positive at 6 of the 11 periods."""
    fig = get_figure("003-fig5-T")
    ds = fig.compute()
    claims = fig.claims(ds)
    assert [c.status for c in claims] == ["fail", "fail", "reproduced"]
    assert float(ds["beta_spent"].max()) <= 0.7 + 1e-9
    assert int((ds["min_eigenvalue"].min("nu") >= -1e-9).sum()) == 6
