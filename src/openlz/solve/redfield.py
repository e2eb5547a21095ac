"""Batched Bloch–Redfield generators (Born–Markov, with or without the secular approximation).

For H = sum_a E_a |a><a| and a system–bath coupling ``A ⊗ B`` the Redfield equation in
the eigenbasis of H reads (paper 003, Eq. 25; QuTiP's ``bloch_redfield_tensor`` uses the
same tensor)

    d rho_ab/dt = -i w_ab rho_ab + sum_cd R_abcd rho_cd,
    R_abcd = 1/2 [ A_ac A_db (S(w_ca) + S(w_db))
                   - delta_bd sum_n A_an A_nc S(w_cn) - delta_ac sum_n A_dn A_nb S(w_dn) ],

with w_xy = E_x - E_y and S(w) the bath's noise power spectrum in QuTiP's convention:
``|A_ac|² S(E_c - E_a)`` is the rate of the jump c -> a, so S(w > 0) drives emission.
For a bosonic bath with spectral density J (odd in w) at temperature T,
S(w) = 2 J(w) [1 + n(w)] (:func:`bosonic_power_spectrum`).  Paper 003 writes the
rates as W_ij = J(w_ij) n(w_ij) = S(w_ji)/2 (its W_11 = W_22 = lim_{x->0} J(x) n(x)),
which is exactly this tensor.  Lamb shifts (the principal-value part) are neglected, as
in paper 003 and in QuTiP.

The Redfield equation is not of Lindblad form: positivity is not guaranteed
(paper 003 remarks this below Eq. 25); callers check the states they produce.

Checked against QuTiP 5.3's ``bloch_redfield_tensor`` (secular and non-secular) whenever the
eigenbasis matrix elements of A are real, against the basis-free operator form
[Lambda rho, A] + [A, rho Lambda^dag] in general, and for covariance under a change of
basis.  QuTiP's *non-secular* tensor differs from the operator form (and is not covariant
under a general unitary change of basis) when those matrix elements are complex; see
``tests/test_redfield.py``.

Shapes: ``h``, ``a_op`` are ``(..., n, n)``; the returned generator is ``(..., n², n²)``
acting on row-major ``vec(rho)`` in the *original* basis (the same convention as
:func:`openlz.core.liouvillian.liouvillian`), so it composes with
:func:`openlz.solve.lindblad.evolve_constant` and :func:`openlz.solve.steady.steady_state`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from ..core.baths import bose

__all__ = ["redfield_tensor_eigenbasis", "redfield_generator", "bosonic_power_spectrum"]

PowerSpectrum = Callable[[np.ndarray], np.ndarray]


def bosonic_power_spectrum(omega: np.ndarray, spectral_density: Callable[[np.ndarray], np.ndarray],
                           T: float | np.ndarray, zero_slope: float | np.ndarray | None = None
                           ) -> np.ndarray:
    """Noise power spectrum S(w) = 2 J(w) [1 + n(w)] of a thermal bosonic bath.

    ``spectral_density`` is J(w), odd in w (as in :mod:`openlz.core.baths`); T broadcasts
    against ``omega``.  At w = 0 the limit 2 T J'(0) is used; ``zero_slope`` = J'(0)
    (e.g. eta for an Ohmic bath) — if omitted it is estimated as J(h)/h with h = 1e-8.
    Paper 003 (below Eq. 25): W_11 = W_22 = lim_{x->0} J(x) n(x) = T J'(0) = S(0)/2.
    """
    w = np.asarray(omega, dtype=float)
    T = np.asarray(T, dtype=float)
    zero = w == 0
    w_safe = np.where(zero, 1.0, w)
    with np.errstate(over="ignore", invalid="ignore"):
        s = 2.0 * spectral_density(w_safe) * (1.0 + bose(w_safe, T))
    if zero_slope is None:
        zero_slope = spectral_density(np.asarray(1e-8)) / 1e-8
    s0 = 2.0 * T * np.asarray(zero_slope, dtype=float)
    return np.where(zero, s0, s)


def redfield_tensor_eigenbasis(energies: np.ndarray, a_eig: np.ndarray, spectrum: PowerSpectrum,
                               secular_cutoff: float | None = None) -> np.ndarray:
    """Redfield tensor (dissipative part plus -i w_ab) in the eigenbasis of H.

    Parameters
    ----------
    energies : (..., n) eigenvalues E_a.
    a_eig : (..., n, n) coupling operator in the eigenbasis, A_ab = <a|A|b>.
    spectrum : S(w), called once with the Bohr-frequency array w_xy = E_x - E_y of shape
        (..., n, n); must broadcast its own parameters against that shape.
    secular_cutoff : None for the full (non-secular) Redfield tensor; otherwise keep only
        the terms with |w_ab - w_cd| < secular_cutoff * dw_min, dw_min the smallest non-zero
        |Bohr frequency| (QuTiP's ``sec_cutoff`` convention).

    Returns
    -------
    (..., n², n²) complex, row index a*n + b, column c*n + d.
    """
    e = np.asarray(energies, dtype=float)
    a = np.asarray(a_eig, dtype=complex)
    n = e.shape[-1]
    w = e[..., :, None] - e[..., None, :]                         # w_xy = E_x - E_y
    s = np.broadcast_to(np.asarray(spectrum(w), dtype=float), w.shape)
    eye = np.eye(n)
    st = np.swapaxes(s, -1, -2)                          # st[x, y] = S(w_yx)
    # A_ac A_db (S(w_ca) + S(w_db)) / 2
    r = 0.5 * np.einsum("...ac,...db->...abcd", a, a) * (
        st[..., :, None, :, None] + st[..., None, :, None, :])
    # - delta_bd sum_n A_an A_nc S(w_cn) / 2  and  - delta_ac sum_n A_dn A_nb S(w_dn) / 2
    g_left = np.einsum("...an,...nc,...cn->...ac", a, a, s)
    g_right = np.einsum("...dn,...nb,...dn->...db", a, a, s)
    r = r - 0.5 * np.einsum("...ac,bd->...abcd", g_left, eye)
    r = r - 0.5 * np.einsum("...db,ac->...abcd", g_right, eye)
    # coherent part -i w_ab delta_ac delta_bd
    r = r - 1j * np.einsum("...ab,ac,bd->...abcd", w, eye, eye)
    if secular_cutoff is not None and secular_cutoff >= 0:
        aw = np.abs(w)
        dw_min = np.min(np.where(aw > 0, aw, np.inf), axis=(-2, -1))
        diff = np.abs(w[..., :, :, None, None] - w[..., None, None, :, :])
        keep = diff < secular_cutoff * dw_min[..., None, None, None, None]
        r = np.where(keep, r, 0.0)
    return r.reshape(*r.shape[:-4], n * n, n * n)


def redfield_generator(h: np.ndarray, a_ops: Sequence[tuple[np.ndarray, PowerSpectrum]],
                       secular_cutoff: float | None = None) -> np.ndarray:
    """Full Bloch–Redfield generator in the original basis, batched.

    Parameters
    ----------
    h : (..., n, n) Hermitian Hamiltonian.
    a_ops : pairs ``(A, S)``: Hermitian coupling operator (..., n, n) and its bath's power
        spectrum S(w) (see :func:`redfield_tensor_eigenbasis`); baths are independent,
        so their tensors add.
    secular_cutoff : None (full Redfield, paper 003 Eq. 25) or QuTiP's ``sec_cutoff``.

    Returns
    -------
    (..., n², n²): d vec(rho)/dt = L vec(rho), row-major vec, including -i[H, rho].
    """
    h = np.asarray(h, dtype=complex)
    e, v = np.linalg.eigh(h)
    vd = np.conj(np.swapaxes(v, -1, -2))
    total = None
    for a_op, spec in a_ops:
        a_eig = vd @ np.asarray(a_op, dtype=complex) @ v
        r = redfield_tensor_eigenbasis(e, a_eig, spec, secular_cutoff)
        if total is None:
            total = r
        else:
            # the coherent part -i w_ab must be counted once
            total = total + r + 1j * _bohr_superop(e)
    if total is None:
        total = -1j * _bohr_superop(e)
    # rho' = V^dag rho V  <->  vec(rho') = (V^dag kron V^T) vec(rho)   (row-major vec)
    to_eig = _kron(vd, np.swapaxes(v, -1, -2))
    from_eig = _kron(v, np.conj(v))
    return from_eig @ total @ to_eig


def _bohr_superop(e: np.ndarray) -> np.ndarray:
    w = e[..., :, None] - e[..., None, :]
    n = e.shape[-1]
    return np.einsum("...ab,ac,bd->...abcd", w, np.eye(n), np.eye(n)).reshape(
        *e.shape[:-1], n * n, n * n).astype(complex)


def _kron(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    out = a[..., :, None, :, None] * b[..., None, :, None, :]
    s = out.shape
    return out.reshape(*s[:-4], s[-4] * s[-3], s[-2] * s[-1])
