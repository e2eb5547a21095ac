"""Where a sweep's results go: a resumable, self-verifying zarr store, or memory.

Zarr store layout (``PATH.zarr``, zarr format 2, consolidated metadata)::

    PATH.zarr/                     an xarray Dataset: one dimension per grid parameter
      <observable>/ ...            zarr chunks: exactly one per sweep chunk
      _openlz/sweep.json           the sweep's spec (model, grid, params, times, ...)
      _openlz/lock                 the writer lock (:mod:`~openlz.sweep.lock`)
      _openlz/chunks/<i>.done      completion record of chunk i (JSON: region, model _attrs,
                                   warnings, spec hash, checksum of every variable)

One writer at a time: the lock is taken before the store is created or touched, so a
second sweep on the same path refuses with one line.  Crash safety: a chunk is written
into its own zarr chunks first, they are fsynced, then its record is created atomically
(temporary file, fsync, rename, fsync of the directory).  Every rerun verifies the
finished chunks against their checksums (:mod:`~openlz.sweep.integrity`) and recomputes
what does not match, so a killed sweep loses at most the chunks in flight, a damaged store
repairs itself, and a resumed sweep writes exactly the bytes an uninterrupted one would.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from ..errors import OpenlzError
from ..outpaths import check_writable_dir, fsync_dir, fsync_file
from .attrs import _canonical, aggregate_attrs, spec_difference, summarize_warnings
from .compute import ChunkResult
from .integrity import RECORD_FORMAT, checksum, scan_records, spec_hash, verify_chunks
from .lock import StoreLock

__all__ = ["ZarrStore", "MemoryStore", "aggregate_attrs", "summarize_warnings", "read_spec",
           "open_group_checked", "META_DIR"]

META_DIR = "_openlz"
_ZARR_META = (".zgroup", ".zattrs", ".zmetadata", "zarr.json")


def _atomic_write(path: Path, text: str, sync: bool = True) -> None:
    """Write ``text`` to a temporary file, fsync it, rename it to ``path``, fsync the
    directory: after a crash ``path`` holds the old content or the new, never a torn one."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    with open(tmp, "w") as fh:
        fh.write(text)
        if sync:
            fh.flush()
            os.fsync(fh.fileno())
    os.replace(tmp, path)
    if sync:
        fsync_dir(path.parent)


def read_spec(path: str | os.PathLike[str]) -> dict[str, Any] | None:
    """The spec of the sweep stored at ``path`` (None if it is not a readable sweep store)."""
    p = Path(path) / META_DIR / "sweep.json"
    try:
        spec = json.loads(p.read_text())
    except (OSError, ValueError):
        return None
    return spec if isinstance(spec, dict) else None


def open_group_checked(path: Path, names: list[str], repair: bool
                       ) -> tuple[Any, str]:
    """Open the zarr group at ``path`` and every array ``names``: ``(group, "")``, or
    ``(None, problem)`` if the metadata is unreadable.  With ``repair``, array and group
    metadata that does not parse is restored from the consolidated ``.zmetadata``."""
    import zarr

    def attempt() -> tuple[Any, str]:
        try:
            g = zarr.open_group(str(path), mode="r+" if repair else "r", zarr_format=2,
                                use_consolidated=False)
            for n in names:
                g[n]  # noqa: B018 - opening validates the array's metadata
            return g, ""
        except Exception as e:  # noqa: BLE001 - any metadata failure is reported the same
            return None, f"zarr metadata unreadable ({type(e).__name__}: {str(e)[:80]})"

    g, problem = attempt()
    if g is not None or not repair:
        return g, problem
    try:
        consolidated = json.loads((path / ".zmetadata").read_text())["metadata"]
    except (OSError, ValueError, KeyError, TypeError):
        return None, problem + "; no intact .zmetadata to restore it from"
    for key, meta in consolidated.items():
        target = path / key
        try:
            json.loads(target.read_text())
            continue
        except (OSError, ValueError):
            pass
        target.parent.mkdir(parents=True, exist_ok=True)
        _atomic_write(target, json.dumps(meta, indent=2))
    g, problem2 = attempt()
    return g, ("" if g is not None else problem2 + " (restoring from .zmetadata failed)")


