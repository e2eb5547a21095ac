"""A rich progress bar for long solves, driven by the integrator's current time.

The bar appears only once a solve has run ``delay`` seconds (short solves print nothing),
on stderr, and by default only when stderr is a terminal (``options["progress_bar"]``).
"""

from __future__ import annotations

import sys
import time
from typing import Any

__all__ = ["TimeProgress", "progress_enabled"]


def progress_enabled(option: Any) -> bool:
    """``None`` / ``"auto"``: stderr is a terminal; ``True`` / ``"rich"``: yes; else no."""
    if option in (None, "auto"):
        return bool(getattr(sys.stderr, "isatty", lambda: False)())
    return option in (True, "rich")


class TimeProgress:
    """Fraction (t - t0) / (t1 - t0) of one integration; call :meth:`update` with t."""

    def __init__(self, t0: float, t1: float, label: str = "mesolve", delay: float = 1.0,
                 interval: float = 0.1):
        self.t0, self.span = t0, (t1 - t0) or 1.0
        self.label, self.delay, self.interval = label, delay, interval
        self.start = self.last = time.perf_counter()
        self._bar: Any = None
        self._task: Any = None

    def update(self, t: float) -> None:
        now = time.perf_counter()
        if now - self.last < self.interval:
            return
        self.last = now
        if self._bar is None:
            if now - self.start < self.delay:
                return
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self._bar = Progress(TextColumn(f"[bold]{self.label}"), BarColumn(),
                                 TextColumn("t = {task.fields[t]}"), TimeElapsedColumn(),
                                 TextColumn("ETA"), TimeRemainingColumn(),
                                 console=Console(file=sys.stderr), transient=True)
            self._bar.start()
            self._task = self._bar.add_task(self.label, total=1000, t="")
        frac = min(max((t - self.t0) / self.span, 0.0), 1.0)
        self._bar.update(self._task, completed=int(1000 * frac), t=f"{t:.4g}")

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def __enter__(self) -> TimeProgress:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
