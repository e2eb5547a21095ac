"""Errors and warnings raised by openlz.

Every invalid input raises a :class:`ParameterError` (a ``ValueError``) whose message
names the parameter, the offending value, the rule it breaks and where that rule
comes from.  The command line turns any :class:`OpenlzError` into one line and
exit status 2.
"""

from __future__ import annotations

from typing import Any


class OpenlzError(ValueError):
    """Base class for every user-facing error of openlz."""


class ParameterError(OpenlzError):
    """A parameter value breaks a rule.

    Parameters
    ----------
    name : the parameter's name as the user wrote it (``--set`` / keyword name).
    value : the offending value.
    rule : the constraint in words, e.g. ``"must be >= |A| = 2.0"``.
    source : where the rule comes from, e.g. ``"paper 004, Eq. (S42)"``.
    """

    def __init__(self, name: str, value: Any, rule: str, source: str | None = None):
        self.name, self.value, self.rule, self.source = name, value, rule, source
        msg = f"parameter {name!r} = {value!r}: {rule}"
        if source:
            msg += f" ({source})"
        super().__init__(msg)


class UnknownNameError(OpenlzError):
    """An unknown model, parameter, observable, figure or initial-state label."""

    def __init__(self, kind: str, name: str, known: list[str] | tuple[str, ...]):
        self.kind, self.name, self.known = kind, name, list(known)
        super().__init__(f"unknown {kind} {name!r}; known: {', '.join(self.known) or '(none)'}")


class ValidityWarning(UserWarning):
    """An approximation's validity condition does not hold for the parameters used."""


class PhysicalityWarning(UserWarning):
    """A computed state fails the trace / hermiticity / positivity check within tolerance."""


class PostselectionWarning(UserWarning):
    """A postselected (conditional) state vanishes: nothing is left to condition on, so the
    success probability is 0 and the state measures are NaN."""


class TruncationWarning(UserWarning):
    """A sum or basis was truncated beyond the requested tolerance (the message gives the
    missing weight)."""


class CostError(OpenlzError):
    """A computation would need more memory or time than the limits allow
    (:func:`openlz.limits`; command line ``--max-memory``, ``--allow-slow``).  Raised before
    anything is allocated or started; the message gives the estimate and the override."""


class NumericalError(OpenlzError):
    """The numerics failed at the given parameters (a singular matrix, an overflow, a solver
    that cannot take a step, a non-finite result no rule explains): the values are outside
    the range the model's numerics handle."""


class NonFiniteWarning(UserWarning):
    """An observable holds NaN or ±inf values (or values outside its mathematical range)."""


class SolverError(NumericalError, RuntimeError):
    """An integrator cannot go on (step-size underflow, step limit exceeded)."""
