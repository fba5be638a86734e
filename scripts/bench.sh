#!/usr/bin/env bash
# Reproduce every figure of BENCHMARKS.md with one command:
#
#   scripts/bench.sh            # all Go benchmarks, the shell budget, the rural PWA sync (~45 min)
#   scripts/bench.sh --quick    # without the rural PWA sync (~28 min)
#   scripts/bench.sh --lighthouse   # also Lighthouse on every PWA screen (needs npx; downloads lighthouse@12)
#   scripts/bench.sh --tables   # only rebuild the tables from bench-out/raw.txt (e.g. after re-running one benchmark into it)
#
# Each benchmark runs with the flags its BENCHMARKS.md section states, so
# the ratios are measured the way the figures were. Raw `go test` output
# goes to bench-out/raw.txt; a table of every metric (one column per run,
# then the median) is printed and written to bench-out/table.md, and the
# summary at the top of BENCHMARKS.md (figure, target, median, spread,
# met?) to bench-out/summary.md.
set -euo pipefail
cd "$(dirname "$0")/.."

quick=false lighthouse=false tables_only=false
for arg in "$@"; do
  case "$arg" in
    --quick) quick=true ;;
    --tables) tables_only=true ;;
    --lighthouse) lighthouse=true ;;
    *) echo "usage: $0 [--quick] [--lighthouse] [--tables]" >&2; exit 2 ;;
  esac
done

out=bench-out
mkdir -p "$out"
raw="$out/raw.txt"
if ! $tables_only; then
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

# Compiling is not measured: build every benchmark binary first, niced.
nice -n 10 go test -run '^$' -count 1 ./hooks/syncengine ./hooks/suggestions ./hooks/ledger ./hooks/visits \
  ./hooks/assessment ./hooks/durability ./hooks/internal/pagecache ./internal/county >/dev/null

run ./hooks/syncengine 'BenchmarkVisitSync$' 3x 9
run ./hooks/verification 'BenchmarkFlagPush' 3x 5
run ./hooks/suggestions 'BenchmarkResidentPages$' 1x 3
run ./hooks/internal/pagecache 'BenchmarkPublicPages$' 1x 3
run ./hooks/ledger 'BenchmarkHazardLedgerExport' 10x 1
run ./hooks/visits 'BenchmarkListFilters$' 1x 3
run ./hooks/assessment 'BenchmarkAssessmentRecompute' 5x 3
run ./hooks/assessment 'BenchmarkAssessment[WB]' 300x 2
run ./hooks/assessment 'BenchmarkRescoreBusyDeputy$' 200x 3
run ./hooks/durability 'BenchmarkReplication$' 1x 1
# The county and a tenth of it, seeded in SQL before anything is timed, with
# the analysis views over its suggestions (internal/county/bench_test.go);
# three runs, as its growth figures near 10× move by 1–2× from run to run.
run ./internal/county 'BenchmarkCounty$' 1x 3 -timeout 60m
if ! $quick; then
  run ./e2e/field 'BenchmarkRuralSync$' 1x 1 -timeout 30m
fi

echo "== go test ./hooks/web -run TestShellBudget -v" | tee -a "$raw"
go test ./hooks/web -run 'TestShellBudget$' -v -count 1 2>&1 | grep -E 'gzip|KB|budget|^(ok|---|FAIL)' | tee -a "$raw" || true

if $lighthouse; then
  run ./e2e/field 'BenchmarkLighthouse$' 1x 1 -v -timeout 30m
fi

echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/machine.txt"
fi

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

