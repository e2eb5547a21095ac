"""Claims of paper 001 (figures/p001.py): they can fail, and they reproduce (slow).

The failing cases are synthetic remainders with the wrong order (closed forms written here), so
the Theorem 3 claims are shown to distinguish O(gamma eps^2) from O(gamma eps) and from a
gamma-independent O(eps^2).
"""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from openlz.figures import p001, p001_extensions  # noqa: F401  (registers the figures)
from openlz.figures.base import FAIL, FIGURES, REPRODUCED


def _error_ds(remainder) -> xr.Dataset:  # noqa: ANN001
    ee, gg = np.meshgrid(p001.ERR_EPS, p001.ERR_GAMMAS)
    r = remainder(ee, gg)
    return xr.Dataset({"remainder": (("gamma", "eps"), r), "saturated_remainder":
                       (("gamma", "eps"), 0.1 * gg * ee ** 3), "p": (("gamma", "eps"), r)},
                      coords={"gamma": p001.ERR_GAMMAS, "eps": p001.ERR_EPS})


def _statuses(ds: xr.Dataset) -> list[str]:
    return [c.status for c in p001.err_claims(ds)]


def test_theorem3_claims_accept_gamma_eps_squared():
    """R = -(2 eps gamma/(3(1+gamma^2)))^2 (the observed leading term): all reproduced."""
    st = _statuses(_error_ds(lambda e, g: -(2 * e * g / (3 * (1 + g ** 2))) ** 2))
    assert st[:3] == [REPRODUCED] * 3


def test_theorem3_claims_reject_first_order_remainder():
    """R = 0.1 gamma eps/(1+gamma^2) (wrong order): the eps-ratio and slope claims fail."""
    st = _statuses(_error_ds(lambda e, g: 0.1 * g * e / (1 + g ** 2)))
    assert st[0] == FAIL and st[2] == FAIL


def test_theorem3_claims_reject_gamma_independent_remainder():
    """R = 0.01 eps^2 (not O(gamma)): the uniformity-in-gamma claim fails."""
    st = _statuses(_error_ds(lambda e, g: 0.01 * e ** 2 + 0 * g))
    assert st[1] == FAIL


@pytest.mark.slow
@pytest.mark.parametrize("fid", sorted(f for f in FIGURES if f.startswith("001-")))
def test_paper001_claims_reproduce(fid):
    """Regression: every paper-001 claim has status reproduced (none is a declared paper error)."""
    spec = FIGURES[fid]
    claims = spec.claims(spec.compute())
    assert claims and all(c.status == REPRODUCED for c in claims), \
        [(c.claim, c.computed_value) for c in claims if c.status != REPRODUCED]
