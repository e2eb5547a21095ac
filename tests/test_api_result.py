"""openlz.Result: to_qobj round trips, to_xarray layout and metadata, extras, repr.

References: the arrays the Result was built from (round trips), QuTiP's own Qobj.full().
"""

from __future__ import annotations

import json

import numpy as np
import pytest
import qutip as qt

import openlz
from openlz.api.convert import as_state


@pytest.fixture
def batched():
    det = np.array([-1.0, 0.0, 1.0])
    h = 0.5 * det[:, None, None] * qt.sigmaz().full() + 0.3 * qt.sigmax().full()
    return openlz.mesolve(h, qt.basis(2, 0), np.linspace(0, 2, 5), [qt.sigmam()],
                          e_ops={"z": qt.sigmaz()}, options={"store_states": True}), det


def test_to_qobj_round_trips_unbatched_and_batched(batched):
    res, _ = batched
    nested = res.to_qobj()
    assert len(nested) == 3 and len(nested[0]) == 5 and isinstance(nested[0][0], qt.Qobj)
    np.testing.assert_array_equal(as_state(nested), res.states)
    np.testing.assert_array_equal(nested[2][4].full(), res.states[2, 4])
    finals = res.to_qobj(final=True)
    np.testing.assert_array_equal(as_state(finals), res.final_state)
    one = openlz.mesolve(qt.sigmaz(), qt.basis(2, 0), [0.0, 1.0])
    assert isinstance(one.to_qobj(final=True), qt.Qobj)
    # a Result's state fed back into mesolve continues the evolution (round trip through QuTiP)
    again = openlz.mesolve(qt.sigmaz(), one.to_qobj()[-1], [1.0, 2.0])
    ref = openlz.mesolve(qt.sigmaz(), qt.basis(2, 0), [0.0, 2.0])
    np.testing.assert_allclose(again.final_state, ref.final_state, atol=1e-13)


def test_to_qobj_keeps_tensor_dims():
    """Two-qubit Qobj input: the output Qobjs carry dims [[2, 2], [2, 2]] (QuTiP's tensor)."""
    psi = qt.tensor(qt.basis(2, 0), qt.basis(2, 1))
    h = qt.tensor(qt.sigmax(), qt.sigmax())
    res = openlz.mesolve(h, psi, [0.0, 0.5])
    q = res.to_qobj()[-1]
    assert q.dims == [[2, 2], [2, 2]]
    ref = qt.mesolve(h, psi, [0.0, 0.5], options={"atol": 1e-12, "rtol": 1e-10}).states[-1]
    np.testing.assert_allclose(q.full(), qt.ket2dm(ref).full(), atol=1e-8)  # QuTiP returns a ket
    assert qt.ptrace(q, 0).shape == (2, 2)


def test_to_xarray_dims_coords_and_attrs(batched):
    res, det = batched
    ds = res.to_xarray(batch_dims=("detuning",), coords={"detuning": det})
    assert ds["states"].dims == ("detuning", "time", "row", "col")
    assert ds["expect_z"].dims == ("detuning", "time")
    np.testing.assert_array_equal(ds["expect_z"].values, res.expect[0])
    np.testing.assert_array_equal(ds["detuning"].values, det)
    np.testing.assert_array_equal(ds["time"].values, res.times)
    assert ds.attrs["solver"] == "mesolve" and ds.attrs["openlz_version"] == openlz.__version__
    assert json.loads(ds.attrs["options"])["rtol"] == 1e-8
    assert json.loads(ds.attrs["validity"])["physicality"]["ok"] is True
    default = res.to_xarray()
    assert default["states"].dims[0] == "batch_0"
    with pytest.raises(ValueError, match="batch_dims"):
        res.to_xarray(batch_dims=("a", "b"))


def test_extras_are_attributes_and_xarray_variables():
    """The extras mechanism other solvers use (e.g. rates of a Floquet–Markov steady state)."""
    rho = np.broadcast_to(np.eye(2) / 2, (4, 1, 2, 2))
    rates = np.arange(16.0).reshape(4, 2, 2)
    r = openlz.Result([np.inf], rho, solver="demo", extras={"rates": rates, "note": "x"},
                      extra_dims={"rates": ("to", "from")})
    assert r.rates is rates and r.note == "x" and r.state.shape == (4, 2, 2)
    ds = r.to_xarray()
    assert ds["rates"].dims == ("batch_0", "to", "from") and ds.attrs["note"] == "x"
    with pytest.raises(AttributeError, match="rates"):
        r.missing  # noqa: B018
    with pytest.raises(ValueError, match="batch shape"):
        openlz.Result([np.inf], rho, extras={"bad": np.zeros(3)})


def test_repr_is_readable(batched):
    res, _ = batched
    text = repr(res)
    assert text.startswith("openlz.Result(mesolve: batch (3,), 5 times in [0, 2], n = 2)")
    assert "states      (3, 5, 2, 2)" in text and "expect['z'] (3, 5)" in text
    assert "physicality=ok" in text
