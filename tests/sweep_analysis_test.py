"""analysis/plot_sweep.py on a real plan folder made by the slsim binary: images of the expected
size and a report.html that leads with the recommendation and links only files that exist."""
import html.parser
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SLSIM = os.environ.get("SLSIM_BINARY", os.path.join(ROOT, "build", "slsim"))


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", head[16:24])


class Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.targets = []

    def handle_starttag(self, tag, attrs):
        self.targets += [v for k, v in attrs if k in ("src", "href") and v]


class PlotSweepTest(unittest.TestCase):
    def test_plan_folder(self):
        tmp = tempfile.mkdtemp(prefix="slsim-plan-plot-")
        self.addCleanup(shutil.rmtree, tmp)
        out = os.path.join(tmp, "plan")
        subprocess.run([SLSIM, "plan", os.path.join(ROOT, "scenarios", "steady-poisson.yaml"),
                        "--slo", "p99<=1s", "--slo", "cold<0.5%", "--slo-window", "1h",
                        "--grid", "memory=1GB..3GB:1GB", "--grid", "provisioned_concurrency=0..2",
                        "--real-time", "ml.t3.medium:1..2", "-r", "2", "-q", "--out", out],
                       check=True, capture_output=True)
        subprocess.run([sys.executable, os.path.join(ROOT, "analysis", "plot_sweep.py"), out],
                       check=True, capture_output=True)
        for name in ("pareto", "heatmap"):
            self.assertEqual(png_size(os.path.join(out, "plots", name + ".png")), (1000, 600))
            self.assertGreater(os.path.getsize(os.path.join(out, "plots", name + ".png")), 20000)
        with open(os.path.join(out, "report.html"), encoding="utf-8") as f:
            page = f.read()
        self.assertIn("Recommended: <b>", page)
        links = Links()
        links.feed(page)
        for target in links.targets:
            self.assertTrue(os.path.exists(os.path.join(out, target)), target)

    def test_missing_plan_is_reported(self):
        tmp = tempfile.mkdtemp(prefix="slsim-plan-plot-")
        self.addCleanup(shutil.rmtree, tmp)
        r = subprocess.run([sys.executable, os.path.join(ROOT, "analysis", "plot_sweep.py"), tmp],
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 1)
        self.assertIn("has no plan.json", r.stderr)


if __name__ == "__main__":
    unittest.main()
