"""Every ```python block of README.md runs: blocks written with ``>>>`` prompts are doctests
(their shown output must match), the others are executed.  The README Quickstart's numbers are
checked inside it against closed forms (the resonance-fluorescence steady state, Rabi's formula
in the rotating-wave approximation)."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import matplotlib
import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCKS = re.findall(r"^```python\n(.*?)^```", README.read_text(encoding="utf-8"), re.M | re.S)


def test_readme_has_python_blocks():
    assert len(BLOCKS) >= 2


@pytest.mark.parametrize("k", range(len(BLOCKS)))
def test_readme_block_runs(k, tmp_path, monkeypatch):
    matplotlib.use("Agg")
    monkeypatch.chdir(tmp_path)  # anything a block writes lands in a temporary directory
    code = BLOCKS[k]
    if ">>> " in code:
        parser = doctest.DocTestParser()
        test = parser.get_doctest(code, {}, f"README block {k}", str(README), 0)
        runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
        runner.run(test)
        assert runner.failures == 0, f"README block {k}: {runner.failures} doctest failures"
        assert runner.tries > 0
    else:
        exec(compile(code, f"README block {k}", "exec"), {})
