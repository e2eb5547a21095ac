"""Cost guards: refuse a computation whose memory or time estimate exceeds the limits.

Every model estimates, from the sizes alone (parameter points × times × Hilbert-space
dimension, sectors, steps) and before allocating anything, the peak memory and the wall
time of an evaluation (:class:`Cost`).  :func:`check_cost` compares the estimate with the
current :class:`Limits` and raises :class:`~openlz.errors.CostError` with the estimate and
the override:

* memory: ``--max-memory SIZE`` on the command line, ``openlz.limits(max_memory=...)`` in
  Python, or the environment variable ``OPENLZ_MAX_MEMORY``.  Default
  ``min(4 GiB, half the physical memory)``.
* time: the command line refuses estimates above 10 minutes unless ``--allow-slow`` (or
  ``OPENLZ_ALLOW_SLOW=1``); the Python library refuses only estimates above one day
  (:data:`LIBRARY_MAX_SECONDS`, a hang, not a long run) unless ``limits(allow_slow=True)``.

Time estimates are calibrated on a 2-core 2.x GHz machine and are good to a factor of a few;
they exist to stop runs that would take hours or never finish, not to predict wall time.
"""

from __future__ import annotations

import contextlib
import contextvars
import math
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from ..errors import CostError, ParameterError

__all__ = ["Cost", "Limits", "limits", "current_limits", "check_cost", "parse_size",
           "format_size", "format_duration", "CLI_MAX_SECONDS", "LIBRARY_MAX_SECONDS",
           "default_max_memory", "PHASE_LIMIT", "require_phase", "timed", "watchdog",
           "Watchdog"]

CLI_MAX_SECONDS = 600.0
"""The command line's default time limit (seconds); ``--allow-slow`` lifts it."""
LIBRARY_MAX_SECONDS = 86400.0
"""The library's default time limit (seconds): only estimates beyond a day (a hang) are
refused."""
PHASE_LIMIT = 1e12
"""Largest accumulated phase (rad) a double-precision propagation resolves to ~1e-4."""
_GIB = 2.0**30


def _physical_memory() -> float:
    try:
        return float(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):  # pragma: no cover - non-POSIX
        return 8 * _GIB


def default_max_memory() -> float:
    """``min(4 GiB, half the physical memory)`` (bytes)."""
    return min(4 * _GIB, 0.5 * _physical_memory())


_UNITS = {"": 1, "b": 1, "k": 1e3, "kb": 1e3, "m": 1e6, "mb": 1e6, "g": 1e9, "gb": 1e9,
          "t": 1e12, "tb": 1e12, "kib": 2**10, "mib": 2**20, "gib": 2**30, "tib": 2**40}


