"""A sweep store proves its own integrity: checksummed completion records.

Every completion record ``_openlz/chunks/<i>.done`` (format 2) holds, besides the chunk's
region and metadata, the hash of the sweep's spec it belongs to and a checksum (BLAKE2b of
dtype, shape and bytes) of every variable's data in the chunk's region, taken from the
array that was written.  Verifying a store re-reads each recorded chunk from zarr and
compares; a chunk whose record is unreadable (truncated), belongs to another sweep or
another region, or whose data no longer matches (deleted chunk file, a chunk copied over
another, random bytes) is *not done*: the next run recomputes it.  Files in the records
directory that are no chunk of this sweep (``x.done``, ``99.done``) are strays.

:func:`inspect_store` does all of this read-only (``openlz sweep --verify PATH``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .grid import block_shape, chunk_slices

__all__ = ["RECORD_FORMAT", "checksum", "spec_hash", "StoreReport", "scan_records",
           "verify_chunks", "inspect_store", "slices_from_spec"]

RECORD_FORMAT = 2
"""Format version of the completion records (2: with checksums and the spec hash)."""


def checksum(arr: np.ndarray) -> str:
    """``"blake2b:<hex>"`` of an array's dtype, shape and C-order bytes."""
    a = np.ascontiguousarray(arr)
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{a.dtype.str}{a.shape}".encode())
    h.update(a.tobytes())
    return "blake2b:" + h.hexdigest()


def spec_hash(spec: dict[str, Any]) -> str:
    """Hash of a sweep spec (canonical JSON): which sweep a record belongs to."""
    return hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:32]


def slices_from_spec(spec: dict[str, Any]) -> list[tuple[slice, ...]]:
    """The chunk regions of the sweep described by ``spec`` (grid sizes and block)."""
    shape = tuple(len(a["values"]) for a in spec["grid"])
    block = tuple(spec.get("block") or block_shape(shape, int(spec["chunk"])))
    return chunk_slices(shape, block)


@dataclass
class StoreReport:
    """The state of a store: which chunks are verified, missing, damaged; strays; lock."""

    path: str
    n_chunks: int = 0
    ok: list[int] = field(default_factory=list)
    missing: list[int] = field(default_factory=list)
    bad: dict[int, str] = field(default_factory=dict)
    strays: list[str] = field(default_factory=list)
    unverified: list[int] = field(default_factory=list)  # records without checksums
    problems: list[str] = field(default_factory=list)  # store-level (spec, metadata)
    writer: dict[str, Any] | None = None
    summary: str = ""

    @property
    def complete(self) -> bool:
        return (not self.problems and not self.bad and not self.missing
                and len(self.ok) + len(self.unverified) == self.n_chunks and self.n_chunks > 0)

    @property
    def clean(self) -> bool:
        """Complete, and nothing else in the records (no strays)."""
        return self.complete and not self.strays

    def damage_line(self) -> str:
        """One line on what failed verification ('' if nothing did)."""
        parts = []
        if self.problems:
            parts.append("; ".join(self.problems))
        if self.bad:
            items = ", ".join(f"{i}: {why}" for i, why in sorted(self.bad.items())[:4])
            more = f", and {len(self.bad) - 4} more" if len(self.bad) > 4 else ""
            parts.append(f"{len(self.bad)} of {self.n_chunks} chunks failed verification "
                         f"({items}{more})")
        if self.strays:
            parts.append(f"stray files in the records: {', '.join(sorted(self.strays)[:4])}"
                         + (" ..." if len(self.strays) > 4 else ""))
        return "; ".join(parts)

    def lines(self) -> list[str]:
        """A short report for ``openlz sweep --verify``."""
        out = [f"{self.path}: {self.summary}" if self.summary else self.path]
        state = "complete and verified" if self.complete else "incomplete or damaged"
        state += ", with stray files" if self.strays else ""
        out.append(f"chunks: {len(self.ok)} verified, {len(self.missing)} missing, "
                   f"{len(self.bad)} damaged, {len(self.unverified)} without checksums "
                   f"(older openlz), of {self.n_chunks}: {state}")
        if self.missing:
            out.append("missing: " + _ranges(self.missing))
        damage = self.damage_line()
        if damage:
            out.append("damaged: " + damage)
        if self.writer:
            out.append(f"being written by pid {self.writer.get('pid')} on "
                       f"{self.writer.get('host')}")
        return out


