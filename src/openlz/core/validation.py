"""Parameter parsing and validation helpers shared by every model.

All raise :class:`openlz.errors.ParameterError` naming parameter, value, rule and source.
Batched checks report the first offending value.
"""

from __future__ import annotations

import ast
import math
import operator
from typing import Any

import numpy as np

from ..errors import ParameterError

__all__ = ["parse_number", "parse_bool", "parse_times", "as_times", "convert_array", "require",
           "require_finite", "require_positive", "require_nonnegative", "require_tolerance",
           "first_bad", "parse_expression", "MAX_TIMES", "MAX_EXPRESSION", "INT_LIMIT"]

_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
        ast.Div: operator.truediv, ast.Pow: operator.pow, ast.USub: operator.neg,
        ast.UAdd: operator.pos}
_NAMES = {"pi": math.pi, "e": math.e, "inf": math.inf, "nan": math.nan}
MAX_TIMES = 10_000_000  # largest time grid parse_times builds (memory: see core.budget)
MAX_EXPRESSION = 1000  # characters of one number expression
INT_LIMIT = 2**53  # integer parameters: |n| <= 2**53 (exact in float64 and int64)
_KINDS = ("float", "int", "complex")


def _eval(node: ast.AST) -> complex | float:
    if isinstance(node, ast.Expression):
        return _eval(node.body)
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float, complex)) \
            and not isinstance(node.value, bool):
        return node.value
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
        left, right = _eval(node.left), _eval(node.right)
        if isinstance(node.op, ast.Pow):
            # powers in floating point: an integer tower such as 10**10**10 would otherwise
            # be computed exactly and never finish; in floats it overflows at once
            left = left if isinstance(left, complex) else float(left)
            right = right if isinstance(right, complex) else float(right)
        return _OPS[type(node.op)](left, right)
    if isinstance(node, ast.UnaryOp) and type(node.op) in _OPS:
        return _OPS[type(node.op)](_eval(node.operand))
    if isinstance(node, ast.Name) and node.id in _NAMES:
        return _NAMES[node.id]
    raise ValueError("not a number")


def _is_nan(x: complex | float | int) -> bool:
    return isinstance(x, (float, complex)) and (x != x)


def parse_number(name: str, text: str | float | complex, kind: str = "float",
                 allow_nan: bool = False) -> Any:
    """Parse a number given on the command line: ``1e-4``, ``pi/2``, ``3+0.5j``, ``10**3``.

    ``kind`` is ``float``, ``int`` or ``complex``.  Expressions use + - * / ** and the names
    ``pi``, ``e``, ``inf`` (at most :data:`MAX_EXPRESSION` characters).  NaN is never a valid
    value; ``inf`` is parsed (models that need finite values say so); integers must be finite,
    integral and of magnitude at most :data:`INT_LIMIT` = 2**53.
    Raises :class:`ParameterError` on malformed or out-of-range input.  ``allow_nan``: NaN is
    accepted (for parameters whose documented default NaN means "not set").
    """
    if kind not in _KINDS:
        raise ValueError(f"kind must be one of {_KINDS}, got {kind!r}")
    if isinstance(text, np.ndarray) and text.ndim == 0:
        text = text.item()
    if isinstance(text, (int, float, complex, np.number)) and not isinstance(text, (bool, np.bool_)):
        val: Any = text.item() if isinstance(text, np.generic) else text
    else:
        s = str(text).strip()
        if not s:
            raise ParameterError(name, text, "is empty: expected a number")
        if len(s) > MAX_EXPRESSION:
            raise ParameterError(name, f"{s[:20]}... ({len(s)} characters)",
                                 f"is longer than {MAX_EXPRESSION} characters")
        try:
            val = _eval(ast.parse(s, mode="eval"))
        except (RecursionError, MemoryError):
            raise ParameterError(name, s[:40] + ("..." if len(s) > 40 else ""),
                                 "is nested too deeply to evaluate") from None
        except OverflowError:
            raise ParameterError(name, text, "overflows a float (|x| < 1.8e308)") from None
        except ZeroDivisionError:
            raise ParameterError(name, text, "divides by zero") from None
        except (SyntaxError, ValueError, TypeError):
            raise ParameterError(name, text, f"is not a valid {kind} number") from None
    if _is_nan(val):
        if allow_nan and kind != "int":
            return complex(val) if kind == "complex" else float("nan")
        raise ParameterError(name, text, "is not a number (NaN)")
    if kind == "complex":
        try:
            return complex(val)
        except OverflowError:
            raise ParameterError(name, text, "overflows a float (|x| < 1.8e308)") from None
    if isinstance(val, complex):
        if val.imag != 0:
            raise ParameterError(name, text, f"must be real ({kind})")
        val = val.real
    if kind == "int":
        if isinstance(val, float) and not math.isfinite(val):
            raise ParameterError(name, text, "must be a finite integer")
        if val != int(val):
            raise ParameterError(name, text, "must be an integer")
        if abs(int(val)) > INT_LIMIT:
            raise ParameterError(name, text, "must be an integer of magnitude <= 2**53")
        return int(val)
    try:
        return float(val)
    except OverflowError:
        raise ParameterError(name, text, "overflows a float (|x| < 1.8e308)") from None