# The summary: one row per figure BENCHMARKS.md's top table states.
# figure | benchmark | metric | target (">= x", "<= x" or "reported") | command
cat >"$out/summary-spec.txt" <<'SPEC'
sync push ÷ PocketBase /api/batch, visit records/s (wall)|VisitSync/held=0|sync/batch|>= 2|go test ./hooks/syncengine -run '^$' -bench 'BenchmarkVisitSync$' -benchtime 3x -count 9
the same, a deputy who holds 10,000 visits this year|VisitSync/held=10000|sync/batch|>= 2|(same run)
the same in process CPU|VisitSync/held=0|sync/batch_cpu|>= 2|(same run)
our hooks vs a hook-free copy, app.Save record by record, CPU %|VisitSync/held=0|hook_overhead_cpu_%|<= 10|(same run)
the same, a deputy who holds 10,000 visits|VisitSync/held=10000|hook_overhead_cpu_%|<= 10|(same run)
plausibility flags on the sync push, honest visits, CPU %|FlagPush/honest|flags_cpu_%|<= 10|go test ./hooks/verification -run '^$' -bench 'BenchmarkFlagPush' -benchtime 3x -count 5
the same, fabricated visits (every one flagged), CPU %|FlagPush/worst|flags_cpu_%|reported|(same run)
the same, the black-box sync check's crowd (nearly every visit flagged twice), wall %|FlagPush/crowd|flags_wall_%|reported|(same run)
GET /d/{code} ÷ GET /api/health, req/s (gzip, as browsers ask)|ResidentPages|deputy_page/health|>= 0.5|go test ./hooks/suggestions -run '^$' -bench 'BenchmarkResidentPages$' -benchtime 1x -count 3
the same, plain (as wrk asks)|ResidentPages|deputy_page_plain/health|>= 0.5|(same run)
POST /d/{code} (a stored suggestion) ÷ /api/health|ResidentPages|submit/health|reported|(same run)
GET /s/{station} ÷ GET /api/health, req/s (gzip)|PublicPages|station/health|>= 0.5|go test ./hooks/internal/pagecache -run '^$' -bench 'BenchmarkPublicPages$' -benchtime 1x -count 3
the same, plain|PublicPages|station_plain/health|>= 0.5|(same run)
GET /projects/{year} ÷ GET /api/health (gzip)|PublicPages|projects/health|>= 0.5|(same run)
the same, plain|PublicPages|projects_plain/health|>= 0.5|(same run)
GET /topic/{code} ÷ GET /api/health (gzip)|PublicPages|topic/health|>= 0.5|(same run)
the same, plain|PublicPages|topic_plain/health|>= 0.5|(same run)
GET /survey/{code} ÷ GET /api/health (gzip)|PublicPages|survey/health|>= 0.5|(same run)
the same, plain|PublicPages|survey_plain/health|>= 0.5|(same run)
assessment recompute, µs per deputy, 100 deputies|AssessmentRecompute/deputies=100/records=15000|µs/deputy|reported|go test ./hooks/assessment -run '^$' -bench 'BenchmarkAssessmentRecompute' -benchtime 5x -count 3
assessment recompute, µs per deputy, 1,000 deputies|AssessmentRecompute/deputies=1000/records=150000|µs/deputy|reported|(same run)
assessment: one visit saved, scoring on, ns|AssessmentWrite/scoring=true|ns/op|reported|go test ./hooks/assessment -run '^$' -bench 'BenchmarkAssessment[WB]' -benchtime 300x -count 2
a deputy's rescore after a visit, 10,000 visits held ÷ none|RescoreBusyDeputy|held10000/held0|<= 1.5|go test ./hooks/assessment -run '^$' -bench 'BenchmarkRescoreBusyDeputy$' -benchtime 200x -count 3
the same, ms per rescore, 10,000 visits held|RescoreBusyDeputy|held10000_ms/rescore|reported|(same run)
hazard ledger export, 100 hazards, ns|HazardLedgerExport/hazards=100|ns/op|reported|go test ./hooks/ledger -run '^$' -bench 'BenchmarkHazardLedgerExport' -benchtime 10x -count 1
hazard ledger export, 1,000 hazards, ns|HazardLedgerExport/hazards=1000|ns/op|reported|(same run)
list API ÷ dbx: a deputy's own visits of 10 days on a topic|ListFilters|own_visits_by_topic_api/dbx|reported|go test ./hooks/visits -run '^$' -bench 'BenchmarkListFilters$' -benchtime 1x -count 3
list API ÷ dbx: presidium, one deputy's visits to a household|ListFilters|presidium_visits_of_household_api/dbx|reported|(same run)
list API ÷ dbx: a village's households by head name|ListFilters|village_households_by_name_api/dbx|reported|(same run)
replication (Litestream) write cost, %|Replication|cost_%|<= 10|go test ./hooks/durability -run '^$' -bench 'BenchmarkReplication$' -benchtime 1x -count 1
replication lag p95, file replica, ms|Replication|file_lag_p95_ms|<= 1000|(same run)
replication lag p95, S3 (gofakes3), ms|Replication|s3_lag_p95_ms|<= 1000|(same run)
county: a deputy's pull, one page of 500, ms|County|county_pull_page_ms|<= 300|go test ./internal/county -run '^$' -bench 'BenchmarkCounty$' -benchtime 1x -count 3 -timeout 60m
county: a push of 100 visits, ms|County|county_push_ms|<= 300|(same run)
county: sync push, records/s|County|county_push_rec/s|reported|(same run)
county: presidium's progress of 1,500 deputies, ms|County|county_progress_all_ms|<= 300|(same run)
county: a deputy's own progress, ms|County|county_progress_own_ms|<= 300|(same run)
county: ranking, ms|County|county_ranking_ms|<= 300|(same run)
county: a deputy's 履职档案, ms|County|county_dossier_ms|<= 300|(same run)
county: recompute of the year, ms|County|county_recompute_ms|reported|(same run)
county: hazard ledger export, ms|County|county_export_ms|reported|(same run)
county: analysis, overview of a year, ms (wall)|County|county_analysis_overview_year_ms|<= 300|(same run)
county: analysis, overview of a quarter, ms (wall)|County|county_analysis_overview_quarter_ms|<= 300|(same run)
county: analysis, recurring words of a year, ms (wall)|County|county_analysis_terms_year_ms|<= 300|(same run)
county: analysis, recurring words, a village's quarter, ms (wall)|County|county_analysis_terms_village_quarter_ms|<= 300|(same run)
county: analysis, words by village, a year, ms (wall)|County|county_analysis_terms_by_village_year_ms|<= 300|(same run)
county: analysis, recurrence, a quarter, ms (wall)|County|county_analysis_recurring_quarter_ms|<= 300|(same run)
county: analysis, recurrence, a year (≥ 5), ms (wall)|County|county_analysis_recurring_year_ms|<= 300|(same run)
county: analysis, search, a common word in a year, ms (wall)|County|county_analysis_search_common_word_ms|<= 300|(same run)
county: analysis, search, word + village + status, ms (wall)|County|county_analysis_search_filtered_ms|<= 300|(same run)
county: analysis, search, page 5 of 50 (full at both sizes), ms (wall)|County|county_analysis_search_page_5_ms|<= 300|(same run)
county: analysis, search, this year, ms (wall)|County|county_analysis_search_this_year_ms|<= 300|(same run)
county: analysis, chart, the trend (SVG), ms (wall)|County|county_analysis_chart_trend_ms|<= 300|(same run)
county: server RSS after the run, MB|County|county_rss_MB|reported|(same run)
county: server peak RSS, MB|County|county_peak_rss_MB|reported|(same run)
growth ×10 data: pull page|County|x10_pull_page_ms|<= 10|(same run)
growth ×10 data: push|County|x10_push_ms|<= 10|(same run)
growth ×10 data: progress of every deputy|County|x10_progress_all_ms|<= 10|(same run)
growth ×10 data: ranking|County|x10_ranking_ms|<= 10|(same run)
growth ×10 data: 履职档案|County|x10_dossier_ms|<= 10|(same run)
growth ×10 data: recompute|County|x10_recompute_ms|<= 10|(same run)
growth ×10 data: ledger export|County|x10_export_ms|<= 10|(same run)
growth ×10 data: analysis, overview of a year|County|x10_analysis_overview_year_ms|<= 10|(same run)
growth ×10 data: analysis, overview of a quarter|County|x10_analysis_overview_quarter_ms|<= 10|(same run)
growth ×10 data: analysis, recurring words of a year|County|x10_analysis_terms_year_ms|<= 10|(same run)
growth ×10 data: analysis, recurring words, a village's quarter|County|x10_analysis_terms_village_quarter_ms|<= 10|(same run)
growth ×10 data: analysis, words by village, a year|County|x10_analysis_terms_by_village_year_ms|<= 10|(same run)
growth ×10 data: analysis, recurrence, a quarter|County|x10_analysis_recurring_quarter_ms|<= 10|(same run)
growth ×10 data: analysis, recurrence, a year (≥ 5)|County|x10_analysis_recurring_year_ms|<= 10|(same run)
growth ×10 data: analysis, search, a common word in a year|County|x10_analysis_search_common_word_ms|<= 10|(same run)
growth ×10 data: analysis, search, word + village + status|County|x10_analysis_search_filtered_ms|<= 10|(same run)
growth ×10 data: analysis, search, page 5 of 50|County|x10_analysis_search_page_5_ms|<= 10|(same run)
growth ×10 data: analysis, search, this year|County|x10_analysis_search_this_year_ms|<= 10|(same run)
growth ×10 data: analysis, chart, the trend (SVG)|County|x10_analysis_chart_trend_ms|<= 10|(same run)
SPEC
awk -F'|' '
  FNR == NR { spec[++rows] = $0; next }
  /^Benchmark/ {
    split($0, f, /[ \t]+/)
    name = f[1]; sub(/-[0-9]+$/, "", name); sub(/^Benchmark/, "", name)
    for (i = 3; i + 1 <= length(f); i += 2) { key = name "|" f[i + 1]; v[key, ++n[key]] = f[i] + 0 }
  }
  END {
    print "| figure | target | median | spread (runs) | met? | command |"
    print "|---|---|---|---|---|---|"
    for (r = 1; r <= rows; r++) {
      split(spec[r], s, "|"); key = s[2] "|" s[3]; m = n[key]
      cmd = (s[5] == "(same run)") ? "(same run)" : "`" s[5] "`"
      if (m == 0) { printf "| %s | %s | – | not run | – | %s |\n", s[1], s[4], cmd; continue }
      for (i = 1; i <= m; i++) x[i] = v[key, i]
      for (i = 2; i <= m; i++) for (j = i; j > 1 && x[j - 1] > x[j]; j--) { t = x[j]; x[j] = x[j - 1]; x[j - 1] = t }
      med = (m % 2) ? x[(m + 1) / 2] : (x[m / 2] + x[m / 2 + 1]) / 2
      spread = (m > 1) ? sprintf("%.3g–%.3g (%d)", x[1], x[m], m) : "one run"
      split(s[4], tg, " "); met = "reported"
      if (tg[1] == ">=") met = (med >= tg[2]) ? "yes" : "**no**"
      if (tg[1] == "<=") met = (med <= tg[2]) ? "yes" : "**no**"
      printf "| %s | %s | %.3g | %s | %s | %s |\n", s[1], s[4], med, spread, met, cmd
    }
  }' "$out/summary-spec.txt" "$raw" | tee "$out/summary.md"
echo
echo "raw output: $raw; table: $out/table.md; summary: $out/summary.md; machine: $out/machine.txt"
