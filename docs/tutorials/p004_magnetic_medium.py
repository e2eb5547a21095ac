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
# # Paper 004 · two qubits coupled through a magnetic medium
#
# Two spin qubits sit in a magnetic medium that relaxes each of them (rates a, ã) and
# also couples them *dissipatively* (rates A, Ã): the medium can absorb a quantum from
# either qubit without telling which. Dissipative coupling alone entangles the qubits,
# and postselecting the runs in which no quantum was emitted gives Bell states
# (non-Hermitian, PT-symmetric dynamics with an exceptional point).
#
# **The model** (paper 004, Eqs. 1–7). H_S = −(Δ₁σ₁ᶻ + Δ₂σ₂ᶻ)/2, Δ = (Δ₁+Δ₂)/2,
# δ = (Δ₁−Δ₂)/2, and the dissipator of Eqs. (3)–(4) with the 2×2 rate blocks
# [[a, A*], [A, a]] (emission) and [[ã, Ã], [Ã*, ã]] (absorption), a ≥ |A|, ã ≥ |Ã|
# (Eq. S42). The paper writes it as −Σ(J†Jρ + ρJ†J − 2JρJ†), which is the library's
# Lindblad form with L = √2 J ([conventions](../design.md#the-one-convention)). At T = 0
# the dynamics from |ud⟩ is underdamped (|δ| > |A|), critical or overdamped
# (Eqs. 8–9). Postselection on no emitted quantum (Eqs. 11–13) evolves under
# H − (i/2)ΣL†L with Γ = |A|: PT-exact for |δ| > Γ, exceptional point at |δ| = Γ,
# PT-broken below.

# %%
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import openlz
from openlz.analytic import magnetic_medium as cf
from openlz.figures import all_figures, get_figure
from openlz.models import get_model
from openlz.sweep import sweep

pd.set_option("display.max_colwidth", None)
model = get_model("magnetic-medium")
print(model.summary)

# %% [markdown]
# ## Parameters
#
# Every parameter carries its default, unit and the equation it comes from; the same
# table is `openlz models` on the command line.

# %%
pd.DataFrame([(p.name, p.default_text(), p.unit, p.doc) for p in model.params],
             columns=["parameter", "default", "unit", "meaning"])

# %% [markdown]
# ## The three T = 0 regimes
#
# One call per point returns an `xarray.Dataset`; the closed forms of Eqs. (8)–(9) and
# (S61)–(S63) come along as `concurrence_closed_form`.

# %%
times = np.linspace(0, 4, 201)
fig, ax = plt.subplots(figsize=(6.4, 3.6))
for delta, label in [(2.0, "underdamped, δ = 2"), (1.0, "critical, δ = |A| = 1"),
                     (0.3, "overdamped, δ = 0.3")]:
    ds = model.run(times=times, observables=["concurrence", "concurrence_closed_form"],
                   a=1.0, A=1.0, delta=delta)
    line, = ax.plot(times, ds["concurrence"], label=label)
    ax.plot(times[::10], ds["concurrence_closed_form"][::10], "o", ms=3, color=line.get_color())
    print(f"δ = {delta}: max |numerics − closed form| = "
          f"{float(abs(ds['concurrence'] - ds['concurrence_closed_form']).max()):.1e}")
ax.set(xlabel="t (1/a)", ylabel="concurrence C(t)", title="from |ud⟩, a = |A| = 1 (dots: closed forms)")
ax.legend();

# %% [markdown]
# The attrs of a run hold every parameter, defaults included, and the regime:

# %%
{k: ds.attrs[k] for k in ("model", "paper", "param_a", "param_A", "param_delta", "regime")}

# %% [markdown]
# ## The figures reproduced
#
# The paper's figures are registered entries; `openlz reproduce ID` writes data, plot and
# claims for any of them. These are the paper-004 ones:

# %%
pd.DataFrame([(f.id, f.title) for f in all_figures().values() if f.paper == "004"],
             columns=["figure", "title"])

