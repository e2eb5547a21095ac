"""Time-resolved check of the coherence engine's collision picture (paper 003, Sec. III).

The model ``coherence-engine`` applies each system–atom crossing as an instantaneous kick
(the Landau–Zener map of Eqs. 27–28, or Eq. 8) and lets the Redfield generator of Eq. (25)
act alone for the rest of the period.  Here the same period is evolved without that split:
system + atom (order ``kron(system, atom)``, index 0 = ↑) under

    H_SA(t) = eps0 σ^z ⊗ 1 + ε_A(t) 1 ⊗ σ^z + ν (σ^+ ⊗ σ^- + σ^- ⊗ σ^+),  ε_A(t) = 2 eps0 t / T,

(Eq. 26 with the ramp of Fig. 3, the atom present from t = 0 to T) plus the system's Redfield
dissipator of Eq. (25) acting on the system index (the bath couples to S ⊗ 1, with the
spectrum at the bare system frequencies, as in the model), integrated with DOP853 over one
period.  The atom arrives at t = 0 in [[a, q0], [q0*, 1 - a]]; tracing it out at t = T gives the
one-period system map M_timed (4 × 4, row-major vec), its periodic state and the work
W = 2 eps0 (a - a'), a' the atom population at T (Eq. 34).

The kick model in the same frame (period starting when the atom arrives, crossing at T/2) is
E_{T/2} K(q_c) E_{T/2}, with the atom coherence at the crossing q_c = q0 e^{-i eps0 T/2}
(free precession ∫_0^{T/2} 2 ε_A dt = eps0 T/2, Eq. 15) and K the ``exact`` collision (Eq. 8 with
the atom swept).  :func:`kick_period_map` builds it, optionally with the finite-time exchange
phase of the ramp (``finite_time=True``, see :func:`openlz.models.coherence_engine.finite_time_phase`).

What the comparison shows (tests/test_coherence_engine_timed.py): the coupling is on when the
atom arrives and leaves, 2 eps0 away from resonance, which adds an exchange amplitude of order
ν/(2 eps0) at each end to the Landau–Zener one, sqrt(1 - R) ≈ ν sqrt(π/rate).  Their ratio,
sqrt(rate/π)/(2 eps0) = 0.18 at openlz's defaults, does not depend on ν and falls like 1/sqrt(T):
the bare propagator's exchange amplitude exceeds sqrt(1 - R) by 33 % at 2 eps0 T = 3π and by 17 %
at 11π.  So the kick map is right to first order in ν (its largest element differs by ~0.33 ν
from the time-resolved map) but the power, which is itself first order in the exchange
amplitude, differs by tens of percent at the defaults.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.linalg as sla

from ..analytic.coherence_engine import thermal_population
from ..core.operators import SZ, sigma_minus, sigma_plus
from ..solve.ode import ODEOptions, solve_ode
from .coherence_engine import engine_redfield_generator, kick_superop, periodic_state

__all__ = ["TimedPeriod", "timed_period", "kick_period_map"]

_I2 = np.eye(2)
_HZ_A = np.kron(_I2, SZ)
_HZ_S = np.kron(SZ, _I2)
_FLIP = np.kron(sigma_plus(), sigma_minus()) + np.kron(sigma_minus(), sigma_plus())


@dataclass
class TimedPeriod:
    """One period evolved in time, per batch point (B,).

    period_map : (B, 4, 4) system map ρ_S(0) -> ρ_S(T) (row-major vec), atom traced out.
    rho : (B, 2, 2) its periodic state (system state when an atom arrives).
    a_out : (B,) atom population at T from the periodic state; work : 2 eps0 (a - a_out)
    (Eq. 34); power : work / T.  steps : ODE steps taken.
    """

    period_map: np.ndarray
    rho: np.ndarray
    a_out: np.ndarray
    work: np.ndarray
    power: np.ndarray
    steps: int


def _engine_inputs(eps0: Any, eta: Any, wc: Any, beta: Any, nu: Any, period: Any, q0: Any,
                   a: Any) -> list[np.ndarray]:
    """The engine's parameters as broadcast (B,) arrays; ``a`` defaults to the thermal
    population at ``beta``."""
    eps0, eta, wc, beta, nu, period = (np.atleast_1d(np.asarray(x, dtype=float))
                                       for x in (eps0, eta, wc, beta, nu, period))
    q0 = np.atleast_1d(np.asarray(q0, dtype=complex))
    if a is None:
        a = thermal_population(beta, eps0)
    a = np.atleast_1d(np.asarray(a, dtype=float))
    return np.broadcast_arrays(eps0, eta, wc, beta, nu, period, q0, a)


def _lift(gen_s: np.ndarray) -> np.ndarray:
    """System superoperator (B, 4, 4) on row-major vec ρ_S -> (B, 16, 16) on row-major vec ρ_SA
    (identity on the atom indices)."""
    g = gen_s.reshape(-1, 2, 2, 2, 2)  # [s, s', t, t']
    eye = np.eye(2)
    big = np.einsum("bxytu,ac,dg->bxaydtcug", g, eye, eye)
    return big.reshape(-1, 16, 16)


def _commutator(h: np.ndarray) -> np.ndarray:
    """-i[h, ·] on row-major vec: -i (h ⊗ 1 - 1 ⊗ h^T)."""
    eye = np.eye(h.shape[-1])
    return -1j * (np.kron(h, eye) - np.kron(eye, h.T))


def timed_period(eps0: Any, eta: Any, wc: Any, beta: Any, nu: Any, period: Any, q0: Any,
                 a: Any = None, rtol: float = 1e-10) -> TimedPeriod:
    """System + atom + Redfield bath through one period (module docstring), batched (B,).

    q0 is the atom coherence when it arrives (t = 0).  Returns :class:`TimedPeriod`.
    """
    eps0, eta, wc, beta, nu, period, q0, a = _engine_inputs(eps0, eta, wc, beta, nu, period,
                                                            q0, a)
    B = eps0.size
    gen_s = engine_redfield_generator(eps0, eta, wc, beta)  # includes -i[eps0 σz, ·]
    base = _lift(gen_s) + np.stack([_commutator(n * _FLIP) for n in nu])
    ramp = np.stack([_commutator(_HZ_A)] * B) * (2 * eps0 / period)[:, None, None]
    # integrate in u = t / T on [0, 1]: one shared grid for all points
    T = period[:, None, None]

    def rhs(u: float, y: np.ndarray) -> np.ndarray:
        gen = T * (base + u * T * ramp)  # (B, 16, 16); ε_A = (2 eps0/T) (u T)
        return np.einsum("bij,bkj->bki", gen, y.reshape(B, 4, 16)).reshape(B * 4, 16)

    # inputs: ρ_S = E_ij ⊗ ρ_A for the four matrix units (rows of the map)
    rho_a = np.stack([np.stack([a + 0j, q0], -1), np.stack([np.conj(q0), 1 - a + 0j], -1)], -2)
    units = np.eye(4).reshape(4, 2, 2)
    y0 = np.einsum("kst,bac->bksatc", units, rho_a).reshape(B * 4, 16)
    ys, stats = solve_ode(rhs, y0, np.array([0.0, 1.0]), ODEOptions(rtol=rtol, atol=rtol * 1e-2))
    out = ys[-1].reshape(B, 4, 2, 2, 2, 2)  # [b, k, s, a, s', a']
    red = np.einsum("bksata->bkst", out).reshape(B, 4, 4)  # Tr_A, column k of the map
    m = np.swapaxes(red, -1, -2)
    rho = periodic_state(m)
    # atom population at T from the periodic state: linear in ρ_S(0)
    pops = np.einsum("bksasa->bka", out)[..., 0].real  # ⟨↑_A⟩ for each unit input
    a_out = np.real(np.einsum("bk,bk->b", rho.reshape(B, 4), pops))
    work = 2 * eps0 * (a - a_out)
    return TimedPeriod(m, rho, a_out, work, work / period, int(stats.n_accepted))


def kick_period_map(eps0: Any, eta: Any, wc: Any, beta: Any, nu: Any, period: Any, q0: Any,
                    a: Any = None, finite_time: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """The kick model's period map in the frame of :func:`timed_period`: E_{T/2} K(q_c) E_{T/2}
    with q_c = q0 e^{-i eps0 T/2} and the exact collision.  Returns (map (B, 4, 4), work (B,)),
    work = 2 eps0 (a - a') with a' of the exact collision from the periodic state at the
    crossing."""
    from ..analytic.coherence_engine import exact_collision_map, lz_parameters
    from .coherence_engine import finite_time_phase

    eps0, eta, wc, beta, nu, period, q0, a = _engine_inputs(eps0, eta, wc, beta, nu, period,
                                                            q0, a)
    R, phi = lz_parameters(nu, 2 * eps0 / period)
    if finite_time:
        phi = phi + finite_time_phase(eps0, nu, period)
    qc = q0 * np.exp(-1j * eps0 * period / 2)
    half = np.stack([sla.expm(g * t / 2) for g, t in
                     zip(engine_redfield_generator(eps0, eta, wc, beta), period, strict=True)])
    K = kick_superop(R, phi, a, qc, "exact")
    m = half @ K @ half
    rho0 = periodic_state(m)
    rc = (half @ rho0.reshape(-1, 4, 1)).reshape(-1, 2, 2)
    _, _, a_out, _ = exact_collision_map(rc[:, 0, 0].real, rc[:, 0, 1], a, qc, R, phi, 0.0)
    return m, 2 * eps0 * (a - a_out)
