"""openlz — Landau–Zener physics and entanglement in open quantum systems."""

from ._version import __version__
from .api import (
    FloquetOptions,
    Options,
    Result,
    amesolve,
    floquet_markov_steadystate,
    fmmesolve,
    mesolve,
    steadystate,
)
from .api.collisions import collisions
from .api.dephasing import dephasing_lindbladian, dephasing_transition_probability
from .core.baths import Bath, OhmicBath
from .core.budget import limits
from .core.measures import (
                            concurrence,
                            entanglement_of_formation,
                            fidelity,
                            log_negativity,
                            negativity,
                            partial_trace,
                            partial_transpose,
                            purity,
)
from .errors import (
                            CostError,
                            NonFiniteWarning,
                            NumericalError,
                            OpenlzError,
                            ParameterError,
                            PhysicalityWarning,
                            PostselectionWarning,
                            TruncationWarning,
                            ValidityWarning,
)

__all__ = ["__version__", "concurrence", "negativity", "log_negativity", "entanglement_of_formation",
           "purity", "fidelity", "partial_transpose", "partial_trace", "OpenlzError",
           "ParameterError", "ValidityWarning", "PhysicalityWarning",
           "mesolve", "steadystate", "Result", "Options", "Bath", "OhmicBath",
           "floquet_markov_steadystate", "fmmesolve", "FloquetOptions",
           "PostselectionWarning", "TruncationWarning", "amesolve",
           "dephasing_lindbladian", "dephasing_transition_probability", "collisions", "limits",
           "CostError", "NumericalError", "NonFiniteWarning"]
