"""Closed forms of the coherence-driven work engine (paper 003, Sec. III, Eqs. 26–34).

A system spin H_S = eps0 sigma_z (in a Redfield bath) meets, once per period T, a fresh
atom H_A(t) = eps(t) sigma_z whose level is ramped linearly 0 -> 2 eps0 over the period
and crosses the system level at T/2 (Fig. 3); the coupling nu (sigma+ sigma_A- + h.c.)
(Eq. 26) makes the crossing a Landau–Zener transition with

    R = exp(-2 pi delta),  delta = |nu|² / (2 rate),                   (Eq. 10 / below Eq. 30)
    phi = pi/4 + delta (ln delta - 1) + arg Gamma(1 - i delta)          (Stokes phase, Eq. 11)

and the collision map of Eqs. (27)–(30) on the system state (p, k) and the atom state
(a, q) (both written [[pop_up, coh], [coh*, 1 - pop_up]], Eqs. 12 and 15).

Paper disagreements found (kept, tested in ``tests/test_coherence_engine_analytic.py``):

* Eq. (31) as printed, W1 = 2 eps0 a - eps0 (1 - a), does not add up with Eqs. (32)–(33)
  to Eq. (34): the sum is 2 eps0 (a - a') + eps0 a.  The energy change of ramping the atom
  level 0 -> eps0 is eps0 a - eps0 (1 - a) (the form of Eq. 32), which does give Eq. (34);
  :func:`work_parts` returns that (``printed_w1=True`` gives the printed one).
* **The sign of q in Eqs. (27)–(30).**  In Sec. III the *atom* is swept (H_A(t) = eps(t)
  sigma_z, Eq. 26) and the system is the static spin, the reverse of Sec. II where Eq. (8) is
  derived with the swept spin first.  Eq. (8) with the atom as the swept spin, written in the
  order (system, atom), is U = SWAP U_8 SWAP = Z_A U_8(phi -> -phi) Z_A (Z_A = sigma_z of the
  atom: it flips the sign of the exchange amplitude).  Tracing out the atom, the exact system
  map is Eqs. (27)–(28) with q -> -q, and the atom's Eqs. (29)–(30) with q -> -q, q' -> -q'
  (:func:`exact_collision_map`).  So the printed equations are Eqs. (13)–(14) copied without
  swapping the roles: they are the exact collision for the atom coherence of the opposite
  sign, and P_printed(q) = P_exact(-q) (a point reflection of Fig. 4's q plane).  The
  QuTiP check is in ``tests/test_coherence_engine.py``.
"""

from __future__ import annotations

import numpy as np

from .landau_zener import adiabaticity, diabatic_survival, stokes_phase

__all__ = ["lz_parameters", "thermal_population", "coherence_bound", "atom_is_physical",
           "collision_map", "exact_collision_map", "collision_superop", "work_parts",
           "work_per_period", "COLLISIONS"]

#: collision maps of the engine (model parameter ``collision``): ``"printed"`` = Eqs. (27)–(30)
#: as printed; ``"exact"`` = Eq. (8) with the atom as the swept spin (Sec. III's geometry) =
#: printed with q -> -q; ``"system-swept"`` = Eq. (8) with the system as the swept spin
#: (Sec. II's geometry; = printed with phi -> -phi), kept for comparison
COLLISIONS = ("printed", "exact", "system-swept")


