"""Plots of a plan's folder (`slsim plan ... --out DIR`): the cost / p99 Pareto front, heatmaps of
cost and p99 over the first two grid axes with the objectives' boundary, and report.html leading
with the recommendation. Reads plan.json, sweep.csv and real_time.csv; Debian's
python3-matplotlib and python3-pandas only.
"""
from __future__ import annotations

import html
import json
import math
import os

import matplotlib

matplotlib.use("Agg")
# The same input draws the same SVG, byte for byte (element ids are otherwise random).
matplotlib.rcParams["svg.hashsalt"] = "slsim"
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker as mticker  # noqa: E402
import pandas as pd  # noqa: E402

from slsimplot import _log_seconds_axis, _sig, fmt_money, fmt_seconds, mpl_text  # noqa: E402


FIGSIZE = (10, 6)
DPI = 100
FIGURE_COLUMNS = ("config", "label", "error", "meets", "worst_margin")


def load(folder: str):
    with open(os.path.join(folder, "plan.json"), encoding="utf-8") as f:
        plan = json.load(f)
    sweep = pd.read_csv(os.path.join(folder, "sweep.csv"))
    rt_path = os.path.join(folder, "real_time.csv")
    real_time = pd.read_csv(rt_path) if os.path.exists(rt_path) else pd.DataFrame()
    return plan, sweep, real_time


def grid_axes(sweep: pd.DataFrame) -> list[str]:
    """The grid's columns: those between `config` and `label`."""
    cols = list(sweep.columns)
    return cols[1:cols.index("label")]


def _valid(df: pd.DataFrame) -> pd.DataFrame:
    if df.empty:
        return df
    return df[df["error"].isna() & df["cost_usd.per_month"].notna()]


def _p99_label(plan) -> str:
    return "p99 latency, worst window" if plan.get("window") else "p99 latency"


