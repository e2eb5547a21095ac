"""Bad-input fuzz of the ``openlz`` command line (issue 12, item 7).

Cases: every model × every parameter × the bad-value classes of issue 12 (NaN, ±inf,
1e309, ±1e308, -1, 0, '', '1e', '0x10', '1+2j', 1e-300, huge integers, ...), plus malformed
``--times``, ``--grid``, ``--set``, ``--initial``, ``--observable`` and ``--processes``
forms.  Each case is run in-process through :func:`openlz.cli.main` under a wall-clock
alarm and classified:

* ``clean``      exit 2, exactly one stderr line ``openlz: error: ...``, no traceback;
* ``ok``         exit 0, every number in the JSON output finite and within the bounds of
                 its observable (probabilities, entanglement measures in [0, 1]);
* ``warned``     exit 0 with non-finite or out-of-bounds numbers *and* an openlz warning
                 (a documented, physically meaningful NaN, e.g. masked unphysical input);
* ``traceback``  any other exit status, a traceback, or more than one error line;
* ``hang``       not finished within the time bound;
* ``silent``     exit 0 with non-finite or out-of-bounds numbers and no openlz warning.

Run the whole set and print the counts: ``python tests/fuzz_cli.py [--sample |
--per-group=N] [--group=PREFIX]`` (``FUZZ_TIMEOUT`` seconds per case, default 60).
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import os
import re
import signal
import sys
import tempfile
import time
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

#: the bad-value classes of issue 12 (strings as a user types them after --set NAME=)
BAD_VALUES = ("nan", "inf", "-inf", "inf-inf", "1e309", "1e308", "-1e308", "-1", "0", "",
              "1e", "0x10", "1+2j", "1e-300", "10**30", "1e30", "99999999999999999999999",
              "2**64", "abc", "1/0")

#: malformed or extreme --times (all refused, or valid and cheap)
BAD_TIMES = ("0:1:inf", "0:1:nan", "0:1:1e30", "0:1:10**30", "0:1:10000000", "0:1e308:3",
             "0:inf:3", "-inf:0:3", "1:0:3", "0:1:0", "0:1:-1", "0:1", "", "a:b:c", "0:1:2.5",
             "-1e308:1e308:3", "0:1:3:4", "5:5:1", "0:1e-300:3", "0:1e300:2", "1e308:1e308:1",
             "0:1:1+2j", "0:1:99999999999999999999999")

#: malformed --set forms
BAD_SETS = ("novalue", "=1", "NAME==1", "NAME=" + "+".join(["1"] * 3000),
            "NAME=" + "(" * 500 + "1" + ")" * 500, "NAME=10**10**10", "NAME=__import__('os')",
            "NAME=pi*" + "9" * 400, "NAME=-" * 1 + "-" * 3000 + "1", "bogus=1")

#: malformed --grid forms for `openlz sweep` (NAME is the model's first float parameter)
BAD_GRIDS = ("NAME=0:1:inf", "NAME=0:1:10**9", "NAME=0:1:nan", "NAME=0:1:1e30", "NAME=",
             "=0:1:3", "NAME=0:1:3:foo", "NAME=1,1", "NAME=nan,1", "NAME=-1:1:3:log",
             "bogus=0:1:3", "NAME=0:1e308:3", "NAME=0:1:2.5", "NAME=inf,1", "NAME=1+2j,1",
             "NAME=0:1:99999999999999999999999")

#: observables cheap enough for the many valid-value cases (defaults are used otherwise)
CHEAP_OBSERVABLES = {
    "spin-reservoir": ["p_chain", "abs_k_chain", "p_continuous"],
    "dissipative-lz": ["negativity"],
    "driven-qubits": ["steady_concurrence"],
    "magnetic-medium": ["concurrence", "steady_concurrence"],
}
#: a short time grid per model for the parameter cases (their own default otherwise)
CHEAP_TIMES = {"dissipative-lz": "-10:10:5", "magnetic-medium": "0:2:5"}

#: names of observables whose values must lie in [0, 1] (probabilities, measures)
_UNIT = re.compile(r"(concurrence|negativity|probability|populations|^p_|^abs_k|"
                   r"entanglement|landau_zener|formula|exchange)")

_OPENLZ_WARNINGS = ("ValidityWarning", "PhysicalityWarning", "NonFiniteWarning",
                    "TruncationWarning", "AccuracyWarning")


def _warning_to_stderr(message, category, filename, lineno, file=None, line=None) -> None:
    """Print a warning as the ``openlz`` process does (to stderr, in the CLI's format)."""
    sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))


