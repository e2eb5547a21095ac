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
# # Paper 002 · steady entanglement of two strongly driven qubits
#
# Two coupled qubits are driven so strongly that their levels are swept back and forth
# through avoided crossings every period (Landau–Zener–Stückelberg–Majorana
# interferometry), while a common bath relaxes them. With asymmetric bath couplings the
# drive pumps the pair into an entangled state and keeps it there: the steady state of a
# Floquet–Born–Markov master equation has concurrence close to 1.
#
# **The model** (paper 002, Eqs. B1–B2, Sec. II). H0 = Σᵢ(−ε0/2 σᵢᶻ − Δᵢ/2 σᵢˣ)
# − J/2(σ₁⁺σ₂⁻ + h.c.), driven by V(t) = −A cos(ωt)(σ₁ᶻ + σ₂ᶻ)/2 and coupled through
# γ1(σ₁ᶻ + ξσ₂ᶻ) to an Ohmic bath J(Ω) = κΩe^{−|Ω|/ω_c} at temperature T. Paper defaults:
# Δ2 = 1.5Δ1 = 0.15ω, T = 0.00467ω, κ = 0.001, J = −2.5ω; the cutoff ω_c, which the paper
# does not give, defaults to 10ω. openlz builds the Floquet basis for all parameter points
# at once (fourth-order split propagator over one period, eigenvectors of U(T), FFT for
# the sidebands), the Floquet–Markov rates Γ_αβ = 2π Σ_K g(ε_α − ε_β + Kω)|X^K_αβ|²
# (Eq. C4), the secular steady state (Eq. C3), its period average ρ̄∞ and C∞.

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from openlz.analytic import driven_qubits as cf
from openlz.figures import all_figures, get_figure
from openlz.models import get_model
from openlz.sweep import sweep

pd.set_option("display.max_colwidth", None)
model = get_model("driven-qubits")
print(model.summary)

# %% [markdown]
# ## Parameters
#
# Physics first, then the numerical settings (`steps` per period, `sidebands`, `secular`),
# which every result checks: the sideband and time-grid truncation tails and the secular
# and Markov conditions are in the attrs, and a `ValidityWarning` names a failed one.

# %%
pd.DataFrame([(p.name, p.default_text(), p.unit, p.doc) for p in model.params],
             columns=["parameter", "default", "unit", "meaning"])

# %% [markdown]
# ## One point: ε0 = 3.7ω, A = 3.8ω, ξ = 0.1

# %%
ds = model.run(observables=["steady_concurrence", "steady_populations", "quasienergies",
                            "floquet_rates"])
print("C∞ =", float(ds["steady_concurrence"]))
{k: ds.attrs[k] for k in ("max_sideband_tail", "max_grid_tail", "max_secular_ratio",
                          "max_markov_ratio", "critical_amplitude")}

# %% [markdown]
# The steady state sits in one H0 eigenstate (level 1, the entangled one for J < 0); the
# Floquet rates Γ_αβ (jump β → α) show why: it is the only level the drive-dressed bath
# does not empty.

# %%
fig, axes = plt.subplots(1, 2, figsize=(10, 3.4))
axes[0].bar(ds["level"], ds["steady_populations"])
axes[0].set(xlabel="H0 level k", ylabel="⟨k|ρ̄∞|k⟩", yscale="log", title="steady populations")
im = axes[1].imshow(np.log10(ds["floquet_rates"] + 1e-16), cmap="viridis", vmin=-10)
axes[1].set(xlabel="initial β", ylabel="final α", title="log10 Γ_αβ")
fig.colorbar(im, ax=axes[1])
plt.tight_layout()

# %% [markdown]
# ## The figures reproduced

# %%
pd.DataFrame([(f.id, f.title, f"~{f.expected_seconds:g} s") for f in all_figures().values()
              if f.paper == "002"], columns=["figure", "title", "cost"])

# %% [markdown]
# Fig. 7 (C∞ against ε0 at A = 3.8ω, with the zooms near the SE and ES resonances) and
# the rates of Fig. 10 are recomputed here; the 200 × 200 maps of Fig. 2 are
# `openlz reproduce 002-fig2` (about half a minute).

