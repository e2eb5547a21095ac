"""One writer per sweep store: an advisory ``flock`` on ``PATH.zarr/_openlz/lock``.

The lock is taken *before* the store is created or changed and held until the sweep ends.
The kernel releases it when the writer exits in any way (also SIGKILL), so a lock is never
stale; its content (host, pid, start time) only names the writer in the error message of
a second sweep, which refuses at once instead of racing the first.  The lock file is never
deleted (a second writer could otherwise lock a new file while the first still holds the
old one).  On file systems without ``flock`` (``ENOLCK``) the content is used instead: a
lock naming a live process on this host is respected, any other is taken over.
"""

from __future__ import annotations

import errno
import json
import os
import socket
import time
import warnings
from pathlib import Path
from typing import Any

from ..errors import OpenlzError

__all__ = ["StoreLock", "lock_holder"]

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None  # type: ignore[assignment]


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _read(path: Path) -> dict[str, Any]:
    try:
        info = json.loads(path.read_text() or "{}")
        return info if isinstance(info, dict) else {}
    except (OSError, ValueError):
        return {}


def _describe(info: dict[str, Any]) -> str:
    started = info.get("started")
    since = f", since {time.strftime('%H:%M:%S', time.localtime(started))}" \
        if isinstance(started, (int, float)) else ""
    return f"pid {info.get('pid', '?')} on {info.get('host', '?')}{since}"


class StoreLock:
    """The writer lock of the store at ``store`` (file ``store/_openlz/lock``)."""

    def __init__(self, store: Path, lock_path: Path):
        self.store, self.path = Path(store), Path(lock_path)
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        """Take the lock or raise :class:`OpenlzError` naming the writer that holds it."""
        if self._fd is not None:
            return
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as e:
            raise OpenlzError(f"cannot write the sweep store {self.store}: "
                              f"{os.strerror(e.errno) if e.errno else e}") from None
        try:
            self._lock(fd)
        except BaseException:
            os.close(fd)
            raise
        info = {"host": socket.gethostname(), "pid": os.getpid(), "started": time.time()}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(info).encode(), 0)
        self._fd = fd

    def _lock(self, fd: int) -> None:
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                raise OpenlzError(
                    f"another openlz sweep ({_describe(_read(self.path))}) is writing "
                    f"{self.store}; wait until it has finished (or stop it), then run again"
                ) from None
            except OSError as e:
                if e.errno not in (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS):
                    raise
                warnings.warn(f"{self.store}: file locking is not supported here "
                              f"({os.strerror(e.errno)}); relying on the pid in the lock file",
                              UserWarning, stacklevel=3)
        other = _read(self.path)
        if other.get("host") == socket.gethostname() and other.get("pid") != os.getpid() \
                and _alive(int(other.get("pid", 0))):
            raise OpenlzError(f"another openlz sweep ({_describe(other)}) is writing "
                              f"{self.store}; wait until it has finished, then run again")

    def release(self) -> None:
        """Drop the lock (the file stays, emptied)."""
        if self._fd is None:
            return
        try:
            os.ftruncate(self._fd, 0)
        except OSError:  # pragma: no cover - read-only by now
            pass
        os.close(self._fd)  # closing releases the flock
        self._fd = None


def lock_holder(lock_path: Path) -> dict[str, Any] | None:
    """Who holds the lock at ``lock_path`` (host, pid, started), or None if nobody does.
    Never blocks and never takes the lock for longer than the test."""
    if not lock_path.exists():
        return None
    if fcntl is None:  # pragma: no cover
        info = _read(lock_path)
        return info if _alive(int(info.get("pid", 0))) else None
    try:
        fd = os.open(lock_path, os.O_RDONLY)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return _read(lock_path) or {"pid": "?", "host": "?"}
    except OSError:
        return None
    finally:
        os.close(fd)  # also drops the shared lock if it was granted
    return None
