"""``openlz report`` / ``openlz reproduce``: figures, claims table, benchmark table, HTML.

Uses two small figures registered only for these tests (one fine, one that raises);
expected content is what the test itself put in (claims it defined, a benchmark record it
wrote in the format of ``benchmarks/common.py:record``).
"""

from __future__ import annotations

import base64
import json
import sys

import numpy as np
import pytest
import xarray as xr

import openlz.figures as figures
import openlz.report as report
from openlz.figures.base import (
    Claim,
    FigureSpec,
    claim_close,
    claim_true,
    paper_error,
    paper_error_close,
    summary_line,
)

CALLS = {"ok": 0}


def _compute():
    CALLS["ok"] += 1
    x = np.linspace(0, 1, 5)
    return xr.Dataset({"y": ("x", x**2)}, coords={"x": x}, attrs={"model": "none"})


def _plot(ds):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.plot(ds.x, ds.y, label="y")
    ax.set(xlabel="x", ylabel="y", title="test-ok")
    ax.legend()
    return fig


def _claims(ds):
    return [claim_close("test-ok", "y(1) = 1", 1.0, float(ds.y[-1]), atol=1e-12),
            claim_close("test-ok", "y(0.5) = 0.3 (deliberately wrong)", 0.3, float(ds.y[2]),
                        atol=1e-3, note="a failing claim"),
            paper_error_close("test-ok", "printed y(0.5) = 0.5", 0.5, float(ds.y[2]), 0.25,
                              atol=1e-12, source="Eq. (1)", note="y = x² gives 1/4, not 1/2")]


def _broken():
    raise RuntimeError("solver exploded")


OK = FigureSpec("test-ok", "000", "a parabola", _compute, _plot, _claims, 0.1)
BROKEN = FigureSpec("test-broken", "000", "always fails", _broken, _plot, _claims, 0.1)


@pytest.fixture
def fake_figures(monkeypatch):
    monkeypatch.setattr(figures, "all_figures", lambda: {"test-broken": BROKEN, "test-ok": OK})
    CALLS["ok"] = 0


@pytest.fixture
def bench_dir(tmp_path):
    d = tmp_path / "bench"
    d.mkdir()
    (d / "solve.json").write_text(json.dumps({
        "benchmark": "solve", "date": "2026-11-22T05:00:00+00:00", "machine": "x86_64, 2 cores",
        "note": "test record", "rows": [{"case": "lindblad 4x4", "openlz_s": 0.01, "peer_s": 0.05,
                                         "ratio": 0.2, "max_diff": 1e-9}]}))
    return d


def test_build_report(fake_figures, bench_dir, tmp_path):
    out = tmp_path / "out"
    html_path = report.build_report(out, benchmarks_dir=bench_dir)
    html = html_path.read_text()
    # the figure PNG is embedded (self-contained page) and is the file written next to it
    png_b64 = base64.b64encode((out / "test-ok.png").read_bytes()).decode()
    assert f"data:image/png;base64,{png_b64}" in html
    # claims: 1 reproduced + 1 paper error + 1 deliberate fail + the broken figure's row
    assert "Claims (1 reproduced, 1 paper error, 2 fail)" in html and "solver exploded" in html
    # summary by paper: both test figures belong to paper 000, one failed to compute
    assert "<td>000</td>" in html and ("<td class='reproduced'>1</td><td class='paper-error'>1"
                                       "</td><td class='fail'>2</td><td>test-broken</td>") in html
    rows = list(csv_rows(out / "claims.csv"))
    assert [(r["figure"], r["status"]) for r in rows] == [
        ("test-broken", "fail"), ("test-ok", "reproduced"), ("test-ok", "fail"),
        ("test-ok", "paper-error")]
    assert rows[3]["paper_value"] == "0.5 (Eq. (1))"
    assert rows[3]["computed_value"] == "0.25 (model); corrected form 0.25"
    md = (out / "claims.md").read_text().strip().splitlines()
    assert md[-1].startswith("1 reproduced, 1 paper error, 2 fail")
    rec = json.loads((out / "test-ok.claims.json").read_text())
    assert [c["status"] for c in rec["claims"]] == ["reproduced", "fail", "paper-error"]
    # benchmark table from the record
    assert "lindblad 4x4" in html and "0.2" in html
    assert json.loads((out / "benchmarks.json").read_text())[0]["rows"][0]["ratio"] == 0.2
    assert "| lindblad 4x4 | 0.01 | 0.05 | 0.2 | 1e-09 |" in (out / "benchmarks.md").read_text()
    assert (out / "test-ok.nc").exists() and "href='test-ok.nc'" in html
    # a second report only reruns what is missing (the broken figure), not the good one
    assert CALLS["ok"] == 1
    report.build_report(out, benchmarks_dir=bench_dir)
    assert CALLS["ok"] == 1
    report.build_report(out, benchmarks_dir=bench_dir, rerun=True)
    assert CALLS["ok"] == 2


