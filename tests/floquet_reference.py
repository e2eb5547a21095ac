"""Independent reference for Floquet–Markov steady states: the time-dependent Redfield equation.

Written for the tests, independent of openlz's Floquet code: the Floquet modes come from QuTiP
(``qutip.FloquetBasis``, an ODE propagator), and the master equation is the Born–Markov
(Redfield) equation in the lab frame,

    d rho/dt = -i [H(t), rho] - [A, Lam(t) rho - rho Lam(t)^dag],
    Lam(t) = int_0^inf C(tau) U(t, t - tau) A U(t, t - tau)^dag dtau   (real part of the response),

which in the Floquet basis, U(t, s) = sum_a e^{-i eps_a (t - s)} |u_a(t)><u_a(s)| and
<u_a(s)|A|u_b(s)> = sum_K X^K_ab e^{i K omega s}, is

    Lam(t) = sum_{a b K} pi g(eps_a - eps_b + K omega) X^K_ab e^{i K omega t} |u_a(t)><u_b(t)|,

with g(E) = J(E) n(E) the bath response at energy E taken from the bath (emission for E < 0).
It is neither period-averaged (paper 002, Eq. A6 keeps Q = 0 only) nor secular (Eq. C3).  Its
long-time state is periodic: the fixed point of the one-period map, integrated with scipy's
``solve_ivp`` (DOP853) for the n^2 basis matrices at once; ``period_average`` returns
(1/T) int_0^T rho(t) dt of that periodic state.
"""

from __future__ import annotations

import numpy as np
from scipy.integrate import solve_ivp


def qutip_modes(H, T: float, nt: int, dims):
    """Quasienergies (n,) and Floquet modes U (nt, n, n) (columns u_a(t_k)) from QuTiP."""
    import qutip as qt

    fb = qt.FloquetBasis(H, T, options={"atol": 1e-12, "rtol": 1e-12})
    ts = np.arange(nt) * T / nt
    U = np.array([np.stack([m.full()[:, 0] for m in fb.mode(t)], axis=1) for t in ts])
    return np.asarray(fb.e_quasi, dtype=float), U


def redfield_lambda(eps: np.ndarray, U: np.ndarray, aop: np.ndarray, omega: float, g) -> np.ndarray:
    """Lam(t_k) (nt, n, n) on the uniform grid of one period (see the module docstring)."""
    nt = U.shape[0]
    f = np.conj(np.swapaxes(U, -1, -2)) @ aop @ U  # <u_a|A|u_b>(t_k)
    X = np.fft.fft(f, axis=0) / nt  # f(t) = sum_K X^K e^{i K omega t}, K in FFT order
    K = np.fft.fftfreq(nt, d=1.0 / nt)
    E = eps[None, :, None] - eps[None, None, :] + K[:, None, None] * omega
    Y = np.fft.ifft(np.pi * g(E) * X, axis=0) * nt  # sum_K W X e^{i K omega t_k}
    return U @ Y @ np.conj(np.swapaxes(U, -1, -2))


def _interpolator(samples: np.ndarray, omega: float):
    """Trigonometric interpolation of a periodic (nt, ...) sample array."""
    nt = samples.shape[0]
    c = np.fft.fft(samples, axis=0) / nt
    m = np.fft.fftfreq(nt, d=1.0 / nt)

    def at(t: float) -> np.ndarray:
        return np.tensordot(np.exp(1j * m * omega * t), c, axes=(0, 0))

    return at


def redfield_rhs(H0: np.ndarray, drives, aop: np.ndarray, omega: float, g, H_qutip, dims, nt: int = 128):
    """Right-hand side f(t, y) of the lab-frame Redfield equation for m stacked states,
    y = (n, n, m) flattened; ``drives`` = [(D_i, f_i)] with H(t) = H0 + sum_i f_i(t) D_i."""
    T = 2 * np.pi / omega
    n = H0.shape[0]
    eps, U = qutip_modes(H_qutip, T, nt, dims)
    lam = _interpolator(redfield_lambda(eps, U, aop, omega, g), omega)

    def rhs(t, y):
        r = y.reshape(n, n, -1).transpose(2, 0, 1)  # (m, n, n)
        H = H0 + sum(f(t) * D for D, f in drives)
        L = lam(t)
        Lr = L @ r
        rl = r @ np.conj(L.T)
        d = -1j * (H @ r - r @ H) - (aop @ (Lr - rl) - (Lr - rl) @ aop)
        return d.transpose(1, 2, 0).reshape(-1)

    return rhs


def evolve(rhs, rho0: np.ndarray, t0: float, times: np.ndarray, rtol: float = 1e-10,
           atol: float = 1e-12) -> np.ndarray:
    """rho(t) (T, n, n) from rho(t0) = rho0 under ``redfield_rhs``."""
    n = rho0.shape[0]
    sol = solve_ivp(rhs, (t0, float(np.max(times))), rho0.astype(complex).reshape(-1), method="DOP853",
                    rtol=rtol, atol=atol, t_eval=np.asarray(times, dtype=float))
    return sol.y.T.reshape(-1, n, n)


def period_average(H0: np.ndarray, drives, aop: np.ndarray, omega: float, g, H_qutip, dims,
                   nt: int = 128, rtol: float = 1e-10, atol: float = 1e-12) -> np.ndarray:
    """Period average of the periodic long-time state of the lab-frame Redfield equation.

    H(t) = H0 + sum_i f_i(t) D_i for ``drives`` = [(D_i, f_i)], H_qutip the same in QuTiP list
    form (for the Floquet modes), aop the coupling operator, g(E) the bath response.
    """
    T = 2 * np.pi / omega
    n = H0.shape[0]
    rhs = redfield_rhs(H0, drives, aop, omega, g, H_qutip, dims, nt)
    basis = np.eye(n * n, dtype=complex).reshape(n * n, n, n)
    sol = solve_ivp(rhs, (0.0, T), basis.transpose(1, 2, 0).reshape(-1), method="DOP853", rtol=rtol, atol=atol)
    P = sol.y[:, -1].reshape(n * n, n * n)  # column j = vec(rho(T)) from basis matrix j (row-major)
    w, v = np.linalg.eig(P)
    rho = v[:, np.argmin(np.abs(w - 1))].reshape(n, n)
    rho = rho / np.trace(rho)
    orbit = evolve(rhs, rho, 0.0, np.arange(nt) * T / nt, rtol, atol)
    avg = orbit.mean(axis=0)
    return 0.5 * (avg + np.conj(avg.T))
