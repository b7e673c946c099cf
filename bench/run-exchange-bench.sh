#!/usr/bin/env bash
# Exchange benchmarks (bench/README.md, targets row 1), side by side in one run (about 5-8 minutes on 2 cores):
#   matching engine throughput (JMH), fixed-rate latency at 1 M commands/s (HdrHistogram),
#   engine + journal (JMH), full shard pipeline with journal off/on (JMH).
# Prints a summary table (metric, measured, target, met?) and records the machine.
#
# Usage: bench/run-exchange-bench.sh            full run
#        SMOKE=1 bench/run-exchange-bench.sh    one short iteration of everything (a minute or two)
#        bench/run-exchange-bench.sh --summary <dir>   re-print the summary of an earlier run
# Knobs (environment): WI, I (JMH warm-up / measurement iterations), W, R (seconds per iteration),
#   LAT_RATE (commands/s, default 1000000), LAT_SECONDS, LAT_WARMUP, LAT_BASELINE,
#   JOURNAL_DIR (where journals are written: use the disk the exchange would use), OUT (output dir).
# Results: $OUT/machine.txt, jmh.csv, jmh.log, latency-*.log, summary.txt.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
JAR=bench/target/benchmarks.jar
# Transparent huge pages: the engine's working set spans many 4 KiB pages, and on this VM every
# timer interrupt leaves the TLB cold; with 2 MiB pages the thread recovers faster (p99 at 1 M/s
# went from 7-13 us to 2.7-3.8 us in 3 of 4 runs on the project machine).
JVM_OPTS=(-Xms2g -Xmx2g -XX:+AlwaysPreTouch -XX:+UseTransparentHugePages)

if [[ "${SMOKE:-0}" == 1 ]]; then
  WI=${WI:-1}; I=${I:-1}; W=${W:-1}; R=${R:-1}
  LAT_SECONDS=${LAT_SECONDS:-3}; LAT_WARMUP=${LAT_WARMUP:-2}; LAT_BASELINE=${LAT_BASELINE:-1}
else
  WI=${WI:-3}; I=${I:-5}; W=${W:-1}; R=${R:-2}
  LAT_SECONDS=${LAT_SECONDS:-10}; LAT_WARMUP=${LAT_WARMUP:-5}; LAT_BASELINE=${LAT_BASELINE:-5}
fi
LAT_RATE=${LAT_RATE:-1000000}
JOURNAL_DIR=${JOURNAL_DIR:-${TMPDIR:-/tmp}}
OUT=${OUT:-bench/target/exchange-bench-$(date +%Y%m%d-%H%M%S)}
SUMMARY_ONLY=0
if [[ "${1:-}" == --summary ]]; then
  OUT=${2:?"--summary needs the output directory of an earlier run"}; SUMMARY_ONLY=1
  LAT_RATE=$(grep -o 'latency [0-9]*/s' "$OUT/machine.txt" | grep -o '[0-9]*')
fi
mkdir -p "$OUT"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
LOAD_END=$LOAD_START

run_all() {

# ---------------------------------------------------------------- build if needed
if [[ ! -f $JAR ]] || [[ -n "$(find bench/src sandbox-exchange/src bench/pom.xml sandbox-exchange/pom.xml \
      -newer "$JAR" -type f 2>/dev/null | head -1)" ]]; then
  echo "building $JAR ..."
  mvn -B -q -pl bench -am -DskipTests package
fi

# ---------------------------------------------------------------- machine
load() { cut -d' ' -f1 /proc/loadavg; }
{
  echo "date:        $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit:      $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "nproc:       $(nproc)"
  echo "cpu:         $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "memory:      $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "kernel:      $(uname -r)"
  echo "clocksource: $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource 2>/dev/null || echo unknown)"
  echo "journal dir: $JOURNAL_DIR ($(df -P "$JOURNAL_DIR" | awk 'NR==2 {print $1}'))"
  echo "jvm opts:    ${JVM_OPTS[*]}"
  echo "settings:    JMH -f 1 -wi $WI -w ${W}s -i $I -r ${R}s; latency ${LAT_RATE}/s for ${LAT_SECONDS}s after ${LAT_WARMUP}s warm-up"
  echo "load at start: $(cat /proc/loadavg)"
  java -version 2>&1 | sed 's/^/java:        /'
} | tee "$OUT/machine.txt"
if awk -v l="$(load)" 'BEGIN { exit !(l >= 1.0) }'; then
  echo "WARNING: load average $(load) >= 1.0: the machine is busy, figures will be noisy" | tee -a "$OUT/machine.txt"
fi

# ---------------------------------------------------------------- stream shape (books stay ~1000 deep)
echo; echo "== stream"
java "${JVM_OPTS[@]}" -cp "$JAR" org.opentrade.bench.exchange.MixedStreamReport | tee "$OUT/stream.log"

# ---------------------------------------------------------------- fixed-rate latency
for mode in PURE RULES; do
  echo; echo "== fixed-rate latency, $mode"
  java "${JVM_OPTS[@]}" -cp "$JAR" org.opentrade.bench.exchange.FixedRateLatencyBenchmark --mode "$mode" \
    --rate "$LAT_RATE" --seconds "$LAT_SECONDS" --warmup-seconds "$LAT_WARMUP" --baseline-seconds "$LAT_BASELINE" \
    | tee "$OUT/latency-$mode.log" | grep -v '^  \(mix\|outcomes\|resting\)'
done

# ---------------------------------------------------------------- JMH throughput
echo; echo "== JMH (engine, engine + journal, shard pipeline)"
java -jar "$JAR" 'MatchingEngineBenchmark|JournaledEngineBenchmark|ExchangePipelineBenchmark' \
  -f 1 -wi "$WI" -w "${W}s" -i "$I" -r "${R}s" -jvmArgsAppend "-Djournal.dir=$JOURNAL_DIR" \
  -rf csv -rff "$OUT/jmh.csv" > "$OUT/jmh.log" 2>&1 || { tail -40 "$OUT/jmh.log"; exit 1; }
sed -n '/^Benchmark /,$p' "$OUT/jmh.log"

echo "load at end: $(cat /proc/loadavg)" | tee -a "$OUT/machine.txt"
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
}
[[ $SUMMARY_ONLY == 1 ]] || run_all
if [[ $SUMMARY_ONLY == 1 ]]; then
  LOAD_START=$(grep 'load at start' "$OUT/machine.txt" | cut -d: -f2 | cut -d' ' -f2-4)
  LOAD_END=$(grep 'load at end' "$OUT/machine.txt" | cut -d: -f2 | cut -d' ' -f2-4)
