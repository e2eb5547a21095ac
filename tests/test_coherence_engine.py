"""coherence-engine (paper 003, Sec. III): collision map, periodic state, work, validation."""

from __future__ import annotations

import json
import sys

import numpy as np
import pytest
import scipy.linalg as sla
from scipy.integrate import simpson

from openlz.analytic.coherence_engine import (
    atom_is_physical,
    collision_map,
    collision_superop,
    lz_parameters,
    thermal_population,
    work_parts,
    work_per_period,
)
from openlz.analytic.landau_zener import collision_unitary
from openlz.core.baths import ohmic_drude
from openlz.core.operators import SX, SZ
from openlz.errors import ParameterError, ValidityWarning
from openlz.models import get_model
from openlz.models.coherence_engine import (
    DEFAULT_PERIOD,
    engine_cycle,
    engine_redfield_generator,
    kick_superop,
)
from openlz.solve.redfield import bosonic_power_spectrum

BASE = dict(eps0=1.0, eta=0.002, wc=10.0, beta=1.0, nu=0.1, period=DEFAULT_PERIOD)


def _partial_traces(U, rs, ra):
    r4 = (U @ np.kron(rs, ra) @ U.conj().T).reshape(2, 2, 2, 2)
    return np.einsum("ixjx->ij", r4), np.einsum("xixj->ij", r4)


@pytest.mark.parametrize("sign", [-1, 1])
def test_collision_map_is_partial_trace_of_eq8(sign):
    """Eqs. (27)-(30) (sign -1, as printed) are the partial traces of Eq. (8)'s unitary with the
    Stokes phase reversed; sign +1 is Eq. (8) itself.  Expected values: explicit
    Tr_A / Tr_S of U (rho_S x rho_A) U^dag with numpy."""
    R, phi, alpha = 0.6, 0.7, 1.3
    p, k, a, q = 0.3, 0.2 + 0.1j, 0.2, 0.1 - 0.25j
    rs = np.array([[p, k], [np.conj(k), 1 - p]])
    ra = np.array([[a, q], [np.conj(q), 1 - a]])
    rS, rA = _partial_traces(collision_unitary(R, sign * phi, alpha), rs, ra)
    p1, k1, a1, q1 = collision_map(p, k, a, q, R, phi, alpha, stokes_sign=sign)
    np.testing.assert_allclose([p1, k1, a1, q1], [rS[0, 0], rS[0, 1], rA[0, 0], rA[0, 1]],
                               atol=1e-14)
    # the printed map and Eq. (8) really differ (paper disagreement, by this much here)
    other = collision_map(p, k, a, q, R, phi, alpha, stokes_sign=-sign)
    assert abs(other[0] - p1) > 0.05


def test_kick_superop_equals_closed_form_eqs27_28():
    """The model's kick (built from Eq. 8 via solve.collisions) equals the closed-form
    superoperator of Eqs. (27)-(28), batched over random (R, phi, a, q)."""
    rng = np.random.default_rng(3)
    R, phi, a = rng.uniform(0, 1, 50), rng.uniform(-3, 3, 50), rng.uniform(0.05, 0.95, 50)
    q = np.sqrt(a * (1 - a)) * rng.uniform(0, 1, 50) * np.exp(2j * np.pi * rng.uniform(size=50))
    for collision, sign in (("printed", -1), ("system-swept", 1)):
        np.testing.assert_allclose(kick_superop(R, phi, a, q, collision),
                                   collision_superop(R, phi, a, q, sign), atol=1e-13)
    # the exact Sec. III collision is the printed one with q -> -q
    np.testing.assert_allclose(kick_superop(R, phi, a, q, "exact"),
                               collision_superop(R, phi, a, -q, -1), atol=1e-13)


