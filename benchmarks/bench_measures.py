"""Concurrence and negativity of 100 000 random two-qubit states: openlz (batched) vs QuTiP (loop).

QuTiP evaluates one ``Qobj`` at a time; looping over all 100 000 states takes
minutes, so the QuTiP loop is timed on the first ``SUBSET`` states (``Qobj``s built
beforehand, outside the timing) and scaled per state to 100 000 -- the output says so.
The largest difference is taken over that subset.

Run from the repository root:  python benchmarks/bench_measures.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import qutip

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import median_time, record  # noqa: E402

from openlz import concurrence, negativity  # noqa: E402
from openlz.core.measures import _SYSY  # noqa: E402

N_STATES = 100_000
SUBSET = 5_000
REPEAT = 5


def random_states(n: int, seed: int = 0) -> np.ndarray:
    """Random full-rank density matrices G G^dag / tr (Ginibre), shape (n, 4, 4)."""
    rng = np.random.default_rng(seed)
    g = rng.normal(size=(n, 4, 4)) + 1j * rng.normal(size=(n, 4, 4))
    rho = g @ np.conj(np.swapaxes(g, -1, -2))
    return rho / np.einsum("bii->b", rho).real[:, None, None]


def concurrence_eigvals(rho: np.ndarray) -> np.ndarray:
    """The previous openlz implementation (non-Hermitian eigvals of rho rho~), for reference."""
    lam = np.sqrt(np.abs(np.linalg.eigvals(rho @ (_SYSY @ np.conj(rho) @ _SYSY)).real))
    lam = -np.sort(-lam, axis=-1)
    return np.maximum(lam[..., 0] - lam[..., 1:].sum(axis=-1), 0.0)


def main() -> None:
    rho = random_states(N_STATES)
    qobjs = [qutip.Qobj(r, dims=[[2, 2], [2, 2]]) for r in rho[:SUBSET]]
    rows = []
    cases = [("concurrence", concurrence, lambda q: qutip.concurrence(q)),
             ("negativity", lambda r: negativity(r, 1), lambda q: qutip.negativity(q, 1))]
    print(f"{N_STATES} random two-qubit states; QuTiP looped over {SUBSET} and scaled x{N_STATES // SUBSET}")
    print(f"{'case':14s} {'openlz [s]':>11s} {'QuTiP [s]':>11s} {'ratio':>8s} {'max diff':>10s}")
    for name, ours, theirs in cases:
        t_ours, val = median_time(lambda f=ours: f(rho), repeat=REPEAT)
        t_sub, ref = median_time(lambda g=theirs: np.array([g(q) for q in qobjs]), repeat=3, warmup=0)
        t_peer = t_sub * N_STATES / SUBSET
        diff = float(np.max(np.abs(val[:SUBSET] - ref)))
        rows.append({"case": f"{name}, {N_STATES} states", "openlz_s": t_ours, "peer_s": t_peer,
                     "ratio": t_peer / t_ours, "max_diff": diff,
                     "peer_note": f"QuTiP loop timed on {SUBSET} states, scaled per state"})
        print(f"{name:14s} {t_ours:11.3f} {t_peer:11.2f} {t_peer / t_ours:8.0f} {diff:10.2e}")
    t_old, old = median_time(lambda: concurrence_eigvals(rho), repeat=REPEAT)
    t_new = rows[0]["openlz_s"]
    print(f"concurrence, previous eigvals form: {t_old:.3f} s (new form {t_old / t_new:.1f}x faster), "
          f"max diff {np.max(np.abs(old - concurrence(rho))):.1e}")
    rows.append({"case": f"concurrence, previous openlz eigvals form, {N_STATES} states",
                 "openlz_s": t_new, "peer_s": t_old, "ratio": t_old / t_new,
                 "max_diff": float(np.max(np.abs(old - concurrence(rho))))})
    path = record("measures", rows, note=f"QuTiP {qutip.__version__}; QuTiP loop over {SUBSET} states "
                  f"(Qobj built outside the timing), scaled to {N_STATES}; medians")
    print(f"recorded {path}")


if __name__ == "__main__":
    main()
