"""Turning model outputs into labelled ``xarray.Dataset``s that carry their metadata."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import xarray as xr

from ._version import __version__

__all__ = ["to_dataset", "jsonable", "metadata_attrs", "NONFINITE_JSON"]


#: how non-finite floats are written to JSON (valid JSON; ``float(s)`` reads them back)
NONFINITE_JSON = {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}


def jsonable(x: Any) -> Any:
    """Convert numpy / complex values to JSON-serialisable Python objects.

    Complex arrays whose imaginary part vanishes become real; otherwise complex
    numbers become ``{"re": ..., "im": ...}``.  Non-finite floats become the strings
    ``"NaN"``, ``"Infinity"`` and ``"-Infinity"`` (:data:`NONFINITE_JSON`): the output is
    strict JSON and ``float()`` of each string gives the value back.
    """
    if isinstance(x, Mapping):
        return {str(k): jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [jsonable(v) for v in x]
    if isinstance(x, np.ndarray):
        if np.iscomplexobj(x):
            if np.all(x.imag == 0):
                return jsonable(x.real)
            return {"re": jsonable(x.real), "im": jsonable(x.imag)}
        return [jsonable(v) for v in x.tolist()] if x.ndim else jsonable(x.item())
    if isinstance(x, (np.generic,)):
        return jsonable(x.item())
    if isinstance(x, complex):
        return x.real if x.imag == 0 else {"re": x.real, "im": x.imag}
    if isinstance(x, float) and not np.isfinite(x):
        return NONFINITE_JSON["nan" if np.isnan(x) else ("inf" if x > 0 else "-inf")]
    return x


def metadata_attrs(model: Any, params: Mapping[str, Any], options: Mapping[str, Any] | None = None,
                   extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Dataset attrs: model, paper, every parameter (defaults included), options, version.

    Nested values are stored as JSON strings so that the attrs survive netCDF and zarr.
    """
    attrs: dict[str, Any] = {
        "model": model.name,
        "paper": model.paper,
        "openlz_version": __version__,
        "params": json.dumps(jsonable({k: v for k, v in params.items() if np.ndim(v) == 0})),
        "options": json.dumps(jsonable(dict(options or {}))),
    }
    for p in model.params:
        v = params.get(p.name)
        if v is not None and np.ndim(v) == 0:
            v = v.item() if isinstance(v, np.generic) else v
            attrs[f"param_{p.name}"] = str(v) if isinstance(v, (complex, bool)) else v
    for k, v in (extra or {}).items():
        attrs[k] = v if isinstance(v, (int, float, str)) else json.dumps(jsonable(v))
    return attrs


def to_dataset(model: Any, params: Mapping[str, Any], result: Mapping[str, Any],
               times: np.ndarray | None, batch_dims: Sequence[str] = (),
               batch_coords: Mapping[str, np.ndarray] | None = None,
               options: Mapping[str, Any] | None = None) -> xr.Dataset:
    """Build a Dataset from ``Model.evaluate`` output.

    With ``batch_dims=()`` the leading batch axis (length 1) is dropped; otherwise the
    batch axis is reshaped to ``batch_dims`` with ``batch_coords``.
    """
    coords: dict[str, Any] = dict(result.get("_coords", {}))
    uses_time = any("time" in model.observable(n).dims for n in result if not n.startswith("_"))
    if times is not None and "time" not in coords and uses_time:
        coords["time"] = np.asarray(times)
    data_vars = {}
    for name, arr in result.items():
        if name.startswith("_"):
            continue
        obs = model.observable(name)
        a = np.asarray(arr)
        if not batch_dims:
            a = a[0]
            dims: tuple[str, ...] = obs.dims
        else:
            shape = tuple(len(batch_coords[d]) for d in batch_dims)  # type: ignore[index]
            a = a.reshape(*shape, *a.shape[1:])
            dims = (*batch_dims, *obs.dims)
        if a.ndim != len(dims):
            raise RuntimeError(f"observable {name!r}: array of shape {a.shape} does not match dims {dims}")
        extra = {k: (v if isinstance(v, (int, float, str)) else json.dumps(jsonable(v)))
                 for k, v in result.get("_var_attrs", {}).get(name, {}).items()}
        data_vars[name] = xr.Variable(dims, a, attrs={"description": obs.doc, "units": obs.unit,
                                                      **extra})
    if batch_coords:
        coords.update({k: np.asarray(v) for k, v in batch_coords.items()})
    ds = xr.Dataset(data_vars, coords={k: v for k, v in coords.items()})
    ds.attrs.update(metadata_attrs(model, params, options, result.get("_attrs")))
    return ds
