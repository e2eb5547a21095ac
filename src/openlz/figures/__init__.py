"""Reproduced figures of the five papers, one module per paper; discovered automatically."""

from __future__ import annotations

import importlib
import pkgutil

from ..errors import UnknownNameError
from .base import FIGURES, Claim, FigureResult, FigureSpec, register_figure, reproduce_figure

__all__ = ["Claim", "FigureSpec", "FigureResult", "register_figure", "reproduce_figure",
           "all_figures", "get_figure"]

_loaded = False


def _load_all() -> None:
    global _loaded
    if _loaded:
        return
    for info in pkgutil.iter_modules(__path__):
        if not info.name.startswith("_") and info.name != "base":
            importlib.import_module(f"{__name__}.{info.name}")
    _loaded = True


def all_figures() -> dict[str, FigureSpec]:
    """Every registered figure, sorted by id."""
    _load_all()
    return dict(sorted(FIGURES.items()))


def get_figure(fig_id: str) -> FigureSpec:
    _load_all()
    if fig_id not in FIGURES:
        raise UnknownNameError("figure", fig_id, sorted(FIGURES))
    return FIGURES[fig_id]
