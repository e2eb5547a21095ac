"""Operators, conventions, Liouvillians, measures and physicality checks."""

from .checks import StateCheck, check_states
from .liouvillian import (
                       dissipator,
                       hamiltonian_superop,
                       liouvillian,
                       spost,
                       spre,
                       sprepost,
                       unvec,
                       vec,
)
from .measures import (
                       as_density_matrix,
                       concurrence,
                       entanglement_of_formation,
                       fidelity,
                       log_negativity,
                       negativity,
                       partial_trace,
                       partial_transpose,
                       purity,
)
from .operators import (
                       STATE_LABELS,
                       commutator,
                       dag,
                       identity,
                       ket,
                       ket2dm,
                       kron,
                       on_qubit,
                       sigma_minus,
                       sigma_plus,
                       sigma_x,
                       sigma_y,
                       sigma_z,
                       two_qubit_state,
)

__all__ = [
    "StateCheck", "check_states", "dissipator", "hamiltonian_superop", "liouvillian", "spost",
    "spre", "sprepost", "unvec", "vec", "as_density_matrix", "concurrence",
    "entanglement_of_formation", "fidelity", "log_negativity", "negativity", "partial_trace",
    "partial_transpose", "purity", "STATE_LABELS", "commutator", "dag", "identity", "ket",
    "ket2dm", "kron", "on_qubit", "sigma_minus", "sigma_plus", "sigma_x", "sigma_y", "sigma_z",
    "two_qubit_state",
]
