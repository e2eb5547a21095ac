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
# # A dephasing Landau–Zener sweep with n levels
#
# Paper 001 computes the Landau–Zener transition probability of a two-level sweep under a
# *dephasing* Lindbladian — one whose jump operators are functions of the Hamiltonian,
# L_α = f_α(H) (Eq. 2.4), so it dephases in the instantaneous eigenbasis and leaves the
# eigenstate populations alone. Its Sec. 4 gives the transition probability for any
# H(s) to first order in the adiabatic parameter ε:
#
# p ≈ p_c + ε ∫ tr(P_i (P_f′)² P_i) · 2 Re(−1/λ_fi(s)) ds,
#
# with p_c the coherent (γ = 0) probability and λ_fi the eigenvalue of the Lindbladian on
# |ψ_f⟩⟨ψ_i| (Eq. 3.4). openlz solves ε dρ/ds = L_s ρ for your own H(s) with
# [`openlz.dephasing_transition_probability`][openlz.dephasing_transition_probability]
# and computes that formula beside the numerics; the jump operators themselves come from
# [`openlz.dephasing_lindbladian`][openlz.dephasing_lindbladian], for use with
# `openlz.mesolve`.

# %%
import matplotlib.pyplot as plt
import numpy as np

import openlz

# %% [markdown]
# ## A dephasing Lindbladian
#
# The default is Lemma 1's normal form, one jump operator √γ √H (√H = sgn(H)√|H|): the
# term −(γ/2)[√H, [√H, ρ]]. Under it a superposition of eigenstates keeps its
# populations while the coherence between levels a, b decays at the rate
# (γ/2)(√E_a − √E_b)²:

# %%
H3 = np.diag([1.0, 2.0, 4.0])
c_ops = openlz.dephasing_lindbladian(H3, gamma=0.5)
psi = np.ones(3) / np.sqrt(3)
times = np.linspace(0, 10, 101)
res = openlz.mesolve(H3, psi, times, c_ops)
rho = res.states
fig, ax = plt.subplots(figsize=(6.4, 3.2))
for a, b in [(0, 1), (1, 2), (0, 2)]:
    rate = 0.5 / 2 * (np.sqrt(H3[a, a]) - np.sqrt(H3[b, b])) ** 2
    ax.semilogy(times, np.abs(rho[:, a, b]), label=f"|ρ_{a}{b}|")
    ax.semilogy(times[::10], np.exp(-rate * times[::10]) / 3, "k.", ms=4)
ax.set(xlabel="t", ylabel="coherence", title="dots: e^{−(γ/2)(√E_a−√E_b)² t}/3")
ax.legend()
print("populations stay:", np.round(np.real(np.diagonal(rho[-1])), 12))

# %% [markdown]
# ## Three levels swept through two avoided crossings
#
# Take a three-level chain H(s) = [[s, g, 0], [g, 0, g], [0, g, −s]] with g = ½: as s runs
# from −8 to 8 the ground state of s = −8 (mostly |3⟩) crosses the middle level, then the
# top one. Start in the ground state (level 0, energies ascending) and ask for the
# probability of ending in level 1 or 2. `eps` may be an array: the points are solved
# together.

# %%
g = 0.5


def H(s):
    return np.array([[s, g, 0], [g, 0, g], [0, g, -s]], dtype=complex)


s_points = np.linspace(-8, 8, 161)
eps = np.array([0.05, 0.1, 0.2, 0.4])
fast = {"rtol": 1e-7, "atol": 1e-9}
r01 = openlz.dephasing_transition_probability(H, s_points, eps=eps, gamma=0.5,
                                              initial_level=0, final_level=1, options=fast)
print("p(0→1):        ", np.round(r01.probability, 5))
print("formula:       ", np.round(r01.formula, 5))
print("coherent p_c:  ", np.round(r01.coherent, 5))

# %% [markdown]
# The populations of the instantaneous eigenstates through the sweep show the two
# crossings; dephasing makes the transitions irreversible:

# %%
fig, axes = plt.subplots(1, 2, figsize=(10, 3.4))
pops = r01.adiabatic_populations[2]                     # eps = 0.2: (T, 3)
for level in range(3):
    axes[0].plot(r01.times, pops[:, level], label=f"level {level}")
axes[0].set(xlabel="s", ylabel="⟨ψ_k(s)|ρ(s)|ψ_k(s)⟩", title="ε = 0.2, γ = 0.5")
axes[0].legend()
axes[1].loglog(eps, r01.probability, "o", label="numerics")
axes[1].loglog(eps, r01.formula, "-", label="first-order formula (Sec. 4)")
axes[1].loglog(eps, r01.coherent, "--", label="coherent part p_c")
axes[1].set(xlabel="ε", ylabel="p(0 → 1)")
axes[1].legend()
plt.tight_layout()

# %% [markdown]
# For small ε the numerics approach the first-order formula, which is linear in ε; at
# ε = 0.4 the O(γε²) remainder is visible.
#
# ## Which transitions does dephasing drive?
#
# A sweep over γ at ε = 0.2, for the neighbouring level 1 and the far level 2:

# %%
gammas = np.array([0.0, 0.1, 0.3, 1.0, 3.0])
r_far = {f: openlz.dephasing_transition_probability(H, (-8, 8), eps=0.2, gamma=gammas,
                                                    initial_level=0, final_level=f,
                                                    options=fast)
         for f in (1, 2)}
fig, ax = plt.subplots(figsize=(6.4, 3.4))
for f, r in r_far.items():
    line, = ax.semilogx(gammas[1:], r.probability[1:], "o", label=f"numerics, 0 → {f}")
    ax.semilogx(gammas[1:], r.formula[1:], "-", color=line.get_color(), label=f"formula, 0 → {f}")
ax.set(xlabel="γ", ylabel="p", yscale="log", title="ε = 0.2")
ax.legend()
for f, r in r_far.items():
    print(f"0 → {f}: incoherent p − p_c = {np.round(r.incoherent, 6)}; "
          f"first-order term = {np.round(r.formula_incoherent, 6)}")

# %% [markdown]
# For the neighbouring level the incoherent part grows with γ and levels off by γ ≈ 3;
# the first-order term agrees at small γ and overestimates at larger γ, where the
# remainder — bounded by Cγε² for two levels (paper 001, Theorem 3) — grows with γ. For
# the far level 2 the first-order term vanishes identically: this chain is a spin 1,
# H(s) = s J_z + √2 g J_x, so H′ = J_z changes the magnetic quantum number along the
# instantaneous axis by at most one and ⟨ψ_2|P_2′|ψ_0⟩ = 0. The numerics show dephasing
# populating level 2 all the same: an effect beyond first order in ε. The formula is the
# first order of an expansion; the numerics are the master equation itself.
#
# **See also:** the [paper 001 tutorial](p001_dephasing_lz.py) (two levels, Eq. 1.5, the
# remainder), the API of [`openlz.solve.dephasing`](../api/dephasing.md).
