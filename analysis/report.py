"""report.html: one self-contained page per run, offline. It opens with the answer (per endpoint:
p50 and p99 latency, cold-start and throttled rates, cost for the run and per month, in plain
words), the service-level verdicts when the run had --slo, then the plots, the detailed figures,
the data files and the scenario as run."""
from __future__ import annotations

import html
import math
import os
import re

from slsimplot import (CAPTIONS, PLOTS, Run, _sig, ci95, fmt_count, fmt_duration, fmt_money,
                       fmt_percent, fmt_seconds, value)

MAX_SENTENCES = 12  # endpoints described in words; the table has more
MAX_ROWS = 100      # rows of each table; summary.json has every endpoint
MAX_SLO_ENDPOINTS = 10  # per objective, the endpoints with the smallest margins

DATA_FILES = [  # (file, what it holds), in the order the page lists them
    ("summary.json", "every figure per endpoint and in total, mean ± 95% CI over replications"),
    ("metrics.csv", "per endpoint and metrics period: CloudWatch metrics, containers, cost"),
    ("latency.csv", "latency histograms (all, warm, cold) per endpoint and in total"),
    ("scaling.csv", "autoscaling activities and scheduled actions"),
    ("requests.csv", "one row per request"),
    ("scenario.yaml", "the scenario exactly as it ran: rerun it with slsim run scenario.yaml"),
]

UNIT_FORMAT = {  # how a figure's unit is written, by the figure's name
    "latency": fmt_seconds,
    "rate": fmt_percent,
    "cost": fmt_money,
}


def _esc(text) -> str:
    return html.escape(str(text))


def _kind(figure: str) -> str:
    if figure.startswith("cost_usd."):
        return "cost"
    if figure.endswith("_rate"):
        return "rate"
    return "latency"  # latency_*_s and mean_wait_s


def _with_ci(raw, fmt) -> str:
    """A figure for a table cell: "210 ms", or "210 ms ± 12 ms" when replications differ."""
    v = value(raw)
    if not math.isfinite(v):
        return "–"
    text = _esc(fmt(v))
    c = ci95(raw)
    if math.isfinite(c) and c > 0 and v != 0:
        text += f' <span class="ci">± {_esc(fmt(c))}</span>'
    return text


def _memory(text: str) -> str:
    """ "4096MB" -> "4 GB", "2GB" -> "2 GB"; anything else as written."""
    m = re.fullmatch(r"(\d+)\s*(MB|GB)", text.strip())
    if not m:
        return text
    mb = int(m.group(1)) * (1024 if m.group(2) == "GB" else 1)
    return f"{mb // 1024} GB" if mb % 1024 == 0 else f"{mb:,} MB"


def _describe(run: Run, name: str) -> str:
    """What the endpoint is, from scenario.yaml: "serverless, 2 GB, max concurrency 50,
    provisioned concurrency 12", "real-time, ml.m5.large × 1"."""
    c = run.config.get(name, {})
    if not c:
        return ""
    scaled = ""
    if c.get("autoscaling"):
        lo, hi = c.get("autoscaling.min_capacity"), c.get("autoscaling.max_capacity")
        scaled = f"autoscaled {lo}–{hi}" if lo and hi else "autoscaled"
    if c.get("kind") == "real_time":
        parts = ["real-time", f"{c.get('instance_type', '?')} × {c.get('instance_count', 1)}"]
        if c.get("workers_per_instance"):
            parts.append(f"{c['workers_per_instance']} workers each")
        if scaled:
            parts.append(scaled + " instances")
        return ", ".join(parts)
    parts = ["serverless"]
    if c.get("memory"):
        parts.append(_memory(c["memory"]))
    if c.get("max_concurrency"):
        parts.append(f"max concurrency {c['max_concurrency']}")
    if scaled:
        parts.append(f"provisioned concurrency {scaled}")
    elif c.get("provisioned_concurrency", "0") not in ("0", ""):
        parts.append(f"provisioned concurrency {c['provisioned_concurrency']}")
    else:
        parts.append("on demand")
    return ", ".join(parts)


def _share(count: float, requests: float, what: str) -> str:
    """ "none was cold", "all 5 were cold", "32 of 9,598 (0.33%) were cold". """
    if not requests or not math.isfinite(count):
        return ""
    if count == 0:
        return f"none was {what}"
    if count == requests:
        return f"all {fmt_count(requests)} were {what}"
    return f"{fmt_count(count)} of {fmt_count(requests)} ({fmt_percent(count / requests)}) " \
           f"were {what}"


