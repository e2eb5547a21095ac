"""Closed forms of the dissipative Landau–Zener model of paper 000 (entanglement degradation).

Notation of the paper: H_S = Delta sigma_x + v t sigma_z (Eq. 1), Omega = sqrt(v²t² + Delta²)
(Eq. 3), coupling lambda A (x) B with A = (cos theta sigma_z + sin theta sigma_x)/2 (Eq. 7),
Ohmic J(w) = w e^{-w/wc} (Eq. 13), rates gamma(w) = 2 pi J(w)(1 + n(w)) (Eq. 11) and Lamb
shifts S(w) (appendix A).  Rotated frame R = e^{i phi sigma_y} (Eq. 19) with
2 phi = atan2(Delta, v t) (Eq. 20 read continuously through t = 0), so that
R H_S R^dag = Omega sigma_z (Eq. 22): index 0 (sigma_z = +1) is the *excited* level e+.

Every function here is the paper's formula; where the paper's printed formula disagrees with
its own master equation (Eqs. 8, 29, 41–43) a second function gives the expression that
follows from the master equation, and the docstrings say which is which:

* Eq. (62) (T = 0 negativity) decays with rate lambda² pi J(2 Delta) cos² theta; the master
  equation (Eqs. 31, 39, 58) gives half of it, lambda² pi J(2 Delta) cos² theta / 2
  (:func:`negativity_t0_paper` vs :func:`negativity_t0`).  At the parameters of the paper's
  Fig. 3 (theta = 0, t - t_int = 200) this is N = 0.366 (paper) vs 0.428 (master equation).
* Eqs. (47), (49), (55) give the steady state s3 -> +a_-/a_+; Eqs. (41)–(43) (q3 = -2 a_-)
  give -a_-/a_+ (decay to the ground state, index 1).  Negativity of the maximally entangled
  state (eta = pi/4) does not depend on this sign; for eta != pi/4 it does.
* Eqs. (47), (48), (56) rotate (chi_1j, chi_2j) with e^{-2ik t}; Eq. (38) gives e^{+2ik t}
  (so the printed chi_12 = chi_21 has the wrong sign).  Negativity is unaffected.
* Eq. (41) omits the source term -2 a_- r_j in d chi_3j/dt (from L~[1] = -2 a_- sigma_z,
  Eq. 38, acting on the 1 (x) r.sigma part of Eq. 36), and Eq. (56) gives
  chi_33 = e^{-2 a_+ tau} sin 2 eta, which is not even 1 at tau = 0 (Eq. 53); the master
  equation gives chi_33 = (1 + (a_-/a_+) r_3) e^{-2 a_+ tau} - (a_-/a_+) r_3.  Both coincide
  for eta = pi/4 (r_3 = 0), the case the paper evaluates.
* Eq. (49) sets B_j = chi_j3(t_int) although chi_j = (chi_1j, chi_2j, chi_3j) (Eq. 42) makes the
  third component chi_3j: Eq. (48) at t = t_int then does not return the initial chi_3j unless
  chi is symmetric (:func:`slow_regime_general` with ``printed=True`` keeps the printed index).
* Eqs. (28), (30) put lambda²/2 sin²(theta - 2 phi)(S(w1) - S(w2)) into k(t); Eq. (14) with
  Eqs. (25)–(27) gives lambda²/8 sin²(theta - 2 phi)(S(w1) - S(w2)) (:func:`k_paper` vs the
  ``k`` of :func:`rotated_coefficients`).  Only phases depend on k.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..core.baths import Bath, bose, ohmic_bath, ohmic_exponential

__all__ = ["omega", "phi", "phidot", "rotation", "rotated_coefficients", "k_paper",
           "slow_regime_rates", "slow_regime_bloch", "bloch_to_state", "pt_eigenvalues",
           "slow_regime_negativity", "tau_ent", "xi", "negativity_t0", "negativity_t0_paper",
           "timescales_paper", "dynamic_phase", "slow_regime_general"]


def omega(t: np.ndarray, Delta: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Omega(t) = sqrt(v² t² + Delta²), Eq. (3)."""
    return np.sqrt((v * t) ** 2 + Delta**2)


def phi(t: np.ndarray, Delta: np.ndarray, v: np.ndarray) -> np.ndarray:
    """phi(t) = (1/2) arctan(Delta / (v t)), Eq. (20), taken continuously: atan2(Delta, v t)/2
    in (0, pi/2) (the printed arctan jumps by pi/2 at t = 0)."""
    return 0.5 * np.arctan2(Delta, v * t)


