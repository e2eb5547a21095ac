"""Benchmark: steady-state concurrence map of the driven-qubits model (paper 002).

C_inf on a 16 x 16 grid of (A, eps0) in [0.5, 6]^2 (xi = 0.1, J = -2.5, paper defaults),
openlz (one batched ``Model.evaluate`` call) vs QuTiP (per point: ``FloquetBasis`` +
``floquet_tensor`` + ``steadystate`` + period average of the lab-frame state +
``concurrence``), same physics and sideband cutoff.  Prints median timings, their ratio and
the largest |Delta C|; records ``benchmarks/results/driven_qubits.json``.

Run:  OMP_NUM_THREADS=1 python benchmarks/bench_driven_qubits.py [--grid 16] [--repeat 5]
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
from common import median_time, record  # the script's directory is on sys.path

from openlz.analytic.driven_qubits import bath_operator, drive_diagonal, h0_matrix
from openlz.errors import ValidityWarning
from openlz.models.driven_qubits import MODEL

KMAX = 32  # sideband cutoff, both codes (openlz default `sidebands`)


def openlz_map(A: np.ndarray, eps0: np.ndarray) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ValidityWarning)
        # steady="secular": the same (secular) approximation as QuTiP's floquet_tensor; openlz's
        # default "auto" switches to the full generator near quasienergy degeneracies
        res = MODEL.evaluate({"A": A, "eps0": eps0, "xi": 0.1, "sidebands": KMAX, "steady": "secular"},
                             observables=["steady_concurrence"])
    return res["steady_concurrence"]


def qutip_point(A: float, eps0: float, p: dict, n_avg: int = 64) -> float:
    import qutip as qt

    dims = [[2, 2], [2, 2]]
    om = p["omega"]
    h0 = qt.Qobj(h0_matrix(eps0, p["Delta1"], p["Delta2"], p["J"]), dims=dims)
    d = qt.Qobj(np.diag(drive_diagonal()) * A, dims=dims)
    T = 2 * np.pi / om
    fb = qt.FloquetBasis([h0, [d, lambda t: np.cos(om * t)]], T, options={"atol": 1e-9, "rtol": 1e-9})
    kap, wc = p["kappa"], p["wc"]

    def spec(w):
        w = np.asarray(w)
        return np.where(w > 0, kap * w * np.exp(-np.abs(w) / wc), 0.0)

    with np.errstate(over="ignore"):
        R = qt.floquet_tensor(fb, [qt.Qobj(bath_operator(p["gamma1"], 0.1), dims=dims)], [spec],
                              w_th=p["T"], kmax=KMAX, nT=100)
    rho_f = qt.steadystate(R)
    ts = np.linspace(0, T, n_avg, endpoint=False)
    rho = sum(fb.from_floquet_basis(rho_f, t) for t in ts) / n_avg
    return float(qt.concurrence(rho))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--grid", type=int, default=16)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--qutip-repeat", type=int, default=1)
    args = ap.parse_args()
    n = args.grid
    a, e = np.meshgrid(np.linspace(0.5, 6.0, n), np.linspace(0.5, 6.0, n), indexing="ij")
    A, E = a.ravel(), e.ravel()
    p = MODEL.resolve({"xi": 0.1})

    t_ol, c_ol = median_time(lambda: openlz_map(A, E), repeat=args.repeat)

    def qutip_map() -> np.ndarray:
        return np.array([qutip_point(x, y, p) for x, y in zip(A, E, strict=True)])

    t0 = time.perf_counter()
    t_qt, c_qt = median_time(qutip_map, repeat=args.qutip_repeat, warmup=0)
    wall = time.perf_counter() - t0
    diff = float(np.max(np.abs(c_ol - c_qt)))
    ratio = t_qt / t_ol
    print(f"driven-qubits C_inf map {n}x{n} (A, eps0) in [0.5, 6]^2, xi = 0.1, kmax = {KMAX}")
    print(f"  openlz : {t_ol:8.3f} s  (median of {args.repeat}; {1e3 * t_ol / A.size:.3f} ms/point)")
    print(f"  QuTiP  : {t_qt:8.3f} s  (median of {args.qutip_repeat}; {1e3 * t_qt / A.size:.1f} ms/point;"
          f" wall {wall:.1f} s)")
    print(f"  ratio  : {ratio:8.1f} x   max |dC| = {diff:.2e}   C range [{c_qt.min():.3f}, {c_qt.max():.3f}]")
    record("driven_qubits", [{
        "case": f"C_inf map {n}x{n}, (A, eps0) in [0.5, 6]^2, xi=0.1",
        "openlz_s": t_ol, "peer_s": t_qt, "peer": "qutip FloquetBasis+floquet_tensor+steadystate",
        "ratio": ratio, "max_diff": diff, "points": int(A.size),
    }], note="openlz: one batched Model.evaluate (steps=96, sidebands=32); QuTiP: per-point loop, "
             "kmax=32, nT=100, period average over 64 times; timings taken on a shared 2-core machine")


if __name__ == "__main__":
    main()