def _sentence(run: Run, name: str) -> str:
    v = lambda path: run.value(name, path)  # noqa: E731
    requests, served = v("requests"), v("served")
    words = []
    if served > 0:
        words.append(f"half of the answers came within <b>{fmt_seconds(v('latency_s.p50'))}</b>"
                     f" and 99% within <b>{fmt_seconds(v('latency_s.p99'))}</b>"
                     + (f" (only {fmt_count(served)} requests: the quantiles are rough)"
                        if served < 100 else ""))
    else:
        words.append("no request was served")
    if run.is_real_time(name):
        words.append(f"requests waited {fmt_seconds(v('mean_wait_s'))} on average for a worker "
                     "(a real-time endpoint queues; it neither cold-starts nor throttles)")
    else:
        words.append(_share(v("cold_starts"), requests, "cold"))
        words.append(_share(v("outcomes.throttled"), requests, "throttled"))
    rejected = v("outcomes.rejected")
    if rejected > 0:
        words.append(_share(rejected, requests, "rejected, timed out or failed to start"))
    cost = (f"The {fmt_duration(run.summary['duration_s'])} run cost <b>{fmt_money(v('cost_usd.total'))}"
            f"</b>; a month of the same traffic would cost about "
            f"<b>{fmt_money(v('cost_usd.per_month'))}</b>*.")
    body = "; ".join(w for w in words if w)
    what = _describe(run, name)
    return f"<p><b>{_esc(name)}</b>{f' ({_esc(what)})' if what else ''}: {body}. {cost}</p>"


def _answer_table(run: Run, names: list[str]) -> str:
    columns = [
        ("requests", "requests", fmt_count),
        ("latency_s.p50", "p50", fmt_seconds),
        ("latency_s.p99", "p99", fmt_seconds),
        ("cold_start_rate", "cold starts", fmt_percent),
        ("throttle_rate", "throttled", fmt_percent),
        ("error_rate", "errors", fmt_percent),
        ("cost_usd.total", "cost of the run", fmt_money),
        ("cost_usd.per_month", "per month*", fmt_money),
    ]
    rows = names + (["total"] if len(run.endpoints) > 1 else [])
    # A rate that is zero everywhere is said once, under the table, instead of a column of 0%.
    zero = [label for path, label, _ in columns[3:6]
            if all(run.value(n, path) in (0.0,) or not math.isfinite(run.value(n, path))
                   for n in rows)]
    shown = [c for c in columns if c[1] not in zero]
    head = "".join(f"<th>{_esc(label)}</th>" for _, label, _ in shown)
    body = ""
    for n in rows:
        cells = "".join(f"<td>{_with_ci(run.figure(n, path), fmt)}</td>"
                        for path, _, fmt in shown)
        label = "all endpoints" if n == "total" else n
        cls = ' class="total"' if n == "total" else ""
        body += f"<tr{cls}><th>{_esc(label)}</th>{cells}</tr>\n"
    note = ""
    if zero:
        words = {"cold starts": "cold", "throttled": "throttled", "errors": "in error"}
        said = [words[z] for z in zero]
        said = ", ".join(said[:-1]) + " or " + said[-1] if len(said) > 1 else said[0]
        note = f"<p class=\"note\">No request was {said}, on any endpoint.</p>"
    return f'<div class="wide"><table><tr><th>endpoint</th>{head}</tr>\n{body}</table></div>\n{note}'


def _margin_order(v: dict) -> float:
    """Sort key: the worst verdicts first; a miss without a margin (none served) is the worst."""
    if v["margin"] is None:
        return -math.inf if not v["holds"] else math.inf
    return v["margin"]


def _format_margin(margin: float | None) -> str:
    """A margin as a percentage of the limit, rounded as `slsim run` prints it (slo_check.cpp):
    whole percents from 10 %, one decimal from 1 %, two below."""
    if margin is None or not math.isfinite(margin):
        return "–"
    percent = 100 * margin
    decimals = 0 if abs(percent) >= 10 else 1 if abs(percent) >= 1 else 2
    return f"{percent:+,.{decimals}f}%"


