"""Per-figure cost of ``openlz reproduce``: wall and CPU seconds of every figure.

    python benchmarks/profile_reproduce.py [--out DIR] [ids ...]

Runs each figure in this process, one after the other (one BLAS thread, like the workers of
``openlz reproduce``), and records wall and CPU time (``time.process_time``) per figure in
``benchmarks/results/reproduce_profile.json``.  On a shared, loaded machine the wall time
depends on the other processes; the CPU time much less so.  ``openlz reproduce`` runs the
figures on one worker process per core, so on an otherwise idle 2-core machine its wall time
is about max(total CPU / 2, the largest figure) plus start-up and the report.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import record  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("ids", nargs="*")
    ap.add_argument("--out", default="openlz-output-profile")
    args = ap.parse_args()
    from openlz.core.threads import limit_process
    from openlz.figures import all_figures, get_figure
    from openlz.figures.base import reproduce_figure

    limit_process(1)
    specs = [get_figure(i) for i in args.ids] if args.ids else list(all_figures().values())
    rows = []
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for spec in specs:
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            reproduce_figure(spec, out)
            err = ""
        except Exception as e:  # noqa: BLE001 - profile the others
            err = f"{type(e).__name__}: {e}"
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        rows.append({"case": spec.id, "wall_s": wall, "cpu_s": cpu, "error": err})
        print(f"{spec.id:24s} wall {wall:7.1f} s  cpu {cpu:7.1f} s {err}", flush=True)
    tot_cpu = sum(r["cpu_s"] for r in rows)
    big = max(r["cpu_s"] for r in rows)
    print(f"total: wall {sum(r['wall_s'] for r in rows):.1f} s, cpu {tot_cpu:.1f} s; "
          f"largest figure {big:.1f} s cpu; projected reproduce wall on an idle 2-core machine "
          f"~ max(cpu/2, largest) = {max(tot_cpu / 2, big):.1f} s (+ start-up and report)")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    record("reproduce_profile", rows, note=f"one process, one BLAS thread; load average {load}")


if __name__ == "__main__":
    main()
