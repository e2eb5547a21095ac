"""The benchmark scripts compile (ruff does not see every compile-time error, e.g. a name used
before its ``global`` statement) and ``run_all.py --help`` runs without the peers' imports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.mark.parametrize("path", sorted(BENCH.glob("*.py")), ids=lambda p: p.name)
def test_benchmark_script_compiles(path):
    compile(path.read_text(), str(path), "exec")


def test_run_all_help():
    out = subprocess.run([sys.executable, str(BENCH / "run_all.py"), "--help"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "--loaded" in out.stdout and "--budget" in out.stdout
