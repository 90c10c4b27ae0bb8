"""Plots of one slsim run, read from the folder `slsim run --out DIR` writes.

Each plot is a function `plot_NAME(run, fig)` registered in PLOTS; add one by writing a function
and a line in PLOTS. A plot that has nothing to show raises Skip with the reason, which the
report prints instead. `load_run(dir)` reads summary.json, metrics.csv, latency.csv, scaling.csv
and scenario.yaml once. The number formatters (seconds, money, percent) are shared with
report.py. Only Debian's python3-matplotlib and python3-pandas are needed.
"""
from __future__ import annotations

import json
import math
import os
import re
from dataclasses import dataclass, field

import matplotlib

matplotlib.use("Agg")  # files only, no display
# The same input draws the same SVG, byte for byte (element ids are otherwise random).
matplotlib.rcParams["svg.hashsalt"] = "slsim"
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker as mticker  # noqa: E402
import pandas as pd  # noqa: E402

WIDTH = 10.0  # inches; at DPI 100 every PNG is 1000 pixels wide (heights vary with content)
DPI = 100
STYLE = {  # readable at 1000 px: no label under 10 pt
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 10,
    "figure.titlesize": 13,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
# At most this many endpoints per plot (scenario order); the title says when more were left out.
MAX_CDF_LINES = 8
MAX_TIMELINE_ENDPOINTS = 4
MAX_BARS = 20

PHASES = ["scheduling", "image_pull", "artifact_download", "extraction", "model_load",
          "container_init"]
PHASE_COLORS = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1", "#9c755f"]
COST_PARTS = ["on_demand_inference", "provisioned_concurrency", "provisioned_inference",
              "data_processing", "instances"]
COST_LABELS = {"on_demand_inference": "on-demand inference",
               "provisioned_concurrency": "provisioned concurrency (held)",
               "provisioned_inference": "provisioned inference",
               "data_processing": "data processing",
               "instances": "real-time instances"}
COST_COLORS = {"on_demand_inference": "#4e79a7", "provisioned_concurrency": "#b07aa1",
               "provisioned_inference": "#d4a6c8", "data_processing": "#bab0ac",
               "instances": "#59a14f"}
PALETTE = plt.get_cmap("tab10").colors


class Skip(Exception):
    """Raised by a plot that has nothing to show; the message says why."""


# ---- Numbers for people ------------------------------------------------------------------------

def value(v):
    """A summary number: plain, or {"mean", "ci95", "n"}. None (undefined) becomes NaN."""
    if isinstance(v, dict):
        v = v.get("mean")
    return float("nan") if v is None else float(v)


def ci95(v):
    """The 95 % CI half-width of a summary figure, NaN when there is none."""
    if isinstance(v, dict) and v.get("ci95") is not None:
        return float(v["ci95"])
    return float("nan")


def _round_sig(x: float, digits: int = 3) -> float:
    if x == 0 or not math.isfinite(x):
        return x
    return round(x, digits - 1 - int(math.floor(math.log10(abs(x)))))


def _sig(x: float, digits: int = 3, trim: bool = True) -> str:
    """x with `digits` significant digits, never an exponent: 0.0000157, 12.6, 1,240; `trim`
    drops trailing zeros (51.0 -> 51)."""
    x = _round_sig(x, digits)
    if x == 0:
        return "0"
    decimals = max(0, digits - 1 - int(math.floor(math.log10(abs(x)))))
    text = f"{x:,.{decimals}f}"
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def mpl_text(text: str) -> str:
    """Text for matplotlib, whose mathtext would take a pair of "$" for a formula."""
    return text.replace("$", r"\$")


def fmt_seconds(s: float, digits: int = 3) -> str:
    """0.000123 -> "123 µs", 0.2103 -> "210 ms", 6.14 -> "6.14 s", 900 -> "15 min"."""
    if s is None or not math.isfinite(s):
        return "–"
    if s == 0:
        return "0 s"
    s = _round_sig(s, digits)
    a = abs(s)
    for limit, scale, unit in ((1e-3, 1e6, "µs"), (1.0, 1e3, "ms"), (120.0, 1.0, "s"),
                               (7200.0, 1 / 60, "min"), (172800.0, 1 / 3600, "h")):
        if a < limit:
            return f"{_sig(s * scale, digits)} {unit}"
    return f"{_sig(s / 86400, digits)} d"


def fmt_money(d: float) -> str:
    """Dollars as slsim's tables write them: "$0", "$0.0000157", "$0.143", "$12.30", "$1,234"."""
    if d is None or not math.isfinite(d):
        return "–"
    if d == 0:
        return "$0"
    sign = "-" if d < 0 else ""
    a = abs(d)
    if a >= 1000:
        return f"{sign}${a:,.0f}"
    decimals = max(2, 2 - int(math.floor(math.log10(a))))
    return f"{sign}${a:.{decimals}f}"


def fmt_percent(fraction: float) -> str:
    """0 -> "0%", 0.0036 -> "0.36%", 1 -> "100%", 0.0000312 -> "0.0031%"."""
    if fraction is None or not math.isfinite(fraction):
        return "–"
    if fraction == 0:
        return "0%"
    p = 100 * fraction
    return f"{_sig(p, 2) if abs(p) < 1 else _sig(p, 3)}%"


def fmt_count(n: float) -> str:
    """Counts with thousands separators; a mean over replications keeps one decimal when small."""
    if n is None or not math.isfinite(n):
        return "–"
    if n == round(n) or abs(n) >= 100:
        return f"{n:,.0f}"
    return f"{n:,.1f}"


def fmt_duration(seconds: float) -> str:
    """A run's length in words: "51 min", "2 h", "31 days"."""
    if seconds < 120:
        return f"{_sig(seconds)} s"
    if seconds < 2 * 3600:
        return f"{_sig(seconds / 60)} min"
    if seconds < 3 * 86400:
        return f"{_sig(seconds / 3600)} h"
    return f"{_sig(seconds / 86400)} days"


# ---- The run ----------------------------------------------------------------------------------

@dataclass
class Run:
    folder: str
    summary: dict
    metrics: pd.DataFrame
    latency: pd.DataFrame
    scaling: pd.DataFrame | None = None
    scenario_text: str = ""
    config: dict = field(default_factory=dict)  # endpoint -> its settings from scenario.yaml
    _latency_groups: dict | None = None

    def latency_bins(self, endpoint: str, cls: str) -> pd.DataFrame | None:
        """latency.csv's rows of one endpoint and class (all, warm, cold), or None."""
        if self._latency_groups is None:  # one pass, not one scan per endpoint
            self._latency_groups = {key: part for key, part in
                                    self.latency.groupby(["endpoint", "class"], sort=False)}
        return self._latency_groups.get((endpoint, cls))

    @property
    def endpoints(self) -> list[str]:
        return list(self.summary["endpoints"].keys())

    def figure(self, endpoint: str, path: str):
        """The raw figure {"mean", "ci95", "n"} at a dotted path of an endpoint or "total"."""
        node = self.summary["total"] if endpoint == "total" else self.summary["endpoints"][endpoint]
        for key in path.split("."):
            node = node[key]
        return node

    def value(self, endpoint: str, path: str) -> float:
        return value(self.figure(endpoint, path))

    def is_real_time(self, endpoint: str) -> bool:
        return self.config.get(endpoint, {}).get("kind") == "real_time"

    def color(self, endpoint: str):
        return PALETTE[list(self.summary["endpoints"]).index(endpoint) % len(PALETTE)]


def scenario_endpoints(text: str) -> dict:
    """The settings of each endpoint in a scenario.yaml as slsim writes it (two-space YAML):
    kind, memory, max/provisioned concurrency, instance type and count, and the autoscaling
    range. Only for describing endpoints in words; anything unexpected is just left out."""
    endpoints, current, block, in_endpoints = {}, None, None, False
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        indent = len(line) - len(line.lstrip(" "))
        if indent == 0:
            in_endpoints = line.startswith("endpoints:")
            continue
        if not in_endpoints:
            continue
        m = re.match(r"^  - name: (.+)$", line)
        if m:
            current = {"name": m.group(1).strip().strip("'\"")}
            endpoints[current["name"]] = current
            block = None
            continue
        if current is None:
            continue
        m = re.match(r"^    ([a-z_]+):\s*(.*)$", line)
        if m:
            block = m.group(1)
            if m.group(2):
                current[block] = m.group(2).strip()
            continue
        m = re.match(r"^      (min_capacity|max_capacity):\s*(\S+)$", line)
        if m and block == "autoscaling":
            current["autoscaling." + m.group(1)] = m.group(2)
        if block == "autoscaling":
            current["autoscaling"] = "yes"
    return endpoints


def load_run(folder: str) -> Run:
    with open(os.path.join(folder, "summary.json"), encoding="utf-8") as f:
        summary = json.load(f)
    metrics = pd.read_csv(os.path.join(folder, "metrics.csv"))
    latency = pd.read_csv(os.path.join(folder, "latency.csv"))
    scaling_path = os.path.join(folder, "scaling.csv")
    scaling = pd.read_csv(scaling_path) if os.path.exists(scaling_path) else None
    text = ""
    scenario_path = os.path.join(folder, "scenario.yaml")
    if os.path.exists(scenario_path):
        with open(scenario_path, encoding="utf-8") as f:
            text = f.read()
    return Run(folder, summary, metrics, latency, scaling, text, scenario_endpoints(text))


def _shown(names: list[str], limit: int, which: str = "first") -> tuple[list[str], str]:
    """The first `limit` names, and a line for the title when some were left out."""
    if len(names) <= limit:
        return names, ""
    return names[:limit], (f"\nthe {which} {limit} of {len(names):,} endpoints; all are in "
                           "summary.json and the CSV files")


# ---- Axes helpers -----------------------------------------------------------------------------

def _log_seconds_axis(axis, lo: float, hi: float, max_ticks: int = 10):
    """A log axis of seconds labelled for people: 10 ms, 100 ms, 1 s, 10 s (and 2, 5 or 3
    between decades when there is room for them)."""
    decades = math.log10(hi / lo)
    steps = next((s for s in ((1, 2, 5), (1, 3), (1,)) if decades * len(s) <= max_ticks), (1,))
    ticks = []
    for exponent in range(math.floor(math.log10(lo)) - 1, math.ceil(math.log10(hi)) + 1):
        for m in steps:
            t = m * 10.0 ** exponent
            if lo <= t <= hi:
                ticks.append(t)
    axis.set_major_locator(mticker.FixedLocator(ticks))
    axis.set_major_formatter(mticker.FuncFormatter(lambda x, _: fmt_seconds(x, 2)))
    axis.set_minor_locator(mticker.LogLocator(base=10, subs=range(2, 10)))
    axis.set_minor_formatter(mticker.NullFormatter())


def _time_edges(part: pd.DataFrame, duration_s: float):
    """x positions of the edges of each metrics row (n + 1), how to label them, and whether they
    are dates: minutes or hours since the start for short runs, UTC dates for long ones."""
    start_min = part["minute"].to_numpy(dtype=float)
    end_min = start_min + part["period_s"].to_numpy(dtype=float) / 60.0
    minutes = list(start_min) + [end_min[-1]]
    if duration_s <= 3 * 3600:
        return minutes, "minutes since the start", False
    if duration_s <= 2 * 86400:
        return [m / 60.0 for m in minutes], "hours since the start", False
    t0 = pd.to_datetime(part["timestamp"].iloc[0]).tz_localize(None) - pd.Timedelta(
        minutes=start_min[0])
    base = mdates.date2num(t0.to_pydatetime())
    return [base + m / 1440.0 for m in minutes], "UTC", True


# ---- Plots ------------------------------------------------------------------------------------

def _cdf(run: Run, endpoint: str, cls: str):
    """(upper bin edges, fraction of requests at or below, count) from latency.csv."""
    part = run.latency_bins(endpoint, cls)
    if part is None or part.empty:
        return None
    counts = part["count"].to_numpy(dtype=float)
    total = counts.sum()
    cdf = counts.cumsum() / total
    lower = part["lower_s"].to_numpy(dtype=float)
    upper = part["upper_s"].to_numpy(dtype=float)
    # A step from 0 at the first bin's lower edge up through every bin.
    xs = [lower[0]] + list(upper)
    ys = [0.0] + list(cdf)
    return xs, ys, int(round(total))


def plot_latency_cdf(run: Run, fig):
    """Every endpoint's latency distribution on one shared log axis, p50 and p99 marked; with
    enough requests a second panel shows the tail (fraction slower than x) on a log scale."""
    names = [n for n in run.endpoints if run.value(n, "served") > 0]
    if not names:
        raise Skip("no request was served")
    names, note = _shown(names, MAX_CDF_LINES)
    served = {n: _cdf(run, n, "all")[2] for n in names}
    tail = max(served.values()) >= 100
    fig.set_size_inches(WIDTH, 5.2 + 0.28 * len(names))
    axes = fig.subplots(1, 2 if tail else 1, squeeze=False)[0]
    lo = min(_cdf(run, n, "all")[0][0] for n in names) / 1.25
    hi = max(_cdf(run, n, "all")[0][-1] for n in names) * 1.25
    split = len(names) <= 3  # the minority class (cold, usually) apart too
    reps = int(run.summary["replications"])
    over = f" in {reps} replications" if reps > 1 else ""  # latency.csv pools them
    for n in names:
        color = run.color(n)
        xs, ys, count = _cdf(run, n, "all")
        p50, p99 = run.value(n, "latency_s.p50"), run.value(n, "latency_s.p99")
        label = f"{n}: p50 {fmt_seconds(p50)}, p99 {fmt_seconds(p99)} ({count:,} served{over})"
        axes[0].step(xs, ys, where="post", color=color, lw=2.2, label=label)
        axes[0].plot([p50, p99], [0.5, 0.99], "o", color=color, ms=7, mec="white", mew=1.2)
        if tail:
            exceed = [1 - y for y in ys]
            keep = [i for i, e in enumerate(exceed) if e > 0]
            axes[1].step([xs[i] for i in keep], [exceed[i] for i in keep], where="post",
                         color=color, lw=2.2)
            axes[1].plot([p99], [0.01], "o", color=color, ms=7, mec="white", mew=1.2)
        classes = [(c, _cdf(run, n, c)) for c in ("cold", "warm")]
        classes = [(c, v) for c, v in classes if v is not None and 0 < v[2] < count]
        if split and len(classes) == 2:
            cls, (cx, cy, cn) = min(classes, key=lambda item: item[1][2])
            axes[0].step(cx, cy, where="post", color=color, lw=1.5, ls="--",
                         label=f"{n}, the {cn:,} {cls} requests alone")
    axes[0].set_ylim(0, 1.02)
    axes[0].set_ylabel("fraction answered within x")
    axes[0].yaxis.set_major_formatter(mticker.PercentFormatter(1.0))
    for level in (0.5, 0.99):
        axes[0].axhline(level, color="0.75", lw=0.8, zorder=0)
    axes[0].set_title("distribution (dots: p50, p99)", fontsize=11)
    if tail:
        axes[1].set_yscale("log")
        axes[1].set_ylabel("fraction slower than x")
        axes[1].yaxis.set_major_formatter(mticker.FuncFormatter(lambda y, _: fmt_percent(y)))
        axes[1].set_ylim(top=1.3)
        for level in (0.01, 0.001):
            axes[1].axhline(level, color="0.75", lw=0.8, zorder=0)
        axes[1].set_title("the tail, log scale (dots: p99)", fontsize=11)
    for ax in axes:
        ax.set_xscale("log")
        ax.set_xlim(lo, hi)
        _log_seconds_axis(ax.xaxis, lo, hi, max_ticks=6 if tail else 10)
        ax.set_xlabel("end-to-end latency (log scale)")
        ax.grid(True, which="major", alpha=0.35)
    handles, labels = axes[0].get_legend_handles_labels()
    rows = math.ceil(len(labels) / 2)
    fig.legend(handles, labels, loc="lower center", ncol=2 if len(labels) > 1 else 1,
               fontsize=10, frameon=False)
    fig.suptitle("End-to-end latency, every endpoint on one axis" + note)
    return {"rect": (0, 0.055 * rows + 0.03, 1, 1)}


def _per(period_s: float) -> str:
    names = {60: "per minute", 3600: "per hour", 86400: "per day"}
    return names.get(int(period_s), f"per {fmt_duration(period_s)}")


def _count_axis(ax):
    ax.yaxis.set_major_formatter(mticker.FuncFormatter(lambda v, _: f"{v:,.0f}" if v == round(v)
                                                       else f"{v:g}"))
    ax.yaxis.set_major_locator(mticker.MaxNLocator(nbins=4, integer=True))


def _events_drawn(part: pd.DataFrame) -> list:
    """The rare events of an endpoint's timeline that happen at all: (column, label, color)."""
    series = [("ColdStarts", "cold starts", "tab:red"), ("Throttles", "throttled", "black")]
    return [s for s in series if part[s[0]].sum() > 0]


def _timeline_endpoint(run: Run, axes, name: str, part: pd.DataFrame, edges, per: str):
    """Draws one endpoint's panels: requests; cold starts and throttles (when any);
    containers (workers for a real-time endpoint)."""
    ax = axes[0]
    ax.stairs(part["Invocations"], edges, fill=True, color="0.78", label="requests")
    spill = "ServerlessProvisionedConcurrencySpilloverInvocations"
    if part[spill].sum() > 0:
        ax.stairs(part[spill], edges, baseline=None, color="tab:orange", lw=1.5,
                  label="spilled over to on demand")
    ax.set_ylabel(f"requests\n{per}")
    ax.set_title(name, loc="left", fontsize=11, fontweight="bold")
    events = _events_drawn(part)
    if events:
        ax = axes[1]
        for column, label, color in events:
            ax.stairs(part[column], edges, baseline=None, color=color, lw=1.5, label=label)
        ax.set_ylabel(per)
    ax = axes[-1]
    real_time = run.is_real_time(name)
    unit = "workers" if real_time else "containers"
    busy = part["BusyContainers"].to_numpy()
    idle = part["WarmIdleContainers"].to_numpy()
    starting = part["ProvisioningContainers"].to_numpy()
    ax.stairs(busy, edges, fill=True, color="#4e79a7", label=f"busy {unit}")
    ax.stairs(busy + idle, edges, baseline=busy, fill=True, color="#a0cbe8",
              label=f"idle {unit}" if real_time else "warm idle containers")
    if starting.sum() > 0:
        ax.stairs(busy + idle + starting, edges, baseline=busy + idle, fill=True,
                  color="#f28e2b", label="containers starting (cold start)")
    if not real_time and part["ProvisionedContainers"].sum() > 0:
        ax.stairs(part["ProvisionedContainers"], edges, baseline=None, color="purple", lw=2,
                  label="provisioned capacity held")
    ax.set_ylabel(f"{unit}\n(mean)")


def plot_timeline(run: Run, fig):
    """Per endpoint (replication 0): requests per period with spillovers; cold starts and
    throttles; busy, idle and starting containers against the provisioned capacity held."""
    m = run.metrics[run.metrics["replication"] == 0]
    present = set(m["endpoint"].unique())
    names, note = _shown([n for n in run.endpoints if n in present], MAX_TIMELINE_ENDPOINTS)
    if not names:
        raise Skip("metrics.csv has no rows")
    parts = {n: m[m["endpoint"] == n] for n in names}
    ratios = []
    for n in names:
        ratios += [1.0] + ([0.55] if _events_drawn(parts[n]) else []) + [1.2]
    title_lines = 2 if note else 1
    fig.set_size_inches(WIDTH, 1.2 + 0.25 * title_lines + (1.55 if len(names) == 1 else 1.3)
                        * sum(ratios))
    axes = fig.subplots(len(ratios), 1, sharex=True, gridspec_kw={"height_ratios": ratios},
                        squeeze=False)[:, 0]
    duration = float(run.summary["duration_s"])
    per = _per(float(m["period_s"].iloc[0]))
    at = 0
    for n in names:
        count = 2 + (1 if _events_drawn(parts[n]) else 0)
        edges, label, dates = _time_edges(parts[n], duration)
        _timeline_endpoint(run, axes[at:at + count], n, parts[n], edges, per)
        at += count
    for ax in axes:
        ax.grid(True, alpha=0.3)
        ax.set_ylim(bottom=0)
        _count_axis(ax)
    if dates:
        locator = mdates.AutoDateLocator()
        axes[-1].xaxis.set_major_locator(locator)
        axes[-1].xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    axes[-1].set_xlabel(label)
    legend = {}
    for ax in axes:
        for h, lab in zip(*ax.get_legend_handles_labels()):
            legend.setdefault(lab, h)
    order = ["requests", "spilled over to on demand", "cold starts", "throttled",
             "busy containers", "busy workers", "warm idle containers", "idle workers",
             "containers starting (cold start)", "provisioned capacity held"]
    legend = dict(sorted(legend.items(),
                         key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order)))
    height = fig.get_size_inches()[1]
    fig.legend(legend.values(), legend.keys(), loc="upper center", ncol=4, fontsize=10,
               frameon=False, bbox_to_anchor=(0.5, 1 - (0.2 + 0.22 * title_lines) / height))
    reps = int(run.summary["replications"])
    fig.suptitle("Timeline per endpoint" + (f" (replication 0 of {reps})" if reps > 1 else "")
                 + note)
    rows = math.ceil(len(legend) / 4)
    return {"rect": (0, 0, 1, 1 - (0.1 + 0.27 * rows) / height)}  # tight_layout adds the title


