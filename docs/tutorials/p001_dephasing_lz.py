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
# # Paper 001 · Landau–Zener with a dephasing Lindbladian
#
# A two-level system is swept through an avoided crossing while it dephases in its own
# instantaneous eigenbasis. The paper shows that the transition probability is the
# Landau–Zener value plus an incoherent part linear in the adiabatic parameter ε, and
# that the two simply add.
#
# **The model** (paper 001, Eqs. 1.1, 3.1–3.5). H_s = ½[[s, g], [g, −s]] with gap
# √(s² + g²) and minimal gap g at s = 0; the state obeys
# ε dρ/ds = −i[H_s, ρ] − (γ_s/2)[√H_s, [√H_s, ρ]], which in the library's Lindblad form
# is one jump operator L = √γ √H_s ([conventions](../design.md#the-one-convention)). The
# transition probability p = tr(P⁺ U(s_max, −s_max) P⁻) starts in the lower band at
# −s_max and ends in the upper band at +s_max. Eq. (1.5):
#
# p ≈ exp(−πg²/2ε) + 2εγ/(3g²(1 + γ²)),
#
# the Landau–Zener term (Eq. 1.2) plus the dephasing term, with a remainder bounded by
# Cγε² (Theorem 3).

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from openlz.analytic import dephasing_lz as cf
from openlz.figures import all_figures, get_figure
from openlz.models import get_model

pd.set_option("display.max_colwidth", None)
model = get_model("dephasing-lz")
print(model.summary)

# %% [markdown]
# ## Parameters

# %%
pd.DataFrame([(p.name, p.default_text(), p.unit, p.doc) for p in model.params],
             columns=["parameter", "default", "unit", "meaning"])

# %% [markdown]
# ## p against ε: one batched call
#
# `Model.evaluate` takes every parameter as an array of shape (B,) and solves all points
# together (Bloch equations in the adiabatic frame, sixth-order Magnus steps with exact
# exponentials). `transition_probability_limit` continues the finite window to
# s_max → ∞ with the superadiabatic tails.

# %%
eps = np.geomspace(0.05, 0.5, 10)
obs = ["transition_probability", "transition_probability_limit", "formula", "landau_zener",
       "remainder"]
r = {g: model.evaluate({"eps": eps, "gamma": g}, observables=obs) for g in (0.0, 0.2, 1.0)}
fig, ax = plt.subplots(figsize=(6.4, 3.8))
for g, res in r.items():
    line, = ax.loglog(eps, res["transition_probability_limit"], "o", label=f"numerics, γ = {g:g}")
    ax.loglog(eps, np.maximum(res["formula"], 1e-30), "-", color=line.get_color())
ax.set(xlabel="ε", ylabel="p", ylim=(1e-8, 1), title="dots: numerics; lines: Eq. (1.5)")
ax.legend();

# %% [markdown]
# At γ = 0 the numerics are the Landau–Zener formula (Eq. 1.2) to 10⁻¹⁰ relative; with
# dephasing the linear term 2εγ/(3g²(1+γ²)) dominates for small ε, where the
# exponentially small coherent part is invisible.

# %%
pd.DataFrame({"eps": eps,
              "γ=0: p / LZ − 1": r[0.0]["transition_probability_limit"] / r[0.0]["landau_zener"] - 1,
              "γ=0.2: remainder R": r[0.2]["remainder"],
              "γ=1: remainder R": r[1.0]["remainder"]})

# %% [markdown]
# ## The figures reproduced
#
# The paper has one figure (the levels through the crossing, Fig. 1); openlz adds four
# that test the paper's statements numerically:

# %%
pd.DataFrame([(f.id, f.title, f"~{f.expected_seconds:g} s") for f in all_figures().values()
              if f.paper == "001"], columns=["figure", "title", "cost"])

# %%
spec = get_figure("001-fig1")
ds1 = spec.compute()
spec.plot(ds1)
plt.show()
pd.DataFrame([c.as_dict() for c in spec.claims(ds1)]).drop(columns="figure")

# %% [markdown]
# ## Where the paper is incomplete: the remainder
#
# openlz found no statement of paper 001 that its own model contradicts: Eq. (1.5), the
# maximum of the incoherent part at γ = 1 and the bound |R| ≤ Cγε² of Theorem 3 all hold
# (`openlz reproduce 001-fig-error 001-fig-gamma`). What the paper leaves open is the
# size of the remainder. For constant γ the numerics give R = −p_inc² + O(ε³), with
# p_inc = 2εγ/(3g²(1+γ²)) the O(ε) term: the next order is fixed by the first.

# %%
p_inc = 2 * eps * 1.0 / (3 * (1 + 1.0**2))
fig, ax = plt.subplots(figsize=(6.4, 3.4))
for g in (0.2, 1.0):
    pi_g = 2 * eps * g / (3 * (1 + g**2))
    ax.loglog(eps, -r[g]["remainder"], "o", label=f"−R numerics, γ = {g:g}")
    ax.loglog(eps, pi_g**2, "-", label=f"p_inc², γ = {g:g}")
ax.set(xlabel="ε", ylabel="−R = formula − p")
ax.legend();

# %% [markdown]
# ## Beyond the paper: a dephasing rate that follows the gap
#
# The paper allows a profile γ(s); Eq. (1.5) then becomes a quadrature over s
# (`openlz.analytic.dephasing_lz.incoherent_part`). With the generic tools of
# [`openlz.solve.dephasing`](../api/dephasing.md) the Lindbladian L = f(H) can be built for
# any Hamiltonian; here the map of p over (ε, γ) for the paper's model, beyond the
# one-dimensional cuts of the paper:

# %%
E_, G_ = np.meshgrid(np.geomspace(0.05, 0.5, 8), np.geomspace(0.05, 10, 9), indexing="ij")
res = model.evaluate({"eps": E_.ravel(), "gamma": G_.ravel()},
                     observables=["transition_probability_limit", "formula"])
P = res["transition_probability_limit"].reshape(E_.shape)
F = res["formula"].reshape(E_.shape)
fig, axes = plt.subplots(1, 2, figsize=(10, 3.6))
m0 = axes[0].pcolormesh(G_, E_, P, shading="nearest", cmap="viridis")
axes[0].set(xscale="log", yscale="log", xlabel="γ", ylabel="ε", title="p (numerics)")
fig.colorbar(m0, ax=axes[0])
m1 = axes[1].pcolormesh(G_, E_, np.abs(P - F) / P, shading="nearest", cmap="magma")
axes[1].set(xscale="log", yscale="log", xlabel="γ", ylabel="ε", title="|p − Eq. (1.5)| / p")
fig.colorbar(m1, ax=axes[1])
plt.tight_layout()

# %% [markdown]
# The relative error of Eq. (1.5) grows like ε (the −p_inc² remainder over p_inc) and is
# largest near γ = 1, where the incoherent part peaks.
#
# **Next:** a dephasing Landau–Zener sweep for your own n-level Hamiltonian (tutorial
# *dephasing LZ with n levels*), the closed forms in
# [paper 001's API page](../api/closed-forms-001.md).