def _sec3_crossing_qutip(nu, rate, eps0, t0, t1):
    """QuTiP sesolve of paper 003's Sec. III pair, H = eps0 σz_S + ε(t) σz_A + ν(σ+_S σ−_A + H.c.)
    (Eqs. 24, 26) with the atom swept, ε(t) = rate t; order kron(system, atom)."""
    qutip = pytest.importorskip("qutip")
    sz, sp, sm, i2 = qutip.sigmaz(), qutip.sigmap(), qutip.sigmam(), qutip.qeye(2)
    H0 = eps0 * qutip.tensor(sz, i2) + nu * qutip.tensor(sp, sm) + nu * qutip.tensor(sm, sp)
    H = qutip.QobjEvo([H0, [qutip.tensor(i2, sz), lambda t: rate * t]])
    opts = {"atol": 1e-12, "rtol": 1e-10, "nsteps": 10**6}
    return qutip.sesolve(H, qutip.qeye([2, 2]), [t0, t1], options=opts).states[-1].full()


@pytest.mark.parametrize("nu,rate,before,after", [(0.1, 0.424, 20.0, 20.0), (0.3, 0.7, 15.0, 20.0)])
def test_sec3_crossing_is_eq8_with_the_atom_swept(nu, rate, before, after):
    """The exact crossing of Sec. III (QuTiP) is Eq. (8) with the atom as the swept spin,
    SWAP U_8 SWAP (adiabatic phases ζ, η included as in tests/test_landau_zener.py; residual
    ~ |ν|/(ε̇ T)), not U_8 with the system first.  Hence the printed Eqs. (27)–(30) (built as
    U_8(−ϕ) with the system first) equal the exact map only with q -> -q: Z_A U_8(−ϕ) Z_A =
    SWAP U_8(ϕ) SWAP (checked here too)."""
    from openlz.analytic.landau_zener import (
        adiabatic_phases,
        adiabaticity,
        diabatic_survival,
        finite_time_phase,
        stokes_phase,
    )

    eps0 = 1.0
    tc = eps0 / rate
    t0, t1 = tc - before, tc + after
    Ue = _sec3_crossing_qutip(nu, rate, eps0, t0, t1)
    d = adiabaticity(nu, rate)
    R, ph = diabatic_survival(d), stokes_phase(d)
    zeta, eta = adiabatic_phases(nu, rate, tc, t0, t1)
    U8 = collision_unitary(R, ph, finite_time_phase(rate, eps0, t0, t1), zeta, eta)
    swap = np.eye(4)[[0, 2, 1, 3]]
    tol = 2.5 * nu / (rate * min(before, after))
    assert np.max(np.abs(Ue - swap @ U8 @ swap)) < tol
    assert np.max(np.abs(Ue - U8)) > 5 * tol  # the system-first form is not the crossing
    z_atom = np.diag([1.0, -1.0, 1.0, -1.0])
    np.testing.assert_allclose(z_atom @ collision_unitary(R, -ph, 0.4) @ z_atom,
                               swap @ collision_unitary(R, ph, 0.4) @ swap, atol=1e-15)


def test_printed_power_is_exact_power_at_minus_q():
    """P_printed(q) = P_exact(-q) for the engine (a consequence of the map identity above);
    the two collision choices differ at the same q (not a vacuous identity)."""
    q = np.array([0.1 + 0.2j, -0.15 + 0.05j, 0.3j])
    pr = engine_cycle(q=q, **BASE).power
    ex = engine_cycle(q=-q, collision="exact", **BASE).power
    np.testing.assert_allclose(pr, ex, rtol=1e-12, atol=1e-16)
    assert np.max(np.abs(pr - engine_cycle(q=q, collision="exact", **BASE).power)) > 1e-5


