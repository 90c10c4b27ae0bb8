#!/usr/bin/env python3
"""The Azure Functions 2019 study: per-function cold-start rates against invocation frequency,
as the idle timeout and the idle-container selection rule change.

    python3 analysis/azure_study.py --slsim build/slsim --results results/azure-2019 \\
        --out analysis/examples/azure-2019

Runs scenarios/azure-2019-sample.yaml (1,350 functions, one endpoint each, a full day) once per
configuration that --results does not hold yet (`slsim run ... --set platform.idle_timeout=T
--set platform.idle_container_selection=R`), then reads each run's summary.json (per-endpoint
requests and cold-start rates) and writes into --out: cold_rate_by_function.png (the ATC'20
view: cold-start rate against invocations per day, and its distribution at 1, 5, 10 and 20
minutes), selection_rule.png (how much the rule moves P(cold)), study.csv (every configuration's
figures) and study.md (the tables of the README). Needs Debian's python3-matplotlib and
python3-pandas.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SCENARIO = os.path.join(HERE, "..", "scenarios", "azure-2019-sample.yaml")
TIMEOUTS = ["10s", "30s", "1min", "5min", "10min", "20min"]
DISTRIBUTION_TIMEOUTS = ["1min", "5min", "10min", "20min"]
RULES = ["most_recently_used", "newest_created", "least_recently_used"]
SHORT = {"most_recently_used": "MRU", "newest_created": "newest", "least_recently_used": "LRU"}
REPLICATIONS = 3
# One function at the arrival rate and warm service time of SimFaaS's README example
# (Mahmoudi & Khazaei, "SimFaaS", 2021: 0.9 requests/s, exponential service of mean 1.991 s),
# with slsim's default cold start, at the short idle timeouts where the rule matters most.
SINGLE = """name: single-function
duration: 2d
endpoints:
  - name: f
    memory: 2048MB
    max_concurrency: 200
    model:
      inference: {exponential: {mean: 1.991s}}
    traffic:
      - {type: poisson, rate: 0.9/s}
