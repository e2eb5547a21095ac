"""Landau–Zener collision of a driven spin with one reservoir spin (paper 003, Sec. II).

A system spin with energy ε_t σ^z (ε_t = ε̇ t near the crossing) flip-flop coupled to a
reservoir spin ε_n σ^z_n through ν_n σ^+ σ^-_n + H.c. (paper 003, Eq. 1 restricted to one
reservoir spin, Eqs. 5 and 7).  Only the block {|↑↓_n⟩, |↓↑_n⟩} is non-trivial; it is the
standard Landau–Zener problem.  The adiabatic-impulse approximation gives the two-spin
unitary over [τ_n, τ_{n+1}] of Eq. (8) with

* δ_n = |ν_n|² / (2 ε̇_n)                      (Eq. 10, adiabaticity parameter)
* R_n = exp(-2π δ_n)                           (Eq. 10, diabatic survival probability; the
  Landau–Zener *transition* probability of the paper's Fig. 2 is 1 - R_n)
* ϕ_n = π/4 + δ_n (ln δ_n - 1) + arg Γ(1 - i δ_n)   (Eq. 11, Stokes phase)
* α_n = ε̇_n (τ_{n+1}² - τ_n²)/2 + ε_n (τ_{n+1} - τ_n)   (Eq. 9, finite-time phase)

Conventions (library, docs/design.md): index 0 = |↑⟩ (σ^z = +1).  Two spins are ordered
``kron(system, reservoir)``: |↑↑⟩, |↑↓⟩, |↓↑⟩, |↓↓⟩.  The system density matrix is
ρ = [[p, k], [k*, 1 - p]] (Eq. 12), the reservoir spin's [[a, q], [q*, 1 - a]] (Eq. 15).

Two findings, tested in ``tests/test_landau_zener.py``:

1. **Sign of the Stokes phase.**  Tracing the reservoir spin out of Eq. (8) gives the
   coherence terms ``e^{iϕ} k q*`` in p' and ``-sqrt(1-R) e^{-i(α+ϕ)} q (2p-1)`` in k';
   the paper's Eqs. (13)–(14) print ``e^{iϕ} q k*`` and ``e^{-i(α-ϕ)}``, i.e. ϕ → -ϕ.  The
   exact numerics of the two-level crossing (tests, QuTiP) side with Eq. (8): the
   amplitude |↑↓⟩ → |↓↑⟩ carries ``-sqrt(1-R) e^{+iϕ}`` (times the dynamical phase below).
   :func:`collision_map` therefore takes ``stokes_sign``: ``+1`` (default) is the map
   consistent with Eq. (8); ``-1`` reproduces Eqs. (13)–(14) as printed.
2. **Missing dynamical phases.**  For a finite interval [τ_n, τ_{n+1}] the exact
   off-diagonal amplitudes also carry the adiabatic dynamical phase
   ζ_n = ∫_{τ_n}^{τ_{n+1}} sqrt((ε_t-ε_n)² + |ν_n|²) dt, and, when the crossing time t_n is
   not the midpoint of the interval, the diagonal ones carry e^{∓iη_n} with
   η_n = ζ_after - ζ_before.  Eq. (8) omits both.  ζ matters only when the reservoir spin
   carries a coherence (q_n ≠ 0); η (zero for an interval centred on t_n) rotates the
   system coherence, k_{n+1} = sqrt(R) e^{-i(α_n+η_n)} k_n for q_n = 0.  The paper's first
   interval [τ_1 = 0, τ_2] is off-centre (model ``spin-reservoir``).
   :func:`collision_unitary` accepts ``zeta``/``eta`` (default 0 = Eq. 8),
   :func:`adiabatic_phases` computes them, and :func:`collision_map` with
   α → α + η, ϕ → ϕ + ζ - η - arg ν is the reduced map of that unitary.  A complex coupling ν_n = |ν_n| e^{iθ} multiplies
   the |↑↓⟩ → |↓↑⟩ amplitude by e^{-iθ} (argument ``nu_phase``; Eq. 8 takes ν real).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import loggamma

__all__ = ["adiabaticity", "diabatic_survival", "lz_transition_probability", "stokes_phase",
           "finite_time_phase", "adiabatic_phases", "level_shift_phase", "collision_unitary", "collision_map",
           "grand_canonical_map", "fermi_spin_occupation"]


def adiabaticity(nu: ArrayLike, rate: ArrayLike) -> np.ndarray:
    """δ = |ν|² / (2 ε̇) (paper 003, Eq. 10); broadcasts, shape of the broadcast inputs."""
    return np.abs(np.asarray(nu)) ** 2 / (2.0 * np.asarray(rate, dtype=float))


def diabatic_survival(delta: ArrayLike) -> np.ndarray:
    """R = exp(-2π δ) (paper 003, Eq. 10): probability that no excitation is swapped."""
    return np.exp(-2.0 * np.pi * np.asarray(delta, dtype=float))


def lz_transition_probability(nu: ArrayLike, rate: ArrayLike) -> np.ndarray:
    """Landau–Zener transition probability 1 - R = 1 - exp(-π |ν|²/ε̇) (paper 003, Fig. 2)."""
    return -np.expm1(-2.0 * np.pi * adiabaticity(nu, rate))


def stokes_phase(delta: ArrayLike) -> np.ndarray:
    """Stokes phase ϕ = π/4 + δ (ln δ - 1) + arg Γ(1 - iδ) (paper 003, Eq. 11).

    arg Γ is the imaginary part of the principal complex log-gamma (continuous in δ, no
    branch jumps).  ϕ → π/4 for δ → 0 and ϕ → 0 for δ → ∞ (Stirling).  Shape of ``delta``.
    """
    d = np.asarray(delta, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        dlog = np.where(d > 0, d * (np.log(np.where(d > 0, d, 1.0)) - 1.0), 0.0)
    return np.pi / 4 + dlog + np.imag(loggamma(1.0 - 1j * d))


def finite_time_phase(rate: ArrayLike, eps_n: ArrayLike, tau_start: ArrayLike,
                      tau_end: ArrayLike) -> np.ndarray:
    """α_n = ε̇_n (τ_{n+1}² - τ_n²)/2 + ε_n (τ_{n+1} - τ_n) (paper 003, Eq. 9).

    It is ∫ (ε_t + ε_n) dt over [τ_n, τ_{n+1}] for ε_t = ε̇_n t, the phase of |↑↑_n⟩.
    """
    rate, eps_n = np.asarray(rate, dtype=float), np.asarray(eps_n, dtype=float)
    t0, t1 = np.asarray(tau_start, dtype=float), np.asarray(tau_end, dtype=float)
    return 0.5 * rate * (t1**2 - t0**2) + eps_n * (t1 - t0)


def _half_adiabatic(rate: np.ndarray, nu: np.ndarray, s: np.ndarray) -> np.ndarray:
    # ∫_0^s sqrt((ε̇ u)² + |ν|²) du for s >= 0
    g = np.abs(nu)
    root = np.sqrt((rate * s) ** 2 + g**2)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_term = np.where(g > 0, g**2 / (2 * rate) * np.arcsinh(rate * s / np.where(g > 0, g, 1)),
                            0.0)
    return 0.5 * s * root + log_term


def adiabatic_phases(nu: ArrayLike, rate: ArrayLike, t_cross: ArrayLike, tau_start: ArrayLike,
                     tau_end: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Adiabatic dynamical phases of one crossing over [τ_n, τ_{n+1}] (not in paper 003).

    With ζ_b = ∫_{τ_n}^{t_n} E dt, ζ_a = ∫_{t_n}^{τ_{n+1}} E dt and E = sqrt((ε̇(t-t_n))² + |ν|²)
    returns ``(zeta, eta) = (ζ_b + ζ_a, ζ_a - ζ_b)``.  The exact amplitudes of the crossing
    are ≈ √R e^{∓iη} (diagonal) and -sqrt(1-R) e^{i(ϕ + ζ)} (|↑↓⟩ → |↓↑⟩) once the interval
    is long against the Landau–Zener time (module docstring, finding 2; tested against
    QuTiP).  Requires τ_n <= t_n <= τ_{n+1}.  Shapes: broadcast of the inputs.
    """
    nu = np.asarray(nu)
    rate = np.asarray(rate, dtype=float)
    tc = np.asarray(t_cross, dtype=float)
    zb = _half_adiabatic(rate, nu, np.asarray(tc - np.asarray(tau_start, dtype=float)))
    za = _half_adiabatic(rate, nu, np.asarray(np.asarray(tau_end, dtype=float) - tc))
    return zb + za, za - zb


