"""One runner for openlz against its peers (QuTiP, dynamiqs) on the same work.

    pip install -e ".[bench]"          # QuTiP and dynamiqs (JAX); never needed by openlz itself
    python benchmarks/run_all.py        # the table; writes benchmarks/results/peers_*.json
    python benchmarks/run_all.py --loaded   # also: each openlz solver with two CPU-bound
                                            # processes on the cores, against quiet

Every workload is timed for every code in the same run, interleaved (round r times each
code once, in turn), and the table shows medians.  JAX compiles each dynamiqs call on its
first use; every code gets one untimed warm-up call first, so the compile time is excluded
(the warm-up also fills openlz's and QuTiP's caches).  QuTiP loops over parameter points in
Python; it is timed on a subset and scaled per point (the table says so).

Tolerances are the same for every adaptive solver (rtol = 1e-8, atol = 1e-10); "err" is the
largest difference from a reference computed independently at much tighter tolerance, so
accuracy is compared, not just assumed.  For the time-dependent workload dynamiqs is also
timed at tighter tolerances until its error is at most openlz's ("matched accuracy").

"floor" is an estimate of the workload's floating-point floor: the arithmetic the openlz
algorithm must do (counted per workload below) divided by the complex-matmul rate of this
machine measured in the same run (one thread, zgemm 256 x 256) -- the time the work would
take at full BLAS speed with no overhead.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import record  # noqa: E402

RTOL, ATOL = 1e-8, 1e-10


# --------------------------------------------------------------------------------------
# timing
# --------------------------------------------------------------------------------------
BUDGET_S = 15.0
"""Per code and workload: after the first timed round, a code whose timed calls already add up
to this many seconds is not timed again (slow peers get fewer rounds; the full table stays
within minutes).  ``--budget`` sets it."""

ROUNDS: dict[str, int] = {}
"""Timed rounds of each code in the last :func:`interleaved` call."""


def interleaved(fns: dict[str, Callable[[], Any]], repeat: int) -> tuple[dict[str, float], dict[str, Any]]:
    """Median wall time of each fn over up to ``repeat`` rounds; each round calls every fn once,
    in turn (the order rotating by one each round), after one untimed warm-up call of each (JAX
    compilation, caches).  A code stops
    after the round in which its timed calls reach ``BUDGET_S`` seconds (at least one round)."""
    out = {k: f() for k, f in fns.items()}
    times: dict[str, list[float]] = {k: [] for k in fns}
    keys = list(fns)
    for r in range(repeat):
        # the order rotates every round: the code timed right after another one pays for
        # what that one left behind (memory returned to the OS, JAX's worker threads), so
        # no code always follows the same one
        for k in keys[r % len(keys):] + keys[:r % len(keys)]:
            f = fns[k]
            if times[k] and sum(times[k]) >= BUDGET_S:
                continue
            t0 = time.perf_counter()
            out[k] = f()
            times[k].append(time.perf_counter() - t0)
    ROUNDS.clear()
    ROUNDS.update({k: len(v) for k, v in times.items()})
    return {k: statistics.median(v) for k, v in times.items()}, out


def matmul_rate() -> float:
    """Complex flop rate (flop/s) of one-thread zgemm 256 x 256 on this machine, now."""
    from openlz.core.threads import blas_threads

    a = np.random.default_rng(0).normal(size=(256, 256)) * (1 + 1j)
    with blas_threads(1):
        a @ a
        t0 = time.perf_counter()
        for _ in range(20):
            a @ a
        dt = (time.perf_counter() - t0) / 20
    return 8 * 256**3 / dt


def load_average() -> str:
    try:
        return ", ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


# --------------------------------------------------------------------------------------
# peers
# --------------------------------------------------------------------------------------
def dynamiqs():
    """dynamiqs in double precision on the CPU, or None if the bench extra is missing."""
    try:
        import jax

        jax.config.update("jax_enable_x64", True)
        import dynamiqs as dq
    except ImportError:
        return None
    dq.set_precision("double")
    dq.set_device("cpu")
    return dq


def dq_states(res) -> np.ndarray:
    s = res.states
    return np.asarray(s.to_jax() if hasattr(s, "to_jax") else s)


# --------------------------------------------------------------------------------------
# workloads
# --------------------------------------------------------------------------------------
def magnetic_medium(n_points: int, repeat: int, rate: float, dq, subset: int = 10) -> list[dict]:
    """rho(t) of the magnetic-medium Lindbladian (paper 004, Eq. 2) at finite temperature:
    n_points values of delta, 201 times in [0, 5], from |ud>; H and jump operators given."""
    import qutip as qt

    from openlz.core.liouvillian import liouvillian
    from openlz.core.operators import two_qubit_state
    from openlz.models.magnetic_medium import MODEL, hamiltonian, jump_operators
    from openlz.solve._constant_eig import generator_blocks
    from openlz.solve.lindblad import evolve_constant

    times = np.linspace(0.0, 5.0, 201)
    p = MODEL.resolve({"a": np.ones(n_points), "A": np.full(n_points, 0.9),
                       "a_tilde": np.full(n_points, 0.1), "A_tilde": np.full(n_points, 0.09),
                       "delta": np.linspace(0.0, 3.0, n_points)})
    p = {k: np.broadcast_to(np.asarray(v), (n_points,)) for k, v in p.items()}
    h = hamiltonian(p["Delta"], p["delta"], p["Jz"], p["Jperp"], p["DM"])
    relax, deph = jump_operators(p)
    jumps = np.concatenate([relax, deph], axis=1)               # (B, K, 4, 4)
    rho0 = two_qubit_state("ud")
    idx = np.linspace(0, n_points - 1, subset).astype(int)

    def ours(method: str = "auto"):
        return evolve_constant(liouvillian(h, jumps), rho0, times, method=method)

    def qutip_loop():
        out = []
        for b in idx:
            r = qt.mesolve(qt.Qobj(h[b]), qt.Qobj(rho0), times, [qt.Qobj(j) for j in jumps[b]],
                           options={"rtol": RTOL, "atol": ATOL, "nsteps": 100_000})
            out.append([s.full() for s in r.states])
        return np.array(out)

    fns: dict[str, Callable[[], Any]] = {"openlz": ours, "openlz expm": lambda: ours("expm"),
                                         "QuTiP": qutip_loop}
    if dq is not None:
        import jax.numpy as jnp

        hj, jl = jnp.asarray(h), [jnp.asarray(jumps[:, k]) for k in range(jumps.shape[1])]
        methods = {"Expm": dq.method.Expm(), "Tsit5": dq.method.Tsit5(rtol=RTOL, atol=ATOL),
                   "Dopri5": dq.method.Dopri5(rtol=RTOL, atol=ATOL),
                   "Dopri8": dq.method.Dopri8(rtol=RTOL, atol=ATOL)}
        for name, m in methods.items():
            fns[f"dynamiqs {name}"] = (lambda m=m: dq_states(dq.mesolve(
                hj, jl, jnp.asarray(rho0), jnp.asarray(times), method=m,
                cartesian_batching=False, progress_meter=False)))
    t, out = interleaved(fns, repeat)
    # reference: scipy expm(L t) at each time, independently (subset of points, every 10th time)
    import scipy.linalg as sla

    from openlz.core.liouvillian import unvec, vec

    gen = liouvillian(h[idx], jumps[idx])
    ref = unvec(np.array([[sla.expm(g * tt) @ vec(rho0) for tt in times[::10]] for g in gen]))
    errs = {k: float(np.max(np.abs((v[idx] if v.shape[0] == n_points else v)[:, ::10] - ref)))
            for k, v in out.items()}
    blocks = generator_blocks(liouvillian(h[:1], jumps[:1]))
    per_point = sum(idx_.shape[0] * (8 * idx_.shape[1] ** 2 * times.size + 8 * 25 * idx_.shape[1] ** 3)
                    for idx_, _ in blocks)
    floor = n_points * per_point / rate
    return rows_for(f"magnetic-medium rho(t), {n_points} points x {times.size} times", t, errs,
                    floor, qutip_scale=n_points / subset, qutip_note=f"QuTiP mesolve looped over "
                    f"{subset} points, scaled x{n_points / subset:g}")


def driven_damped(repeat: int, rate: float, dq) -> list[dict]:
    """The time-dependent workload of bench_lindblad.py: 256 driven damped two-qubit systems,
    H_b(t) = H0_b + W_b cos(w_b t)(sx1 + sx2), three jump operators, 51 times in [0, 10]."""
    import bench_lindblad as bl

    from openlz.core import operators as ops
    from openlz.core.liouvillian import liouvillian
    from openlz.solve.lindblad import LinearGenerator, evolve_td
    from openlz.solve.ode import ODEOptions

    p = bl.parameters()
    h0, drive, c = bl.operators(p)
    rho0 = ops.two_qubit_state("dd")
    subset = 16
    stats = {}

    def ours(rtol=RTOL, atol=ATOL):
        gen = LinearGenerator(liouvillian(h0, c),
                              [(liouvillian(drive), lambda t: p["w_drive"] * np.cos(p["omega"] * t))])
        rho, st = evolve_td(gen, rho0, bl.TIMES, ODEOptions(rtol=rtol, atol=atol))
        stats["openlz"] = st
        return rho

    fns: dict[str, Callable[[], Any]] = {
        "openlz": ours,
        "QuTiP": lambda: bl.run_qutip(p, h0, drive, c, rho0, subset, "adams")}

    def dq_run(method):
        import jax.numpy as jnp

        W, w = jnp.asarray(p["w_drive"]), jnp.asarray(p["omega"])
        H = dq.constant(jnp.asarray(h0)) + dq.modulated(lambda t: W * jnp.cos(w * t), jnp.asarray(drive))
        jl = [jnp.asarray(c[:, k]) for k in range(c.shape[1])]
        return dq_states(dq.mesolve(H, jl, jnp.asarray(rho0), jnp.asarray(bl.TIMES), method=method,
                                    cartesian_batching=False, progress_meter=False))

    if dq is not None:
        for name in ("Tsit5", "Dopri5", "Dopri8"):
            m = getattr(dq.method, name)(rtol=RTOL, atol=ATOL)
            fns[f"dynamiqs {name}"] = lambda m=m: dq_run(m)
    t, out = interleaved(fns, repeat)
    ref = ours(1e-12, 1e-14)        # checked against QuTiP at 1e-12 in tests/test_lindblad.py
    errs = {k: float(np.max(np.abs(v - (ref[:subset] if v.shape[0] == subset else ref))))
            for k, v in out.items()}
    ours(RTOL, ATOL)
    st = stats["openlz"]
    # arithmetic of the run: per right-hand side, two real (16 x 16) matrix-vector products
    # per point (L0_b and the shared drive term) in the Hermitian basis
    floor = st.n_rhs * 256 * 2 * 2 * 256 / rate
    rows = rows_for(f"driven damped qubits rho(t), 256 points x {bl.TIMES.size} times", t, errs,
                    floor, qutip_scale=256 / subset,
                    qutip_note=f"QuTiP mesolve (adams) looped over {subset} points, scaled x{256 // subset}")
    if dq is not None:
        # matched accuracy: tighten the best dynamiqs method until its error <= openlz's
        best = min((k for k in t if k.startswith("dynamiqs")), key=lambda k: t[k])
        name = best.split()[1]
        # (already matched at the common tolerance: the row above is the answer)
        for fac in () if errs[best] <= errs["openlz"] else (0.1, 0.01, 0.001):
            m = getattr(dq.method, name)(rtol=RTOL * fac, atol=ATOL * fac)
            tm, o = interleaved({"x": lambda m=m: dq_run(m)}, max(1, repeat // 2))
            e = float(np.max(np.abs(o["x"] - ref)))
            if e <= errs["openlz"] or fac == 0.001:
                rows.append({"case": f"  dynamiqs {name} at matched accuracy (rtol={RTOL * fac:g})",
                             "code": f"dynamiqs {name}", "seconds": tm["x"], "err": e,
                             "ratio": tm["x"] / t["openlz"], "rounds": ROUNDS.get("x"),
                             "openlz_s": t["openlz"]})
                break
    return rows


def floquet_closed(repeat: int, rate: float, dq) -> list[dict]:
    """Quasienergies of the driven qubits of paper 002 (closed system), 64 drive amplitudes,
    H(t) = H0 - A cos(w t)(sz1 + sz2)/2, w = 1: openlz's split propagator (96 steps, the
    model's default) + eig of U(T), dynamiqs ``floquet`` (Tsit5), QuTiP ``FloquetBasis``."""
    import qutip as qt

    from openlz.analytic.driven_qubits import drive_diagonal, h0_matrix
    from openlz.solve.floquet import floquet_basis, period_propagators_split

    B, om = 64, 1.0
    A = np.linspace(0.5, 6.0, B)
    eps0, d1, d2, J = 3.7, 0.1, 0.15, -2.5
    h0 = np.broadcast_to(h0_matrix(eps0, d1, d2, J), (B, 4, 4)).astype(complex)
    d = drive_diagonal()
    omega = np.full(B, om)

    def ours():
        U = period_propagators_split(h0, d, lambda t: A[:, None] * np.sin(om * t) / om, omega, 96)
        return floquet_basis(U, omega).quasienergies

    def fold(e):
        e = (np.asarray(e) + om / 2) % om - om / 2
        return np.sort(e, axis=-1)

    subset = 8
    idx = np.linspace(0, B - 1, subset).astype(int)

    def qutip_loop(tol=RTOL):
        out = []
        for b in idx:
            H = [qt.Qobj(h0[b]), [qt.Qobj(np.diag(d) * A[b]), lambda t: np.cos(om * t)]]
            fb = qt.FloquetBasis(H, 2 * np.pi / om, options={"rtol": tol, "atol": tol * 1e-2})
            out.append(fb.e_quasi)
        return fold(np.array(out))

    fns: dict[str, Callable[[], Any]] = {"openlz": lambda: fold(ours()), "QuTiP": qutip_loop}
    if dq is not None:
        import jax.numpy as jnp

        def dq_run():
            H = dq.constant(jnp.asarray(h0)) + dq.modulated(
                lambda t: jnp.asarray(A) * jnp.cos(om * t), jnp.asarray(np.diag(d).astype(complex)))
            r = dq.floquet(H, 2 * np.pi / om, jnp.asarray([0.0]),
                           method=dq.method.Tsit5(rtol=RTOL, atol=ATOL), progress_meter=False)
            return fold(np.asarray(r.quasienergies))

        fns["dynamiqs Tsit5"] = dq_run
    t, out = interleaved(fns, repeat)
    ref = qutip_loop(1e-12)
    errs = {k: float(np.max(np.abs((v[idx] if v.shape[0] == B else v) - ref))) for k, v in out.items()}
    # per point: 96 steps of a 4 x 4 complex product (U <- P_k U) + one eig
    floor = B * (96 * 8 * 64 + 8 * 25 * 64) / rate
    return rows_for(f"Floquet quasienergies (closed), {B} points", t, errs, floor,
                    qutip_scale=B / subset,
                    qutip_note=f"QuTiP FloquetBasis looped over {subset} points, scaled x{B // subset}")