# %%
def show(fig_id):
    spec = get_figure(fig_id)
    data = spec.compute()
    spec.plot(data)
    plt.show()
    return pd.DataFrame([c.as_dict() for c in spec.claims(data)]).drop(columns="figure")

show("002-fig7")

# %%
claims10 = show("002-fig10")
claims10

# %% [markdown]
# ## Where the paper disagrees with itself
#
# **Eq. (C1) carries the absorption factor.** As printed, the Fermi-golden-rule rate of a
# decay i → f is weighted with g(E) = n(E)J(E), the rate of *absorbing* a bath quantum.
# The rates the paper plots (Γ₁₂ ≈ 10⁻², Figs. 5 and 10) need the emission factor
# J(E)(1 + n(E)); at T = 0.00467ω the printed form would be smaller by
# e^{−E₂₁/T}. openlz uses J(1 + n) and the claims table (last rows above) records the
# notation error.
#
# **The edge of the entangled region.** App. D says the region of high C∞ (at A = 3.8ω,
# ξ = 0.1, J < 0) fades out outside the wedge J = ±(ε0 − 3.8), i.e. ε0 < 3.8 + |J|. The
# maps put the edge at ε0 = 3.8 + |J|/2 — at A = A_c = |ε0| − |J|/2, the amplitude at which
# the drive first reaches the avoided crossing, as Sec. III defines it. A 41 × 41 map
# over (J, ε0) shows it:

# %%
cmap_J = sweep("driven-qubits", {"J": "-4:-0.5:36", "eps0": "2:7.5:56"},
               params={"A": 3.8, "xi": 0.1}, observables=["steady_concurrence"], processes=0)
fig, ax = plt.subplots(figsize=(6.4, 4))
cmap_J["steady_concurrence"].plot(ax=ax, x="J", cmap="viridis")
Js = cmap_J["J"].values
ax.plot(Js, 3.8 + np.abs(Js) / 2, "w-", label="ε0 = 3.8 + |J|/2  (A = A_c, Sec. III)")
ax.plot(Js, 3.8 + np.abs(Js), "r--", label="ε0 = 3.8 + |J|  (wedge of App. D)")
ax.set(title="C∞ at A = 3.8ω, ξ = 0.1")
ax.legend(loc="lower left", fontsize=8);

# %% [markdown]
# The `ValidityWarning` printed above is the model's own check at work: at a few of the
# 2016 points the Floquet modes carry Fourier weight above |K| = steps/4 (the time grid
# tail exceeds its 10⁻⁶ bound), so those points would need a larger `steps`; the sweep's
# `sweep_warnings` attribute lists them.

# %% [markdown]
# ## Beyond the paper: how warm may the bath be?
#
# The paper works at one temperature, T = 0.00467ω. A sweep over T and the coupling
# asymmetry ξ shows how much heating the pumped entanglement survives. With symmetric
# coupling (ξ = 1) the steady state at this point is not entangled at any temperature,
# as in the paper's comparison of ξ = 1 and ξ = 0.1 (Fig. 2).

# %%
warm = sweep("driven-qubits", {"T": "0.002:3:15:log", "xi": [0.03, 0.1, 0.3, 1.0]},
             observables=["steady_concurrence"], processes=0)
fig, ax = plt.subplots(figsize=(6.4, 3.6))
for xi in warm["xi"].values:
    ax.semilogx(warm["T"], warm["steady_concurrence"].sel(xi=xi), "o-", label=f"ξ = {xi:g}")
ax.axvline(0.00467, color="gray", ls=":", label="paper's T")
ax.set(xlabel="T / ω", ylabel="C∞", title="ε0 = 3.7ω, A = 3.8ω, J = −2.5ω")
ax.legend();

# %% [markdown]
# **Next:** the Floquet–Markov machinery on your own driven system is in
# [Floquet and Floquet–Markov](../api/floquet.md); the closed forms (FGR, perturbative
# and effective rates, A_c) are on [paper 002's API page](../api/closed-forms-002.md).
