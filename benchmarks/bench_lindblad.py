"""Time-dependent Lindblad evolution of 256 damped, driven two-qubit systems:
openlz ``evolve_td`` (one batched adaptive DOP853 run) vs QuTiP ``mesolve`` (a loop).

Model (library convention, shared/DESIGN.md), per batch point b:
    H_b(t) = (D1/2) sz1 + (D2/2) sz2 + J (sx sx + sy sy)/2 + W cos(w t) (sx1 + sx2),
    L = sqrt(g1) s1-, sqrt(g2) s2-, sqrt(gphi) sz1,
with (D1, D2, J, W, w, g1, g2, gphi) drawn at random.  Both solvers use rtol = 1e-8,
atol = 1e-10.  QuTiP runs its default integrator (adams) and DOP853; the QuTiP loop is
timed on the first ``SUBSET`` points and scaled to the batch, which the output says.

Run from the repository root:  python benchmarks/bench_lindblad.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import qutip

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import median_time, record  # noqa: E402

from openlz.core import operators as ops  # noqa: E402
from openlz.core.liouvillian import liouvillian  # noqa: E402
from openlz.solve.lindblad import LinearGenerator, evolve_td  # noqa: E402
from openlz.solve.ode import ODEOptions  # noqa: E402

BATCH = 256
SUBSET = 32
RTOL, ATOL = 1e-8, 1e-10
TIMES = np.linspace(0.0, 10.0, 51)


def parameters(seed: int = 1) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    u = lambda lo, hi: rng.uniform(lo, hi, BATCH)  # noqa: E731
    return {"d1": u(0.5, 1.5), "d2": u(0.5, 1.5), "j": u(0.0, 0.5), "w_drive": u(0.5, 1.5),
            "omega": u(0.5, 2.0), "g1": u(0.02, 0.2), "g2": u(0.02, 0.2), "gphi": u(0.0, 0.05)}


def operators(p: dict[str, np.ndarray]):
    """H0 (B, 4, 4), drive operator (4, 4), jump operators (B, 3, 4, 4)."""
    sx, sy, sz, sm = ops.sigma_x(), ops.sigma_y(), ops.sigma_z(), ops.sigma_minus()
    kron, on_qubit = ops.kron, ops.on_qubit
    col = lambda a: a[:, None, None]  # noqa: E731
    h0 = (0.5 * col(p["d1"]) * on_qubit(sz, 0) + 0.5 * col(p["d2"]) * on_qubit(sz, 1)
          + 0.5 * col(p["j"]) * (kron(sx, sx) + kron(sy, sy)))
    drive = on_qubit(sx, 0) + on_qubit(sx, 1)
    c = np.stack([np.sqrt(col(p["g1"])) * on_qubit(sm, 0), np.sqrt(col(p["g2"])) * on_qubit(sm, 1),
                  np.sqrt(col(p["gphi"])) * on_qubit(sz, 0)], axis=1)
    return h0, drive, c


def run_openlz(p, h0, drive, c, rho0, linear: bool = True):
    """One batched evolve_td call.  ``linear``: L(t) = L0 + W cos(w t) L_drive as a
    LinearGenerator (L0 per point, L_drive shared, W and w as (B,) coefficients; terms
    applied to the state, real Hermitian-basis integration); otherwise a plain callable
    that assembles the (B, 16, 16) generator at every stage."""
    l0 = liouvillian(h0, c)                                      # (B, 16, 16)
    l_drive = liouvillian(drive)                                 # (16, 16), shared
    opts = ODEOptions(rtol=RTOL, atol=ATOL)
    if linear:
        gen = LinearGenerator(l0, [(l_drive, lambda t: p["w_drive"] * np.cos(p["omega"] * t))])
        return evolve_td(gen, rho0, TIMES, opts)[0]
    l1 = p["w_drive"][:, None, None] * l_drive[None]
    w = p["omega"][:, None, None]
    return evolve_td(lambda t: l0 + np.cos(w * t) * l1, rho0, TIMES, opts)[0]


def run_qutip(p, h0, drive, c, rho0, n: int, method: str):
    out = []
    opts = {"rtol": RTOL, "atol": ATOL, "nsteps": 100_000, "method": method}
    for b in range(n):
        h = [qutip.Qobj(h0[b]), [qutip.Qobj(p["w_drive"][b] * drive),
                                 lambda t, w=p["omega"][b]: np.cos(w * t)]]
        res = qutip.mesolve(h, qutip.Qobj(rho0), TIMES, [qutip.Qobj(ci) for ci in c[b]], options=opts)
        out.append([s.full() for s in res.states])
    return np.array(out)


def main() -> None:
    p = parameters()
    h0, drive, c = operators(p)
    rho0 = ops.two_qubit_state("dd")
    t_ours, ours = median_time(lambda: run_openlz(p, h0, drive, c, rho0), repeat=3)
    t_call, ours_call = median_time(lambda: run_openlz(p, h0, drive, c, rho0, linear=False), repeat=3)
    print(f"{BATCH} driven damped two-qubit systems, {TIMES.size} output times, rtol={RTOL}, atol={ATOL}")
    print(f"QuTiP mesolve looped over {SUBSET} points and scaled x{BATCH // SUBSET}")
    print(f"{'case':44s} {'openlz [s]':>11s} {'QuTiP [s]':>11s} {'ratio':>7s} {'max diff':>10s}")
    rows = []
    for method in ("adams", "dop853"):
        t_sub, ref = median_time(lambda m=method: run_qutip(p, h0, drive, c, rho0, SUBSET, m),
                                 repeat=3, warmup=0)
        t_peer = t_sub * BATCH / SUBSET
        for label, t, val in (("LinearGenerator", t_ours, ours), ("callable L(t)", t_call, ours_call)):
            diff = float(np.max(np.abs(val[:SUBSET] - ref)))
            case = f"evolve_td[{label}] vs mesolve[{method}]"
            rows.append({"case": f"{case}, B={BATCH}", "openlz_s": t, "peer_s": t_peer,
                         "ratio": t_peer / t, "max_diff": diff,
                         "peer_note": f"QuTiP loop timed on {SUBSET} points, scaled"})
            print(f"{case:44s} {t:11.3f} {t_peer:11.2f} {t_peer / t:7.1f} {diff:10.2e}")
    path = record("lindblad", rows, note=f"QuTiP {qutip.__version__}; rtol={RTOL}, atol={ATOL}; "
                  f"QuTiP looped over {SUBSET} of {BATCH} points and scaled; medians of 3")
    print(f"recorded {path}")


if __name__ == "__main__":
    main()
