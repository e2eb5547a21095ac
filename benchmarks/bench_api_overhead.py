"""Overhead of the public layer: ``openlz.mesolve`` vs the solver call underneath it.

Workload: the 256 driven, damped two-qubit systems of ``bench_lindblad.py`` (same parameters,
tolerances rtol = 1e-8, atol = 1e-10, 51 output times).  The direct call builds the
Liouvillian and a ``LinearGenerator`` and runs ``evolve_td`` (``bench_lindblad.run_openlz``);
``openlz.mesolve`` gets the QuTiP-style list form ``[H0, [H_drive, lambda t: W cos(w t)]]``
with (B,) coefficients and the jump operators as batched arrays, and adds input conversion,
the physicality check of all 256 x 51 states and the Result.  The two are timed interleaved
(median of REPEAT runs each); the target is an overhead below 10 %.

Run from the repository root:  python benchmarks/bench_api_overhead.py
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_lindblad import ATOL, BATCH, RTOL, TIMES, operators, parameters, run_openlz  # noqa: E402
from common import record  # noqa: E402

import openlz  # noqa: E402
from openlz.core import operators as ops  # noqa: E402

REPEAT = 7


def run_api(p, h0, drive, c, rho0):
    h = [h0, [drive, lambda t: p["w_drive"] * np.cos(p["omega"] * t)]]
    return openlz.mesolve(h, rho0, TIMES, c_ops=[c[:, k] for k in range(c.shape[1])],
                          options={"rtol": RTOL, "atol": ATOL, "progress_bar": False})


def main() -> None:
    p = parameters()
    h0, drive, c = operators(p)
    rho0 = ops.two_qubit_state("dd")
    direct = run_openlz(p, h0, drive, c, rho0)  # warm-up, and the reference states
    api = run_api(p, h0, drive, c, rho0)
    t_direct, t_api = [], []
    for _ in range(REPEAT):
        t0 = time.perf_counter()
        run_openlz(p, h0, drive, c, rho0)
        t_direct.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        run_api(p, h0, drive, c, rho0)
        t_api.append(time.perf_counter() - t0)
    md, ma = statistics.median(t_direct), statistics.median(t_api)
    diff = float(np.max(np.abs(api.states - direct)))
    overhead = 100.0 * (ma / md - 1.0)
    print(f"{BATCH} driven damped two-qubit systems, {TIMES.size} output times, rtol={RTOL}, atol={ATOL}")
    print(f"{'case':48s} {'median [s]':>11s}")
    print(f"{'evolve_td(LinearGenerator) (direct)':48s} {md:11.3f}")
    print(f"{'openlz.mesolve (list form, batched arrays)':48s} {ma:11.3f}")
    print(f"overhead {overhead:+.1f} % (target < 10 %), max |difference| of the states {diff:.1e}, "
          f"path {api.stats['generator']}/{api.stats['method']}")
    path = record("api_overhead", [{"case": f"openlz.mesolve vs evolve_td, B={BATCH}",
                                    "openlz_s": ma, "peer_s": md, "ratio": md / ma,
                                    "max_diff": diff, "overhead_percent": overhead,
                                    "peer_note": "peer = the direct evolve_td call under mesolve"}],
                  note=f"medians of {REPEAT} interleaved runs; rtol={RTOL}, atol={ATOL}")
    print(f"recorded {path}")


if __name__ == "__main__":
    main()
