"""Bad-call fuzz of the Python API (issue 12: "Python API: raw exceptions in 70 bad calls").

Each case is one call of a public function (``openlz.mesolve``, ``steadystate``,
``amesolve``, ``fmmesolve``, ``floquet_markov_steadystate``, ``collisions``, the dephasing
functions, the baths, the entanglement measures, ``Model.evaluate``) with one argument
wrong: wrong shape, wrong type, NaN/inf, non-monotonic or complex times, bad options.
Every case is classified:

* ``clean``   raised :class:`openlz.ParameterError` (or another ``OpenlzError``) whose
              message names the argument the case spoiled;
* ``vague``   raised an openlz error that does not name that argument;
* ``raw``     raised any other exception (numpy, xarray, Python: ``TypeError``,
              ``LinAlgError``, ``IndexError``...);
* ``nan``     returned NaN for a NaN entry, where that is the documented answer (element-wise
              functions of data: a state's concurrence, a bath's rate at a frequency);
* ``silent``  returned although the input is wrong (a silent coercion), or a number where
              NaN is the documented answer;
* ``hang``    not finished within the time bound.

Run all and print the counts: ``python tests/fuzz_api.py``.
"""

from __future__ import annotations

import signal
import sys
import time
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

SX = np.array([[0, 1], [1, 0]], complex)
SZ = np.diag([1.0, -1.0]).astype(complex)
SM = np.array([[0, 0], [1, 0]], complex)
RHO = np.diag([1.0, 0.0]).astype(complex)
T3 = np.linspace(0.0, 1.0, 3)
NAN2 = np.full((2, 2), np.nan)


@dataclass
class ApiCase:
    """One bad call; ``names`` are the words one of which the error message must contain;
    ``nan``: the documented answer is NaN (element-wise functions of data), not an error."""

    label: str
    call: Callable[[], object]
    names: tuple[str, ...]
    nan: bool = False


