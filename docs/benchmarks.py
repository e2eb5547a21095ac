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
# Each script in `benchmarks/` times openlz and a peer — QuTiP, doing the same work at
# the same tolerances — in one run, and records the medians, the ratio and the largest
# difference between the two results in `benchmarks/results/NAME.json`:
#
# ```bash
# pip install ".[test]" && python benchmarks/bench_measures.py    # one benchmark
# ```
#
# This page is generated from those records when the site is built, so it shows the
# latest committed results. The machine is the project's 2-core one, shared with other
# work while it ran (see each record's note); the speed-up is peer time / openlz time.

# %% tags=["hide-input"]
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from openlz.report import load_benchmarks

records = load_benchmarks(Path("benchmarks/results"))
rows = []
for rec in records:
    for row in rec["rows"]:
        o, p = row.get("openlz_s"), row.get("peer_s")
        rows.append({"benchmark": rec["benchmark"], "case": row.get("case", ""),
                     "openlz (s)": o, "peer (s)": p,
                     "speed-up": (p / o) if (o and p) else np.nan,
                     "largest difference": row.get("max_diff"),
                     "date": str(rec.get("date", ""))[:10]})
table = pd.DataFrame(rows)
print(f"{len(records)} benchmarks, {len(table)} cases; "
      f"{int(table['speed-up'].notna().sum())} with a peer timing")

# %% [markdown]
# ## Speed-ups

# %% tags=["hide-input"]
timed = table.dropna(subset=["speed-up"]).iloc[::-1]
fig, ax = plt.subplots(figsize=(9, 0.32 * len(timed) + 1))
colors = ["tab:blue" if s >= 1 else "tab:red" for s in timed["speed-up"]]
ax.barh([f"{b}: {c}"[:70] for b, c in zip(timed["benchmark"], timed["case"])],
        timed["speed-up"], color=colors)
ax.set_xscale("log")
ax.axvline(1, color="k", lw=0.8)
ax.set_xlabel("peer time / openlz time (log scale; > 1: openlz faster)")
ax.tick_params(axis="y", labelsize=7)
plt.tight_layout()

# %% [markdown]
# Red bars (< 1) are the `sweep` benchmark, which is an overhead measurement rather than
# a race: openlz's sweep writes each chunk to a zarr store with an atomic completion
# record (so it resumes after a crash), and the peer runs the same chunk function through
# QuTiP's `serial_map` / `parallel_map` without storing anything.
#
# ## All cases

# %% tags=["hide-input"]
def _fmt(v, spec):
    return "" if v is None or (isinstance(v, float) and np.isnan(v)) else format(v, spec)

table.style.format({"openlz (s)": lambda v: _fmt(v, ".3g"), "peer (s)": lambda v: _fmt(v, ".3g"),
                    "speed-up": lambda v: _fmt(v, ".3g"),
                    "largest difference": lambda v: _fmt(v, ".1e")}).hide(axis="index")

# %% [markdown]
# ## What each benchmark compares

# %% tags=["hide-input"]
pd.DataFrame([(r["benchmark"], r.get("machine", ""), r.get("note", "")) for r in records],
             columns=["benchmark", "machine", "peer and settings"]).style.hide(axis="index")

# %% [markdown]
# The same table is part of the report of `openlz reproduce`
# ([Reproducing the papers](reproduce.md)).