@dataclass
class Case:
    """One command line and the group it belongs to (for stratified sampling)."""

    args: list[str]
    group: str
    files: dict[str, bytes] = field(default_factory=dict)  # name -> content, in a temp dir

    @property
    def label(self) -> str:
        return " ".join(a if len(a) < 60 else a[:40] + f"...({len(a)} chars)" for a in self.args)


@dataclass
class Outcome:
    case: Case
    kind: str
    status: int | None
    seconds: float
    detail: str = ""


class _Timeout(BaseException):
    pass


def _models() -> dict:
    from openlz.models import all_models

    return all_models()


def _first_float(model) -> str:
    return next(p.name for p in model.params if p.kind == "float")


def cases() -> list[Case]:
    """Every fuzz case (deterministic order)."""
    out: list[Case] = []
    models = _models()
    for name, m in models.items():
        base = ["run", name, "--json"]
        obs = [a for o in CHEAP_OBSERVABLES.get(name, []) for a in ("-o", o)]
        tim = ["--times", CHEAP_TIMES[name]] if name in CHEAP_TIMES else []
        for p in m.params:
            for v in BAD_VALUES:
                out.append(Case([*base, *obs, *tim, "--set", f"{p.name}={v}"],
                                f"param:{name}:{p.kind}"))
        for t in BAD_TIMES:
            tobs = [o.name for o in m.observables if "time" in o.dims][:1]
            out.append(Case([*base, "--times", t, *[a for o in tobs for a in ("-o", o)]],
                            f"times:{name}"))
        first = m.params[0].name
        for s in BAD_SETS:
            out.append(Case([*base, *obs, *tim, "--set", s.replace("NAME", first)], f"set:{name}"))
        for o in ("bogus", "", "time"):
            out.append(Case([*base, "-o", o], f"observable:{name}"))
        g0 = _first_float(m)
        for g in BAD_GRIDS:
            out.append(Case(["sweep", name, "--grid", g.replace("NAME", g0), *obs, *tim,
                             "--out", "{tmp}/s.zarr", "--progress", "none"], f"grid:{name}"))
        for pr in ("1000", "-1", "x", "1e3"):
            out.append(Case(["sweep", name, "--grid", f"{g0}=1,2", *obs, *tim, "--processes",
                             pr, "--out", "{tmp}/p.zarr", "--progress", "none"],
                            f"processes:{name}"))
        if "initial" in m.options:
            out.extend(_initial_cases(name, obs, tim))
    out.extend(issue_cases())
    for extra in (["run", "nope"], ["sweep", "nope", "--grid", "a=0:1:2", "--out", "{tmp}/x"],
                  ["run", "magnetic-medium", "--out", "{tmp}/nodir/x.nc"],
                  ["reproduce", "nope"], ["report", "--out", "{tmp}/file"],
                  ["reproduce", "p004-fig2", "--out", "{tmp}/file"]):
        out.append(Case(extra, "misc", {"file": b"not a directory"}))
    return out


def issue_cases() -> list[Case]:
    """The reproduced failures listed in issue 12 (and issue 11 item 8), one case each."""
    run = ["run", "--json"]
    cmds = [
        ["spin-reservoir", "--set", "L=60"], ["spin-reservoir", "--set", "L=200"],
        ["spin-reservoir", "--set", "level_spacing=1000"],
        ["spin-reservoir", "--set", "config_tol=16"], ["spin-reservoir", "--set", "config_tol=nan"],
        ["spin-reservoir", "--set", "config_tol=-inf"],
        # T = 1e6 (a hang in the issue) now finishes in ~1 min in the rotated frame: a legal
        # slow run, not a bad input; 1e8 (projected ~16 h) must be refused by the watchdog
        ["dissipative-lz", "--set", "T=1e8"], ["driven-qubits", "--set", "T=1e6"],
        ["driven-qubits", "--set", "steps=10**7"], ["dissipative-lz", "--set", "lam=1e-300"],
        ["dissipative-lz", "--set", "rtol=1e6"],
        ["dissipative-lz", "--set", "rtol=0.01", "--set", "atol=0.01"],
        ["dephasing-lz", "--set", "g=0.158", "--set", "eps=0.0555", "--set", "gamma=1",
         "-o", "formula"],
        ["magnetic-medium", "--times", "0:1:10000000"],
    ]
    out = [Case([run[0], c[0], run[1], *c[1:]], "issue") for c in cmds]
    for m in ("magnetic-medium", "dissipative-lz", "spin-reservoir", "driven-qubits"):
        tobs = {"spin-reservoir": "p_continuous_t", "driven-qubits": "populations",
                "dissipative-lz": "negativity", "magnetic-medium": "concurrence"}[m]
        out.append(Case(["run", m, "--json", "--times", "0:1e308:3", "-o", tobs], "issue"))
    out.append(Case(["sweep", "magnetic-medium", "--grid", "delta=0:1:10**9", "--out",
                     "{tmp}/g.zarr", "--progress", "none"], "issue"))
    out.append(Case(["sweep", "magnetic-medium", "--grid", "delta=0:1:4", "-o",
                     "steady_concurrence", "--processes", "1000", "--out", "{tmp}/p.zarr",
                     "--progress", "none"], "issue"))
    return out


