"""Which public names of openlz the API reference must show, and which page shows them.

Shared by the MkDocs hook (``hooks.py``: fills ``api/more.md``, checks the built anchors)
and the fast test ``tests/test_docs_api.py`` (the same rule without building the site).
Needs only griffe (a dependency of mkdocstrings, and of the ``test`` extra).

The rule, as mkdocstrings-python renders the pages with the options of ``mkdocs.yml``
(``filters: public``, ``show_if_no_docstring: true``, no submodules), checked against a
full ``mkdocs build --strict``:

* a ``::: path`` directive gives ``path`` an anchor, and every public member of ``path``
  (its ``__all__``, or its non-underscore names) one at ``path.member`` -- unless the
  directive's ``members:`` option lists the members to show, then only those;
* a directive does **not** anchor the members of a package's *submodules*: ``::: openlz.models``
  documents ``openlz.models.Model`` but not ``openlz.models.magnetic_medium_ops.P0``;
* a public name counts as documented when it, or the object it re-exports (``openlz.mesolve``
  is ``openlz.api.mesolve.mesolve``), has an anchor;
* every public name no grouped page documents is rendered on ``api/more.md`` by the hook.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, NamedTuple

import griffe

# Packages whose public names the API reference must cover (issue 15: top level, core,
# solve, analytic, models, sweep; plus the toolkit's input conversion, the error classes
# and the reproduction machinery).  Every module of the subpackages counts too.
DOCUMENTED = ("openlz", "openlz.api", "openlz.core", "openlz.solve", "openlz.analytic",
              "openlz.models", "openlz.sweep", "openlz.errors", "openlz.results",
              "openlz.report", "openlz.figures", "openlz.figures.base")
SUBPACKAGES = ("openlz.core", "openlz.solve", "openlz.analytic", "openlz.models", "openlz.sweep")
MORE = "more.md"        # the catch-all page in docs/api/, filled by the hook

_DIRECTIVE = re.compile(r"^:::[ \t]+([\w.]+)[ \t]*\n((?:[ \t]+\S.*\n?)*)", re.MULTILINE)
_MEMBERS = re.compile(r"^([ \t]+)members:[ \t]*(.*)$", re.MULTILINE)


class PublicName(NamedTuple):
    path: str           # where users find it: ``openlz.mesolve``
    canonical: str      # where it is defined: ``openlz.api.mesolve.mesolve``
    module: str         # the module exporting it: ``openlz``
    kind: str           # griffe kind of the object: function, class, attribute
    has_docstring: bool


class Directive(NamedTuple):
    page: str                          # docs/api page name
    path: str                          # the object rendered
    members: frozenset[str] | None     # the ``members:`` option; None: all public members


def public_members(module: Any) -> list[str]:
    """The public names of a griffe module: its ``__all__``, else the non-underscore names
    defined there (not imported ones, not submodules)."""
    if module.exports is not None:
        return [str(n) for n in module.exports]
    return [n for n, m in module.members.items()
            if not n.startswith("_") and not m.is_alias and not m.is_module]


def documented_modules(pkg: Any) -> list[Any]:
    """The griffe modules of :data:`DOCUMENTED` and every public module of :data:`SUBPACKAGES`."""
    out = [pkg[p.removeprefix("openlz.")] if p != "openlz" else pkg for p in DOCUMENTED]
    for path in SUBPACKAGES:
        sub = pkg[path.removeprefix("openlz.")]
        out += [m for name, m in sub.members.items()
                if not m.is_alias and m.is_module and not name.startswith("_")]
    seen: set[str] = set()
    return [m for m in out if not (m.path in seen or seen.add(m.path))]


def load(src: Path) -> Any:
    """The griffe view of the ``openlz`` package under ``src`` (aliases inside it resolved)."""
    return griffe.load("openlz", search_paths=[str(src)], resolve_aliases=True,
                       resolve_external=False)


def public_names(src: Path | Any) -> dict[str, PublicName]:
    """Every public name of the documented modules (``__version__`` and modules excluded),
    by its public path; ``src`` is the source directory or a package from :func:`load`."""
    pkg = load(src) if isinstance(src, (str, Path)) else src
    names: dict[str, PublicName] = {}
    for module in documented_modules(pkg):
        for name in public_members(module):
            if name == "__version__" or name not in module.members:
                continue
            member = module.members[name]
            try:
                target = member.final_target if member.is_alias else member
                if target.is_module and name in target.members:
                    # ``from .mesolve import mesolve`` in a package: the function shadows
                    # the submodule at run time, while griffe resolves the submodule
                    inner = target.members[name]
                    target = inner.final_target if inner.is_alias else inner
            except (griffe.AliasResolutionError, griffe.CyclicAliasError):
                # a re-export griffe cannot follow (from outside openlz): kept, unresolved
                path = f"{module.path}.{name}"
                names[path] = PublicName(path, path, module.path, "unresolved alias", False)
                continue
            if target.is_module:
                continue
            doc = bool(target.docstring and target.docstring.value.strip())
            names[f"{module.path}.{name}"] = PublicName(
                f"{module.path}.{name}", target.path, module.path, str(target.kind.value), doc)
    return names


def _members_option(block: str) -> frozenset[str] | None:
    m = _MEMBERS.search(block)
    if m is None:
        return None
    value = m.group(2).strip()
    if value.startswith("["):
        return frozenset(s.strip().strip("'\"") for s in value.strip("[]").split(",") if s.strip())
    if value in ("", "null", "~"):          # YAML list on the following lines
        indent = len(m.group(1))
        items = []
        for line in block[m.end():].splitlines()[1:]:
            stripped = line.strip()
            if not stripped.startswith("- ") or len(line) - len(line.lstrip()) < indent:
                break
            items.append(stripped[2:].strip().strip("'\""))
        return frozenset(items) if items else None
    if value.lower() in ("false", "no", "off"):
        return frozenset()
    return None                               # true: all members


def directives(api_dir: Path) -> list[Directive]:
    """The ``:::`` directives of the grouped API pages (not :data:`MORE`)."""
    out = []
    for page in sorted(api_dir.glob("*.md")):
        if page.name == MORE:
            continue
        for m in _DIRECTIVE.finditer(page.read_text(encoding="utf-8")):
            out.append(Directive(page.name, m.group(1), _members_option(m.group(2))))
    return out


def anchored(path: str, directives: list[Directive]) -> Directive | None:
    """The directive that gives ``path`` an anchor, or None."""
    parent, _, leaf = path.rpartition(".")
    for d in directives:
        if d.path == path:
            return d
        if d.path == parent and (d.members is None or leaf in d.members):
            return d
    return None


def grouped_page(name: PublicName, directives: list[Directive]) -> Directive | None:
    """The grouped page's directive documenting ``name`` (under its public path or the path
    of the object it re-exports), or None: then it goes to :data:`MORE`."""
    return anchored(name.path, directives) or anchored(name.canonical, directives)


def ungrouped(names: dict[str, PublicName], directives: list[Directive]) -> dict[str, PublicName]:
    """One public name per object that no grouped page documents (the entries of
    :data:`MORE`), by public path; an object re-exported under several paths counts as
    documented when any of them (or its own path) has an anchor."""
    done = {n.canonical for n in names.values() if grouped_page(n, directives) is not None}
    out: dict[str, PublicName] = {}
    for path in sorted(names):
        n = names[path]
        if n.canonical not in done:
            done.add(n.canonical)
            out[path] = n
    return out