def plot_pareto(plan, sweep, real_time, fig):
    ax = fig.subplots()
    s = _valid(sweep)
    y = "p99_assessed"
    meets = s["meets"].astype(str) == "True"
    ax.scatter(s.loc[~meets, "cost_usd.per_month"], s.loc[~meets, y], s=18,
               color="darkgray", label="misses an objective", zorder=2)
    ax.scatter(s.loc[meets, "cost_usd.per_month"], s.loc[meets, y], s=22,
               color="tab:blue", label="meets every objective", zorder=3)
    front = s[s["config"].isin(plan.get("pareto_front", []))].sort_values("cost_usd.per_month")
    ax.step(front["cost_usd.per_month"], front[y], where="post", color="tab:blue",
            lw=1, alpha=0.7, label="Pareto front", zorder=2)
    rt = _valid(real_time)
    if not rt.empty:
        ax.scatter(rt["cost_usd.per_month"], rt[y], marker="s", s=24, color="tab:orange",
                   alpha=0.8, label="real-time endpoints (instance type × count)", zorder=3)
        best_rt = plan.get("real_time")
        if best_rt:
            row = rt[rt["label"] == best_rt["description"]]
            ax.annotate(mpl_text(f"cheapest real time meeting them: {best_rt['description']}, "
                                 f"{fmt_money(row['cost_usd.per_month'].iloc[0])} a month"),
                        (row["cost_usd.per_month"].iloc[0], row[y].iloc[0]), fontsize=8,
                        xytext=(15, 40), textcoords="offset points", color="tab:orange",
                        arrowprops=dict(arrowstyle="->", color="tab:orange"))
    rec = plan.get("recommended")
    if rec:
        row = s[s["config"] == rec["config"]]
        ax.scatter(row["cost_usd.per_month"], row[y], marker="*", s=260,
                   color="gold", edgecolor="black", zorder=4,
                   label=mpl_text(f"recommended: {rec['description']}, "
                                  f"{fmt_money(rec['cost_usd_per_month'])} a month"))
    for o in plan.get("objectives", []):  # a p99 ceiling is drawn where the front must pass
        if o.replace(" ", "").startswith("p99<"):
            limit = _objective_seconds(o)
            if limit:
                ax.axhline(limit, color="tab:red", lw=1, ls="--", label=f"objective {o}")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ys = pd.concat([s[y], rt[y]] if not rt.empty else [s[y]]).dropna()
    ys = ys[ys > 0]
    if not ys.empty:
        lo, hi = ys.min() / 1.3, ys.max() * 1.3
        ax.set_ylim(lo, hi)
        _log_seconds_axis(ax.yaxis, lo, hi)
    ax.xaxis.set_major_locator(mticker.LogLocator(base=10, numticks=8))
    ax.xaxis.set_major_formatter(mticker.FuncFormatter(
        lambda x, _: mpl_text(f"${x:,.0f}" if x >= 1 else f"${_sig(x, 1)}")))
    ax.xaxis.set_minor_formatter(mticker.NullFormatter())
    ax.set_xlabel("cost per month (extrapolated from the simulated time; log scale)")
    ax.set_ylabel(f"{_p99_label(plan)} (log scale)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8, loc="best")
    fig.suptitle("Cost against p99 latency, every configuration")


def _objective_seconds(objective: str):
    """The limit of a latency objective such as "p99<=1s" or "p99 < 500ms", in seconds."""
    text = objective.replace(" ", "").split("<")[-1].lstrip("=")
    for unit, scale in (("ms", 1e-3), ("us", 1e-6), ("min", 60.0), ("s", 1.0)):
        if text.endswith(unit):
            try:
                return float(text[:-len(unit)]) * scale
            except ValueError:
                return None
    return None


def _heatmap(ax, s, axes, value, title, fmt, meets_col="meets"):
    a, b = axes
    # For each cell, the cheapest configuration over any further axes.
    best = s.sort_values("cost_usd.per_month").groupby([a, b], sort=False).head(1)
    rows = sorted(best[a].unique(), key=_sort_key)
    cols = sorted(best[b].unique(), key=_sort_key)
    grid = best.pivot(index=a, columns=b, values=value).reindex(index=rows, columns=cols)
    meets = best.pivot(index=a, columns=b, values=meets_col).reindex(index=rows, columns=cols)
    data = grid.to_numpy(dtype=float)
    finite = data[~pd.isna(data)]
    log = len(finite) and finite.min() > 0 and finite.max() / max(finite.min(), 1e-300) > 50
    shown = pd.DataFrame(data).apply(lambda c: c.map(lambda v: math.log10(v) if log and v > 0
                                                      else v)).to_numpy(dtype=float)
    im = ax.imshow(shown, cmap="viridis_r", aspect="auto")
    for i in range(len(rows)):
        for j in range(len(cols)):
            v = data[i, j]
            if pd.isna(v):
                continue
            ok = str(meets.iloc[i, j]) == "True"
            # Dark text on light cells, light on dark (the colour map's own luminance).
            r, g, b_, _ = im.cmap(im.norm(shown[i, j]))
            dark = 0.299 * r + 0.587 * g + 0.114 * b_ > 0.5
            ax.text(j, i, fmt(v), ha="center", va="center", fontsize=7,
                    color="black" if dark else "white", fontweight="bold" if ok else "normal")
            if ok:
                ax.add_patch(plt.Rectangle((j - 0.48, i - 0.48), 0.96, 0.96, fill=False,
                                           ec="red", lw=2))
    ax.set_xticks(range(len(cols)), [str(c) for c in cols], fontsize=8)
    ax.set_yticks(range(len(rows)), [str(r) for r in rows], fontsize=8)
    ax.set_xlabel(b)
    ax.set_ylabel(a)
    ax.set_title(title + (" (colour: log)" if log else ""), fontsize=9)
    return im


def _sort_key(v):
    text = str(v)
    digits = "".join(ch for ch in text if ch.isdigit() or ch == ".")
    try:
        return (0, float(digits), text)
    except ValueError:
        return (1, 0.0, text)


def plot_heatmap(plan, sweep, real_time, fig):
    s = _valid(sweep)
    axes = grid_axes(sweep)
    if len(axes) < 2 or s.empty:
        ax = fig.subplots()
        ax.text(0.5, 0.5, "a heatmap needs a grid of two axes or more", ha="center",
                va="center")
        ax.axis("off")
        return
    left, right = fig.subplots(1, 2)
    _heatmap(left, s, axes[:2], "cost_usd.per_month", "cost per month (lighter: cheaper)",
             lambda v: f"${v:,.0f}" if v >= 10 else fmt_money(v))
    _heatmap(right, s, axes[:2], "p99_assessed", _p99_label(plan) + " (lighter: faster)",
             lambda v: fmt_seconds(v, 3))
    fig.suptitle("Cells boxed in red meet every objective" +
                 (f" (each cell: the cheapest over {', '.join(axes[2:])})" if len(axes) > 2
                  else ""))


PLOTS = {"pareto": plot_pareto, "heatmap": plot_heatmap}


def render(folder: str) -> list[str]:
    plan, sweep, real_time = load(folder)
    out = os.path.join(folder, "plots")
    os.makedirs(out, exist_ok=True)
    written = []
    for name, draw in PLOTS.items():
        fig = plt.figure(figsize=FIGSIZE, dpi=DPI)
        try:
            draw(plan, sweep, real_time, fig)
            fig.tight_layout()
            for ext in ("png", "svg"):
                path = os.path.join(out, f"{name}.{ext}")
                tmp = f"{path}.tmp-{os.getpid()}.{ext}"
                fig.savefig(tmp, dpi=DPI, metadata={"Date": None} if ext == "svg" else None)
                os.replace(tmp, path)
                written.append(path)
        finally:
            plt.close(fig)
    write_report(folder, plan, sweep)
    return written


def write_report(folder: str, plan, sweep):
    text = ""
    plan_txt = os.path.join(folder, "plan.txt")
    if os.path.exists(plan_txt):
        with open(plan_txt, encoding="utf-8") as f:
            text = f.read()
    rec = plan.get("recommended")
    headline = ("No configuration meets every objective." if not rec else
                f"Recommended: <b>{html.escape(rec['description'])}</b>, "
                f"${rec['cost_usd_per_month']:,.2f} a month (extrapolated from the "
                f"{plan['duration_s'] / 3600:.3g} h simulated), meeting "
                f"{', '.join(html.escape(o) for o in plan['objectives'])}.")
    s = _valid(sweep).sort_values("cost_usd.per_month")
    axes = grid_axes(sweep)
    head = "".join(f"<th>{html.escape(c)}</th>" for c in
                   axes + ["meets", "p99 (assessed)", "throttled", "cold", "per month"])
    body = ""
    for _, r in s.head(30).iterrows():
        cells = [str(r[a]) for a in axes] + [
            "yes" if str(r["meets"]) == "True" else "no",
            f"{r['p99_assessed'] * 1000:.0f} ms" if r["p99_assessed"] < 1
            else f"{r['p99_assessed']:.2f} s",
            f"{100 * r['throttle_rate']:.3g}%" if not pd.isna(r["throttle_rate"]) else "–",
            f"{100 * r['cold_start_rate']:.3g}%" if not pd.isna(r["cold_start_rate"]) else "–",
            f"${r['cost_usd.per_month']:,.2f}"]
        body += "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>\n"
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>slsim plan</title>
<style>
body {{ font-family: sans-serif; margin: 2em; color: #222; max-width: 1100px; }}
table {{ border-collapse: collapse; font-size: 0.85em; }}
th, td {{ border: 1px solid #ccc; padding: 0.25em 0.5em; text-align: right; }}
pre {{ background: #f6f6f6; padding: 1em; white-space: pre-wrap; font-size: 0.85em; }}
.answer {{ font-size: 1.15em; background: #eef6ee; padding: 0.8em; border-radius: 6px; }}
</style></head><body>
<h1>slsim plan: {html.escape(os.path.basename(plan['scenario']))}</h1>
<p class="answer">{headline}</p>
<pre>{html.escape(text)}</pre>
<h2>Pictures</h2>
<figure><img src="plots/pareto.png" width="1000" alt="Pareto front"></figure>
<figure><img src="plots/heatmap.png" width="1000" alt="heatmaps"></figure>
<h2>The cheapest 30 configurations</h2>
<table><tr>{head}</tr>
{body}</table>
<p>Data: <a href="plan.json">plan.json</a>, <a href="sweep.csv">sweep.csv</a>,
<a href="real_time.csv">real_time.csv</a>, <a href="plan.txt">plan.txt</a>.</p>
</body></html>
"""
    path = os.path.join(folder, "report.html")
    tmp = f"{path}.tmp-{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(page)
    os.replace(tmp, path)
