"""Metadata of a sweep assembled from its chunks: model attrs and warnings."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

__all__ = ["aggregate_attrs", "summarize_warnings", "spec_difference"]


def _canonical(x: Any) -> str:
    return json.dumps(x, sort_keys=True)


def aggregate_attrs(per_chunk: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Combine the model's ``_attrs`` of every chunk (in chunk order) into dataset attrs.

    A value equal in every chunk is kept.  Otherwise: numbers -> the maximum over chunks
    (error estimates, step counts: the worst case); booleans -> ``"mixed: true in k/n
    chunks"``; anything else -> the first chunk's value.  ``sweep_attrs_aggregated`` names
    the keys that were combined and how.
    """
    keys: list[str] = []
    for d in per_chunk:
        keys.extend(k for k in d if k not in keys)
    out: dict[str, Any] = {}
    how: list[str] = []
    for k in keys:
        vals = [d[k] for d in per_chunk if k in d]
        if all(_canonical(v) == _canonical(vals[0]) for v in vals):
            out[k] = vals[0]
        elif all(isinstance(v, bool) for v in vals):
            out[k] = f"mixed: true in {sum(vals)}/{len(vals)} chunks"
            how.append(f"{k}: mixed")
        elif all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in vals):
            out[k] = max(vals)
            how.append(f"{k}: max over chunks")
        else:
            out[k] = vals[0]
            how.append(f"{k}: first chunk's value")
    if how:
        out["sweep_attrs_aggregated"] = "; ".join(how)
    return {k: (v if isinstance(v, (bool, int, float, str)) else json.dumps(v))
            for k, v in out.items()}


def spec_difference(old: dict[str, Any], new: dict[str, Any], keys: list[str]) -> str:
    """``"; params a: 1.0 -> 2.0"`` for the fixed parameters that changed (short)."""
    if "params" not in keys:
        return ""
    a, b = old.get("params") or {}, new.get("params") or {}
    changed = [f"{k}: {a.get(k)!r} -> {b.get(k)!r}" for k in sorted(set(a) | set(b))
               if _canonical(a.get(k)) != _canonical(b.get(k))]
    return "; params " + ", ".join(changed[:5]) + (", ..." if len(changed) > 5 else "")


def summarize_warnings(per_chunk: Sequence[Sequence[Sequence[str]]],
                       limit: int = 20) -> dict[str, Any]:
    """The warnings of a sweep's chunks (in chunk order), as stored in the dataset attr
    ``sweep_warnings``: ``{"chunks": {category: number of chunks that raised one},
    "messages": [{"category", "message", "chunks"}, ...]}`` with at most ``limit``
    distinct messages (the first ones). Empty dict if no chunk warned."""
    per_msg: dict[tuple[str, str], int] = {}
    per_cat: dict[str, int] = {}
    for ws in per_chunk:
        for cat in dict.fromkeys(c for c, _ in ws):
            per_cat[cat] = per_cat.get(cat, 0) + 1
        for cat, msg in ws:
            per_msg[(cat, msg)] = per_msg.get((cat, msg), 0) + 1
    if not per_cat:
        return {}
    msgs = [{"category": c, "message": m, "chunks": n} for (c, m), n in per_msg.items()]
    out: dict[str, Any] = {"chunks": per_cat, "messages": msgs[:limit]}
    if len(msgs) > limit:
        out["more_messages"] = len(msgs) - limit
    return out
