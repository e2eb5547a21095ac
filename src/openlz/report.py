"""Claims table, benchmark table and the self-contained HTML report of ``openlz reproduce``.

An output directory holds, per figure, ``ID.nc`` (data), ``ID.png`` and ``ID.claims.json``
(written by :func:`openlz.figures.reproduce_figure`).  :func:`build_report` runs the
figures that are missing, then writes ``claims.csv``/``claims.md``, ``benchmarks.json``/
``benchmarks.md`` (from ``benchmarks/results/*.json``, the records of
``benchmarks/common.py:record``) and ``report.html`` with every figure embedded.
"""

from __future__ import annotations

import base64
import csv
import html
import json
import platform
import time
import traceback
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ._version import __version__
from .figures.base import FAIL, PAPER_ERROR, REPRODUCED, count_statuses, record_status, summary_line

__all__ = ["load_claims", "write_claims_table", "write_report", "run_figures", "build_report",
           "find_benchmarks_dir", "load_benchmarks", "write_benchmark_table", "missing_figures"]

_CLAIM_KEYS = ("figure", "claim", "paper_value", "computed_value", "tolerance")


def load_claims(out_dir: Path) -> list[dict]:
    """Every ``*.claims.json`` in ``out_dir``, flattened to claim rows; each row has a
    ``status`` (``reproduced``, ``paper-error`` or ``fail``; records written before the
    three-status scheme are converted from their ``passed`` flag)."""
    rows = []
    for p in sorted(Path(out_dir).glob("*.claims.json")):
        d = json.loads(p.read_text())
        for r in d["claims"]:
            rows.append({**r, "status": record_status(r)})
    return rows


