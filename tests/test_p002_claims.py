"""Paper 002's claims table: every figure's claims have the expected statuses.

The expected statuses are the findings documented in the claims' notes (paper errors) and the
paper's statements openlz reproduces; a change of any status is a regression (or a finding that
needs re-examination).  The numbers behind them are checked against independent references in
``test_driven_qubits*.py`` and ``test_api_floquet.py``; here the figure code runs end to end.
"""

from __future__ import annotations

import warnings

import pytest

from openlz.errors import ValidityWarning
from openlz.figures import all_figures
from openlz.figures.base import FAIL, NOT_STATED, PAPER_ERROR, REPRODUCED

pytestmark = pytest.mark.filterwarnings("ignore::openlz.errors.ValidityWarning")

# figure -> number of paper-error claims (all other claims reproduced, none fail)
PAPER_ERRORS = {"002-fig1": 0, "002-fig2": 0, "002-fig3": 0, "002-fig5": 0, "002-fig6": 1, "002-fig7": 0,
                "002-fig8": 1, "002-fig9": 0, "002-fig10": 1, "002-fig11": 2, "002-fig12": 0, "002-wc": 1}


def _check(fid: str, ds) -> None:
    claims = all_figures()[fid].claims(ds)
    statuses = [c.status for c in claims]
    assert FAIL not in statuses, [c for c in claims if c.status == FAIL]
    assert statuses.count(PAPER_ERROR) == PAPER_ERRORS[fid], [c.claim for c in claims if c.status == PAPER_ERROR]
    assert statuses.count(REPRODUCED) == len(claims) - PAPER_ERRORS[fid]
    for c in claims:  # the paper column names a section, equation or figure, or says "not stated"
        assert c.paper_value.startswith(NOT_STATED) or any(k in c.paper_value for k in ("Sec.", "Eq.", "App.", "Fig.")), c


def test_rates_and_spectra_claims():
    """002-fig1, 002-fig5, 002-fig10, 002-fig12 (one shared rate computation)."""
    figs = all_figures()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ValidityWarning)
        _check("002-fig1", figs["002-fig1"].compute())
        rates = figs["002-fig5"].compute()
    for fid in ("002-fig5", "002-fig10", "002-fig12"):
        _check(fid, rates)


@pytest.mark.slow
@pytest.mark.parametrize("fid", ["002-fig3", "002-fig6", "002-fig7", "002-fig8", "002-fig9", "002-fig11", "002-wc"])
def test_map_and_dynamics_claims(fid):
    _check(fid, all_figures()[fid].compute())


@pytest.mark.slow
def test_figure2_claims_full_resolution():
    """002-fig2 (two 200x200 maps): the O3L plateau for xi = 0.1, the crossover at A ~ A_c, N2L near
    the SE resonances and no entanglement for xi = 1 at eps0 = 3.7 (paper 002, Sec. III)."""
    ds = all_figures()["002-fig2"].compute()
    assert ds.C_inf.shape == (2, 200, 200)
    _check("002-fig2", ds)