def test_periodic_state_is_fixed_point_qutip():
    """The periodic state (just before a crossing) returns to itself after one collision
    (Eqs. 27-28) and a Redfield period evolved independently with QuTiP brmesolve."""
    qutip = pytest.importorskip("qutip")
    q = 0.12 + 0.2j
    p = dict(BASE, eta=0.01, period=40.0)
    cyc = engine_cycle(q=q, **p)
    rb = cyc.rho_before[0]
    R, phi = lz_parameters(p["nu"], 2 * p["eps0"] / p["period"])
    a = thermal_population(p["beta"], p["eps0"])
    p1, k1, _, _ = collision_map(rb[0, 0].real, rb[0, 1], a, q, R, phi)
    ra = np.array([[p1, k1], [np.conj(k1), 1 - p1]])
    spec = lambda w: bosonic_power_spectrum(  # noqa: E731
        w, lambda x: ohmic_drude(x, p["eta"], p["wc"]), 1 / p["beta"], zero_slope=p["eta"])
    res = qutip.brmesolve(qutip.Qobj(p["eps0"] * SZ), qutip.Qobj(ra), [0.0, p["period"]],
                          a_ops=[(qutip.Qobj(SX + SZ), lambda w: float(spec(np.array(w))))],
                          sec_cutoff=-1, options={"atol": 1e-12, "rtol": 1e-10, "nsteps": 100000})
    np.testing.assert_allclose(res.states[-1].full(), rb, atol=1e-8)
    # and it is not a trivial fixed point: the collision moves the state
    assert abs(p1 - rb[0, 0].real) > 1e-4


def test_no_work_without_coherence():
    """Paper 003 (text before Fig. 4): q = 0 gives p_n = a and W_mech = 0 (thermal atoms at the
    bath temperature), for several temperatures, couplings and periods, in one batched call."""
    beta = np.array([0.2, 1.0, 3.0, 1.0, 0.5])
    nu = np.array([0.05, 0.1, 0.2, 0.4, 0.1])
    period = np.array([DEFAULT_PERIOD, 50.0, 80.0, DEFAULT_PERIOD, 33.0])
    cyc = engine_cycle(1.0, 0.002, 10.0, beta, nu, period, 0.0)
    np.testing.assert_allclose(cyc.work, 0, atol=1e-13)
    np.testing.assert_allclose(cyc.rho_before[:, 0, 0].real, thermal_population(beta, 1.0),
                               atol=1e-13)
    # ... while q != 0 does give work (not a vacuous zero)
    assert np.all(np.abs(engine_cycle(1.0, 0.002, 10.0, beta, nu, period, 0.03).work) > 1e-8)


def test_energy_bookkeeping_one_period():
    """Eq. (34) and the balance below it: Q over one period, integrated from the heat rate
    dQ/dt = Tr H_S L rho(t) along the Redfield trajectory (Simpson, fine grid), equals -W in the
    periodic state; W1 + W2 + W3 (Eq. 31 corrected) = W = 2 eps0 (a - a')."""
    p = dict(BASE, eta=0.01, period=60.0)
    q = 0.15 - 0.1j
    cyc = engine_cycle(q=q, **p)
    L = engine_redfield_generator(p["eps0"], p["eta"], p["wc"], p["beta"])[0]
    t = np.linspace(0, p["period"], 4001)
    step = sla.expm(L * (t[1] - t[0]))
    v = cyc.rho_after[0].reshape(-1).copy()
    qdot = np.empty(t.size)
    hs = (p["eps0"] * SZ).reshape(-1)
    for i in range(t.size):
        qdot[i] = np.real(hs.conj() @ (L @ v))  # Tr(H_S drho/dt), H_S Hermitian
        v = step @ v
    heat = simpson(qdot, x=t)
    assert abs(cyc.work[0]) > 1e-4
    np.testing.assert_allclose(heat, -cyc.work[0], rtol=1e-6)
    np.testing.assert_allclose(cyc.heat[0], -cyc.work[0], rtol=1e-10)
    a = thermal_population(p["beta"], p["eps0"])
    w1, w2, w3 = work_parts(p["eps0"], a, cyc.a_out[0])
    np.testing.assert_allclose(w1 + w2 + w3, work_per_period(p["eps0"], a, cyc.a_out[0]),
                               atol=1e-15)
    # Eq. (31) as printed overshoots by eps0 a (paper disagreement, see analytic module)
    w1p, _, _ = work_parts(p["eps0"], a, cyc.a_out[0], printed_w1=True)
    np.testing.assert_allclose(w1p + w2 + w3 - cyc.work[0], p["eps0"] * a, atol=1e-14)