def _slo_section(run: Run) -> str:
    verdicts = run.summary.get("slo")
    if verdicts is None:
        return ""
    shown, left_out, left_out_verdicts = [], [], []
    for objective in dict.fromkeys(v["objective"] for v in verdicts):
        mine = [v for v in verdicts if v["objective"] == objective]
        # With one endpoint, the total is that endpoint again.
        total = [v for v in mine if v["endpoint"] == "total" and len(run.endpoints) > 1]
        rest = [v for v in mine if v["endpoint"] != "total"]
        if len(rest) > MAX_SLO_ENDPOINTS:  # the worst margins first; the rest counted below
            rest.sort(key=_margin_order)
            hidden = rest[MAX_SLO_ENDPOINTS:]
            left_out_verdicts += hidden
            rest = rest[:MAX_SLO_ENDPOINTS]
            missed = sum(1 for v in hidden if not v["holds"])
            left_out.append(f"<code>{_esc(objective)}</code>: {len(hidden):,} more endpoints, "
                            f"{missed:,} of them missed")
        shown += total + rest
    rows, any_unsure = "", False
    for v in shown:
        fmt = UNIT_FORMAT[_kind(v["figure"])]
        raw = run.figure(v["endpoint"], v["figure"])
        # No value: no request of its kind (holds), or a latency or wait objective where requests
        # arrived and none was served (missed; slsim's judge() in slo.hpp).
        no_value = "no data" if v["holds"] else "none served"
        value_text = _with_ci(raw, fmt) if v["value"] is not None else no_value
        c = ci95(raw)
        unsure = (v["value"] is not None and math.isfinite(c) and c > 0
                  and abs(v["value"] - v["limit"]) <= c)
        verdict = "holds" if v["holds"] else "missed"
        if v["value"] is None and v["holds"]:
            verdict = "holds (no data)"
        css = "holds" if v["holds"] else "missed"
        margin = _format_margin(v["margin"])
        if unsure:
            verdict += " ?"
            any_unsure = True
        where = "all endpoints" if v["endpoint"] == "total" else v["endpoint"]
        rows += (f"<tr><td><code>{_esc(v['objective'])}</code></td><th>{_esc(where)}</th>"
                 f"<td>{value_text}</td><td class=\"{css}\">{_esc(verdict)}</td>"
                 f"<td>{_esc(margin)}</td></tr>\n")
    capped = ""
    if left_out:
        capped = (f"Only the {MAX_SLO_ENDPOINTS} endpoints with the smallest margins are listed "
                  "per objective; " + "; ".join(left_out) + " (all are in summary.json). ")
    met = sum(1 for v in shown if v["holds"]) + sum(1 for v in left_out_verdicts if v["holds"])
    counted = len(shown) + len(left_out_verdicts)
    reps = int(run.summary["replications"])
    explain = "Each value is the mean over the replications. " if reps > 1 else ""
    if any_unsure:
        explain += ("<b>?</b> marks a verdict whose limit lies within the value's 95% "
                    "confidence interval: more replications would settle it. ")
    return (f"<h2>Service-level objectives: {met} of {counted} verdicts hold</h2>\n"
            f'<div class="wide"><table class="slo"><tr><th>objective</th><th>where</th>'
            f"<th>value</th><th>verdict</th><th>margin (of the limit)</th></tr>\n{rows}"
            f"</table></div>\n<p class=\"note\">{capped}{explain}The margin is how far inside the objective the value "
            "is, as a share of the limit; negative when missed.</p>\n")


def _fmt_containers(v: float) -> str:
    return "< 0.01" if 0 < abs(v) < 0.01 else _sig(v, 3)