def csv_rows(path):
    import csv

    with open(path) as fh:
        yield from csv.DictReader(fh)


def test_report_without_benchmarks(fake_figures, tmp_path, monkeypatch):
    monkeypatch.setattr(report, "find_benchmarks_dir", lambda: None)
    html = report.build_report(tmp_path / "out").read_text()
    assert "Benchmark results are not available" in html
    html = report.build_report(tmp_path / "out2", benchmarks_dir=tmp_path / "nothing").read_text()
    assert "No benchmark results in" in html


def test_find_benchmarks_dir_in_source_tree():
    d = report.find_benchmarks_dir()
    assert d is None or (d.parent / "common.py").exists()


def test_reproduce_without_ids_writes_report(fake_figures, bench_dir, tmp_path, monkeypatch,
                                             capsys):
    from openlz.cli import main

    out = tmp_path / "out"
    monkeypatch.setattr(sys, "argv", ["openlz", "reproduce", "--out", str(out),
                                      "--benchmarks", str(bench_dir)])
    with pytest.raises(SystemExit) as e:
        main()
    assert e.value.code == 1  # a figure raised
    std = capsys.readouterr()
    assert "report:" in std.out and "FAILED test-ok: y(0.5) = 0.3" in std.out
    # the paper error is listed as such, not under FAILED; the last line is the summary
    assert "PAPER ERROR test-ok: printed y(0.5) = 0.5" in std.out
    assert "FAILED test-ok: printed" not in std.out
    assert std.out.strip().splitlines()[-1] == "claims: 1 reproduced, 1 paper error, 2 fail"
    assert "[test-broken] FAILED: RuntimeError: solver exploded" in std.err
    assert "claims: 1 reproduced, 1 paper error, 1 fail ->" in std.err  # the per-figure log
    broken = json.loads((out / "test-broken.claims.json").read_text())["claims"][0]
    assert broken["status"] == "fail" and broken["paper_value"] == "not stated"
    assert "1 figure(s) failed to compute: test-broken" in std.err
    assert (out / "report.html").exists() and (out / "claims.md").exists()
    monkeypatch.setattr(sys, "argv", ["openlz", "report", "--out", str(out),
                                      "--benchmarks", str(bench_dir)])
    with pytest.raises(SystemExit) as e:
        main()
    assert e.value.code == 0 and CALLS["ok"] == 1


def test_claim_statuses():
    """Each constructor's status follows its rule (values chosen here by hand)."""
    assert claim_close("f", "c", 1.0, 1.0 + 1e-9, atol=1e-8).status == "reproduced"
    assert claim_close("f", "c", 1.0, 1.1, rtol=0.05).status == "fail"
    assert claim_close("f", "c", 0.0, 1e-3, atol=1e-8, paper_text="Eq. (2)").paper_value == \
        "Eq. (2)"
    assert claim_true("f", "c", "p (Sec. 2)", "x", False).status == "fail"
    # a declared paper error is confirmed only if the printed value is outside tolerance
    # and the corrected form inside
    assert paper_error_close("f", "c", 2.0, 1.0, 1.0, atol=1e-6, note="d").status == "paper-error"
    assert paper_error_close("f", "c", 1.0, 1.0, atol=1e-6, note="d").status == "fail"
    assert paper_error_close("f", "c", 2.0, 1.0, 1.5, atol=1e-6, note="d").status == "fail"
    assert paper_error("f", "c", "p", "x", True, note="d").status == "paper-error"
    assert paper_error("f", "c", "p", "x", False, note="d").status == "fail"
    with pytest.raises(ValueError, match="derivation"):
        paper_error("f", "c", "p", "x", True, note="")
    with pytest.raises(ValueError, match="status"):
        Claim("f", "c", "p", "x", "pass")
    claims = [claim_close("f", "c", 1.0, 1.0), paper_error("f", "c", "p", "x", True, note="d")]
    assert summary_line(claims) == "1 reproduced, 1 paper error, 0 fail"
    assert summary_line([{"passed": True}, {"passed": False}]) == \
        "1 reproduced, 0 paper errors, 1 fail"


@pytest.mark.slow
def test_run_figures_in_worker_processes_matches_inline(tmp_path):
    """Two real (cheap) figures on two worker processes give the same claims as in-process."""
    ids = ["001-fig1", "002-fig1"]
    specs = [figures.get_figure(i) for i in ids]
    par = report.run_figures(specs, tmp_path / "par", processes=2)
    seq = report.run_figures(specs, tmp_path / "seq", processes=1)
    assert [r.id for r in par] == ids == [r.id for r in seq]
    for a, b in zip(par, seq, strict=True):
        assert [(c.claim, c.status, c.computed_value) for c in a.claims] == \
               [(c.claim, c.status, c.computed_value) for c in b.claims]
        assert (tmp_path / "par" / f"{a.id}.png").exists()
