"""Plot scripts on the bundled result folders: non-empty images of the expected size, and a
report.html that references only files that exist (checked with an HTML parser)."""
import html.parser
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLES = os.path.join(ROOT, "analysis", "examples")
PLOTS = ["latency_cdf", "capacity", "timeline", "cold_start_phases", "cost"]


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", head[16:24])


class References(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.targets = []
        self.cells = []

    def handle_starttag(self, tag, attrs):
        for name, v in attrs:
            if name in ("src", "href") and v:
                self.targets.append(v)

    def handle_data(self, data):
        self.cells.append(data.strip())


class PlotRunTest(unittest.TestCase):
    def run_on(self, example):
        tmp = tempfile.mkdtemp(prefix="slsim-analysis-")
        self.addCleanup(shutil.rmtree, tmp)
        folder = os.path.join(tmp, example)
        shutil.copytree(os.path.join(EXAMPLES, example), folder,
                        ignore=shutil.ignore_patterns("plots", "report.html"))
        subprocess.run([sys.executable, os.path.join(ROOT, "analysis", "plot_run.py"), folder],
                       check=True, capture_output=True)
        return folder

    def check_folder(self, folder, endpoints):
        for name in PLOTS:
            png = os.path.join(folder, "plots", name + ".png")
            svg = os.path.join(folder, "plots", name + ".svg")
            self.assertEqual(png_size(png), (1000, 600), name)
            self.assertGreater(os.path.getsize(png), 10000, name)
            with open(svg, encoding="utf-8") as f:
                self.assertIn("<svg", f.read(2000), name)
        parser = References()
        with open(os.path.join(folder, "report.html"), encoding="utf-8") as f:
            parser.feed(f.read())
        self.assertGreaterEqual(len(parser.targets), 2 * len(PLOTS))
        for target in parser.targets:
            self.assertFalse(target.startswith(("http:", "https:", "//")), target)
            self.assertTrue(os.path.exists(os.path.join(folder, target)), target)
        for endpoint in endpoints:
            self.assertIn(endpoint, parser.cells)
        leftovers = [f for f in os.listdir(os.path.join(folder, "plots")) if ".tmp-" in f]
        self.assertEqual(leftovers, [])

    def test_seed_result(self):
        self.check_folder(self.run_on("seed"), ["provisioned", "on-demand", "total"])

    def test_bursty_result_with_replications(self):
        self.check_folder(self.run_on("bursty"), ["scoring"])

    def test_missing_inputs_are_reported(self):
        tmp = tempfile.mkdtemp(prefix="slsim-analysis-")
        self.addCleanup(shutil.rmtree, tmp)
        r = subprocess.run([sys.executable, os.path.join(ROOT, "analysis", "plot_run.py"), tmp],
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 1)
        self.assertIn("has no summary.json", r.stderr)


if __name__ == "__main__":
    unittest.main()