def lz_parameters(nu: np.ndarray, rate: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(R, phi) of the system-atom crossing: R = exp(-2 pi delta), delta = |nu|²/(2 rate), phi the
    Stokes phase (paper 003, Eqs. 10-11 and below Eq. 30; :mod:`openlz.analytic.landau_zener`)."""
    delta = adiabaticity(nu, rate)
    return diabatic_survival(delta), stokes_phase(delta)



def thermal_population(beta: np.ndarray, eps0: np.ndarray) -> np.ndarray:
    """Thermal upper-level population of a spin eps0 sigma_z, a = f = 1/(exp(2 beta eps0) + 1).

    Paper 003, Sec. III: the atoms' populations are thermal, a = f (f as below Eq. 15, mu = 0,
    at the crossing energy eps0).
    """
    x = 2.0 * np.asarray(beta, dtype=float) * np.asarray(eps0, dtype=float)
    return 0.5 * (1.0 - np.tanh(0.5 * x))


def coherence_bound(a: np.ndarray) -> np.ndarray:
    """Largest |q| for which [[a, q], [q*, 1 - a]] is a state: sqrt(a (1 - a))."""
    a = np.asarray(a, dtype=float)
    return np.sqrt(np.clip(a * (1.0 - a), 0.0, None))


def atom_is_physical(a: np.ndarray, q: np.ndarray, atol: float = 1e-12) -> np.ndarray:
    """Positivity domain of the atom state (Eq. 15): 0 <= a <= 1 and |q|² <= a (1 - a).

    This is the region coloured in Fig. 4 (the white region is where it fails).
    """
    a = np.asarray(a, dtype=float)
    q = np.asarray(q)
    return (a >= 0) & (a <= 1) & (np.abs(q) ** 2 <= a * (1.0 - a) + atol)


def collision_map(p: np.ndarray, k: np.ndarray, a: np.ndarray, q: np.ndarray, R: np.ndarray,
                  phi: np.ndarray, alpha: np.ndarray | float = 0.0, stokes_sign: int = -1
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """One system–atom collision, paper 003 Eqs. (27)–(30), elementwise over broadcast arrays.

    Parameters
    ----------
    p, k : system upper population and coherence <up|rho_S|down> before the crossing.
    a, q : atom population and coherence before the crossing.
    R, phi : Landau–Zener no-exchange probability and Stokes phase.
    alpha : dynamical phase alpha_n of Eqs. (28), (30).  openlz applies the collision as an
        instantaneous kick (alpha = 0) and lets the Redfield generator carry the system's free
        precession: the paper's 2 alpha_n = rate T² + 2 eps0 T = 4 eps0 T is exactly the system's
        free phase over the period, so using both would count it twice.

    Returns
    -------
    (p', k', a', q') with Eqs. (27), (28), (29), (30).
    """
    if stokes_sign not in (1, -1):
        raise ValueError(f"stokes_sign must be +1 or -1, got {stokes_sign!r}")
    phi = -stokes_sign * np.asarray(phi, dtype=float)
    p, a = np.asarray(p, dtype=float), np.asarray(a, dtype=float)
    k, q = np.asarray(k, dtype=complex), np.asarray(q, dtype=complex)
    sr, st = np.sqrt(R), np.sqrt(1.0 - R)
    cross = np.sqrt(R * (1.0 - R)) * 2.0 * np.real(np.exp(1j * phi) * q * np.conj(k))
    ea = np.exp(-1j * np.asarray(alpha))
    p_out = R * p + a * (1.0 - R) + cross                                     # Eq. (27)
    k_out = sr * ea * k - st * ea * np.exp(1j * phi) * q * (2 * p - 1)        # Eq. (28)
    a_out = R * a + p * (1.0 - R) - cross                                     # Eq. (29)
    q_out = sr * ea * q + st * ea * np.exp(-1j * phi) * k * (2 * a - 1)       # Eq. (30)
    return p_out, k_out, a_out, q_out


def exact_collision_map(p: np.ndarray, k: np.ndarray, a: np.ndarray, q: np.ndarray,
                        R: np.ndarray, phi: np.ndarray, alpha: np.ndarray | float = 0.0
                        ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The exact collision of Sec. III: Eq. (8) with the atom as the swept spin, reduced to
    (p', k', a', q') — Eqs. (27)–(30) as printed with q -> -q and q' -> -q' (module
    docstring).  Same arguments and shapes as :func:`collision_map`."""
    p_out, k_out, a_out, q_out = collision_map(p, k, a, -np.asarray(q), R, phi, alpha, -1)
    return p_out, k_out, a_out, -q_out


def collision_superop(R: np.ndarray, phi: np.ndarray, a: np.ndarray, q: np.ndarray,
                      stokes_sign: int = -1) -> np.ndarray:
    """The system map of one collision, Eqs. (27)–(28) with alpha = 0, as a (B, 4, 4) superoperator.

    Row-major vec(rho) = (p, k, k*, 1 - p).  Inputs broadcast to (B,).  ``stokes_sign`` as in
    :func:`collision_map` (-1: as printed).
    """
    R, phi, a = (np.atleast_1d(np.asarray(x, dtype=float)) for x in (R, phi, a))
    q = np.atleast_1d(np.asarray(q, dtype=complex))
    R, phi, a, q = np.broadcast_arrays(R, phi, a, q)
    s = np.sqrt(R * (1.0 - R))
    t = np.sqrt(1.0 - R)
    sr = np.sqrt(R)
    ep = np.exp(-1j * stokes_sign * phi)
    x, y = s * np.conj(ep * q), s * ep * q            # coefficients of k and k* in Eq. (27)
    z = t * ep * q                                     # Eq. (28): k' = sqrt(R) k - z (2p - 1)
    K = np.zeros((*R.shape, 4, 4), dtype=complex)
    K[..., 0, :] = np.stack([R + a * (1 - R), x, y, a * (1 - R)], axis=-1)
    K[..., 1, :] = np.stack([-z, sr, 0 * sr, z], axis=-1)
    K[..., 2, :] = np.stack([-np.conj(z), 0 * sr, sr, np.conj(z)], axis=-1)
    K[..., 3, :] = np.stack([(1 - R) * (1 - a), -x, -y, R + (1 - a) * (1 - R)], axis=-1)
    return K


def work_parts(eps0: np.ndarray, a: np.ndarray, a_out: np.ndarray, printed_w1: bool = False
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mechanical work on the atom in the three stages of one period (paper 003, Eqs. 31–33).

    W1 (ramp 0 -> eps0, populations a): eps0 a - eps0 (1 - a)  [Eq. 31 prints 2 eps0 a - eps0 (1 - a),
    which does not sum to Eq. 34; ``printed_w1=True`` returns the printed form].
    W2 (ramp eps0 -> 2 eps0, populations a'): eps0 a' - eps0 (1 - a')                  (Eq. 32)
    W3 (sudden switch 2 eps0 -> 0): -2 eps0 a' + 2 eps0 (1 - a')                        (Eq. 33)
    """
    eps0, a, a_out = (np.asarray(x, dtype=float) for x in (eps0, a, a_out))
    w1 = (2.0 if printed_w1 else 1.0) * eps0 * a - eps0 * (1.0 - a)
    w2 = eps0 * a_out - eps0 * (1.0 - a_out)
    w3 = -2.0 * eps0 * a_out + 2.0 * eps0 * (1.0 - a_out)
    return w1, w2, w3


def work_per_period(eps0: np.ndarray, a: np.ndarray, a_out: np.ndarray) -> np.ndarray:
    """W_mech = 2 eps0 (a - a') (paper 003, Eq. 34); negative = work extracted."""
    return 2.0 * np.asarray(eps0, dtype=float) * (np.asarray(a, dtype=float) - np.asarray(a_out))
