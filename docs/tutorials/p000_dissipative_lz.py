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
# # Paper 000 · entanglement under dissipative Landau–Zener dynamics
#
# Two qubits start entangled. One of them (S) is swept through an avoided crossing while
# coupled to an Ohmic bath; the other (R) is idle. How much entanglement survives
# depends on the sweep rate, the temperature and the angle at which the bath couples.
#
# **The model** (paper 000, Sec. II). H_S(t) = Δσ_x + vtσ_z (Eq. 1), coupled as λA⊗B
# with A = (cos θ σ_z + sin θ σ_x)/2 (Eq. 7) to an Ohmic bath J(ω) = ω e^{−ω/ω_c}
# (Eq. 13) at temperature T; ω_c = Δ/3 as in the paper's figures. The pair evolves under
# L_t ⊗ id (Eq. 35), where L_t is the adiabatic Markovian master equation of Eq. (8):
# jump operators A(ω) from the instantaneous eigenbasis of H_S(t) (Eq. 9), rates
# γ(ω) = 2πJ(ω)(1 + n(ω)) (Eq. 11) and the Lamb shift H_LS = Σ S(ω)A(ω)†A(ω) (Eq. 14).
# In the library's Lindblad form the jump operators are √(λ²γ(ω)) A(ω). The initial state
# is cos η|00⟩ + sin η|11⟩ (Eq. 52) in the instantaneous eigenbasis; entanglement is the
# negativity (Eq. 51). The master equation holds while the bath correlation time τ_B is
# short against the relaxation time τ_R and the adiabatic time τ_A (Eqs. 15–18); every run
# checks it.

# %%
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from openlz.analytic import dissipative_lz as cf
from openlz.figures import all_figures, get_figure
from openlz.models import get_model
from openlz.sweep import sweep

pd.set_option("display.max_colwidth", None)
model = get_model("dissipative-lz")
print(model.summary)

# %% [markdown]
# ## Parameters

# %%
pd.DataFrame([(p.name, p.default_text(), p.unit, p.doc) for p in model.params],
             columns=["parameter", "default", "unit", "meaning"])

# %% [markdown]
# ## Negativity through the sweep
#
# The slow regime of Figs. 2–3 (Δ = 10, v = 10⁻⁴, λ = 0.1, T = 0): a longitudinal
# coupling (θ = 0) dephases the pair, a transversal one (θ = π/2) leaves it alone at
# T = 0. One `run` per angle; the solver is the paper's rotated frame (Eq. 29).

# %%
times = np.linspace(-100, 100, 201)
fig, ax = plt.subplots(figsize=(6.4, 3.6))
for theta in [0.0, np.pi / 4, np.pi / 2]:
    ds = model.run(times=times, observables=["negativity"], theta=theta)
    ax.plot(times, ds["negativity"], label=f"θ = {theta / np.pi:.2g}π")
ax.set(xlabel="t", ylabel="negativity N(t)", title="Δ = 10, v = 1e-4, λ = 0.1, T = 0")
ax.legend();

# %% [markdown]
# The dataset's attrs carry the parameters, the solver statistics, the physicality check
# of the states and the validity report of Eqs. (15)–(18): the smallest τ_R/τ_S and
# τ_A/τ_S over the run must exceed `factor`, else a `ValidityWarning` names the failed
# inequality.

# %%
{k: ds.attrs[k] for k in ("validity", "physicality", "solver")}

# %% [markdown]
# ## The figures reproduced

# %%
pd.DataFrame([(f.id, f.title, f"~{f.expected_seconds:g} s") for f in all_figures().values()
              if f.paper == "000"], columns=["figure", "title", "cost"])

# %% [markdown]
# Fig. 3 (negativity at t = 100 against the coupling angle θ, T = 0) is recomputed here
# with its claims; the others are `openlz reproduce 000-fig2` etc.

# %%
spec = get_figure("000-fig3")
ds3 = spec.compute()
spec.plot(ds3)
plt.show()
claims = pd.DataFrame([c.as_dict() for c in spec.claims(ds3)]).drop(columns="figure")
claims

# %% [markdown]
# ## Where the paper disagrees with itself
#
# **Eq. (62) decays twice as fast as its own master equation.** In the slow regime at
# T = 0 the master equation (Eqs. 29–31, with f = λ²γ(2Δ)/4) gives
# N = ½ exp(−τλ²πJ(2Δ)cos²θ / 2); the printed Eq. (62) has twice that rate. The numerics
# follow the master equation to 10⁻⁷; the paper's Fig. 3 (y axis from 0.36) plots the
# printed formula: 0.366 at θ = 0 against 0.428 from the master equation.

# %%
th = ds3["theta_deg"]
fig, ax = plt.subplots(figsize=(6.4, 3.4))
ax.plot(th, ds3["N_numerics"], "k.", ms=8, label="numerics (master equation)")
ax.plot(th, ds3["N_master_equation_closed"], label="closed form of the master equation")
ax.plot(th, ds3["N_eq62_printed"], "--", label="Eq. (62) as printed")
ax.set(xlabel="θ (degrees)", ylabel="N(t = 100)")
ax.legend();