DETAILS = [  # (title, [(figure, header, formatter)]): the tables after the plots
    ("Requests by outcome", [
        ("requests", "requests", fmt_count),
        ("outcomes.warm", "warm", fmt_count),
        ("outcomes.cold", "cold, not spilled over", fmt_count),
        ("outcomes.spillover", "spilled over, warm or cold", fmt_count),
        ("outcomes.throttled", "throttled", fmt_count),
        ("outcomes.rejected", "rejected", fmt_count),
        ("provisioned_busy_rate", "found provisioned busy", fmt_percent),
    ]),
    ("Latency of served requests", [
        ("latency_s.mean", "mean", fmt_seconds),
        ("latency_s.p50", "p50", fmt_seconds),
        ("latency_s.p90", "p90", fmt_seconds),
        ("latency_s.p99", "p99", fmt_seconds),
        ("latency_s.p999", "p99.9", fmt_seconds),
        ("latency_s.max", "max", fmt_seconds),
        ("latency_warm_s.p99", "warm p99", fmt_seconds),
        ("latency_cold_s.p99", "cold p99", fmt_seconds),
        ("mean_wait_s", "mean wait", fmt_seconds),
    ]),
    ("Capacity and cost", [
        ("mean_busy_containers", "mean busy", _fmt_containers),
        ("max_busy_containers", "max busy", fmt_count),
        ("mean_provisioned_capacity", "mean provisioned", _fmt_containers),
        ("scaling_activities", "scaling activities", fmt_count),
        ("cost_usd.on_demand_inference", "on-demand inference", fmt_money),
        ("cost_usd.provisioned_concurrency", "provisioned concurrency", fmt_money),
        ("cost_usd.provisioned_inference", "provisioned inference", fmt_money),
        ("cost_usd.data_processing", "data processing", fmt_money),
        ("cost_usd.instances", "real-time instances", fmt_money),
        ("cost_usd.per_1000_requests", "cost per 1,000 requests", fmt_money),
    ]),
]


def _detail_table(run: Run, names: list[str], columns) -> str:
    rows = names + (["total"] if len(run.endpoints) > 1 else [])
    # Columns that are zero or undefined everywhere say nothing: left out, and named below.
    empty, shown = [], []
    for column in columns:
        values = [run.value(n, column[0]) for n in rows]
        (shown if any(math.isfinite(x) and x != 0 for x in values) else empty).append(column)
    head = "".join(f"<th>{_esc(label)}</th>" for _, label, _ in shown)
    body = ""
    for n in rows:
        cells = "".join(f"<td>{_with_ci(run.figure(n, path), fmt)}</td>"
                        for path, _, fmt in shown)
        cls = ' class="total"' if n == "total" else ""
        body += f"<tr{cls}><th>{_esc('all endpoints' if n == 'total' else n)}</th>{cells}</tr>\n"
    note = ""
    if empty:
        note = ("<p class=\"note\">Zero or undefined for every endpoint, so not shown: "
                + ", ".join(_esc(label) for _, label, _ in empty) + ".</p>")
    return (f'<div class="wide"><table><tr><th>endpoint</th>{head}</tr>\n{body}</table></div>\n'
            f"{note}")


def _details(run: Run, names: list[str]) -> str:
    return "".join(f"<h3>{_esc(title)}</h3>\n{_detail_table(run, names, columns)}"
                   for title, columns in DETAILS)


def _size(path: str) -> str:
    n = os.path.getsize(path)
    for unit, scale in (("MB", 1e6), ("kB", 1e3)):
        if n >= scale:
            return f"{_sig(n / scale, 2)} {unit}"
    return f"{n} bytes"


def _files(run: Run) -> str:
    items = ""
    for name, what in DATA_FILES:
        path = os.path.join(run.folder, name)
        if not os.path.exists(path):
            continue
        size = _size(path)
        if name == "scaling.csv" and run.scaling is not None and run.scaling.empty:
            size += ", only its header: nothing scaled"
        items += f'<li><a href="{_esc(name)}">{_esc(name)}</a> ({size}): {_esc(what)}</li>\n'
    return (f"<ul>\n{items}</ul>\n<p class=\"note\">Every field and column, with its unit, is "
            "described in slsim's <code>scenarios/README.md</code>, section \"Output files\".</p>")


def _plots(skipped: dict, plot_dir: str) -> str:
    out = ""
    for name in PLOTS:
        if name in skipped:
            out += f"<p class=\"note\">No {_esc(name.replace('_', ' '))} plot: " \
                   f"{_esc(skipped[name])}.</p>\n"
            continue
        png, svg = f"{plot_dir}/{name}.png", f"{plot_dir}/{name}.svg"
        out += (f'<figure><a href="{svg}"><img src="{png}" alt="{_esc(CAPTIONS[name])}"></a>'
                f"<figcaption>{_esc(CAPTIONS[name])} (<a href=\"{svg}\">SVG</a>)</figcaption>"
                "</figure>\n")
    return out


STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1060px; color: #222;
       line-height: 1.45; padding: 0 1em; }
