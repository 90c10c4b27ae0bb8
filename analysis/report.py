"""report.html: one self-contained page per run (summary table, plots, scenario), offline."""
from __future__ import annotations

import html
import math
import os

from slsimplot import PLOTS, Run, value

COLUMNS = [
    ("requests", "requests", "{:.0f}"),
    ("outcomes.warm", "warm", "{:.0f}"),
    ("outcomes.cold", "cold", "{:.0f}"),
    ("outcomes.spillover", "spillover", "{:.0f}"),
    ("outcomes.throttled", "throttled", "{:.0f}"),
    ("outcomes.rejected", "rejected", "{:.0f}"),
    ("cold_start_rate", "cold %", "pct"),
    ("latency_s.mean", "mean", "s"),
    ("latency_s.p50", "p50", "s"),
    ("latency_s.p90", "p90", "s"),
    ("latency_s.p99", "p99", "s"),
    ("latency_s.p999", "p99.9", "s"),
    ("latency_s.max", "max", "s"),
    ("container_seconds", "container-s", "{:.1f}"),
    ("cost_usd.total", "cost $", "{:.4g}"),
]


def _get(d: dict, path: str):
    for key in path.split("."):
        d = d[key]
    return d


def _fmt(raw, style: str) -> str:
    v = value(raw)
    if math.isnan(v):
        return "–"
    if style == "pct":
        text = f"{100 * v:.2f}%"
    elif style == "s":
        text = f"{v * 1000:.1f} ms" if v < 1 else f"{v:.2f} s"
    else:
        text = style.format(v)
    if isinstance(raw, dict) and raw.get("ci95") is not None:
        ci = raw["ci95"]
        if style == "pct":
            text += f" ± {ci * 100:.2f}%"
        elif style == "s":
            text += f" ± {ci * 1000:.1f} ms" if ci < 1 else f" ± {ci:.2f} s"
        else:
            text += " ± " + style.format(ci)
    return text


def write_report(run: Run, plot_dir_name: str = "plots") -> str:
    s = run.summary
    rows = [(n, s["endpoints"][n]) for n in run.endpoints]
    if len(rows) > 1:
        rows.append(("total", s["total"]))
    head = "".join(f"<th>{html.escape(label)}</th>" for _, label, _ in COLUMNS)
    body = ""
    for name, figures in rows:
        cells = "".join(f"<td>{html.escape(_fmt(_get(figures, path), style))}</td>"
                        for path, _, style in COLUMNS)
        body += f"<tr><th>{html.escape(name)}</th>{cells}</tr>\n"
    plots = ""
    for name in PLOTS:
        png = f"{plot_dir_name}/{name}.png"
        svg = f"{plot_dir_name}/{name}.svg"
        plots += (f'<figure><a href="{svg}"><img src="{png}" alt="{name}" width="1000"></a>'
                  f"<figcaption>{name.replace('_', ' ')} (<a href=\"{svg}\">SVG</a>)</figcaption></figure>\n")
    scenario_text = ""
    scenario_path = os.path.join(run.folder, "scenario.yaml")
    if os.path.exists(scenario_path):
        with open(scenario_path, encoding="utf-8") as f:
            scenario_text = f.read()
    reps = s["replications"]
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>slsim: {html.escape(s['scenario'])}</title>
<style>
body {{ font-family: sans-serif; margin: 2em; color: #222; }}
table {{ border-collapse: collapse; font-size: 0.85em; }}
th, td {{ border: 1px solid #ccc; padding: 0.25em 0.5em; text-align: right; }}
tr th:first-child {{ text-align: left; }}
pre {{ background: #f6f6f6; padding: 1em; overflow-x: auto; }}
figure {{ margin: 1.5em 0; }}
</style></head><body>
<h1>slsim run: {html.escape(s['scenario'])}</h1>
<p>seed {s['seed']}, {reps} replication{'s' if reps != 1 else ''}{' (mean ± 95% CI)' if reps > 1 else ''};
latency quantiles within {100 * s.get('latency_relative_error', 0.01):.2f}% (log-binned histogram).
Files: <a href="summary.json">summary.json</a>, <a href="metrics.csv">metrics.csv</a>,
<a href="latency.csv">latency.csv</a>, <a href="scenario.yaml">scenario.yaml</a>.</p>
<h2>Summary</h2>
<table><tr><th>endpoint</th>{head}</tr>
{body}</table>
<h2>Plots</h2>
{plots}
<h2>Scenario</h2>
<pre>{html.escape(scenario_text)}</pre>
</body></html>
"""
    path = os.path.join(run.folder, "report.html")
    tmp = f"{path}.tmp-{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(page)
    os.replace(tmp, path)
    return path
