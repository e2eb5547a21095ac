"""Issue 11 item 3: postselected magnetic-medium runs whose success probability is zero or
underflows ended in ``LinAlgError: Eigenvalues did not converge``.

References: the no-jump evolution in the σz = 0 subspace {|ud>, |du>} written out here from
paper 004's Eq. (12): with L± = sqrt(a ± |A|)(σ1+ ± σ2+) (T = 0, Eq. 5) one finds
H_eff = [[−δ − ia, −i|A|], [−i|A|, δ − ia]], and the −ia·1 part only scales the norm, so
ψ(t) ∝ expm(−i H' t) ψ0 with H' = [[−δ, −i|A|], [−i|A|, δ]] and ln P = −2at + ln‖expm(−iH't)ψ0‖²
(scipy ``expm`` in the test; no underflow since the decay is factored out).  The generic
``conditional_evolve_generator`` is checked against a closed form: a Lindbladian minus a
uniform loss κ keeps the Lindblad state and has ln tr = −κt exactly.
"""

from __future__ import annotations

import sys
import warnings

import numpy as np
import pytest
import scipy.linalg as sla

from openlz.errors import PostselectionWarning
from openlz.models import get_model
from openlz.solve.nonhermitian import conditional_evolve_generator


def _subspace_reference(times, a, A, delta):
    """(concurrence, ln success probability) of the postselected state from |ud>."""
    Hp = np.array([[-delta, -1j * A], [-1j * A, delta]])
    # factor out the largest growth rate kappa = max Re eig(-i H') so nothing overflows
    kappa = max(0.0, float(np.max(np.linalg.eigvals(-1j * Hp).real)))
    conc, logp = [], []
    for t in times:
        psi = sla.expm((-1j * Hp - kappa * np.eye(2)) * t) @ np.array([1.0, 0.0])
        n = float(np.linalg.norm(psi))
        conc.append(2 * abs(psi[0] / n * psi[1] / n))
        logp.append(-2 * a * t + 2 * kappa * t + 2 * np.log(n))
    return np.array(conc), np.array(logp)


@pytest.mark.parametrize("params,times", [
    ({"A": 0.5}, np.linspace(0, 1000, 11)),          # the issue's --set A=0.5 --times 0:1000:11
    ({"delta": 5.0}, np.linspace(0, 1e4, 5)),        # the issue's --set delta=5 --times 0:1e4:5
    ({"delta": 1.0, "A": 1.0}, np.linspace(0, 800, 9)),  # exceptional point
])
def test_postselected_long_times(params, times):
    m = get_model("magnetic-medium")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning: the conditional state is well defined
        r = m.evaluate(params, times, ["concurrence", "success_probability",
                                       "log_success_probability"], {"postselect": True})
    a = 1.0
    c_ref, logp_ref = _subspace_reference(times, a, params.get("A", 1.0), params.get("delta", 0.0))
    np.testing.assert_allclose(r["concurrence"][0], c_ref, atol=1e-8)
    np.testing.assert_allclose(r["log_success_probability"][0], logp_ref, rtol=1e-9, atol=1e-9)
    # exp amplifies the absolute error of ln P (~1e-9 at ln P ~ -600)
    np.testing.assert_allclose(r["success_probability"][0], np.exp(logp_ref), rtol=1e-7,
                               atol=1e-300)
    assert r["success_probability"][0, -1] == 0.0  # underflows; the state does not


@pytest.mark.parametrize("initial", ["uu", "dd"])
def test_postselection_on_a_vanishing_state(initial):
    """|uu>, |dd> have σz = ±2: the initial |σz| = 0 projection (text before Eq. 13) removes
    them entirely, so nothing is left to condition on."""
    m = get_model("magnetic-medium")
    with pytest.warns(PostselectionWarning, match="vanishes"):
        r = m.evaluate({}, np.linspace(0, 2, 5), ["concurrence", "negativity",
                                                  "entanglement_of_formation",
                                                  "success_probability", "max_concurrence"],
                       {"postselect": True, "initial": initial})
    assert np.all(r["success_probability"] == 0.0)
    for k in ("concurrence", "negativity", "entanglement_of_formation", "max_concurrence"):
        assert np.all(np.isnan(r[k])), k
    assert r["_attrs"]["postselection_vanished_points"] == 1


def test_cli_postselect_uu(monkeypatch, capsys):
    from openlz.cli import main

    monkeypatch.setattr(sys, "argv", ["openlz", "run", "magnetic-medium", "--postselect",
                                      "--initial", "uu", "--json", "-o", "success_probability"])
    with pytest.warns(PostselectionWarning, match="vanishes"), pytest.raises(SystemExit) as e:
        main()
    std = capsys.readouterr()
    assert e.value.code == 0 and "Traceback" not in std.err
    assert '"success_probability": [0.0' in std.out


def test_conditional_evolve_generator_uniform_loss():
    """G = L − κ·1 (L a Lindbladian of a driven, damped qubit): the normalised state is the
    Lindblad state exp(L t) ρ0 and ln tr ρ~ = −κ t, also where e^{−κt} underflows."""
    kappa = 3.0
    H = np.array([[0.5, 0.7], [0.7, -0.5]], dtype=complex)
    c = np.sqrt(0.4) * np.array([[0, 1], [0, 0]], dtype=complex)
    eye = np.eye(2)
    # row-major vec: vec(X ρ Y) = (X ⊗ Yᵀ) vec(ρ)
    cdc = c.conj().T @ c
    L = (-1j * (np.kron(H, eye) - np.kron(eye, H.T)) + np.kron(c, c.conj())
         - 0.5 * (np.kron(cdc, eye) + np.kron(eye, cdc.T)))
    rho0 = np.array([[0.3, 0.2 - 0.1j], [0.2 + 0.1j, 0.7]])
    times = np.array([0.0, 0.5, 1.7, 300.0, 301.0])
    rho, logn = conditional_evolve_generator(L - kappa * np.eye(4), 0.5 * rho0, times)
    for k, t in enumerate(times):
        ref = (sla.expm(L * t) @ rho0.ravel()).reshape(2, 2)
        np.testing.assert_allclose(rho[k], ref, atol=1e-10)
    np.testing.assert_allclose(logn, np.log(0.5) - kappa * times, rtol=1e-12)
    # a zero state: NaN states, -inf log norm
    rho, logn = conditional_evolve_generator(L, np.zeros((2, 2)), times[:2])
    assert np.all(np.isnan(rho)) and np.all(np.isneginf(logn))
