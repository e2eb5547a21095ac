"""Input conversion at the public boundary (openlz.api.convert) and options validation.

References: superoperator conversions are checked against the direct matrix products
A rho B (closed form) and against QuTiP's own ``liouvillian`` / ``operator_to_vector``.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
import qutip as qt
from conftest import random_density_matrices

import openlz
from openlz.api.convert import (
    as_operator,
    as_state,
    super_from_qutip,
    super_to_qutip,
)
from openlz.api.timedep import as_time_operator
from openlz.core.liouvillian import liouvillian, unvec, vec


def _rand_op(rng, n):
    return rng.normal(size=(n, n)) + 1j * rng.normal(size=(n, n))


def test_qutip_super_is_permuted_to_row_major(rng):
    """QuTiP's sprepost(A, B) acts on column-stacked vectors; converted, it must act on
    openlz's row-major vec(rho) as rho -> A rho B (reference: the matrix product itself)."""
    n = 3
    a, b = _rand_op(rng, n), _rand_op(rng, n)
    rho = random_density_matrices(rng, 1, n)[0]
    s_row = super_from_qutip(qt.sprepost(qt.Qobj(a), qt.Qobj(b)).full())
    np.testing.assert_allclose(unvec(s_row @ vec(rho)), a @ rho @ b, atol=1e-12)
    # the unconverted matrix is wrong in openlz's convention (the bug of issue 10)
    raw = qt.sprepost(qt.Qobj(a), qt.Qobj(b)).full()
    assert np.max(np.abs(unvec(raw @ vec(rho)) - a @ rho @ b)) > 0.1


def test_qutip_liouvillian_equals_openlz_liouvillian(rng):
    """Two independent constructions of the same Lindblad generator: QuTiP's (converted) and
    openlz.core.liouvillian."""
    n = 3
    h = _rand_op(rng, n)
    h = h + h.conj().T
    cs = [_rand_op(rng, n) for _ in range(2)]
    lq = qt.liouvillian(qt.Qobj(h), [qt.Qobj(c) for c in cs])
    ours = liouvillian(h, cs)
    np.testing.assert_allclose(openlz.api.as_superoperator(lq, "L"), ours, atol=1e-12)
    back = super_to_qutip(ours)
    np.testing.assert_allclose(back.full(), lq.full(), atol=1e-12)
    # QuTiP's own column stacking, as a second check of the permutation
    rho = random_density_matrices(rng, 1, n)[0]
    lhs = (lq * qt.operator_to_vector(qt.Qobj(rho))).full()[:, 0]
    np.testing.assert_allclose(qt.vector_to_operator(qt.Qobj(lhs, dims=[[[n], [n]], [1]])).full(),
                               unvec(ours @ vec(rho)), atol=1e-12)


def test_choi_superrep_is_converted_via_to_super(rng):
    """A QuTiP super in the Choi representation is converted to the 'super' one first
    (reference: QuTiP's to_super of the same channel)."""
    a = _rand_op(rng, 2)
    s = qt.sprepost(qt.Qobj(a), qt.Qobj(a.conj().T))
    choi = qt.to_choi(s)
    np.testing.assert_allclose(openlz.api.as_superoperator(choi, "L"), super_from_qutip(s.full()),
                               atol=1e-12)


def test_states_from_kets_bras_arrays_and_lists(rng):
    psi = np.array([0.6, 0.8j])
    dm = np.outer(psi, psi.conj())
    np.testing.assert_allclose(as_state(qt.Qobj(psi)), dm)
    np.testing.assert_allclose(as_state(qt.Qobj(psi).dag()), dm)
    np.testing.assert_allclose(as_state(psi), dm)
    np.testing.assert_allclose(as_state(np.stack([psi[:, None]] * 3)), np.stack([dm] * 3))
    np.testing.assert_allclose(as_state([qt.Qobj(psi), qt.Qobj(dm)]), np.stack([dm, dm]))
    two = qt.tensor(qt.basis(2, 0), qt.basis(2, 1))
    assert as_state(two).shape == (4, 4) and as_state(two)[1, 1] == 1


