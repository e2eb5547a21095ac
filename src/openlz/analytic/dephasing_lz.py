"""Closed forms of paper 001: Landau–Zener transitions under a dephasing Lindbladian.

Paper 001 (Avron, Fraas, Graf, Kenneth, "Landau-Zener tunneling for dephasing Lindblad
evolutions"), in the paper's units and time variable ``s`` (``eps d rho/ds = L_s rho``):

* ``lz_hamiltonian``: H_s = (1/2)[[s, g], [g, -s]] = e_s (P+_s - P-_s), e_s = sqrt(s^2+g^2)/2
  (Eq. 3.5).  In the library basis (index 0 = sigma_z = +1) this is (s sz + g sx)/2.
* ``landau_zener``: p_LZ = exp(-pi g^2 / (2 eps)) (Eq. 1.2).
* ``fubini_study_rate``: tr(P- (dP+/ds)^2 P-) = g^2 / (64 e^4) (Eq. 1.4).
* ``incoherent_part`` / ``formula``: Eq. (1.5) without its O(gamma eps^2) remainder,
  p = exp(-pi g^2/2eps) + eps int gamma/(1+gamma^2) tr(P-(P+')^2 P-)/e ds; for constant gamma the
  integral is 2 gamma / (3 g^2 (1+gamma^2)) (int (s^2+g^2)^(-5/2) ds = 4/(3 g^4)).
* ``finite_interval_incoherent``: Eq. (1.3) on a window [-S, S] (the O(eps) incoherent part
  on a finite interval; closed form for constant gamma).
* n levels (Sec. 4 for the spin-j Landau–Zener Hamiltonian H_s = s J_z + g J_x, levels m r_s,
  r_s = sqrt(s^2+g^2), with Lemma 1's dephasing sqrt(gamma) sqrt(H)): ``majorana_probability``
  (coherent transitions, |d^j_{m'm}(beta)|^2 with sin^2(beta/2) = p_LZ; Majorana 1932) and
  ``spin_incoherent_part`` (the O(eps) term of Sec. 4's formula); n = 2 reduces to Eq. (1.5).
* ``e_operator`` (Eq. 3.9), ``dprojection`` (Eq. 3.10), ``inverse_on_e`` (Eq. 3.11),
  ``first_order_correction`` a^±_{s,s'} (Eq. 3.7), its dual ``dual_first_order_correction``
  (Eq. 3.8) and ``lemma2_state`` P± + eps a± (Eq. 3.6).

Lindblad convention: the paper's L = -i[H,.] - (gamma/2)[sqrt H,[sqrt H,.]] (Eqs. 3.1-3.3) is the
library's form with one jump operator L = sqrt(gamma) sqrt(H), sqrt(H) = sgn(H) sqrt|H|.

Observation (openlz, not in the paper): for constant gamma the remainder of Eq. (1.5) is, to
leading order, the saturation of the incoherent part, R = -p_inc^2 + O(eps^3) (the slow
population relaxes as (1 - exp(-2 p_inc))/2 rather than linearly); see ``saturated_formula``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = ["lz_hamiltonian", "gap", "angle_rate", "dynamical_phase", "landau_zener",
           "fubini_study_rate", "incoherent_integrand", "incoherent_part", "formula",
           "saturated_formula", "eigenprojections", "e_operator", "dprojection", "inverse_on_e",
           "first_order_correction", "dual_first_order_correction", "lemma2_state",
           "finite_interval_incoherent", "wigner_small_d", "majorana_probability",
           "spin_incoherent_part", "spin_sigma", "GammaLike"]

GammaLike = float | np.ndarray | Callable[[np.ndarray], np.ndarray]


def lz_hamiltonian(s: np.ndarray, g: float | np.ndarray) -> np.ndarray:
    """H_s = (1/2)[[s, g], [g, -s]] (paper 001, Eq. 3.5); shape (..., 2, 2) for s, g broadcast."""
    s, g = np.broadcast_arrays(np.asarray(s, float), np.asarray(g, float))
    h = np.empty((*s.shape, 2, 2), dtype=complex)
    h[..., 0, 0], h[..., 1, 1] = 0.5 * s, -0.5 * s
    h[..., 0, 1] = h[..., 1, 0] = 0.5 * g
    return h


def gap(s: np.ndarray, g: float | np.ndarray) -> np.ndarray:
    """e_s = sqrt(s^2 + g^2)/2, the eigenvalues are ±e_s (Eq. 3.5)."""
    return 0.5 * np.hypot(s, g)


def angle_rate(s: np.ndarray, g: float | np.ndarray) -> np.ndarray:
    """d theta/ds = -g/(s^2+g^2) for H = e (cos theta sz + sin theta sx), theta = atan2(g, s).

    |theta'|/2 is the Fubini–Study speed of P+: (theta'/2)^2 = tr(P-(P+')^2 P-) = g^2/(64 e^4)
    (Eq. 1.4, ``fubini_study_rate``).
    """
    return -np.asarray(g) / (np.asarray(s) ** 2 + np.asarray(g) ** 2)


def dynamical_phase(s: np.ndarray, g: float | np.ndarray) -> np.ndarray:
    """Phi(s) = int_0^s 2 e_t dt = (s sqrt(s^2+g^2) + g^2 asinh(s/g))/2 (gap times time)."""
    s = np.asarray(s, float)
    r = np.hypot(s, g)
    return 0.5 * (s * r + np.asarray(g) ** 2 * np.arcsinh(s / np.asarray(g)))


def landau_zener(g: float | np.ndarray, eps: float | np.ndarray) -> np.ndarray:
    """p_LZ = exp(-pi g^2 / (2 eps)) (paper 001, Eq. 1.2)."""
    return np.exp(-np.pi * np.asarray(g) ** 2 / (2.0 * np.asarray(eps)))


def fubini_study_rate(s: np.ndarray, g: float | np.ndarray) -> np.ndarray:
    """tr(P-_s (dP+_s/ds)^2 P-_s) = g^2 / (64 e_s^4) (paper 001, Eq. 1.4)."""
    return np.asarray(g) ** 2 / (64.0 * gap(s, g) ** 4)


def _gamma_at(gamma: GammaLike, s: np.ndarray) -> np.ndarray:
    return np.asarray(gamma(s), float) if callable(gamma) else np.asarray(gamma, float)


def incoherent_integrand(s: np.ndarray, g: float | np.ndarray, gamma: GammaLike) -> np.ndarray:
    """gamma_s/(1+gamma_s^2) tr(P-(P+')^2P-)/e_s, the integrand of Eq. (1.3)/(1.5)."""
    gs = _gamma_at(gamma, s)
    return gs / (1.0 + gs ** 2) * fubini_study_rate(s, g) / gap(s, g)


def incoherent_part(eps: float | np.ndarray, g: float | np.ndarray, gamma: GammaLike,
                    nodes: int = 400) -> np.ndarray:
    """eps int_R gamma/(1+gamma^2) tr(P-(P+')^2P-)/e ds (the O(eps) term of Eq. 1.5).

    Constant gamma (number or array broadcasting with eps, g): closed form
    2 eps gamma / (3 g^2 (1 + gamma^2)).  Callable gamma(s) (vectorised, s of any shape):
    Gauss–Legendre quadrature in s = g tan(pi x/2), where the integrand is smooth (~cos^3).
    """
    return spin_incoherent_part(eps, g, gamma, 2, 0, 1, None, nodes)


def finite_interval_incoherent(eps: float | np.ndarray, g: float | np.ndarray, gamma: GammaLike,
                               s_max: float | np.ndarray, nodes: int = 400) -> np.ndarray:
    """Eq. (1.3) on [-s_max, s_max]: eps int gamma/(1+gamma^2) tr(P-(P+')^2P-)/e ds + O(eps^2).

    Constant gamma: eps gamma/(1+gamma^2) S (2S^2+3g^2) / (3 g^2 (S^2+g^2)^(3/2)) (from
    int_{-S}^{S} (s^2+g^2)^(-5/2) ds = 2S(2S^2+3g^2)/(3g^4(S^2+g^2)^(3/2))); tends to the O(eps)
    term of Eq. (1.5) as S -> inf.  Callable gamma: quadrature.
    """
    return spin_incoherent_part(eps, g, gamma, 2, 0, 1, s_max, nodes)


def spin_sigma(n: int) -> np.ndarray:
    """sigma(m) = sgn(m) sqrt|m|, m = -j .. j ascending (sqrt(H) = sqrt(r) R sigma(J_z) R^dag)."""
    m = np.arange(n) - (n - 1) / 2
    return np.sign(m) * np.sqrt(np.abs(m))


def spin_incoherent_part(eps: float | np.ndarray, g: float | np.ndarray, gamma: GammaLike,
                         n: int, initial: int, final: int, s_max: float | np.ndarray | None = None,
                         nodes: int = 400) -> np.ndarray:
    """O(eps) incoherent term of paper 001's Sec. 4 formula for the spin-j LZ model, levels
    ``initial`` -> ``final`` (ascending energy, m = k - j), on [-s_max, s_max] (None: R)::

        eps int tr(P_i (P_f')^2 P_i) 2 Re(-1/lambda_fi) ds,
        tr(P_i (P_f')^2 P_i) = g^2 (j(j+1) - m(m+1)) / (4 r^4)   (adjacent, m = min(m_i, m_f)),
        2 Re(-1/lambda_fi) = gamma D / (r (1 + gamma^2 D^2/4)),  D = (sigma_f - sigma_i)^2,

    and 0 for non-adjacent levels (<m'|J_z|m> = 0 in the rotated basis).  For n = 2 (D = 2,
    factor 1/4) this is Eq. (1.5)'s (R) or Eq. (1.3)'s (window) incoherent term.  Constant
    gamma: closed form with g^2 int r^-5 ds = 4/(3 g^2) on R and
    2S(2S^2+3g^2)/(3 g^2 (S^2+g^2)^(3/2)) on [-S, S]; callable gamma(s): Gauss–Legendre in
    s = g tan(x) (r^-5 ds = g^-4 cos^3 x dx, smooth).
    """
    eps, g = np.asarray(eps, float), np.asarray(g, float)
    if abs(final - initial) != 1:
        return np.zeros(np.broadcast_shapes(eps.shape, g.shape,
                                            np.shape(gamma) if not callable(gamma) else ()))
    j = (n - 1) / 2
    m = min(initial, final) - j
    fs = (j * (j + 1) - m * (m + 1)) / 4.0
    sig = spin_sigma(n)
    d = (sig[final] - sig[initial]) ** 2
    if not callable(gamma):
        gm = np.asarray(gamma, float)
        if s_max is None:
            integral = 4.0 / (3.0 * g ** 2)
        else:
            S = np.asarray(s_max, float)
            integral = 2 * S * (2 * S ** 2 + 3 * g ** 2) / (3 * g ** 2 * (S ** 2 + g ** 2) ** 1.5)
        return eps * fs * gm * d / (1.0 + (gm * d / 2) ** 2) * integral
    xg, w = np.polynomial.legendre.leggauss(nodes)
    shape = np.broadcast_shapes(eps.shape, g.shape, np.shape(s_max) if s_max is not None else ())
    gg = np.broadcast_to(g, shape)[..., None]
    top = np.arctan(np.broadcast_to(np.asarray(s_max, float), shape)[..., None] / gg) \
        if s_max is not None else np.full(gg.shape, 0.5 * np.pi)
    x = top * xg
    s = gg * np.tan(x)
    gs = _gamma_at(gamma, s)
    vals = gs * d / (1.0 + (gs * d / 2) ** 2) * np.cos(x) ** 3 / gg ** 2
    return eps * fs * np.sum(vals * top * w, axis=-1)


def wigner_small_d(j: float, mp: float, m: float, beta: np.ndarray) -> np.ndarray:
    """Wigner's d^j_{m'm}(beta) = <j m'| exp(-i beta J_y) |j m> (Wigner's sum formula)."""
    from math import factorial

    beta = np.asarray(beta, float)
    c, s = np.cos(beta / 2), np.sin(beta / 2)
    jpm, jmm, jpmp, jmmp = (int(round(x)) for x in (j + m, j - m, j + mp, j - mp))
    pref = np.sqrt(factorial(jpm) * factorial(jmm) * factorial(jpmp) * factorial(jmmp))
    out = np.zeros_like(beta)
    for k in range(max(0, int(round(m - mp))), min(jpm, jmmp) + 1):
        den = factorial(jpm - k) * factorial(k) * factorial(jmmp - k) * factorial(int(round(mp - m)) + k)
        out = out + (-1) ** (int(round(mp - m)) + k) * c ** (2 * j + m - mp - 2 * k) \
            * s ** (mp - m + 2 * k) / den
    return pref * out


def majorana_probability(p: np.ndarray, n: int, initial: int, final: int) -> np.ndarray:
    """Coherent transition probability of the spin-j LZ sweep between adiabatic levels
    (ascending, m = k - j), given the two-level probability p (Majorana 1932): the evolution is
    the spin-j image of the spin-1/2 one, so P(m -> m') = |d^j_{m'm}(beta)|^2 with
    sin^2(beta/2) = p.  Exact for any window (p of the same window) and for s -> inf
    (p = exp(-pi g^2/2eps), Eq. 1.2).  Shape of p."""
    j = (n - 1) / 2
    beta = 2 * np.arcsin(np.sqrt(np.clip(np.asarray(p, float), 0.0, 1.0)))
    return wigner_small_d(j, final - j, initial - j, beta) ** 2


def formula(eps: float | np.ndarray, g: float | np.ndarray, gamma: GammaLike) -> np.ndarray:
    """Eq. (1.5) without the remainder: exp(-pi g^2/2eps) + incoherent_part (Theorem 3)."""
    return landau_zener(g, eps) + incoherent_part(eps, g, gamma)


def saturated_formula(eps: float | np.ndarray, g: float | np.ndarray,
                      gamma: GammaLike) -> np.ndarray:
    """openlz refinement: exp(-pi g^2/2eps) + (1 - exp(-2 p_inc))/2, p_inc = incoherent_part.

    Not in paper 001.  On the slow (superadiabatic) manifold the population difference decays
    as exp(int r), so the incoherent transitions saturate; this captures R = -p_inc^2 + O(eps^3).
    """
    return landau_zener(g, eps) - 0.5 * np.expm1(-2.0 * incoherent_part(eps, g, gamma))


# --------------------------------------------------------------------- Lemma 2 objects
def eigenprojections(s: np.ndarray, g: float | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(P+_s, P-_s) of H_s, each (..., 2, 2): P± = (1 ± H/e)/2."""
    h = lz_hamiltonian(s, g)
    e = gap(s, g)[..., None, None]
    eye = np.eye(2)
    return 0.5 * (eye + h / e), 0.5 * (eye - h / e)


def e_operator(s: np.ndarray, g: float | np.ndarray) -> np.ndarray:
    """E_s = (1/(4 e_s)) [[g, -s - 2e_s], [-s + 2e_s, -g]] (paper 001, Eq. 3.9), (..., 2, 2).

    A real choice of the transition operator |psi+><psi-| (E E* = P+, E* E = P-, E^2 = 0).
    """
    s, g = np.broadcast_arrays(np.asarray(s, float), np.asarray(g, float))
    e = gap(s, g)
    out = np.empty((*s.shape, 2, 2), dtype=complex)
    out[..., 0, 0], out[..., 0, 1] = g, -s - 2 * e
    out[..., 1, 0], out[..., 1, 1] = -s + 2 * e, -g
    return out / (4 * e)[..., None, None]


def dprojection(s: np.ndarray, g: float | np.ndarray, sign: int = +1) -> np.ndarray:
    """dP±_s/ds = ± g/(8 e_s^2) (E_s + E_s*) (paper 001, Eq. 3.10), (..., 2, 2)."""
    e_op = e_operator(s, g)
    return sign * (np.asarray(g) / (8 * gap(s, g) ** 2))[..., None, None] * (
        e_op + np.conj(np.swapaxes(e_op, -1, -2)))


def inverse_on_e(s: np.ndarray, g: float | np.ndarray, gamma: np.ndarray) -> np.ndarray:
    """L_s^{-1} E_s = E_s / (2(-i - gamma_s) e_s) (paper 001, Eq. 3.11), (..., 2, 2)."""
    return e_operator(s, g) / (2 * (-1j - np.asarray(gamma)) * gap(s, g))[..., None, None]


def first_order_correction(s: float, s0: float, g: float, gamma: GammaLike,
                           sign: int = -1) -> np.ndarray:
    """a^±_{s,s'} of paper 001, Eq. (3.7), for scalar s >= s' (2, 2)::

        a± = ± g((i - gamma_s) E_s + h.c.) / (16 (1+gamma_s^2) e_s^3)
             ± g^2 (P-_s - P+_s)/64 int_{s'}^{s} gamma_t / ((1+gamma_t^2) e_t^5) dt

    ``sign=-1`` is the ground-state family used for the transition probability.
    """
    from scipy.integrate import quad

    gs = float(_gamma_at(gamma, np.asarray(s)))
    e = float(gap(s, g))
    e_op = e_operator(s, g)
    first = g * ((1j - gs) * e_op + np.conj(((1j - gs) * e_op).T)) / (16 * (1 + gs ** 2) * e ** 3)

    def integrand(t: float) -> float:
        gt = float(_gamma_at(gamma, np.asarray(t)))
        return gt / ((1 + gt ** 2) * float(gap(t, g)) ** 5)

    integral = quad(integrand, s0, s, epsabs=1e-14, epsrel=1e-12, limit=200)[0] if s > s0 else 0.0
    pp, pm = eigenprojections(s, g)
    return sign * (first + g ** 2 * (pm - pp) / 64.0 * integral)


def dual_first_order_correction(t: float, t0: float, g: float, gamma: GammaLike,
                                sign: int = +1) -> np.ndarray:
    """a-hat^±_{-s',-s} of paper 001, Eq. (3.8): Lemma 2 for the dual evolution
    eps dV/dt = L*_{-t} V (Eq. 3.20), with the running variable t (= the paper's s) >= t0::

        a-hat± = -± g((i - gamma_{-t}) E*_{-t} + h.c.) / (16 (1+gamma_{-t}^2) e_{-t}^3)
                 ± g^2 (P-_{-t} - P+_{-t})/64 int_{t0}^{t} gamma_{-u}/((1+gamma_{-u}^2) e_{-u}^5) du

    (2, 2).  Equals Theorem 2's a_{t,t0} for L*_{-t} and the family P±_{-t} (tests).
    """
    from scipy.integrate import quad

    gs = float(_gamma_at(gamma, np.asarray(-t)))
    e = float(gap(-t, g))
    ed = np.conj(e_operator(-t, g).T)
    first = g * ((1j - gs) * ed + np.conj(((1j - gs) * ed).T)) / (16 * (1 + gs ** 2) * e ** 3)

    def integrand(u: float) -> float:
        gu = float(_gamma_at(gamma, np.asarray(-u)))
        return gu / ((1 + gu ** 2) * float(gap(-u, g)) ** 5)

    integral = quad(integrand, t0, t, epsabs=1e-14, epsrel=1e-12, limit=200)[0] if t > t0 else 0.0
    pp, pm = eigenprojections(-t, g)
    return sign * (-first + g ** 2 * (pm - pp) / 64.0 * integral)


def lemma2_state(s: float, s0: float, g: float, eps: float, gamma: GammaLike,
                 sign: int = -1) -> np.ndarray:
    """rho±(s) = P±_s + eps a±_{s,s'} (paper 001, Eq. 3.6 without the eps^2 remainder), (2, 2)."""
    pp, pm = eigenprojections(s, g)
    return (pp if sign > 0 else pm) + eps * first_order_correction(s, s0, g, gamma, sign)
