# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # For QuTiP users
#
# openlz's solver functions take QuTiP's argument order and names, and accept `Qobj`,
# `QobjEvo` and QuTiP's list form, so moving a script over is mostly a change of import.
# This page is executed when the site is built: every mapping below is run with both
# libraries and the largest difference is printed.
#
# | QuTiP | openlz | notes |
# |---|---|---|
# | `qutip.mesolve(H, rho0, tlist, c_ops, e_ops)` | `openlz.mesolve(H, rho0, times, c_ops, e_ops)` | batched over leading axes; exact `expm` stepping when the generator is constant |
# | `qutip.steadystate(H, c_ops)` | `openlz.steadystate(H, c_ops, rho0=None)` | non-unique kernel answered from `rho0` and flagged |
# | `qutip.brmesolve(H, psi0, tlist, a_ops)` | `openlz.amesolve(H, rho0, times, a_ops)` | adiabatic master equation for time-dependent H, Lamb shift included; `a_ops` are (operator, `openlz.OhmicBath`/`openlz.Bath`) pairs |
# | `qutip.fmmesolve(H, rho0, tlist, [A], [J], T=2π/ω, w_th=T_b)` | `openlz.fmmesolve(H, rho0, times, omega, [(A, J)], options={'w_th': T_b})` | full period-averaged generator by default; QuTiP's equation is `options={'w_th': T_b, 'secular': True, 'kmax': 5}`, equal populations, different coherence decay (section `fmmesolve` below) |
# | (QuTiP 4's `floquet_markov_mesolve` steady state) | `openlz.floquet_markov_steadystate(H, omega, a_ops)` | QuTiP 5 has none; batched over ω and parameters ([tutorial](tutorials/floquet_driven_qubit.py)) |
# | `qutip.concurrence(rho)` | `openlz.concurrence(rho)` | arrays `(..., 4, 4)`, `Qobj`, lists of `Qobj` |
# | `qutip.negativity(rho, 1)` | `openlz.negativity(rho)` | same normalisation: ½ for a Bell state |
# | `qutip.liouvillian(H, c_ops)` | `openlz.core.liouvillian(H, c_ops)` | **row-major** vectorisation (below) |
# | `qutip.fidelity(a, b)` | `openlz.fidelity(a, b) ** 0.5` | openlz uses Jozsa's squared form |
# | `result.states`, `result.expect` | `result.states`, `result.expect` | states as one array `(..., T, n, n)`; `result.to_qobj()` gives `Qobj`s |

# %%
import numpy as np
import qutip as qt

import openlz
from openlz.core import liouvillian, sigma_minus, sigma_x, sigma_z, unvec, vec

def maxdiff(a, b):
    return float(np.max(np.abs(np.asarray(a) - np.asarray(b))))

# %% [markdown]
# ## `mesolve`
#
# A driven, damped qubit, first with `Qobj`s exactly as a QuTiP script has them:

# %%
H = 0.5 * qt.sigmaz() + 0.3 * qt.sigmax()
c_ops = [np.sqrt(0.1) * qt.destroy(2)]
rho0 = qt.basis(2, 0)
times = np.linspace(0, 10, 51)
tight = {"atol": 1e-12, "rtol": 1e-10}          # QuTiP's defaults are 1e-8 / 1e-6
ref = qt.mesolve(H, rho0, times, c_ops, e_ops=[qt.sigmaz()], options=tight)
res = openlz.mesolve(H, rho0, times, c_ops, e_ops=[qt.sigmaz()])
print("⟨σz⟩ max |openlz − QuTiP| =", maxdiff(res.expect[0], ref.expect[0]))
print(res.stats)

# %% [markdown]
# The same with numpy arrays, and with a time-dependent drive in QuTiP's list form
# (coefficient functions of t, or of t and `args`):

# %%
Hd = [0.5 * qt.sigmaz(), [qt.sigmax(), lambda t: 0.3 * np.cos(1.1 * t)]]
ref_td = qt.mesolve(Hd, rho0, times, c_ops, e_ops=[qt.sigmaz()], options=tight)
res_td = openlz.mesolve(Hd, rho0, times, c_ops, e_ops=[qt.sigmaz()])
res_np = openlz.mesolve(H.full(), np.array([1, 0]), times, [c.full() for c in c_ops])
print("list form: max |Δ⟨σz⟩| =", maxdiff(res_td.expect[0], ref_td.expect[0]))
ref_states = np.array([s.full() for s in qt.mesolve(H, rho0, times, c_ops, options=tight).states])
print("arrays:    max |Δρ|    =", maxdiff(res_np.states, ref_states))

