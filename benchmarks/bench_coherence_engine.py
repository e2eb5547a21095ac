"""Benchmark: coherence-engine power map over the q plane (paper 003, Fig. 4).

Same work for both: the periodic steady-state power P = W/T on an N x N grid of atom
coherences q (points outside |q|² <= a(1-a) masked), default model parameters, nu = 0.1.

* openlz: one vectorised ``Model.evaluate`` call over all grid points (batched collision
  superoperators, one expm of the Redfield generator, one batched 4x4 linear solve).
* QuTiP: the natural loop — the Redfield tensor from ``bloch_redfield_tensor`` (non-secular)
  and its period propagator ``(R T).expm()`` once, then per q point: the collision channel as a
  superoperator (``kraus_to_super`` of the Eq. 8 unitary with the atom state), the one-period
  map, its fixed point (eigenvector of eigenvalue 1) and a' from ``ptrace``.

Records ``benchmarks/results/coherence_engine.json``.

Run:  OMP_NUM_THREADS=1 python benchmarks/bench_coherence_engine.py [--n 41] [--repeat 3]
"""

from __future__ import annotations

import argparse

import numpy as np
from common import median_time, record  # the script's directory is on sys.path

from openlz.analytic.coherence_engine import atom_is_physical, lz_parameters
from openlz.analytic.landau_zener import collision_unitary
from openlz.core.baths import ohmic_drude
from openlz.models import get_model
from openlz.solve.redfield import bosonic_power_spectrum

MODEL = get_model("coherence-engine")
P = {k: float(v) for k, v in MODEL.resolve({}).items() if k not in ("mask_unphysical",)}
NU = 0.1


def grid(n: int) -> np.ndarray:
    x = np.linspace(-0.35, 0.35, n)
    return (x[None, :] + 1j * x[:, None]).ravel()


def openlz_map(q: np.ndarray) -> np.ndarray:
    r = MODEL.evaluate({"q_re": q.real, "q_im": q.imag, "nu": NU, "mask_unphysical": True},
                       observables=["power"])
    return r["power"]


def qutip_map(q: np.ndarray) -> np.ndarray:
    import qutip as qt

    eps0, eta, wc, beta, T = P["eps0"], P["eta"], P["wc"], P["beta"], P["period"]
    a = P["a"]

    def spec(w: float) -> float:
        return float(bosonic_power_spectrum(np.array(w), lambda x: ohmic_drude(x, eta, wc),
                                            1 / beta, zero_slope=eta))

    R_br = qt.bloch_redfield_tensor(eps0 * qt.sigmaz(), [(qt.sigmax() + qt.sigmaz(), spec)],
                                    sec_cutoff=-1, fock_basis=True)
    E_T = (R_br * T).expm()
    Rlz, phi = lz_parameters(NU, 2 * eps0 / T)
    # Eqs. (27)-(30) as printed = Eq. (8) with the Stokes phase reversed, alpha = 0
    U = qt.Qobj(collision_unitary(Rlz, -phi, 0.0), dims=[[2, 2], [2, 2]])
    out = np.full(q.shape, np.nan)
    for i, qi in enumerate(q):
        if not atom_is_physical(a, qi):
            continue
        rho_a = qt.Qobj(np.array([[a, qi], [np.conj(qi), 1 - a]]))
        lam, vecs = np.linalg.eigh(rho_a.full())
        kraus = []
        for j in range(2):                       # K_{ij} = sqrt(lam_j) <i|_A U |phi_j>_A
            phi_j = qt.Qobj(vecs[:, j])
            for k in range(2):
                bra = qt.tensor(qt.qeye(2), qt.basis(2, k).dag())
                ket = qt.tensor(qt.qeye(2), phi_j)
                kraus.append(qt.Qobj(np.sqrt(max(lam[j], 0.0)) * (bra * U * ket).full()))
        K = qt.kraus_to_super(kraus)
        M = (E_T * K).full()
        w, v = np.linalg.eig(M)
        x = v[:, np.argmin(np.abs(w - 1))]
        rho_b = qt.vector_to_operator(qt.Qobj(x, dims=[[[2], [2]], [1]]))
        rho_b = rho_b / rho_b.tr()
        joint = U * qt.tensor(rho_b, rho_a) * U.dag()
        a_out = joint.ptrace(1).full()[0, 0].real
        out[i] = 2 * eps0 * (a - a_out) / T
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=41, help="grid points per axis (N x N map)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--qutip-repeat", type=int, default=1)
    args = ap.parse_args()
    rows = []
    print(f"{'case':>22} {'points':>7} {'openlz_s':>9} {'qutip_s':>9} {'ratio':>7} {'max|dP|':>10} "
          f"{'max|P|':>10}")
    for n in sorted({11, args.n}):
        q = grid(n)
        t_o, p_o = median_time(lambda q=q: openlz_map(q), repeat=args.repeat)
        t_q, p_q = median_time(lambda q=q: qutip_map(q), repeat=args.qutip_repeat, warmup=0)
        ok = np.isfinite(p_o)
        assert np.array_equal(ok, np.isfinite(p_q))
        diff = float(np.max(np.abs(p_o[ok] - p_q[ok])))
        row = {"case": f"power map {n}x{n}, nu={NU}", "points": int(q.size),
               "physical_points": int(ok.sum()), "openlz_s": t_o, "peer_s": t_q,
               "ratio": t_q / t_o, "max_diff": diff, "max_abs_power": float(np.max(np.abs(p_o[ok])))}
        rows.append(row)
        print(f"{row['case']:>22} {q.size:7d} {t_o:9.4f} {t_q:9.3f} {t_q / t_o:7.1f} {diff:10.2e} "
              f"{row['max_abs_power']:10.2e}")
    t_big, _ = median_time(lambda: openlz_map(grid(101)), repeat=args.repeat)
    rows.append({"case": "power map 101x101 (openlz only)", "points": 101 * 101,
                 "openlz_s": t_big, "peer_s": None, "ratio": None, "max_diff": None})
    print(f"openlz 101x101 map: {t_big:.3f} s")
    path = record("coherence_engine", rows,
                  note="peer = QuTiP loop over q (bloch_redfield_tensor + expm once; per point "
                       "kraus_to_super, eigenvector of the one-period map, ptrace)")
    print(f"largest |openlz - qutip| = {max(r['max_diff'] for r in rows if r['max_diff'] is not None):.2e};"
          f" wrote {path}")


if __name__ == "__main__":
    main()
