#!/usr/bin/env bash
# Reproduce every figure of BENCHMARKS.md with one command:
#
#   scripts/bench.sh            # all Go benchmarks, the shell budget, the rural PWA sync (~25 min)
#   scripts/bench.sh --quick    # without the rural PWA sync (~10 min)
#   scripts/bench.sh --lighthouse   # also Lighthouse on every PWA screen (needs npx; downloads lighthouse@12)
#
# Each benchmark runs with the flags its BENCHMARKS.md section states, so
# the ratios are measured the way the figures were. Raw `go test` output
# goes to bench-out/raw.txt; a table of every metric (one column per run,
# then the median) is printed and written to bench-out/table.md.
set -euo pipefail
cd "$(dirname "$0")/.."

quick=false lighthouse=false
for arg in "$@"; do
  case "$arg" in
    --quick) quick=true ;;
    --lighthouse) lighthouse=true ;;
    *) echo "usage: $0 [--quick] [--lighthouse]" >&2; exit 2 ;;
  esac
done

out=bench-out
mkdir -p "$out"
raw="$out/raw.txt"
: >"$raw"

{
  echo "date:        $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "commit:      $(git rev-parse --short HEAD)$(git diff --quiet || echo ' (dirty)')"
  echo "go:          $(go version | cut -d' ' -f3-)"
  echo "pocketbase:  $(go list -m -f '{{.Version}}' github.com/pocketbase/pocketbase)"
  echo "cpu:         $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //') × $(nproc)"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out/machine.txt"

run() { # run PKG BENCH BENCHTIME COUNT [extra go test flags]
  local pkg=$1 bench=$2 benchtime=$3 count=$4
  shift 4
  echo "== go test $pkg -run '^\$' -bench $bench -benchtime $benchtime -count $count $*" | tee -a "$raw"
  go test "$pkg" -run '^$' -bench "$bench" -benchtime "$benchtime" -count "$count" "$@" 2>&1 | tee -a "$raw"
}

run ./hooks/syncengine 'BenchmarkVisitSync$' 3x 5
run ./hooks/verification 'BenchmarkFlagPush' 1x 3
run ./hooks/suggestions 'BenchmarkResidentPages$' 1x 3
run ./hooks/ledger 'BenchmarkHazardLedgerExport' 10x 1
run ./hooks/visits 'BenchmarkListFilters$' 1x 3
run ./hooks/assessment 'BenchmarkAssessmentRecompute' 5x 3
run ./hooks/assessment 'BenchmarkAssessmentWrite|BenchmarkAssessmentBatch' 300x 2
run ./hooks/durability 'BenchmarkReplication$' 1x 1
if ! $quick; then
  run ./e2e 'BenchmarkRuralSync$' 1x 1 -timeout 30m
fi

echo "== go test ./hooks/web -run TestShellBudget -v" | tee -a "$raw"
go test ./hooks/web -run 'TestShellBudget$' -v -count 1 2>&1 | grep -E 'gzip|KB|budget|^(ok|---|FAIL)' | tee -a "$raw" || true

if $lighthouse; then
  run ./e2e 'BenchmarkLighthouse$' 1x 1 -v -timeout 30m
fi

echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/machine.txt"

# One row per benchmark metric: the value of every run, then the median.
awk '
  /^Benchmark/ {
    name = $1; sub(/-[0-9]+$/, "", name); sub(/^Benchmark/, "", name)
    for (i = 3; i + 1 <= NF; i += 2) {
      key = name " | " $(i + 1)
      if (!(key in n)) order[++keys] = key
      v[key, ++n[key]] = $i
      if (n[key] > maxruns) maxruns = n[key]
    }
  }
  END {
    printf "| benchmark | metric |"
    for (r = 1; r <= maxruns; r++) printf " run %d |", r
    printf " median |\n|---|---|"
    for (r = 1; r <= maxruns; r++) printf "---|"
    printf "---|\n"
    for (k = 1; k <= keys; k++) {
      key = order[k]; m = n[key]
      printf "| %s |", key
      for (r = 1; r <= maxruns; r++) printf " %s |", (r <= m ? v[key, r] : "")
      for (i = 1; i <= m; i++) s[i] = v[key, i] + 0
      for (i = 2; i <= m; i++) for (j = i; j > 1 && s[j - 1] > s[j]; j--) { t = s[j]; s[j] = s[j - 1]; s[j - 1] = t }
      med = (m % 2) ? s[(m + 1) / 2] : (s[m / 2] + s[m / 2 + 1]) / 2
      fmt = (med >= 1e5 || med == int(med)) ? "%.0f" : "%.4g"
      printf " " fmt " |\n", med
    }
  }' "$raw" | tee "$out/table.md"
echo
echo "raw output: $raw; table: $out/table.md; machine: $out/machine.txt"