def test_batched_map_matches_single_points_and_masks():
    """A q-plane map in one call equals point-by-point calls; unphysical q -> NaN."""
    a = thermal_population(1.0, 1.0)
    x = np.linspace(-0.4, 0.4, 9)
    qq = (x[:, None] + 1j * x[None, :]).ravel()
    cyc = engine_cycle(q=qq, **BASE)
    ok = atom_is_physical(a, qq)
    assert np.all(np.isnan(cyc.power[~ok])) and np.all(np.isfinite(cyc.power[ok]))
    for i in np.nonzero(ok)[0][::7]:
        np.testing.assert_allclose(engine_cycle(q=qq[i], **BASE).power[0], cyc.power[i],
                                   rtol=1e-10, atol=1e-16)


def test_model_run_and_parameter_errors():
    m = get_model("coherence-engine")
    ds = m.run(q_re=0.1, q_im=0.2)
    assert float(ds["power"]) == pytest.approx(float(ds["work"]) / DEFAULT_PERIOD)
    assert float(ds["heat"]) == pytest.approx(-float(ds["work"]))
    with pytest.raises(ParameterError, match="a \\(1 - a\\)"):
        m.run(q_re=0.3, q_im=0.2)           # |q|^2 = 0.13 > a(1-a) = 0.105 at beta = 1
    with pytest.raises(ParameterError, match="rate"):
        m.run(rate=0.1, period=50.0)         # inconsistent with rate = 2 eps0 / period
    with pytest.raises(ParameterError):
        m.run(beta=-1.0)
    # setting the rate fixes the period (Fig. 3: ramp 0 -> 2 eps0 over one period)
    assert m.resolve({"rate": 0.05})["period"] == pytest.approx(40.0)
    # masked evaluation (for maps) returns NaN instead of raising
    out = m.evaluate({"q_re": np.array([0.0, 0.5]), "mask_unphysical": True}, observables=["power"])
    assert np.isfinite(out["power"][0]) and np.isnan(out["power"][1])


def _run_main(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    from openlz import cli

    monkeypatch.setattr(sys, "argv", ["openlz", *args])
    with pytest.raises(SystemExit) as info:
        cli.main()
    out = capsys.readouterr()
    return info.value.code, out.out, out.err


def test_cli_json_and_one_line_error(monkeypatch, capsys):
    """The issue's must-show command prints work, power and every parameter; unphysical q is a
    one-line error with exit status 2."""
    code, out, err = _run_main(monkeypatch, capsys, "run", "coherence-engine", "--set", "q_re=0.1",
                               "--set", "q_im=0.2", "--json")
    assert code == 0, err
    obj = json.loads(out)
    assert {"work", "power"} <= set(obj["observables"])
    assert obj["observables"]["power"] == pytest.approx(obj["observables"]["work"] / DEFAULT_PERIOD)
    assert obj["params"]["q_re"] == 0.1 and {"eta", "wc", "beta", "nu", "period", "rate", "a"} <= \
        set(obj["params"])
    code, out, err = _run_main(monkeypatch, capsys, "run", "coherence-engine", "--set", "q_re=0.5")
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 1 and "Traceback" not in err
    assert "'q'" in lines[0] and "a (1 - a)" in lines[0]


def test_validity_warnings_name_the_inequality():
    """Sec. III ordering of time scales: nu > eps0/2 makes the crossing last longer than half a
    period (tau_LZ = 2 nu / rate > T/2); strong eta breaks weak coupling."""
    m = get_model("coherence-engine")
    with pytest.warns(ValidityWarning, match="tau_LZ < T/2"):
        m.run(nu=0.6)
    with pytest.warns(ValidityWarning, match="0.1 \\* 2 eps0"):
        m.run(eta=0.5)
