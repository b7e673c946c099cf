#!/usr/bin/env bash
# The all-in-one's start-up with and without a class-data-sharing archive (AppCDS, as ./start.sh uses it):
# seconds from `java` to /ready answering 200, and the CPU the JVM used by then. Each run starts on an empty
# data directory and is stopped with SIGTERM. First a run that writes the archive at its exit (timed, with the
# exit), then ROUNDS pairs, one run without the archive and one with it, interleaved so that the host's drift
# falls on both alike; the means of each at the end.
# Usage: bench/startup/run-allinone-startup.sh [jar]   (default launcher/target/opentrade-all-in-one.jar)
# Environment: ROUNDS (5), PORT (18080), JAVA_OPTS (-Xms256m -Xmx1g, start.sh's).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
jar="$(readlink -f "${1:-$root/launcher/target/opentrade-all-in-one.jar}")"
rounds="${ROUNDS:-5}"
port="${PORT:-18080}"
read -r -a opts <<< "${JAVA_OPTS:--Xms256m -Xmx1g}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
archive="$work/all-in-one.jsa"

run() { # run <label> <extra java options...>: one start, measured, then SIGTERM
  local label=$1; shift
  rm -rf "$work/data"; mkdir "$work/data"
  local start end pid cpu stop
  start=$(date +%s.%N)
  (cd "$work" && OPENTRADE_HTTP_HOST=127.0.0.1 OPENTRADE_HTTP_PORT="$port" exec java "${opts[@]}" "$@" "-Xlog:cds*=off" \
    -jar "$jar" > "$work/console.log" 2>&1) &
  pid=$!
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/ready")" = 200 ]; do
    kill -0 "$pid" 2>/dev/null || { echo "$label: the all-in-one exited; its console:"; tail -20 "$work/console.log"; exit 1; }
    sleep 0.1 # polling readiness; the figure is rounded to this
  done
  end=$(date +%s.%N)
  cpu=$(awk '{printf "%.1f", ($14 + $15) / 100}' "/proc/$(pgrep -P "$pid" java || echo "$pid")/stat" 2>/dev/null || echo "?")
  stop=$(date +%s.%N)
  kill -TERM "$(pgrep -P "$pid" java || echo "$pid")" 2>/dev/null || true
  wait "$pid" || true
  local ready
  ready=$(echo "$end - $start" | bc)
  printf '%-28s ready %5.1f s  cpu %5s s  exit %4.1f s\n' "$label" "$ready" "$cpu" "$(echo "$(date +%s.%N) - $stop" | bc)"
  local kind=${label%% (*}
  echo "${kind// /_} $ready $cpu" >> "$work/figures"
}

echo "all-in-one start-up, $(nproc) cores, $(java -version 2>&1 | head -1), jar $(basename "$jar")"
run "writing the archive" "-XX:ArchiveClassesAtExit=$archive"
echo "archive: $(du -m "$archive" | cut -f1) MB"
for i in $(seq 1 "$rounds"); do
  run "no archive ($i)"
  run "with the archive ($i)" "-XX:SharedArchiveFile=$archive"
done
awk '$1 != "writing_the_archive" { n[$1]++; r[$1] += $2; c[$1] += $3 }
     END { for (k in n) { l = k; gsub("_", " ", l); printf "mean, %-18s ready %5.1f s  cpu %5.1f s  (%d runs)\n", l, r[k] / n[k], c[k] / n[k], n[k] } }' \
  "$work/figures" | sort
