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
# # Floquet–Markov steady state of a driven qubit
#
# A qubit whose level splitting is modulated strongly and periodically,
# H(t) = −(Δ/2)σ_x − (ε₀ + A cos ωt)/2 σ_z, is swept through its avoided crossing twice
# per period: Landau–Zener–Stückelberg–Majorana interferometry. Coupled to a bath, it
# settles into a periodic steady state, which a Floquet–Born–Markov master equation
# describes in the basis of Floquet states: rates Γ_αβ = 2π Σ_K g(ε_α − ε_β + Kω)|X^K_αβ|²
# between Floquet states (paper 002, Eq. C4), their secular steady state (Eq. C3) or, where
# quasienergies are (nearly) degenerate, the full period-averaged generator (Eqs. A4–A6).
# [`openlz.floquet_markov_steadystate`][openlz.floquet_markov_steadystate] does this in
# one call for a QuTiP list-form H, batched over parameters and ω; QuTiP 5 has no Floquet
# steady state.

# %%
import warnings

import matplotlib.pyplot as plt
import numpy as np
import qutip as qt

import openlz
from openlz.core import sigma_x, sigma_z

# %% [markdown]
# ## 141 detunings in one call
#
# The constant part H₀ carries a batch axis of detunings ε₀; the drive is one list-form
# term with a scalar coefficient. The bath couples through σ_z: Ohmic, η = 0.01, ω_c = 10ω,
# T = 0.05ω.

# %%
Delta, A, w = 0.1, 2.5, 1.0
eps0 = np.linspace(0.0, 3.5, 141)
H0 = -0.5 * Delta * sigma_x() - 0.5 * eps0[:, None, None] * sigma_z()     # (141, 2, 2)
H = [H0, [-0.5 * sigma_z(), lambda t: A * np.cos(w * t)]]
bath = openlz.OhmicBath(eta=0.01, wc=10.0, T=0.05)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    ss = openlz.floquet_markov_steadystate(H, w, [(sigma_z(), bath)])
print("warnings:", [str(x.message) for x in caught] or "none")
print("rho_average", ss.state.shape, " quasienergies", ss.quasienergies.shape,
      " rates", ss.rates.shape)

# %% [markdown]
# The period-averaged population of |↑⟩ (the ground state of −ε₀σ_z/2 far from the
# crossing) and the quasienergies. Where ε₀ is a multiple of ω the quasienergies
# anticross (k-photon resonances, with the effective splitting Δ·J_k(A/ω)) and the drive
# pumps the qubit away from the ground state:

# %%
fig, axes = plt.subplots(1, 2, figsize=(10, 3.6))
axes[0].plot(eps0, np.real(ss.state[:, 0, 0]))
for k in range(4):
    axes[0].axvline(k * w, color="gray", ls=":", lw=0.8)
axes[0].set(xlabel="ε₀ / ω", ylabel="period-averaged ⟨↑|ρ|↑⟩", title=f"A = {A}ω, Δ = {Delta}ω")
axes[1].plot(eps0, ss.quasienergies, "k.", ms=2)
axes[1].set(xlabel="ε₀ / ω", ylabel="quasienergy / ω", title="Floquet quasienergies")
plt.tight_layout()

# %% [markdown]
# ## Validity
#
# Every result says whether its approximations hold: the sideband and time-grid
# truncation, the Markov condition Γ_max ≪ ω and the secular one (rates small against
# quasienergy gaps). Where the secular condition fails the full generator is used
# (`full`), and `secular_error` says how far the secular answer would have been:

# %%
print({k: v for k, v in ss.validity.items() if k != "physicality"})
print("points solved with the full generator:", int(np.sum(ss.full)),
      " largest secular error:", float(np.max(ss.secular_error)))

# %% [markdown]
# ## Against QuTiP
#
# QuTiP 5 builds the same Floquet–Markov tensor (`FloquetBasis`, `floquet_tensor`); its
# steady state, in the Floquet basis, has the Floquet-state populations:

# %%
k = 50
Hq = [qt.Qobj(H0[k]), [qt.Qobj(-0.5 * sigma_z()), lambda t: A * np.cos(w * t)]]
fbasis = qt.FloquetBasis(Hq, 2 * np.pi / w)
R = qt.floquet_tensor(fbasis, [qt.sigmaz()], [lambda x: bath.gamma(np.asarray(x, float))],
                      kmax=20)
pops_qutip = np.sort(np.real(qt.steadystate(R).diag()))
print(f"ε₀ = {eps0[k]:.3f}: Floquet populations openlz {np.sort(ss.populations[k])}, "
      f"QuTiP {pops_qutip}; max difference {np.abs(np.sort(ss.populations[k]) - pops_qutip).max():.1e}")

# %% [markdown]
# ## Batched over the drive amplitude too
#
# A second batch axis: amplitudes A × detunings ε₀ (a (40, 141) map in one call, with a
# coefficient returning an array of the batch shape):

# %%
amps = np.linspace(0.0, 4.0, 40)
H_map = [H0[None], [-0.5 * sigma_z(), lambda t: amps[:, None] * np.cos(w * t)]]
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    smap = openlz.floquet_markov_steadystate(H_map, w, [(sigma_z(), bath)])
fig, ax = plt.subplots(figsize=(6.4, 3.8))
m = ax.pcolormesh(eps0, amps, np.real(smap.state[..., 0, 0]), shading="nearest", cmap="viridis")
fig.colorbar(m, ax=ax, label="⟨↑|ρ̄|↑⟩")
ax.set(xlabel="ε₀ / ω", ylabel="A / ω", title="LZSM interference in the steady state")

# %% [markdown]
# The resonances fan out from ε₀ = kω and vanish along the zeros of the Bessel functions
# J_k(A/ω) (coherent destruction of tunnelling). The time-resolved Floquet–Markov dynamics
# is [`openlz.fmmesolve`][openlz.fmmesolve]; the two-qubit model of paper 002 built on it
# is the [paper 002 tutorial](p002_driven_qubits.py).