def measures(repeat: int, rate: float) -> list[dict]:
    """Concurrence and negativity of 10^5 random (Ginibre) two-qubit states (dynamiqs has
    neither): openlz batched, QuTiP looped over a subset and scaled."""
    import bench_measures as bm
    import qutip

    from openlz import concurrence, negativity

    rho = bm.random_states(bm.N_STATES)
    subset = 2000
    qobjs = [qutip.Qobj(r, dims=[[2, 2], [2, 2]]) for r in rho[:subset]]
    rows = []
    for name, ours, theirs, flops in (
            ("concurrence", concurrence, qutip.concurrence, 2 * 64 * 8 + 400),
            ("negativity", lambda r: negativity(r, 1), lambda q: qutip.negativity(q, 1), 64 * 8 + 200)):
        t, out = interleaved({"openlz": lambda f=ours: f(rho),
                              "QuTiP": lambda g=theirs: np.array([g(q) for q in qobjs])}, repeat)
        errs = {"openlz": float(np.max(np.abs(out["openlz"][:subset] - out["QuTiP"]))), "QuTiP": 0.0}
        rows += rows_for(f"{name} of {bm.N_STATES} states", t, errs, bm.N_STATES * flops / rate,
                         qutip_scale=bm.N_STATES / subset,
                         qutip_note=f"QuTiP looped over {subset} states, scaled x{bm.N_STATES // subset}",
                         err_label="vs QuTiP")
    return rows


