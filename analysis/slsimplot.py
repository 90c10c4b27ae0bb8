"""Plots of one slsim run, read from the folder `slsim run --out DIR` writes.

Each plot is a function `plot_NAME(run, fig)` registered in PLOTS; add one by writing a function
and a line in PLOTS. `load_run(dir)` reads summary.json, metrics.csv and latency.csv once.
Only Debian's python3-matplotlib and python3-pandas are needed.
"""
from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

FIGSIZE = (10, 6)  # inches
DPI = 100          # => 1000 x 600 pixel PNGs
MAX_PANELS = 9     # latency CDF: at most this many endpoints get a panel

PHASES = ["scheduling", "image_pull", "artifact_download", "extraction", "model_load",
          "container_init"]
COST_PARTS = ["on_demand_inference", "provisioned_concurrency", "provisioned_inference",
              "data_processing"]


@dataclass
class Run:
    folder: str
    summary: dict
    metrics: pd.DataFrame
    latency: pd.DataFrame

    @property
    def endpoints(self) -> list[str]:
        return list(self.summary["endpoints"].keys())


def load_run(folder: str) -> Run:
    with open(os.path.join(folder, "summary.json"), encoding="utf-8") as f:
        summary = json.load(f)
    metrics = pd.read_csv(os.path.join(folder, "metrics.csv"))
    latency = pd.read_csv(os.path.join(folder, "latency.csv"))
    return Run(folder, summary, metrics, latency)


def value(v):
    """A summary number: plain, or {"mean", "ci95"} with replications. None stays None."""
    if isinstance(v, dict):
        v = v.get("mean")
    return float("nan") if v is None else float(v)


def _time_axis(minutes: pd.Series):
    if minutes.max() > 180:
        return minutes / 60.0, "time (hours)"
    return minutes, "time (minutes)"


def _stacked_bars(ax, names, parts, get):
    """One bar per name, stacked by part; get(name, part) gives a segment's height."""
    bottom = [0.0] * len(names)
    for part in parts:
        vals = [get(n, part) for n in names]
        ax.bar(names, vals, bottom=bottom, label=part.replace("_", " "))
        bottom = [b + (0.0 if math.isnan(v) else v) for b, v in zip(bottom, vals)]
    ax.grid(True, axis="y", alpha=0.3)
    ax.tick_params(axis="x", labelrotation=30 if len(names) > 3 else 0, labelsize=8)


def plot_latency_cdf(run: Run, fig):
    """Latency CDF per endpoint, warm vs cold, log x-axis, p50 and p99 marked."""
    names = run.endpoints[:MAX_PANELS]
    cols = min(3, len(names))
    rows = math.ceil(len(names) / cols)
    axes = fig.subplots(rows, cols, squeeze=False)
    colors = {"all": "black", "warm": "tab:blue", "cold": "tab:red"}
    for ax, name in zip(axes.flat, names):
        df = run.latency[run.latency["endpoint"] == name]
        for cls in ["warm", "cold", "all"]:
            part = df[df["class"] == cls]
            if part.empty:
                continue
            upper = part["upper_s"].clip(upper=1e3)
            cdf = part["count"].cumsum() / part["count"].sum()
            ax.step(upper, cdf, where="post", color=colors[cls],
                    lw=1.0 if cls == "all" else 1.6, ls="--" if cls == "all" else "-",
                    label=f"{cls} ({int(part['count'].sum())})")
        lat = run.summary["endpoints"][name]["latency_s"]
        for q, style in (("p50", ":"), ("p99", "-.")):
            x = value(lat[q])
            if not math.isnan(x):
                ax.axvline(x, color="gray", ls=style, lw=1)
                ax.annotate(f"{q} {x:.3g}s", (x, 0.02 if q == "p50" else 0.12), fontsize=7,
                            rotation=90, color="dimgray", ha="right")
        ax.set_xscale("log")
        ax.set_ylim(0, 1.02)
        ax.set_title(name, fontsize=9)
        ax.set_xlabel("end-to-end latency (s)", fontsize=8)
        ax.set_ylabel("fraction of requests", fontsize=8)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7, loc="lower right")
    for ax in list(axes.flat)[len(names):]:
        ax.axis("off")
    extra = len(run.endpoints) - len(names)
    fig.suptitle("Latency CDF" + (f" (first {len(names)} endpoints; {extra} more)" if extra else ""))


def _replication0_totals(run: Run) -> pd.DataFrame:
    m = run.metrics[run.metrics["replication"] == 0]
    return m.groupby("minute", as_index=False).sum(numeric_only=True)