def phidot(t: np.ndarray, Delta: np.ndarray, v: np.ndarray) -> np.ndarray:
    """d phi/dt = -Delta v / (2 Omega²), Eq. (44)."""
    return -Delta * v / (2 * omega(t, Delta, v) ** 2)


def dynamic_phase(t: np.ndarray, t0: np.ndarray, Delta: np.ndarray, v: np.ndarray) -> np.ndarray:
    """int_{t0}^t Omega dt' = F(t) - F(t0), F = (t Omega + (Delta²/v) asinh(v t/Delta))/2."""
    def F(s: np.ndarray) -> np.ndarray:
        return 0.5 * (s * omega(s, Delta, v) + Delta**2 / v * np.arcsinh(v * s / Delta))
    return F(t) - F(t0)


def rotation(t: np.ndarray, Delta: np.ndarray, v: np.ndarray) -> np.ndarray:
    """R(t) = exp(i phi sigma_y) = cos phi + i sin phi sigma_y (Eq. 19), shape (..., 2, 2)."""
    p = np.asarray(phi(t, Delta, v), dtype=float)
    c, s = np.cos(p), np.sin(p)
    R = np.empty(p.shape + (2, 2), dtype=complex)
    R[..., 0, 0], R[..., 0, 1], R[..., 1, 0], R[..., 1, 1] = c, s, -s, c
    return R


def rotated_coefficients(t: np.ndarray, Delta: np.ndarray, v: np.ndarray, theta: np.ndarray,
                         lam: np.ndarray, wc: np.ndarray, T: np.ndarray,
                         lamb_shift: np.ndarray | bool = True, S: Callable | None = None,
                         bath: Bath | None = None) -> dict[str, np.ndarray]:
    """k, f, g, l of the rotated-frame generator, Eqs. (30)–(33), and phidot (Eq. 44).

    The Lamb-shift part of k is the one implied by Eq. (14) with Eqs. (25)–(27):
    lambda²/8 sin²(theta - 2 phi)(S(2 Omega) - S(-2 Omega)) (the printed Eq. (30) has 1/2, see
    :func:`k_paper`).  ``S``: callable S(w) for J = w e^{-w/wc} (eta = 1); default: T = 0
    closed form where T == 0, else quadrature (slow; the model tabulates instead).
    ``bath``: the Ohmic bath ``ohmic_bath(1, wc, T)`` if already built (saves its set-up).
    All arguments broadcast; the result has their common shape.
    """
    Om = omega(t, Delta, v)
    x = theta - 2 * phi(t, Delta, v)
    s2, c2 = np.sin(x) ** 2, np.cos(x) ** 2
    bath = bath if bath is not None else ohmic_bath(1.0, wc, T)
    lam2 = lam**2
    f = lam2 / 4 * s2 * bath.gamma(2 * Om)
    g = lam2 / 4 * s2 * bath.gamma(-2 * Om)
    l_ = lam2 / 4 * c2 * bath.gamma(0 * Om)
    k = Om.copy() if np.ndim(Om) else np.asarray(Om, float)
    if np.any(lamb_shift):
        Sfun = S if S is not None else bath.lamb_shift
        dS = Sfun(2 * Om) - Sfun(-2 * Om)
        k = k + np.where(lamb_shift, lam2 / 8 * s2 * dS, 0.0)
    return {"k": k, "f": f, "g": g, "l": l_, "phidot": phidot(t, Delta, v), "Omega": Om}


def k_paper(t: np.ndarray, Delta: np.ndarray, v: np.ndarray, theta: np.ndarray,
            lam: np.ndarray, S1: np.ndarray, S2: np.ndarray) -> np.ndarray:
    """k(t) as printed in Eq. (30): Omega + lambda²/2 sin²(theta - 2 phi)(S(w1) - S(w2))
    (4x the Lamb-shift term implied by Eq. (14))."""
    x = theta - 2 * phi(t, Delta, v)
    return omega(t, Delta, v) + lam**2 / 2 * np.sin(x) ** 2 * (S1 - S2)


