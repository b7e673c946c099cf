#!/usr/bin/env bash
# Gateway benchmark of DESIGN.md §5, second row, in one run (about 4 minutes on 2 cores):
#   a trivial upstream (TrivialUpstream: /health and /v1/market/instruments, ~100-byte JSON), reached
#   (1) directly, (2) through a bare Vert.x reverse proxy (TrivialProxy, reference: what one extra hop
#   costs), (3) through the API gateway (GatewayMain, embedded store) with API-key auth, rate limits,
#   metering and tracing on (sample ratio 1.0, in-process span store); the bench plan's limit is huge
#   so the limiter is evaluated on every call but never refuses.
#   (a) max throughput: wrk -t1 -c32, closed loop, each target in turn after a warm-up;
#   (b) latency at a fixed rate of half the gateway's measured max, open loop, coordinated-omission
#       corrected (FixedRateHttpLoad; wrk2 is not packaged for Debian), same rate for every target.
# Prints a summary table (gateway/direct throughput ratio, p50/p99, p99 overhead) and records the machine.
#
# Usage: bench/run-gateway-bench.sh          full run; table also written to bench/results/gateway-<time>.md
#        SMOKE=1 bench/run-gateway-bench.sh  ~40 s sanity run (results stay in the output dir only)
# Knobs (environment): DURATION (wrk seconds per target, 20), WARMUP (wrk warm-up seconds per target, 10),
#   CONNECTIONS (32), LAT_RATE (req/s; default half the gateway max), LAT_SECONDS (20), LAT_WARMUP (5),
#   UP_PORT / PROXY_PORT / GW_PORT (18181 / 18182 / 18180), OUT (output dir),
#   PROFILE=1 (JFR recording of the gateway during its wrk run: $OUT/gateway.jfr).
# Processes: three JVMs (upstream, proxy, gateway) + wrk + the load generator, all on 127.0.0.1, not
#   pinned: the kernel shares the cores among them, as it would on a small box running all of them.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=../scripts/ensure-tools.sh
source scripts/ensure-tools.sh
command -v wrk >/dev/null 2>&1 || _apt_install wrk
command -v curl >/dev/null 2>&1 || _apt_install curl
command -v jq >/dev/null 2>&1 || _apt_install jq

JAR=bench/target/benchmarks.jar
if [[ "${SMOKE:-0}" == 1 ]]; then
  DURATION=${DURATION:-4}; WARMUP=${WARMUP:-3}; LAT_SECONDS=${LAT_SECONDS:-4}; LAT_WARMUP=${LAT_WARMUP:-2}
else
  DURATION=${DURATION:-20}; WARMUP=${WARMUP:-10}; LAT_SECONDS=${LAT_SECONDS:-20}; LAT_WARMUP=${LAT_WARMUP:-5}
fi
CONNECTIONS=${CONNECTIONS:-32}
UP_PORT=${UP_PORT:-18181}; PROXY_PORT=${PROXY_PORT:-18182}; GW_PORT=${GW_PORT:-18180}
STAMP=$(date +%Y%m%d-%H%M%S)
OUT=${OUT:-bench/target/gateway-bench-$STAMP}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
PATH_UNDER_TEST=/v1/market/instruments
DIRECT_URL=http://127.0.0.1:$UP_PORT$PATH_UNDER_TEST
PROXY_URL=http://127.0.0.1:$PROXY_PORT$PATH_UNDER_TEST
GW=http://127.0.0.1:$GW_PORT
GW_URL=$GW$PATH_UNDER_TEST

# ---------------------------------------------------------------- build if needed
if [[ ! -f $JAR ]] || [[ -n "$(find bench/src api-gateway/src common/src sandbox-exchange/src -newer "$JAR" -type f 2>/dev/null | head -1)" ]] \
    || [[ -n "$(find . -maxdepth 2 -name pom.xml -newer "$JAR" 2>/dev/null | head -1)" ]]; then
  echo "building $JAR ..."
  mvn -B -ntp -q -pl bench -am package -DskipTests
fi

# ---------------------------------------------------------------- processes (stopped on exit, by pid)
PIDS=()
cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$p" 2>/dev/null || true
  done
}
trap cleanup EXIT
for port in "$UP_PORT" "$PROXY_PORT" "$GW_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "port $port is in use; set UP_PORT / PROXY_PORT / GW_PORT" >&2; exit 1
  fi