def level_shift_phase(nu: ArrayLike, rate: ArrayLike, eps_m: ArrayLike, tau_start: ArrayLike,
                      tau_end: ArrayLike) -> np.ndarray:
    """Λ = ∫_{τ_n}^{τ_{n+1}} s(ε̇t - ε_m) dt, s(Δ) = sign(Δ) (sqrt(Δ² + |ν|²) - |Δ|) (not in
    paper 003).

    The adiabatic level shift of |↑↓_m⟩ by its (possibly distant) crossing with reservoir
    spin m, integrated over one interval: the system coherence picks up e^{-i(1-2f_m)Λ}
    from every reservoir spin m (f_m its up-population), not only from the one being crossed.
    openlz's "dressed" chain phase (model ``spin-reservoir``) adds Σ_m (1-2f_m) Λ_nm to the
    free phase 2∫ε_t dt.  Closed form: s is odd, so Λ = [G(ε̇τ_{n+1}-ε_m) - G(ε̇τ_n-ε_m)]/ε̇
    with the even antiderivative G(x) = (|x| sqrt(x²+ν²) + ν² asinh(|x|/|ν|) - x²)/2.
    Shape: broadcast of the inputs.
    """
    g = np.abs(np.asarray(nu))
    rate = np.asarray(rate, dtype=float)
    eps_m = np.asarray(eps_m, dtype=float)

    def G(x: np.ndarray) -> np.ndarray:
        x = np.abs(x)
        with np.errstate(divide="ignore", invalid="ignore"):
            ash = np.where(g > 0, g**2 * np.arcsinh(x / np.where(g > 0, g, 1.0)), 0.0)
        # |x| sqrt(x²+g²) - x² = x g² / (sqrt(x²+g²) + x): no cancellation for large x
        return 0.5 * (x * g**2 / (np.sqrt(x * x + g**2) + x + (g == 0)) + ash)

    x1 = rate * np.asarray(tau_end, dtype=float) - eps_m
    x0 = rate * np.asarray(tau_start, dtype=float) - eps_m
    return (G(x1) - G(x0)) / rate


