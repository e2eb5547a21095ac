"""Where a sweep's results go: a resumable zarr store, or memory.

Zarr store layout (``PATH.zarr``, zarr format 2, consolidated metadata)::

    PATH.zarr/                     an xarray Dataset: one dimension per grid parameter
      <observable>/ ...            zarr chunks: exactly one per sweep chunk
      _openlz/sweep.json           the sweep's spec (model, grid, params, times, ...)
      _openlz/chunks/<i>.done      completion record of chunk i (JSON, incl. model _attrs)

Crash safety: the store is created in a temporary directory and renamed into place,
so it exists either fully initialised or not at all.  A chunk is written into its
own zarr chunks *first*, then its ``.done`` record is created atomically (write to a
temporary file + ``os.replace``).  A chunk without a record is recomputed on the next
run, so a killed sweep loses at most the chunks in flight, and a resumed sweep writes
exactly the bytes an uninterrupted one would.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import uuid
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from ..errors import OpenlzError
from .compute import ChunkResult

__all__ = ["ZarrStore", "MemoryStore", "aggregate_attrs", "summarize_warnings", "read_spec"]

META_DIR = "_openlz"


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    # No fsync: this guards against a killed process (the page cache survives it), not
    # against power loss, for which the zarr chunks would need syncing too.
    with open(tmp, "w") as fh:
        fh.write(text)
    os.replace(tmp, path)


def _alive(pid: int) -> bool:
    """Whether a process with this pid exists on this host."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _canonical(x: Any) -> str:
    return json.dumps(x, sort_keys=True)