def rows_for(case: str, t: dict[str, float], errs: dict[str, float], floor: float,
             qutip_scale: float, qutip_note: str, err_label: str = "vs reference") -> list[dict]:
    rows = []
    base = t["openlz"]
    for code, s in t.items():
        sec = s * qutip_scale if code == "QuTiP" else s
        rows.append({"case": case if not rows else "", "code": code, "seconds": sec,
                     "ratio": sec / base, "rounds": ROUNDS.get(code), "err": errs.get(code, float("nan")),
                     "floor_s": floor if code == "openlz" else None, "openlz_s": base,
                     "note": qutip_note if code == "QuTiP" else "", "err_label": err_label})
    return rows


# --------------------------------------------------------------------------------------
# loaded machine
# --------------------------------------------------------------------------------------
def loaded(repeat: int) -> list[dict]:
    """Each openlz solver quiet and with two CPU-bound processes on the cores, in alternating
    rounds; also with the BLAS thread pools left at their defaults (OPENLZ_BLAS_THREADS)."""
    import bench_lindblad as bl

    from openlz.core import operators as ops
    from openlz.core.liouvillian import liouvillian
    from openlz.models.magnetic_medium import MODEL
    from openlz.solve.lindblad import LinearGenerator, evolve_td
    from openlz.solve.ode import ODEOptions

    n = 200
    pts = {"a": np.ones(n), "A": np.full(n, 0.9), "a_tilde": np.full(n, 0.1),
           "A_tilde": np.full(n, 0.09), "delta": np.linspace(0.0, 3.0, n)}
    times = np.linspace(0.0, 5.0, 201)
    p = bl.parameters()
    h0, drive, c = bl.operators(p)
    l0, ld = liouvillian(h0, c), liouvillian(drive)
    rho0 = ops.two_qubit_state("dd")
    rng = np.random.default_rng(0)
    g = rng.normal(size=(100_000, 4, 4)) + 1j * rng.normal(size=(100_000, 4, 4))
    states = g @ np.conj(np.swapaxes(g, -1, -2))
    states /= np.einsum("bii->b", states).real[:, None, None]
    from openlz import concurrence

    cases = {
        "magnetic-medium C(t), 200 points (Model.evaluate)":
            lambda: MODEL.evaluate(pts, times, ["concurrence"], {}),
        "driven damped qubits, evolve_td": lambda: evolve_td(
            LinearGenerator(l0, [(ld, lambda t: p["w_drive"] * np.cos(p["omega"] * t))]),
            rho0, bl.TIMES, ODEOptions(rtol=RTOL, atol=ATOL)),
        "concurrence of 10^5 states": lambda: concurrence(states),
    }
    rows = []
    for threads in ("1", "default"):
        os.environ["OPENLZ_BLAS_THREADS"] = threads
        for name, f in cases.items():
            f()
            quiet, busy, quiet_cpu, busy_cpu = [], [], [], []
            for _ in range(repeat):
                t0, c0 = time.perf_counter(), time.process_time()
                f()
                quiet.append(time.perf_counter() - t0)
                quiet_cpu.append(time.process_time() - c0)
                hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2)]
                try:
                    time.sleep(0.2)
                    t0, c0 = time.perf_counter(), time.process_time()
                    f()
                    busy.append(time.perf_counter() - t0)
                    busy_cpu.append(time.process_time() - c0)
                finally:
                    for h in hogs:
                        h.kill()
                        h.wait()
            q, b = statistics.median(quiet), statistics.median(busy)
            qc, bc = statistics.median(quiet_cpu), statistics.median(busy_cpu)
            # CPU time (all threads of this process): unchanged when only the share of the
            # cores shrinks; grows when threads spin or caches are shared
            rows.append({"case": name, "blas_threads": threads, "quiet_s": q, "loaded_s": b,
                         "slowdown": b / q, "quiet_cpu_s": qc, "loaded_cpu_s": bc,
                         "cpu_slowdown": bc / qc if qc > 0 else float("nan")})
    os.environ["OPENLZ_BLAS_THREADS"] = "1"
    return rows