def _bar_labels(names: list[str]) -> list[str]:
    return [n if len(n) <= 24 else n[:22] + "…" for n in names]


def plot_cost(run: Run, fig):
    """What each endpoint cost: the run's total on a log axis with its value written (so a bar
    10,000 times smaller stays readable), and what the cost is made of."""
    names = run.endpoints
    if len(names) > MAX_BARS:  # where the money goes: the most expensive
        names = sorted(names, key=lambda n: -run.value(n, "cost_usd.total"))
    names, note = _shown(names, MAX_BARS, "most expensive")
    totals = [run.value(n, "cost_usd.total") for n in names]
    if not any(t > 0 for t in totals):
        raise Skip("nothing was billed")
    fig.set_size_inches(WIDTH, max(3.6, 2.0 + 0.42 * len(names)))
    ax_total, ax_parts = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.35, 1]})
    y = list(range(len(names)))[::-1]
    positive = [t for t in totals if t > 0]
    lo = 10 ** math.floor(math.log10(min(positive)) - 0.5)
    hi = 10 ** math.ceil(math.log10(max(positive)) + 1.2)  # room for the labels
    for yi, n, t in zip(y, names, totals):
        if t > 0:
            ax_total.barh(yi, t - lo, left=lo, color=run.color(n), height=0.6)
        month = run.value(n, "cost_usd.per_month")
        ax_total.text(max(t, lo) * 1.2, yi,
                      mpl_text(f"{fmt_money(t)}  (≈ {fmt_money(month)} a month)"),
                      va="center", fontsize=10)
    ax_total.set_xscale("log")
    ax_total.set_xlim(lo, hi)
    ax_total.xaxis.set_major_locator(mticker.LogLocator(base=10, numticks=5))
    ax_total.xaxis.set_major_formatter(mticker.FuncFormatter(
        lambda x, _: mpl_text(f"${x:,.0f}" if x >= 1 else f"${_sig(x, 1)}")))
    ax_total.xaxis.set_minor_formatter(mticker.NullFormatter())
    ax_total.set_yticks(y, _bar_labels(names))
    ax_total.set_title("cost of the run (log scale)")
    ax_total.grid(True, axis="x", alpha=0.3)

    parts = [p for p in COST_PARTS if any(run.value(n, f"cost_usd.{p}") > 0 for n in names)]
    left = [0.0] * len(names)
    for p in parts:
        shares = [run.value(n, f"cost_usd.{p}") / t if t > 0 else 0.0
                  for n, t in zip(names, totals)]
        label = COST_LABELS[p]
        if max(shares) < 0.005:  # in the legend, but say why it is not seen
            label += " (under 0.5%)"
        ax_parts.barh(y, shares, left=left, color=COST_COLORS[p], height=0.6, label=label)
        for yi, s, l0 in zip(y, shares, left):
            if s >= 0.12:
                ax_parts.text(l0 + s / 2, yi, fmt_percent(s), ha="center", va="center",
                              fontsize=9)
        left = [a + b for a, b in zip(left, shares)]
    ax_parts.set_xlim(0, 1)
    for ax in (ax_total, ax_parts):  # a lone bar no thicker than one of many
        ax.set_ylim(-0.5 - 0.5 / len(names), len(names) - 0.5 + 0.5 / len(names))
    ax_parts.xaxis.set_major_formatter(mticker.PercentFormatter(1.0))
    ax_parts.set_yticks(y, [""] * len(names))
    ax_parts.set_title("what it is made of")
    handles, labels = ax_parts.get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=min(3, len(labels)), fontsize=10,
               frameon=False)
    total = run.value("total", "cost_usd.total")
    month = run.value("total", "cost_usd.per_month")
    fig.suptitle(mpl_text(f"Cost of the run ({fmt_duration(run.summary['duration_s'])}): "
                          f"{fmt_money(total)}, ≈ {fmt_money(month)} a month extrapolated")
                 + note)
    rows = math.ceil(len(labels) / 3)
    return {"rect": (0, (0.12 + 0.25 * rows) / fig.get_size_inches()[1], 1, 1)}


