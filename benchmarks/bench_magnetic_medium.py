"""magnetic-medium (paper 004): concurrence C(t) for a batch of parameter points, openlz vs QuTiP.

openlz evaluates all points in one batched call (one expm per point for a uniform time grid);
QuTiP ``mesolve`` loops over points (Qobjs built inside the timing, as a user would), timed on
``SUBSET`` points and scaled per point to the full batch — the output says so.  The largest
difference in C(t) is taken over that subset.  A second case times the postselected
(no-jump) dynamics against QuTiP ``sesolve`` with the non-Hermitian H_eff of Eq. (12).

Run from the repository root:  python benchmarks/bench_magnetic_medium.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import qutip as qt

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import median_time, record  # noqa: E402

from openlz.models.magnetic_medium import MODEL  # noqa: E402

N_POINTS = 200
SUBSET = 20
TIMES = np.linspace(0.0, 5.0, 201)
REPEAT = 3


def points() -> dict[str, np.ndarray]:
    """A finite-temperature grid: δ in [0, 3], a = 1, |A| = 0.9, ã = 0.1, |Ã| = 0.09."""
    n = N_POINTS
    return {"a": np.ones(n), "A": np.full(n, 0.9), "a_tilde": np.full(n, 0.1),
            "A_tilde": np.full(n, 0.09), "delta": np.linspace(0.0, 3.0, n)}


def qutip_lindblad(p: dict[str, float]) -> np.ndarray:
    """Eq. (2) in QuTiP: H_S = −(Δ1σ1z + Δ2σ2z)/2, c_ops = √2 J_i of Eq. (5)."""
    i2 = qt.qeye(2)
    sz1, sz2 = qt.tensor(qt.sigmaz(), i2), qt.tensor(i2, qt.sigmaz())
    sp1, sp2 = qt.tensor(qt.sigmap(), i2), qt.tensor(i2, qt.sigmap())
    sm1, sm2 = sp1.dag(), sp2.dag()
    h = -(p["delta"] * sz1 - p["delta"] * sz2) / 2
    c = [np.sqrt(p["a_tilde"] + p["A_tilde"]) * (sm1 + sm2),
         np.sqrt(p["a_tilde"] - p["A_tilde"]) * (sm1 - sm2),
         np.sqrt(p["a"] + p["A"]) * (sp1 + sp2), np.sqrt(p["a"] - p["A"]) * (sp1 - sp2)]
    psi0 = qt.tensor(qt.basis(2, 0), qt.basis(2, 1))
    res = qt.mesolve(h, psi0 * psi0.dag(), TIMES, c, options={"atol": 1e-10, "rtol": 1e-8})
    return np.array([qt.concurrence(s) for s in res.states])


def qutip_postselected(p: dict[str, float]) -> np.ndarray:
    """Eq. (13): normalised no-jump state from sesolve with H_eff = H_S − i Σ J†J (Eq. 12)."""
    i2 = qt.qeye(2)
    sz1, sz2 = qt.tensor(qt.sigmaz(), i2), qt.tensor(i2, qt.sigmaz())
    sp1, sp2 = qt.tensor(qt.sigmap(), i2), qt.tensor(i2, qt.sigmap())
    js = [np.sqrt((p["a"] + p["A"]) / 2) * (sp1 + sp2), np.sqrt((p["a"] - p["A"]) / 2) * (sp1 - sp2)]
    heff = -(p["delta"] * sz1 - p["delta"] * sz2) / 2 - 1j * sum(j.dag() * j for j in js)
    psi0 = qt.tensor(qt.basis(2, 0), qt.basis(2, 1))
    res = qt.sesolve(heff, psi0, TIMES, options={"atol": 1e-10, "rtol": 1e-8})
    return np.array([qt.concurrence(s.unit()) for s in res.states])


def main() -> None:
    rows = []
    pts = points()
    print(f"{N_POINTS} parameter points x {TIMES.size} times; QuTiP looped over {SUBSET} points "
          f"and scaled x{N_POINTS // SUBSET}")
    print(f"{'case':34s} {'openlz [s]':>11s} {'QuTiP [s]':>11s} {'ratio':>8s} {'max diff':>10s}")
    idx = np.arange(0, N_POINTS, N_POINTS // SUBSET)
    cases = [("Lindblad C(t), finite T", {}, qutip_lindblad, pts),
             ("postselected C(t), T = 0", {"postselect": True}, qutip_postselected,
              {**pts, "a_tilde": np.zeros(N_POINTS), "A_tilde": np.zeros(N_POINTS)})]
    for name, opts, peer, pp in cases:
        t_ours, val = median_time(lambda pp=pp, opts=opts: MODEL.evaluate(
            pp, TIMES, ["concurrence"], opts)["concurrence"], repeat=REPEAT)
        subp = [{k: float(v[i]) for k, v in pp.items()} for i in idx]
        t_sub, ref = median_time(lambda subp=subp, peer=peer: np.array([peer(p) for p in subp]),
                                 repeat=REPEAT, warmup=0)
        t_peer = t_sub * N_POINTS / SUBSET
        diff = float(np.max(np.abs(val[idx] - ref)))
        rows.append({"case": f"{name}, {N_POINTS} points x {TIMES.size} times",
                     "openlz_s": t_ours, "peer_s": t_peer, "ratio": t_peer / t_ours,
                     "max_diff": diff,
                     "peer_note": f"QuTiP loop timed on {SUBSET} points, scaled per point"})
        print(f"{name:34s} {t_ours:11.4f} {t_peer:11.4f} {t_peer / t_ours:8.1f} {diff:10.2e}")
    path = record("magnetic_medium", rows, note="medians of 3 runs; contended 2-core machine")
    print(f"recorded {path}")


if __name__ == "__main__":
    main()