def write_claims_table(out_dir: Path) -> Path:
    """Write ``claims.csv`` and ``claims.md`` (claim, paper statement, openlz value, tolerance,
    status, note); the last line of ``claims.md`` is "N reproduced, M paper errors, K fail"."""
    out_dir = Path(out_dir)
    rows = load_claims(out_dir)
    keys = ["figure", "claim", "paper_value", "computed_value", "tolerance", "status", "note"]
    with open(out_dir / "claims.csv", "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=keys, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    lines = ["| figure | claim | paper | openlz | tolerance | status | note |", "|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append("| " + " | ".join(str(r.get(k, "")).replace("|", "/") for k in _CLAIM_KEYS)
                     + f" | {r['status']} | {str(r.get('note', '')).replace('|', '/')} |")
    lines.append(f"\n{summary_line(rows)} (openlz {__version__}).")
    path = out_dir / "claims.md"
    path.write_text("\n".join(lines) + "\n")
    return path


# --- figures -------------------------------------------------------------------------
def missing_figures(out_dir: Path, ids: Iterable[str]) -> list[str]:
    """Figure ids without a PNG or claims record in ``out_dir`` (or whose run failed)."""
    out_dir = Path(out_dir)
    missing = []
    for fid in ids:
        cj = out_dir / f"{fid}.claims.json"
        if not cj.exists() or not (out_dir / f"{fid}.png").exists() or \
                json.loads(cj.read_text()).get("error"):
            missing.append(fid)
    return missing


def _record_failure(spec: Any, out_dir: Path, seconds: float, err: str, tb: str) -> None:
    (out_dir / f"{spec.id}.claims.json").write_text(json.dumps({
        "figure": spec.id, "title": spec.title, "paper": spec.paper,
        "seconds": seconds, "error": err, "traceback": tb,
        "claims": [{"figure": spec.id, "claim": "figure computes without error",
                    "paper_value": "not stated", "computed_value": err, "tolerance": "",
                    "status": FAIL, "note": "see the traceback in the claims record"}]},
        indent=2))


def _reproduce_one(fid: str, out_dir: str) -> tuple[Any, str, str, float]:
    """Worker: (FigureResult or None, error, traceback, seconds) for one figure id."""
    from .figures import get_figure, reproduce_figure

    t0 = time.perf_counter()
    try:
        return reproduce_figure(get_figure(fid), Path(out_dir)), "", "", time.perf_counter() - t0
    except Exception as e:  # noqa: BLE001 - one broken figure must not stop the report
        return None, f"{type(e).__name__}: {e}", traceback.format_exc(), time.perf_counter() - t0


def _worker_init() -> None:
    # one process per core: one BLAS thread and no chunk threads in each
    from .core.threads import limit_process

    limit_process(1)


def run_figures(specs: Iterable[Any], out_dir: Path,
                log: Callable[[str], None] | None = None,
                processes: int | None = None) -> list[Any]:
    """Reproduce each figure; a figure that raises is recorded as a failed claim (with the
    error) instead of stopping the others. Returns the FigureResults of the ones that ran.

    Figures are independent, so they run on ``processes`` worker processes (default: the
    cores available, see :func:`openlz.core.threads.worker_threads`), the most expensive
    first (``FigureSpec.expected_seconds``); ``processes=1`` runs them in this process.
    """
    from .core.threads import worker_threads
    from .figures import reproduce_figure
    from .figures.base import FIGURES

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    log = log or (lambda s: None)
    specs = list(specs)
    n_proc = min(processes or worker_threads(), len(specs))
    # workers look figures up by id in openlz's own registry: anything else runs here
    if any(FIGURES.get(s.id) is not s or not str(getattr(s.compute, "__module__", "")).startswith(
            "openlz.") for s in specs):
        n_proc = 1
    results = []

    def done(spec: Any, r: Any, err: str, tb: str, seconds: float) -> None:
        if r is None:
            log(f"[{spec.id}] FAILED: {err}")
            _record_failure(spec, out_dir, seconds, err, tb)
            return
        log(f"[{spec.id}] {r.seconds:.1f}s, claims: {summary_line(r.claims)} -> {r.png}")
        results.append(r)

    if n_proc <= 1:
        for spec in specs:
            log(f"[{spec.id}] {spec.title} ...")
            t0 = time.perf_counter()
            try:
                r = reproduce_figure(spec, out_dir)
            except Exception as e:  # noqa: BLE001 - one broken figure must not stop the report
                done(spec, None, f"{type(e).__name__}: {e}", traceback.format_exc(),
                     time.perf_counter() - t0)
                continue
            done(spec, r, "", "", r.seconds)
        return results
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if ctx.get_start_method() == "forkserver":
        ctx.set_forkserver_preload(["openlz.figures"])
    order = sorted(specs, key=lambda s: -float(getattr(s, "expected_seconds", 0.0)))
    with ProcessPoolExecutor(max_workers=n_proc, mp_context=ctx, initializer=_worker_init) as pool:
        futs = {}
        for spec in order:
            log(f"[{spec.id}] {spec.title} ...")
            futs[pool.submit(_reproduce_one, spec.id, str(out_dir))] = spec
        for fut in as_completed(futs):
            done(futs[fut], *fut.result())
    by_id = {r.id: r for r in results}
    return [by_id[s.id] for s in specs if s.id in by_id]


# --- benchmarks ----------------------------------------------------------------------
def find_benchmarks_dir() -> Path | None:
    """``benchmarks/results`` of the source tree this package runs from (None if installed
    without it)."""
    root = Path(__file__).resolve().parents[2]
    bench = root / "benchmarks"
    return bench / "results" if (bench / "common.py").exists() else None


def load_benchmarks(results_dir: Path | None) -> list[dict[str, Any]]:
    """Every ``*.json`` benchmark record (``{"benchmark", "date", "machine", "note", "rows"}``)."""
    if results_dir is None or not Path(results_dir).is_dir():
        return []
    out = []
    for p in sorted(Path(results_dir).glob("*.json")):
        try:
            d = json.loads(p.read_text())
        except (OSError, ValueError):
            continue
        if isinstance(d, dict) and isinstance(d.get("rows"), list):
            d.setdefault("benchmark", p.stem)
            out.append(d)
    return out


def _columns(rows: list[dict[str, Any]]) -> list[str]:
    cols: list[str] = []
    for r in rows:
        cols.extend(k for k in r if k not in cols)
    return cols


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.4g}"
    return "" if v is None else str(v)