def collision_unitary(R: ArrayLike, phi: ArrayLike, alpha: ArrayLike, zeta: ArrayLike = 0.0,
                      eta: ArrayLike = 0.0, nu_phase: ArrayLike = 0.0) -> np.ndarray:
    """Two-spin adiabatic-impulse unitary of paper 003, Eq. (8); shape (..., 4, 4).

    Basis ``kron(system, reservoir)`` = |↑↑⟩, |↑↓⟩, |↓↑⟩, |↓↓⟩ (columns are the images)::

        U|↑↑⟩ = e^{-iα}|↑↑⟩,                        U|↓↓⟩ = e^{iα}|↓↓⟩,
        U|↑↓⟩ = √R e^{-iη}|↑↓⟩ - √(1-R) e^{iφ}|↓↑⟩,  U|↓↑⟩ = √R e^{iη}|↓↑⟩ + √(1-R) e^{-iφ}|↑↓⟩,

    with φ = ϕ + ζ - θ (ζ, η: :func:`adiabatic_phases`; θ = arg ν: ``nu_phase``).
    ζ = η = θ = 0 is Eq. (8) verbatim.  All inputs broadcast to a batch shape (...).
    """
    R, phi, alpha, zeta, eta, th = np.broadcast_arrays(
        *(np.asarray(x, dtype=float) for x in (R, phi, alpha, zeta, eta, nu_phase)))
    ph = phi + zeta - th
    sr, st = np.sqrt(R), np.sqrt(1.0 - R)
    U = np.zeros(R.shape + (4, 4), dtype=complex)
    U[..., 0, 0] = np.exp(-1j * alpha)
    U[..., 3, 3] = np.exp(1j * alpha)
    U[..., 1, 1] = sr * np.exp(-1j * eta)
    U[..., 2, 2] = sr * np.exp(1j * eta)
    U[..., 2, 1] = -st * np.exp(1j * ph)
    U[..., 1, 2] = st * np.exp(-1j * ph)
    return U


