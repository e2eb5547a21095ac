"""MkDocs hooks for the openlz docs (registered in ``mkdocs.yml``).

* ``api/more.md`` is filled at build time with every public name that no grouped API page
  renders, so a name added to ``__all__`` is documented on the next build even before
  someone files it under the right group.
* After the build, every public name of the documented packages must have an anchor in the
  site (its own path or the path it re-exports); a missing one is a warning, which fails
  ``mkdocs build --strict``.
* Executed notebooks (``.py`` pages) are HTML that MkDocs does not link-check: their
  relative links to ``.md`` / ``.py`` sources are rewritten to the built URLs (a missing
  target is a warning), and ``[`name`][identifier]`` cross-references become autorefs.
* ``:func:`` -style roles left in rendered docstrings (ones the griffe extension could not
  resolve) are shown as plain code rather than with the role prefix.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import griffe

log = logging.getLogger("mkdocs.hooks.openlz")

# Packages whose public names the API reference must cover (issue 15: top level, core,
# solve, analytic, models, sweep; plus the toolkit's input conversion, the error classes and the reproduction machinery).
DOCUMENTED = ("openlz", "openlz.api", "openlz.core", "openlz.solve", "openlz.analytic", "openlz.models",
              "openlz.sweep", "openlz.errors", "openlz.results", "openlz.report",
              "openlz.figures", "openlz.figures.base")
_SUBPACKAGES = ("openlz.core", "openlz.solve", "openlz.analytic", "openlz.models", "openlz.sweep")
_DIRECTIVE = re.compile(r"^:::\s+([\w.]+)", re.MULTILINE)
_ANCHOR = re.compile(r'id="(openlz\.[\w.]+)"')
_ROLE_HTML = re.compile(r":(?:py:)?(?:func|class|meth|mod|attr|data|obj|exc|const):(<code>)")
_MORE = "api/more.md"
_PLACEHOLDER = "<!-- more-names -->"

_state: dict[str, Any] = {}


def _public_members(module: Any) -> list[str]:
    if module.exports is not None:
        return [str(n) for n in module.exports]
    return [n for n, m in module.members.items()
            if not n.startswith("_") and not m.is_alias and not m.is_module]


def _modules(pkg: Any) -> list[Any]:
    out = []
    for path in DOCUMENTED:
        out.append(pkg[path.removeprefix("openlz.")] if path != "openlz" else pkg)
    for path in _SUBPACKAGES:
        sub = pkg[path.removeprefix("openlz.")]
        out += [m for name, m in sub.members.items()
                if not m.is_alias and m.is_module and not name.startswith("_")]
    seen, uniq = set(), []
    for m in out:
        if m.path not in seen:
            seen.add(m.path)
            uniq.append(m)
    return uniq


def _public_names(src: Path) -> dict[str, tuple[str, str]]:
    """``{public path: (canonical path, module path)}`` for every documented public name."""
    pkg = griffe.load("openlz", search_paths=[str(src)], resolve_aliases=True,
                      resolve_external=False)
    names: dict[str, tuple[str, str]] = {}
    for module in _modules(pkg):
        for name in _public_members(module):
            if name == "__version__" or name not in module.members:
                continue
            member = module.members[name]
            try:
                target = member.final_target if member.is_alias else member
            except (griffe.AliasResolutionError, griffe.CyclicAliasError):
                target = member
            if target.is_module and name in target.members:
                # ``from .mesolve import mesolve`` in a package: the function shadows
                # the submodule at run time, while griffe resolves the submodule
                inner = target.members[name]
                target = inner.final_target if inner.is_alias else inner
            if target.is_module:
                continue
            names[f"{module.path}.{name}"] = (target.path, module.path)
    return names


def _curated(docs_dir: Path) -> set[str]:
    out: set[str] = set()
    for page in sorted((docs_dir / "api").glob("*.md")):
        if page.name != Path(_MORE).name:
            out.update(_DIRECTIVE.findall(page.read_text(encoding="utf-8")))
    return out


def _covered(public: str, canonical: str, curated: set[str]) -> bool:
    for path in (public, canonical):
        parts = path.split(".")
        if any(".".join(parts[:i]) in curated for i in range(2, len(parts) + 1)):
            return True
    return False


def on_config(config: Any) -> Any:
    root = Path(config["config_file_path"]).parent
    _state["names"] = _public_names(root / "src")
    _state["docs_dir"] = Path(config["docs_dir"])
    return config


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    if page.file.src_uri != _MORE or _PLACEHOLDER not in markdown:
        return markdown
    curated = _curated(_state["docs_dir"])
    missing = {pub: can for pub, (can, _mod) in _state["names"].items()
               if not _covered(pub, can, curated)}
    canon: dict[str, str] = {}
    for pub, can in sorted(missing.items()):
        canon.setdefault(can, pub)        # one entry per object (re-exports share one)
    if not canon:
        body = "Every public name is on one of the grouped pages."
    else:
        log.info("api/more.md: %d public names not on a grouped page: %s", len(canon),
                 ", ".join(sorted(canon.values())))
        body = "\n\n".join(f"::: {pub}\n    options:\n      heading_level: 2\n"
                           f"      show_root_full_path: true"
                           for pub in sorted(canon.values()))
    return markdown.replace(_PLACEHOLDER, body)


_NB_LINK = re.compile(r'href="(?![a-z]+:|#|/)([^"#]+\.(?:md|py))(#[^"]*)?"')
_NB_XREF = re.compile(r"\[(<code>[^<]*</code>|[^\]<]+)\]\[(openlz(?:\.\w+)+)\]")


def _fix_notebook_links(html: str, page: Any, files: Any) -> str:
    import posixpath

    base = posixpath.dirname(page.file.src_uri)

    def link(m: re.Match) -> str:
        target = posixpath.normpath(posixpath.join(base, m.group(1)))
        f = files.get_file_from_path(target)
        if f is None:
            log.warning("notebook %s links to %s, which is not a page", page.file.src_uri,
                        m.group(1))
            return m.group(0)
        return f'href="{f.url_relative_to(page.file)}{m.group(2) or ""}"'

    html = _NB_LINK.sub(link, html)
    def xref(m: re.Match) -> str:
        ident = _state["names"].get(m.group(2), (m.group(2), ""))[0]   # canonical path
        return f'<autoref identifier="{ident}">{m.group(1)}</autoref>'

    return _NB_XREF.sub(xref, html)


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    if page.file.src_uri.endswith(".py"):
        html = _fix_notebook_links(html, page, files)
    return _ROLE_HTML.sub(r"\1", html)


def on_post_build(config: Any) -> None:
    site = Path(config["site_dir"])
    anchors: set[str] = set()
    for page in (site / "api").rglob("*.html"):
        anchors.update(_ANCHOR.findall(page.read_text(encoding="utf-8")))
    by_object: dict[str, list[str]] = {}
    for pub, (can, _mod) in _state["names"].items():
        by_object.setdefault(can, [can]).append(pub)
    absent = sorted(paths[1] for can, paths in by_object.items()
                    if not any(p in anchors for p in paths))
    for pub in absent:
        log.warning("API reference: public name %s has no entry in the site", pub)
    log.info("API reference: %d public names, %d anchors", len(_state["names"]), len(anchors))