def plot_timeline(run: Run, fig):
    """Per minute, all endpoints together (replication 0): invocations; busy, warm and
    provisioning containers with provisioned capacity; cold starts, spillovers and throttles."""
    t = _replication0_totals(run)
    x, label = _time_axis(t["minute"])
    ax1, ax2, ax3 = fig.subplots(3, 1, sharex=True)
    ax1.plot(x, t["Invocations"], color="black", lw=1)
    ax1.set_ylabel("invocations\n/min", fontsize=8)
    ax2.stackplot(x, t["BusyContainers"], t["WarmIdleContainers"], t["ProvisioningContainers"],
                  labels=["busy", "warm idle", "provisioning (cold start)"],
                  colors=["tab:blue", "tab:green", "tab:orange"], alpha=0.8, step="post")
    ax2.step(x, t["ProvisionedCapacity"], where="post", color="purple", lw=1.5,
             label="provisioned capacity")
    ax2.set_ylabel("containers\n(mean)", fontsize=8)
    ax2.legend(fontsize=7, loc="upper left")
    ax3.plot(x, t["ColdStarts"], color="tab:red", lw=1, label="cold starts")
    ax3.plot(x, t["ServerlessProvisionedConcurrencySpilloverInvocations"], color="tab:orange",
             lw=1, label="spillovers")
    ax3.plot(x, t["Throttles"], color="black", lw=1, label="throttles")
    ax3.set_ylabel("per minute", fontsize=8)
    ax3.set_xlabel(label)
    ax3.legend(fontsize=7, loc="upper left")
    for ax in (ax1, ax2, ax3):
        ax.grid(True, alpha=0.3)
    fig.suptitle("Timeline, all endpoints (replication 0)")


def plot_cold_start_phases(run: Run, fig):
    """Mean cold-start time per endpoint, stacked by phase."""
    names = [n for n in run.endpoints
             if not math.isnan(value(run.summary["endpoints"][n]["cold_start_phases_mean_s"]["scheduling"]))]
    ax = fig.subplots()
    if not names:
        ax.text(0.5, 0.5, "no cold starts in this run", ha="center", va="center")
        ax.axis("off")
        fig.suptitle("Cold-start phases")
        return
    _stacked_bars(ax, names, PHASES,
                  lambda n, p: value(run.summary["endpoints"][n]["cold_start_phases_mean_s"][p]))
    ax.set_ylabel("mean time per cold start (s)")
    ax.legend(fontsize=8)
    fig.suptitle("Cold-start phase breakdown")


def plot_cost(run: Run, fig):
    """Cumulative cost over time per endpoint (replication 0), and the cost breakdown."""
    ax1, ax2 = fig.subplots(1, 2)
    m = run.metrics[run.metrics["replication"] == 0]
    for name, part in m.groupby("endpoint", sort=False):
        x, label = _time_axis(part["minute"])
        ax1.plot(x, part["CostUSD"].cumsum(), lw=1.2, label=name)
    ax1.set_xlabel(label)
    ax1.set_ylabel("cumulative cost (USD)")
    ax1.grid(True, alpha=0.3)
    if len(run.endpoints) <= 10:
        ax1.legend(fontsize=7)
    _stacked_bars(ax2, run.endpoints, COST_PARTS,
                  lambda n, p: value(run.summary["endpoints"][n]["cost_usd"][p]))
    ax2.set_ylabel("cost (USD)")
    ax2.legend(fontsize=7)
    fig.suptitle("Cost over time and breakdown")


def plot_capacity(run: Run, fig):
    """Per endpoint (replication 0): busy containers (the demand, per-minute mean) against the
    provisioned containers held, over wall-clock time."""
    m = run.metrics[run.metrics["replication"] == 0].copy()
    m["time"] = pd.to_datetime(m["timestamp"])
    names = run.endpoints[:MAX_PANELS]
    axes = fig.subplots(len(names), 1, sharex=True, squeeze=False)[:, 0]
    for ax, name in zip(axes, names):
        part = m[m["endpoint"] == name]
        ax.fill_between(part["time"], part["BusyContainers"], step="post", color="tab:blue",
                        alpha=0.5, lw=0, label="busy containers (mean)")
        ax.step(part["time"], part["ProvisionedContainers"], where="post", color="purple",
                lw=1.4, label="provisioned containers held")
        ax.set_ylabel(name, fontsize=8)
        ax.grid(True, alpha=0.3)
        ax.set_ylim(bottom=0)
    axes[0].legend(fontsize=7, loc="upper left")
    fig.autofmt_xdate()
    fig.suptitle("Provisioned capacity against demand (replication 0, UTC)")


PLOTS = {
    "latency_cdf": plot_latency_cdf,
    "capacity": plot_capacity,
    "timeline": plot_timeline,
    "cold_start_phases": plot_cold_start_phases,
    "cost": plot_cost,
}


def _atomic_save(fig, path: str):
    ext = os.path.splitext(path)[1]
    tmp = f"{path}.tmp-{os.getpid()}{ext}"
    # No date in SVG metadata, so the same run draws byte-identical SVGs.
    metadata = {"Date": None} if ext == ".svg" else None
    fig.savefig(tmp, dpi=DPI, metadata=metadata)
    os.replace(tmp, path)


def render(run: Run, out_dir: str, formats=("png", "svg")) -> list[str]:
    """Draws every registered plot into out_dir; returns the written file names."""
    os.makedirs(out_dir, exist_ok=True)
    written = []
    for name, draw in PLOTS.items():
        fig = plt.figure(figsize=FIGSIZE, dpi=DPI)
        try:
            draw(run, fig)
            fig.tight_layout()
            for fmt in formats:
                path = os.path.join(out_dir, f"{name}.{fmt}")
                _atomic_save(fig, path)
                written.append(path)
        finally:
            plt.close(fig)
    return written
