"""Usage errors of the ``openlz`` command are one line on stderr with exit status 2.

Expected behaviour comes from the CLI contract in the foundation issue (#2, item 6):
no traceback, one line naming the problem, status 2; ``--version`` and a bare
``openlz`` succeed.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from openlz import __version__

CMD = [sys.executable, "-c", "from openlz.cli import main; main()"]


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*CMD, *args], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("args, needle", [
    (("describe",), "describe"),
    (("run", "--bogus", "x"), "--bogus"),
    (("run", "magnetic-medium", "--times", "0:1"), "times"),
    (("run", "magnetic-medium", "--set", "novalue"), "NAME=VALUE"),
])
def test_usage_errors_are_one_line_exit_2(args: tuple[str, ...], needle: str) -> None:
    r = _run(*args)
    assert r.returncode == 2, r.stderr
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, r.stderr
    assert "Traceback" not in r.stderr
    assert needle in lines[0]


def test_version_and_bare_command_succeed() -> None:
    r = _run("--version")
    assert r.returncode == 0 and r.stdout.strip() == __version__
    r = _run()
    assert r.returncode == 0 and "Usage" in r.stdout


def test_unreadable_initial_file_is_one_line_exit_2() -> None:
    r = _run("run", "magnetic-medium", "--initial", "/nonexistent/state.npy")
    assert r.returncode == 2
    assert "Traceback" not in r.stderr and "initial" in r.stderr
