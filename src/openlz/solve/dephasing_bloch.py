"""Two-level dephasing dynamics in the adiabatic frame: Bloch propagators and superadiabatic tails.

A two-level Hamiltonian with real matrix elements, ``H_s = e_s (cos th_s sz + sin th_s sx)``,
under the dephasing Lindbladian of paper 001, Lemma 1 (Eqs. 3.1-3.3),

    eps d rho/ds = -i[H_s, rho] - (gamma_s / 2) [sqrt H_s, [sqrt H_s, rho]],

(library convention: jump operator ``L = sqrt(gamma_s) sqrt(H_s)``, docs/design.md) is written for
the Bloch vector in the instantaneous eigenbasis (adiabatic frame): ``u = tr(rho (P+ - P-))``,
``z = v + i w`` the coherence, and ``q = (1 + u)/2`` the upper-band population.  With
``omega = 2 e_s / eps`` and ``d = gamma_s omega``,

    q' = th' v / 2,     z' = (i omega - d) z - th' (2q - 1),                         (*)

so the only coupling between populations and coherences is the geometric rate ``th'``.  The
population ``q`` is integrated directly (never as ``(1 + u)/2``), so transition probabilities
far below 1e-16 keep their relative accuracy.

Numerics.  (*) is affine and real in ``x = (1, q, v, w)``; its propagator on a step is
``exp(Omega)`` with the sixth-order Magnus expansion of Blanes, Casas & Ros (BIT 40, 434, 2000)
on three Gauss points.  The large part of the generator (rotation + dephasing of ``z``)
commutes with itself at different ``s``, so Magnus stays accurate with steps of a fraction of a
radian of the fast phase.  All steps of all batch members are exponentiated at once and
multiplied by a pairwise tree (``log2 N`` batched matmuls): no Python loop over steps.

Tails ``|s| > S``.  Far from the crossing the dynamics splits into a slow mode (the
superadiabatic state, coherence slaved to the population, ``z = Z u``) and two fast modes
(free coherences, ``u = V z``).  ``Z``, ``V`` are computed to high order in ``eps / e^2`` by
iterating the invariance equations in truncated Taylor arithmetic (jets); this is the
superadiabatic expansion (Berry, Proc. R. Soc. A 429, 61 (1990)) extended to dephasing.  It
gives the state at ``-S`` reached from the ground state at ``s = -inf`` and the limit
``s -> inf`` of the population from the state at ``+S`` (see :func:`limit_population`).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = ["Jet", "bloch_generator", "magnus6_exponents", "magnus6_propagators", "expm_taylor",
           "chain_product", "window_propagator", "window_propagator_generic", "slow_fast_modes",
           "tail_rate_integral", "manifold_state", "limit_population"]

RateFn = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray, np.ndarray]]


# --------------------------------------------------------------------------- generators
def bloch_generator(omega: np.ndarray, damp: np.ndarray, thdot: np.ndarray) -> np.ndarray:
    """Generator of (*) acting on ``x = (1, q, v, w)``; inputs (...,) -> output (..., 4, 4)."""
    out = np.zeros((*np.shape(omega), 4, 4), dtype=np.result_type(omega, damp, thdot, float))
    out[..., 1, 2] = 0.5 * thdot
    out[..., 2, 0] = thdot
    out[..., 2, 1] = -2.0 * thdot
    out[..., 2, 2] = -damp
    out[..., 2, 3] = -omega
    out[..., 3, 2] = omega
    out[..., 3, 3] = -damp
    return out


def _comm(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return a @ b - b @ a




def magnus6_exponents(generator: Callable[[np.ndarray], np.ndarray],
                      nodes: np.ndarray) -> np.ndarray:
    """Sixth-order Magnus exponents of x' = A(s) x on each step ``[nodes[..., k], nodes[..., k+1]]``.

    generator : ``s (B, M) -> A(s)`` of shape (B, M, d, d).
    nodes : step boundaries, shape (B, N+1), increasing along the last axis.
    Returns ``Omega`` of shape (B, N, d, d) (Blanes-Casas-Ros 2000, Eq. 4.6 of their paper).
    """
    s0, h = nodes[:, :-1], np.diff(nodes, axis=-1)
    r15 = np.sqrt(nodes.dtype.type(15))  # constants in the working precision
    a = []
    for c in (0.5 - r15 / 10, nodes.dtype.type(0.5), 0.5 + r15 / 10):  # Gauss-Legendre nodes
        a.append(generator(s0 + c * h))
    hh = h[..., None, None]
    a1 = hh * a[1]
    a2 = (r15 / 3) * hh * (a[2] - a[0])
    a3 = (nodes.dtype.type(10) / 3) * hh * (a[2] - 2 * a[1] + a[0])
    c1 = _comm(a1, a2)
    c2 = -_comm(a1, 2 * a3 + c1) / 60
    return a1 + a3 / 12 + _comm(-20 * a1 - a3 + c1, a2 + c2) / 240


def magnus6_propagators(rates: RateFn, nodes: np.ndarray) -> np.ndarray:
    """Sixth-order Magnus exponents of (*): ``rates`` ``s (B, M) -> (omega, damp, thdot)`` each
    (B, M), nodes (B, N+1) -> (B, N, 4, 4)."""
    return magnus6_exponents(lambda s: bloch_generator(*rates(s)), nodes)


def expm_taylor(om: np.ndarray, degree: int = 14, target: float = 0.25) -> np.ndarray:
    """Batched matrix exponential by scaling-and-squaring of a Taylor polynomial.

    om : (..., n, n).  Each matrix is scaled by ``2**-j`` so that its inf-norm is <= ``target``;
    with the default degree the truncation error is below 1e-20 relative.  Squarings are applied
    per matrix (masked), so one stiff step does not cost accuracy elsewhere.
    """
    norm = np.abs(om).sum(axis=-1).max(axis=-1)
    j = np.maximum(0, np.ceil(np.log2(np.maximum(norm, 1e-300) / target))).astype(int)
    x = om * (0.5 ** j)[..., None, None]
    eye = np.broadcast_to(np.eye(om.shape[-1], dtype=om.dtype), om.shape)
    out = eye + x / degree
    for k in range(degree - 1, 0, -1):
        out = eye + (x @ out) / k
    for level in range(int(j.max(initial=0))):
        sq = out @ out
        out = np.where((j > level)[..., None, None], sq, out)
    return out


def chain_product(mats: np.ndarray) -> np.ndarray:
    """Ordered product ``M[N-1] @ ... @ M[0]`` along axis -3: (B, N, n, n) -> (B, n, n)."""
    m = mats
    while m.shape[-3] > 1:
        if m.shape[-3] % 2:
            eye = np.broadcast_to(np.eye(m.shape[-1], dtype=m.dtype),
                                  (*m.shape[:-3], 1, *m.shape[-2:]))
            m = np.concatenate([m, eye], axis=-3)
        m = m[..., 1::2, :, :] @ m[..., 0::2, :, :]
    return m[..., 0, :, :]


def window_propagator_generic(generator: Callable[[np.ndarray], np.ndarray], nodes: np.ndarray,
                              dim: int, chunk: int | None = None,
                              precision: str = "double") -> np.ndarray:
    """Propagator of x' = A(s) x from ``nodes[:, 0]`` to ``nodes[:, -1]``: (B, N+1) -> (B, d, d).

    generator : ``s (B, M) -> A(s)`` (B, M, d, d), evaluated in the working precision.
    The steps are processed in chunks of ``chunk`` steps (default ``2**16 // (B d^2)``:
    cache-sized work arrays of ~0.5 MB); within a chunk the step propagators of all B points
    are computed and multiplied as one batch.  ``precision="extended"`` does all of it in
    ``np.longdouble`` (80-bit on x86-64 Linux, ~5x slower).  Returned as float64.
    """
    dtype = {"double": np.float64, "extended": np.longdouble}[precision]
    nodes = np.asarray(nodes, dtype=dtype)
    total = np.broadcast_to(np.eye(dim, dtype=dtype), (nodes.shape[0], dim, dim)).copy()
    n = nodes.shape[1] - 1
    chunk = chunk or max(16, 2 ** 16 // (nodes.shape[0] * dim * dim))
    for k0 in range(0, n, chunk):
        sub = nodes[:, k0:min(n, k0 + chunk) + 1]
        total = chain_product(expm_taylor(magnus6_exponents(generator, sub))) @ total
    return total.astype(np.float64)


def window_propagator(rates: RateFn, nodes: np.ndarray, chunk: int | None = None,
                      precision: str = "double") -> np.ndarray:
    """Propagator of (*) from ``nodes[:, 0]`` to ``nodes[:, -1]``: (B, N+1) -> (B, 4, 4).

    ``precision="extended"``: rounding accumulated over the ~Phi/eps radians of the sweep then
    drops from ~1e-18 to ~1e-21 absolute in q, which matters only for transition probabilities
    below ~1e-8 (see :func:`window_propagator_generic`).
    """
    return window_propagator_generic(lambda s: bloch_generator(*rates(s)), nodes, 4, chunk,
                                     precision)


# --------------------------------------------------------------------------- jets
class Jet:
    """Truncated Taylor series ``f(s0 + t) = sum_k c[..., k] t^k`` (batched, real or complex).

    Just enough arithmetic for the invariance equations of the tails: +, -, *, /, sqrt,
    derivative (which drops the top coefficient: track the order you can trust).
    """

    def __init__(self, c: np.ndarray):
        self.c = np.asarray(c)

    @classmethod
    def variable(cls, s0: np.ndarray, order: int) -> Jet:
        c = np.zeros((*np.shape(s0), order + 1))
        c[..., 0] = s0
        c[..., 1] = 1.0
        return cls(c)

    @classmethod
    def const(cls, value: np.ndarray, like: Jet) -> Jet:
        c = np.zeros(np.broadcast_shapes(np.shape(value) + (1,), like.c.shape),
                     dtype=np.result_type(value, like.c))
        c[..., 0] = value
        return cls(c)

    def _coerce(self, o: Jet | complex | float | np.ndarray) -> Jet:
        return o if isinstance(o, Jet) else Jet.const(np.asarray(o), self)

    def __add__(self, o):  # noqa: ANN001, ANN204
        return Jet(self.c + self._coerce(o).c)

    __radd__ = __add__

    def __neg__(self) -> Jet:
        return Jet(-self.c)

    def __sub__(self, o):  # noqa: ANN001, ANN204
        return Jet(self.c - self._coerce(o).c)

    def __rsub__(self, o):  # noqa: ANN001, ANN204
        return Jet(self._coerce(o).c - self.c)

    def __mul__(self, o):  # noqa: ANN001, ANN204
        if not isinstance(o, Jet):
            return Jet(self.c * np.asarray(o)[..., None])
        a, b = np.broadcast_arrays(self.c, o.c)
        k = a.shape[-1]
        out = np.zeros(a.shape, dtype=np.result_type(a, b))
        for i in range(k):
            out[..., i:] += a[..., i:i + 1] * b[..., :k - i]
        return Jet(out)

    __rmul__ = __mul__

    def reciprocal(self) -> Jet:
        a = self.c
        b = np.zeros_like(a, dtype=np.result_type(a, float))
        b[..., 0] = 1.0 / a[..., 0]
        for k in range(1, a.shape[-1]):
            b[..., k] = -np.sum(a[..., 1:k + 1] * b[..., k - 1::-1][..., :k], axis=-1) * b[..., 0]
        return Jet(b)

    def __truediv__(self, o):  # noqa: ANN001, ANN204
        if not isinstance(o, Jet):
            return Jet(self.c / np.asarray(o)[..., None])
        return self * o.reciprocal()

    def __rtruediv__(self, o):  # noqa: ANN001, ANN204
        return self._coerce(o) * self.reciprocal()

    def sqrt(self) -> Jet:
        a = self.c
        b = np.zeros_like(a, dtype=np.result_type(a, float))
        b[..., 0] = np.sqrt(a[..., 0])
        for k in range(1, a.shape[-1]):
            cross = np.sum(b[..., 1:k] * b[..., k - 1:0:-1], axis=-1) if k > 1 else 0.0
            b[..., k] = (a[..., k] - cross) / (2.0 * b[..., 0])
        return Jet(b)

    def deriv(self) -> Jet:
        k = self.c.shape[-1]
        out = np.zeros_like(self.c)
        out[..., :-1] = self.c[..., 1:] * np.arange(1, k)
        return Jet(out)

    @property
    def real(self) -> Jet:
        return Jet(self.c.real)

    def conj(self) -> Jet:
        return Jet(np.conj(self.c))

    @property
    def value(self) -> np.ndarray:
        return self.c[..., 0]


# --------------------------------------------------------------------------- tails
def slow_fast_modes(thdot: Jet, lam: Jet, eps: np.ndarray, iterations: int = 8
                    ) -> tuple[Jet, Jet, Jet]:
    """Superadiabatic slow and fast modes of (*) at a point, by fixed-point iteration.

    In the complexified variables ``(u, z, zbar)`` (u = 2q - 1), with ``lam = 2 e (i - gamma)``:

    * slow mode ``(1, Z, conj Z) a(s)``, ``a' = r a``, ``r = th' Re Z``::

          Z = (eps/lam) (th' + Z' + th' Z Re Z)

    * fast mode ``(V, 1, X) xi(s)``, ``xi' = (lam/eps - th' V) xi``::

          V = eps (th' (1 + X)/2 - V') / (lam - eps th' V)
          X = eps (th' V + X') / (conj(lam) - lam + eps th' V)

    Each iteration gains one order of ``eps / e^2``; the jets must carry at least
    ``iterations`` orders.  Inputs are jets with batch shape (...); returns jets ``Z, V, X``.
    """
    eps = np.asarray(eps)
    z = Jet(np.zeros_like(lam.c))
    v = Jet(np.zeros_like(lam.c))
    x = Jet(np.zeros_like(lam.c))
    lamc = lam.conj()
    for _ in range(iterations):
        z_new = (thdot + z.deriv() + thdot * z * z.real) * eps / lam
        v_new = (thdot * (1.0 + x) * 0.5 - v.deriv()) * eps / (lam - thdot * v * eps)
        x = (thdot * v + x.deriv()) * eps / (lamc - lam + thdot * v * eps)
        z, v = z_new, v_new
    return z, v, x


def tail_rate_integral(jets: Callable[[np.ndarray], tuple[Jet, Jet]], eps: np.ndarray,
                       s_edge: np.ndarray, side: int, nodes: int = 48, iterations: int = 8
                       ) -> np.ndarray:
    """``R = int r ds`` over the tail beyond ``s_edge`` (side=+1: [S, inf); -1: (-inf, -S]).

    ``r = th' Re Z`` is the rate of the slow (superadiabatic) mode, ``a(s) = a(S) exp(...)``.
    jets : ``s (...,) -> (thdot, lam)`` jets of order >= ``iterations``.
    Gauss-Legendre in ``x = S/|s| in (0, 1]`` (r decays at least like |s|^-5).  Shape (B,).
    """
    xg, wg = np.polynomial.legendre.leggauss(nodes)
    x = 0.5 * (xg + 1.0)
    w = 0.5 * wg
    s = side * s_edge[:, None] / x[None, :]
    th, lam = jets(s)
    z, _, _ = slow_fast_modes(th, lam, np.asarray(eps)[:, None], iterations)
    r = th.value * z.value.real
    return np.sum(r * (s_edge[:, None] / x[None, :] ** 2) * w[None, :], axis=-1)


def manifold_state(z_edge: np.ndarray, rate_integral: np.ndarray) -> np.ndarray:
    """State ``x = (1, q, v, w)`` at ``-S`` of the solution that is the ground state at -inf.

    It lies on the slow mode: ``u = -exp(R)`` with ``R`` the tail integral over (-inf, -S], and
    ``z = Z u``.  ``q = (1 + u)/2`` is formed as ``-expm1(R)/2`` (no cancellation).  (B, 4).
    """
    u = -np.exp(rate_integral)
    zc = z_edge * u
    return np.stack([np.ones_like(u), -0.5 * np.expm1(rate_integral), zc.real, zc.imag], axis=-1)


def limit_population(x_edge: np.ndarray, z: np.ndarray, v: np.ndarray, xx: np.ndarray,
                     rate_integral: np.ndarray) -> np.ndarray:
    """Upper-band population at ``s -> inf`` from the state at ``+S``.

    Decompose ``(u, z, zbar) = alpha (1, Z, Zbar) + beta (V, 1, X) + conj(beta) (Vbar, Xbar, 1)``;
    the fast modes' population ``V xi`` vanishes at infinity, the slow one grows by
    ``exp(R)``, ``R`` = tail integral over [S, inf).  Solved for ``alpha + 1`` with the right-hand
    side ``(2q, z + Z, zbar + Zbar)`` so that small populations keep their relative accuracy.

    x_edge : (B, 4) state ``(1, q, v, w)``; z, v, xx : mode values at S, (B,).  Returns (B,).
    """
    q = x_edge[:, 1]
    zc = x_edge[:, 2] + 1j * x_edge[:, 3]
    mat = np.stack([np.stack([np.ones_like(z), v, np.conj(v)], -1),
                    np.stack([z, np.ones_like(z), np.conj(xx)], -1),
                    np.stack([np.conj(z), xx, np.ones_like(z)], -1)], -2)
    rhs = np.stack([2.0 * q + 0j, zc + z, np.conj(zc) + np.conj(z)], -1)
    alpha_p1 = np.linalg.solve(mat, rhs[..., None])[..., 0, 0].real
    return 0.5 * (alpha_p1 * np.exp(rate_integral) - np.expm1(rate_integral))