done
wait_http() { # wait_http <url> <seconds>
  for _ in $(seq $(( $2 * 5 ))); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' "$1" || true)" == 200 ]] && return 0
    sleep 0.2
  done
  echo "no 200 from $1 after $2 s" >&2; return 1
}

load() { cut -d' ' -f1 /proc/loadavg; }
{
  echo "date:        $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit:      $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "nproc:       $(nproc)"
  echo "cpu:         $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "memory:      $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "kernel:      $(uname -r)"
  echo "wrk:         $(wrk -v 2>&1 | head -1)"
  echo "settings:    wrk -t1 -c$CONNECTIONS ${DURATION}s per target after ${WARMUP}s warm-up;" \
       "fixed-rate ${LAT_SECONDS}s after ${LAT_WARMUP}s, $CONNECTIONS connections; processes not pinned"
  echo "load at start: $(cat /proc/loadavg)"
  java -version 2>&1 | sed 's/^/java:        /'
} | tee "$OUT/machine.txt"
if awk -v l="$(load)" 'BEGIN { exit !(l >= 1.0) }'; then
  echo "WARNING: load average $(load) >= 1.0: the machine is busy, figures will be noisy" | tee -a "$OUT/machine.txt"
fi

echo; echo "== starting upstream, reference proxy, gateway"
java -Xms256m -Xmx256m -cp "$JAR" org.opentrade.bench.gateway.TrivialUpstream --port "$UP_PORT" \
  > "$OUT/upstream.log" 2>&1 &
PIDS+=($!)
java -Xms256m -Xmx256m -cp "$JAR" org.opentrade.bench.gateway.TrivialProxy --port "$PROXY_PORT" \
  --target "127.0.0.1:$UP_PORT" > "$OUT/proxy.log" 2>&1 &
PIDS+=($!)
cat > "$OUT/gateway-bench.yaml" <<'EOF'
# merged over api-gateway's gateway.yaml: limits evaluated on every call, never refusing
limits:
  plans:
    free:
      weight_per_minute: 1000000000000
EOF
OPENTRADE_GATEWAY_HOST=127.0.0.1 OPENTRADE_GATEWAY_PORT=$GW_PORT OPENTRADE_GATEWAY_DATA_DIR="$OUT/gateway-data" \
OPENTRADE_MARKET_API_TARGETS=127.0.0.1:$UP_PORT OPENTRADE_ADMIN_TOKEN=bench-admin-token-0123456789 \
  java -Xms512m -Xmx512m -Xlog:gc:file="$OUT/gateway-gc.log" -Dopentrade.gateway.config="$OUT/gateway-bench.yaml" -cp "$JAR" \
  org.opentrade.gateway.app.GatewayMain > "$OUT/gateway.log" 2>&1 &
GW_PID=$!
PIDS+=($GW_PID)
wait_http "http://127.0.0.1:$UP_PORT/health" 30
wait_http "http://127.0.0.1:$PROXY_PORT$PATH_UNDER_TEST" 30
wait_http "$GW/ready" 60   # /ready: the upstream passed its health checks

echo "== provisioning a developer and an API key"
curl -sf -X POST "$GW/v1/developers" -H 'Content-Type: application/json' \
  -d '{"email":"bench@example.com","password":"bench-password-123","name":"Bench"}' > /dev/null
TOKEN=$(curl -sf -X POST "$GW/v1/sessions" -H 'Content-Type: application/json' \
  -d '{"email":"bench@example.com","password":"bench-password-123"}' | jq -r .token)
KEY_JSON=$(curl -sf -X POST "$GW/v1/keys" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d '{"scopes":["market:read"]}')
KEY_ID=$(jq -r .key_id <<< "$KEY_JSON"); SECRET=$(jq -r .secret <<< "$KEY_JSON")
AUTH=(-H "X-API-Key: $KEY_ID" -H "X-API-Secret: $SECRET")
[[ "$(curl -s -o /dev/null -w '%{http_code}' "${AUTH[@]}" "$GW_URL")" == 200 ]] || { echo "key does not work" >&2; exit 1; }

