"""Benchmark: ``openlz.amesolve`` vs QuTiP's time-dependent ``brmesolve`` (issue 10, item 3).

The 2-qubit annealing example of issue 10: H(s) = (1-s)(-X1-X2) + s(Z1Z2 + 0.3 Z1), s = t/10,
given as a callable t -> (4, 4), bath coupled through Z1 + Z2 (Drude-Ohmic J = eta w/(1 + w²/wc²),
eta = 0.05, wc = 4), started in the ground state of H(0) where two levels are degenerate;
11 output times on [0, 10].

* Same work: without the Lamb shift the adiabatic master equation (paper 000, Eqs. 8, 9, 11) is
  the secular Bloch–Redfield equation in the instantaneous eigenbasis, which QuTiP's
  ``brmesolve`` builds for a time-dependent H; ``sec_cutoff = 1e-6`` (below every
  non-degenerate Bohr-frequency difference) and the noise power S(w) = gamma(w) =
  2 pi J(w)(1 + n(w)) of ``OhmicBath.gamma``.  Same rtol = 1e-8, atol = 1e-10.
* Batch: 16 temperatures in one ``amesolve`` call (bath T an array) against 16 QuTiP calls.
* With the Lamb shift (openlz only; no peer has it): the cost of the table built once over the
  run's spectrum (issue 10: an H(t) returning (n, n) used to build one table per time point).

Run: ``python benchmarks/bench_amesolve.py [--quick]`` (``--quick``: 4 temperatures).
"""

from __future__ import annotations

import sys
import time
import warnings

import numpy as np

sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent))
from common import median_time, record  # noqa: E402

RTOL, ATOL = 1e-8, 1e-10
TF, ETA, WC = 10.0, 0.05, 4.0
X = np.array([[0, 1], [1, 0]], dtype=complex)
Z = np.diag([1.0, -1.0]).astype(complex)
I2 = np.eye(2)
X1, X2, Z1, Z2 = np.kron(X, I2), np.kron(I2, X), np.kron(Z, I2), np.kron(I2, Z)
HX, HZ, A_C = -X1 - X2, Z1 @ Z2 + 0.3 * Z1, Z1 + Z2
PSI0 = np.ones(4) / 2
TIMES = np.linspace(0.0, TF, 11)


def H(t: float) -> np.ndarray:
    s = t / TF
    return (1 - s) * HX + s * HZ


def run_openlz(T: np.ndarray | float, lamb_shift: bool = False) -> np.ndarray:
    import openlz

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")          # the degenerate start breaks Eq. (15)
        res = openlz.amesolve(H, PSI0, TIMES, [(A_C, openlz.OhmicBath(ETA, WC, T,
                                                                        cutoff="drude"))],
                              lamb_shift=lamb_shift,
                              options={"rtol": RTOL, "atol": ATOL, "progress_bar": False})
    return res.states


def run_qutip(T: float) -> np.ndarray:
    import qutip as qt

    import openlz

    bath = openlz.OhmicBath(ETA, WC, T, cutoff="drude")
    d = [[2, 2], [2, 2]]
    Hq = [[qt.Qobj(HX, dims=d), lambda t: 1 - t / TF], [qt.Qobj(HZ, dims=d), lambda t: t / TF]]
    out = qt.brmesolve(Hq, qt.Qobj(np.outer(PSI0, PSI0), dims=d), TIMES,
                       a_ops=[[qt.Qobj(A_C, dims=d), lambda w: float(bath.gamma(np.array(w)))]],
                       sec_cutoff=1e-6, options={"atol": ATOL, "rtol": RTOL})
    return np.array([s.full() for s in out.states])


def main() -> None:
    quick = "--quick" in sys.argv
    Ts = np.linspace(0.1, 2.0, 4 if quick else 16)
    rows = []
    t_ol, s_ol = median_time(lambda: run_openlz(0.5), repeat=5)
    t_qt, s_qt = median_time(lambda: run_qutip(0.5), repeat=3)
    diff = float(np.max(np.abs(s_ol - s_qt)))
    print(f"amesolve, 2-qubit annealing example, H(t) -> (4, 4), {TIMES.size} times, "
          f"rtol {RTOL:g}, atol {ATOL:g}")
    print(f"  one point, no Lamb shift: openlz {t_ol:7.3f} s, QuTiP brmesolve {t_qt:7.3f} s, "
          f"ratio {t_qt / t_ol:5.2f}x, max |rho diff| {diff:.1e}")
    rows.append({"case": "annealing example, one point, no Lamb shift", "openlz_s": t_ol,
                 "peer_s": t_qt, "ratio": t_qt / t_ol, "max_diff": diff, "rtol": RTOL,
                 "atol": ATOL})
    t_ob, s_ob = median_time(lambda: run_openlz(Ts), repeat=3)
    t0 = time.perf_counter()
    s_qb = np.stack([run_qutip(float(T)) for T in Ts])
    t_qb = time.perf_counter() - t0
    diff_b = float(np.max(np.abs(s_ob - s_qb)))
    print(f"  {Ts.size} temperatures, no Lamb shift: openlz (one batched call) {t_ob:7.3f} s, "
          f"QuTiP ({Ts.size} calls) {t_qb:7.3f} s, ratio {t_qb / t_ob:5.2f}x, "
          f"max |rho diff| {diff_b:.1e}")
    rows.append({"case": f"annealing example, {Ts.size} temperatures batched, no Lamb shift",
                 "openlz_s": t_ob, "peer_s": t_qb, "ratio": t_qb / t_ob, "max_diff": diff_b})
    t_ls, _ = median_time(lambda: run_openlz(0.5, lamb_shift=True), repeat=5)
    t_lsb, _ = median_time(lambda: run_openlz(Ts, lamb_shift=True), repeat=3)
    print(f"  with the Lamb shift (openlz only): one point {t_ls:7.3f} s, {Ts.size} "
          f"temperatures {t_lsb:7.3f} s (one table per call)")
    rows.append({"case": "annealing example, one point, Lamb shift (no peer)",
                 "openlz_s": t_ls, "peer_s": None, "ratio": None, "max_diff": None})
    rows.append({"case": f"annealing example, {Ts.size} temperatures, Lamb shift (no peer)",
                 "openlz_s": t_lsb, "peer_s": None, "ratio": None, "max_diff": None})
    record("amesolve", rows, note="QuTiP brmesolve with time-dependent H, sec_cutoff 1e-6, "
                                  "S(w) = gamma(w): the AME without Lamb shift")


if __name__ == "__main__":
    main()