def _initial_cases(name: str, obs: list[str], tim: list[str]) -> list[Case]:
    def npy(a: np.ndarray) -> bytes:
        b = io.BytesIO()
        np.save(b, a)
        return b.getvalue()

    dim = 4
    good = np.eye(dim) / dim
    files = {
        "nan.npy": npy(np.full((dim, dim), np.nan)),
        "inf.npy": npy(np.full((dim, dim), np.inf)),
        "nonherm.npy": npy(np.triu(np.ones((dim, dim))) / dim),
        "negative.npy": npy(np.diag([1.5, -0.5, 0.0, 0.0])),
        "unnormalised.npy": npy(np.eye(dim)),
        "wrongdim.npy": npy(np.eye(3) / 3),
        "nonsquare.npy": npy(np.ones((4, 3))),
        "zeroket.npy": npy(np.zeros(dim)),
        "strings.npy": npy(np.array(["a", "b"])),
        "corrupt.npy": b"\x93NUMPY garbage",
        "empty.npy": b"",
        "good.npy": npy(good),
        "ket.npy": npy(np.array([1, 0, 0, 1]) / math.sqrt(2)),
        "complexket.npy": npy(np.array([1, 1j, 0, 0]) / math.sqrt(2)),
        "batch.npy": npy(np.stack([good, good])),
    }
    out = [Case(["run", name, "--json", *obs, *tim, "--initial", "{tmp}/" + f], f"initial:{name}",
                {f: b}) for f, b in files.items()]
    for label in ("bogus", "", "/nonexistent/x.npy", "00" * 100):
        out.append(Case(["run", name, "--json", *obs, *tim, "--initial", label],
                        f"initial:{name}"))
    return out


def sample(all_cases: list[Case], per_group: int = 2, seed: int = 12) -> list[Case]:
    """A stratified sample: ``per_group`` cases from every group (deterministic)."""
    rng = np.random.default_rng(seed)
    groups: dict[str, list[Case]] = {}
    for c in all_cases:
        groups.setdefault(c.group, []).append(c)
    out: list[Case] = []
    for g in sorted(groups):
        items = groups[g]
        idx = rng.choice(len(items), size=min(per_group, len(items)), replace=False)
        out.extend(items[i] for i in sorted(idx))
    return out


def _numbers(x, path: str = ""):
    """(path, value) of every number (and non-finite marker string) in a JSON object."""
    if isinstance(x, dict):
        for k, v in x.items():
            yield from _numbers(v, f"{path}.{k}" if path else str(k))
    elif isinstance(x, list):
        for v in x:
            yield from _numbers(v, path)
    elif isinstance(x, bool):
        return
    elif isinstance(x, (int, float)):
        yield path, float(x)
    elif x is None or x in ("NaN", "Infinity", "-Infinity"):
        yield path, float("nan") if x is None else float(x)


def _judge_output(stdout: str) -> str:
    """'' if the JSON output holds only finite, in-bounds observables, else a description."""
    try:
        obj = json.loads(stdout)
    except ValueError:
        return "exit 0 without valid JSON on stdout"
    bad = []
    for path, v in _numbers(obj.get("observables", {})):
        name = path.split(".")[0]
        if not math.isfinite(v):
            bad.append(f"{path}={v}")
        elif _UNIT.search(name) and not (-1e-6 <= v <= 1 + 1e-6) and "remainder" not in name:
            bad.append(f"{path}={v:.3g} outside [0, 1]")
    for _path, v in _numbers(obj.get("times") or []):
        if not math.isfinite(v):
            bad.append(f"times {v}")
    return "; ".join(bad[:3])


