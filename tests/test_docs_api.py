"""Every public name of openlz gets an entry in the API reference (issue 15, item 2).

A fast stand-in for the check ``mkdocs build --strict`` makes after the build (the hook in
``docs/_build/hooks.py``): the same rule, from ``docs/_build/api_names.py``, applied to the
griffe view of ``src/`` and the ``:::`` directives of ``docs/api/*.md`` without building the
site (~2 s).  The rule was checked against full strict builds: the run that failed with 13
"public name ... has no entry in the site" warnings (names under ``::: openlz.models`` /
``::: openlz.api`` with a ``members:`` list, counted as covered) is what
``test_member_lists_do_not_cover_submodules`` pins down, and an unresolvable re-export in
``__all__`` aborting the build is what ``test_public_names_can_be_collected`` catches.  Needs griffe (``test`` extra); skipped without it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

griffe = pytest.importorskip("griffe")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "docs" / "_build"))
import api_names  # noqa: E402

API = ROOT / "docs" / "api"


@pytest.fixture(scope="module")
def pkg():
    return api_names.load(ROOT / "src")


@pytest.fixture(scope="module")
def names(pkg) -> dict:
    return api_names.public_names(pkg)


@pytest.fixture(scope="module")
def directives() -> list:
    return api_names.directives(API)


def test_names_found(names):
    # the reference covers the toolkit and the layers: a few names every build must see
    for path in ("openlz.mesolve", "openlz.concurrence", "openlz.solve.lindblad.evolve_td",
                 "openlz.models.base.Model", "openlz.ParameterError"):
        assert path in names, path
    assert len(names) > 300


def test_more_page_is_filled_by_the_hook():
    # api/more.md is where names no grouped page shows are rendered (the hook replaces
    # this placeholder); without it they would silently get no entry
    assert "<!-- more-names -->" in (API / api_names.MORE).read_text(encoding="utf-8")


def test_member_lists_do_not_cover_submodules():
    # mkdocstrings renders `::: openlz.models` with `members: [get_model]` as get_model only,
    # and never the members of openlz.models' submodules (the cause of the 13 CI warnings)
    ds = [api_names.Directive("models.md", "openlz.models", frozenset({"get_model"})),
          api_names.Directive("models.md", "openlz.models.base", None)]
    assert api_names.anchored("openlz.models.get_model", ds) is not None
    assert api_names.anchored("openlz.models.all_models", ds) is None
    assert api_names.anchored("openlz.models.magnetic_medium_ops.P0", ds) is None
    assert api_names.anchored("openlz.models.base.Model", ds) is not None
    assert api_names.anchored("openlz.models.base", ds) is not None


def test_directives_resolve(directives, pkg):
    # a `::: path` to a renamed or removed object fails the build: name the page and path
    bad = []
    for d in directives:
        try:
            obj = pkg[d.path.removeprefix("openlz.")] if d.path != "openlz" else pkg
        except KeyError:
            bad.append(f"{d.page}: ::: {d.path} (no such object)")
            continue
        for m in sorted(d.members or ()):
            if m not in obj.members:
                bad.append(f"{d.page}: ::: {d.path} lists member {m!r}, which it has not")
    assert not bad, "API pages point to objects that do not exist:\n" + "\n".join(bad)


def test_public_names_can_be_collected(names):
    # mkdocstrings must be able to collect every public name, on a grouped page or on More
    # names: an alias griffe cannot follow (``from math import pi`` with "pi" in __all__)
    # aborts the build with AliasResolutionError (checked with a full build)
    bad = [f"{p}: re-export griffe cannot resolve; make it private or drop it from __all__"
           for p, n in names.items() if n.kind == "unresolved alias"]
    assert not bad, "public names the API reference cannot render:\n" + "\n".join(bad)


def test_ungrouped_names_have_docstrings(names, directives):
    # a name that no grouped page shows appears on "More names" as a bare heading unless it
    # has a docstring (constants: a string literal right after the assignment) -- give it
    # one, list its module on a docs/api page, or make it private (_name)
    more = api_names.ungrouped(names, directives)
    bare = sorted(f"{p} ({n.kind}, defined as {n.canonical})" for p, n in more.items()
                  if not n.has_docstring)
    assert not bare, ("public names on the API page 'More names' without a docstring:\n"
                      + "\n".join(bare))