def _ranges(ix: Sequence[int]) -> str:
    ix = sorted(ix)
    out, start = [], ix[0]
    for a, b in zip(ix, [*ix[1:], None], strict=True):
        if b != a + 1:
            out.append(str(start) if start == a else f"{start}-{a}")
            start = b
    return ", ".join(out[:20]) + (" ..." if len(out) > 20 else "")


def scan_records(chunks_dir: Path, slices: Sequence[tuple[slice, ...]], spec_id: str
                 ) -> tuple[dict[int, dict[str, Any]], dict[int, str], list[str]]:
    """Read every record: ``(good records by index, damaged {index: reason}, strays)``.

    A record is good if it parses, names its own index and region, and belongs to
    ``spec_id`` (records of format 1 carry no spec hash and are accepted as they are).
    """
    good: dict[int, dict[str, Any]] = {}
    bad: dict[int, str] = {}
    strays: list[str] = []
    if not chunks_dir.is_dir():
        return good, bad, strays
    for p in sorted(chunks_dir.iterdir()):
        if p.name.startswith("."):  # temporary files of an interrupted write
            strays.append(p.name)
            continue
        stem, _, ext = p.name.partition(".")
        if ext != "done" or not stem.isdigit() or int(stem) >= len(slices):
            strays.append(p.name)
            continue
        i = int(stem)
        try:
            rec = json.loads(p.read_text())
        except (OSError, ValueError, UnicodeDecodeError):
            bad[i] = "record unreadable (truncated or corrupt)"
            continue
        region = [[s.start, s.stop] for s in slices[i]]
        if not isinstance(rec, dict) or rec.get("chunk") != i or rec.get("region") != region:
            bad[i] = "record does not describe this chunk"
            continue
        if rec.get("record_format", 1) >= RECORD_FORMAT and rec.get("spec") != spec_id:
            bad[i] = "record belongs to a different sweep"
            continue
        good[i] = rec
    return good, bad, strays


def verify_chunks(group: Any, records: dict[int, dict[str, Any]],
                  slices: Sequence[tuple[slice, ...]]) -> dict[int, str]:
    """Re-read every recorded chunk and compare its checksums: ``{index: reason}`` of the
    chunks that do not match (records without checksums are skipped)."""
    bad: dict[int, str] = {}
    arrays: dict[str, Any] = {}
    for i, rec in sorted(records.items()):
        sums = rec.get("checksums")
        if not sums:
            continue
        for name, expected in sums.items():
            try:
                z = arrays.get(name)
                if z is None:
                    z = arrays[name] = group[name]
                got = checksum(np.asarray(z[slices[i]]))
            except Exception as e:  # noqa: BLE001 - any decoding failure means damage
                bad[i] = f"{name} unreadable ({type(e).__name__})"
                break
            if got != expected:
                bad[i] = f"{name} data does not match its checksum"
                break
    return bad


def inspect_store(path: str | Path) -> StoreReport:
    """The state of the sweep store at ``path``, read-only (nothing is computed or changed)."""
    from .lock import lock_holder
    from .store import META_DIR, open_group_checked

    path = Path(path)
    rep = StoreReport(str(path))
    meta = path / META_DIR
    if not path.is_dir():
        rep.problems.append("no such store" if not path.exists() else "not a directory")
        return rep
    try:
        spec = json.loads((meta / "sweep.json").read_text())
        slices = slices_from_spec(spec)
    except FileNotFoundError:
        rep.problems.append("not an openlz sweep store (no _openlz/sweep.json)")
        return rep
    except (OSError, ValueError, KeyError, TypeError) as e:
        rep.problems.append(f"_openlz/sweep.json is corrupt ({type(e).__name__})")
        return rep
    rep.n_chunks = len(slices)
    grid = ", ".join(f"{a['name']}: {len(a['values'])}" for a in spec["grid"])
    rep.summary = (f"sweep of {spec.get('model')} over ({grid}), observables "
                   f"{', '.join(spec.get('observables', []))}")
    records, rep.bad, rep.strays = scan_records(meta / "chunks", slices, spec_hash(spec))
    group, problem = open_group_checked(path, spec.get("observables", []), repair=False)
    if problem:
        rep.problems.append(problem)
    if group is not None:
        rep.bad.update(verify_chunks(group, records, slices))
    elif records:
        rep.bad.update({i: "data unreadable" for i in records})
    rep.unverified = sorted(i for i, r in records.items() if not r.get("checksums")
                            and i not in rep.bad)
    rep.ok = sorted(i for i in records if i not in rep.bad and i not in rep.unverified)
    rep.missing = sorted(set(range(rep.n_chunks)) - set(records) - set(rep.bad))
    rep.writer = lock_holder(meta / "lock")
    return rep