# ---------------------------------------------------------------- (a) max throughput, closed loop
wrk_run() { # wrk_run <name> <seconds> <url> [wrk args...] -> $OUT/wrk-<name>.log
  local name=$1 secs=$2 url=$3; shift 3
  wrk -t1 -c"$CONNECTIONS" -d"${secs}s" --latency "$@" "$url" > "$OUT/wrk-$name.log" 2>&1
}
rps() { awk '/^Requests\/sec:/ {print $2}' "$OUT/wrk-$1.log"; }
wrk_pct() { awk -v p="$2" '$1 == p { print $2 }' "$OUT/wrk-$1.log"; }
non2xx() { awk '/Non-2xx/ {print $5} END {}' "$OUT/wrk-$1.log" | head -1; }

echo; echo "== warm-up, ${WARMUP}s per target"
wrk_run warm-direct "$WARMUP" "$DIRECT_URL"
wrk_run warm-proxy "$WARMUP" "$PROXY_URL"
wrk_run warm-gateway "$WARMUP" "$GW_URL" "${AUTH[@]}"

echo "== max throughput, wrk -t1 -c$CONNECTIONS -d${DURATION}s"
wrk_run direct "$DURATION" "$DIRECT_URL"
echo "direct:  $(rps direct) req/s"
wrk_run proxy "$DURATION" "$PROXY_URL"
echo "proxy:   $(rps proxy) req/s"
if [[ "${PROFILE:-0}" == 1 ]]; then
  jcmd "$GW_PID" JFR.start name=bench settings=profile filename="$OUT/gateway.jfr" > /dev/null
fi
wrk_run gateway "$DURATION" "$GW_URL" "${AUTH[@]}"
[[ "${PROFILE:-0}" == 1 ]] && jcmd "$GW_PID" JFR.stop name=bench > /dev/null
echo "gateway: $(rps gateway) req/s"
for n in direct proxy gateway; do
  bad=$(non2xx $n)
  if [[ -n "$bad" && "$bad" != 0 ]]; then echo "ERROR: $bad non-2xx answers in the $n run" >&2; exit 1; fi
done

# ---------------------------------------------------------------- (b) latency at half the gateway max, open loop
LAT_RATE=${LAT_RATE:-$(awk -v r="$(rps gateway)" 'BEGIN { printf "%d", r / 2 }')}
echo; echo "== latency at a fixed $LAT_RATE req/s (half the gateway max), open loop, CO-corrected"
lat_run() { # lat_run <name> <url> [--header h]...
  local name=$1 url=$2; shift 2
  java -Xms256m -Xmx256m -cp "$JAR" org.opentrade.bench.gateway.FixedRateHttpLoad --name "$name" --url "$url" \
    --rate "$LAT_RATE" --seconds "$LAT_SECONDS" --warmup-seconds "$LAT_WARMUP" --connections "$CONNECTIONS" "$@" \
    2>&1 | grep -v '^SLF4J' | tee "$OUT/latency-$name.log"
}
lat_run direct "$DIRECT_URL"
lat_run proxy "$PROXY_URL"
lat_run gateway "$GW_URL" --header "X-API-Key: $KEY_ID" --header "X-API-Secret: $SECRET"

# ---------------------------------------------------------------- the gateway really did the work
TRACE_ID=$(curl -s -D - -o /dev/null "${AUTH[@]}" "$GW_URL" | tr -d '\r' | awk -F': ' 'tolower($1) == "x-trace-id" {print $2}')
sleep 1.5   # one usage flush interval
SPANS=$(curl -s "${AUTH[@]}" "$GW/v1/traces/$TRACE_ID" | jq '.spans | length' 2>/dev/null || echo 0)
CALLS=$(curl -s "${AUTH[@]}" "$GW/v1/usage" | jq '[.rows[] | select(.route == "GET /v1/market/instruments") | .calls] | add' 2>/dev/null || echo 0)
RL=$(curl -s -D - -o /dev/null "${AUTH[@]}" "$GW_URL" | tr -d '\r' | awk -F': ' 'tolower($1) == "ratelimit-remaining" {print $2}')
echo "checks: trace $TRACE_ID has $SPANS span(s); metered calls on the route: $CALLS; RateLimit-Remaining: $RL" \
  | tee "$OUT/checks.txt"
curl -s "$GW/metrics" > "$OUT/gateway-metrics.txt" || true
echo "load at end: $(cat /proc/loadavg)" | tee -a "$OUT/machine.txt"