def _cases() -> list[ApiCase]:
    import openlz
    from openlz.models import get_model

    ms, ss, am = openlz.mesolve, openlz.steadystate, openlz.amesolve
    fs, fm = openlz.floquet_markov_steadystate, openlz.fmmesolve
    co = openlz.collisions
    bath = openlz.OhmicBath(0.01, 10.0, 0.1)
    hf = [SZ, [SX, lambda t: np.cos(t)]]
    aops = [(SX, bath)]
    cnot = np.eye(4, dtype=complex)[[0, 1, 3, 2]]
    anc = np.array([1.0, 0.0])

    def C(label, call, *names, nan=False):  # noqa: N802 - short local constructor
        return ApiCase(label, call, names, nan)

    cases = [
        # ------------------------------------------------------------- mesolve
        C("mesolve H non-square", lambda: ms(np.ones((2, 3)), RHO, T3), "H"),
        C("mesolve H 3x3 vs rho0 2x2", lambda: ms(np.eye(3), RHO, T3), "H"),
        C("mesolve rho0 (2,3)", lambda: ms(SZ, np.ones((2, 3)), T3), "rho0"),
        C("mesolve rho0 NaN", lambda: ms(SZ, NAN2, T3), "rho0"),
        C("mesolve rho0 inf", lambda: ms(SZ, np.full((2, 2), np.inf), T3), "rho0"),
        C("mesolve rho0 None", lambda: ms(SZ, None, T3), "rho0"),
        C("mesolve rho0 string", lambda: ms(SZ, "up", T3), "rho0"),
        C("mesolve rho0 zero ket", lambda: ms(SZ, np.zeros(2), T3), "rho0"),
        C("mesolve rho0 scalar", lambda: ms(SZ, 1.0, T3), "rho0"),
        C("mesolve H NaN", lambda: ms(NAN2, RHO, T3), "H"),
        C("mesolve H inf", lambda: ms(np.full((2, 2), np.inf), RHO, T3), "H"),
        C("mesolve H string", lambda: ms("sz", RHO, T3), "H"),
        C("mesolve times NaN", lambda: ms(SZ, RHO, [0.0, np.nan]), "times"),
        C("mesolve times non-monotonic", lambda: ms(SZ, RHO, [0.0, 2.0, 1.0]), "times"),
        C("mesolve times empty", lambda: ms(SZ, RHO, []), "times"),
        C("mesolve times 2-D", lambda: ms(SZ, RHO, np.zeros((2, 2))), "times"),
        C("mesolve times complex", lambda: ms(SZ, RHO, np.array([0.0, 1 + 1j])), "times"),
        C("mesolve times strings", lambda: ms(SZ, RHO, ["a", "b"]), "times"),
        C("mesolve times None", lambda: ms(SZ, RHO, None), "times"),
        C("mesolve c_ops a number", lambda: ms(SZ, RHO, T3, 3.0), "c_ops"),
        C("mesolve c_ops wrong shape", lambda: ms(SZ, RHO, T3, [np.eye(3)]), "c_ops"),
        C("mesolve c_ops NaN", lambda: ms(SZ, RHO, T3, [NAN2]), "c_ops"),
        C("mesolve e_ops wrong shape", lambda: ms(SZ, RHO, T3, [], [np.eye(3)]), "e_ops"),
        C("mesolve e_ops string", lambda: ms(SZ, RHO, T3, [], "sz"), "e_ops"),
        C("mesolve options unknown", lambda: ms(SZ, RHO, T3, options={"nsteps": 5}), "nsteps"),
        C("mesolve options rtol -1", lambda: ms(SZ, RHO, T3, options={"rtol": -1}), "rtol"),
        C("mesolve options rtol NaN", lambda: ms(SZ, RHO, T3, options={"rtol": np.nan}), "rtol"),
        C("mesolve options rtol 1e6", lambda: ms(SZ, RHO, T3, options={"rtol": 1e6}), "rtol"),
        C("mesolve options atol string", lambda: ms(SZ, RHO, T3, options={"atol": "x"}), "atol"),
        C("mesolve options max_steps 0", lambda: ms(SZ, RHO, T3, options={"max_steps": 0}),
          "max_steps"),
        C("mesolve options method bogus", lambda: ms(SZ, RHO, T3, options={"method": "rk99"}),
          "method"),
        C("mesolve options not a dict", lambda: ms(SZ, RHO, T3, options=5), "options"),
        C("mesolve coefficient returns string",
          lambda: ms([SZ, [SX, lambda t: "x"]], RHO, T3), "H"),
        C("mesolve coefficient returns NaN",
          lambda: ms([SZ, [SX, lambda t: np.nan]], RHO, T3), "H"),
        C("mesolve coefficient raises",
          lambda: ms([SZ, [SX, lambda t: 1 / 0]], RHO, T3), "H"),
        C("mesolve callable H wrong shape", lambda: ms(lambda t: np.eye(3), RHO, T3), "H"),
        C("mesolve list form malformed", lambda: ms([SZ, [SX]], RHO, T3), "H"),
        C("mesolve batches do not broadcast",
          lambda: ms(np.stack([SZ] * 3), np.stack([RHO] * 4), T3), "rho0", "H", "batch"),
        C("mesolve Liouvillian 5x5", lambda: ms(np.eye(5), RHO, T3), "H"),
        C("mesolve args not a mapping", lambda: ms([SZ, [SX, lambda t, a: a["w"]]], RHO, T3,
                                                    args=3), "args"),
        # ------------------------------------------------------------- steadystate
        C("steadystate H non-square", lambda: ss(np.ones((2, 3)), [SM]), "H"),
        C("steadystate c_ops wrong shape", lambda: ss(SZ, [np.eye(3)]), "c_ops", "H"),
        C("steadystate tol -1", lambda: ss(SZ, [SM], tol=-1), "tol"),
        C("steadystate tol NaN", lambda: ss(SZ, [SM], tol=np.nan), "tol"),
        C("steadystate H NaN", lambda: ss(NAN2, [SM]), "H"),
        C("steadystate c_ops NaN", lambda: ss(SZ, [NAN2]), "c_ops"),
        C("steadystate H string", lambda: ss("sz", [SM]), "H"),
        C("steadystate nothing", lambda: ss(None, None), "H", "c_ops"),
        C("steadystate rho0 wrong dim", lambda: ss(SZ, [SM], rho0=np.eye(3) / 3), "rho0", "H"),
        # ------------------------------------------------------------- amesolve + baths
        C("amesolve a_ops a number", lambda: am(hf, RHO, T3, 3.0), "a_ops"),
        C("amesolve a_ops bath a string", lambda: am(hf, RHO, T3, [(SX, "ohmic")]), "a_ops"),
        C("amesolve a_ops A wrong shape", lambda: am(hf, RHO, T3, [(np.eye(3), bath)]), "a_ops"),
        C("amesolve a_ops A NaN", lambda: am(hf, RHO, T3, [(NAN2, bath)]), "a_ops"),
        C("amesolve times NaN", lambda: am(hf, RHO, [0.0, np.nan], aops), "times"),
        C("amesolve rho0 wrong dim", lambda: am(hf, np.eye(3) / 3, T3, aops), "rho0", "H"),
        C("amesolve options unknown", lambda: am(hf, RHO, T3, aops, options={"foo": 1}), "foo"),
        C("OhmicBath eta -1", lambda: openlz.OhmicBath(-1.0, 10.0, 0.1), "eta"),
        C("OhmicBath eta NaN", lambda: openlz.OhmicBath(np.nan, 10.0, 0.1), "eta"),
        C("OhmicBath wc 0", lambda: openlz.OhmicBath(0.01, 0.0, 0.1), "wc"),
        C("OhmicBath T -1", lambda: openlz.OhmicBath(0.01, 10.0, -1.0), "T"),
        C("OhmicBath T inf", lambda: openlz.OhmicBath(0.01, 10.0, np.inf), "T"),
        C("OhmicBath cutoff bogus", lambda: openlz.OhmicBath(0.01, 10.0, 0.1, cutoff="x"),
          "cutoff"),
        C("OhmicBath eta string", lambda: openlz.OhmicBath("a", 10.0, 0.1), "eta"),
        C("Bath J a string", lambda: openlz.Bath("x", 0.1), "spectral_density", "J"),
        C("Bath gamma at NaN", lambda: bath.gamma(np.array([np.nan])), nan=True),
        # ------------------------------------------------------------- Floquet
        C("floquet_ss omega 0", lambda: fs(hf, 0.0, aops), "omega"),
        C("floquet_ss omega NaN", lambda: fs(hf, np.nan, aops), "omega"),
        C("floquet_ss omega -1", lambda: fs(hf, -1.0, aops), "omega"),
        C("floquet_ss omega string", lambda: fs(hf, "w", aops), "omega"),
        C("floquet_ss a_ops empty", lambda: fs(hf, 1.0, []), "a_ops"),
        C("floquet_ss a_ops A wrong shape", lambda: fs(hf, 1.0, [(np.eye(3), bath)]), "a_ops",
          "H"),
        C("floquet_ss a_ops spectrum a number", lambda: fs(hf, 1.0, [(SX, 3.0)]), "a_ops"),
        C("floquet_ss steps 0", lambda: fs(hf, 1.0, aops, {"steps": 0}), "steps"),
        C("floquet_ss steps 96.7", lambda: fs(hf, 1.0, aops, {"steps": np.array([96.7])}),
          "steps"),
        C("floquet_ss kmax -1", lambda: fs(hf, 1.0, aops, {"kmax": -1}), "kmax"),
        C("floquet_ss steady bogus", lambda: fs(hf, 1.0, aops, {"steady": "x"}), "steady"),
        C("floquet_ss H NaN", lambda: fs([NAN2, [SX, np.cos]], 1.0, aops), "H"),
        C("fmmesolve rho0 wrong dim", lambda: fm(hf, np.eye(3) / 3, T3, 1.0, aops), "rho0", "H"),
        C("fmmesolve times decreasing", lambda: fm(hf, RHO, [1.0, 0.5, 0.0], 1.0, aops), "times"),
        C("fmmesolve omega inf", lambda: fm(hf, RHO, T3, np.inf, aops), "omega"),
        C("fmmesolve e_ops wrong shape", lambda: fm(hf, RHO, T3, 1.0, aops, [np.eye(3)]), "e_ops"),
        # ------------------------------------------------------------- collisions
        C("collisions U 6x6", lambda: co(np.eye(6), RHO, anc, 3), "U", "ancillas"),
        C("collisions U non-square", lambda: co(np.ones((4, 3)), RHO, anc, 3), "U"),
        C("collisions n -1", lambda: co(cnot, RHO, anc, -1), "n_collisions"),
        C("collisions n 1.5", lambda: co(cnot, RHO, anc, 1.5), "n_collisions"),
        C("collisions n inf", lambda: co(cnot, RHO, anc, np.inf), "n_collisions"),
        C("collisions n 10**12", lambda: co(cnot, RHO, anc, 10**12), "n_collisions",
          "collisions"),
        C("collisions n missing", lambda: co(cnot, RHO, anc), "n_collisions"),
        C("collisions list length mismatch", lambda: co(cnot, RHO, [anc, anc], 3),
          "n_collisions", "ancillas"),
        C("collisions rho0 NaN", lambda: co(cnot, NAN2, anc, 3), "rho0"),
        C("collisions U NaN", lambda: co(np.full((4, 4), np.nan), RHO, anc, 3), "U"),
        C("collisions U not unitary", lambda: co(2 * cnot, RHO, anc, 3), "U"),
        # ------------------------------------------------------------- dephasing
        C("dephasing_lindbladian H non-Hermitian",
          lambda: openlz.dephasing_lindbladian(SM, gamma=1.0), "H"),
        C("dephasing_lindbladian gamma -1", lambda: openlz.dephasing_lindbladian(SZ, gamma=-1.0),
          "gamma"),
        C("dephasing_lindbladian gamma NaN",
          lambda: openlz.dephasing_lindbladian(SZ, gamma=np.nan), "gamma"),
        C("dephasing_p s_range reversed", lambda: openlz.dephasing_transition_probability(
            lambda s: s * SZ + SX, (1.0, -1.0), 0.1), "s_range"),
        C("dephasing_p eps 0", lambda: openlz.dephasing_transition_probability(
            lambda s: s * SZ + SX, (-1.0, 1.0), 0.0), "eps"),
        C("dephasing_p eps NaN", lambda: openlz.dephasing_transition_probability(
            lambda s: s * SZ + SX, (-1.0, 1.0), np.nan), "eps"),
        C("dephasing_p initial_level 5", lambda: openlz.dephasing_transition_probability(
            lambda s: s * SZ + SX, (-1.0, 1.0), 0.1, initial_level=5), "initial_level"),
        C("dephasing_p initial_level 0.5", lambda: openlz.dephasing_transition_probability(
            lambda s: s * SZ + SX, (-1.0, 1.0), 0.1, initial_level=0.5), "initial_level"),
        C("dephasing_p H string", lambda: openlz.dephasing_transition_probability(
            "H", (-1.0, 1.0), 0.1), "H"),
        # ------------------------------------------------------------- measures
        C("concurrence 3x3", lambda: openlz.concurrence(np.eye(3) / 3), "rho"),
        C("concurrence NaN", lambda: openlz.concurrence(np.full((4, 4), np.nan)), nan=True),
        C("negativity NaN in a batch", lambda: openlz.negativity(
            np.stack([np.eye(4) / 4, np.full((4, 4), np.nan)]))[1], nan=True),
        C("concurrence string", lambda: openlz.concurrence("bell"), "rho"),
        C("negativity subsystem 5", lambda: openlz.negativity(np.eye(4) / 4, subsystem=5),
          "subsystem"),
        C("partial_trace keep 3", lambda: openlz.partial_trace(np.eye(4) / 4, keep=3), "keep"),
        C("partial_trace dims mismatch",
          lambda: openlz.partial_trace(np.eye(4) / 4, keep=0, dims=(3, 3)), "dims", "rho"),
        C("fidelity shape mismatch", lambda: openlz.fidelity(np.eye(4) / 4, RHO), "sigma", "rho"),
        C("purity None", lambda: openlz.purity(None), "rho"),
        # ------------------------------------------------------------- models
        C("Model.evaluate times complex", lambda: get_model("magnetic-medium").evaluate(
            {}, np.array([0.0, 1 + 1j]), ["concurrence"]), "times"),
        C("Model.evaluate steps 96.7", lambda: get_model("driven-qubits").evaluate(
            {"steps": np.array([96.7])}, None, ["steady_concurrence"]), "steps"),
        C("Model.evaluate unknown parameter", lambda: get_model("magnetic-medium").evaluate(
            {"bogus": 1.0}, None, ["concurrence"]), "bogus"),
        C("Model.evaluate unknown observable", lambda: get_model("magnetic-medium").evaluate(
            {}, None, ["bogus"]), "bogus"),
        C("Model.evaluate delta string", lambda: get_model("magnetic-medium").evaluate(
            {"delta": "x"}, None, ["concurrence"]), "delta"),
    ]
    return cases