def write_benchmark_table(out_dir: Path, records: list[dict[str, Any]], note: str = "") -> Path:
    """Write ``benchmarks.json`` (the records) and ``benchmarks.md`` (one table per benchmark;
    ``ratio`` is peer time / openlz time, or for run_all.py's rows that code's time / openlz's
    time: above 1 means openlz is faster)."""
    out_dir = Path(out_dir)
    (out_dir / "benchmarks.json").write_text(json.dumps(records, indent=1, default=str))
    lines = [note] if note else []
    for rec in records:
        rows = rec["rows"]
        cols = _columns(rows)
        lines += [f"\n#### {rec['benchmark']} ({rec.get('date', '')}; {rec.get('machine', '')})",
                  rec.get("note", ""), "", "| " + " | ".join(cols) + " |",
                  "|" + "---|" * len(cols)]
        lines += ["| " + " | ".join(_fmt(r.get(c)).replace("|", "/") for c in cols) + " |"
                  for r in rows]
    path = out_dir / "benchmarks.md"
    path.write_text("\n".join(lines) + "\n")
    return path


# --- HTML ----------------------------------------------------------------------------
_STYLE = ("body{font-family:sans-serif;max-width:1100px;margin:auto;padding:0 1em}"
          "td,th{border:1px solid #ccc;padding:3px 6px;font-size:13px;vertical-align:top}"
          "table{border-collapse:collapse;margin-bottom:1em}.fail{background:#fdd}"
          ".reproduced{background:#dfd}.paper-error{background:#ffe9b3}.note{color:#555}")

_STATUS_HELP = ("Status: <b>reproduced</b> = openlz's numerics confirm the paper's statement; "
                "<b>paper-error</b> = the statement contradicts the paper's own model (the note "
                "gives the derivation; both values are reported); <b>fail</b> = openlz does not "
                "reproduce something it should (a regression or an openlz bug). The paper "
                "column holds what the paper states (equation or section) or 'not stated'.")


def _claims_html(rows: list[dict[str, Any]]) -> list[str]:
    parts = ["<table><tr><th>figure</th><th>claim</th><th>paper</th><th>openlz</th>"
             "<th>tolerance</th><th>status</th><th>note</th></tr>"]
    for r in rows:
        st = record_status(r)
        parts.append(f"<tr class='{st}'>" + "".join(
            f"<td>{html.escape(str(r.get(k, '')))}</td>" for k in _CLAIM_KEYS) +
            f"<td>{st}</td><td>{html.escape(str(r.get('note', '')))}</td></tr>")
    parts.append("</table>")
    return parts


def _summary_html(records: list[dict[str, Any]]) -> list[str]:
    """One row per paper: figures (linked), claims reproduced / paper errors / fail, figures
    that failed to compute."""
    papers: dict[str, list[dict[str, Any]]] = {}
    for d in records:
        papers.setdefault(str(d.get("paper", "?")), []).append(d)
    parts = ["<table><tr><th>paper</th><th>figures</th><th>reproduced</th><th>paper errors</th>"
             "<th>fail</th><th>figures that failed to compute</th></tr>"]
    for paper, ds in sorted(papers.items()):
        c = count_statuses(cl for d in ds for cl in d["claims"])
        links = ", ".join(f"<a href='#{html.escape(d['figure'])}'>{html.escape(d['figure'])}</a>"
                          for d in ds)
        broken = ", ".join(html.escape(d["figure"]) for d in ds if d.get("error")) or "none"
        parts.append(f"<tr><td>{html.escape(paper)}</td><td>{links}</td>"
                     f"<td class='{REPRODUCED}'>{c[REPRODUCED]}</td>"
                     f"<td class='{PAPER_ERROR}'>{c[PAPER_ERROR]}</td>"
                     f"<td class='{FAIL if c[FAIL] else REPRODUCED}'>{c[FAIL]}</td>"
                     f"<td>{broken}</td></tr>")
    parts.append("</table>")
    return parts


def _bench_html(records: list[dict[str, Any]], note: str) -> list[str]:
    parts = ["<h2 id='benchmarks'>Benchmarks</h2>"]
    if note:
        parts.append(f"<p class='note'>{html.escape(note)}</p>")
    if records:
        parts.append("<p>ratio = peer time / openlz time (rows with a code column: that "
                     "code's time / openlz's); above 1 means openlz is faster. Timings are "
                     "medians of repeats on the machine named.</p>")
    for rec in records:
        rows = rec["rows"]
        cols = _columns(rows)
        parts.append(f"<h3>{html.escape(str(rec['benchmark']))}</h3><p class='note'>"
                     f"{html.escape(str(rec.get('date', '')))}; "
                     f"{html.escape(str(rec.get('machine', '')))}. "
                     f"{html.escape(str(rec.get('note', '')))}</p><table><tr>"
                     + "".join(f"<th>{html.escape(c)}</th>" for c in cols) + "</tr>")
        parts += ["<tr>" + "".join(f"<td>{html.escape(_fmt(r.get(c)))}</td>" for c in cols)
                  + "</tr>" for r in rows]
        parts.append("</table>")
    return parts


