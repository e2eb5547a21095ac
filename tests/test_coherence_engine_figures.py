"""Figures 003-fig4 / 003-fig5 (coherence engine): data layout, masking and the checked claims."""

from __future__ import annotations

import numpy as np
import pytest

from openlz.analytic.coherence_engine import coherence_bound, thermal_population
from openlz.figures import all_figures


def test_fig4_map_masks_unphysical_and_zero_at_origin():
    """Fig. 4: NaN exactly where |q|^2 > a(1-a) (white region), P(q=0) = 0 (paper, Sec. III),
    real variables with the openlz parameter choices in the attrs."""
    spec = all_figures()["003-fig4"]
    ds = spec.compute()
    assert ds["power"].dims == ("nu", "q_im", "q_re") and ds["power"].dtype.kind == "f"
    bound = coherence_bound(thermal_population(ds.attrs["beta"], 1.0))
    r = np.hypot(ds["q_re"].values[None, :], ds["q_im"].values[:, None])
    inside = r <= bound * (1 - 1e-9)
    outside = r > bound * (1 + 1e-9)
    p = ds["power"].values
    assert np.all(np.isfinite(p[:, inside])) and np.all(np.isnan(p[:, outside]))
    assert np.max(np.abs(ds["power"].sel(q_re=0.0, q_im=0.0, method="nearest").values)) < 1e-14
    assert "eta" in ds.attrs and "period" in ds.attrs
    claims = {c.claim: c for c in spec.claims(ds)}
    assert claims["no work without coherence: P_mech = 0 at q = 0 (all ν)"].passed
    assert claims["work can be extracted: min_q P_mech < 0 for every ν"].passed


@pytest.mark.slow
def test_fig5_range_brackets_zero():
    """Fig. 5: min_q P <= 0 <= max_q P at every beta (q = 0 is physical and gives P = 0)."""
    spec = all_figures()["003-fig5"]
    ds = spec.compute()
    assert np.all(ds["power_min"].values <= 1e-15) and np.all(ds["power_max"].values >= -1e-15)
    assert len(spec.claims(ds)) == 5