# %% [markdown]
# **Eqs. (55)–(56) are wrong away from η = π/4.** The slow-regime Bloch solution relaxes
# s₃ to +a₋/a₊ (Eqs. 47, 49, 55) where Eqs. (41)–(43) give −a₋/a₊ (decay to the ground
# state), and Eq. (41) drops the source term −2a₋r₃ of dχ₃₃/dt. At the paper's own
# initial state (η = π/4) the two errors do not show; at θ = π/3, T = 8, η = 0.3:

# %%
pd.DataFrame({"numerics": [float(ds3["s3_numerics"]), float(ds3["chi33_numerics"])],
              "master-equation closed form": [float(ds3["s3_master_equation"]),
                                              float(ds3["chi33_master_equation"])],
              "as printed (Eqs. 55, 56)": [float(ds3["s3_eq55_printed"]),
                                           float(ds3["chi33_eq56_printed"])]},
             index=["s3", "chi33"])

# %% [markdown]
# openlz keeps both versions of each closed form (`negativity_t0` and
# `negativity_t0_paper` in [`openlz.analytic.dissipative_lz`](../api/closed-forms-000.md))
# and the claims table says which is which.

# %% [markdown]
# ## Other initial states, a mode cutoff, the printed Lamb shift
#
# Eq. (36) holds for any initial pair state, and Sec. III solves the slow regime for any of
# them (Eqs. 47–49) before the paper specialises to Eq. (52). The model takes the state with
# the `initial` option — a label (`phi+`, `phi-`, `psi+`, `psi-`, `00`, `01`, ...) or a (4, 4)
# density matrix; `openlz run dissipative-lz --initial psi+` or `--initial rho.npy` on the
# command line — given at `t_int` in the rotated frame (|0⟩ of S is the instantaneous excited
# level, S first). Two more parameters: `wmax`, the bath's upper mode frequency of Eq. (4)
# (default ∞, as in the paper's figures), and `lamb_convention`, the Lamb-shift prefactor of
# k(t): openlz's λ²/8 from Eq. (14) (`eq14`, default) or the λ²/2 printed in Eqs. (28)/(30)
# (`printed`).
#
# With `wmax` below the gap 2Δ no bath mode is resonant at T = 0 (γ(2Ω) = 0, Eq. 11), so the
# slow sweep of Fig. 3 leaves the entanglement of |ψ+⟩ alone:

# %%
t_short = np.linspace(-100, 100, 5)
for wmax in [np.inf, 15.0]:
    d = model.run(times=t_short, observables=["negativity"], options={"initial": "psi+"},
                  wmax=wmax)
    print(f"wmax = {wmax:g}: N(t) =", np.round(d["negativity"].values, 4))

# %% [markdown]
# Figure `000-initial` follows four initial states (Bell, the Schmidt state η = π/8, a state
# that is not of X form, a Werner state) through the slow regime: the numerics (circles)
# against openlz's general solution (`slow_regime_general`, solid) and against Eqs. (47)–(49)
# as printed (dotted), which relax s₃ to the wrong sign, drop the source of χ₃ⱼ and use χⱼ₃
# for χ₃ⱼ. On the right, the non-X state in the fast regime through both solvers (rotated
# frame, lab-frame `amesolve`) and with the printed Lamb-shift prefactor.

# %%
spec = get_figure("000-initial")
ds_init = spec.compute()
spec.plot(ds_init)
plt.show()
pd.DataFrame([c.as_dict() for c in spec.claims(ds_init)]).drop(columns="figure")

# %% [markdown]
# ## Beyond the paper: angle and temperature together
#
# The paper varies θ at T = 0 (Fig. 3) and T at θ = 0 (Fig. 2). The sweep below maps the
# negativity left at t = 100 over the (θ, T) plane at v = 10⁻⁴: one batched master
# equation solve per chunk.

# %%
grid = sweep("dissipative-lz", {"theta": np.linspace(0, np.pi / 2, 7), "T": "0:16:5"},
             times="-100:100:3", observables=["negativity"], processes=0)
N_end = grid["negativity"].isel(time=-1)
fig, ax = plt.subplots(figsize=(6.4, 3.6))
for T in N_end["T"].values:
    ax.plot(N_end["theta"] / np.pi, N_end.sel(T=T), "o-", label=f"T = {T:g}")
ax.set(xlabel="θ / π", ylabel="N(t = 100)", title="negativity left after the sweep")
ax.legend();

# %% [markdown]
# At T = 0 a larger θ protects the pair (Fig. 3); at finite temperature the transversal
# part of the coupling drives thermal transitions between the instantaneous eigenstates
# and destroys the entanglement within the sweep, while the purely longitudinal coupling
# (θ = 0) only dephases. The validity report travels with the sweep:

# %%
grid.attrs["validity"] if "validity" in grid.attrs else {k: v for k, v in grid.attrs.items() if "valid" in k}

# %% [markdown]
# **Next:** the same adiabatic master equation on your own Hamiltonian is `openlz.amesolve`
# ([tutorial](ame_annealing.py); lower level:
# [`openlz.solve.AdiabaticMasterEquation`](../api/adiabatic.md)); the closed forms, with
# `slow_regime_general`, are in [paper 000's API page](../api/closed-forms-000.md).