# %% [markdown]
# States come back as one array with batch axes first, `(..., T, n, n)`; `to_qobj()`
# returns QuTiP objects and `to_xarray()` a labelled dataset:

# %%
print(res_np.states.shape, type(res_np.to_qobj()[0]).__name__)
res_np.to_xarray()

# %% [markdown]
# ## `steadystate`

# %%
ss_ref = qt.steadystate(H, c_ops)
ss = openlz.steadystate(H, c_ops)
print("max |Δρ_ss| =", maxdiff(ss.state, ss_ref.full()))

# %% [markdown]
# A kernel of dimension > 1 (here a dark state: pure dephasing conserves populations)
# has no unique answer; QuTiP returns one of them, openlz asks for `rho0` and returns the
# long-time limit from it, flagged:

# %%
import warnings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    dark = openlz.steadystate(qt.sigmaz(), [qt.sigmaz()], rho0=qt.ket2dm((qt.basis(2, 0) + qt.basis(2, 1)).unit()))
print("unique:", dark.unique, " kernel dim:", dark.kernel_dim, "\n", np.round(dark.state, 6))

# %% [markdown]
# ## `brmesolve` → `amesolve`
#
# QuTiP's `brmesolve` takes `a_ops` as (operator, spectrum S(ω)) pairs; openlz's
# `amesolve` takes (operator, bath) pairs, where the bath object knows its rates
# γ(ω) = 2πJ(ω)(1 + n(ω)) and its Lamb shift. For a constant H the adiabatic master
# equation is the secular Bloch–Redfield (Davies) equation; QuTiP omits the Lamb shift,
# so compare with `lamb_shift=False` and give QuTiP the bath's γ(ω) as its spectrum.
# Unlike `brmesolve`, `amesolve` also takes a time-dependent H(t) and rebuilds the jump
# operators in its instantaneous eigenbasis ([tutorial](tutorials/ame_annealing.py)).

# %%
bath = openlz.OhmicBath(eta=0.01, wc=5.0, T=0.3)
spectrum = lambda w: bath.gamma(np.asarray(w, dtype=float))      # noqa: E731
ref_br = qt.brmesolve(H, rho0, times, a_ops=[[qt.sigmax(), spectrum]],
                      e_ops=[qt.sigmaz(), qt.sigmax()], options=tight)
res_ame = openlz.amesolve(H, rho0, times, [(qt.sigmax(), bath)],
                          e_ops=[qt.sigmaz(), qt.sigmax()], lamb_shift=False)
print("⟨σz⟩, ⟨σx⟩: max |amesolve − brmesolve| =",
      maxdiff(res_ame.expect[0], ref_br.expect[0]), maxdiff(res_ame.expect[1], ref_br.expect[1]))
print("with the Lamb shift the coherence rotates differently:",
      maxdiff(openlz.amesolve(H, rho0, times, [(qt.sigmax(), bath)], e_ops=[qt.sigmax()]).expect[0],
              ref_br.expect[1]))

# %% [markdown]
# ## `fmmesolve`
#
# Three conventions must match before the two solve the same equation:
#
# - **the spectrum**: QuTiP's `fmmesolve` takes a spectral density J(ω) and the
#   temperature `w_th`, and adds the Bose factors; J must vanish for ω ≤ 0, because QuTiP
#   also adds the callable's values at negative frequencies as rates (an odd J gives
#   negative ones). openlz reads a callable as J(ω) only with `options={"w_th": T_b}` (and
#   only at |ω|); **without `w_th` a callable is the noise power S(ω) of `brmesolve`**
#   (Bose factors and 2π included), so the same J gives rates 2π(1 + n) times smaller and
#   no absorption — the dynamics then changes at O(1);
# - **the period**: give QuTiP `T=2π/ω` (its default is `tlist[-1]`);
# - **the generator**: QuTiP's is secular with kmax = 5 fixed; openlz's default is the
#   full period-averaged generator (Eqs. A4–A6 of paper 002) with kmax = 32.
#
# Then the populations of Floquet states agree:

# %%
om, T_b = 1.0, 0.05
Hf = [0.15 * qt.sigmax() + 0.2 * qt.sigmaz(), [qt.sigmaz(), lambda t: np.cos(om * t)]]
J = lambda w: np.where(np.asarray(w) > 0, 0.005 * np.asarray(w) * np.exp(-np.abs(w) / 20), 0.0)  # noqa: E731
tf = np.linspace(0, 400, 81)
fbq = qt.FloquetBasis(Hf, 2 * np.pi / om, options={"atol": 1e-12, "rtol": 1e-12})
quiet = {**tight, "progress_bar": ""}
matched = {"w_th": T_b, "secular": True, "kmax": 5}
with warnings.catch_warnings():
    warnings.simplefilter("ignore", openlz.ValidityWarning)   # kmax = 5 leaves sideband weight 1e-6
    ref_f = qt.fmmesolve(Hf, fbq.mode(0)[0], tf, [qt.sigmaz()], [J], T=2 * np.pi / om, w_th=T_b,
                         e_ops=[qt.sigmaz()], options=quiet)
    res_f = openlz.fmmesolve(Hf, fbq.mode(0)[0], tf, om, [(qt.sigmaz(), J)], e_ops=[qt.sigmaz()],
                             options=matched)
    print("Floquet state: max |Δ⟨σz⟩| =", maxdiff(res_f.expect[0], ref_f.expect[0]))
    ref_0 = qt.fmmesolve(Hf, qt.basis(2, 0), tf, [qt.sigmaz()], [J], T=2 * np.pi / om, w_th=T_b,
                         e_ops=[qt.sigmaz()], options=quiet)
    res_0 = openlz.fmmesolve(Hf, qt.basis(2, 0), tf, om, [(qt.sigmaz(), J)], e_ops=[qt.sigmaz()],
                             options=matched)
    print("from |0⟩:      max |Δ⟨σz⟩| =", maxdiff(res_0.expect[0], ref_0.expect[0]))
    raw = openlz.fmmesolve(Hf, qt.basis(2, 0), tf, om, [(qt.sigmaz(), J)], e_ops=[qt.sigmaz()])
    print("J without w_th (read as S(ω)): max |Δ⟨σz⟩| =", maxdiff(raw.expect[0], ref_0.expect[0]))

# %% [markdown]
# From a superposition of Floquet states the coherences matter, and there the two
# differ: QuTiP's secular tensor (`floquet_tensor`, "simplest RWA") damps a coherence
# ρ_ab at −½ Σ_k (A_ak + A_bk) and lacks the zero-frequency and interference terms of the
# secular limit of the Born–Markov equation; for this σz coupling its coherence rate is
# about 3× too small. The time-dependent Redfield equation decides: as the coupling falls
# at a fixed number of dephasing times, openlz's secular answer converges to it (largest
# error in ⟨σz⟩, ⟨σx⟩ 0.10 → 0.020 for a 4× weaker bath) while QuTiP's stays at 0.20–0.25
# (`tests/test_fmmesolve_qutip.py`).

# %% [markdown]
# ## Vectorisation
#
# openlz vectorises density matrices **row by row**: `vec(ρ)[i·n + j] = ρ[i, j]`, i.e.
# `ρ.reshape(..., n*n)`, so vec(AρB) = (A ⊗ Bᵀ) vec(ρ). QuTiP stacks **columns**:
# vec(ρ)[j·n + i] = ρ[i, j] and vec(AρB) = (Bᵀ ⊗ A) vec(ρ). The two Liouvillians of the
# same master equation are the same operator in permuted bases — and a matrix from one
# used with the other's convention is silently wrong:

# %%
Hn, Ln = 0.5 * sigma_z() + 0.3 * sigma_x(), np.sqrt(0.1) * sigma_minus()
L_openlz = liouvillian(Hn, [Ln])
L_qutip = qt.liouvillian(qt.Qobj(Hn), [qt.Qobj(Ln)]).full()
n = 2
perm = np.arange(n * n).reshape(n, n).T.ravel()       # row-major index -> column-major index
print("same operator, permuted:", maxdiff(L_openlz, L_qutip[np.ix_(perm, perm)]))
print("used as if row-major:  ", maxdiff(L_openlz, L_qutip), "(wrong)")

# %% [markdown]
# At the boundary openlz converts for you: a QuTiP superoperator **`Qobj`** passed to
# `mesolve` or `steadystate` is permuted (it knows its convention), and
# `openlz.api.super_from_qutip` / `super_to_qutip` convert explicitly. A bare array from
# `.full()` is taken as row-major, so convert it first:

# %%
Lq = qt.liouvillian(qt.Qobj(Hn), [qt.Qobj(Ln)])
via_qobj = openlz.mesolve(Lq, rho0, times).states
via_array = openlz.mesolve(openlz.api.super_from_qutip(Lq.full()), rho0, times).states
direct = openlz.mesolve(Hn, rho0, times, [Ln]).states
print("super Qobj:", maxdiff(via_qobj, direct), "  converted array:", maxdiff(via_array, direct))
rho_t = direct[10]
print("unvec(L vec ρ) = −i[H,ρ] + D[L]ρ:",
      maxdiff(unvec(L_openlz @ vec(rho_t)),
              -1j * (Hn @ rho_t - rho_t @ Hn) + Ln @ rho_t @ Ln.conj().T
              - 0.5 * (Ln.conj().T @ Ln @ rho_t + rho_t @ Ln.conj().T @ Ln)))

# %% [markdown]
# ## Batching
#
# Leading axes are batch axes everywhere. A sweep over 200 detunings is one call to
# openlz — not a Python loop of 200 solver calls:

# %%
import time

detunings = np.linspace(-1, 1, 200)
Hb = 0.5 * detunings[:, None, None] * sigma_z() + 0.3 * sigma_x()       # (200, 2, 2)
def best_of(k, f):
    out = []
    for _ in range(k):
        t0 = time.perf_counter()
        value = f()
        out.append(time.perf_counter() - t0)
    return value, min(out)

batch, t_openlz = best_of(3, lambda: openlz.mesolve(Hb, np.array([1, 0]), times, [Ln],
                                                       e_ops=[sigma_z()]))
loop, t_loop = best_of(1, lambda: [qt.mesolve(qt.Qobj(h), rho0, times, [qt.Qobj(Ln)],
                                              e_ops=[qt.sigmaz()], options=tight).expect[0]
                                   for h in Hb[:20]])
t_qutip = t_loop * len(Hb) / 20
print(batch.expect[0].shape, "max |Δ⟨σz⟩| on the first 20:", maxdiff(batch.expect[0][:20], loop))
print(f"openlz {t_openlz:.3f} s for 200 points (best of 3); QuTiP loop ≈ {t_qutip:.2f} s "
      "(20 points timed, scaled); timed while this page was built")

# %% [markdown]
# Batch axes broadcast across `H`, `c_ops`, coefficients and `rho0`: a coefficient
# returning an array of shape (B,) (`lambda t: W * np.cos(w * t)` with W, w of shape (B,))
# batches a time-dependent drive without forming B Hamiltonians.
#
# ## Entanglement measures

# %%
rng = np.random.default_rng(1)
states = [qt.rand_dm([2, 2], seed=int(s)) for s in rng.integers(0, 10**6, 50)]
arr = np.array([s.full() for s in states])                           # (50, 4, 4)
print("concurrence:", maxdiff(openlz.concurrence(arr), [qt.concurrence(s) for s in states]))
print("negativity: ", maxdiff(openlz.negativity(arr), [qt.negativity(s, 1) for s in states]))
print("fidelity:   ", maxdiff(np.sqrt(openlz.fidelity(arr[:-1], arr[1:])),
                              [qt.fidelity(a, b) for a, b in zip(states[:-1], states[1:])]))

# %% [markdown]
# ## What openlz does that QuTiP does not
#
# - **Batches** every solver over leading axes: parameter points evolve together with one
#   adaptive step size, which is what makes the [benchmarks](benchmarks.py) 10–500× faster
#   on parameter sweeps.
# - The **adiabatic master equation** with Lamb shift for any H(t) (paper 000, Eqs. 8–14),
#   with the τ_S, τ_R, τ_A validity report — QuTiP's `brmesolve` is Bloch–Redfield in a
#   fixed eigenbasis.
# - A **Floquet–Markov steady state** (QuTiP 5 dropped it), batched over drive parameters,
#   with secular / Markov validity checks and the non-secular generator at degenerate
#   quasienergies.
# - **Dephasing Lindbladians** L = f(H), Landau–Zener transition probabilities under them
#   for n levels, and **collision models** with Landau–Zener collision maps.
# - **Validity and physicality reports** in every result (a `ValidityWarning` names the
#   inequality that fails), and `ParameterError`s that name the argument, value and rule.
# - **Resumable sweeps** into zarr stores, on processes or a Dask cluster, and the papers'
#   models with every figure and claim checked (`openlz reproduce`).
