"""Validated solver options of the public functions; unknown keys are rejected.

Names follow QuTiP 5's solver options where QuTiP has the same notion (``atol``, ``rtol``,
``method``, ``first_step``, ``max_step``, ``store_states``, ``progress_bar``).  QuTiP's
``nsteps`` (a per-interval limit) has no exact counterpart: openlz's ``max_steps`` counts all
steps of the run, and the error for ``nsteps`` says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ..errors import ParameterError
from ..solve.ode import ODEOptions

__all__ = ["Options"]

_METHODS = ("auto", "expm", "dop853", "dopri5")
_PROGRESS = (None, True, False, "auto", "rich", "none", "")
_HINTS = {"nsteps": "openlz counts all steps of a run: use 'max_steps'",
          "progress": "use 'progress_bar'", "store_final_state": "the final state is always kept "
          "(Result.final_state)", "normalize_output": "openlz does not renormalise states; "
          "their trace error is in Result.validity"}


_RTOL_MIN = 1e-15
_TOL_MAX = 0.1
_TOL_SOURCE = ("openlz: below ~1e-15 double precision cannot meet rtol; above 0.1 an "
               "integration has no significant digit (states are bounded by 1)")


class Options(Mapping):
    """Options of ``mesolve`` and the other public solvers (read-only, dict-like).

    Build it as ``Options(rtol=1e-10)`` or pass a dict (``options={"rtol": 1e-10}``).
    The keyword options:

    Other Parameters
    ----------------
    rtol, atol : float
        Relative and absolute local-error tolerances of the adaptive integrator
        (defaults 1e-8 and 1e-10; QuTiP's are 1e-6 and 1e-8).
    method : {"auto", "expm", "dop853", "dopri5"}
        ``"auto"``: exact ``expm`` stepping for a constant generator, DOP853 otherwise.
        ``"expm"`` requires a constant generator; ``"dop853"`` / ``"dopri5"`` integrate even a
        constant one with the adaptive Runge–Kutta method.
    max_steps : int
        Limit on all (accepted + rejected) steps of one run.
    first_step : float or None
        Initial step; ``None`` picks one from the first derivative.
    max_step : float
        Largest allowed step (``inf`` = unlimited).
    store_states : bool or None
        Keep the states at every time in ``Result.states``.  ``None`` (default) follows QuTiP:
        store them unless ``e_ops`` are given.  The final state is always kept.
    progress_bar : None, bool or str
        ``None`` / ``"auto"`` (default): a rich progress bar on stderr when stderr is a terminal
        and the solve runs longer than a second; ``True`` / ``"rich"``: always allowed;
        ``False`` / ``"none"`` / ``""``: never.
    """

    _defaults: dict[str, Any] = {"rtol": 1e-8, "atol": 1e-10, "method": "auto",
                                 "max_steps": 1_000_000, "first_step": None, "max_step": np.inf,
                                 "store_states": None, "progress_bar": None}

    def __init__(self, **kwargs: Any):
        unknown = [k for k in kwargs if k not in self._defaults]
        if unknown:
            k = unknown[0]
            hint = f"; {_HINTS[k]}" if k in _HINTS else ""
            raise ParameterError(f"options[{k!r}]", kwargs[k],
                                 f"unknown option{hint}; known options: {', '.join(self._defaults)}")
        values = {**self._defaults, **kwargs}
        self._check(values)
        self._values = values

    @staticmethod
    def _check(v: dict[str, Any]) -> None:
        for name, low in (("rtol", _RTOL_MIN), ("atol", 0.0)):
            x = v[name]
            if isinstance(x, bool) or not isinstance(x, (int, float, np.integer, np.floating)) \
                    or not np.isfinite(x) or x <= low or x > _TOL_MAX:
                raise ParameterError(f"options[{name!r}]", x, f"must be a finite number > 0, "
                                     f"within ({low:g}, {_TOL_MAX:g}]", _TOL_SOURCE)
        if v["method"] not in _METHODS:
            raise ParameterError("options['method']", v["method"], f"must be one of {_METHODS}")
        ms = v["max_steps"]
        if isinstance(ms, bool) or not isinstance(ms, (int, np.integer)) or ms < 1:
            raise ParameterError("options['max_steps']", ms, "must be an integer >= 1")
        fs = v["first_step"]
        if fs is not None and not (isinstance(fs, (int, float)) and np.isfinite(fs) and fs > 0):
            raise ParameterError("options['first_step']", fs, "must be None or a finite number > 0")
        mx = v["max_step"]
        if not isinstance(mx, (int, float, np.floating)) or not mx > 0:
            raise ParameterError("options['max_step']", mx, "must be a number > 0 (inf allowed)")
        if v["store_states"] not in (None, True, False):
            raise ParameterError("options['store_states']", v["store_states"],
                                 "must be None, True or False")
        if v["progress_bar"] not in _PROGRESS:
            raise ParameterError("options['progress_bar']", v["progress_bar"],
                                 f"must be one of {_PROGRESS}")

    @classmethod
    def resolve(cls, options: Options | Mapping[str, Any] | None) -> Options:
        """``None`` -> defaults, a dict -> validated Options, an Options -> itself."""
        if options is None:
            return cls()
        if isinstance(options, Options):
            return options
        if isinstance(options, Mapping):
            return cls(**dict(options))
        raise ParameterError("options", type(options).__name__, "must be None, a dict or openlz.Options")

    def replace(self, **kwargs: Any) -> Options:
        """A copy with some values changed (validated)."""
        return type(self)(**{**self._values, **kwargs})

    def ode_options(self) -> ODEOptions:
        """The integrator's :class:`~openlz.solve.ode.ODEOptions`."""
        method = self["method"] if self["method"] in ("dop853", "dopri5") else "dop853"
        return ODEOptions(rtol=float(self["rtol"]), atol=float(self["atol"]), method=method,
                          max_steps=int(self["max_steps"]), first_step=self["first_step"],
                          max_step=float(self["max_step"]))

    def as_dict(self) -> dict[str, Any]:
        return dict(self._values)

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def __iter__(self):
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        changed = {k: v for k, v in self._values.items() if v != self._defaults[k]}
        return "Options(" + ", ".join(f"{k}={v!r}" for k, v in changed.items()) + ")"
