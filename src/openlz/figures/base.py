"""Figure registry: each reproduced figure computes data, plots it and checks claims.

A figure module registers entries with :func:`register_figure`::

    register_figure(FigureSpec(id="004-fig2", paper="004", title="...",
                               compute=compute, plot=plot, claims=claims))

* ``compute() -> xarray.Dataset`` (real-valued variables; attrs carry parameters),
* ``plot(ds) -> matplotlib.figure.Figure``,
* ``claims(ds) -> list[Claim]`` — the numbers the paper states and closed form vs
  numerics, each with a computed value and pass/fail.

:func:`reproduce_figure` runs one entry and writes ``ID.nc``, ``ID.png`` and ``ID.claims.json``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import xarray as xr

from .._version import __version__

__all__ = ["Claim", "FigureSpec", "FigureResult", "FIGURES", "register_figure", "reproduce_figure",
           "claim_close", "claim_true"]


@dataclass
class Claim:
    """One checked statement. ``paper_value`` is what the paper says (or the closed form),
    ``computed_value`` what openlz gets; ``passed`` says whether they agree within ``tolerance``."""

    figure: str
    claim: str
    paper_value: str
    computed_value: str
    passed: bool
    tolerance: str = ""
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["passed"] = bool(d["passed"])
        return d


def claim_close(figure: str, claim: str, paper: float, computed: float, atol: float = 0.0,
                rtol: float = 0.0, note: str = "", fmt: str = ".4g") -> Claim:
    """A numeric claim: passed iff |computed - paper| <= atol + rtol |paper|."""
    ok = abs(computed - paper) <= atol + rtol * abs(paper)
    tol = " + ".join(t for t in ((f"atol {atol:g}" if atol else ""), (f"rtol {rtol:g}" if rtol else "")) if t)
    return Claim(figure, claim, format(paper, fmt), format(computed, fmt), bool(ok), tol, note)


def claim_true(figure: str, claim: str, paper: str, computed: str, ok: bool, note: str = "",
               tolerance: str = "") -> Claim:
    """A qualitative claim with a computed description and a boolean verdict."""
    return Claim(figure, claim, paper, computed, bool(ok), tolerance, note)


@dataclass(frozen=True)
class FigureSpec:
    """A reproducible figure. ``expected_seconds`` is a rough cost on a 2-core machine."""

    id: str
    paper: str
    title: str
    compute: Callable[[], xr.Dataset]
    plot: Callable[[xr.Dataset], Any]
    claims: Callable[[xr.Dataset], list[Claim]]
    expected_seconds: float = 10.0


@dataclass
class FigureResult:
    id: str
    title: str
    paper: str
    png: Path
    data: Path
    claims: list[Claim]
    seconds: float
    extra: dict[str, Any] = field(default_factory=dict)


FIGURES: dict[str, FigureSpec] = {}


def register_figure(spec: FigureSpec) -> FigureSpec:
    if spec.id in FIGURES and FIGURES[spec.id] is not spec:
        raise RuntimeError(f"figure {spec.id!r} registered twice")
    FIGURES[spec.id] = spec
    return spec


def _save_dataset(ds: xr.Dataset, path: Path) -> Path:
    """netCDF when every variable is real; complex variables are split into re/im parts."""
    out = ds.copy()
    for name in list(out.data_vars):
        if out[name].dtype.kind == "c":
            out[f"{name}_re"] = out[name].real
            out[f"{name}_im"] = out[name].imag
            out = out.drop_vars(name)
    for k, v in list(out.attrs.items()):
        if isinstance(v, bool):
            out.attrs[k] = int(v)
        elif not isinstance(v, (int, float, str)):
            out.attrs[k] = json.dumps(v, default=str)
    out.attrs.setdefault("openlz_version", __version__)
    out.to_netcdf(path)
    return path


def reproduce_figure(spec: FigureSpec, out_dir: Path) -> FigureResult:
    """Compute, save (``.nc``), plot (``.png``) and check one figure."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    ds = spec.compute()
    ds.attrs.setdefault("figure", spec.id)
    ds.attrs.setdefault("title", spec.title)
    data_path = _save_dataset(ds, out_dir / f"{spec.id}.nc")
    fig = spec.plot(ds)
    png = out_dir / f"{spec.id}.png"
    fig.savefig(png, dpi=110, bbox_inches="tight")
    plt.close(fig)
    claims = spec.claims(ds)
    seconds = time.perf_counter() - t0
    (out_dir / f"{spec.id}.claims.json").write_text(
        json.dumps({"figure": spec.id, "title": spec.title, "paper": spec.paper, "seconds": seconds,
                    "claims": [c.as_dict() for c in claims]}, indent=2))
    return FigureResult(spec.id, spec.title, spec.paper, png, data_path, claims, seconds)