def plot_cold_start_phases(run: Run, fig):
    """Mean cold-start time per endpoint, split by phase, with the values written on it."""
    names = [n for n in run.endpoints
             if run.value(n, "cold_starts") > 0
             and math.isfinite(run.value(n, "cold_start_phases_mean_s.scheduling"))]
    if not names:
        raise Skip("no cold start in this run")
    names, note = _shown(names, MAX_BARS)
    mean = {n: [run.value(n, f"cold_start_phases_mean_s.{p}") for p in PHASES] for n in names}
    phases = [i for i, _ in enumerate(PHASES) if any(mean[n][i] > 0 for n in names)]
    longest = max(sum(mean[n]) for n in names)
    fig.set_size_inches(WIDTH, max(3.4, 2.2 + 0.7 * len(names)))
    ax = fig.subplots()
    y = list(range(len(names)))[::-1]
    left = [0.0] * len(names)
    one = len(names) == 1
    for i in phases:
        widths = [mean[n][i] for n in names]
        label = PHASES[i].replace("_", " ")
        if one:  # the legend carries every value, small ones included
            label += f" {fmt_seconds(widths[0])}"
        ax.barh(y, widths, left=left, color=PHASE_COLORS[i], height=0.55, label=label,
                edgecolor="white", lw=0.8)
        for yi, w, l0 in zip(y, widths, left):
            if w >= 0.07 * longest:  # room for the value inside the segment
                ax.text(l0 + w / 2, yi, fmt_seconds(w), ha="center", va="center", fontsize=10,
                        color="white", fontweight="bold")
        left = [a + w for a, w in zip(left, widths)]
    for yi, n, total in zip(y, names, left):
        count = run.value(n, "cold_starts")
        ax.text(total + 0.01 * longest, yi, f"{fmt_seconds(total)} in all\n"
                f"({fmt_count(count)} cold start{'s' if count != 1 else ''})",
                va="center", fontsize=10)
    ax.set_xlim(0, longest * 1.28)
    ax.set_yticks(y, _bar_labels(names))
    ax.set_xlabel("mean time per cold start (s)")
    ax.grid(True, axis="x", alpha=0.3)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3 if one else 6, fontsize=9,
              frameon=False)
    fig.suptitle("Where a cold start's time goes" + note)


