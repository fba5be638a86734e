#!/usr/bin/env bash
# Memory and request-log soak (issue 12): the real server under wrk for
# MINUTES (default 10) on health checks, the PWA shell and one of its
# files, and an unknown resident page (a 404: logged, but bounded). Every
# 15 s it prints the server's RSS (/proc/PID/status VmRSS) and the number
# of request-log rows (_logs in auxiliary.db). Run it on a quiet machine:
#
#   scripts/soak.sh [MINUTES] [CONNECTIONS]
#
# Needs wrk and sqlite3. Everything it makes lives in one temp dir,
# removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-10}
conns=${2:-16}
port=18097
dir=$(mktemp -d /tmp/soak-i12.XXXXXX)
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$dir"
}
trap cleanup EXIT

go build -o "$dir/simeng" .
SIMENG_PII_KEY=${SIMENG_PII_KEY:-soak-only-key-0123456789abcdefghijklmnop} \
  "$dir/simeng" serve --http "127.0.0.1:$port" --dir "$dir/pb_data" >"$dir/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$port/api/health" >/dev/null 2>&1 && break
  sleep 0.2
done

cat >"$dir/paths.lua" <<'LUA'
local paths = {"/api/health", "/", "/app/main.js", "/api/health", "/d/nosuchcode1"}
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
LUA

rss() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status"; }
logs() { sqlite3 "file:$dir/pb_data/auxiliary.db?mode=ro" "SELECT count(*) FROM _logs WHERE json_extract(data, '$.type') = 'request'" 2>/dev/null || echo "?"; }

echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')  commit: $(git rev-parse --short HEAD)  load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "wrk -t1 -c$conns -d${minutes}m over /api/health, /, /app/main.js, /d/nosuchcode1"
printf "%6s %8s %10s\n" "t (s)" "RSS (MB)" "log rows"
printf "%6d %8s %10s\n" 0 "$(rss)" "$(logs)"
wrk -t1 -c"$conns" -d"${minutes}m" -s "$dir/paths.lua" "http://127.0.0.1:$port" >"$dir/wrk.txt" 2>&1 &
wrkpid=$!
start=$(date +%s)
while kill -0 "$wrkpid" 2>/dev/null; do
  sleep 15
  printf "%6d %8s %10s\n" $(( $(date +%s) - start )) "$(rss)" "$(logs)"
done
wait "$wrkpid" || true
sleep 4 # the logger's batch is flushed every 3 s
printf "%6s %8s %10s\n" "after" "$(rss)" "$(logs)"
grep -E "Requests/sec|requests in|Non-2xx" "$dir/wrk.txt" || cat "$dir/wrk.txt"
grep -i "dropped" "$dir/server.log" | tail -3 || true