def slow_regime_rates(Delta: np.ndarray, theta: np.ndarray, lam: np.ndarray, wc: np.ndarray,
                      T: np.ndarray, lamb_shift: bool = True, wmax: np.ndarray | None = None,
                      lamb_convention: str = "eq14") -> dict[str, np.ndarray]:
    """Constants of the slow regime v -> 0, |v t| << Delta (phi = pi/4): Eqs. (45)–(46).

    k = Delta + lambda²/8 cos² theta (S(2 Delta) - S(-2 Delta)) (Lamb term as implied by
    Eq. (14); Eq. (45) prints 1/2, used with ``lamb_convention="printed"``), f, g =
    lambda²/4 cos² theta gamma(+-2 Delta), l = lambda²/4 sin² theta gamma(0),
    a_+- = (f +- g)/2, b = a_+ + 2 l; ``wmax``: upper mode frequency of Eq. (4).
    """
    bath = None if wmax is None else ohmic_bath(1.0, wc, T, wmax=wmax)
    c = rotated_coefficients(0.0 * Delta, Delta, np.ones_like(np.asarray(Delta, float)), theta,
                             lam, wc, T, lamb_shift, bath=bath)
    if lamb_convention == "printed":
        c["k"] = Delta + 4 * (c["k"] - Delta)
    f, g, l_ = c["f"], c["g"], c["l"]
    ap, am = 0.5 * (f + g), 0.5 * (f - g)
    return {"k": c["k"], "f": f, "g": g, "l": l_, "a_plus": ap, "a_minus": am, "b": ap + 2 * l_}


