"""Parameter grids and their division into rectangular chunks.

A grid is an ordered list of :class:`GridAxis` (one per swept parameter); the
sweep's points are the Cartesian product in C order (the last axis varies
fastest).  A *chunk* is a rectangular block of the grid evaluated by one
vectorised ``Model.evaluate`` call and stored as exactly one zarr chunk of every
output array, so chunks never share storage and can be written independently.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..core.validation import parse_number
from ..errors import ParameterError

#: most points on one grid axis (the axis values are kept in the store's spec)
MAX_AXIS = 1_000_000

__all__ = ["GridAxis", "parse_grid", "MAX_AXIS", "as_axes", "block_shape", "chunk_slices", "chunk_indices",
           "default_chunk"]


@dataclass(frozen=True)
class GridAxis:
    """One swept parameter: its name and the (finite, distinct) values it takes, shape (n,)."""

    name: str
    values: tuple[float, ...]
    text: str = ""

    @property
    def size(self) -> int:
        return len(self.values)

    def array(self) -> np.ndarray:
        """The values as a float array of shape (n,)."""
        return np.asarray(self.values, dtype=float)

    @classmethod
    def from_values(cls, name: str, values: Any, text: str = "") -> GridAxis:
        """An axis with explicit values (any order, distinct, finite)."""
        arr = np.atleast_1d(np.asarray(values))
        if arr.size > MAX_AXIS:
            raise ParameterError(name, f"{arr.size} values", f"at most {MAX_AXIS} values per "
                                 "axis (memory guard)")
        if arr.ndim != 1 or arr.size == 0:
            raise ParameterError(name, values, "grid values must be a non-empty 1-d list")
        if np.iscomplexobj(arr) or arr.dtype.kind not in "biuf":
            raise ParameterError(name, values, "grid values must be real numbers")
        arr = arr.astype(float)
        if not np.all(np.isfinite(arr)):
            raise ParameterError(name, values, "grid values must be finite")
        if np.unique(arr).size != arr.size:
            raise ParameterError(name, values, "grid values must be distinct")
        return cls(name, tuple(float(v) for v in arr), text)


def parse_grid(text: str) -> GridAxis:
    """Parse ``NAME=START:STOP:NUM[:log]`` or ``NAME=V1,V2,...``.

    ``START:STOP:NUM`` is ``linspace(START, STOP, NUM)`` (NUM counts both ends, STOP > START
    unless NUM = 1); ``:log`` spaces the points geometrically (``geomspace``, START, STOP > 0).
    Raises :class:`ParameterError` naming the problem.
    """
    if "=" not in text:
        raise ParameterError("--grid", text, "must be NAME=START:STOP:NUM[:log] or NAME=V1,V2,...")
    name, spec = (s.strip() for s in text.split("=", 1))
    if not name:
        raise ParameterError("--grid", text, "NAME must not be empty")
    if ":" not in spec:
        items = [v for v in spec.split(",") if v.strip()]
        if len(items) > MAX_AXIS:
            raise ParameterError(name, f"{len(items)} values", f"at most {MAX_AXIS} values per "
                                 "axis (memory guard)")
        vals = [parse_number(name, v) for v in items]
        return GridAxis.from_values(name, vals, text)
    parts = spec.split(":")
    log = False
    if len(parts) == 4:
        if parts[3].strip().lower() not in ("log", "lin"):
            raise ParameterError(name, spec, "the 4th field must be 'log' (or 'lin')")
        log = parts[3].strip().lower() == "log"
        parts = parts[:3]
    if len(parts) != 3:
        raise ParameterError(name, spec, "grid must be START:STOP:NUM[:log]")
    start = parse_number(f"{name} START", parts[0])
    stop = parse_number(f"{name} STOP", parts[1])
    num = parse_number(f"{name} NUM", parts[2], "int")
    if num < 1:
        raise ParameterError(name, spec, f"NUM = {num} must be >= 1")
    if num > MAX_AXIS:
        raise ParameterError(name, spec, f"NUM = {num} must be <= {MAX_AXIS} points per axis "
                             "(memory guard)")
    if not (math.isfinite(start) and math.isfinite(stop)):
        raise ParameterError(name, spec, "START and STOP must be finite")
    if num > 1 and not stop > start:
        raise ParameterError(name, spec, f"STOP = {stop:g} must be > START = {start:g}")
    if log and not (start > 0 and stop > 0):
        raise ParameterError(name, spec, "a log grid needs START > 0 and STOP > 0")
    if num == 1:
        vals = np.array([start])
    else:
        vals = np.geomspace(start, stop, num) if log else np.linspace(start, stop, num)
    return GridAxis.from_values(name, vals, text)


def as_axes(grid: Mapping[str, Any] | Sequence[Any]) -> list[GridAxis]:
    """Normalise a grid: ``{name: "0:1:11" | values | GridAxis}`` or a list of
    ``"NAME=..."`` strings / :class:`GridAxis`. Names must be distinct."""
    axes: list[GridAxis] = []
    items: list[Any] = list(grid.items()) if isinstance(grid, Mapping) else list(grid)
    for item in items:
        if isinstance(item, GridAxis):
            axes.append(item)
        elif isinstance(item, str):
            axes.append(parse_grid(item))
        else:
            name, spec = item
            if isinstance(spec, GridAxis):
                axes.append(GridAxis(name, spec.values, spec.text))
            elif isinstance(spec, str):
                axes.append(parse_grid(f"{name}={spec}"))
            else:
                axes.append(GridAxis.from_values(name, spec))
    if not axes:
        raise ParameterError("--grid", "", "at least one grid parameter is required")
    names = [a.name for a in axes]
    for n in names:
        if names.count(n) > 1:
            raise ParameterError(n, "", "was given twice as a grid parameter")
    return axes


def default_chunk(n_points: int) -> int:
    """Default points per chunk: about 8 chunks, between 1 and 256 points each.

    Depends only on the grid size, so a rerun on another machine finds the same layout.
    """
    return int(min(256, max(1, math.ceil(n_points / 8))))


def block_shape(shape: Sequence[int], chunk: int) -> tuple[int, ...]:
    """The rectangular block (at most ``chunk`` points) that tiles a grid of ``shape``.

    The block takes whole trailing axes first: for shape (100, 100) and chunk 256 it is
    (2, 100).
    """
    if chunk < 1:
        raise ParameterError("chunk", chunk, "must be >= 1")
    left = int(chunk)
    out = []
    for n in reversed(shape):
        b = max(1, min(int(n), left))
        out.append(b)
        left = max(1, left // b)
    return tuple(reversed(out))


def chunk_slices(shape: Sequence[int], block: Sequence[int]) -> list[tuple[slice, ...]]:
    """Every block of the grid as a tuple of slices, chunk index = position in C order."""
    ranges = [range(0, n, b) for n, b in zip(shape, block, strict=True)]
    out: list[tuple[slice, ...]] = []
    for starts in np.ndindex(*(len(r) for r in ranges)):
        out.append(tuple(slice(r[i], min(r[i] + b, n))
                         for r, i, b, n in zip(ranges, starts, block, shape, strict=True)))
    return out


def chunk_indices(shape: Sequence[int], slices: tuple[slice, ...]) -> np.ndarray:
    """Flat (C-order) indices of the points of one block, shape (B,)."""
    axes = np.meshgrid(*[np.arange(s.start, s.stop) for s in slices], indexing="ij")
    return np.ravel_multi_index([a.ravel() for a in axes], tuple(shape))