def convert_array(name: str, value: Any, kind: str, allow_nan: bool = False) -> np.ndarray:
    """An array of parameter values (a sweep's or a Python caller's) as ``kind``, checked like
    :func:`parse_number`: no silent truncation of a complex part or of a fraction.

    ``kind``: ``float``, ``int``, ``complex``, ``bool`` or ``str``.  Returns a new array of the
    same shape with dtype float, int64, complex, bool or str.  ``allow_nan`` as for
    :func:`parse_number`.
    """
    arr = np.asarray(value)
    if kind == "str":
        return arr.astype(str)
    if arr.dtype.kind in "OUS":  # objects / strings: element by element
        flat = [parse_bool(name, v) if kind == "bool" else parse_number(name, v, kind, allow_nan)
                for v in arr.ravel().tolist()]
        return np.asarray(flat, dtype={"bool": bool, "int": np.int64, "float": float,
                                       "complex": complex}[kind]).reshape(arr.shape)
    if arr.dtype.kind not in "biufc":
        raise ParameterError(name, _show(arr), f"must be {kind} values (got dtype {arr.dtype})")
    if kind == "bool":
        if arr.dtype.kind == "b":
            return arr.astype(bool)
        require(name, arr, (arr == 0) | (arr == 1), "must be a boolean (true/false, 1/0)")
        return arr.real.astype(bool) if arr.dtype.kind == "c" else arr.astype(bool)
    if arr.dtype.kind == "c" and not (allow_nan and kind != "int"):
        require(name, arr, ~np.isnan(arr.real) & ~np.isnan(arr.imag), "is not a number (NaN)")
    if arr.dtype.kind == "c":
        if kind == "complex":
            return arr.astype(complex)
        require(name, arr, arr.imag == 0, f"must be real ({kind})")
        arr = arr.real
    if arr.dtype.kind == "f" and not (allow_nan and kind != "int"):
        require(name, arr, ~np.isnan(arr), "is not a number (NaN)")
    if kind == "complex":
        return arr.astype(complex)
    if kind == "float":
        return arr.astype(float)
    if arr.dtype.kind == "f":
        require(name, arr, np.isfinite(arr), "must be a finite integer")
        require(name, arr, arr == np.round(arr), "must be an integer")
    require(name, arr, np.abs(arr.astype(float)) <= INT_LIMIT,
            "must be an integer of magnitude <= 2**53")
    return arr.astype(np.int64)


def _show(arr: np.ndarray) -> Any:
    return arr.item() if arr.size == 1 else f"array of shape {arr.shape}"