def collision_map(p: ArrayLike, k: ArrayLike, a: ArrayLike, q: ArrayLike, R: ArrayLike,
                  phi: ArrayLike, alpha: ArrayLike,
                  stokes_sign: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """One Landau–Zener collision on the system state (p_n, k_n) (paper 003, Eqs. 13–14).

    p, k : system population of |↑⟩ and coherence ⟨↑|ρ|↓⟩ (Eq. 12).
    a, q : reservoir-spin population and coherence at τ_n (Eq. 15; q includes the free
        phase e^{-2iε_n τ_n}).
    stokes_sign : +1 (default) is the reduced map of Eq. (8) (ϕ → stokes_sign·ϕ); -1 gives
        Eqs. (13)–(14) exactly as printed (module docstring, finding 1).  For q = 0 both agree.

    Returns (p_{n+1}, k_{n+1}) with the broadcast shape of the inputs::

        p' = R p + a (1-R) + sqrt(R(1-R)) [e^{iσϕ} k q* + c.c.]
        k' = sqrt(R) e^{-iα} k - sqrt(1-R) e^{-i(α+σϕ)} q (2p-1)
    """
    if stokes_sign not in (1, -1):
        raise ValueError(f"stokes_sign must be +1 or -1, got {stokes_sign!r}")
    p, a, R = (np.asarray(x, dtype=float) for x in (p, a, R))
    k, q = np.asarray(k, dtype=complex), np.asarray(q, dtype=complex)
    e = np.exp(1j * stokes_sign * np.asarray(phi, dtype=float))
    ea = np.exp(-1j * np.asarray(alpha, dtype=float))
    cross = e * k * np.conj(q)
    p_new = R * p + a * (1 - R) + np.sqrt(R * (1 - R)) * 2 * cross.real
    k_new = np.sqrt(R) * ea * k - np.sqrt(1 - R) * ea / e * q * (2 * p - 1)
    return p_new, k_new


def grand_canonical_map(p: ArrayLike, k: ArrayLike, f: ArrayLike, R: ArrayLike,
                        alpha: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Collision with a thermal reservoir spin, q = 0, a = f_n (paper 003, Eqs. 16–17).

    p' = R p + f (1 - R),   k' = sqrt(R) e^{-iα} k.  Broadcast shape of the inputs.
    """
    R = np.asarray(R, dtype=float)
    p_new = R * np.asarray(p, dtype=float) + np.asarray(f, dtype=float) * (1 - R)
    k_new = np.sqrt(R) * np.exp(-1j * np.asarray(alpha, dtype=float)) * np.asarray(k, dtype=complex)
    return p_new, k_new


def fermi_spin_occupation(eps: ArrayLike, beta: ArrayLike, mu: ArrayLike = 0.0) -> np.ndarray:
    """f = 1 / (exp(2β(ε - μ)) + 1): up-population of a spin ε σ^z in the grand-canonical
    state exp[-β(H_B - μ M_B)]/Z_B (paper 003, text after Eq. 15).  Overflow-safe."""
    x = 2.0 * np.asarray(beta, dtype=float) * (np.asarray(eps, dtype=float) - np.asarray(mu))
    return 0.5 * (1.0 - np.tanh(0.5 * x))
