"""The plot scripts and report.html, on the bundled result folders and on runs made here with
slsim (SLSIM_BINARY, default build/slsim): what a planner reads is there, formatted for people,
and the plots hold to what they promise (one shared latency axis, steps per endpoint, readable
cost bars, zero parts out of legends, capped panels for many endpoints)."""
import html.parser
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "analysis"))

import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import StepPatch  # noqa: E402

import report  # noqa: E402
import slsimplot  # noqa: E402

EXAMPLES = os.path.join(ROOT, "analysis", "examples")
SLSIM = os.environ.get("SLSIM_BINARY", os.path.join(ROOT, "build", "slsim"))
PLOTS = ["latency_cdf", "timeline", "cold_start_phases", "cost"]


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", head[16:24])


class Page(html.parser.HTMLParser):
    """The report's links, headings and text."""

    def __init__(self):
        super().__init__()
        self.targets, self.headings, self.text = [], [], []
        self._heading = None

    def handle_starttag(self, tag, attrs):
        for name, v in attrs:
            if name in ("src", "href") and v:
                self.targets.append(v)
        if tag in ("h1", "h2", "h3"):
            self._heading = ""

    def handle_endtag(self, tag):
        if tag in ("h1", "h2", "h3") and self._heading is not None:
            self.headings.append(self._heading.strip())
            self._heading = None

    def handle_data(self, data):
        self.text.append(data)
        if self._heading is not None:
            self._heading += data


def read_page(folder):
    page = Page()
    with open(os.path.join(folder, "report.html"), encoding="utf-8") as f:
        page.feed(f.read())
    page.all_text = " ".join(page.text)
    return page


def draw(run, name):
    """Draws one plot as render() does; returns the figure (the caller closes it)."""
    fig = plt.figure(figsize=(slsimplot.WIDTH, 6), dpi=slsimplot.DPI)
    with plt.rc_context(slsimplot.STYLE):
        layout = slsimplot.PLOTS[name](run, fig) or {}
        fig.tight_layout(rect=layout.get("rect", (0, 0, 1, 1)))
        fig.canvas.draw()
    return fig


class Folders(unittest.TestCase):
    def tmp(self):
        d = tempfile.mkdtemp(prefix="slsim-analysis-")
        self.addCleanup(shutil.rmtree, d)
        return d

    def example(self, name):
        """A copy of a bundled example without its plots and report, drawn afresh."""
        folder = os.path.join(self.tmp(), name)
        shutil.copytree(os.path.join(EXAMPLES, name), folder,
                        ignore=shutil.ignore_patterns("plots", "report.html"))
        self.plot(folder)
        return folder

    def slsim(self, scenario, *args):
        """A run made here with slsim, plotted."""
        folder = os.path.join(self.tmp(), "run")
        subprocess.run([SLSIM, "run", scenario, "-q", "--out", folder, *args], check=True,
                       capture_output=True)
        self.plot(folder)
        return folder

    def plot(self, folder):
        subprocess.run([sys.executable, os.path.join(ROOT, "analysis", "plot_run.py"), folder],
                       check=True, capture_output=True)

    def check_folder(self, folder, endpoints):
        for name in PLOTS:
            png = os.path.join(folder, "plots", name + ".png")
            width, height = png_size(png)
            self.assertEqual(width, 1000, name)
            self.assertTrue(300 <= height <= 2000, f"{name}: {height} px high")
            self.assertGreater(os.path.getsize(png), 10000, name)
            with open(os.path.join(folder, "plots", name + ".svg"), encoding="utf-8") as f:
                self.assertIn("<svg", f.read(2000), name)
        page = read_page(folder)
        for target in page.targets:
            self.assertFalse(target.startswith(("http:", "https:", "//")), target)
            self.assertTrue(os.path.exists(os.path.join(folder, target)), target)
        # Every data file in the folder is linked.
        for data in ("summary.json", "metrics.csv", "latency.csv", "scaling.csv",
                     "requests.csv", "scenario.yaml"):
            if os.path.exists(os.path.join(folder, data)):
                self.assertIn(data, page.targets)
        for endpoint in endpoints:
            self.assertIn(endpoint, page.all_text)
        # The answer first, then the plots, then the scenario as run.
        order = [h for h in page.headings if h in ("The answer", "Plots", "The scenario as run")]
        self.assertEqual(order, ["The answer", "Plots", "The scenario as run"])
        # Numbers for people: no exponents, no "± 0", no NaN. The scenario's path is left out of
        # the exponent check: a random temporary directory name such as slsim-analysis-k0e5xq
        # is not a number.
        text = page.all_text.replace(os.path.dirname(folder), "DIR").replace(ROOT, "ROOT")
        self.assertIsNone(re.search(r"\d[eE][-+]?\d", text), "an exponent")
        self.assertNotIn("± 0 ", page.all_text + " ")
        self.assertNotIn("± $0 ", page.all_text + " ")
        self.assertNotIn("nan", page.all_text.lower().replace("nanos", ""))
        leftovers = [f for f in os.listdir(os.path.join(folder, "plots")) if ".tmp-" in f]
        self.assertEqual(leftovers, [])
        return page