def run_case(case: Case, timeout: float = 60.0, workdir: str | None = None) -> Outcome:
    """Run one case in-process (``openlz.cli.main``) and classify it."""
    from openlz.cli import main

    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        for fname, content in case.files.items():
            Path(tmp, fname).write_bytes(content)
        args = [a.replace("{tmp}", tmp) for a in case.args]
        out, err = io.StringIO(), io.StringIO()

        def alarm(signum, frame):
            raise _Timeout()

        old = signal.signal(signal.SIGALRM, alarm)
        signal.setitimer(signal.ITIMER_REAL, timeout)
        t0 = time.perf_counter()
        status: int | None = None
        crash = ""
        try:
            # a fresh warnings state per case: in one process Python shows a warning once per
            # code location, so without this a later case's warning would be swallowed and the
            # case misjudged as silent (a separate `openlz` process always prints it)
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), \
                    warnings.catch_warnings():
                warnings.simplefilter("always")
                warnings.showwarning = _warning_to_stderr  # under pytest: not its recorder
                try:
                    main(args)
                except SystemExit as e:
                    status = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        except _Timeout:
            signal.setitimer(signal.ITIMER_REAL, 0)
            return Outcome(case, "hang", None, time.perf_counter() - t0, f"> {timeout:g} s")
        except BaseException as e:  # noqa: BLE001 - a raw exception is what we look for
            crash = f"{type(e).__name__}: {str(e)[:200]}"
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)
        dt = time.perf_counter() - t0
    stderr = err.getvalue()
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    errors = [ln for ln in lines if ln.startswith("openlz: error")]
    if crash:
        return Outcome(case, "traceback", None, dt, crash)
    if "Traceback" in stderr:
        return Outcome(case, "traceback", status, dt, stderr.strip().splitlines()[-1][:300])
    if status == 2:
        if len(errors) == 1 and errors[0].startswith("openlz: error: "):
            return Outcome(case, "clean", 2, dt, errors[0][:300])
        return Outcome(case, "traceback", 2, dt, f"{len(errors)} error lines: {stderr[:300]}")
    if status == 0:
        if case.args[0] != "run" or "--json" not in case.args:
            return Outcome(case, "ok", 0, dt, out.getvalue()[-200:])
        bad = _judge_output(out.getvalue())
        if not bad:
            return Outcome(case, "ok", 0, dt)
        warned = [ln for ln in lines if any(w in ln for w in _OPENLZ_WARNINGS)
                  and "NonFiniteWarning" not in ln]
        return Outcome(case, "warned" if warned else "silent", 0, dt, bad[:300])
    return Outcome(case, "traceback", status, dt, f"exit {status}: {stderr[-300:]}")


def run_all(selected: list[Case], timeout: float = 60.0, log=None) -> list[Outcome]:
    res = []
    for i, c in enumerate(selected, 1):
        o = run_case(c, timeout)
        res.append(o)
        if log is not None and o.kind not in ("clean", "ok"):
            log(f"{o.kind:9s} {o.seconds:6.1f}s  {c.label}\n          {o.detail}")
        if log is not None and i % 100 == 0:
            log(f"-- {i}/{len(selected)}: " + ", ".join(f"{k} {v}" for k, v in
                                                       sorted(counts(res).items())))
    return res


def counts(outcomes: list[Outcome]) -> Counter:
    c = Counter(o.kind for o in outcomes)
    c["cases"] = len(outcomes)
    return c


if __name__ == "__main__":  # pragma: no cover - manual full run
    import resource
    import warnings

    warnings.simplefilter("ignore")
    if os.environ.get("FUZZ_MAX_GIB"):  # optional address-space cap (workers inherit it)
        gib = float(os.environ["FUZZ_MAX_GIB"])
        resource.setrlimit(resource.RLIMIT_AS, (int(gib * 2**30), resource.RLIM_INFINITY))
    sel = cases()
    per = [int(a.split("=", 1)[1]) for a in sys.argv if a.startswith("--per-group=")]
    if "--sample" in sys.argv or per:
        sel = sample(sel, per_group=per[0] if per else 2)
    only = [a.split("=", 1)[1] for a in sys.argv if a.startswith("--group=")]
    if only:
        sel = [c for c in sel if any(c.group.startswith(g) for g in only)]
    t0 = time.perf_counter()
    res = run_all(sel, float(os.environ.get("FUZZ_TIMEOUT", "60")),
                  log=lambda s: print(s, flush=True))
    slowest = sorted(res, key=lambda o: -o.seconds)[:5]
    print("slowest:", *(f"{o.seconds:.1f}s {o.case.label}" for o in slowest), sep="\n  ")
    c = counts(res)
    print(f"cases {c['cases']}: clean {c['clean']}, ok {c['ok']}, warned {c['warned']}, "
          f"traceback {c['traceback']}, hang {c['hang']}, silent {c['silent']} "
          f"({time.perf_counter() - t0:.0f} s)")