def slow_regime_bloch(tau: np.ndarray, eta: np.ndarray, rates: dict[str, np.ndarray],
                      printed: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Bloch vectors s, r and correlations chi of the slow regime for the initial state of
    Eq. (52), Eqs. (54)–(56); tau = t - t_int.

    ``printed=True`` gives the formulas as printed (s3 -> +a_-/a_+, chi_12 = chi_21 =
    -e^{-b tau} sin 2k tau sin 2 eta, chi_33 = e^{-2 a_+ tau} sin 2 eta); ``False`` the solution
    of the master equation (Eqs. 35, 38): s3 -> -a_-/a_+, chi_12 = chi_21 = +e^{-b tau} sin 2k tau
    sin 2 eta, and chi_33 = (1 + (a_-/a_+) r_3) e^{-2 a_+ tau} - (a_-/a_+) r_3 (Eq. 41 omits the
    source -2 a_- r_j of d chi_3j/dt that L~[1] = -2 a_- sigma_z of Eq. (38) produces).
    Shapes: s, r (..., 3), chi (..., 3, 3) for the broadcast shape of the inputs.
    """
    k, ap, am, b = rates["k"], rates["a_plus"], rates["a_minus"], rates["b"]
    shape = np.broadcast_shapes(np.shape(tau), np.shape(eta), np.shape(k))
    ratio = np.where(ap > 0, am / np.where(ap > 0, ap, 1.0), 0.0)
    sgn = 1.0 if printed else -1.0
    c2e, s2e = np.cos(2 * eta), np.sin(2 * eta)
    s = np.zeros(shape + (3,))
    s[..., 2] = (c2e - sgn * ratio) * np.exp(-2 * ap * tau) + sgn * ratio
    r = np.zeros(shape + (3,))
    r[..., 2] = c2e
    chi = np.zeros(shape + (3, 3))
    e = np.exp(-b * tau) * s2e
    chi[..., 0, 0] = e * np.cos(2 * k * tau)
    chi[..., 1, 1] = -chi[..., 0, 0]
    chi[..., 0, 1] = chi[..., 1, 0] = -sgn * e * np.sin(2 * k * tau)
    if printed:
        chi[..., 2, 2] = np.exp(-2 * ap * tau) * s2e
    else:   # d chi_33/dt = -2 a_+ chi_33 - 2 a_- r_3, chi_33(t_int) = 1 (Eq. 53)
        chi[..., 2, 2] = (1 + ratio * c2e) * np.exp(-2 * ap * tau) - ratio * c2e
    return s, r, chi


def slow_regime_general(tau: np.ndarray, s0: np.ndarray, r0: np.ndarray, chi0: np.ndarray,
                        rates: dict[str, np.ndarray], printed: bool = False
                        ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Slow-regime solution for ANY initial pair state, Eqs. (47)–(49) with r = r(t_int)
    (Eq. 40); tau = t - t_int.

    s0, r0 (..., 3) and chi0 (..., 3, 3) are s_i, r_i, chi_ij (Eq. 37) at t_int; ``rates`` from
    :func:`slow_regime_rates` (scalars or broadcasting with the leading axes).  Returns s, r
    (..., T, 3) and chi (..., T, 3, 3) for tau of shape (T,).

    Master equation (``printed=False``; Eqs. 38, 41–43 with phidot -> 0): every column
    x = s, chi_j has (x_1 + i x_2)(tau) = e^{(-b + 2ik) tau} (x_1 + i x_2)(0);
    s_3 = (s_3 + a_-/a_+) e^{-2 a_+ tau} - a_-/a_+ and, with the source -2 a_- r_j that Eq. (41)
    drops, chi_3j = (chi_3j + (a_-/a_+) r_j) e^{-2 a_+ tau} - (a_-/a_+) r_j.
    As printed (``printed=True``): Eqs. (47), (48) with the coefficients of Eq. (49),
    A_j^+- = (x_1 -+ i x_2)/sqrt 2 multiplying e^{+-2ik tau} — the opposite sense of rotation,
    (x_1 + i x_2) -> e^{(-b - 2ik) tau} (x_1 + i x_2) —, s_3 relaxing to +a_-/a_+
    (B_0 = s_3 - a_-/a_+), and chi_3j = B_j e^{-2 a_+ tau} with B_j = chi_j3(t_int) as printed.
    (Eq. (56), the printed eta case, is not Eq. (48) at chi_33(t_int) = 1 either: it has an extra
    factor sin 2 eta, see :func:`slow_regime_bloch`.)
    """
    k, ap, am, b = (np.asarray(rates[x], float) for x in ("k", "a_plus", "a_minus", "b"))
    ratio = np.where(ap > 0, am / np.where(ap > 0, ap, 1.0), 0.0)
    tau = np.asarray(tau, float)
    s0, r0, chi0 = (np.asarray(x, float) for x in (s0, r0, chi0))
    lead = s0.shape[:-1]
    # columns [s, chi_1, chi_2, chi_3] as (..., 3, 4); rates broadcast on the leading axes
    X0 = np.concatenate([s0[..., :, None], chi0], axis=-1)
    ex = lambda a: np.asarray(a).reshape(np.shape(a) + (1,) * (len(lead) - np.ndim(a)))  # noqa: E731
    kk, bb, aa, rr = (ex(a)[..., None] for a in (k, b, ap, ratio))       # (..., 1) against tau
    sgn = -1.0 if printed else 1.0
    rot = np.exp((-bb + sgn * 2j * kk) * tau)                           # (..., T)
    z0 = X0[..., 0, :] + 1j * X0[..., 1, :]                             # (..., 4)
    z = rot[..., :, None] * z0[..., None, :]                            # (..., T, 4)
    e2 = np.exp(-2 * aa * tau)[..., :, None]                            # (..., T, 1)
    x3 = np.empty(z.shape)
    src = np.concatenate([np.ones(lead + (1,)), r0], axis=-1)[..., None, :]   # (1, r1, r2, r3)
    if printed:
        x3[..., 0] = (X0[..., 2, 0][..., None] - rr) * e2[..., 0] + rr
        x3[..., 1:] = chi0[..., None, :, 2] * e2                        # B_j = chi_j3 (Eq. 49)
    else:
        x3[...] = (X0[..., 2, :][..., None, :] + rr[..., None] * src) * e2 - rr[..., None] * src
    X = np.stack([z.real, z.imag, x3], axis=-2)                         # (..., T, 3, 4)
    s = X[..., 0]
    chi = X[..., 1:]
    r = np.broadcast_to(r0[..., None, :], s.shape).copy()
    return s, r, chi


_PAULI = np.array([[[0, 1], [1, 0]], [[0, -1j], [1j, 0]], [[1, 0], [0, -1]]], dtype=complex)


def bloch_to_state(s: np.ndarray, r: np.ndarray, chi: np.ndarray) -> np.ndarray:
    """rho = (1/4)(1 + s.sigma (x) 1 + 1 (x) r.sigma + sum chi_ij sigma_i (x) sigma_j), Eq. (36);
    (..., 3), (..., 3), (..., 3, 3) -> (..., 4, 4)."""
    one = np.eye(2)
    rho = np.kron(one, one) + np.einsum("...i,iab->...ab", s, np.kron(_PAULI, one)[...])
    rho = rho + np.einsum("...i,iab->...ab", r, np.stack([np.kron(one, p) for p in _PAULI]))
    rho = rho + np.einsum("...ij,ijab->...ab", chi,
                          np.stack([np.stack([np.kron(p, q) for q in _PAULI]) for p in _PAULI]))
    return rho / 4


def pt_eigenvalues(s3: np.ndarray, r3: np.ndarray, chi: np.ndarray) -> np.ndarray:
    """mu_1..4 of the partial transpose of the X state, Eq. (58), shape (..., 4)."""
    c11, c12, c33 = chi[..., 0, 0], chi[..., 0, 1], chi[..., 2, 2]
    root = np.sqrt(4 * (c11**2 + c12**2) + (s3 - r3) ** 2)
    return 0.25 * np.stack([1 - c33 + root, 1 - c33 - root,
                            1 + c33 + np.abs(s3 + r3), 1 + c33 - np.abs(s3 + r3)], axis=-1)


def slow_regime_negativity(tau: np.ndarray, eta: np.ndarray, rates: dict[str, np.ndarray],
                           printed: bool = False) -> np.ndarray:
    """Negativity of Eq. (51) from the eigenvalues of Eq. (58) (sum of |negative mu_i|;
    equal to |mu_2| of Eq. (59) when eta = pi/4 and mu_2 < 0)."""
    s, r, chi = slow_regime_bloch(tau, eta, rates, printed)
    mu = pt_eigenvalues(s[..., 2], r[..., 2], chi)
    return np.sum(np.maximum(-mu, 0.0), axis=-1)


def xi(T: np.ndarray, Delta: np.ndarray) -> np.ndarray:
    """xi = (3 - l² - 2 sqrt(2 - l²)) / (1 - l²), l = 1/(2 n(2 Delta) + 1), Eq. (61).
    Written as xi = (1 - l²) / (3 - l² + 2 sqrt(2 - l²)) (same value, no 0/0 at T = 0)."""
    ell = np.where(np.asarray(T) > 0, 1.0 / (2 * bose(2 * Delta, T) + 1), 1.0)
    return (1 - ell**2) / (3 - ell**2 + 2 * np.sqrt(2 - ell**2))


def tau_ent(T: np.ndarray, Delta: np.ndarray, lam: np.ndarray, wc: np.ndarray) -> np.ndarray:
    """Entanglement survival time tau_ent = -ln(xi) / (2 b) for theta = 0, Eq. (60);
    b = a_+ = lambda²/8 (gamma(2 Delta) + gamma(-2 Delta)) (Eq. 46). Infinite at T = 0."""
    J = ohmic_exponential(2 * Delta, 1.0, wc)
    n = np.where(np.asarray(T) > 0, bose(2 * Delta, np.where(np.asarray(T) > 0, T, 1.0)), 0.0)
    b = lam**2 / 8 * 2 * np.pi * J * (2 * n + 1)
    x = xi(T, Delta)
    with np.errstate(divide="ignore"):
        return -np.log(x) / (2 * b)


def negativity_t0_paper(tau: np.ndarray, Delta: np.ndarray, theta: np.ndarray, lam: np.ndarray,
                        wc: np.ndarray) -> np.ndarray:
    """Eq. (62) as printed: N = (1/2) exp(-tau lambda² pi J(2 Delta) cos² theta), T = 0."""
    return 0.5 * np.exp(-tau * lam**2 * np.pi * ohmic_exponential(2 * Delta, 1.0, wc)
                        * np.cos(theta) ** 2)


def negativity_t0(tau: np.ndarray, Delta: np.ndarray, theta: np.ndarray, lam: np.ndarray,
                  wc: np.ndarray) -> np.ndarray:
    """T = 0 slow-regime negativity implied by the master equation (Eqs. 31, 39, 55–59):
    N = (1/2) e^{-f tau}, f = lambda²/4 cos² theta 2 pi J(2 Delta) — half the rate of Eq. (62)."""
    return 0.5 * np.exp(-tau * lam**2 * np.pi * ohmic_exponential(2 * Delta, 1.0, wc)
                        * np.cos(theta) ** 2 / 2)


def timescales_paper(t: np.ndarray, Delta: np.ndarray, v: np.ndarray, wc: np.ndarray,
                     T: np.ndarray) -> dict[str, np.ndarray]:
    """tau_S, tau_R, tau_A as printed in Eqs. (16)–(18) (tau_R without lambda², |t| in Eq. 18)."""
    Om = omega(t, Delta, v)
    w1 = 2 * Om
    n = np.where(np.asarray(T) > 0, bose(w1, np.where(np.asarray(T) > 0, T, 1.0)), 0.0)
    tau_R = 1.0 / (2 * np.pi * ohmic_exponential(w1, 1.0, wc) * (n + 1))
    at = np.abs(t)
    with np.errstate(divide="ignore"):
        tau_A = np.where(at <= Delta / v, 2 * Om**2 / (v * Delta), Om**2 / (v**2 * at))
    return {"tau_S": 1 / (2 * Om), "tau_R": tau_R, "tau_A": tau_A}
