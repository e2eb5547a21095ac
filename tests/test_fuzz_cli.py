"""The bad-input fuzz of the command line (issue 12, item 7): no traceback, no hang, no
silent nonsense.

Cases and classification: :mod:`fuzz_cli` (every model x every parameter x the bad-value
classes of issue 12, malformed ``--times`` / ``--grid`` / ``--set`` / ``--initial`` /
``--observable`` / ``--processes``, and the reproduced failures of the issue).  The
expected behaviour is the error policy of DESIGN.md: exit 2 with exactly one line naming
the problem, or a clean exit 0 whose numbers are finite and within the range of their
quantity (or flagged by a warning where a NaN is the documented answer).  The default run
takes a stratified sample (one case per group); the full set is marked ``slow``.
"""

from __future__ import annotations

import warnings

import fuzz_cli
import pytest

BAD = ("traceback", "hang", "silent")


def _run(selected, timeout):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        outcomes = fuzz_cli.run_all(selected, timeout)
    bad = [f"{o.kind}: {o.case.label} -> {o.detail}" for o in outcomes if o.kind in BAD]
    return fuzz_cli.counts(outcomes), bad


def test_fuzz_sample():
    """One case of every group (model x parameter kind, times, grid, set, ...)."""
    selected = fuzz_cli.sample(fuzz_cli.cases(), per_group=1, seed=12)
    counts, bad = _run(selected, timeout=60)
    assert counts["cases"] == len(selected) > 40
    assert bad == []


@pytest.mark.slow
def test_fuzz_full(capsys):
    """Every case; prints the counts (cases, clean, ok, warned, traceback, hang, silent)."""
    counts, bad = _run(fuzz_cli.cases(), timeout=60)
    with capsys.disabled():
        print("\nfuzz: " + ", ".join(f"{k} {counts[k]}" for k in
                                     ("cases", "clean", "ok", "warned", *BAD)))
    assert bad == []