def parse_bool(name: str, text: str | bool) -> bool:
    """Parse ``true/false/1/0/yes/no/on/off``."""
    if isinstance(text, (bool, np.bool_)):
        return bool(text)
    s = str(text).strip().lower()
    if s in ("1", "true", "yes", "on", "t", "y"):
        return True
    if s in ("0", "false", "no", "off", "f", "n"):
        return False
    raise ParameterError(name, text, "must be a boolean (true/false)")


def parse_times(text: str) -> np.ndarray:
    """``START:STOP:NUM`` -> ``linspace(START, STOP, NUM)`` (NUM counts both ends).

    START, STOP finite, STOP >= START; 1 <= NUM <= :data:`MAX_TIMES`.  Shape (NUM,).
    """
    parts = str(text).split(":")
    if len(parts) != 3:
        raise ParameterError("times", text, "must be START:STOP:NUM")
    start = parse_number("times START", parts[0])
    stop = parse_number("times STOP", parts[1])
    num = parse_number("times NUM", parts[2], "int")
    if num < 1:
        raise ParameterError("times", text, "NUM must be >= 1")
    if num > MAX_TIMES:
        raise ParameterError("times", text, f"NUM must be <= {MAX_TIMES} (memory guard)")
    if not (math.isfinite(start) and math.isfinite(stop)):
        raise ParameterError("times", text, "START and STOP must be finite")
    if num > 1 and stop < start:
        raise ParameterError("times", text, "STOP must be >= START")
    if not math.isfinite(stop - start):
        raise ParameterError("times", text, "STOP - START overflows a float")
    return np.linspace(start, stop, num)


def as_times(times: Any, name: str = "times") -> np.ndarray:
    """A time grid given as an array: real, finite, 1-d, not empty (any order).

    Returns a float array of shape (T,).  A complex array is accepted only if its imaginary
    part vanishes (no silent truncation).
    """
    arr = np.atleast_1d(np.asarray(times))
    if arr.dtype.kind not in "biufc":
        raise ParameterError(name, _show(arr), f"must be real numbers (got dtype {arr.dtype})")
    if arr.ndim != 1 or arr.size == 0:
        raise ParameterError(name, _show(arr), f"must be a non-empty 1-d array (shape {arr.shape})")
    if arr.dtype.kind == "c":
        require(name, arr, arr.imag == 0, "must be real (the imaginary part is not zero)")
        arr = arr.real
    arr = arr.astype(float)
    require(name, arr, np.isfinite(arr), "must be finite")
    return arr


def first_bad(value: Any, ok: Any) -> Any:
    """The first element of ``value`` where ``ok`` is False (scalar if 0-d)."""
    v = np.asarray(value)
    m = np.broadcast_to(np.asarray(ok), v.shape) if v.shape else np.asarray(ok)
    if v.shape == ():
        return v.item()
    idx = np.argwhere(~m)
    return v[tuple(idx[0])].item() if idx.size else None


def require(name: str, value: Any, ok: Any, rule: str, source: str | None = None) -> None:
    """Raise ParameterError unless ``ok`` holds everywhere."""
    okarr = np.asarray(ok)
    if not np.all(okarr):
        raise ParameterError(name, first_bad(np.broadcast_to(np.asarray(value), okarr.shape)
                                             if okarr.shape else value, okarr), rule, source)


def require_finite(name: str, value: Any, source: str | None = None) -> None:
    require(name, value, np.isfinite(np.asarray(value)), "must be a finite number", source)


def require_positive(name: str, value: Any, source: str | None = None) -> None:
    require_finite(name, value, source)
    require(name, value, np.asarray(value) > 0, "must be > 0", source)


def require_nonnegative(name: str, value: Any, source: str | None = None) -> None:
    require_finite(name, value, source)
    require(name, value, np.asarray(value) >= 0, "must be >= 0", source)