fi

# ---------------------------------------------------------------- summary
# jmh.csv: "Benchmark","Mode","Threads","Samples","Score","Score Error (99.9%)","Unit","Param: ...",...
score() { # score <method suffix> <param=value>... -> ops/s
  awk -F, -v m="$1" -v want="${*:2}" '
    { gsub(/\r/, "") }
    NR == 1 { for (i = 1; i <= NF; i++) { h = $i; gsub(/"|Param: /, "", h); col[h] = i }; next }
    { b = $1; gsub(/"/, "", b); if (b !~ ("\\." m "$")) next
      n = split(want, kv, " "); ok = 1
      for (k = 1; k <= n; k++) { split(kv[k], p, "="); v = $(col[p[1]]); gsub(/"/, "", v); if (v != p[2]) ok = 0 }
      if (ok) { print $5; exit } }' "$OUT/jmh.csv"
}
latency() { # latency <mode> <key> -> ns
  grep '^RESULT latency' "$OUT/latency-$1.log" | tr ' ' '\n' | awk -F= -v k="$2" '$1 == k { print $2 }'
}
row() { # row <metric> <value> <unit: mops|us> <target text> <comparison: ge|le> <threshold>
  local v="$2" shown met
  if [[ -z "$v" ]]; then shown="n/a"; met="?"
  elif [[ $3 == mops ]]; then shown=$(awk -v x="$v" 'BEGIN { printf "%.2f M/s", x / 1e6 }')
  else shown=$(awk -v x="$v" 'BEGIN { printf "%.2f us", x / 1e3 }'); fi
  if [[ -n "$v" && -n "$6" ]]; then
    met=$(awk -v x="$v" -v t="$6" -v c="$5" 'BEGIN { print ((c == "ge" ? x >= t : x <= t) ? "yes" : "NO") }')
  elif [[ -n "$v" ]]; then met="-"; fi
  printf '| %-58s | %12s | %-12s | %-4s |\n' "$1" "$shown" "$4" "$met"
}
{
  echo
  echo "== summary: load average at start $LOAD_START, at end $LOAD_END;" \
    "$(grep nproc "$OUT/machine.txt" | awk '{print $2}') cores, $(grep '^cpu:' "$OUT/machine.txt" | cut -c14-)"
  printf '| %-58s | %12s | %-12s | %-4s |\n' metric measured target "met?"
  printf '|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..60})" "$(printf -- '-%.0s' {1..14})" "$(printf -- '-%.0s' {1..14})" "------"
  for mode in PURE RULES; do
    row "engine, 1 thread, mixed stream, $mode" "$(score mixedStream mode=$mode)" mops ">= 3 M/s" ge 3e6
  done
  for mode in PURE RULES; do
    row "engine + EventCollector (events built), $mode" "$(score mixedStreamWithEvents mode=$mode)" mops "-" ge ""
  done
  for mode in PURE RULES; do
    row "latency p99 at $((LAT_RATE / 1000)) k/s, CO-correct, $mode" "$(latency $mode p99)" us "<= 5 us" le 5000
    row "  p99.9, $mode (info)" "$(latency $mode p999)" us "-" le ""
    row "  max, $mode (info)" "$(latency $mode max)" us "-" le ""
    row "  platform (same paced loop, no work) p99, $mode (info)" "$(latency $mode platform_p99)" us "-" le ""
    row "  platform (same paced loop, no work) p99.9, $mode (info)" "$(latency $mode platform_p999)" us "-" le ""
  done
  for every in 64 1024; do
    row "engine + journal off, commit every $every" "$(score journalThenMatch journal=OFF commitEvery=$every)" mops "-" ge ""
    row "engine + journal, no fsync, commit every $every" "$(score journalThenMatch journal=NONE commitEvery=$every)" mops ">= 1 M/s" ge 1e6
    row "engine + journal, fsync per commit, commit every $every" "$(score journalThenMatch journal=BATCH commitEvery=$every)" mops ">= 1 M/s" ge 1e6
  done
  row "shard pipeline (ring, results, futures), journal off" "$(score submitAndComplete journal=OFF)" mops "-" ge ""
  row "shard pipeline, journal on, no fsync" "$(score submitAndComplete journal=NONE)" mops ">= 1 M/s" ge 1e6
  row "shard pipeline, journal on, fsync per ring batch" "$(score submitAndComplete journal=BATCH)" mops ">= 1 M/s" ge 1e6
  echo "On shared cores absolute numbers drift: compare ratios within one run. Details: $OUT"
} | tee "$OUT/summary.txt"