def test_list_form_and_literal_matrices():
    """[[0, 1], [1, 0]] is a matrix; [H0, [H1, f]] is QuTiP's list form; [A, B] of Qobjs sums."""
    op = as_time_operator([[0, 1], [1, 0]], "H", 2)
    assert op.is_constant and op.constant.shape == (2, 2)
    lf = as_time_operator([qt.sigmaz(), [qt.sigmax(), lambda t: t]], "H", 2)
    assert len(lf.terms) == 1 and lf.terms[0][1](2.0) == 2.0
    s = as_time_operator([qt.sigmaz(), qt.sigmax()], "H", 2)
    np.testing.assert_allclose(s.constant, (qt.sigmaz() + qt.sigmax()).full())
    with_args = as_time_operator([qt.sigmaz(), [qt.sigmax(), lambda t, args: args["w"] * t]],
                                 "H", 2, args={"w": 3.0})
    assert with_args.terms[0][1](2.0) == 6.0


def test_bad_shapes_name_the_argument_and_shapes():
    rho0 = np.diag([1.0, 0.0])
    with pytest.raises(openlz.ParameterError, match=r"'H'.*shape \(3, 3\).*\(\.\.\., 2, 2\)"):
        openlz.mesolve(np.eye(3), rho0, [0, 1])
    with pytest.raises(openlz.ParameterError, match=r"'c_ops\[1\]'.*\(3, 3\)"):
        openlz.mesolve(np.eye(2), rho0, [0, 1], c_ops=[np.eye(2), np.eye(3)])
    with pytest.raises(openlz.ParameterError, match=r"'rho0'.*\(2, 3\)"):
        openlz.mesolve(np.eye(2), np.ones((2, 3)), [0, 1])
    with pytest.raises(openlz.ParameterError, match=r"batch.*\(3,\).*\(4,\)"):
        openlz.mesolve(np.zeros((3, 2, 2)), np.broadcast_to(rho0, (4, 2, 2)), [0, 1])
    with pytest.raises(openlz.ParameterError, match=r"'times'"):
        openlz.mesolve(np.eye(2), rho0, [0, 2, 1])
    with pytest.raises(openlz.ParameterError, match=r"'e_ops\[0\]'.*\(3, 3\)"):
        openlz.mesolve(np.eye(2), rho0, [0, 1], e_ops=[np.eye(3)])
    with pytest.raises(openlz.ParameterError, match=r"'H'.*callable returning.*\(3, 3\)"):
        openlz.mesolve(lambda t: np.eye(3), rho0, [0, 1])
    with pytest.raises(openlz.ParameterError, match=r"'c_ops\[0\]'.*type 'ket'"):
        openlz.mesolve(qt.sigmaz(), rho0, [0, 1], c_ops=[qt.basis(2, 0)])
    with pytest.raises(openlz.ParameterError, match=r"must be an operator"):
        as_operator(qt.basis(2, 0), "x")


def test_unknown_and_bad_options_are_rejected():
    rho0 = np.diag([1.0, 0.0])
    with pytest.raises(openlz.ParameterError, match=r"options\['tolerance'\].*unknown option"):
        openlz.mesolve(np.eye(2), rho0, [0, 1], options={"tolerance": 1e-3})
    with pytest.raises(openlz.ParameterError, match=r"nsteps.*max_steps"):
        openlz.Options(nsteps=100)
    with pytest.raises(openlz.ParameterError, match=r"options\['rtol'\].*> 0"):
        openlz.Options(rtol=-1)
    with pytest.raises(openlz.ParameterError, match=r"options\['method'\]"):
        openlz.Options(method="adams")
    with pytest.raises(openlz.ParameterError, match=r"options\['max_steps'\]"):
        openlz.Options(max_steps=0)
    with pytest.raises(openlz.ParameterError, match=r"'options'"):
        openlz.mesolve(np.eye(2), rho0, [0, 1], options=[("rtol", 1)])
    o = openlz.Options(rtol=1e-6)
    assert o["rtol"] == 1e-6 and o.replace(atol=1e-9)["atol"] == 1e-9 and "rtol=1e-06" in repr(o)
    assert openlz.Options.resolve({"method": "dopri5"}).ode_options().method == "dopri5"


def test_qutip_is_not_imported_by_openlz():
    """QuTiP is an interop/test dependency only: importing openlz must not import it."""
    code = "import sys, openlz; openlz.mesolve([[0, 1], [1, 0]], [1, 0], [0, 1]); " \
           "assert 'qutip' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
