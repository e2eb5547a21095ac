"""Output paths, checked before anything is computed.

A result is only worth computing if it can be written: these checks run first and raise
:class:`~openlz.errors.OpenlzError` with one clear sentence (missing directory, no write
permission, a file where a directory is needed, existing data that would be replaced).
Existing data is never replaced without ``overwrite``.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from pathlib import Path

from .errors import OpenlzError

__all__ = ["check_writable_dir", "check_output_file", "check_output_dir", "replace_path",
           "fsync_dir", "fsync_file"]


def _why(e: OSError) -> str:
    return os.strerror(e.errno) if e.errno else str(e)


def check_writable_dir(directory: Path, what: str) -> None:
    """``directory`` exists, is a directory and accepts a new file (tested by creating one)."""
    if not directory.exists():
        raise OpenlzError(f"cannot write {what}: directory {directory} does not exist")
    if not directory.is_dir():
        raise OpenlzError(f"cannot write {what}: {directory} is not a directory")
    try:
        fd, probe = tempfile.mkstemp(prefix=".openlz-write-test-", dir=directory)
    except OSError as e:
        raise OpenlzError(f"cannot write {what}: {directory}: {_why(e)}") from None
    os.close(fd)
    os.unlink(probe)


def check_output_file(path: Path, overwrite: bool, what: str = "the output") -> None:
    """A file or ``.zarr`` store about to be written at ``path``: its directory is writable,
    and existing data there is replaced only with ``overwrite``."""
    path = Path(path)
    if path.exists() or path.is_symlink():
        if not overwrite:
            kind = "directory" if path.is_dir() else "file"
            raise OpenlzError(f"{path} already exists ({kind}); refusing to replace it; use "
                              "--overwrite to replace it or choose another --out")
        if path.is_dir() and not (path / ".zgroup").exists() and not (path / "zarr.json").exists() \
                and any(path.iterdir()):
            raise OpenlzError(f"refusing to overwrite {path}: it is a non-empty directory that is "
                              "not a zarr store")
    check_writable_dir(path.parent if str(path.parent) else Path("."), f"{what} {path}")


def check_output_dir(path: Path, what: str = "the output directory") -> None:
    """A directory that will receive files: it is one (or can be created) and is writable."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise OpenlzError(f"{what} {path} is a file, not a directory; choose another --out")
    if not path.exists():
        parent = path.parent if str(path.parent) else Path(".")
        # the nearest existing ancestor must be writable for mkdir -p to succeed
        anc = parent
        while not anc.exists() and anc != anc.parent:
            anc = anc.parent
        if not anc.is_dir():
            raise OpenlzError(f"cannot create {what} {path}: {anc} is not a directory")
        check_writable_dir(anc, f"{what} {path}")
        return
    check_writable_dir(path, f"{what} {path}")


def replace_path(tmp: Path, path: Path) -> None:
    """Move the finished ``tmp`` (file or directory) to ``path``, replacing what is there
    (the caller has checked ``overwrite``)."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    try:
        os.replace(tmp, path)
    except OSError as e:
        if e.errno in (errno.ENOTEMPTY, errno.EEXIST):
            raise OpenlzError(f"cannot replace {path}: {_why(e)}") from None
        raise


def fsync_file(path: Path) -> None:
    """Flush one file's data to the storage device."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: Path) -> None:
    """Flush a directory's entries (new names, renames) to the storage device."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some file systems refuse fsync on directories
        pass
    finally:
        os.close(fd)