@dataclass
class ApiOutcome:
    case: ApiCase
    kind: str
    seconds: float
    detail: str = ""


class _Timeout(BaseException):
    pass


def run_case(case: ApiCase, timeout: float = 60.0) -> ApiOutcome:
    """Call one case under a wall-clock alarm and classify it."""
    from openlz.errors import OpenlzError

    def alarm(signum, frame):
        raise _Timeout()

    old = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    t0 = time.perf_counter()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = case.call()
        if case.nan:
            allnan = bool(np.all(np.isnan(np.asarray(value, dtype=float))))
            kind, detail = ("nan", "NaN") if allnan else ("silent", f"returned {value!r}")
        else:
            kind, detail = "silent", "returned"
    except _Timeout:
        kind, detail = "hang", f"> {timeout:g} s"
    except OpenlzError as e:
        msg = str(e)
        named = any(n.lower() in msg.lower() for n in case.names)
        kind, detail = ("clean" if named else "vague"), f"{type(e).__name__}: {msg[:200]}"
        if case.nan:
            kind, detail = "silent", f"raised instead of NaN: {msg[:200]}"
    except Exception as e:  # noqa: BLE001 - a raw exception is what we look for
        kind, detail = "raw", f"{type(e).__name__}: {str(e)[:200]}"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    return ApiOutcome(case, kind, time.perf_counter() - t0, detail)


def cases() -> list[ApiCase]:
    """Every API fuzz case (deterministic order)."""
    return _cases()


def run_all(selected: list[ApiCase] | None = None, timeout: float = 60.0,
            log: Callable[[str], None] | None = None) -> list[ApiOutcome]:
    out = []
    for c in selected if selected is not None else cases():
        o = run_case(c, timeout)
        out.append(o)
        if log is not None and (o.kind != "clean" or "-v" in sys.argv):
            log(f"{o.kind:6s} {o.seconds:5.1f}s  {c.label}\n         {o.detail}")
    return out


def counts(outcomes: list[ApiOutcome]) -> Counter:
    c = Counter(o.kind for o in outcomes)
    c["cases"] = len(outcomes)
    return c


if __name__ == "__main__":  # pragma: no cover - manual run
    t0 = time.perf_counter()
    res = run_all(log=lambda s: print(s, flush=True))
    c = counts(res)
    print(f"cases {c['cases']}: clean {c['clean']}, nan {c['nan']}, vague {c['vague']}, "
          f"raw {c['raw']}, silent {c['silent']}, hang {c['hang']} "
          f"({time.perf_counter() - t0:.0f} s)")
