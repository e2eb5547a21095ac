"""The public, QuTiP-compatible face of openlz: ``mesolve``, ``steadystate``, ``Result``,
``Options`` and the input conversion they share.

Conventions at this boundary: ħ = 1; batch axes first, ``(..., n, n)``; superoperators act on
the **row-major** ``vec(rho)[i*n + j] = rho[i, j]`` (QuTiP stacks columns; its ``super``
``Qobj``s are permuted on the way in, see :mod:`openlz.api.convert`).
"""

from .amesolve import AMEOptions, amesolve
from .convert import as_operator, as_state, as_superoperator, super_from_qutip, super_to_qutip
from .floquet import FloquetOptions, floquet_markov_steadystate, fmmesolve
from .mesolve import mesolve
from .options import Options
from .result import Result
from .steadystate import steadystate

__all__ = ["amesolve", "AMEOptions", "mesolve", "steadystate", "floquet_markov_steadystate", "fmmesolve",
           "FloquetOptions", "Result", "Options", "as_operator", "as_state",
           "as_superoperator", "super_from_qutip", "super_to_qutip"]