h1 { margin-bottom: 0.2em; } h2 { margin-top: 1.6em; border-bottom: 1px solid #ddd; }
.sub { color: #555; margin-top: 0; }
table { border-collapse: collapse; font-size: 0.92em; margin: 0.6em 0; }
th, td { border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: right; white-space: nowrap; }
tr th:first-child, td:first-child { text-align: left; }
tr:first-child th { white-space: normal; vertical-align: bottom; }
tr.total { background: #f3f3f3; font-weight: 600; }
.ci { color: #777; font-size: 0.8em; display: block; }
.holds { color: #1a7f37; font-weight: 600; } .missed { color: #c62828; font-weight: 600; }
.note { color: #555; font-size: 0.9em; }
.answer p { margin: 0.5em 0; }
pre { background: #f6f6f6; padding: 1em; overflow-x: auto; font-size: 0.85em; }
figure { margin: 1.5em 0; } figure img { width: 100%; max-width: 1000px; }
.wide { overflow-x: auto; }
table.slo th { text-align: left; }
"""


def write_report(run: Run, skipped: dict | None = None, plot_dir_name: str = "plots") -> str:
    s = run.summary
    skipped = skipped or {}
    names = run.endpoints[:MAX_ROWS]
    more = len(run.endpoints) - len(names)
    more_note = (f"<p class=\"note\">The first {len(names):,} of {len(run.endpoints):,} "
                 "endpoints; summary.json has them all.</p>\n" if more else "")
    sentences = "".join(_sentence(run, n) for n in run.endpoints[:MAX_SENTENCES])
    if len(run.endpoints) > MAX_SENTENCES:
        sentences += (f"<p class=\"note\">…and {len(run.endpoints) - MAX_SENTENCES:,} more "
                      "endpoints, in the table below.</p>")
    if len(run.endpoints) > 1:
        t = lambda path: run.value("total", path)  # noqa: E731
        sentences += (f"<p><b>All endpoints together</b>: {fmt_money(t('cost_usd.total'))} for "
                      f"the run, about {fmt_money(t('cost_usd.per_month'))} a month*.</p>")
    reps = int(s["replications"])
    if reps > 1:
        sentences += (f"<p class=\"note\">Counts, latencies and costs are per replication, "
                      f"averaged over the {reps} replications.</p>")
    description = ""
    for line in run.scenario_text.splitlines():
        if line.startswith("description:"):
            description = line.split(":", 1)[1].strip()
    start = s.get("start", "").replace("T", " ").replace("Z", " UTC")
    facts = (f"{fmt_duration(s['duration_s'])} of traffic from {start}; seed {s['seed']}; "
             f"{reps} replication{'s' if reps != 1 else ''}"
             + (" (figures are means, ± their 95% confidence interval)" if reps > 1 else "")
             + f"; slsim {s.get('run', {}).get('slsim_version', '?')}.")
    skipped_rows = int(s.get("run", {}).get("skipped_trace_rows", 0))
    if skipped_rows:
        facts += (f" {skipped_rows:,} bad trace row{'s were' if skipped_rows != 1 else ' was'} "
                  f"left out (--skip-bad-rows); the first: "
                  f"{s['run'].get('first_skipped_trace_row', '?')}")

    month_note = (f"* Per month: the run's cost scaled from its {fmt_duration(s['duration_s'])} "
                  "to an average month (30.4 days), as if its traffic went on the same way: an "
                  "extrapolation, not a forecast.")
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>slsim: {_esc(s['scenario'])}</title>
<style>{STYLE}</style></head><body>
<h1>{_esc(s['scenario'])}</h1>
<p class="sub">{_esc(description) + '<br>' if description else ''}{_esc(facts)}</p>
{_slo_section(run)}
<h2>The answer</h2>
<div class="answer">
{sentences}
</div>
{_answer_table(run, names)}
{more_note}<p class="note">{_esc(month_note)} Latency quantiles are within
{_esc(fmt_percent(s.get('latency_relative_error', 0.0078)))} of the exact ones (log-binned
histograms).</p>
<h2>Plots</h2>
{_plots(skipped, plot_dir_name)}
<h2>Details</h2>
{_details(run, names)}
{more_note}<h2>Data files</h2>
{_files(run)}
<h2>The scenario as run</h2>
<pre>{_esc(run.scenario_text)}</pre>
</body></html>
"""
    path = os.path.join(run.folder, "report.html")
    tmp = f"{path}.tmp-{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(page)
    os.replace(tmp, path)
    return path
