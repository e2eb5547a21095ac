"""Paper 002, App. C: the full tensor of Eq. (C8) against the Floquet rates (issue 14).

References: the interaction-picture Lindblad equation (C5) with jump operators
|u_a(0)><u_b(0)| and the Floquet rates Gamma_ab, assembled with ``openlz.core.liouvillian``
(an identity the tensor must satisfy to rounding), and the diagonal Gamma_ij,ij = Eq. (C9).
"""

from __future__ import annotations

import warnings

import numpy as np

import openlz
from openlz.analytic.driven_qubits import effective_rate_tensor, effective_rates, tensor_dissipator
from openlz.core.liouvillian import dissipator
from openlz.errors import ValidityWarning
from openlz.models.driven_qubits import MODEL, system

PTS = {"eps0": np.array([3.7, 3.25, 2.0]), "A": np.array([3.8, 3.8, 5.0]), "xi": np.array([0.1, 0.1, 0.6])}


def _floquet(pts):
    p = {k: np.broadcast_to(np.asarray(v), (3,)).copy() for k, v in MODEL.resolve(pts).items()
         if not isinstance(v, str)}
    H, om, a_ops, _, V = system(p)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ValidityWarning)
        res = openlz.floquet_markov_steadystate(H, om, a_ops, options={"steps": 96})
    amp = np.conj(np.swapaxes(V, -1, -2)) @ res.modes0  # <i|u_a(0)>
    return res, amp


def test_eq_c8_tensor_reproduces_the_floquet_lindblad_equation():
    """Eq. (C7) with the tensor of Eq. (C8) equals Eq. (C5), sum_ab Gamma_ab D[|u_a(0)><u_b(0)|],
    in the H0 eigenbasis, to rounding (the change of basis of Eq. C6 is exact)."""
    res, amp = _floquet(PTS)
    G = effective_rate_tensor(amp, res.rates)
    lhs = tensor_dissipator(G)
    n = 4
    rhs = np.zeros_like(lhs)
    for a in range(n):
        for b in range(n):
            L = amp[:, :, a, None] * np.conj(amp[:, None, :, b])  # |u_a(0)><u_b(0)| in the eigenbasis
            rhs += res.rates[:, a, b, None, None] * dissipator(L)
    scale = np.abs(rhs).max()
    np.testing.assert_allclose(lhs, rhs, atol=1e-13 * scale)
    # and it is trace preserving: the population rows of the superoperator sum to zero
    d = np.arange(n) * (n + 1)
    np.testing.assert_allclose(lhs[:, d, :].sum(axis=1), 0.0, atol=1e-14 * scale)


def test_eq_c9_is_the_diagonal_of_eq_c8():
    """Gamma_ij,ij of Eq. (C8) equals Eq. (C9) (``effective_rates`` and the model observable)."""
    res, amp = _floquet(PTS)
    G = effective_rate_tensor(amp, res.rates)
    n = 4
    diag = np.einsum("zijij->zij", G) * (1 - np.eye(n))
    np.testing.assert_allclose(diag, effective_rates(np.abs(amp) ** 2, res.rates), rtol=1e-12, atol=1e-20)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ValidityWarning)
        obs = MODEL.evaluate(PTS, observables=["effective_rates", "floquet_rates"])
    # the model labels Floquet states by H0 eigenstates; Eq. (C9) does not depend on the labels
    np.testing.assert_allclose(obs["effective_rates"], diag, rtol=1e-10, atol=1e-16)
