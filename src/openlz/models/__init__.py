"""Physical models, one module each; discovered automatically.

``get_model(name)`` / ``all_models()`` import every module of this package once,
so adding a model means adding a module that calls :func:`register`.
"""

from __future__ import annotations

import importlib
import pkgutil

from ..errors import UnknownNameError
from .base import MODELS, Model, Observable, Param, register

__all__ = ["Model", "Param", "Observable", "register", "get_model", "all_models"]

_loaded = False


def _load_all() -> None:
    global _loaded
    if _loaded:
        return
    for info in pkgutil.iter_modules(__path__):
        if not info.name.startswith("_") and info.name != "base":
            importlib.import_module(f"{__name__}.{info.name}")
    _loaded = True


def all_models() -> dict[str, Model]:
    """Every registered model, by name."""
    _load_all()
    return dict(sorted(MODELS.items()))


def get_model(name: str) -> Model:
    """The model called ``name``; raises UnknownNameError listing the known ones."""
    _load_all()
    if name not in MODELS:
        raise UnknownNameError("model", name, sorted(MODELS))
    return MODELS[name]