# --------------------------------------------------------------------------------------
def print_table(rows: list[dict]) -> None:
    print(f"{'workload':58s} {'code':18s} {'time [s]':>10s} {'/openlz':>8s} {'max err':>9s} "
          f"{'floor [s]':>9s} {'rounds':>6s}")
    for r in rows:
        fl = f"{r['floor_s']:.4f}" if r.get("floor_s") else ""
        n = r.get("rounds")
        print(f"{r['case'][:58]:58s} {r['code']:18s} {r['seconds']:10.4f} {r['ratio']:8.2f} "
              f"{r['err']:9.1e} {fl:>9s} {'' if n is None else n:>6}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--budget", type=float, default=BUDGET_S,
                    help="seconds of timed calls per code and workload before it gets no more "
                         "rounds (default %(default)s)")
    ap.add_argument("--loaded", action="store_true", help="also time the solvers on a loaded machine")
    ap.add_argument("--only", default="", help="comma-separated subset: mm,td,floquet,measures")
    args = ap.parse_args()
    globals()["BUDGET_S"] = args.budget
    start = time.perf_counter()
    dq = dynamiqs()
    import qutip

    rate = matmul_rate()
    only = set(filter(None, args.only.split(",")))
    print(f"openlz vs QuTiP {qutip.__version__}" + (f" and dynamiqs {dq.__version__}" if dq else
          " (dynamiqs not installed: pip install '.[bench]')"))
    print(f"load average before: {load_average()} (2 cores); one-thread zgemm: {rate / 1e9:.1f} "
          f"Gflop/s; medians of {args.repeat} interleaved rounds after one warm-up call each "
          f"(excludes JAX compile time)")
    print(f"tolerances rtol={RTOL:g}, atol={ATOL:g} for every adaptive solver; max err against an "
          f"independent reference (see each workload)")
    print("/openlz = that code's time / openlz's time (ratio field of the JSON; above 1: openlz "
          f"is faster); a code gets no more rounds once its timed calls reach {args.budget:g} s\n")
    groups = []
    if not only or "mm" in only:
        groups += [("magnetic_medium_200", lambda: magnetic_medium(200, args.repeat, rate, dq)),
                   ("magnetic_medium_1000", lambda: magnetic_medium(1000, args.repeat, rate, dq))]
    if not only or "td" in only:
        groups.append(("driven_damped", lambda: driven_damped(args.repeat, rate, dq)))
    if not only or "floquet" in only:
        groups.append(("floquet_closed", lambda: floquet_closed(args.repeat, rate, dq)))
    if not only or "measures" in only:
        groups.append(("measures_peers", lambda: measures(args.repeat, rate)))
    all_rows = []
    for name, fn in groups:
        rows = fn()
        print_table(rows)
        print()
        record(f"peers_{name}", rows, note=f"load average {load_average()}; medians of "
               f"{args.repeat} interleaved rounds; rtol={RTOL}, atol={ATOL}")
        all_rows += rows
    if args.loaded:
        rows = loaded(max(3, args.repeat))
        print(f"{'loaded machine: openlz solver':52s} {'BLAS thr':>8s} {'quiet [s]':>10s} "
              f"{'2 hogs [s]':>10s} {'slowdown':>9s} {'CPU-time slowdown':>18s}")
        for r in rows:
            print(f"{r['case'][:52]:52s} {r['blas_threads']:>8s} {r['quiet_s']:10.4f} "
                  f"{r['loaded_s']:10.4f} {r['slowdown']:9.2f} {r['cpu_slowdown']:18.2f}")
        print("(wall slowdown 1.5x is the fair share with 2 hogs on 2 cores; other jobs on the "
              "machine add to it, the CPU-time column does not see them)")
        record("peers_loaded", rows, note=f"two CPU-bound processes started for the loaded rounds; "
               f"load average {load_average()}")
    print(f"load average after: {load_average()}; the run took {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
