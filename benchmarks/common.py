"""Shared helpers for the benchmark scripts: median timing and a results record.

Each benchmark prints its table and calls :func:`record`, which writes
``benchmarks/results/<name>.json``; ``openlz report`` collects those files into
the benchmark table of the HTML report.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

RESULTS_DIR = Path(__file__).resolve().parent / "results"


def median_time(fn: Callable[[], Any], repeat: int = 5, warmup: int = 1) -> tuple[float, Any]:
    """Median wall time of ``fn()`` over ``repeat`` runs after ``warmup`` runs; returns (seconds, last result)."""
    out = None
    for _ in range(warmup):
        out = fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def record(name: str, rows: list[dict[str, Any]], note: str = "") -> Path:
    """Write ``results/<name>.json``: rows of {case, openlz_s, peer_s, ratio, max_diff, ...}.

    ``ratio`` is always peer time / openlz time (above 1: openlz is faster); run_all.py's rows
    give each code's time / openlz's time in the same sense."""
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"{name}.json"
    payload = {
        "benchmark": name,
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "note": note,
        "rows": rows,
    }
    path.write_text(json.dumps(payload, indent=2, default=float))
    return path
