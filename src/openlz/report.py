"""Claims table and HTML report built from a ``reproduce`` output directory."""

from __future__ import annotations

import base64
import csv
import html
import json
from pathlib import Path

from ._version import __version__

__all__ = ["load_claims", "write_claims_table", "write_report"]


def load_claims(out_dir: Path) -> list[dict]:
    """Every ``*.claims.json`` in ``out_dir``, flattened to claim rows."""
    rows = []
    for p in sorted(Path(out_dir).glob("*.claims.json")):
        d = json.loads(p.read_text())
        rows.extend(d["claims"])
    return rows


def write_claims_table(out_dir: Path) -> Path:
    """Write ``claims.csv`` and ``claims.md`` (claim, paper value, computed value, status)."""
    out_dir = Path(out_dir)
    rows = load_claims(out_dir)
    keys = ["figure", "claim", "paper_value", "computed_value", "tolerance", "passed", "note"]
    with open(out_dir / "claims.csv", "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=keys, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    lines = ["| figure | claim | paper | openlz | tolerance | status | note |", "|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append("| " + " | ".join(str(r.get(k, "")).replace("|", "/") for k in
                                       ("figure", "claim", "paper_value", "computed_value", "tolerance"))
                     + f" | {'pass' if r['passed'] else 'FAIL'} | {str(r.get('note', '')).replace('|', '/')} |")
    n_ok = sum(bool(r["passed"]) for r in rows)
    lines.append(f"\n{n_ok}/{len(rows)} claims passed (openlz {__version__}).")
    path = out_dir / "claims.md"
    path.write_text("\n".join(lines) + "\n")
    return path


def write_report(out_dir: Path) -> Path:
    """One self-contained HTML page: every figure PNG embedded, the claims table."""
    out_dir = Path(out_dir)
    rows = load_claims(out_dir)
    parts = [f"<html><head><meta charset='utf-8'><title>openlz report</title>"
             "<style>body{font-family:sans-serif;max-width:1100px;margin:auto}"
             "td,th{border:1px solid #ccc;padding:3px 6px;font-size:13px}"
             "table{border-collapse:collapse}.FAIL{background:#fdd}.pass{background:#dfd}</style>"
             f"</head><body><h1>openlz {__version__} — reproduction report</h1>"]
    n_ok = sum(bool(r["passed"]) for r in rows)
    parts.append(f"<h2>Claims ({n_ok}/{len(rows)} passed)</h2><table><tr><th>figure</th><th>claim</th>"
                 "<th>paper</th><th>openlz</th><th>tolerance</th><th>status</th><th>note</th></tr>")
    for r in rows:
        st = "pass" if r["passed"] else "FAIL"
        parts.append("<tr class='%s'>" % st + "".join(
            f"<td>{html.escape(str(r.get(k, '')))}</td>" for k in
            ("figure", "claim", "paper_value", "computed_value", "tolerance")) +
            f"<td>{st}</td><td>{html.escape(str(r.get('note', '')))}</td></tr>")
    parts.append("</table><h2>Figures</h2>")
    for p in sorted(out_dir.glob("*.claims.json")):
        d = json.loads(p.read_text())
        png = out_dir / f"{d['figure']}.png"
        parts.append(f"<h3>{html.escape(d['figure'])}: {html.escape(d['title'])}</h3>")
        if png.exists():
            b64 = base64.b64encode(png.read_bytes()).decode()
            parts.append(f"<img style='max-width:100%' src='data:image/png;base64,{b64}'/>")
        parts.append(f"<p>computed in {d['seconds']:.1f} s; data: {html.escape(d['figure'])}.nc</p>")
    parts.append("</body></html>")
    path = out_dir / "report.html"
    path.write_text("\n".join(parts))
    return path
