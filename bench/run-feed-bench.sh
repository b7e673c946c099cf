#!/usr/bin/env bash
# Exchange feed benchmark (bench/README.md, targets row 2), side by side in one JVM (about 2-3 minutes on
# 2 cores): the engine's own event rate, the live feed to one FeedConsumer over the local event bus
# (storage on and off; paced at LAT_RATE when the exchange reaches it), and catch-up from position 0
# through FeedEndpoint replay pages, plus the raw event-log read rate. Prints a summary table
# (metric, measured, target, met?) and records the machine.
#
# Usage: bench/run-feed-bench.sh                  full run (2 M commands per pass)
#        SMOKE=1 bench/run-feed-bench.sh          short run of everything (well under a minute)
#        PROFILE=1 bench/run-feed-bench.sh        also a JFR recording of every measured section, and
#                                                 its hottest methods per thread (figures then cost a few %)
#        bench/run-feed-bench.sh --summary <dir>  re-print the summary of an earlier run
# Knobs (environment): COMMANDS (measured commands, a multiple of 16384; SMOKE 131072, full 1998848), PASSES (engine passes),
#   WARMUP_SECONDS (engine warm-up), REPEAT (live runs per storage variant; best counts),
#   RATE (paced commands/s, default 1000000), SETTLE (stream settle commands),
#   CPUS (taskset list for the JVM, default every online CPU), JOURNAL_DIR (where the journal and event
#   log are written), OUT (output dir).
# Results: $OUT/machine.txt, feed.log (everything), summary.txt, jfr/ (PROFILE=1).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
JAR=bench/target/benchmarks.jar
# Same heap and page settings as run-exchange-bench.sh: the engine figures stay comparable.
JVM_OPTS=(-Xms2g -Xmx2g -XX:+AlwaysPreTouch -XX:+UseTransparentHugePages)

if [[ "${SMOKE:-0}" == 1 ]]; then
  COMMANDS=${COMMANDS:-131072}; PASSES=${PASSES:-2}; WARMUP_SECONDS=${WARMUP_SECONDS:-1}; REPEAT=${REPEAT:-1}
  SETTLE=${SETTLE:-20000}
else
  COMMANDS=${COMMANDS:-1998848}; PASSES=${PASSES:-3}; WARMUP_SECONDS=${WARMUP_SECONDS:-3}; REPEAT=${REPEAT:-2}
  SETTLE=${SETTLE:-200000}
fi
RATE=${RATE:-1000000}
CPUS=${CPUS:-0-$(($(nproc) - 1))}
JOURNAL_DIR=${JOURNAL_DIR:-${TMPDIR:-/tmp}}
OUT=${OUT:-bench/target/feed-bench-$(date +%Y%m%d-%H%M%S)}

if [[ "${1:-}" == --summary ]]; then
  cat "${2:?"--summary needs the output directory of an earlier run"}/summary.txt"
  exit 0
fi
mkdir -p "$OUT"

# ---------------------------------------------------------------- build if needed
if [[ ! -f $JAR ]] || [[ -n "$(find bench/src sandbox-exchange/src exchange-client/src bench/pom.xml \
      sandbox-exchange/pom.xml exchange-client/pom.xml -newer "$JAR" -type f 2>/dev/null | head -1)" ]]; then
  echo "building $JAR ..."
  mvn -B -q -o -pl bench -am -DskipTests package \
    || { echo "offline build failed; build once with: mvn -B -q -pl bench -am -DskipTests package" >&2; exit 1; }
fi

# ---------------------------------------------------------------- machine
pressure() { grep '^some' /proc/pressure/cpu 2>/dev/null | cut -d' ' -f2-4 || echo "n/a"; }
{
  echo "date:        $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit:      $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "nproc:       $(nproc)"
  echo "cpu:         $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "memory:      $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "kernel:      $(uname -r)"
  echo "clocksource: $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource 2>/dev/null || echo unknown)"
  echo "journal dir: $JOURNAL_DIR ($(df -P "$JOURNAL_DIR" | awk 'NR==2 {print $1}'))"
  echo "jvm opts:    ${JVM_OPTS[*]}; taskset -c $CPUS (exchange, event loops and consumer share these cores)"
  echo "settings:    commands $COMMANDS, settle $SETTLE, engine passes $PASSES after ${WARMUP_SECONDS}s warm-up," \
       "live runs $REPEAT per variant, paced rate $RATE/s"
  echo "load at start: $(cat /proc/loadavg); cpu pressure (some) $(pressure)"
  java -version 2>&1 | sed 's/^/java:        /'
} | tee "$OUT/machine.txt"
if awk -v l="$(cut -d' ' -f1 /proc/loadavg)" -v n="$(nproc)" 'BEGIN { exit !(l >= n / 2) }'; then
  echo "WARNING: load average $(cut -d' ' -f1 /proc/loadavg) on $(nproc) cores: the machine is busy, rates will" \
       "be low and noisy; read the ratios and the CPU per event" | tee -a "$OUT/machine.txt"
fi

# ---------------------------------------------------------------- run
PROPS=(-Dstream.settle="$SETTLE" -Djournal.dir="$JOURNAL_DIR")
# DebugNonSafepoints: without it JFR pins samples to the nearest safepoint and blames the wrong inlined methods.
[[ "${PROFILE:-0}" == 1 ]] && PROPS+=(-Dfeed.jfr.dir="$OUT/jfr" -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints)
echo
# JUL INFO lines (shard recovery) and the table (printed below with the machine) go to feed.log only.
timeout 900 taskset -c "$CPUS" java "${JVM_OPTS[@]}" "${PROPS[@]}" -cp "$JAR" \
  org.opentrade.bench.exchange.FeedBenchmark --commands "$COMMANDS" --passes "$PASSES" \
  --warmup-seconds "$WARMUP_SECONDS" --repeat "$REPEAT" --rate "$RATE" 2>&1 \
  | tee "$OUT/feed.log" \
  | awk '/^== summary/ { table = 1 } !table && !/^INFO: / && !/^[A-Z][a-z][a-z] [0-9]+, [0-9]+ .* org\.opentrade/' \
  || { echo "feed benchmark failed; see $OUT/feed.log" >&2; exit 1; }
grep -q '^== summary' "$OUT/feed.log" || { echo "feed benchmark ended without a summary; see $OUT/feed.log" >&2; exit 1; }
echo "load at end: $(cat /proc/loadavg); cpu pressure (some) $(pressure)" | tee -a "$OUT/machine.txt"

if [[ "${PROFILE:-0}" == 1 ]]; then
  for f in "$OUT"/jfr/*.jfr; do
    java -cp "$JAR" org.opentrade.bench.exchange.JfrHotMethods "$f" 15 > "${f%.jfr}.txt"
  done
  echo "hottest methods per thread: $OUT/jfr/*.txt"
fi

# ---------------------------------------------------------------- summary
{
  echo
  echo "== feed benchmark, $(grep '^date' "$OUT/machine.txt" | cut -c14-), commit $(grep '^commit' "$OUT/machine.txt" | cut -c14-)"
  echo "machine: $(nproc) cores, $(grep '^cpu:' "$OUT/machine.txt" | cut -c14-); JVM on cores $CPUS"
  grep '^load at' "$OUT/machine.txt"
  sed -n '/^== summary/,$p' "$OUT/feed.log" | tail -n +2
  echo "On shared cores absolute rates drift: compare ratios within one run, and the CPU per event. Details: $OUT"
} | tee "$OUT/summary.txt"
