"""The ``openlz`` command line.

Every user error (unknown model / parameter / observable, malformed number,
unphysical value) is printed as one line on stderr with exit status 2.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Annotated

import click
import numpy as np
import typer

from ._version import __version__
from .errors import OpenlzError, ParameterError

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  rich_markup_mode=None,
                  help="openlz: Landau–Zener physics and entanglement in open quantum systems.")


def parse_sets(sets: list[str] | None) -> dict[str, str]:
    """``["a=1", "b=2"]`` -> ``{"a": "1", "b": "2"}`` (values parsed by the model)."""
    out: dict[str, str] = {}
    for s in sets or []:
        if "=" not in s:
            raise ParameterError("--set", s, "must be NAME=VALUE")
        k, v = s.split("=", 1)
        k = k.strip()
        if not k:
            raise ParameterError("--set", s, "NAME must not be empty")
        if k in out:
            raise ParameterError(k, v, "was given twice with --set")
        out[k] = v.strip()
    return out


def _load_initial(initial: str) -> object:
    """An initial-state label, or a density matrix / ket read from a ``.npy`` file."""
    if not initial.endswith(".npy"):
        return initial
    try:
        return np.load(initial)
    except (OSError, ValueError, EOFError) as e:
        raise ParameterError("initial", initial, f"cannot be read as a .npy array ({e.__class__.__name__})") from None


@app.callback(invoke_without_command=True)
def _root(ctx: typer.Context, version: Annotated[bool, typer.Option("--version", help="Print the version.")] = False) -> None:
    if version:
        typer.echo(__version__)
        raise typer.Exit(0)
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())
        raise typer.Exit(0)


@app.command("models")
def models_cmd(name: Annotated[str | None, typer.Argument(help="Show one model only.")] = None,
               as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False
               ) -> None:
    """List the models with their parameters (defaults, units) and observables."""
    from rich.console import Console
    from rich.table import Table

    from .models import all_models, get_model

    models = {name: get_model(name)} if name else all_models()
    if as_json:
        typer.echo(json.dumps({m.name: {
            "paper": m.paper, "summary": m.summary,
            "params": [{"name": p.name, "default": p.default_text() if callable(p.default) else p.default,
                        "unit": p.unit, "kind": p.kind, "numerical": p.numerical, "doc": p.doc}
                       for p in m.params],
            "observables": [{"name": o.name, "dims": list(o.dims), "unit": o.unit, "doc": o.doc}
                            for o in m.observables],
            "options": list(m.options), "initial_time": m.initial_time_text()}
            for m in models.values()}, indent=2, default=str))
        return
    console = Console()
    for m in models.values():
        console.print(f"[bold]{m.name}[/bold]  (paper {m.paper}) — {m.summary}")
        t = Table("parameter", "default", "unit", "description", show_edge=False)
        for p in m.params:
            t.add_row(p.name + (" (numerical)" if p.numerical else ""), p.default_text(), p.unit, p.doc)
        console.print(t)
        t = Table("observable", "dims", "description", show_edge=False)
        for o in m.observables:
            t.add_row(o.name, "(" + ", ".join(o.dims) + ")", o.doc)
        console.print(t)
        if m.options:
            console.print("options: " + ", ".join("--" + o for o in m.options))
        console.print("initial time: " + m.initial_time_text())
        console.print()


MaxMemory = Annotated[str | None, typer.Option(
    "--max-memory", help="Memory limit for the computation, e.g. 16GiB (default: min(4 GiB, "
    "half the RAM); the estimate is checked before anything is allocated).")]
AllowSlow = Annotated[bool, typer.Option(
    "--allow-slow", help="Run even if the time estimate exceeds 10 minutes.")]


def _limits(max_memory: str | None, allow_slow: bool):
    """The cost limits of one command (see :mod:`openlz.core.budget`)."""
    import math
    import os

    from .core.budget import CLI_MAX_SECONDS, limits

    slow = allow_slow or os.environ.get("OPENLZ_ALLOW_SLOW", "").strip().lower() in (
        "1", "true", "yes", "on")
    return limits(max_memory=max_memory, max_seconds=math.inf if slow else CLI_MAX_SECONDS,
                  context="cli")


def _evaluate_checked(m, values, t, observable, opts):
    """Resolve + evaluate one point; an undocumented non-finite or out-of-range observable
    that no model warning explains is an error (no silent nonsense on exit 0)."""
    import warnings

    from .errors import NonFiniteWarning, NumericalError, PhysicalityWarning
    from .models._checks import output_problems

    resolved = m.resolve(values)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = m.evaluate(resolved, t, observable, opts)
    explained = any(issubclass(w.category, PhysicalityWarning) for w in caught)
    for w in caught:
        if not issubclass(w.category, NonFiniteWarning):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    for prob in output_problems(m, res, m.check_observables(observable)):
        # a model that reports non-positive states (PhysicalityWarning, e.g. a Redfield
        # generator) may leave [0, 1] slightly; 0.1 outside is noise, never physics
        if prob.documented or (explained and not prob.nonfinite and prob.excess <= 0.1):
            warnings.warn(prob.message, NonFiniteWarning, stacklevel=2)
        else:
            from .models._checks import extreme_values

            hint = extreme_values(resolved, m)
            raise NumericalError(prob.message + (f"; extreme values: {hint}" if hint else "")
                                 + "; no result reported")
    return resolved, res


@app.command("run")
def run_cmd(
    model: Annotated[str, typer.Argument(help="Model name (see `openlz models`).")],
    set_: Annotated[list[str] | None, typer.Option("--set", help="NAME=VALUE, repeatable.")] = None,
    times: Annotated[str | None, typer.Option("--times", help="START:STOP:NUM (NUM counts both ends).")] = None,
    observable: Annotated[list[str] | None, typer.Option("--observable", "-o", help="Observable, repeatable.")] = None,
    initial: Annotated[str | None, typer.Option("--initial", help="Initial-state label or .npy file.")] = None,
    postselect: Annotated[bool, typer.Option("--postselect", help="Conditional (no-jump) dynamics.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object (non-finite "
                                          "numbers as the strings NaN, Infinity, -Infinity).")] = False,
    out: Annotated[Path | None, typer.Option("--out", help="Also write the dataset (.nc or .zarr).")] = None,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace an existing --out.")] = False,
    max_memory: MaxMemory = None,
    allow_slow: AllowSlow = False,
) -> None:
    """Evaluate one parameter point of a model."""
    from .core.validation import parse_times
    from .models import get_model
    from .outpaths import check_output_file
    from .results import jsonable, to_dataset

    m = get_model(model)
    values = parse_sets(set_)
    t = parse_times(times) if times else None
    opts: dict[str, object] = {}
    if initial is not None:
        opts["initial"] = _load_initial(initial)
    if postselect:
        opts["postselect"] = True
    if out is not None:
        check_output_file(out, overwrite)
    if t is not None and not any("time" in m.observable(o).dims
                                 for o in m.check_observables(observable)):
        import warnings

        warnings.warn(f"--times is ignored: no requested observable of {m.name} has a time "
                      "axis", UserWarning, stacklevel=1)
        t = None
    with _limits(max_memory, allow_slow):
        resolved, res = _evaluate_checked(m, values, t, observable, opts)
    ds = to_dataset(m, resolved, res, t if t is not None else None, options=opts)
    if out is not None:
        _write_dataset(ds, out)
    if as_json:
        obj = {
            "model": m.name,
            "params": jsonable(resolved),
            "times": jsonable(ds["time"].values) if "time" in ds.coords else None,
            "observables": {k: jsonable(ds[k].values) for k in ds.data_vars},
            "coords": {k: jsonable(ds[k].values) for k in ds.coords if k != "time"},
            "attrs": jsonable({k: v for k, v in ds.attrs.items() if k not in ("params",)}),
        }
        typer.echo(json.dumps(obj, default=str, allow_nan=False))
        return
    from rich.console import Console

    console = Console()
    console.print(f"[bold]{m.name}[/bold] — {m.summary}")
    console.print("params: " + ", ".join(f"{k}={v}" for k, v in resolved.items()))
    for k in ds.data_vars:
        v = ds[k].values
        if v.ndim == 0:
            console.print(f"  {k} = {v.item():.10g}" if np.isrealobj(v) else f"  {k} = {v.item()}")
        else:
            console.print(f"  {k}: dims {ds[k].dims}, shape {v.shape}, last = {np.ravel(v)[-1]:.6g}")


def _write_dataset(ds, out: Path) -> None:
    """Write to a temporary name next to ``out``, then rename: an existing ``out`` (allowed by
    ``--overwrite``) is replaced only by a complete file."""
    import uuid
    import warnings

    from .outpaths import replace_path

    tmp = out.with_name(f".{out.name}.tmp-{uuid.uuid4().hex[:8]}")
    try:
        if str(out).endswith(".zarr"):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ds.to_zarr(tmp, mode="w")
        else:
            from .figures.base import _save_dataset
            _save_dataset(ds, tmp)
        replace_path(tmp, out)
    except OSError as e:
        raise OpenlzError(f"cannot write {out}: {e.strerror or e}") from None
    finally:
        if tmp.exists():
            import shutil

            shutil.rmtree(tmp, ignore_errors=True) if tmp.is_dir() else tmp.unlink()


@app.command("sweep")
def sweep_cmd(
    model: Annotated[str | None, typer.Argument(help="Model name (see `openlz models`).")] = None,
    grid: Annotated[list[str] | None, typer.Option(
        "--grid", help="NAME=START:STOP:NUM[:log] or NAME=V1,V2,...; repeatable, one axis each.")] = None,
    set_: Annotated[list[str] | None, typer.Option("--set", help="NAME=VALUE, repeatable.")] = None,
    times: Annotated[str | None, typer.Option("--times", help="START:STOP:NUM (NUM counts both ends).")] = None,
    observable: Annotated[list[str] | None, typer.Option("--observable", "-o", help="Observable, repeatable.")] = None,
    initial: Annotated[str | None, typer.Option("--initial", help="Initial-state label or .npy file.")] = None,
    postselect: Annotated[bool, typer.Option("--postselect", help="Conditional (no-jump) dynamics.")] = False,
    out: Annotated[Path | None, typer.Option("--out", help="Output zarr store (PATH.zarr).")] = None,
    processes: Annotated[int | None, typer.Option(
        "--processes", help="Local worker processes (0: in-process; default: in-process for "
        "small sweeps, all cores for large ones; capped at the cores).")] = None,
    scheduler: Annotated[str | None, typer.Option(
        "--scheduler", help="Dask distributed scheduler address, tcp://host:port.")] = None,
    chunk: Annotated[int | None, typer.Option("--chunk", help="Grid points per chunk (one vectorised call).")] = None,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace a store holding a different sweep.")] = False,
    progress: Annotated[str, typer.Option("--progress", help="auto, rich, plain or none.")] = "auto",
    verify: Annotated[Path | None, typer.Option(
        "--verify", help="Report the state of the store PATH (chunks verified against their "
        "checksums, missing, damaged) without computing; exit 0 if complete.")] = None,
    max_memory: MaxMemory = None,
    allow_slow: AllowSlow = False,
) -> None:
    """Evaluate a model on a parameter grid into a resumable zarr store.

    Rerunning the same command after an interruption computes only the missing chunks (and
    those whose data fails its checksum).
    Testing aid: OPENLZ_SWEEP_CHUNK_DELAY=SECONDS makes every chunk sleep first.
    """
    if verify is not None:
        from .sweep import inspect_store

        if model is not None or grid or out is not None:
            raise ParameterError("--verify", str(verify), "takes only the store's path "
                                 "(no model, --grid or --out)")
        rep = inspect_store(verify)
        for line in rep.lines():
            typer.echo(line)
        raise typer.Exit(0 if rep.clean else 1)
    from .sweep import run_sweep

    if model is None:
        raise ParameterError("MODEL", None, "a model name is required (or --verify PATH)")
    if not grid:
        raise ParameterError("--grid", None, "at least one --grid NAME=START:STOP:NUM is required")
    if out is None:
        raise ParameterError("--out", None, "an output store PATH.zarr is required")
    if progress not in ("auto", "rich", "plain", "none"):
        raise ParameterError("--progress", progress, "must be auto, rich, plain or none")
    opts: dict[str, object] = {}
    if initial is not None:
        opts["initial"] = _load_initial(initial)
    if postselect:
        opts["postselect"] = True
    with _limits(max_memory, allow_slow):
        ds, summary = run_sweep(model, grid, params=parse_sets(set_), times=times,
                                observables=observable, options=opts, out=out, chunk=chunk,
                                processes=processes, scheduler=scheduler, overwrite=overwrite,
                                progress=progress, log=lambda s: typer.echo(s, err=True))
    dims = ", ".join(f"{k}: {v}" for k, v in ds.sizes.items())
    typer.echo(f"{out}: {', '.join(ds.data_vars)} over ({dims}); computed {len(summary.computed)} "
               f"of {summary.n_chunks} chunks ({summary.skipped} already done)")


@app.command("report")
def report_cmd(
    out: Annotated[Path, typer.Option("--out", help="Output directory.")] = Path("openlz-output"),
    benchmarks: Annotated[Path | None, typer.Option(
        "--benchmarks", help="Benchmark results directory (default: the source tree's "
        "benchmarks/results).")] = None,
    rerun: Annotated[bool, typer.Option("--rerun", help="Recompute every figure, not only missing ones.")] = False,
) -> None:
    """Gather every reproduced figure (running the missing ones), the claims table and the
    benchmark table into one self-contained HTML page plus the underlying data."""
    from .outpaths import check_output_dir
    from .report import build_report

    check_output_dir(out)
    html = build_report(out, run_missing=True, rerun=rerun, benchmarks_dir=benchmarks,
                        log=lambda s: typer.echo(s, err=True))
    typer.echo(f"report: {html}")


@app.command("figures")
def figures_cmd() -> None:
    """List the reproducible figures."""
    from .figures import all_figures

    for fid, spec in all_figures().items():
        typer.echo(f"{fid:18s} paper {spec.paper}  ~{spec.expected_seconds:.0f}s  {spec.title}")


@app.command("reproduce")
def reproduce_cmd(
    ids: Annotated[list[str] | None, typer.Argument(help="Figure ids (default: all).")] = None,
    out: Annotated[Path, typer.Option("--out", help="Output directory.")] = Path("openlz-output"),
    benchmarks: Annotated[Path | None, typer.Option(
        "--benchmarks", help="Benchmark results directory for the report (default: the source "
        "tree's benchmarks/results).")] = None,
) -> None:
    """Recompute figures, save data + PNG, check the papers' claims, write the claims table
    (and, with no ids, the full HTML report with the benchmark table).

    Each claim is reproduced, a paper error (the paper contradicts its own model) or a fail
    (openlz does not reproduce what it should). The last lines list the paper errors, then
    the fails (headed FAILED), then "N reproduced, M paper errors, K fail". A figure that
    raises is recorded as a failed claim and the others go on. The exit status is 1 if any
    claim fails.
    """
    from .figures import all_figures, get_figure
    from .figures.base import FAIL, PAPER_ERROR, summary_line
    from .outpaths import check_output_dir
    from .report import build_report, load_claims, run_figures, write_claims_table

    specs = [get_figure(i) for i in ids] if ids else list(all_figures().values())
    check_output_dir(out)
    t0 = time.perf_counter()
    ran = run_figures(specs, out, log=lambda s: typer.echo(s, err=True))
    broken = sorted({s.id for s in specs} - {r.id for r in ran})
    table = write_claims_table(out)
    typer.echo(f"claims table: {table}  ({time.perf_counter() - t0:.1f}s total)")
    if not ids:
        html = build_report(out, run_missing=False, benchmarks_dir=benchmarks)
        typer.echo(f"report: {html}")
    wanted = {s.id for s in specs}
    rows = [c for c in load_claims(out) if c["figure"] in wanted]
    for c in rows:
        if c["status"] == PAPER_ERROR:
            typer.echo(f"PAPER ERROR {c['figure']}: {c['claim']} (paper {c['paper_value']}; "
                       f"openlz {c['computed_value']})")
    for c in rows:
        if c["status"] == FAIL:
            typer.echo(f"FAILED {c['figure']}: {c['claim']} (paper {c['paper_value']}, "
                       f"computed {c['computed_value']})")
    if broken:
        typer.echo(f"{len(broken)} figure(s) failed to compute: {', '.join(broken)}", err=True)
    typer.echo(f"claims: {summary_line(rows)}")
    if broken or any(c["status"] == FAIL for c in rows):
        raise typer.Exit(1)


def _click_exception_classes() -> tuple[tuple[type, ...], tuple[type, ...], tuple[type, ...]]:
    """(Exit, Abort, ClickException) classes of click and of the copy recent typer vendors."""
    exits: list[type] = [click.exceptions.Exit]
    aborts: list[type] = [click.exceptions.Abort]
    usage: list[type] = [click.ClickException]
    for name, bucket in (("Exit", exits), ("Abort", aborts)):
        cls = getattr(typer, name, None)
        if isinstance(cls, type) and cls not in bucket:
            bucket.append(cls)
    try:  # typer >= 0.2x ships its own copy of click as typer._click
        from typer._click.exceptions import ClickException as VendoredClickException

        usage.append(VendoredClickException)
    except ImportError:  # pragma: no cover - depends on the typer version
        pass
    return tuple(exits), tuple(aborts), tuple(usage)


def _format_warning(message, category, filename, lineno, line=None) -> str:
    """Warnings on the command line: ``openlz: warning: Category: message``, one line each,
    each distinct message once per command (a recorder such as ``pytest.warns`` still sees
    every warning: only the printed form changes)."""
    text = " ".join(str(message).split())
    key = (category.__name__, text)
    if key in _SHOWN:
        return ""
    _SHOWN.add(key)
    return f"openlz: warning: {category.__name__}: {text}\n"


_SHOWN: set[tuple[str, str]] = set()


def main(argv: list[str] | None = None) -> None:
    """Entry point: user errors become one line on stderr and exit status 2.

    ``argv`` defaults to ``sys.argv[1:]``; always ends with ``SystemExit``.
    """
    import warnings

    exit_exc, abort_exc, click_exc = _click_exception_classes()
    cmd = typer.main.get_command(app)
    args = sys.argv[1:] if argv is None else list(argv)
    _SHOWN.clear()
    saved = warnings.formatwarning
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("always")
            for mod in ("dask", "distributed", "zarr", "xarray", "numcodecs"):
                warnings.filterwarnings("ignore", category=FutureWarning, module=mod)
            warnings.formatwarning = _format_warning
            status = _main(cmd, args, exit_exc, abort_exc, click_exc)
    finally:
        warnings.formatwarning = saved
    sys.exit(status)


def _main(cmd, args, exit_exc, abort_exc, click_exc) -> int:
    try:
        rv = cmd.main(args=args, prog_name="openlz", standalone_mode=False)
    except exit_exc as e:
        return e.exit_code
    except abort_exc:
        print("openlz: aborted", file=sys.stderr)
        return 130
    except click_exc as e:
        if type(e).__name__ == "NoArgsIsHelpError":  # bare `openlz`: show help, not an error
            print(e.format_message())
            return 0
        print(f"openlz: error: {_one_line(e.format_message())}", file=sys.stderr)
        return 2
    except OpenlzError as e:
        print(f"openlz: error: {_one_line(str(e))}", file=sys.stderr)
        return 2
    return rv if isinstance(rv, int) else 0


def _one_line(text: str) -> str:
    return " ".join(text.split())


if __name__ == "__main__":  # pragma: no cover
    main()