PLOTS = {
    "latency_cdf": plot_latency_cdf,
    "timeline": plot_timeline,
    "cold_start_phases": plot_cold_start_phases,
    "cost": plot_cost,
}
CAPTIONS = {
    "latency_cdf": "End-to-end latency of served requests, every endpoint on one log axis.",
    "timeline": "Requests and containers over time, per endpoint (replication 0).",
    "cold_start_phases": "Mean time of each cold-start phase.",
    "cost": "Cost of the run per endpoint (log scale, values written) and its parts.",
}


def _atomic_save(fig, path: str):
    ext = os.path.splitext(path)[1]
    tmp = f"{path}.tmp-{os.getpid()}{ext}"
    # No date in SVG metadata, so the same run draws byte-identical SVGs.
    metadata = {"Date": None} if ext == ".svg" else None
    fig.savefig(tmp, dpi=DPI, metadata=metadata)
    os.replace(tmp, path)


def render(run: Run, out_dir: str, formats=("png", "svg")) -> tuple[list[str], dict]:
    """Draws every registered plot into out_dir. Returns the files written and, for each plot
    that had nothing to show, why (its old files, from an earlier run, are removed)."""
    os.makedirs(out_dir, exist_ok=True)
    written, skipped = [], {}
    with plt.rc_context(STYLE):
        for name, draw in PLOTS.items():
            fig = plt.figure(figsize=(WIDTH, 6), dpi=DPI)
            try:
                layout = draw(run, fig) or {}
                fig.tight_layout(rect=layout.get("rect", (0, 0, 1, 1)))
                for fmt in formats:
                    path = os.path.join(out_dir, f"{name}.{fmt}")
                    _atomic_save(fig, path)
                    written.append(path)
            except Skip as why:
                skipped[name] = str(why)
                for fmt in formats:
                    stale = os.path.join(out_dir, f"{name}.{fmt}")
                    if os.path.exists(stale):
                        os.remove(stale)
            finally:
                plt.close(fig)
    return written, skipped
