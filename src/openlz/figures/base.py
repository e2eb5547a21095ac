"""Figure registry: each reproduced figure computes data, plots it and checks claims.

A figure module registers entries with :func:`register_figure`::

    register_figure(FigureSpec(id="004-fig2", paper="004", title="...",
                               compute=compute, plot=plot, claims=claims))

* ``compute() -> xarray.Dataset`` (real-valued variables; attrs carry parameters),
* ``plot(ds) -> matplotlib.figure.Figure``,
* ``claims(ds) -> list[Claim]`` — the paper's statements checked against openlz's numerics.

Every claim has one of three statuses (:data:`STATUSES`):

``reproduced``
    openlz's numerics confirm the paper's statement (within the stated tolerance).
``paper-error``
    the statement contradicts the paper's own model: openlz reports both the printed value
    and the model's, and its check that they disagree (beyond the numerics' accuracy, and,
    where given, that the corrected form agrees with the numerics) holds.  The note gives
    the derivation.
``fail``
    openlz does not reproduce something it should: the numerics miss a statement it
    expects to confirm, or a declared paper error is no longer seen.  This is what a
    regression shows.

Constructors: :func:`claim_close` / :func:`claim_true` for statements openlz expects to
confirm, :func:`paper_error_close` / :func:`paper_error` for declared paper errors.  The
``paper_value`` column holds what the paper states, with its equation or section, or
``"not stated"``; never a number openlz derived.

:func:`reproduce_figure` runs one entry and writes ``ID.nc``, ``ID.png`` and ``ID.claims.json``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import xarray as xr

from .._version import __version__

__all__ = ["Claim", "FigureSpec", "FigureResult", "FIGURES", "register_figure", "reproduce_figure",
           "claim_close", "claim_true", "paper_error", "paper_error_close", "STATUSES",
           "REPRODUCED", "PAPER_ERROR", "FAIL", "NOT_STATED", "count_statuses",
           "summary_line", "record_status"]

REPRODUCED = "reproduced"
PAPER_ERROR = "paper-error"
FAIL = "fail"
STATUSES = (REPRODUCED, PAPER_ERROR, FAIL)
NOT_STATED = "not stated"


@dataclass
class Claim:
    """One checked statement of a paper.

    paper_value : what the paper states, with equation or section (or ``"not stated"``).
    computed_value : what openlz computes (for a paper error: the value of the paper's own
        model, and the corrected form where there is one).
    status : ``"reproduced"``, ``"paper-error"`` or ``"fail"`` (see the module docstring).
    tolerance : the accuracy the comparison uses (justified by the numerics).
    note : how the check is made; for a paper error, the derivation.
    """

    figure: str
    claim: str
    paper_value: str
    computed_value: str
    status: str
    tolerance: str = ""
    note: str = ""

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"claim status must be one of {STATUSES}, got {self.status!r}")
        if self.status == PAPER_ERROR and not self.note.strip():
            raise ValueError(f"paper-error claim {self.claim!r} needs a note with the derivation")

    @property
    def passed(self) -> bool:
        """True unless the status is ``fail`` (a paper error is a finding, not an openlz bug)."""
        return self.status != FAIL

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def record_status(row: dict[str, Any]) -> str:
    """Status of a claim record (``*.claims.json`` row); records written before the
    three-status scheme have only ``passed`` (read as reproduced / fail)."""
    st = row.get("status")
    if st in STATUSES:
        return str(st)
    return REPRODUCED if row.get("passed") else FAIL


def count_statuses(rows: Iterable[dict[str, Any] | Claim]) -> dict[str, int]:
    """``{status: count}`` over claims or claim records, every status present."""
    counts = dict.fromkeys(STATUSES, 0)
    for r in rows:
        counts[r.status if isinstance(r, Claim) else record_status(r)] += 1
    return counts


def summary_line(rows: Iterable[dict[str, Any] | Claim]) -> str:
    """``"N reproduced, M paper errors, K fail"``."""
    c = count_statuses(rows)
    return (f"{c[REPRODUCED]} reproduced, {c[PAPER_ERROR]} paper error"
            f"{'' if c[PAPER_ERROR] == 1 else 's'}, {c[FAIL]} fail")


def _tol_text(atol: float, rtol: float) -> str:
    return " + ".join(t for t in ((f"atol {atol:g}" if atol else ""),
                                  (f"rtol {rtol:g}" if rtol else "")) if t)


def _paper_text(paper: float, fmt: str, source: str, paper_text: str | None) -> str:
    if paper_text is not None:
        return paper_text
    txt = format(paper, fmt)
    return f"{txt} ({source})" if source else txt


def claim_close(figure: str, claim: str, paper: float, computed: float, atol: float = 0.0,
                rtol: float = 0.0, note: str = "", fmt: str = ".4g", *, source: str = "",
                paper_text: str | None = None) -> Claim:
    """A numeric statement openlz expects to confirm: ``reproduced`` iff
    |computed − paper| <= atol + rtol |paper|, else ``fail``.

    The paper column is ``paper_text`` if given (e.g. ``"Eq. (13)"`` when the comparison is a
    closed form against numerics and ``paper`` is the 0 of a deviation), else the number
    followed by ``source`` (equation or section).
    """
    ok = abs(computed - paper) <= atol + rtol * abs(paper)
    return Claim(figure, claim, _paper_text(paper, fmt, source, paper_text),
                 format(computed, fmt), REPRODUCED if ok else FAIL, _tol_text(atol, rtol), note)


def claim_true(figure: str, claim: str, paper: str, computed: str, ok: bool, note: str = "",
               tolerance: str = "") -> Claim:
    """A qualitative statement openlz expects to confirm: ``reproduced`` if ``ok`` else
    ``fail``.  ``paper`` is the statement as the paper makes it (with section or figure)."""
    return Claim(figure, claim, paper, computed, REPRODUCED if ok else FAIL, tolerance, note)


def paper_error(figure: str, claim: str, paper: str, computed: str, confirmed: bool,
                note: str, tolerance: str = "") -> Claim:
    """A declared paper error: the paper's statement ``paper`` contradicts its own model.

    ``computed`` reports what openlz finds from the model (both values, where numeric);
    ``confirmed`` is openlz's check that the contradiction is real (e.g. the printed value is
    outside the numerics' accuracy and the derived correction is inside it).  Status
    ``paper-error`` if confirmed, else ``fail`` (the expected disagreement is gone: a
    regression, or the finding was wrong).  ``note`` must give the derivation.
    """
    return Claim(figure, claim, paper, computed, PAPER_ERROR if confirmed else FAIL,
                 tolerance, note)


def paper_error_close(figure: str, claim: str, printed: float, model: float,
                      corrected: float | None = None, *, atol: float = 0.0, rtol: float = 0.0,
                      note: str, source: str = "", fmt: str = ".4g",
                      paper_text: str | None = None) -> Claim:
    """A declared numeric paper error: the value the paper prints (``printed``, from
    ``source``) against the value of its own model computed by openlz (``model``).

    Confirmed (status ``paper-error``) iff |model − printed| > atol + rtol |printed| (the
    disagreement exceeds the numerics' accuracy) and, when the derivation in ``note`` gives
    a ``corrected`` value, |model − corrected| <= atol + rtol |corrected|; otherwise ``fail``.
    """
    tol = _tol_text(atol, rtol) or "0"
    gap = abs(model - printed) > atol + rtol * abs(printed)
    fix = corrected is None or abs(model - corrected) <= atol + rtol * abs(corrected)
    comp = f"{format(model, fmt)} (model)"
    if corrected is not None:
        comp += f"; corrected form {format(corrected, fmt)}"
    tolerance = f"printed value outside {tol}" + \
        (f"; corrected form within {tol}" if corrected is not None else "")
    return Claim(figure, claim, _paper_text(printed, fmt, source, paper_text), comp,
                 PAPER_ERROR if (gap and fix) else FAIL, tolerance, note)


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
