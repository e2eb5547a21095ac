# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Benchmarks
#
# The scripts in `benchmarks/` time openlz and its peers — QuTiP, and dynamiqs where it can
# do the same work — on the same work at the same tolerances, in one run, and record the
# medians, the ratios and the errors in `benchmarks/results/*.json`:
#
# ```bash
# pip install -e ".[bench]" && python benchmarks/run_all.py   # openlz vs QuTiP vs dynamiqs
# python benchmarks/bench_measures.py                         # one per-model benchmark
# ```
#
# This page is generated from those records when the site is built, so it always shows
# the committed results. The machine is the project's 2-core one, often shared with other
# work while a benchmark ran (each record states the load average); the **speed-up** is
# peer time / openlz time, so > 1 means openlz is faster. Timings on a loaded machine
# are noisy by tens of percent; ratios of codes timed interleaved in the same run are
# more stable than the absolute seconds.

# %% tags=["hide-input"]
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from openlz.report import load_benchmarks

records = {r["benchmark"]: r for r in load_benchmarks(Path("benchmarks/results"))}

# the three kinds of record: peer tables of run_all.py (one row per code), paired
# openlz/peer rows of the per-model scripts, and the loaded-machine / reproduce profiles
OVERHEADS = {"api_overhead", "sweep"}      # openlz against itself / a storage-free loop
peer_rows, paired_rows = [], []
for name, rec in records.items():
    rows = rec["rows"]
    if any("code" in r for r in rows):
        case, err_of = "", ""
        for r in rows:
            err_of = r.get("err_label") or err_of
            label = (r.get("case") or "").strip()
            if r.get("code") == "openlz" or not case:
                case = label or case
            elif label:      # a variant: "dynamiqs Tsit5 at matched accuracy (rtol=1e-09)"
                r = {**r, "code": label if label.startswith(r["code"]) else
                     f"{r['code']}, {label}"}
            peer_rows.append({"benchmark": name, "case": case, "code": r["code"],
                              "seconds": r.get("seconds"), "speed-up": r.get("ratio"),
                              "error": r.get("err"), "error of": err_of,
                              "note": r.get("note") or ""})
    elif name not in OVERHEADS and any("peer_s" in r for r in rows):
        for r in rows:
            o, p = r.get("openlz_s"), r.get("peer_s")
            paired_rows.append({"benchmark": name, "case": r.get("case", ""),
                                "openlz (s)": o, "QuTiP (s)": p,
                                "speed-up": p / o if (o and p) else np.nan,
                                "largest difference": r.get("max_diff"),
                                "date": str(rec.get("date", ""))[:10]})
peers = pd.DataFrame(peer_rows)
paired = pd.DataFrame(paired_rows)
print(f"{len(records)} benchmark records: {peers['case'].nunique()} workloads timed against "
      f"QuTiP and dynamiqs in one run, {len(paired)} per-model cases against QuTiP")


def _fmt(spec):
    def f(v):
        return "" if v is None or (isinstance(v, float) and np.isnan(v)) else format(v, spec)
    return f


# %% [markdown]
# ## openlz, QuTiP and dynamiqs on the same work
#
# `benchmarks/run_all.py`: every code is timed in the same run, interleaved (each round
# times each code once), after an untimed warm-up call (JAX compilation, caches); all
# adaptive solvers at rtol = 1e-8, atol = 1e-10. The **error** is each code's largest
# difference from an independent reference at much tighter tolerance (or from QuTiP where
# "error of" says so), so speed is compared at a stated accuracy. QuTiP loops over
# parameter points in Python and is timed on a subset, scaled per point (notes below).

# %% tags=["hide-input"]
family = {"QuTiP": "tab:blue", "dynamiqs": "tab:orange", "openlz": "tab:green"}
cases = list(dict.fromkeys(peers["case"]))
groups = [peers[(peers["case"] == c) & (peers["code"] != "openlz")] for c in cases]
fig, axes = plt.subplots(len(cases), 1, figsize=(8, 0.24 * len(peers) + 0.9 * len(cases)),
                         sharex=True, gridspec_kw={"height_ratios": [len(g) for g in groups]})
for ax, case, g in zip(np.atleast_1d(axes), cases, groups):
    own = peers[(peers["case"] == case) & (peers["code"] == "openlz")]
    y = np.arange(len(g))[::-1]
    ax.barh(y, g["speed-up"], color=[next((c for k, c in family.items() if code.startswith(k)),
                                          "tab:gray") for code in g["code"]])
    ax.set_yticks(y, [code.replace(" at matched accuracy", ", matched") for code in g["code"]],
                  fontsize=8)
    for yi, (_, r) in zip(y, g.iterrows()):
        err = "reference" if r["error of"] == f"vs {r['code']}" else f"err {r['error']:.0e}"
        ax.text(r["speed-up"] * 1.1, yi, f"{r['speed-up']:.3g}×  ({err})", va="center",
                fontsize=7)
    title = case + (f" — openlz {own['seconds'].iloc[0]:.3g} s, err {own['error'].iloc[0]:.0e}"
                    if len(own) else "")
    ax.set_title(title, fontsize=8, loc="left")
    ax.axvline(1, color="k", lw=0.8)
ax.set_xscale("log")
ax.set_xlim(0.3, peers["speed-up"].max() * 20)
ax.set_xlabel("peer time / openlz time (log scale; > 1: openlz faster)")
plt.tight_layout()

