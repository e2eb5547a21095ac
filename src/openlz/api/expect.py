"""Expectation values ``e_ops``: operators (arrays / Qobj, batched) or callables f(t, rho).

``expect[k][..., t] = tr(O_k rho(t))``; it is real when O_k is Hermitian (to 1e-12 relative),
complex otherwise (QuTiP's rule).  A callable e_op is called once per output time as
``f(t, rho)`` with the batched states ``rho`` (..., n, n) at that time (QuTiP 5 calls
``f(t, state)`` too) and returns a scalar or an array of the batch shape.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from ..errors import ParameterError
from .convert import Text, as_operator, is_qobj, is_qobjevo

__all__ = ["parse_e_ops", "expectation"]


def parse_e_ops(e_ops: Any, n: int) -> tuple[list[Any], list[Any]]:
    """(names, items) with items (..., n, n) operator arrays or callables."""
    if e_ops is None:
        return [], []
    if isinstance(e_ops, Mapping):
        names, raw = list(e_ops.keys()), list(e_ops.values())
    elif is_qobj(e_ops) or isinstance(e_ops, np.ndarray) or callable(e_ops):
        names, raw = [0], [e_ops]
    elif isinstance(e_ops, (list, tuple)):
        names, raw = list(range(len(e_ops))), list(e_ops)
    else:
        raise ParameterError("e_ops", type(e_ops).__name__,
                             "must be an operator, a callable, a list or a dict of them")
    items: list[Any] = []
    for name, e in zip(names, raw, strict=True):
        label = f"e_ops[{name!r}]"
        if is_qobjevo(e):
            raise ParameterError(label, Text("QobjEvo"), "time-dependent e_ops are not supported; "
                                 "pass a callable f(t, rho)")
        if callable(e) and not is_qobj(e):
            items.append(e)
        else:
            items.append(as_operator(e, label, n))
    return names, items


def expectation(item: np.ndarray | Callable, states: np.ndarray, times: np.ndarray) -> np.ndarray:
    """(..., T) values of one e_op over states (..., T, n, n)."""
    if callable(item):
        vals = [np.asarray(item(float(t), states[..., i, :, :])) for i, t in enumerate(times)]
        batch = states.shape[:-3]
        return np.stack([np.broadcast_to(v, batch) for v in vals], axis=-1)
    op = item[..., None, :, :]  # (..., 1, n, n) against (..., T, n, n)
    val = np.einsum("...ij,...ji->...", op, states)
    scale = max(1.0, float(np.max(np.abs(item), initial=0.0)))
    herm = np.max(np.abs(item - np.conj(np.swapaxes(item, -1, -2))), initial=0.0) <= 1e-12 * scale
    return val.real if herm else val
