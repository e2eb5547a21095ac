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
# # A collision model on your own system
#
# In a collision (repeated-interaction) model a system meets a stream of ancillas, one
# at a time: each meeting is a unitary U on system ⊗ ancilla, after which the ancilla
# leaves. The system's state after k collisions is
#
# ρ_{k+1} = Tr_anc[U (ρ_k ⊗ σ_k) U†]
#
# (paper 003, Eq. 6, for any U). [`openlz.collisions`][openlz.collisions] runs this
# for unitaries and ancilla states given as arrays or `Qobj`s, batched over leading axes,
# and returns a [`Result`][openlz.Result] like every solver (`times` is the collision
# index). This tutorial builds two models: a qubit thermalised by a stream of thermal
# qubits through a partial swap, and the Landau–Zener collisions of paper 003.

# %%
import matplotlib.pyplot as plt
import numpy as np
import qutip as qt
from scipy.linalg import expm

import openlz
from openlz.analytic import landau_zener as lz
from openlz.core import kron, sigma_minus, sigma_plus, sigma_x, sigma_z

# %% [markdown]
# ## Thermalisation by partial swaps
#
# A system qubit meets ancilla qubits prepared in the thermal state
# σ = diag(p, 1 − p) (p the up population, index 0 = |↑⟩) through the flip-flop
# unitary U = exp(−iθ(σ⁺⊗σ⁻ + σ⁻⊗σ⁺)). Each collision swaps a fraction sin²θ of the
# population, so the system relaxes geometrically to the ancillas' state
# ("homogenisation"): p_k − p = cos^{2k}θ (p_0 − p), and its coherence decays as cos^k θ.

# %%
theta = 0.3
U = expm(-1j * theta * (kron(sigma_plus(), sigma_minus()) + kron(sigma_minus(), sigma_plus())))
p_anc = 0.2
ancilla = np.diag([p_anc, 1 - p_anc])
psi0 = np.array([1.0, 1.0]) / np.sqrt(2)                     # |+>: p0 = 1/2, coherence 1/2
res = openlz.collisions(U, psi0, ancilla, n_collisions=40, e_ops=[sigma_z(), sigma_x()])
k = res.times
p_k = (1 + res.expect[0]) / 2
fig, ax = plt.subplots(figsize=(6.4, 3.4))
ax.plot(k, p_k, "o", ms=4, label="⟨↑|ρ_k|↑⟩  (collisions)")
ax.plot(k, p_anc + np.cos(theta) ** (2 * k) * (0.5 - p_anc), "-", label="p + cos^{2k}θ (p₀ − p)")
ax.plot(k, res.expect[1] / 2, "s", ms=4, label="Re⟨↑|ρ_k|↓⟩")
ax.plot(k, 0.5 * np.cos(theta) ** k, "-", label="½ cos^k θ")
ax.set(xlabel="collision k", ylabel="system", title="partial swap with thermal ancillas")
ax.legend()
print("max deviation from the closed forms:",
      float(np.max(np.abs(p_k - p_anc - np.cos(theta) ** (2 * k) * (0.5 - p_anc)))),
      float(np.max(np.abs(res.expect[1] / 2 - 0.5 * np.cos(theta) ** k))))

# %% [markdown]
# The same collision with QuTiP objects, checked against an explicit partial trace:

# %%
Uq = qt.Qobj(U, dims=[[2, 2], [2, 2]])
rho_q = qt.ket2dm(qt.Qobj(psi0))
sig_q = qt.Qobj(ancilla)
manual = [rho_q]
for _ in range(5):
    manual.append((Uq * qt.tensor(manual[-1], sig_q) * Uq.dag()).ptrace(0))
res_q = openlz.collisions(Uq, qt.Qobj(psi0), sig_q, n_collisions=5)
print("max |openlz − QuTiP ptrace| =",
      max(float(np.abs(res_q.states[i] - manual[i].full()).max()) for i in range(6)))

# %% [markdown]
# ## Batching: many couplings in one call
#
# Leading axes of U are batch axes. One call for 50 collision strengths θ:

# %%
thetas = np.linspace(0.05, np.pi / 2, 50)
G = kron(sigma_plus(), sigma_minus()) + kron(sigma_minus(), sigma_plus())
Ub = np.array([expm(-1j * t * G) for t in thetas])             # (50, 4, 4)
batch = openlz.collisions(Ub, psi0, ancilla, n_collisions=10, e_ops=[sigma_x()])
print("expect shape:", batch.expect[0].shape)
fig, ax = plt.subplots(figsize=(6.4, 3.2))
ax.plot(thetas, batch.expect[0][:, -1] / 2, "o", ms=3, label="after 10 collisions")
ax.plot(thetas, 0.5 * np.cos(thetas) ** 10, "-", label="½ cos¹⁰θ")
ax.set(xlabel="θ", ylabel="Re⟨↑|ρ|↓⟩")
ax.legend();

# %% [markdown]
# ## Landau–Zener collisions (paper 003)
#
# In paper 003 a spin swept through the levels of a spin reservoir meets each reservoir
# spin in a Landau–Zener crossing; the collision unitary is Eq. (8), with the survival
# probability R = e^{−2πδ}, δ = |ν|²/2ε̇, and the Stokes phase φ (Eq. 11). Thermal
# reservoir spins with up population f make the populations follow the Markov chain
# p_{n+1} = R p_n + f(1 − R) (Eq. 16):

# %%
nu, rate = 0.3, 1.0
delta = lz.adiabaticity(nu, rate)
R = float(lz.diabatic_survival(delta))
phi = float(lz.stokes_phase(delta))
U_lz = lz.collision_unitary(R, phi, alpha=0.0)
f = 0.3
res_lz = openlz.collisions(U_lz, np.array([1.0, 0.0]), np.diag([f, 1 - f]), n_collisions=15,
                           e_ops=[sigma_z()])
p_lz = (1 + res_lz.expect[0]) / 2
chain = [1.0]
for _ in range(15):
    chain.append(R * chain[-1] + f * (1 - R))
fig, ax = plt.subplots(figsize=(6.4, 3.2))
ax.plot(res_lz.times, p_lz, "o", label="openlz.collisions with Eq. (8)")
ax.plot(res_lz.times, chain, "-", label="Markov chain, Eq. (16)")
ax.set(xlabel="crossing n", ylabel="p_n", title=f"R = {R:.3f}, f = {f}")
ax.legend()
print("max |collisions − chain| =", float(np.max(np.abs(p_lz - chain))))

# %% [markdown]
# The full spin-reservoir model, with the exact dynamics of all spins for comparison, is
# the [paper 003 tutorial](p003_spin_reservoir.py); the lower-level maps (Kraus operators,
# superoperators, Choi matrices) are in [`openlz.solve.collisions`](../api/collisions.md).
