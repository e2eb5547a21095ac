"""Sweep progress: a rich progress bar on a terminal, plain periodic lines otherwise."""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO

__all__ = ["SweepProgress", "format_seconds"]


def format_seconds(s: float) -> str:
    """``75.2`` -> ``"1m15s"``."""
    if s != s or s == float("inf"):
        return "?"
    s = int(round(s))
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    return f"{h}h{m:02d}m" if h else (f"{m}m{sec:02d}s" if m else f"{sec}s")


class SweepProgress:
    """Progress of one sweep run, counted in chunks and points.

    mode : ``"auto"`` (rich bar if ``stream`` is a terminal, else plain lines), ``"rich"``,
        ``"plain"`` or ``"none"``.  Plain lines are printed at most every ``interval`` s.
    """

    def __init__(self, total_chunks: int, total_points: int, done_chunks: int, done_points: int,
                 mode: str = "auto", stream: TextIO | None = None, interval: float = 5.0,
                 label: str = "sweep"):
        self.stream = stream or sys.stderr
        if mode == "auto":
            mode = "rich" if getattr(self.stream, "isatty", lambda: False)() else "plain"
        self.mode, self.interval, self.label = mode, interval, label
        self.total_chunks, self.total_points = total_chunks, total_points
        self.chunks, self.points = done_chunks, done_points
        self.start_points = done_points
        self.t0 = self.last = time.perf_counter()
        self._bar: Any = None
        if mode == "rich":
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self._bar = Progress(TextColumn("[bold]{task.description}"), BarColumn(),
                                 MofNCompleteColumn(), TextColumn("chunks"),
                                 TextColumn("{task.fields[rate]}"), TimeElapsedColumn(),
                                 TextColumn("ETA"), TimeRemainingColumn(),
                                 console=Console(file=self.stream), transient=False)
            self._bar.start()
            self._task = self._bar.add_task(label, total=total_chunks, completed=done_chunks,
                                            rate="")
        elif mode == "plain":
            self._line(f"{label}: {total_points} points in {total_chunks} chunks"
                       + (f", {done_chunks} chunks already done" if done_chunks else ""))

    def _line(self, text: str) -> None:
        print(text, file=self.stream, flush=True)

    @property
    def rate(self) -> float:
        """Points per second computed in this run."""
        dt = time.perf_counter() - self.t0
        return (self.points - self.start_points) / dt if dt > 0 else 0.0

    @property
    def eta(self) -> float:
        r = self.rate
        return (self.total_points - self.points) / r if r > 0 else float("inf")

    def advance(self, points: int) -> None:
        """One chunk of ``points`` points finished."""
        self.chunks += 1
        self.points += points
        now = time.perf_counter()
        if self._bar is not None:
            self._bar.update(self._task, completed=self.chunks, rate=f"{self.rate:.3g} points/s")
        elif self.mode == "plain" and (now - self.last >= self.interval
                                       or self.chunks == self.total_chunks):
            self.last = now
            self._line(f"{self.label}: {self.chunks}/{self.total_chunks} chunks, "
                       f"{self.points}/{self.total_points} points, {self.rate:.3g} points/s, "
                       f"elapsed {format_seconds(now - self.t0)}, ETA {format_seconds(self.eta)}")

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