def write_report(out_dir: Path, benchmarks: list[dict[str, Any]] | None = None,
                 benchmarks_note: str = "") -> Path:
    """One self-contained HTML page: summary, claims table, benchmark table and every
    figure (PNG embedded as base64) with its own claims and a link to its data file."""
    out_dir = Path(out_dir)
    rows = load_claims(out_dir)
    records = [json.loads(p.read_text()) for p in sorted(out_dir.glob("*.claims.json"))]
    summary = summary_line(rows)
    failed_figs = [d["figure"] for d in records if d.get("error")]
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    parts = [f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>openlz report</title>"
             f"<style>{_STYLE}</style></head><body>"
             f"<h1>openlz {__version__} — reproduction report</h1>"
             f"<p>{now}; Python {platform.python_version()} on {platform.machine()}. "
             f"{len(records)} figures, {len(rows)} claims: {summary}"
             + (f"; figures that failed to compute: {html.escape(', '.join(failed_figs))}"
                if failed_figs else "") + ". Data files (netCDF, one per figure), "
             "<a href='claims.csv'>claims.csv</a> and <a href='benchmarks.json'>benchmarks.json"
             "</a> are next to this page.</p>",
             "<h2 id='summary'>Summary by paper</h2>", f"<p class='note'>{_STATUS_HELP}</p>"]
    parts += _summary_html(records)
    parts.append(f"<h2 id='claims'>Claims ({summary})</h2>")
    parts += _claims_html(rows)
    parts += _bench_html(benchmarks or [], benchmarks_note)
    parts.append("<h2 id='figures'>Figures</h2>")
    for d in records:
        fid = d["figure"]
        parts.append(f"<h3 id='{html.escape(fid)}'>{html.escape(fid)}: "
                     f"{html.escape(str(d.get('title', '')))}</h3>")
        png = out_dir / f"{fid}.png"
        if png.exists() and not d.get("error"):
            b64 = base64.b64encode(png.read_bytes()).decode()
            parts.append(f"<img style='max-width:100%' alt='{html.escape(fid)}' "
                         f"src='data:image/png;base64,{b64}'/>")
        if d.get("error"):
            parts.append(f"<pre class='fail'>{html.escape(d.get('traceback', d['error']))}</pre>")
        parts += _claims_html(d["claims"])
        data = out_dir / f"{fid}.nc"
        link = f"<a href='{html.escape(data.name)}'>{html.escape(data.name)}</a>" \
            if data.exists() else "none"
        parts.append(f"<p class='note'>computed in {d.get('seconds', 0):.1f} s; data: {link}</p>")
    parts.append("</body></html>")
    path = out_dir / "report.html"
    path.write_text("\n".join(parts))
    return path


def build_report(out_dir: Path, run_missing: bool = True, rerun: bool = False,
                 benchmarks_dir: Path | None = None,
                 log: Callable[[str], None] | None = None) -> Path:
    """Run the figures that are missing from ``out_dir`` (all with ``rerun``), then write the
    claims table, the benchmark table and ``report.html``. Returns the HTML path."""
    from .figures import all_figures

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    specs = all_figures()
    if run_missing or rerun:
        todo = list(specs) if rerun else missing_figures(out_dir, specs)
        run_figures([specs[i] for i in todo], out_dir, log)
    write_claims_table(out_dir)
    bdir = Path(benchmarks_dir) if benchmarks_dir is not None else find_benchmarks_dir()
    records = load_benchmarks(bdir)
    if bdir is None:
        note = ("Benchmark results are not available: no benchmarks directory was found "
                "(openlz runs from an installed package; run the scripts in the source tree's "
                "benchmarks/ and pass --benchmarks DIR).")
    elif not records:
        note = (f"No benchmark results in {bdir}: run `python benchmarks/bench_*.py` "
                "in the source tree first.")
    else:
        note = f"Benchmark records read from {bdir}."
    write_benchmark_table(out_dir, records, note)
    return write_report(out_dir, records, note)
