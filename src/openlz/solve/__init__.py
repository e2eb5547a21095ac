"""Generic numerics: Lindblad evolution, steady states, conditional evolution, ODEs."""

from .adiabatic import (
                       AdiabaticMasterEquation,
                       adiabatic_generator,
                       evolve_local,
                       validity_timescales,
)
from .lindblad import (
                       LinearGenerator,
                       evolve_constant,
                       evolve_td,
                       hermitian_basis,
                       lindblad_evolve,
                       propagators,
)
from .nonhermitian import conditional_evolve, conditional_evolve_generator
from .ode import ODEOptions, ODEStats, solve_ode
from .steady import SteadyStateResult, steady_state

__all__ = ["AdiabaticMasterEquation", "adiabatic_generator", "evolve_local", "validity_timescales",
           "LinearGenerator", "hermitian_basis", "evolve_constant", "evolve_td", "lindblad_evolve", "propagators", "conditional_evolve",
           "conditional_evolve_generator",
           "ODEOptions", "ODEStats", "solve_ode", "SteadyStateResult", "steady_state"]
