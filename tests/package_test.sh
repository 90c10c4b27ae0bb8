#!/usr/bin/env bash
# The Debian package from CPack: its Depends (derived by dpkg-shlibdeps) name the runtime
# libraries and apt can satisfy them; it holds the binary, the helper and the data; unpacked, it
# runs a scenario, --plot and calibrate from an unrelated folder. In CI, as root, it is also
# installed with dpkg, used from /usr/bin, and removed again.
# Usage: package_test.sh BUILD_DIR [PLOT_PYTHON]   (PLOT_PYTHON empty: --plot is not checked)
set -uo pipefail
build=$(cd "$1" && pwd)
plot_python=${2:-}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/slsim-package-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
source "$(dirname "$0")/installed_checks.sh"

cpack -G DEB --config "$build/CPackConfig.cmake" -B "$tmp/pkg" >"$tmp/log" 2>&1 || {
  cat "$tmp/log"
  echo "FAILED: cpack -G DEB"
  exit 1
}
deb=$(ls "$tmp"/pkg/slsim_*.deb)
echo "package: $(basename "$deb"), $(stat -c %s "$deb") bytes"
depends=$(dpkg-deb -f "$deb" Depends)
recommends=$(dpkg-deb -f "$deb" Recommends)
echo "Depends: $depends"
echo "Recommends: $recommends"
names() { tr ',|' '\n\n' <<<"$1" | awk '{print $1}'; }  # package names of a relation field
# slsim: yaml-cpp, fmt, date/tz (and the tz database it reads), the C++ runtime; slsim-calibrate
# adds XGBoost and libarchive.
for lib in libyaml-cpp0.7 libfmt9 libdate-tz3 tzdata libxgboost0 libarchive13 libstdc++6 libc6; do
  check "Depends names $lib" grep -qxF "$lib" <(names "$depends")
done
for pkg in python3-matplotlib python3-pandas; do
  check "Recommends names $pkg (plots are optional)" grep -qxF "$pkg" <(names "$recommends")
done
dpkg-deb -c "$deb" | awk '{print $NF}' >"$tmp/contents"
for f in ./usr/bin/slsim ./usr/libexec/slsim/slsim-calibrate \
  ./usr/share/slsim/pricing/us-east-1.yaml ./usr/share/slsim/analysis/plot_run.py \
  ./usr/share/slsim/scenarios/seed-provisioned-vs-on-demand.yaml \
  ./usr/share/slsim/scenarios/data/abalone.csv ./usr/share/doc/slsim/README.md; do
  check "the package holds $f" grep -qxF "$f" "$tmp/contents"
done
check "the package holds no test binary" bash -c "! grep -q slsim_tests '$tmp/contents'"
check "apt can satisfy the package's dependencies" apt-get install -s -q "$deb"

dpkg-deb -x "$deb" "$tmp/root"
check_installed "$tmp/root/usr" "$plot_python"

if [ "${CI:-}" = "true" ] && [ "$(id -u)" -eq 0 ] && ! dpkg -s slsim >/dev/null 2>&1; then
  check "dpkg installs the package" dpkg -i "$deb"
  check_installed /usr "$plot_python"
  check "slsim is on PATH" bash -c "command -v slsim | grep -qx /usr/bin/slsim"
  check "dpkg removes the package" dpkg -r slsim
else
  echo "not installed with dpkg here (that needs CI=true, root, and no slsim installed yet)"
fi

finish "package test"