def parse_size(text: str | float, name: str = "--max-memory") -> float:
    """``"4GiB"``, ``"500MB"``, ``"2e9"`` -> bytes (a finite number > 0)."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        value = float(text)
    else:
        m = re.fullmatch(r"\s*([0-9.eE+-]+)\s*([a-zA-Z]*)\s*", str(text))
        unit = m.group(2).lower() if m else None
        if m is None or unit not in _UNITS:
            raise ParameterError(name, text, "must be a size such as 4GiB, 500MB or 2e9 (bytes)")
        try:
            value = float(m.group(1)) * _UNITS[unit]
        except ValueError:
            raise ParameterError(name, text, "must be a size such as 4GiB, 500MB or 2e9 "
                                 "(bytes)") from None
    if not (math.isfinite(value) and value > 0):
        raise ParameterError(name, text, "must be a finite size > 0")
    return value


def format_size(n: float) -> str:
    """Bytes as ``"3.2 GiB"``."""
    if not math.isfinite(n):
        return "unbounded"
    for unit, f in (("TiB", 2**40), ("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if n >= f:
            return f"{n / f:.3g} {unit}" if n / f < 1e4 else f"{n / f:.2e} {unit}"
    return f"{n:.0f} B"


def format_duration(s: float) -> str:
    """Seconds as ``"12 s"``, ``"3.4 min"``, ``"5.1 h"``, ``"2.0e+04 days"``."""
    if not math.isfinite(s):
        return "unbounded (never finishes)"
    if s < 120:
        return f"{s:.2g} s"
    if s < 7200:
        return f"{s / 60:.0f} min"
    if s < 2 * 86400:
        return f"{s / 3600:.1f} h"
    d = s / 86400
    return f"{d:.2g} days" if d < 1e4 else f"{d:.1e} days"


@dataclass(frozen=True)
class Limits:
    """Memory (bytes) and time (seconds; ``inf`` = no limit) a computation may take.

    ``context`` is ``"cli"`` or ``"python"``: it only selects how the override is named in
    error messages.
    """

    max_memory: float
    max_seconds: float
    context: str = "python"

    def override(self, kind: str) -> str:
        if kind == "memory":
            return ("pass --max-memory SIZE (e.g. --max-memory 16GiB) to raise the limit"
                    if self.context == "cli" else
                    "raise the limit with openlz.limits(max_memory=...) (or OPENLZ_MAX_MEMORY)")
        return ("pass --allow-slow to run it anyway" if self.context == "cli" else
                "run it anyway inside openlz.limits(allow_slow=True) (or OPENLZ_ALLOW_SLOW=1)")


def _env_limits() -> Limits:
    mem = os.environ.get("OPENLZ_MAX_MEMORY")
    slow = os.environ.get("OPENLZ_ALLOW_SLOW", "").strip().lower() in ("1", "true", "yes", "on")
    return Limits(parse_size(mem, "OPENLZ_MAX_MEMORY") if mem else default_max_memory(),
                  math.inf if slow else LIBRARY_MAX_SECONDS)


_CURRENT: contextvars.ContextVar[Limits | None] = contextvars.ContextVar("openlz_limits",
                                                                        default=None)


def current_limits() -> Limits:
    """The limits in force (innermost :func:`limits` context, else the environment/defaults)."""
    lim = _CURRENT.get()
    return lim if lim is not None else _env_limits()


@contextlib.contextmanager
def limits(max_memory: str | float | None = None, max_seconds: float | None = None,
           allow_slow: bool | None = None, context: str | None = None) -> Iterator[Limits]:
    """Set the cost limits for the computations inside the ``with`` block.

    Parameters
    ----------
    max_memory : bytes or a size string (``"16GiB"``); default: unchanged.
    max_seconds : time limit in seconds; default: unchanged.
    allow_slow : True lifts the time limit (``max_seconds = inf``).
    context : ``"cli"`` or ``"python"`` (how the overrides are named in messages).

    Examples
    --------
    >>> import openlz
    >>> with openlz.limits(max_memory="16GiB", allow_slow=True):
    ...     pass  # evaluate a large model here
    """
    lim = current_limits()
    if max_memory is not None:
        lim = replace(lim, max_memory=parse_size(max_memory))
    if max_seconds is not None:
        if not (isinstance(max_seconds, (int, float)) and max_seconds > 0):
            raise ParameterError("max_seconds", max_seconds, "must be a number > 0")
        lim = replace(lim, max_seconds=float(max_seconds))
    if allow_slow:
        lim = replace(lim, max_seconds=math.inf)
    if context is not None:
        lim = replace(lim, context=context)
    token = _CURRENT.set(lim)
    try:
        yield lim
    finally:
        _CURRENT.reset(token)


@dataclass(frozen=True)
class Cost:
    """Estimated peak memory (bytes) and wall time (seconds) of one computation.

    detail : the sizes the estimate comes from, in words (shown in the error message).
    """

    memory: float
    seconds: float
    detail: str = ""

    def __add__(self, other: Cost) -> Cost:
        return Cost(max(self.memory, other.memory), self.seconds + other.seconds,
                    "; ".join(d for d in (self.detail, other.detail) if d))


def check_cost(what: str, cost: Cost, lim: Limits | None = None, workers: int = 1) -> None:
    """Raise :class:`CostError` if ``cost`` exceeds the limits.

    ``workers`` computations of this cost run at the same time (memory adds up, the time
    limit applies to ``cost.seconds / workers``).
    """
    lim = lim or current_limits()
    mem = cost.memory * max(1, workers)
    detail = f" ({cost.detail})" if cost.detail else ""
    if not mem <= lim.max_memory:  # also catches nan / inf
        per = f", {workers} at a time" if workers > 1 else ""
        raise CostError(f"{what}: needs an estimated {format_size(mem)} of memory{per}{detail}, "
                        f"more than the limit of {format_size(lim.max_memory)}; reduce the sizes "
                        f"or {lim.override('memory')}")
    secs = cost.seconds / max(1, workers)
    if not secs <= lim.max_seconds:
        raise CostError(f"{what}: would take an estimated {format_duration(secs)}{detail}, more "
                        f"than the limit of {format_duration(lim.max_seconds)}; "
                        f"{lim.override('time')}")


def require_phase(name: str, value: object, phase: float, what: str) -> None:
    """Refuse a propagation whose accumulated phase ``phase`` (rad) exceeds
    :data:`PHASE_LIMIT`: double precision then cannot resolve it (relative error ~1e-16
    per radian), so every result would be noise."""
    if not phase <= PHASE_LIMIT:
        raise ParameterError(name, value, f"makes {what} accumulate a phase of {phase:.3g} rad; "
                             f"double precision resolves at most ~{PHASE_LIMIT:.0e} rad",
                             "openlz numerics (floating-point phase resolution)")


# --- the time watchdog of long loops (ODE integrations) -------------------------------
@dataclass
class _Clock:
    start: float
    limits: Limits
    what: str


_CLOCK: contextvars.ContextVar[_Clock | None] = contextvars.ContextVar("openlz_clock",
                                                                      default=None)


@contextlib.contextmanager
def timed(what: str) -> Iterator[None]:
    """Measure the computation in the block against the time limit: long loops inside it
    (:func:`watchdog`) project their remaining time and stop early with a
    :class:`CostError` if the whole computation would exceed the limit.  Nested blocks keep
    the outermost clock."""
    if _CLOCK.get() is not None:
        yield
        return
    import time

    token = _CLOCK.set(_Clock(time.perf_counter(), current_limits(), what))
    try:
        yield
    finally:
        _CLOCK.reset(token)


class Watchdog:
    """Progress of one loop from ``t0`` to ``t1`` (e.g. an ODE integration in time).

    :meth:`check` (call it every few iterations with the current position) extrapolates
    the loop's remaining wall time from its progress so far -- after at least
    ``warmup`` seconds -- and raises :class:`CostError` when the computation under
    :func:`timed` would end beyond its time limit.
    """

    def __init__(self, clock: _Clock, t0: float, t1: float, label: str, warmup: float = 1.0):
        import time

        self.clock, self.t0, self.t1, self.label, self.warmup = clock, t0, t1, label, warmup
        self.started = time.perf_counter()

    def check(self, t: float) -> None:
        import time

        now = time.perf_counter()
        spent = now - self.started
        if spent < self.warmup:
            return
        span = self.t1 - self.t0
        frac = (t - self.t0) / span if span else 1.0
        frac = frac if math.isfinite(frac) else 0.0
        remaining = spent * (1 - frac) / frac if frac > 0 else math.inf
        total = now - self.clock.start + remaining
        lim = self.clock.limits
        if not total <= lim.max_seconds:
            where = (f"{self.label} reached {t:.4g} of [{self.t0:.4g}, {self.t1:.4g}] after "
                     f"{spent:.1f} s")
            raise CostError(f"{self.clock.what}: would take an estimated "
                            f"{format_duration(total)} ({where}), more than the limit of "
                            f"{format_duration(lim.max_seconds)}; {lim.override('time')}")


def watchdog(t0: float, t1: float, label: str = "the ODE solver") -> Watchdog | None:
    """A :class:`Watchdog` for a loop from ``t0`` to ``t1`` inside :func:`timed` with a
    finite time limit; ``None`` otherwise (nothing to check)."""
    clock = _CLOCK.get()
    if clock is None or not math.isfinite(clock.limits.max_seconds):
        return None
    return Watchdog(clock, float(t0), float(t1), label)