# ---------------------------------------------------------------------------- expressions in s
_FUNCS = {"exp": np.exp, "log": np.log, "sqrt": np.sqrt, "sin": np.sin, "cos": np.cos,
          "tan": np.tan, "sinh": np.sinh, "cosh": np.cosh, "tanh": np.tanh, "arctan": np.arctan,
          "abs": np.abs, "sign": np.sign, "minimum": np.minimum, "maximum": np.maximum}


def parse_expression(name: str, text: str, variables: tuple[str, ...] = ("s",)) -> Any:
    """A vectorised function of ``variables`` from a command-line expression, e.g. a dephasing
    profile ``"0.5*(1+tanh(s/2))"``.  The same safe grammar as :func:`parse_number` (numbers,
    + - * / **, pi, e) plus the variables and the numpy functions exp, log, sqrt, sin, cos, tan,
    sinh, cosh, tanh, arctan, abs, sign, minimum, maximum; nothing else is evaluated.
    Returns ``f(*arrays) -> array``.  Raises ParameterError naming ``name`` on bad input.
    """
    s = str(text).strip()
    if not s or len(s) > 1000:
        raise ParameterError(name, text, "must be a non-empty expression of at most 1000 "
                             f"characters in {', '.join(variables)}")
    try:
        tree = ast.parse(s, mode="eval")
    except SyntaxError:
        raise ParameterError(name, text, "is not a valid expression") from None
    called = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    for node in ast.walk(tree):
        ok = isinstance(node, (ast.Expression, ast.Load)) or type(node) in _OPS \
            or (isinstance(node, ast.Constant) and isinstance(node.value, (int, float))
                and not isinstance(node.value, bool)) \
            or (isinstance(node, (ast.BinOp, ast.UnaryOp)) and type(node.op) in _OPS) \
            or (isinstance(node, ast.Name) and (node.id in variables or node.id in _NAMES
                                                 or (node.id in _FUNCS and id(node) in called))) \
            or (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id in _FUNCS and not node.keywords
                and len(node.args) == (2 if node.func.id in ("minimum", "maximum") else 1))
        if not ok:
            raise ParameterError(name, text, "may use only numbers, + - * / **, pi, e, "
                                 f"{', '.join(variables)} and the functions "
                                 f"{', '.join(_FUNCS)} (one argument; minimum, maximum two)")

    def ev(node: ast.AST, env: dict[str, np.ndarray]) -> Any:
        if isinstance(node, ast.Expression):
            return ev(node.body, env)
        if isinstance(node, ast.Constant):
            return np.float64(node.value)
        if isinstance(node, ast.Name):
            return env[node.id] if node.id in env else np.float64(_NAMES[node.id])
        if isinstance(node, ast.BinOp):
            return _OPS[type(node.op)](ev(node.left, env), ev(node.right, env))
        if isinstance(node, ast.UnaryOp):
            return _OPS[type(node.op)](ev(node.operand, env))
        return _FUNCS[node.func.id](*(ev(a, env) for a in node.args))  # ast.Call

    def fn(*values: Any) -> np.ndarray:
        env = {k: np.asarray(v, dtype=float) for k, v in zip(variables, values, strict=True)}
        with np.errstate(all="ignore"):
            out = ev(tree, env)
        return np.broadcast_to(np.asarray(out, dtype=float),
                               np.broadcast_shapes(*(np.shape(v) for v in env.values())))

    fn.__doc__ = f"{name}({', '.join(variables)}) = {s}"
    return fn


def require_tolerance(name: str, value: Any, low: float, high: float,
                      source: str = "openlz: documented tolerance range") -> None:
    """A solver tolerance: finite and within ``[low, high]`` (outside it the integrator is
    either unreliable or slower than double precision can pay for)."""
    require_finite(name, value, source)
    require(name, value, (np.asarray(value) >= low) & (np.asarray(value) <= high),
            f"must lie in [{low:g}, {high:g}]", source)
