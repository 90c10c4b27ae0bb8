#!/usr/bin/env bash
# An installed slsim works wherever its prefix is moved, from any folder, without the source tree:
# `cmake --install` into a temporary prefix, move the prefix, then (from an unrelated folder) run
# a bundled scenario with --plot and a small calibration; check that the data comes from the
# prefix, not the source tree, and that SLSIM_DATA_DIR serves a binary copied on its own.
# Usage: install_test.sh BUILD_DIR [PLOT_PYTHON]   (PLOT_PYTHON empty: --plot is not checked)
set -uo pipefail
build=$(cd "$1" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/slsim-install-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
unset SLSIM_DATA_DIR
source "$(dirname "$0")/installed_checks.sh"

cmake --install "$build" --prefix "$tmp/p1" >"$tmp/log" 2>&1 || {
  cat "$tmp/log"
  echo "FAILED: cmake --install"
  exit 1
}
mv "$tmp/p1" "$tmp/p2"
p="$tmp/p2"
data="$p/share/slsim"
check_installed "$p" "${2:-}"
cd "$tmp" || exit 1

# Nothing comes from the source tree: without the prefix's pricing folder the run fails.
mv "$data/pricing" "$tmp/pricing-aside"
check "without the prefix's pricing, slsim says so (no fallback to the source tree)" \
  fails_saying "slsim's own pricing folder was not found" \
  "$p/bin/slsim" validate "$data/scenarios/steady-poisson.yaml"
mv "$tmp/pricing-aside" "$data/pricing"
mv "$p/libexec" "$tmp/libexec-aside"
check "without the helper, slsim calibrate says what to build or install" \
  fails_saying "slsim-calibrate was not found" "$p/bin/slsim" calibrate --help
mv "$tmp/libexec-aside" "$p/libexec"

# A binary copied on its own finds its data through SLSIM_DATA_DIR, and only then.
mkdir -p "$tmp/lone"
cp "$p/bin/slsim" "$tmp/lone/"
check "a lone binary without SLSIM_DATA_DIR reports the missing pricing" \
  fails_saying "SLSIM_DATA_DIR" "$tmp/lone/slsim" validate "$data/scenarios/steady-poisson.yaml"
check "a lone binary with SLSIM_DATA_DIR runs" \
  env SLSIM_DATA_DIR="$data" "$tmp/lone/slsim" run "$data/scenarios/steady-poisson.yaml" -q

finish "install test"