class MemoryStore:
    """Keeps the sweep in memory (no crash safety); used when no ``out`` path is given."""

    def __init__(self) -> None:
        self.ds: xr.Dataset | None = None
        self.attrs: dict[int, dict[str, Any]] = {}
        self.warnings: dict[int, list[list[str]]] = {}

    def prepare(self, spec: dict[str, Any], overwrite: bool,
                log: Callable[[str], None] | None = None) -> set[int]:
        return set()

    def release(self) -> None:
        pass

    @property
    def initialised(self) -> bool:
        return self.ds is not None

    def initialise(self, template: xr.Dataset) -> None:
        self.ds = template

    def write(self, res: ChunkResult, region: tuple[slice, ...], info: dict[str, Any]) -> None:
        assert self.ds is not None
        for name, arr in res.arrays.items():
            var = self.ds[name]
            shape = tuple(s.stop - s.start for s in region) + var.shape[len(region):]
            var.values[region] = _cast(name, arr, var.dtype).reshape(shape)
        self.attrs[res.index] = res.attrs
        self.warnings[res.index] = res.warnings

    def finalize(self) -> xr.Dataset:
        assert self.ds is not None
        self.ds.attrs.update(aggregate_attrs([self.attrs[i] for i in sorted(self.attrs)]))
        ws = summarize_warnings([self.warnings[i] for i in sorted(self.warnings)])
        if ws:
            self.ds.attrs["sweep_warnings"] = json.dumps(ws)
        return self.ds


def _cast(name: str, arr: np.ndarray, dtype: np.dtype) -> np.ndarray:
    if np.iscomplexobj(arr) and dtype.kind != "c":
        if np.any(arr.imag != 0):
            raise RuntimeError(f"observable {name!r} is complex in one chunk and real in another")
        arr = arr.real
    return np.asarray(arr).astype(dtype, copy=False)


