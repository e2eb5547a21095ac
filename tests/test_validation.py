"""Parameter parsing / validation helpers and physicality checks.

Expected values are the numbers the strings denote; a malformed string must raise
``ParameterError`` whose message names the parameter.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from openlz.core.checks import check_states
from openlz.core.validation import (
    first_bad,
    parse_bool,
    parse_number,
    parse_times,
    require,
    require_finite,
    require_nonnegative,
    require_positive,
)
from openlz.errors import ParameterError, PhysicalityWarning


@pytest.mark.parametrize(("text", "kind", "value"), [
    ("pi/2", "float", math.pi / 2), ("1e-4", "float", 1e-4), ("-3", "float", -3.0),
    ("2*pi", "float", 2 * math.pi), (" 0.5 ", "float", 0.5), ("2**3", "int", 8), ("4", "int", 4),
    ("3+1j", "complex", 3 + 1j), ("1j", "complex", 1j), ("-2.5", "complex", -2.5 + 0j),
    ("inf", "float", math.inf), ("1e3/4", "float", 250.0), ("3+0j", "float", 3.0),
    (2.5, "float", 2.5), (np.float64(0.25), "float", 0.25),
])
def test_parse_number(text, kind, value):
    out = parse_number("gamma", text, kind)
    assert out == value and type(out) is {"float": float, "int": int, "complex": complex}[kind]


@pytest.mark.parametrize(("text", "kind"), [
    ("abc", "float"), ("1e", "float"), ("", "float"), ("pi/0", "float"), ("__import__('os')", "float"),
    ("[1, 2]", "float"), ("3+1j", "float"), ("3.5", "int"), ("1 +", "float"), ("x*2", "complex"),
    ("True", "float"), ("(1).real", "float"), ("10**10**10", "float"), ("9**9**9", "int"),
    ("(-8)**0.5", "float"),
])
@pytest.mark.timeout(10)  # an exact integer tower 10**10**10 used to run for ever
def test_parse_number_rejects_malformed(text, kind):
    with pytest.raises(ParameterError, match="'gamma'") as info:
        parse_number("gamma", text, kind)
    assert info.value.name == "gamma" and isinstance(info.value, ValueError)


def test_parse_bool():
    assert parse_bool("b", "yes") is True and parse_bool("b", "Off") is False
    assert parse_bool("b", True) is True
    with pytest.raises(ParameterError, match="'b'"):
        parse_bool("b", "maybe")


def test_parse_times():
    np.testing.assert_allclose(parse_times("0:10:11"), np.linspace(0, 10, 11))
    np.testing.assert_allclose(parse_times("-pi:pi:3"), [-math.pi, 0, math.pi])
    assert parse_times("2:2:1").tolist() == [2.0]
    for bad in ("0:10", "0:10:0", "10:0:5", "0:inf:3", "0:1:2.5", "a:1:2", "0:1:1e12"):
        with pytest.raises(ParameterError, match="times"):
            parse_times(bad)


def test_require_helpers_name_first_bad_value():
    require_positive("gamma", np.array([1.0, 2.0]))
    with pytest.raises(ParameterError, match=r"'gamma' = -2\.0: must be > 0 \(paper 004\)"):
        require_positive("gamma", np.array([1.0, -2.0, -3.0]), source="paper 004")
    with pytest.raises(ParameterError, match="finite"):
        require_finite("w", np.nan)
    with pytest.raises(ParameterError, match=">= 0"):
        require_nonnegative("T", -1e-3)
    with pytest.raises(ParameterError, match=r"'A' = 3\.0: must be <= B"):
        require("A", np.array([1.0, 3.0]), np.array([1.0, 3.0]) <= 2.0, "must be <= B")
    assert first_bad(np.array([[1, 2], [3, 4]]), np.array([[True, True], [False, True]])) == 3
    assert first_bad(5.0, False) == 5.0


# ------------------------------------------------------------------ physicality checks

def test_physical_states_pass_silently(rng):
    from conftest import random_density_matrices

    rho = random_density_matrices(rng, 20)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = check_states(rho)
    assert res.ok and res.trace_error < 1e-14 and res.min_eigenvalue > 0
    assert res.as_dict()["ok"] is True


@pytest.mark.parametrize(("rho", "field"), [
    (np.diag([0.6, 0.5]), "trace_error"),                        # trace 1.1
    (np.array([[0.5, 0.3], [0.1, 0.5]]), "hermiticity_error"),    # not Hermitian
    (np.diag([1.2, -0.2]), "min_eigenvalue"),                     # negative eigenvalue
])
def test_unphysical_states_warn(rho, field):
    with pytest.warns(PhysicalityWarning, match="physicality"):
        res = check_states(rho)
    assert not res.ok
    value = getattr(res, field)
    assert (value < -1e-3) if field == "min_eigenvalue" else (value > 1e-3)


def test_check_options():
    sub = 0.3 * np.eye(2)  # unnormalised conditional state: fine with normalized=False
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert check_states(sub, normalized=False).ok
        assert not check_states(sub, warn=False).ok
    assert check_states(np.diag([1.0 + 1e-7, -1e-7]), atol=1e-6, warn=False).ok
    assert not check_states(np.diag([1.0 + 1e-7, -1e-7]), atol=1e-9, warn=False).ok