# ---------------------------------------------------------------- summary
lat() { grep '^RESULT latency' "$OUT/latency-$1.log" | tr ' ' '\n' | awk -F= -v k="$2" '$1 == k { print $2 }'; }
D=$(rps direct); P=$(rps proxy); G=$(rps gateway)
RATIO=$(awk -v g="$G" -v d="$D" 'BEGIN { printf "%.1f", 100 * g / d }')
PRATIO=$(awk -v g="$P" -v d="$D" 'BEGIN { printf "%.1f", 100 * g / d }')
GPRATIO=$(awk -v g="$G" -v d="$P" 'BEGIN { printf "%.1f", 100 * g / d }')
OVER=$(awk -v g="$(lat gateway p99)" -v d="$(lat direct p99)" 'BEGIN { printf "%.0f", g - d }')
OVER50=$(awk -v g="$(lat gateway p50)" -v d="$(lat direct p50)" 'BEGIN { printf "%.0f", g - d }')
POVER=$(awk -v g="$(lat proxy p99)" -v d="$(lat direct p99)" 'BEGIN { printf "%.0f", g - d }')
met() { awk -v x="$1" -v t="$3" -v c="$2" 'BEGIN { print ((c == "ge" ? x >= t : x <= t) ? "yes" : "NO") }'; }
{
  echo "# Gateway benchmark $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "DESIGN.md §5: gateway (API-key auth + rate limit + metering + tracing) vs the same trivial upstream direct."
  echo "Load average at start $(grep 'load at start' "$OUT/machine.txt" | cut -d' ' -f4-6), at end" \
       "$(grep 'load at end' "$OUT/machine.txt" | cut -d' ' -f4-6); $(nproc) cores, $(grep '^cpu:' "$OUT/machine.txt" | cut -c14-)."
  echo "$(grep '^settings:' "$OUT/machine.txt" | cut -c14-). Open-loop latency at $LAT_RATE req/s for every target."
  echo
  echo "| target | max req/s (wrk) | % of direct | wrk p50 / p99 at max (closed loop) | p50 at $LAT_RATE/s | p99 at $LAT_RATE/s | p99.9 | errors |"
  echo "|---|---:|---:|---|---:|---:|---:|---:|"
  for n in direct proxy gateway; do
    label=$n; [[ $n == proxy ]] && label="bare Vert.x proxy (reference)"
    [[ $n == gateway ]] && label="gateway (auth+limits+metering+tracing)"
    printf '| %s | %.0f | %.1f %% | %s / %s | %.0f us | %.0f us | %.0f us | %s |\n' "$label" "$(rps $n)" \
      "$(awk -v g="$(rps $n)" -v d="$D" 'BEGIN { print 100 * g / d }')" "$(wrk_pct $n 50%)" "$(wrk_pct $n 99%)" \
      "$(lat $n p50)" "$(lat $n p99)" "$(lat $n p999)" "$(lat $n errors)"
  done
  echo
  echo "| figure | measured | target | met? |"
  echo "|---|---:|---|---|"
  echo "| gateway throughput / direct | $RATIO % | >= 75 % | $(met "$RATIO" ge 75) |"
  echo "| gateway p99 overhead at half the gateway max ($LAT_RATE req/s) | $OVER us | <= 1000 us | $(met "$OVER" le 1000) |"
  echo "| (info) gateway p50 overhead | $OVER50 us | - | - |"
  echo "| (info) bare proxy throughput / direct; gateway / bare proxy | $PRATIO %; $GPRATIO % | - | - |"
  echo "| (info) bare proxy p99 overhead | $POVER us | - | - |"
  echo
  echo "Checks: $(cat "$OUT/checks.txt" | sed 's/^checks: //')."
  echo "Generator dispatch lateness p99 (in every latency figure alike): direct $(lat direct late_p99) us," \
       "proxy $(lat proxy late_p99) us, gateway $(lat gateway late_p99) us. Raw logs: $OUT"
} | tee "$OUT/summary.md"
if [[ "${SMOKE:-0}" != 1 ]]; then
  mkdir -p bench/results
  cp "$OUT/summary.md" "bench/results/gateway-$STAMP.md"
  echo "written: bench/results/gateway-$STAMP.md"
fi
