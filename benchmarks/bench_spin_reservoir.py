"""Exact dynamics of paper 003's driven spin + L reservoir spins: openlz vs QuTiP sesolve.

Same work for both: p(t), k(t) at the L+1 chain sampling times τ_n for ν = 0.1, ε̇ = 1,
β = 2, μ = 0, ε_n = n, p0 = 0.8, k0 = 0.4, summed over the same reservoir configurations
(most probable first, missing weight < 1e-10).  openlz evolves each configuration in its
magnetization sector in the interaction picture
(:func:`openlz.solve.exact_spins.exact_spin_dynamics`); QuTiP evolves the same kets with
``sesolve`` in the full 2^{L+1} space (sparse ``QobjEvo``), which is what one would write
without the sector structure.  Peak memory is traced with ``tracemalloc`` in a separate run
(numpy buffers are traced; QuTiP's C-level allocations may be under-counted).

Run: ``python benchmarks/bench_spin_reservoir.py [--max-qutip-L 12] [--repeat 3]``.
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc

import numpy as np

from openlz.analytic.landau_zener import fermi_spin_occupation
from openlz.solve.exact_spins import exact_spin_dynamics, reservoir_configurations

try:
    from common import record
except ImportError:  # run from the repository root
    from benchmarks.common import record

NU, RATE, BETA, P0, K0 = 0.1, 1.0, 2.0, 0.8, 0.4
TOL = 1e-10


def setup(L: int):
    eps = np.arange(1, L + 1, dtype=float)
    f = fermi_spin_occupation(eps, BETA, 0.0)
    tau = (np.arange(1, L + 2) - 0.5) / RATE
    tau[0] = 0.0
    return eps, f, tau


def run_openlz(L: int):
    eps, f, tau = setup(L)
    res = exact_spin_dynamics(eps, NU, RATE, f, P0, K0, tau, tol=TOL)
    return res.p, res.k, res.info


def run_qutip(L: int):
    import qutip

    eps, f, tau = setup(L)
    n = L + 1

    def site(op, j):
        return qutip.tensor([op if i == j else qutip.qeye(2) for i in range(n)])

    H0 = sum(eps[m] * site(qutip.sigmaz(), m + 1) for m in range(L))
    for m in range(L):
        c = NU * site(qutip.sigmap(), 0) * site(qutip.sigmam(), m + 1)
        H0 = H0 + c + c.dag()
    H = qutip.QobjEvo([H0, [site(qutip.sigmaz(), 0), lambda t: RATE * t]])
    masks, weights, _ = reservoir_configurations(f, TOL)
    weights = weights / weights.sum()
    p_up = site(qutip.Qobj(np.diag([1.0, 0.0])), 0)
    sm = site(qutip.sigmam(), 0)
    # tight: at rtol 1e-8 the phase of k drifts by ~1e-4 over the sweep (large |H| ~ Σ ε_n)
    opts = {"atol": 1e-12, "rtol": 1e-10, "nsteps": 10**7}
    p = np.zeros(tau.size)
    k = np.zeros(tau.size, dtype=complex)
    for mask, w in zip(masks, weights, strict=True):
        res_bits = [(int(mask) >> (m + 1)) & 1 for m in range(L)]  # 1 = up
        kets = [qutip.basis(2, 0 if b else 1) for b in res_bits]
        up = qutip.sesolve(H, qutip.tensor([qutip.basis(2, 0)] + kets), tau, options=opts).states
        dn = qutip.sesolve(H, qutip.tensor([qutip.basis(2, 1)] + kets), tau, options=opts).states
        for i in range(tau.size):
            p[i] += w * (P0 * qutip.expect(p_up, up[i]) + (1 - P0) * qutip.expect(p_up, dn[i]))
            k[i] += w * K0 * dn[i].overlap(sm * up[i])
    return p, k


def timed(fn, L: int, repeat: int):
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn(L)
        times.append(time.perf_counter() - t0)
    tracemalloc.start()
    fn(L)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return statistics.median(times), peak, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--Ls", default="8,10,12,14,16,24,32")
    ap.add_argument("--max-qutip-L", type=int, default=12)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    rows = []
    head = (f"{'L':>3} {'dim 2^(L+1)':>11} {'sector dim':>10} {'openlz s':>9} {'openlz MB':>9} "
            f"{'qutip s':>9} {'qutip MB':>9} {'ratio':>7} {'max diff':>9}")
    print(head)
    for L in (int(x) for x in args.Ls.split(",")):
        t_o, m_o, (p_o, k_o, info) = timed(run_openlz, L, args.repeat)
        row = {"case": f"L={L}", "L": L, "openlz_s": t_o, "openlz_peak_MB": m_o / 1e6,
               "configurations": info["configurations"],
               "largest_sector": max(d for d, _ in info["sectors"].values())}
        if L <= args.max_qutip_L:
            t_q, m_q, (p_q, k_q) = timed(run_qutip, L, 1)
            diff = float(max(np.max(np.abs(p_o - p_q)), np.max(np.abs(k_o - k_q))))
            row.update(peer_s=t_q, qutip_peak_MB=m_q / 1e6, ratio=t_q / t_o, max_diff=diff)
        print(f"{L:>3} {2 ** (L + 1):>11} {row['largest_sector']:>10} {t_o:>9.3f} "
              f"{m_o / 1e6:>9.2f} {row.get('peer_s', float('nan')):>9.3f} "
              f"{row.get('qutip_peak_MB', float('nan')):>9.2f} "
              f"{row.get('ratio', float('nan')):>7.1f} {row.get('max_diff', float('nan')):>9.2e}")
        rows.append(row)
    path = record("spin_reservoir", rows,
                  note=f"paper 003 exact dynamics, nu={NU}, rate={RATE}, beta={BETA}, "
                       f"{args.repeat} repeats (openlz median), QuTiP 1 run; QuTiP = sesolve "
                       "in the full 2^(L+1) space over the same configurations")
    print(f"recorded {path}")


if __name__ == "__main__":
    main()