def aggregate_attrs(per_chunk: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Combine the model's ``_attrs`` of every chunk (in chunk order) into dataset attrs.

    A value equal in every chunk is kept.  Otherwise: numbers -> the maximum over chunks
    (error estimates, step counts: the worst case); booleans -> ``"mixed: true in k/n
    chunks"``; anything else -> the first chunk's value.  ``sweep_attrs_aggregated`` names
    the keys that were combined and how.
    """
    keys: list[str] = []
    for d in per_chunk:
        keys.extend(k for k in d if k not in keys)
    out: dict[str, Any] = {}
    how: list[str] = []
    for k in keys:
        vals = [d[k] for d in per_chunk if k in d]
        if all(_canonical(v) == _canonical(vals[0]) for v in vals):
            out[k] = vals[0]
        elif all(isinstance(v, bool) for v in vals):
            out[k] = f"mixed: true in {sum(vals)}/{len(vals)} chunks"
            how.append(f"{k}: mixed")
        elif all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in vals):
            out[k] = max(vals)
            how.append(f"{k}: max over chunks")
        else:
            out[k] = vals[0]
            how.append(f"{k}: first chunk's value")
    if how:
        out["sweep_attrs_aggregated"] = "; ".join(how)
    return {k: (v if isinstance(v, (bool, int, float, str)) else json.dumps(v))
            for k, v in out.items()}


def _detail(old: dict[str, Any], new: dict[str, Any], keys: list[str]) -> str:
    """``"; params a: 1.0 -> 2.0"`` for the fixed parameters that changed (short)."""
    if "params" not in keys:
        return ""
    a, b = old.get("params") or {}, new.get("params") or {}
    changed = [f"{k}: {a.get(k)!r} -> {b.get(k)!r}" for k in sorted(set(a) | set(b))
               if _canonical(a.get(k)) != _canonical(b.get(k))]
    return "; params " + ", ".join(changed[:5]) + (", ..." if len(changed) > 5 else "")


def summarize_warnings(per_chunk: Sequence[Sequence[Sequence[str]]],
                       limit: int = 20) -> dict[str, Any]:
    """The warnings of a sweep's chunks (in chunk order), as stored in the dataset attr
    ``sweep_warnings``: ``{"chunks": {category: number of chunks that raised one},
    "messages": [{"category", "message", "chunks"}, ...]}`` with at most ``limit``
    distinct messages (the first ones). Empty dict if no chunk warned."""
    per_msg: dict[tuple[str, str], int] = {}
    per_cat: dict[str, int] = {}
    for ws in per_chunk:
        for cat in dict.fromkeys(c for c, _ in ws):
            per_cat[cat] = per_cat.get(cat, 0) + 1
        for cat, msg in ws:
            per_msg[(cat, msg)] = per_msg.get((cat, msg), 0) + 1
    if not per_cat:
        return {}
    msgs = [{"category": c, "message": m, "chunks": n} for (c, m), n in per_msg.items()]
    out: dict[str, Any] = {"chunks": per_cat, "messages": msgs[:limit]}
    if len(msgs) > limit:
        out["more_messages"] = len(msgs) - limit
    return out


def read_spec(path: str | os.PathLike[str]) -> dict[str, Any] | None:
    """The spec of the sweep stored at ``path`` (None if it is not a sweep store)."""
    p = Path(path) / META_DIR / "sweep.json"
    return json.loads(p.read_text()) if p.exists() else None


class MemoryStore:
    """Keeps the sweep in memory (no crash safety); used when no ``out`` path is given."""

    def __init__(self) -> None:
        self.ds: xr.Dataset | None = None
        self.attrs: dict[int, dict[str, Any]] = {}
        self.warnings: dict[int, list[list[str]]] = {}

    def prepare(self, spec: dict[str, Any], overwrite: bool) -> set[int]:
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
        self._locked = False

    # --- opening -----------------------------------------------------------------
    @property
    def meta(self) -> Path:
        return self.path / META_DIR

    @property
    def initialised(self) -> bool:
        return (self.meta / "sweep.json").exists()

    def _remove(self) -> None:
        if self.path.is_dir():
            looks_like_zarr = any((self.path / f).exists() for f in
                                  (".zgroup", "zarr.json", META_DIR, ".zmetadata"))
            if not looks_like_zarr and any(self.path.iterdir()):
                raise OpenlzError(f"refusing to overwrite {self.path}: it is a non-empty directory"
                                  " that is not a zarr store")
            shutil.rmtree(self.path)
        elif self.path.exists():
            raise OpenlzError(f"refusing to overwrite {self.path}: it is a file, not a zarr store")

    def prepare(self, spec: dict[str, Any], overwrite: bool) -> set[int]:
        """Check the store against ``spec``; return the indices of finished chunks.

        A store holding a different sweep is an error unless ``overwrite``; then it is
        deleted (only if it is a zarr store or an empty directory).
        """
        self._spec = spec
        for stale in self.path.parent.glob(self.path.name + ".tmp-*"):
            shutil.rmtree(stale, ignore_errors=True)
        if not self.path.exists():
            return set()
        old = read_spec(self.path)
        if old is None:
            if overwrite or (self.path.is_dir() and not any(self.path.iterdir())):
                self._remove()
                return set()
            raise OpenlzError(f"{self.path} exists and is not an openlz sweep store;"
                              " use --overwrite to replace it")
        diff = [k for k in sorted(set(old) | set(spec)) if _canonical(old.get(k)) != _canonical(spec.get(k))]
        if diff:
            if overwrite:
                self._remove()
                return set()
            raise OpenlzError(f"{self.path} holds a different sweep (differs in: {', '.join(diff)}"
                              f"{_detail(old, spec, diff)}); refusing to mix results; use "
                              "--overwrite to replace it")
        self.acquire()
        return self.done()

    # --- one writer at a time ----------------------------------------------------------
    @property
    def lock_path(self) -> Path:
        return self.meta / "lock"

    def acquire(self) -> None:
        """Take the store's writer lock (``_openlz/lock``: host and pid of the writer).

        A lock left by a process that no longer exists on this host (e.g. killed with
        SIGKILL) is taken over; a live writer, or one on another host, is an error.
        """
        host = socket.gethostname()
        me = json.dumps({"host": host, "pid": os.getpid()})
        for _ in range(2):
            try:
                fd = os.open(self.lock_path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            except FileExistsError:
                try:
                    other = json.loads(self.lock_path.read_text())
                except (OSError, ValueError):
                    other = {}
                if other.get("host") == host and not _alive(int(other.get("pid", 0))):
                    self.lock_path.unlink(missing_ok=True)  # stale: its writer is gone
                    continue
                raise OpenlzError(
                    f"another openlz sweep (pid {other.get('pid')} on {other.get('host')}) is "
                    f"writing {self.path}; if it is no longer running, delete {self.lock_path}"
                ) from None
            with os.fdopen(fd, "w") as fh:
                fh.write(me)
            self._locked = True
            return

    def release(self) -> None:
        if self._locked:
            self.lock_path.unlink(missing_ok=True)
            self._locked = False

    def done(self) -> set[int]:
        d = self.meta / "chunks"
        if not d.exists():
            return set()
        return {int(p.name.split(".")[0]) for p in d.glob("*.done")}

    # --- writing -----------------------------------------------------------------
    def initialise(self, template: xr.Dataset) -> None:
        """Create the store (metadata + coordinates, no data) atomically from ``template``
        (a Dataset whose data variables are dask arrays chunked like the sweep)."""
        assert self._spec is not None
        tmp = self.path.with_name(f"{self.path.name}.tmp-{uuid.uuid4().hex[:8]}")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            template.to_zarr(tmp, mode="w", compute=False, zarr_format=2, consolidated=True)
        (tmp / META_DIR / "chunks").mkdir(parents=True)
        _atomic_write(tmp / META_DIR / "sweep.json", json.dumps(self._spec, indent=1))
        os.rename(tmp, self.path)
        self.acquire()

    def _open(self) -> Any:
        if self._group is None:
            import zarr

            # not the consolidated metadata: a finalize killed mid-write may have torn it
            self._group = zarr.open_group(str(self.path), mode="r+", zarr_format=2,
                                          use_consolidated=False)
        return self._group

    def write(self, res: ChunkResult, region: tuple[slice, ...], info: dict[str, Any]) -> None:
        """Write one chunk's arrays into its zarr chunks, then its completion record."""
        g = self._open()
        for name, arr in res.arrays.items():
            z = self._arrays.get(name)
            if z is None:
                z = self._arrays[name] = g[name]
            shape = tuple(s.stop - s.start for s in region) + tuple(z.shape[len(region):])
            z[region] = _cast(name, arr, z.dtype).reshape(shape)
        record = {"chunk": res.index, "region": [[s.start, s.stop] for s in region],
                  "attrs": res.attrs, "warnings": res.warnings, "seconds": res.seconds,
                  "worker": res.worker, **info}
        _atomic_write(self.meta / "chunks" / f"{res.index}.done", json.dumps(record))

    def records(self) -> dict[int, dict[str, Any]]:
        """Every completion record, by chunk index."""
        return {int(p.name.split(".")[0]): json.loads(p.read_text())
                for p in (self.meta / "chunks").glob("*.done")}

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
        self._group, self._arrays = None, {}
        return xr.open_zarr(self.path)
