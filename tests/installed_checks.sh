# Shell functions for the install and package tests (sourced, not run): counted checks, and what
# a user does with an installed slsim, checked from a folder unrelated to the source tree.
# REQUIRES: $tmp, a scratch folder the caller removes.

passed=0
failed=0

# check DESCRIPTION COMMAND...: runs COMMAND (output to $tmp/log) and counts the outcome.
check() {
  local what=$1
  shift
  if "$@" >>"$tmp/log" 2>&1; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAILED: $what"
    echo "  command: $*"
    tail -n 5 "$tmp/log" | sed 's/^/  | /'
  fi
}

# fails_saying TEXT COMMAND...: COMMAND exits non-zero and prints TEXT.
fails_saying() {
  local text=$1
  shift
  ! "$@" >"$tmp/out" 2>&1 && grep -qF -- "$text" "$tmp/out"
}

# finish NAME: prints the tally and returns non-zero if any check failed.
finish() {
  echo "$1: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}

# check_installed PREFIX PLOT_PYTHON: the slsim installed under PREFIX (bin/slsim,
# libexec/slsim/slsim-calibrate, share/slsim) validates and runs the bundled scenarios, draws
# plots (unless PLOT_PYTHON is empty) and calibrates a small model, all from a fresh folder whose
# decoy pricing/ and analysis/ would break any lookup through the current folder.
check_installed() {
  local p=$1 plot_python=$2 data="$1/share/slsim" here
  here=$(mktemp -d "$tmp/cwd.XXXXXX")
  mkdir -p "$here/pricing" "$here/analysis"
  echo "not: [a pricing file" >"$here/pricing/us-east-1.yaml"
  printf 'import sys\nsys.exit(3)\n' >"$here/analysis/plot_run.py"
  (
    cd "$here" || exit 1
    unset SLSIM_DATA_DIR
    [ -n "$plot_python" ] && export SLSIM_PYTHON="$plot_python"
    check "the install has the binary, the helper and the data" \
      test -x "$p/bin/slsim" -a -x "$p/libexec/slsim/slsim-calibrate" \
      -a -f "$data/pricing/us-east-1.yaml" -a -f "$data/analysis/plot_run.py" \
      -a -f "$data/scenarios/seed-provisioned-vs-on-demand.yaml" \
      -a -f "$data/scenarios/calibrations/abalone-xgb.yaml" \
      -a -f "$data/scenarios/data/abalone.csv"
    check "every bundled scenario validates" "$p/bin/slsim" validate "$data"/scenarios/*.yaml
    check "a bundled scenario runs with --plot" \
      "$p/bin/slsim" run "$data/scenarios/seed-provisioned-vs-on-demand.yaml" -q --out seed --plot
    check "the run wrote its summary" grep -q '"on-demand"' seed/summary.json
    if [ -n "$plot_python" ]; then
      check "--plot used the installed scripts (report.html and plots)" \
        test -s seed/report.html -a -s seed/plots/latency_cdf.png
    fi
    check "slsim calibrate runs the installed helper" \
      "$p/bin/slsim" calibrate --train --trees 5 --requests 20 --loads 3 --sizes 2,5 -q \
      --model model.json --payloads "$data/scenarios/data/abalone.csv" --out cal.yaml
    check "the calibration file records the 5-tree model" grep -q '^  trees: 5$' cal.yaml
    cat >calibrated.yaml <<'EOF'
name: calibrated-here
duration: 10min
models:
  mine: {calibration: cal.yaml}
endpoints:
  - {name: api, memory: 2048MB, max_concurrency: 2, model: mine,
     traffic: [{type: poisson, rate: 1/s}]}
EOF
    check "a scenario using the new calibration runs" "$p/bin/slsim" run calibrated.yaml -q
    echo "$passed $failed" >"$tmp/tally"
  )
  read -r passed failed <"$tmp/tally"
}
