"""Griffe extension: turn the Sphinx roles of openlz's docstrings into cross-references.

The docstrings are NumPy style with a few Sphinx roles (``:func:`evolve_td```,
``:class:`Model```, ``:mod:`~openlz.sweep.grid```).  Markdown does not know roles, so
this rewrites each one, before the docstring is parsed, into an (optional) mkdocs-autorefs link
to ``openlz.solve.lindblad.evolve_td`` when the name resolves (relative to the object's
scope, like Sphinx does) to a public object the site renders, and into plain code
otherwise.
It also turns the reST literal-block marker ``text::`` into ``text:``, and escapes the
``*`` of products written in plain text (``d0*d1``, ``x**2``) so Markdown does not read
them as emphasis; code spans, literal blocks and doctest lines are left alone.

openlz's docstrings often write a parameter as ``name : what it is, its shape``: prose
where the NumPy format expects a type.  In Parameters / Other Parameters / Attributes
sections an entry whose "type" is prose (more than four words, or with ``;``, ``:`` or
code) is rewritten to the NumPy form ``name`` + indented description, so the text shows
as the description rather than as a code-formatted type; and a plain paragraph written
after the items becomes a ``Notes`` section (NumPy would read it as more parameters).
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_ROLE = re.compile(r":(?:py:)?(?:func|class|meth|mod|attr|data|obj|exc|const):`(~?)([\w.]+)(?:\(\))?`")
_LITERAL = re.compile(r"(\S)::(\n[ \t]*\n)")
_CODE_SPAN = re.compile(r"(``.+?``|`[^`\n]+`)")
_PRODUCT = re.compile(r"(?<=[\w)\]}])(\*\*?)(?=[\w(\[{])")


def _escape_products(text: str) -> str:
    """Escape ``*`` / ``**`` between operands outside code spans and literal blocks."""
    out, block_indent = [], None
    for line in text.split("\n"):
        indent = len(line) - len(line.lstrip())
        if block_indent is not None and line.strip() and indent <= block_indent:
            block_indent = None
        if block_indent is not None or line.lstrip().startswith((">>>", "...")):
            out.append(line)
            continue
        parts = _CODE_SPAN.split(line)
        out.append("".join(p if i % 2 else _PRODUCT.sub(lambda m: "\\*" * len(m.group(1)), p)
                           for i, p in enumerate(parts)))
        if line.rstrip().endswith("::"):
            block_indent = indent
    return "\n".join(out)


_SECTION = re.compile(r"^(Parameters|Other Parameters|Attributes)$")
_UNDERLINE = re.compile(r"^-{3,}$")
_ITEM = re.compile(r"^(\*{0,2}[\w, *]+?) : (.+)$")
_BARE = re.compile(r"^\*{0,2}[A-Za-z_]\w*(\s*,\s*\*{0,2}[A-Za-z_]\w*)*\s*$")


_TYPE_WORDS = {"float", "int", "bool", "str", "complex", "array", "arrays", "ndarray",
               "callable", "optional", "none", "or", "of", "sequence", "list", "tuple", "dict",
               "mapping", "any", "scalar", "object", "function", "iterable", "shape", "like",
               "numpy", "string", "array_like", "default", "and", "int64", "float64"}
_QUOTED = re.compile(r"``.*?``|\"[^\"]*\"|'[^']*'")


def _prose(type_text: str) -> bool:
    """True when the text after ``name :`` reads as a description, not a type."""
    if any(c in type_text for c in (";", ":")) or len(type_text.split()) > 6:
        return True
    words = re.findall(r"\b[a-z][a-z_]{2,}\b", _QUOTED.sub(" ", type_text))
    return any(w not in _TYPE_WORDS for w in words)


def _prose_types_to_descriptions(text: str) -> str:
    """Prose "types" become descriptions; a plain paragraph after the items of a
    parameters-like section (not an item: no ``name : ...``, no bare name followed by an
    indented description) starts a ``Notes`` section instead of being read as items."""
    lines, out, in_section = text.split("\n"), [], False
    for i, line in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if _UNDERLINE.match(nxt.strip()) and line.strip() and not line.startswith(" "):
            in_section = bool(_SECTION.match(line.strip()))
        elif (in_section and line.strip() and not line.startswith(" ") and i > 0
              and not lines[i - 1].strip() and not _UNDERLINE.match(line.strip())
              and not _ITEM.match(line)
              and not (_BARE.match(line) and nxt.startswith(" "))):
            out += ["Notes", "-----"]
            in_section = False
        m = _ITEM.match(line) if in_section else None
        if m and _prose(m.group(2)):
            out += [m.group(1), "    " + m.group(2)]
        else:
            out.append(line)
    return "\n".join(out)


def _takes_kwargs(obj: Any) -> bool:
    try:
        params = obj.parameters if (obj.is_function or obj.is_class) else ()
    except Exception:  # noqa: BLE001 (griffe cannot always build a class signature)
        return False
    return any(str(p.kind) == "variadic keyword" or p.name.startswith("**")
               or getattr(p.kind, "name", "") == "var_keyword" for p in params)


def _is_public(obj: Any) -> bool:
    while obj is not None:
        if obj.name.startswith("_") and not obj.name.startswith("__"):
            return False
        if not obj.is_module and not obj.is_public:
            return False
        obj = obj.parent
    return True


def _lookup(scope: Any, dotted: str) -> Any:
    head, *rest = dotted.split(".")
    while scope is not None:
        if head in scope.members:
            obj = scope.members[head]
            for part in rest:
                obj = obj.final_target if obj.is_alias else obj
                obj = obj.members[part]
            return obj.final_target if obj.is_alias else obj
        scope = scope.parent
    raise KeyError(dotted)


def _unshadow(target: Any, dotted: str) -> Any:
    """``openlz.mesolve`` is the function ``mesolve`` that shadows the submodule of that name."""
    name = dotted.rsplit(".", 1)[-1]
    if target is not None and target.is_module and name in target.members:
        inner = target.members[name]
        return inner.final_target if inner.is_alias else inner
    return target


def _resolve(obj: Any, dotted: str, pkg: Any) -> Any:
    return _unshadow(_resolve_name(obj, dotted, pkg), dotted)


def _resolve_name(obj: Any, dotted: str, pkg: Any) -> Any:
    if dotted.startswith(pkg.name + "."):
        try:
            target = pkg[dotted[len(pkg.name) + 1:]]
            return target.final_target if target.is_alias else target
        except (KeyError, griffe.AliasResolutionError, griffe.CyclicAliasError):
            return None
    try:
        return _lookup(obj if not obj.is_alias else obj.final_target, dotted)
    except (KeyError, AttributeError, griffe.AliasResolutionError, griffe.CyclicAliasError):
        return None


class SphinxRoles(griffe.Extension):
    """Rewrite Sphinx roles into autorefs links once the package is loaded."""

    def on_package(self, *, pkg: griffe.Module, loader: griffe.GriffeLoader, **kwargs: Any) -> None:
        self._walk(pkg, pkg)

    def _walk(self, obj: Any, pkg: Any) -> None:
        if obj.is_alias:
            return
        if obj.docstring is not None:
            obj.docstring.value = self._rewrite(obj, obj.docstring.value, pkg)
            if _takes_kwargs(obj):
                # options classes document their **kwargs keys under "Parameters"
                obj.docstring.value = re.sub(r"(?m)^Parameters\n-{10}$",
                                             "Other Parameters\n----------------",
                                             obj.docstring.value)
        for member in obj.members.values():
            if not member.is_alias:
                self._walk(member, pkg)

    def _rewrite(self, obj: Any, text: str, pkg: Any) -> str:
        def sub(m: re.Match) -> str:
            short, name = m.group(1), m.group(2)
            shown = name.rsplit(".", 1)[-1] if short else name
            target = _resolve(obj, name, pkg)
            if target is not None and _is_public(target):
                # optional: a target the site does not render (an internal module, say)
                # degrades to plain code instead of failing the strict build
                return (f'<autoref identifier="{target.path}" optional>'
                        f"<code>{shown}</code></autoref>")
            return f"`{shown}`"

        text = _prose_types_to_descriptions(text)
        return _LITERAL.sub(r"\1:\2", _escape_products(_ROLE.sub(sub, text)))
