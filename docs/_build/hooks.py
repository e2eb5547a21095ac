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
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
import api_names  # noqa: E402  (docs/_build/api_names.py: the rule, shared with the tests)

log = logging.getLogger("mkdocs.hooks.openlz")

_ANCHOR = re.compile(r'id="(openlz\.[\w.]+)"')
_ROLE_HTML = re.compile(r":(?:py:)?(?:func|class|meth|mod|attr|data|obj|exc|const):(<code>)")
_MORE = "api/" + api_names.MORE
_PLACEHOLDER = "<!-- more-names -->"

_state: dict[str, Any] = {}


def on_config(config: Any) -> Any:
    root = Path(config["config_file_path"]).parent
    _state["names"] = api_names.public_names(root / "src")
    _state["docs_dir"] = Path(config["docs_dir"])
    return config


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    if page.file.src_uri != _MORE or _PLACEHOLDER not in markdown:
        return markdown
    more = api_names.ungrouped(_state["names"], api_names.directives(_state["docs_dir"] / "api"))
    canon = {n.canonical: pub for pub, n in more.items()}
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
        n = _state["names"].get(m.group(2))
        ident = n.canonical if n is not None else m.group(2)
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
    for pub, n in _state["names"].items():
        by_object.setdefault(n.canonical, [n.canonical]).append(pub)
    absent = sorted(paths[1] for can, paths in by_object.items()
                    if not any(p in anchors for p in paths))
    for pub in absent:
        log.warning("API reference: public name %s has no entry in the site", pub)
    log.info("API reference: %d public names, %d anchors", len(_state["names"]), len(anchors))