# %% tags=["hide-input"]
shown = peers.assign(case=peers["case"].where(peers["case"] != peers["case"].shift(), ""))
shown[["case", "code", "seconds", "speed-up", "error", "error of"]].style.format(
    {"seconds": _fmt(".3g"), "speed-up": _fmt(".3g"), "error": _fmt(".1e")}).hide(axis="index")

# %% [markdown]
# Notes of the runs (how QuTiP was looped and scaled):

# %% tags=["hide-input"]
for (case, code), note in peers.set_index(["case", "code"])["note"].items():
    if note:
        print(f"{case} · {code}: {note}")

# %% [markdown]
# "openlz expm" is openlz's exponential stepping route forced on (the default `auto`
# route chooses between it and the eigendecomposition); "dynamiqs Expm" is dynamiqs'
# matrix-exponential solver on the same constant generator.
#
# ## Per-model benchmarks against QuTiP
#
# One script per model (`benchmarks/bench_<model>.py`), each with its own peer setup
# (the table under "What each benchmark compares" says which QuTiP solver and settings);
# the **largest difference** is between openlz's and QuTiP's results.

# %% tags=["hide-input"]
timed = paired.dropna(subset=["speed-up"]).iloc[::-1]
fig, ax = plt.subplots(figsize=(9, 0.3 * len(timed) + 1))
ax.barh(np.arange(len(timed)), timed["speed-up"], color="tab:blue")
ax.set_yticks(np.arange(len(timed)),
              [f"{b}: {c}"[:70] for b, c in zip(timed["benchmark"], timed["case"])])
ax.set_xscale("log")
ax.axvline(1, color="k", lw=0.8)
ax.set_xlabel("QuTiP time / openlz time (log scale; > 1: openlz faster)")
ax.tick_params(axis="y", labelsize=7)
plt.tight_layout()

# %% tags=["hide-input"]
paired.drop(columns="date").style.format({"openlz (s)": _fmt(".3g"), "QuTiP (s)": _fmt(".3g"),
                     "speed-up": _fmt(".3g"),
                     "largest difference": _fmt(".1e")}).hide(axis="index")

# %% [markdown]
# ## Overheads
#
# Not races: what openlz's conveniences cost. `api_overhead` times `openlz.mesolve`
# (input conversion, checks, `Result`) against the direct `evolve_td` call it makes;
# `sweep` times openlz's sweep — which writes every chunk to a zarr store with an atomic
# completion record, so a sweep resumes after a crash — against QuTiP's `serial_map` /
# `parallel_map` running the same chunk function without storing anything.

# %% tags=["hide-input"]
rows = []
for name in sorted(OVERHEADS & records.keys()):
    for r in records[name]["rows"]:
        rows.append({"benchmark": name, "case": r.get("case", ""), "openlz (s)": r.get("openlz_s"),
                     "baseline (s)": r.get("peer_s"),
                     "openlz / baseline": (r["openlz_s"] / r["peer_s"]) if r.get("peer_s") else np.nan,
                     "baseline": r.get("peer_note") or "QuTiP serial_map / parallel_map"})
pd.DataFrame(rows).style.format({"openlz (s)": _fmt(".3g"), "baseline (s)": _fmt(".3g"),
                                 "openlz / baseline": _fmt(".3g")}).hide(axis="index")

# %% [markdown]
# ## On a loaded machine
#
# `run_all.py --loaded` times each openlz solver quiet and with two CPU-bound processes on
# the two cores. openlz's solvers run with one BLAS thread by default (`threadpoolctl`;
# `OPENLZ_BLAS_THREADS=default` restores the library default), which is what keeps the
# slowdown near the 2× that sharing the cores implies.

# %% tags=["hide-input"]
if "peers_loaded" in records:
    loaded = pd.DataFrame(records["peers_loaded"]["rows"])
    print(records["peers_loaded"].get("note", ""))
    out = loaded.rename(columns={"blas_threads": "BLAS threads", "quiet_s": "quiet (s)",
                                 "loaded_s": "loaded (s)", "slowdown": "slowdown"}
                        ).style.format({"quiet (s)": _fmt(".3g"), "loaded (s)": _fmt(".3g"),
                                        "slowdown": _fmt(".2f")}).hide(axis="index")
else:
    out = "no loaded-machine record"
out

# %% [markdown]
# ## Where openlz reproduce spends its time
#
# `benchmarks/profile_reproduce.py` runs every registered figure in one process with one
# BLAS thread and records its wall and CPU seconds. CPU seconds are the stable measure
# on a shared machine; `openlz reproduce` itself runs the figures on one process per core,
# most expensive first.

# %% tags=["hide-input"]
if "reproduce_profile" in records:
    prof = pd.DataFrame(records["reproduce_profile"]["rows"]).sort_values("cpu_s")
    print(records["reproduce_profile"].get("note", ""),
          f"— total CPU {prof['cpu_s'].sum():.0f} s over {len(prof)} figures")
    fig, ax = plt.subplots(figsize=(8, 0.22 * len(prof) + 1))
    ax.barh(prof["case"], prof["cpu_s"], color="tab:green")
    ax.set_xlabel("CPU seconds per figure (one process, one BLAS thread)")
    ax.tick_params(axis="y", labelsize=7)
    plt.tight_layout()

# %% [markdown]
# ## What each benchmark compares

# %% tags=["hide-input"]
pd.DataFrame([(name, str(r.get("date", ""))[:10], r.get("note", ""))
              for name, r in records.items()],
             columns=["benchmark", "date", "peer, settings and load"]).style.hide(axis="index")

# %% [markdown]
# The same records are tabulated in the report of `openlz reproduce`
# ([Reproducing the papers](reproduce.md)).