class ZarrStore:
    """A resumable sweep store at ``path`` (see the module docstring for the layout)."""

    def __init__(self, path: str | os.PathLike[str]):
        self.path = Path(path)
        self._group: Any = None
        self._arrays: dict[str, Any] = {}
        self._spec: dict[str, Any] | None = None
        self._spec_id = ""
        self._slices: list[tuple[slice, ...]] = []
        self._lock = StoreLock(self.path, self.path / META_DIR / "lock")
        self._initialised = False
        self.report = None  # the StoreReport of the last prepare()

    # --- opening -----------------------------------------------------------------
    @property
    def meta(self) -> Path:
        return self.path / META_DIR

    @property
    def lock_path(self) -> Path:
        return self.meta / "lock"

    @property
    def initialised(self) -> bool:
        return self._initialised

    def _clear(self, keep_meta: bool = False) -> None:
        """Remove the store's contents, except the lock (and the spec with ``keep_meta``)."""
        for p in self.path.iterdir():
            if p.name == META_DIR:
                continue
            shutil.rmtree(p) if p.is_dir() and not p.is_symlink() else p.unlink()
        if self.meta.is_dir():
            for p in self.meta.iterdir():
                if p.name == "lock" or (keep_meta and p.name == "sweep.json"):
                    continue
                shutil.rmtree(p) if p.is_dir() and not p.is_symlink() else p.unlink()

    def _check_path(self, overwrite: bool) -> None:
        """Before anything is created: a file, a foreign directory or an unwritable parent
        is an error (a non-sweep zarr store is replaced only with ``overwrite``)."""
        p = self.path
        if p.exists() and not p.is_dir():
            raise OpenlzError(f"refusing to overwrite {p}: it is a file, not a zarr store")
        if not p.exists():
            check_writable_dir(p.parent if str(p.parent) else Path("."), f"the sweep store {p}")
            return
        names = {c.name for c in p.iterdir()}
        if not names or META_DIR in names:
            return
        if not names & set(_ZARR_META):
            raise OpenlzError(f"refusing to overwrite {p}: it is a non-empty directory that is "
                              "not a zarr store" if overwrite else
                              f"{p} exists and is not an openlz sweep store; use --overwrite to "
                              "replace it (only if it is a zarr store)")
        if not overwrite:
            raise OpenlzError(f"{p} exists and is not an openlz sweep store; use --overwrite "
                              "to replace it")

    def prepare(self, spec: dict[str, Any], overwrite: bool,
                log: Callable[[str], None] | None = None) -> set[int]:
        """Take the writer lock, check the store against ``spec``, verify the finished
        chunks; return the indices of the chunks that need no recomputation.

        A store holding a different sweep is an error unless ``overwrite`` (then it is
        emptied).  Damage found by the verification is reported in one line (``log``, else
        a warning) and the damaged chunks are recomputed.
        """
        from .integrity import StoreReport, slices_from_spec

        self._spec, self._spec_id = spec, spec_hash(spec)
        self._slices = slices_from_spec(spec)
        self._check_path(overwrite)
        try:
            self.path.mkdir(exist_ok=True)
            self.meta.mkdir(exist_ok=True)
        except OSError as e:
            raise OpenlzError(f"cannot write the sweep store {self.path}: "
                              f"{os.strerror(e.errno) if e.errno else e}") from None
        self._lock.acquire()
        try:
            rep = StoreReport(str(self.path), n_chunks=len(self._slices))
            done = self._resume(overwrite, rep)
        except BaseException:
            self.release()
            raise
        self.report = rep
        line = rep.damage_line()
        if line:
            msg = f"{self.path}: {line}; recomputing what was lost"
            (log or (lambda s: warnings.warn(s, UserWarning, stacklevel=4)))(msg)
        return done

    def _resume(self, overwrite: bool, rep: Any) -> set[int]:
        spec = self._spec
        assert spec is not None
        old = read_spec(self.path)
        sweep_json = self.meta / "sweep.json"
        records, bad, strays = scan_records(self.meta / "chunks", self._slices, self._spec_id)
        if old is None and sweep_json.exists():
            # corrupt spec: the records' spec hashes prove which sweep the data belongs to
            if records and all(r.get("spec") == self._spec_id for r in records.values()):
                rep.problems.append("_openlz/sweep.json was corrupt and is rebuilt from the "
                                    "chunk records")
            elif records and not overwrite:
                raise OpenlzError(f"{self.path}: _openlz/sweep.json is corrupt and the chunk "
                                  "records do not show which sweep the data belongs to; use "
                                  "--overwrite to recompute it")
            else:
                rep.problems.append("_openlz/sweep.json was corrupt; starting over")
                self._clear()
                records, bad, strays = {}, {}, []
        elif old is not None:
            diff = [k for k in sorted(set(old) | set(spec))
                    if _canonical(old.get(k)) != _canonical(spec.get(k))]
            if diff and not overwrite:
                raise OpenlzError(f"{self.path} holds a different sweep (differs in: "
                                  f"{', '.join(diff)}{spec_difference(old, spec, diff)}); "
                                  "refusing to mix results; use --overwrite to replace it")
            if diff:
                self._clear()
                records, bad, strays = {}, {}, []
        elif any(p.name != META_DIR for p in self.path.iterdir()) or records:
            # an interrupted creation (no spec yet): nothing in it is verified data
            self._clear()
            records, bad, strays = {}, {}, []
        for name in strays:
            (self.meta / "chunks" / name).unlink(missing_ok=True)
        rep.bad.update(bad)
        rep.strays = strays
        _atomic_write(sweep_json, json.dumps(spec, indent=1))
        self._initialised = False
        if (self.path / ".zgroup").exists() or records:
            group, problem = open_group_checked(self.path, list(spec["observables"]),
                                                repair=True)
            if group is None:
                rep.problems.append(f"{problem}; the data is recomputed")
                self._clear(keep_meta=True)
                records = {}
            else:
                self._initialised = True
                rep.bad.update(verify_chunks(group, records, self._slices))
        for i in rep.bad:
            (self.meta / "chunks" / f"{i}.done").unlink(missing_ok=True)
            records.pop(i, None)
        rep.ok = sorted(records)
        fsync_dir(self.meta / "chunks") if (self.meta / "chunks").exists() else None
        return set(records)

    def release(self) -> None:
        self._lock.release()

    def done(self) -> set[int]:
        """Indices of the chunks with a completion record (not verified; see prepare)."""
        d = self.meta / "chunks"
        if not d.exists():
            return set()
        return {int(p.name.split(".")[0]) for p in d.glob("*.done")
                if p.name.split(".")[0].isdigit()}

    # --- writing -----------------------------------------------------------------
    def initialise(self, template: xr.Dataset) -> None:
        """Create the zarr arrays (metadata + coordinates, no data) from ``template`` (a
        Dataset whose data variables are dask arrays chunked like the sweep): written into
        ``_openlz/`` first, then moved into place entry by entry."""
        assert self._spec is not None and self._lock.held
        tmp = self.meta / f"new-{uuid.uuid4().hex[:8]}"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            template.to_zarr(tmp, mode="w", compute=False, zarr_format=2, consolidated=True)
        for entry in sorted(tmp.iterdir(), key=lambda e: e.name == ".zmetadata"):
            dest = self.path / entry.name
            if dest.is_dir() and not dest.is_symlink():
                shutil.rmtree(dest)
            os.replace(entry, dest)
        tmp.rmdir()
        (self.meta / "chunks").mkdir(exist_ok=True)
        fsync_dir(self.path)
        self._initialised = True

    def _open(self) -> Any:
        if self._group is None:
            import zarr

            # not the consolidated metadata: a finalize killed mid-write may have torn it
            self._group = zarr.open_group(str(self.path), mode="r+", zarr_format=2,
                                          use_consolidated=False)
        return self._group

    def write(self, res: ChunkResult, region: tuple[slice, ...], info: dict[str, Any]) -> None:
        """Write one chunk's arrays into its zarr chunks (fsynced), then its checksummed
        completion record."""
        g = self._open()
        sums = {}
        for name, arr in res.arrays.items():
            z = self._arrays.get(name)
            if z is None:
                z = self._arrays[name] = g[name]
            shape = tuple(s.stop - s.start for s in region) + tuple(z.shape[len(region):])
            data = _cast(name, arr, z.dtype).reshape(shape)
            z[region] = data
            sums[name] = checksum(data)
            key = ".".join(str(s.start // c) for s, c in zip(region, z.chunks, strict=False))
            key += ".0" * (len(z.shape) - len(region))
            chunk_file = self.path / name / key
            if chunk_file.exists():  # zarr skips chunks equal to the fill value
                fsync_file(chunk_file)
        record = {"chunk": res.index, "region": [[s.start, s.stop] for s in region],
                  "attrs": res.attrs, "warnings": res.warnings, "seconds": res.seconds,
                  "worker": res.worker, "record_format": RECORD_FORMAT, "spec": self._spec_id,
                  "checksums": sums, **info}
        _atomic_write(self.meta / "chunks" / f"{res.index}.done", json.dumps(record))

    def records(self) -> dict[int, dict[str, Any]]:
        """Every readable completion record that belongs to this store's chunks, by index."""
        spec = self._spec or read_spec(self.path)
        if spec is None:
            return {}
        from .integrity import slices_from_spec

        good, _, _ = scan_records(self.meta / "chunks", slices_from_spec(spec), spec_hash(spec))
        return good

    def finalize(self) -> xr.Dataset:
        """Store the aggregated model attrs, consolidate metadata, return the lazy Dataset."""
        import zarr

        recs = self.records()
        attrs = aggregate_attrs([recs[i]["attrs"] for i in sorted(recs)])
        ws = summarize_warnings([recs[i].get("warnings", []) for i in sorted(recs)])
        if ws:
            attrs["sweep_warnings"] = json.dumps(ws)
        g = self._open()
        g.attrs.update(attrs)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            zarr.consolidate_metadata(str(self.path), zarr_format=2)
        fsync_file(self.path / ".zmetadata")
        self._group, self._arrays = None, {}
        return xr.open_zarr(self.path)
