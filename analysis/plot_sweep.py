#!/usr/bin/env python3
"""Plots and report.html for a plan's folder (`slsim plan ... --out DIR`).

    python3 analysis/plot_sweep.py results/plan     # writes results/plan/plots/*.png|svg, report.html
Needs Debian's python3-matplotlib and python3-pandas.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from sweepplot import render  # noqa: E402


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    folder = sys.argv[1]
    for needed in ("plan.json", "sweep.csv"):
        if not os.path.exists(os.path.join(folder, needed)):
            print(f"plot_sweep: {folder} has no {needed}; run `slsim plan SCENARIO --slo ... "
                  f"--out {folder}` first", file=sys.stderr)
            return 1
    written = render(folder)
    print(f"wrote {len(written)} images in {os.path.join(folder, 'plots')} and "
          f"{os.path.join(folder, 'report.html')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
