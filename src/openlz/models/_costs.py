"""Memory and time estimates of the registered models, checked before they evaluate.

``Model.evaluate`` calls ``COSTS[model.name](params, times, observables, options)`` (or the
model's own ``cost_fn``) and :func:`openlz.core.budget.check_cost` refuses estimates beyond
:func:`openlz.limits` *before* anything is allocated.  The estimates come from the sizes
alone -- parameter points B, output times T, Hilbert-space dimension, Floquet steps,
magnetization sectors -- with constants measured (CPU seconds, tracemalloc peaks) on the
project's 2-core machine; they are good to a factor of ~3.  Step counts that depend on the
physics (adaptive ODE steps) are not predicted here: :func:`openlz.core.budget.watchdog`
inside ``solve_ode`` projects them from the progress of the integration.

Model owners: when a solver's cost changes, change its estimate here too.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..core.budget import Cost, require_phase

__all__ = ["COSTS", "magnetic_medium", "dissipative_lz", "driven_qubits", "spin_reservoir",
           "exact_spin_cost"]

_MB = 1e6


def _batch(params: dict[str, np.ndarray]) -> int:
    return max((np.size(v) for v in params.values()), default=1)


def _at(value: Any, b: int) -> Any:
    """Entry ``b`` of a per-point parameter, or its single value when it is not batched (a
    sweep chunk passes each parameter at its own size, 1 or B)."""
    flat = np.asarray(value).ravel()
    return flat[b] if flat.size > 1 else flat[0]


def _pts(B: int) -> str:
    return f"{B} point" + ("s" if B != 1 else "")


def _n_times(times: np.ndarray | None) -> int:
    return 0 if times is None else int(np.size(times))


def _timed(model: Any, observables: Sequence[str]) -> bool:
    return any("time" in model.observable(o).dims for o in observables)


def magnetic_medium(params: dict[str, np.ndarray], times: np.ndarray | None,
                    observables: Sequence[str], options: dict[str, Any]) -> Cost:
    """Exact propagation of 4x4 states: ~1.1 kB and 3-15 us per (point, time) (measured);
    a steady state (16x16 null space) ~35 kB and ~70 us per point."""
    from .magnetic_medium import MODEL

    B, T = _batch(params), _n_times(times)
    timed = _timed(MODEL, observables) or "max_concurrence" in observables
    steady = any(o.startswith("steady_") for o in observables)
    mem = 2 * _MB + (B * T * 1500.0 if timed else 0.0) + (B * 60e3 if steady else 0.0)
    sec = (B * T * 2e-5 if timed else 0.0) + (B * 2e-4 if steady else 0.0)
    return Cost(mem, sec, f"{_pts(B)} x {T} times, 4x4 states")


def dissipative_lz(params: dict[str, np.ndarray], times: np.ndarray | None,
                   observables: Sequence[str], options: dict[str, Any]) -> Cost:
    """Adaptive ODE with dense output: its step count depends on the physics (left to the
    watchdog); per output time ~1.3 kB and ~0.1 ms per point (states, measures), per point
    ~700 kB (validity grid) (measured)."""
    B, T = _batch(params), _n_times(times)
    lab = np.any(np.asarray(params.get("frame", "rotated")) == "lab")
    sec = (1.0 + B * T * 1e-4) * (3.0 if lab else 1.0)
    return Cost(_MB + B * 7e5 + B * T * 2000.0, sec, f"{_pts(B)} x {T} output times")


def driven_qubits(params: dict[str, np.ndarray], times: np.ndarray | None,
                  observables: Sequence[str], options: dict[str, Any]) -> Cost:
    """Floquet propagator on ``steps`` points per period: ~2 kB and ~20 us per (point, step)
    plus ~0.5 ms per step; dynamics: the Floquet modes at every output time from 2K+1
    sidebands, ~(1 + 0.04 (2K+1)) kB per (point, time)."""
    from .driven_qubits import MODEL

    B, T = _batch(params), _n_times(times)
    steps = float(np.max(params["steps"]))
    sb = float(np.max(params["sidebands"]))
    timed = _timed(MODEL, observables)
    per_t = 1000.0 + 40.0 * (2 * sb + 1)
    mem = _MB + min(B, 512) * steps * 2000.0 + (B * T * per_t if timed else 0.0)
    sec = 0.05 + B * steps * 2e-5 + steps * 5e-4 * math.ceil(B / 512) + \
        (B * T * 2e-5 if timed else 0.0)
    return Cost(mem, sec, f"{_pts(B)} x {steps:.0f} steps per period"
                + (f" x {T} times" if timed else ""))


def exact_spin_cost(L: int, level_spacing: float, rate: float, f: np.ndarray, tol: float,
                    method: str, samples: int, t_max: float, n_times: int,
                    max_configs: int = 512) -> tuple[float, float]:
    """(bytes, seconds) of one exact spin-reservoir solve (:mod:`openlz.solve.exact_spins`).

    Width = sum over evolved columns of their sector dimension binom(L+1, N); memory
    16 B x width x (DOP853 stages + stored outputs, <= 256 MB) + the sparse couplings;
    steps ~ 1.75 (max(L de, rate t_max))^2 / rate (phase winding of the interaction
    picture; measured 203, 738, 1572 at L = 10, 20, 30) + one per output time; ~4 ms +
    8.5 ns x width x L per step.
    """
    from ..solve.exact_spins import reservoir_configurations

    cap = min(max_configs, 4096)
    masks, _, missing = reservoir_configurations(f, tol, cap)
    if method == "auto":
        method = "configurations" if missing <= tol else "typicality"
    if method == "configurations":
        counts = np.array([bin(int(m)).count("1") for m in masks])
        width = float(sum(math.comb(L + 1, int(n) + 1) + math.comb(L + 1, int(n))
                          for n in counts))
        if masks.size == cap < max_configs:  # more configurations than enumerated here
            width *= max_configs / cap
        dims = float(sum(math.comb(L + 1, int(n)) for n in set(counts.tolist()) | set(
            (counts + 1).tolist())))
    else:
        width = 2.0 * samples * 2.0 ** (L + 1)
        dims = 2.0 ** (L + 1)
    scale = np.float64(max(L * level_spacing, rate * abs(t_max)))
    with np.errstate(over="ignore"):
        steps = float(50 + 1.75 * scale**2 / rate + n_times)
    out = min(256e6, 16.0 * width * (L + 1 + n_times))
    mem = 16.0 * width * 16 + out + 24.0 * dims * (L + 1)
    sec = steps * (4e-3 + 8.5e-9 * width * (L + 1))
    return mem, sec


def spin_reservoir(params: dict[str, np.ndarray], times: np.ndarray | None,
                   observables: Sequence[str], options: dict[str, Any]) -> Cost:
    """Chain O(B L) (``dressed``: O(B L^2)), continuous ODE O(L + T) steps, exact solver per
    point (:func:`exact_spin_cost`, the costliest of at most 8 sampled points times B)."""
    from ..analytic.landau_zener import fermi_spin_occupation

    B, T = _batch(params), _n_times(times)
    L = int(np.max(params["L"]))
    de, rate = np.asarray(params["level_spacing"], float), np.asarray(params["rate"], float)
    want = set(observables)
    mem, sec = _MB + B * (L + 2) * 400.0 + B * T * 100.0, 1e-3 * B
    if np.any(np.asarray(params["chain_phase"]) == "dressed"):
        mem, sec = mem + B * L * 200.0, sec + B * L * L * 1e-6
    if want & {"p_continuous_t", "re_k_continuous_t", "abs_k_continuous_t", "p_exact_t",
               "re_k_exact_t", "abs_k_exact_t"} and times is not None and T:
        # k(t) = k0 exp(-i rate t^2 - ...): its phase must be resolvable
        t_abs = float(np.max(np.abs(times)))
        with np.errstate(over="ignore"):
            phase = float(np.max(rate) * np.float64(t_abs) ** 2)
        require_phase("times", f"up to {t_abs:g}", phase,
                      "the coherence k(t) = k0 exp(-i rate t^2)")
        sec += 1e-4 * T
    exact = [o for o in want if "exact" in o]
    if exact:
        t_max = float(np.max(np.abs(times))) if T else 0.0
        t_max = max(t_max, float(np.max((L + 0.5) * de / rate)))
        order = np.argsort(-np.broadcast_to(np.ravel(de**2 / rate), (B,)))[:8]  # the costliest first
        worst_mem, worst_sec = 0.0, 0.0
        for b in order:
            eps = float(_at(de, b)) * np.arange(1, L + 1)
            f = fermi_spin_occupation(eps, float(_at(params["beta"], b)),
                                      float(_at(params["mu"], b)))
            m, s = exact_spin_cost(L, float(_at(de, b)), float(_at(rate, b)), f,
                                   float(_at(params["config_tol"], b)),
                                   str(_at(params["exact_method"], b)),
                                   int(_at(params["samples"], b)), t_max, T,
                                   int(_at(params.get("max_configs", 512), b)))
            worst_mem, worst_sec = max(worst_mem, m), max(worst_sec, s)
        mem, sec = mem + worst_mem, sec + B * worst_sec
    return Cost(mem, sec, f"{_pts(B)}, L = {L} reservoir spins"
                + (" (exact solver: magnetization sectors)" if exact else ""))


#: cost estimate of each registered model (``Model.cost_fn`` takes precedence)
COSTS: dict[str, Callable[..., Cost]] = {
    "magnetic-medium": magnetic_medium,
    "dissipative-lz": dissipative_lz,
    "driven-qubits": driven_qubits,
    "spin-reservoir": spin_reservoir,
}
