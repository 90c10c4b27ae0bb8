#!/usr/bin/env python3
"""Plots and report.html for one slsim run folder.

    python3 analysis/plot_run.py results/seed            # writes results/seed/plots/*.png|svg
                                                         # and results/seed/report.html
Needs Debian's python3-matplotlib and python3-pandas.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from report import write_report  # noqa: E402
from slsimplot import load_run, render  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", help="a folder written by `slsim run --out`")
    parser.add_argument("--formats", default="png,svg", help="image formats (default: png,svg)")
    args = parser.parse_args()
    for needed in ("summary.json", "metrics.csv", "latency.csv"):
        if not os.path.exists(os.path.join(args.folder, needed)):
            print(f"plot_run: {args.folder} has no {needed}; run `slsim run SCENARIO --out "
                  f"{args.folder}` first", file=sys.stderr)
            return 1
    run = load_run(args.folder)
    written, skipped = render(run, os.path.join(args.folder, "plots"),
                              tuple(args.formats.split(",")))
    report = write_report(run, skipped)
    print(f"wrote {len(written)} images in {os.path.join(args.folder, 'plots')} and {report}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
