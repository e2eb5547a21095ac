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

__all__ = ["parse_number", "parse_bool", "parse_times", "require", "require_finite",
           "require_positive", "require_nonnegative", "first_bad"]

_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
        ast.Div: operator.truediv, ast.Pow: operator.pow, ast.USub: operator.neg,
        ast.UAdd: operator.pos}
_NAMES = {"pi": math.pi, "e": math.e, "inf": math.inf}
MAX_TIMES = 10_000_000  # largest time grid parse_times builds


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


def parse_number(name: str, text: str | float | complex, kind: str = "float") -> Any:
    """Parse a number given on the command line: ``1e-4``, ``pi/2``, ``3+0.5j``.

    ``kind`` is ``float``, ``int`` or ``complex``. Raises ParameterError on malformed input.
    """
    if isinstance(text, (int, float, complex, np.number)) and not isinstance(text, bool):
        val: Any = text
    else:
        s = str(text).strip()
        try:
            val = _eval(ast.parse(s, mode="eval"))
        except (SyntaxError, ValueError, TypeError, ZeroDivisionError, OverflowError):
            raise ParameterError(name, text, f"is not a valid {kind} number") from None
    if kind == "complex":
        return complex(val)
    if isinstance(val, complex):
        if val.imag != 0:
            raise ParameterError(name, text, f"must be real ({kind})")
        val = val.real
    if kind == "int":
        if float(val) != int(val):
            raise ParameterError(name, text, "must be an integer")
        return int(val)
    return float(val)


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
    """``START:STOP:NUM`` -> ``linspace(START, STOP, NUM)`` (NUM counts both ends)."""
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
    return np.linspace(start, stop, num)


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