class ReportTest(Folders):
    def test_seed_report_answers_in_plain_words(self):
        folder = self.example("seed")
        page = self.check_folder(folder, ["provisioned", "on-demand", "all endpoints"])
        with open(os.path.join(folder, "summary.json"), encoding="utf-8") as f:
            summary = json.load(f)
        text = page.all_text
        # p50 and p99 per endpoint as people write them, cost for the run and per month.
        for name in ("provisioned", "on-demand"):
            e = summary["endpoints"][name]
            for figure in (e["latency_s"]["p50"], e["latency_s"]["p99"]):
                self.assertIn(slsimplot.fmt_seconds(figure["mean"]), text)
            self.assertIn(slsimplot.fmt_money(e["cost_usd"]["total"]["mean"]), text)
            self.assertIn(slsimplot.fmt_money(e["cost_usd"]["per_month"]["mean"]), text)
        self.assertIn("all 5 were cold", text)
        self.assertIn("extrapolation", text)
        self.assertNotIn("Service-level objectives", page.headings)

    def test_bursty_report_with_replications_and_objectives(self):
        folder = self.example("bursty")
        page = self.check_folder(folder, ["scoring"])
        self.assertIn("replications", page.all_text)
        with open(os.path.join(folder, "summary.json"), encoding="utf-8") as f:
            slo = json.load(f)["slo"]
        heading = [h for h in page.headings if h.startswith("Service-level objectives")]
        own = [v for v in slo if v["endpoint"] == "scoring"]  # one endpoint: no total rows
        self.assertEqual(len(own), len(slo) // 2)
        held = sum(v["holds"] for v in own)
        self.assertEqual(heading, [f"Service-level objectives: {held} of {len(own)} verdicts hold"])
        self.assertLess(page.headings.index(heading[0]), page.headings.index("The answer"))
        for v in slo:
            self.assertIn(v["objective"], page.all_text)
        self.assertIn("missed", page.all_text)  # the bursty example misses its p99.9

    def test_skipped_trace_rows_are_said(self):
        scenario = os.path.join(self.tmp(), "skip.yaml")
        with open(scenario, "w") as f:
            f.write("name: skip\nduration: 1min\nendpoints:\n  - name: api\n    memory: 2GB\n"
                    "    max_concurrency: 5\n    traffic:\n      - {type: trace_csv, file: "
                    f"{ROOT}/tests/traces/malformed.csv, timestamp_unit: s, "
                    "ignore_columns: [model]}\n")
        page = self.check_folder(self.slsim(scenario, "--skip-bad-rows"), ["api"])
        self.assertIn("2 bad trace rows were left out (--skip-bad-rows); the first: "
                      f"{ROOT}/tests/traces/malformed.csv:4:1: timestamp '1.5x'", page.all_text)

    def test_objectives_with_no_request_served_are_missed(self):
        scenario = os.path.join(self.tmp(), "timeout.yaml")
        with open(scenario, "w") as f:  # 40 s at 0.58 vCPU: every request times out at 60 s
            f.write("name: timeout\nduration: 5min\nendpoints:\n  - name: api\n    memory: 1GB\n"
                    "    max_concurrency: 50\n    model: {inference: 40s}\n"
                    "    traffic: [{type: poisson, rate: 0.1/s}]\n")
        folder = self.slsim(scenario, "--slo", "p99<=60s", "--slo", "errors<=50%")
        page = read_page(folder)  # no latency plot: no request was served
        self.assertIn("p99<=60s api none served missed –", page.all_text)
        # Margins are rounded as slsim run prints them: errors are 100 %, the limit 50 %.
        self.assertIn("errors<=50% api 100% missed -100%", page.all_text)

    def test_tax_season_example(self):

        self.check_folder(self.example("tax-season"), ["on-demand", "fixed-pc", "scheduled-tt"])

    def test_real_time_and_autoscaling_endpoints(self):
        folder = self.slsim(os.path.join(ROOT, "tests", "scenarios", "every-output.yaml"),
                            "--requests", "--slo", "p99<=1s", "--slo", "wait<=100ms")
        page = self.check_folder(folder, ["on-demand", "autoscaled", "real-time"])
        self.assertIn("real-time, ml.m5.large × 1, autoscaled 1–3 instances", page.all_text)
        self.assertIn("provisioned concurrency autoscaled 1–10", page.all_text)
        self.assertIn("waited", page.all_text)  # the real-time endpoint's queue
        run = slsimplot.load_run(folder)
        fig = draw(run, "timeline")
        labels = {t.get_text() for t in fig.legends[0].get_texts()}
        self.assertIn("busy workers", labels)  # a real-time endpoint counts workers
        self.assertIn("provisioned capacity held", labels)
        plt.close(fig)

    def test_many_endpoints_are_capped_and_said_so(self):
        scenario = os.path.join(self.tmp(), "many.yaml")
        with open(scenario, "w") as f:
            f.write("name: many\nduration: 5min\nendpoints:\n")
            for i in range(1350):
                f.write(f"  - name: e{i:04d}\n    memory: {1 + i % 6}GB\n    max_concurrency: 3\n"
                        f"{'    provisioned_concurrency: 1' + chr(10) if i % 5 == 0 else ''}"
                        f"    traffic:\n      - type: poisson\n        rate: 0.2/s\n")
        folder = self.slsim(scenario, "--slo", "p99<=1s")
        page = self.check_folder(folder, ["e0000", "e0099"])
        self.assertIn("The first 100 of 1,350 endpoints", page.all_text)
        with open(os.path.join(folder, "report.html"), encoding="utf-8") as f:
            answer = f.read().split("<h2>The answer</h2>")[1].split("</table>")[0]
        rows = re.findall(r"<tr(?: class=\"total\")?><th>([^<]*)</th>", answer)
        expected = ["endpoint"] + [f"e{i:04d}" for i in range(100)] + ["all endpoints"]
        self.assertEqual(rows, expected)  # the header, 100 endpoints, the total
        self.assertIn("1,340 more endpoints", page.all_text)  # objectives: the worst 10 listed
        run = slsimplot.load_run(folder)
        for name, shown in (("latency_cdf", slsimplot.MAX_CDF_LINES),
                            ("timeline", slsimplot.MAX_TIMELINE_ENDPOINTS),
                            ("cost", slsimplot.MAX_BARS)):
            fig = draw(run, name)
            self.assertIn(f"{shown} of 1,350 endpoints", fig._suptitle.get_text(), name)
            plt.close(fig)


class PlotTest(Folders):
    @classmethod
    def setUpClass(cls):
        cls.seed = slsimplot.load_run(os.path.join(EXAMPLES, "seed"))
        cls.bursty = slsimplot.load_run(os.path.join(EXAMPLES, "bursty"))

    def test_latency_cdf_puts_endpoints_on_one_log_axis_labelled_in_seconds(self):
        fig = draw(self.seed, "latency_cdf")
        axes = fig.axes
        self.assertEqual(len(axes), 1)  # 5 requests each: no tail panel
        ax = axes[0]
        self.assertEqual(ax.get_xscale(), "log")
        colors = {tuple(line.get_color()) if not isinstance(line.get_color(), str)
                  else line.get_color() for line in ax.get_lines() if len(line.get_xdata()) > 2}
        self.assertEqual(len(colors), 2)  # both endpoints' curves on the same axes
        lo, hi = ax.get_xlim()
        self.assertLess(lo, 0.2)  # provisioned ≈ 0.2 s …
        self.assertGreater(hi, 12)  # … and on demand's slowest, 12.6 s, on the same axis
        ticks = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
        self.assertIn("1 s", ticks)
        self.assertTrue(all(re.fullmatch(r"\d+(\.\d+)? (ms|s)", t) for t in ticks), ticks)
        plt.close(fig)
        fig = draw(self.bursty, "latency_cdf")
        self.assertEqual(len(fig.axes), 2)  # 48,000 requests: the tail panel too
        self.assertEqual(fig.axes[1].get_yscale(), "log")
        self.assertEqual(fig.axes[0].get_xlim(), fig.axes[1].get_xlim())
        plt.close(fig)

    def test_timeline_draws_counts_as_steps_per_endpoint(self):
        fig = draw(self.seed, "timeline")
        titles = [ax.get_title(loc="left") for ax in fig.axes if ax.get_title(loc="left")]
        self.assertEqual(titles, ["provisioned", "on-demand"])
        for ax in fig.axes:
            lines = [line for line in ax.get_lines() if len(line.get_xdata()) > 1]
            self.assertEqual(lines, [], "counts are steps, not lines")
            self.assertTrue(any(isinstance(p, StepPatch) for p in ax.patches))
        labels = [t.get_text() for t in fig.legends[0].get_texts()]
        self.assertIn("provisioned capacity held", labels)
        self.assertIn("busy containers", labels)
        self.assertNotIn("throttled", labels)  # never happens in the seed: not drawn
        plt.close(fig)

    def test_cost_writes_every_value_and_leaves_zero_parts_out(self):
        fig = draw(self.seed, "cost")
        ax_total, ax_parts = fig.axes
        self.assertEqual(ax_total.get_xscale(), "log")
        texts = " ".join(t.get_text() for t in ax_total.texts)
        for name in ("provisioned", "on-demand"):  # $0.143 and $0.0000157: both written
            cost = self.seed.value(name, "cost_usd.total")
            self.assertIn(slsimplot.mpl_text(slsimplot.fmt_money(cost)), texts)
        labels = [t.get_text() for t in fig.legends[0].get_texts()]
        for part in slsimplot.COST_PARTS:
            used = any(self.seed.value(n, f"cost_usd.{part}") > 0 for n in self.seed.endpoints)
            named = any(label.startswith(slsimplot.COST_LABELS[part]) for label in labels)
            self.assertEqual(used, named, part)
        self.assertNotIn("real-time instances", labels)
        plt.close(fig)

    def test_cold_start_phases_write_values_and_keep_the_legend_off_the_bars(self):
        fig = draw(self.seed, "cold_start_phases")
        ax = fig.axes[0]
        texts = [t.get_text() for t in ax.texts]
        scheduling = self.seed.value("on-demand", "cold_start_phases_mean_s.scheduling")
        self.assertIn(slsimplot.fmt_seconds(scheduling), texts)
        renderer = fig.canvas.get_renderer()
        legend = ax.get_legend().get_window_extent(renderer)
        for bar in ax.patches:
            self.assertFalse(legend.overlaps(bar.get_window_extent(renderer)))
        plt.close(fig)

    def test_a_plot_with_nothing_to_show_is_skipped_and_said_so(self):
        folder = self.slsim(os.path.join(ROOT, "scenarios", "seed-provisioned-vs-on-demand.yaml"),
                            "--set", "provisioned_concurrency=1")
        self.assertFalse(os.path.exists(os.path.join(folder, "plots", "cold_start_phases.png")))
        self.assertIn("No cold start phases plot: no cold start in this run",
                      read_page(folder).all_text)


class NumbersTest(unittest.TestCase):
    def test_numbers_are_written_for_people(self):
        s, m, p = slsimplot.fmt_seconds, slsimplot.fmt_money, slsimplot.fmt_percent
        self.assertEqual(s(0.2103), "210 ms")
        self.assertEqual(s(0.9996), "1 s")
        self.assertEqual(s(6.14), "6.14 s")
        self.assertEqual(s(0.000123), "123 µs")
        self.assertEqual(s(900), "15 min")
        self.assertEqual(s(float("nan")), "–")
        self.assertEqual(m(1.568e-05), "$0.0000157")
        self.assertEqual(m(0.1426), "$0.143")
        self.assertEqual(m(12.3), "$12.30")
        self.assertEqual(m(34698.2), "$34,698")
        self.assertEqual(m(0), "$0")
        self.assertEqual(p(0.0036), "0.36%")
        self.assertEqual(p(1), "100%")
        self.assertEqual(p(3.12e-7), "0.000031%")
        self.assertEqual(slsimplot.fmt_count(9598), "9,598")
        self.assertEqual(slsimplot.fmt_count(17.33), "17.3")
        self.assertEqual(slsimplot.fmt_duration(3060), "51 min")
        self.assertEqual(slsimplot.fmt_duration(7200), "2 h")
        self.assertEqual(slsimplot.fmt_duration(31 * 86400), "31 days")
        self.assertEqual(report._memory("4096MB"), "4 GB")
        self.assertEqual(report._memory("3000MB"), "3,000 MB")

    def test_missing_inputs_are_reported(self):
        tmp = tempfile.mkdtemp(prefix="slsim-analysis-")
        self.addCleanup(shutil.rmtree, tmp)
        r = subprocess.run([sys.executable, os.path.join(ROOT, "analysis", "plot_run.py"), tmp],
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 1)
        self.assertIn("has no summary.json", r.stderr)


if __name__ == "__main__":
    unittest.main()