# %% [markdown]
# Fig. 2 (concurrence at T = 0 in the three regimes) and Fig. 3 (postselected
# concurrence: PT-exact, exceptional point, PT-broken; inset C_max) are cheap enough to
# recompute here. Each comes with the claims it checks.

# %%
def show(fig_id):
    spec = get_figure(fig_id)
    ds = spec.compute()
    spec.plot(ds)
    plt.show()
    claims = pd.DataFrame([c.as_dict() for c in spec.claims(ds)]).drop(columns="figure")
    return ds, claims

ds2, claims2 = show("004-fig2")
claims2

# %%
ds3, claims3 = show("004-fig3")
claims3

# %% [markdown]
# ## Where the paper disagrees with itself
#
# The text after Eq. (15) gives the maximal postselected concurrence in the PT-exact
# regime as C_max(η) = √(2 − 1/η²)/η, η = |δ|/Γ. The maximum over t of the paper's own
# Eq. (13) is 2η/(1 + η²) instead; the numerics (conditional Lindblad dynamics, not the
# closed form) side with Eq. (13). At η = 2.5 the printed formula gives 0.543 and the
# maximum of Eq. (13) 0.690. openlz follows the equation and keeps the printed formula
# as `cmax_paper`, and the claims table reports the gap.

# %%
eta = ds3["eta"].values
fig, ax = plt.subplots(figsize=(6.4, 3.4))
ax.plot(eta, ds3["cmax_numerics"], "k.", label="numerics: max over t of C(t)")
ax.plot(eta, cf.cmax_postselected(eta), label="2η/(1+η²): maximum of Eq. (13)")
ax.plot(eta, cf.cmax_paper(eta), "--", label="√(2−1/η²)/η: as printed")
ax.set(xlabel="η = |δ|/Γ", ylabel="C_max", ylim=(0, 1.05))
ax.legend()
print("η = 2.5:", float(cf.cmax_paper(2.5)), "printed vs", float(cf.cmax_postselected(2.5)), "Eq. (13)")

# %% [markdown]
# ## Beyond the paper: an imperfect detector
#
# The paper postselects with an ideal detector. With detection efficiency η_det
# (`efficiency`), a jump is missed with probability 1 − η_det and the conditional state
# mixes in the unmonitored Lindblad dynamics (η_det = 0). A sweep over η_det and δ, one
# vectorised call per chunk, shows how fast the Bell-state preparation degrades:
# the maximal concurrence on t ∈ [0, 2] and its success probability.

# %%
grid = sweep("magnetic-medium", {"efficiency": "0:1:11", "delta": "0:4:41"},
             params={"a": 2.0, "A": 2.0}, times="0:2:101", options={"postselect": True},
             observables=["max_concurrence", "success_probability"], processes=0)
fig, axes = plt.subplots(1, 2, figsize=(10, 3.6))
grid["max_concurrence"].plot(ax=axes[0], x="delta", cmap="viridis")
axes[0].set_title("max_t C(t), postselected")
grid["success_probability"].isel(time=-1).plot(ax=axes[1], x="delta", cmap="magma")
axes[1].set_title("success probability at t = 2")
plt.tight_layout()

# %% [markdown]
# At η_det = 1 the PT-broken side (δ < Γ = 2) reaches C → 1 while the success probability
# decays; every missed jump pulls C towards the unmonitored value. The same sweep from
# the command line, resumable and chunked into a zarr store:
#
# ```bash
# openlz sweep magnetic-medium --grid efficiency=0:1:11 --grid delta=0:4:41 \
#     --set a=2 --set A=2 --times 0:2:101 --postselect -o max_concurrence --out eff.zarr
# ```
#
# **Next:** the API of the pieces used here — [the model](../api/models.md#magnetic-medium-paper-004),
# [its closed forms](../api/closed-forms-004.md), [the measures](../api/measures.md),
# [sweeps](../api/sweeps.md).