"""
SINGLE_TIMEOUTS = ["10s", "30s", "1min"]


def folder(results: str, timeout: str, rule: str) -> str:
    return os.path.join(results, f"{timeout}-{SHORT[rule]}")


def run_missing(slsim: str, results: str) -> None:
    for timeout in TIMEOUTS:
        for rule in RULES:
            out = folder(results, timeout, rule)
            if os.path.exists(os.path.join(out, "summary.json")):
                continue
            command = [slsim, "run", SCENARIO, "--out", out, "-q", "-r", str(REPLICATIONS),
                       "--metrics-period", "1440min",
                       "--set", f"platform.idle_timeout={timeout}",
                       "--set", f"platform.idle_container_selection={rule}"]
            print(" ".join(command), file=sys.stderr)
            subprocess.run(command, check=True)


def run_single(slsim: str, results: str) -> pd.DataFrame:
    scenario = os.path.join(results, "single-function.yaml")
    with open(scenario, "w") as f:
        f.write(SINGLE)
    rows = []
    for timeout in SINGLE_TIMEOUTS:
        for rule in RULES:
            out = os.path.join(results, f"single-{timeout}-{SHORT[rule]}")
            if not os.path.exists(os.path.join(out, "summary.json")):
                subprocess.run([slsim, "run", scenario, "--out", out, "-q", "-r", "4",
                                "--set", f"platform.idle_timeout={timeout}",
                                "--set", f"platform.idle_container_selection={rule}"],
                               check=True)
            with open(os.path.join(out, "summary.json")) as f:
                e = json.load(f)["endpoints"]["f"]
            rows.append({"timeout": timeout, "rule": rule, "requests": e["requests"]["mean"],
                         "p_cold": e["cold_start_rate"]["mean"],
                         "ci95": e["cold_start_rate"]["ci95"]})
    single = pd.DataFrame(rows)
    base = single[single.rule == "most_recently_used"].set_index("timeout")["p_cold"]
    single["p_cold_vs_mru"] = single.apply(lambda r: r.p_cold / base[r.timeout] - 1.0, axis=1)
    return single


def mean(figure):
    return figure["mean"] if isinstance(figure, dict) else figure


containers: dict = {}  # (timeout, rule) → time-averaged containers alive, all functions


def load(results: str) -> pd.DataFrame:
    rows = []
    for timeout in TIMEOUTS:
        for rule in RULES:
            with open(os.path.join(folder(results, timeout, rule), "summary.json")) as f:
                summary = json.load(f)
            containers[(timeout, rule)] = mean(summary["total"]["mean_containers"])
            for name, e in summary["endpoints"].items():
                rows.append({"timeout": timeout, "rule": rule, "function": name,
                             "requests": mean(e["requests"]),
                             "cold_starts": mean(e["cold_starts"]),
                             "throttled": mean(e["outcomes"]["throttled"])})
    df = pd.DataFrame(rows)
    df["cold_rate"] = df["cold_starts"] / df["requests"]
    return df


def overall(df: pd.DataFrame) -> pd.DataFrame:
    g = df.groupby(["timeout", "rule"], sort=False)
    table = pd.DataFrame({
        "requests": g["requests"].sum(),
        "cold_starts": g["cold_starts"].sum(),
        "mean_function_cold_rate": g["cold_rate"].mean(),
        "median_function_cold_rate": g["cold_rate"].median(),
        "functions_always_cold": g["cold_rate"].apply(lambda r: float((r >= 0.999).mean())),
    }).reset_index()
    table["p_cold"] = table["cold_starts"] / table["requests"]
    table["mean_containers"] = [containers[(t, r)] for t, r in zip(table.timeout, table.rule)]
    base = table[table.rule == "most_recently_used"].set_index("timeout")["p_cold"]
    table["p_cold_vs_mru"] = table.apply(lambda r: r.p_cold / base[r.timeout] - 1.0, axis=1)
    return table


def plot_functions(df: pd.DataFrame, out: str) -> None:
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.6))
    mru = df[df.rule == "most_recently_used"]
    colors = plt.cm.viridis(np.linspace(0, 0.85, len(DISTRIBUTION_TIMEOUTS)))
    edges = np.logspace(0, np.log10(mru.requests.max()) + 0.01, 16)
    for timeout, color in zip(DISTRIBUTION_TIMEOUTS, colors):
        d = mru[mru.timeout == timeout]
        left.scatter(d.requests, d.cold_rate, s=4, alpha=0.25, color=color)
        bins = pd.cut(d.requests, edges)
        med = d.groupby(bins, observed=True).agg(x=("requests", "median"), y=("cold_rate", "median"))
        left.plot(med.x, med.y, color=color, lw=2, label=f"idle timeout {timeout} (median)")
        rates = np.sort(d.cold_rate.values)
        right.step(rates, np.arange(1, len(rates) + 1) / len(rates), where="post", color=color,
                   lw=2, label=f"{timeout}: median {np.median(rates):.2f}")
    left.set_xscale("log")
    left.set_xlabel("invocations per day (function)")
    left.set_ylabel("cold-start rate (cold starts / requests)")
    left.set_title("1,350 Azure functions, one day: rarely invoked ones are cold")
    left.legend(fontsize=8)
    left.grid(alpha=0.3)
    right.set_xlabel("cold-start rate of a function")
    right.set_ylabel("fraction of functions ≤ x")
    right.set_title("distribution over functions (most recently used)")
    right.legend(fontsize=8, loc="lower right")
    right.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(os.path.join(out, "cold_rate_by_function.png"), dpi=110)
    plt.close(fig)


def plot_rules(table: pd.DataFrame, single: pd.DataFrame, out: str) -> None:
    fig, (left, right, third) = plt.subplots(1, 3, figsize=(16, 4.2),
                                             gridspec_kw={"width_ratios": [1.2, 1.2, 0.8]})
    x = np.arange(len(TIMEOUTS))
    for k, rule in enumerate(RULES):
        t = table[table.rule == rule].set_index("timeout").loc[TIMEOUTS]
        left.plot(x, 100 * t.p_cold, marker="o", label=rule)
        right.bar(x + (k - 1) * 0.27, 100 * t.p_cold_vs_mru, width=0.27, label=rule)
    for ax in (left, right):
        ax.set_xticks(x, TIMEOUTS)
        ax.set_xlabel("idle timeout")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    left.set_ylabel("P(cold), all requests (%)")
    left.set_yscale("log")
    left.set_title("cold requests by idle-container selection rule")
    right.set_ylabel("P(cold) relative to most recently used (%)")
    right.set_title("what the rule moves: the 1,350 functions")
    xs = np.arange(len(SINGLE_TIMEOUTS))
    for k, rule in enumerate(RULES[1:]):
        t = single[single.rule == rule].set_index("timeout").loc[SINGLE_TIMEOUTS]
        third.bar(xs + (k - 0.5) * 0.35, 100 * t.p_cold_vs_mru, width=0.35, label=rule,
                  color=f"C{k + 1}")
    third.set_xticks(xs, SINGLE_TIMEOUTS)
    third.set_xlabel("idle timeout")
    third.set_title("one function, 0.9/s (SimFaaS's example)")
    third.grid(alpha=0.3)
    third.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(os.path.join(out, "selection_rule.png"), dpi=110)
    plt.close(fig)


def markdown(table: pd.DataFrame, df: pd.DataFrame, single: pd.DataFrame) -> str:
    lines = ["| idle timeout | rule | P(cold) | vs MRU | containers alive (mean) | mean function "
             "cold rate | median | functions always cold |", "|---|---|---|---|---|---|---|---|"]
    for _, r in table.iterrows():
        lines.append(f"| {r.timeout} | {SHORT[r.rule]} | {100 * r.p_cold:.2f} % "
                     f"| {100 * r.p_cold_vs_mru:+.1f} % | {r.mean_containers:,.0f} | "
                     f"{r.mean_function_cold_rate:.3f} | "
                     f"{r.median_function_cold_rate:.3f} | {100 * r.functions_always_cold:.1f} % |")
    mru = df[df.rule == "most_recently_used"]
    lines += ["", "| invocations per day | functions | cold-start rate at 1 / 5 / 10 / 20 min "
              "(median) |", "|---|---|---|"]
    edges = [0, 10, 100, 1000, 10000, 1e9]
    labels = ["1–10", "11–100", "101–1,000", "1,001–10,000", "> 10,000"]
    for lo, hi, label in zip(edges, edges[1:], labels):
        sel = mru[(mru.requests > lo) & (mru.requests <= hi)]
        meds = [sel[sel.timeout == t].cold_rate.median() for t in DISTRIBUTION_TIMEOUTS]
        n = sel[sel.timeout == "5min"].shape[0]
        lines.append(f"| {label} | {n} | " + " / ".join(f"{m:.3f}" for m in meds) + " |")
    lines += ["", "| one function, 0.9/s: idle timeout | P(cold) MRU | newest created | LRU |",
              "|---|---|---|---|"]
    for timeout in SINGLE_TIMEOUTS:
        t = single[single.timeout == timeout].set_index("rule")
        cells = [f"{100 * t.p_cold['most_recently_used']:.2f} %"]
        for rule in RULES[1:]:
            cells.append(f"{100 * t.p_cold[rule]:.3f} % ({100 * t.p_cold_vs_mru[rule]:+.1f} %)")
        lines.append(f"| {timeout} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slsim", default=os.path.join(HERE, "..", "build", "slsim"))
    parser.add_argument("--results", required=True, help="folder for the runs' result folders")
    parser.add_argument("--out", required=True, help="folder for the plots and tables")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    run_missing(args.slsim, args.results)
    df = load(args.results)
    table = overall(df)
    table.to_csv(os.path.join(args.out, "study.csv"), index=False)
    plot_functions(df, args.out)
    single = run_single(args.slsim, args.results)
    single.to_csv(os.path.join(args.out, "single_function.csv"), index=False)
    plot_rules(table, single, args.out)
    text = markdown(table, df, single)
    with open(os.path.join(args.out, "study.md"), "w") as f:
        f.write(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
