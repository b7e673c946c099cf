#!/usr/bin/env bash
# market-api benchmark (bench/README.md, targets rows 6 and 7, and feed ingest) in one run (about 8-9 minutes on 2 cores):
#   1. K-lines: GET /v1/market/klines/600519.SH?interval=1m&limit=1000 at fixed rates (the target's 500
#      req/s, and 100 req/s, which one core can serve), open loop,
#      coordinated-omission corrected (FixedRateHttpLoad), through the gateway of the all-in-one and
#      direct to its market-api (with an assertion signed by the gateway's own key file), in turns in
#      the same run, after a warm-up of both. The all-in-one (launcher/target/opentrade-all-in-one.jar)
#      runs as shipped: simulator on (live trades), history backfilled into embedded QuestDB on first
#      start; data dirs under the output dir. A developer signs up and creates a key through the
#      gateway; the admin endpoint puts the key on plan partner (500 req/s x weight 2 = 60 000 a minute
#      fits its 120 000). Pinned: the all-in-one on core $SERVER_CPU, the load generator on $LOAD_CPU.
#   2. Ingest: events/s market-api's live side applies (MarketIngestBenchmark: MarketBoard.onEvent with
#      HistoryWriter on an in-memory store and the stream wiring, no client), from the bench's seeded
#      mixed stream run through the real matching engine. One JVM on both cores, as the feed bench.
#   3. WebSocket fan-out: one JVM with the exchange (simulator off) and market-api (in-memory store),
#      a driver making 100 trades/s of one symbol through the exchange's command address
#      (StreamFanoutServer, core $SERVER_CPU); a client JVM (StreamFanoutClient, core $LOAD_CPU) with 1 000
#      WebSockets straight to market-api (each with its own signed assertion) on trades:<symbol>:
#      receive time - trade time over all clients after a warm-up; heap per idle connected client. Then the
#      floor: the same client against StreamFanoutFloor (a trivial Vert.x WebSocket server writing the same
#      frames, no exchange or market-api), so market-api's share is read against what Vert.x and the kernel cost.
# Prints a summary table and records the machine (nproc, CPU, load, CPU busy share of the whole box, CPU
# pressure, java -version).
#
# Usage: bench/run-market-bench.sh          full run; table also written to bench/results/market-<time>.md
#        SMOKE=1 bench/run-market-bench.sh  ~2 min sanity run (results stay in the output dir only)
# Knobs (environment): K_RATES ("100 500"), K_WARMUP (s per target before the rounds, 20), K_SECONDS (s
#   per measured run, 20), K_ROUNDS (2 per rate), K_CONNECTIONS (16), INGEST_COMMANDS (262144), INGEST_PASSES (3),
#   INGEST_WARMUP (8), INGEST_VARIANTS (1000:all,16:all,1000,1000:bare), FAN_CLIENTS (1000 connected), FAN_STEPS
#   (subscribed clients per measurement, 100,1000), FAN_TRANSPORT (native: epoll, as the services run; io_uring), SERVER_GC (-XX:+UseG1GC; the servers' collector), FAN_RATE (100), FAN_WARMUP (10 s per step), FAN_SECONDS (30 per step), SERVER_CPU (0), LOAD_CPU (1), GW_PORT (18280), CTRL_PORT (18291),
#   K_JIT_ROUNDS (8: most 20 s warm-up rounds at 500 req/s until the JIT is quiet), OUT (output dir), PARTS (e.g. "1 3" to run only some parts).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=../scripts/ensure-tools.sh
source scripts/ensure-tools.sh
command -v curl >/dev/null 2>&1 || _apt_install curl
command -v jq >/dev/null 2>&1 || _apt_install jq
command -v taskset >/dev/null 2>&1 || _apt_install util-linux

JAR=bench/target/benchmarks.jar
AIO=launcher/target/opentrade-all-in-one.jar
if [[ "${SMOKE:-0}" == 1 ]]; then
  K_WARMUP=${K_WARMUP:-4}; K_SECONDS=${K_SECONDS:-5}; K_ROUNDS=${K_ROUNDS:-1}; K_JIT_ROUNDS=${K_JIT_ROUNDS:-1}
  INGEST_COMMANDS=${INGEST_COMMANDS:-65536}; INGEST_PASSES=${INGEST_PASSES:-1}; INGEST_WARMUP=${INGEST_WARMUP:-1}
  FAN_CLIENTS=${FAN_CLIENTS:-100}; FAN_STEPS=${FAN_STEPS:-20,100}; FAN_WARMUP=${FAN_WARMUP:-3}; FAN_SECONDS=${FAN_SECONDS:-5}
else
  K_WARMUP=${K_WARMUP:-20}; K_SECONDS=${K_SECONDS:-20}; K_ROUNDS=${K_ROUNDS:-2}
  INGEST_COMMANDS=${INGEST_COMMANDS:-262144}; INGEST_PASSES=${INGEST_PASSES:-3}; INGEST_WARMUP=${INGEST_WARMUP:-8}
  FAN_CLIENTS=${FAN_CLIENTS:-1000}; FAN_STEPS=${FAN_STEPS:-100,1000}; FAN_WARMUP=${FAN_WARMUP:-10}; FAN_SECONDS=${FAN_SECONDS:-30}
fi
K_RATES=${K_RATES:-100 500}; K_CONNECTIONS=${K_CONNECTIONS:-16}; K_JIT_ROUNDS=${K_JIT_ROUNDS:-8}
K_TARGET_RATE=500; K_WARM_RATE=${K_RATES%% *}
INGEST_VARIANTS=${INGEST_VARIANTS:-1000:all,16:all,1000,1000:bare}
FAN_RATE=${FAN_RATE:-100}; FAN_SYMBOL=600519.SH
FAN_TRANSPORT=${FAN_TRANSPORT:-native}; FAN_JAVA=(-Dopentrade.bench.transport="$FAN_TRANSPORT")
SERVER_CPU=${SERVER_CPU:-0}; LOAD_CPU=${LOAD_CPU:-1}
GW_PORT=${GW_PORT:-18280}; CTRL_PORT=${CTRL_PORT:-18291}
PARTS=${PARTS:-1 2 3}
KLINE_PATH="/v1/market/klines/$FAN_SYMBOL?interval=1m&limit=1000"
STAMP=$(date +%Y%m%d-%H%M%S)
OUT=${OUT:-bench/target/market-bench-$STAMP}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
# G1 by default, as on 2 cores (pinned to one, the JVM would pick Serial); SERVER_GC=-XX:+UseZGC to compare.
SERVER_GC=${SERVER_GC:--XX:+UseG1GC}
SERVER_JAVA=("$SERVER_GC" -XX:+UseTransparentHugePages)
# SERVER_JAVA_EXTRA: more JVM options for the servers, e.g. an async-profiler -agentpath (never for figures).
if [[ -n "${SERVER_JAVA_EXTRA:-}" ]]; then SERVER_JAVA+=($SERVER_JAVA_EXTRA); fi

# ---------------------------------------------------------------- build if needed
stale() { # stale <jar> <dirs...>: missing or older than a source or a pom
  local jar=$1; shift
  [[ ! -f $jar ]] || [[ -n "$(find "$@" -newer "$jar" -type f 2>/dev/null | head -1)" ]] \
    || [[ -n "$(find . -maxdepth 3 -name pom.xml -newer "$jar" 2>/dev/null | head -1)" ]]
}
SRC=(common/src exchange-client/src sandbox-exchange/src api-gateway/src market-api/src)
if stale "$JAR" bench/src "${SRC[@]}" || stale "$AIO" launcher/src "${SRC[@]}"; then
  echo "building $JAR and $AIO ..."
  mvn -B -ntp -q -pl bench,launcher -am package -DskipTests
fi

# ---------------------------------------------------------------- processes (stopped on exit, by pid)
PIDS=()
stop_pid() {
  local p=$1
  kill "$p" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$p" 2>/dev/null || return 0; sleep 0.2; done
  kill -9 "$p" 2>/dev/null || true
}
cleanup() { local p; for p in "${PIDS[@]}"; do stop_pid "$p"; done; }
trap cleanup EXIT
for port in "$GW_PORT" "$CTRL_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "port $port is in use; set GW_PORT / CTRL_PORT" >&2; exit 1
  fi
done
http_code() { curl -s -o /dev/null -w '%{http_code}' "$@" || true; }
wait_http() { # wait_http <url> <seconds>
  for _ in $(seq $(( $2 * 5 ))); do [[ "$(http_code "$1")" == 200 ]] && return 0; sleep 0.2; done
  echo "no 200 from $1 after $2 s" >&2; return 1
}
# Share of the whole box's CPU time that was busy over 3 s (every container on these cores: the
# processes of other developers are not visible here, but their load is).
busy() {
  local a b
  a=($(head -1 /proc/stat)); sleep 3; b=($(head -1 /proc/stat))
  awk -v a="${a[*]}" -v b="${b[*]}" 'BEGIN { n = split(a, x, " "); split(b, y, " "); t = 0; idle = 0;
    for (i = 2; i <= 9 && i <= n; i++) t += y[i] - x[i]; idle = (y[5] - x[5]) + (y[6] - x[6]);
    printf "%.0f %%", (t > 0 ? 100 * (t - idle) / t : 0) }'
}
proc_cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%d", ($14 + $15) * 1000 / hz }' "/proc/$1/stat"; }
# jit_cpu_ms <pid>: CPU of the JVM's JIT compiler threads (C1, C2) so far
jit_cpu_ms() {
  local t total=0 hz; hz=$(getconf CLK_TCK)
  for t in /proc/"$1"/task/*; do
    if grep -q '^C[12] CompilerThre' "$t/comm" 2>/dev/null; then
      total=$(( total + $(sed 's/.*) //' "$t/stat" | awk -v hz="$hz" '{ printf "%d", ($12 + $13) * 1000 / hz }') ))
    fi
  done
  echo "$total"
}
pressure() { awk '/^some/ { print $2 }' /proc/pressure/cpu 2>/dev/null || echo n/a; }
machine_state() { echo "load $(cut -d' ' -f1-3 /proc/loadavg), CPU busy $(busy) of $(nproc) cores, CPU pressure $(pressure)"; }

{
  echo "date:        $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit:      $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "nproc:       $(nproc)"
  echo "cpu:         $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "memory:      $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "kernel:      $(uname -r)"
  echo "pinning:     servers (all-in-one; fan-out server) on core $SERVER_CPU, load generator and WebSocket clients on core $LOAD_CPU; ingest JVM on both; server collector $SERVER_GC"
  echo "settings:    K-lines at $K_RATES req/s, $K_CONNECTIONS connections, ${K_WARMUP}s warm-up per target, $K_ROUNDS round(s) of ${K_SECONDS}s per target;" \
       "ingest $INGEST_COMMANDS commands, variants $INGEST_VARIANTS, $INGEST_PASSES passes after ${INGEST_WARMUP}s;" \
       "fan-out $FAN_CLIENTS clients connected, steps of $FAN_STEPS subscribed, $FAN_RATE trades/s, ${FAN_WARMUP}s warm-up and ${FAN_SECONDS}s measured per step"
  echo "at start:    $(machine_state)"
  java -version 2>&1 | sed 's/^/java:        /'
} | tee "$OUT/machine.txt"

has_part() { [[ " $PARTS " == *" $1 "* ]]; }
res() { # res <file> <key> [line filter]: a key=value of the RESULT line(s) matching the filter
  grep '^RESULT' "$1" | grep -- "${3:-}" | head -1 | tr ' ' '\n' | awk -F= -v k="$2" '$1 == k { print $2 }'
}

# ---------------------------------------------------------------- 1. K-lines through the gateway vs direct
if has_part 1; then
  echo; echo "== 1. K-lines: starting the all-in-one on core $SERVER_CPU (simulator on, backfill on)"
  DATA="$OUT/aio-data"
  T0=$(date +%s%N)
  OPENTRADE_HTTP_HOST=127.0.0.1 OPENTRADE_HTTP_PORT=$GW_PORT OPENTRADE_SIMULATOR_ENABLED=true \
  OPENTRADE_EXCHANGE_DATA_DIR="$DATA/exchange" OPENTRADE_GATEWAY_DATA_DIR="$DATA/gateway" \
  OPENTRADE_MARKET_DATA_DIR="$DATA/market" OPENTRADE_TRADE_DATA_DIR="$DATA/trade" \
    taskset -c "$SERVER_CPU" java -Xms1g -Xmx1g "${SERVER_JAVA[@]}" -Xlog:gc:file="$OUT/aio-gc.log" -jar "$AIO" \
    > "$OUT/aio.log" 2>&1 &
  AIO_PID=$!
  PIDS+=($AIO_PID)
  GW=http://127.0.0.1:$GW_PORT
  wait_http "$GW/health" 90
  MARKET_PORT=""
  for _ in $(seq 300); do
    MARKET_PORT=$(grep -o 'market-api listening on 127.0.0.1:[0-9]*' "$OUT/aio.log" | head -1 | sed 's/.*://' || true)
    [[ -n "$MARKET_PORT" ]] && break; sleep 0.2
  done
  [[ -n "$MARKET_PORT" ]] || { echo "no 'market-api listening' line in $OUT/aio.log" >&2; exit 1; }
  for _ in $(seq 900); do   # backfill of 120 days into QuestDB: 10-30 s
    [[ "$(curl -s "http://127.0.0.1:$MARKET_PORT/ready" | jq -r .ready 2>/dev/null)" == true ]] && break; sleep 0.2
  done
  [[ "$(curl -s "http://127.0.0.1:$MARKET_PORT/ready" | jq -r .ready)" == true ]] || { echo "market-api not ready" >&2; exit 1; }
  READY_S=$(awk -v a="$T0" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
  AIO_READY_MS=$(grep -o 'all-in-one listening in [0-9]* ms' "$OUT/aio.log" | grep -o '[0-9]*' | head -1 || echo "?")
  BACKFILL_MS=$(grep -o 'symbol(s) in [0-9]* ms' "$OUT/aio.log" | grep -o '[0-9]* ms' | head -1 || echo "?")
  echo "all-in-one listening in $AIO_READY_MS ms; market-api (port $MARKET_PORT) ready ${READY_S} s after launch (backfill $BACKFILL_MS)"

  echo "== provisioning a developer and an API key (plan partner, set by the admin)"
  DEV_ID=$(curl -sf -X POST "$GW/v1/developers" -H 'Content-Type: application/json' \
    -d '{"email":"bench@example.com","password":"bench-password-123","name":"Bench"}' | jq -r .developer_id)
  TOKEN=$(curl -sf -X POST "$GW/v1/sessions" -H 'Content-Type: application/json' \
    -d '{"email":"bench@example.com","password":"bench-password-123"}' | jq -r .token)
  KEY_JSON=$(curl -sf -X POST "$GW/v1/keys" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d '{"scopes":["market:read"]}')
  KEY_ID=$(jq -r .key_id <<< "$KEY_JSON"); SECRET=$(jq -r .secret <<< "$KEY_JSON")
  PLAN=$(curl -sf -X PUT "$GW/v1/admin/keys/$KEY_ID/plan" -H "X-Admin-Token: $(cat "$DATA/gateway/admin-token")" \
    -H 'Content-Type: application/json' -d '{"plan":"partner"}' | jq -r .plan)
  [[ "$PLAN" == partner ]] || { echo "could not set the key's plan: $PLAN" >&2; exit 1; }
  ASSERTION=$(java -cp "$JAR" org.opentrade.bench.market.BenchAssertions --key-file "$DATA/gateway/identity-ed25519.pem" \
    --developer "$DEV_ID" --key-id "$KEY_ID" --plan partner --ttl-seconds 7200 2>/dev/null)
  GW_URL="$GW$KLINE_PATH"; DIRECT_URL="http://127.0.0.1:$MARKET_PORT$KLINE_PATH"
  for target in gateway direct; do
    if [[ $target == gateway ]]; then
      curl -s -D "$OUT/kline-$target.head" -o "$OUT/kline-$target.json" -H "X-API-Key: $KEY_ID" -H "X-API-Secret: $SECRET" "$GW_URL"
    else
      curl -s -D "$OUT/kline-$target.head" -o "$OUT/kline-$target.json" -H "X-OpenTrade-Assertion: $ASSERTION" "$DIRECT_URL"
    fi
    BARS=$(jq '.bars | length' "$OUT/kline-$target.json" 2>/dev/null || echo 0)
    [[ "$BARS" == 1000 ]] || { echo "$target: expected 1000 bars, got $BARS: $(head -c 300 "$OUT/kline-$target.json")" >&2; exit 1; }
  done
  BODY_BYTES=$(wc -c < "$OUT/kline-direct.json")
  [[ "$(http_code "$DIRECT_URL")" == 401 ]] || { echo "market-api answered a call without assertion" >&2; exit 1; }
  echo "both answer 1000 bars ($BODY_BYTES bytes); market-api refuses a call without the assertion (401)"

  kline_run() { # kline_run <name> <rate> <seconds> <warm-up seconds> <url> [--header h]...: also the all-in-one's CPU
    local name=$1 rate=$2 secs=$3 warm=$4 url=$5 c0 c1 t0 t1; shift 5
    c0=$(proc_cpu_ms "$AIO_PID"); t0=$(date +%s%N)
    taskset -c "$LOAD_CPU" java -Xms256m -Xmx256m -cp "$JAR" org.opentrade.bench.gateway.FixedRateHttpLoad \
      --name "$name" --url "$url" --rate "$rate" --seconds "$secs" --warmup-seconds "$warm" \
      --connections "$K_CONNECTIONS" "$@" 2>&1 | grep -v '^SLF4J' | tee "$OUT/kline-$name.log"
    c1=$(proc_cpu_ms "$AIO_PID"); t1=$(date +%s%N)
    echo "RESULT cpu server_cpu_ms=$((c1 - c0)) wall_ms=$(( (t1 - t0) / 1000000 )) requests=$(awk -v r="$rate" -v s="$secs" -v w="$warm" 'BEGIN { printf "%d", r * (s + w) }')" \
      | tee -a "$OUT/kline-$name.log"
  }
  GW_H=(--header "X-API-Key: $KEY_ID" --header "X-API-Secret: $SECRET")
  DIRECT_H=(--header "X-OpenTrade-Assertion: $ASSERTION")
  echo; echo "== warm-up at $K_WARM_RATE req/s: ${K_WARMUP}s through the gateway, ${K_WARMUP}s direct (discarded)"
  kline_run warm-gateway "$K_WARM_RATE" "$K_WARMUP" 0 "$GW_URL" "${GW_H[@]}" > /dev/null
  kline_run warm-direct "$K_WARM_RATE" "$K_WARMUP" 0 "$DIRECT_URL" "${DIRECT_H[@]}" > /dev/null
  # The JIT is still compiling for a minute or more after start (a big app on one core): rounds measured then
  # time-share the core with C2 (30-40 % of it in the 12-03 runs) and their p99 is the compiler's. Warm up at
  # the target rate until the compiler threads used under 1 % of a round, at most K_JIT_ROUNDS rounds.
  for w in $(seq "$K_JIT_ROUNDS"); do
    j0=$(jit_cpu_ms "$AIO_PID"); t0=$(date +%s%N)
    kline_run "warm-jit-gateway-$w" "$K_TARGET_RATE" 10 0 "$GW_URL" "${GW_H[@]}" > /dev/null
    kline_run "warm-jit-direct-$w" "$K_TARGET_RATE" 10 0 "$DIRECT_URL" "${DIRECT_H[@]}" > /dev/null
    j1=$(jit_cpu_ms "$AIO_PID"); t1=$(date +%s%N)
    echo "JIT warm-up round $w at $K_TARGET_RATE req/s: compiler threads $((j1 - j0)) ms CPU over $(( (t1 - t0) / 1000000 )) ms" \
      | tee -a "$OUT/machine.txt"
    (( (j1 - j0) * 100 < (t1 - t0) / 1000000 )) && break
  done
  c0=$(proc_cpu_ms "$AIO_PID"); sleep 5; c1=$(proc_cpu_ms "$AIO_PID")
  IDLE_CPU=$(( (c1 - c0) / 5 ))   # ms per second: simulator, feed, history writes, timers
  echo "all-in-one CPU with no request (simulator, feed, history): $IDLE_CPU ms per second"
  echo "machine before the rounds: $(machine_state)" | tee -a "$OUT/machine.txt"
  for rate in $K_RATES; do
    for r in $(seq "$K_ROUNDS"); do
      echo; echo "== $rate req/s, round $r: ${K_SECONDS}s, open loop, CO-corrected, through the gateway then direct"
      kline_run "gateway-$rate-$r" "$rate" "$K_SECONDS" 5 "$GW_URL" "${GW_H[@]}"
      kline_run "direct-$rate-$r" "$rate" "$K_SECONDS" 5 "$DIRECT_URL" "${DIRECT_H[@]}"
    done
  done
  # the gateway really metered the calls and the key's plan was never exhausted
  sleep 1.5   # one usage flush interval
  CALLS=$(curl -s -H "X-API-Key: $KEY_ID" -H "X-API-Secret: $SECRET" "$GW/v1/usage" \
    | jq '[.rows[] | select(.route | startswith("GET /v1/market/klines")) | .calls] | add' 2>/dev/null || echo "?")
  echo "checks: metered K-line calls through the gateway: $CALLS" | tee "$OUT/kline-checks.txt"
  curl -s "$GW/metrics" > "$OUT/aio-metrics.txt" || true
  stop_pid "$AIO_PID"
fi

# ---------------------------------------------------------------- 2. ingest into the live side
if has_part 2; then
  echo; echo "== 2. ingest: market-api's live side on a pre-built feed (one JVM, both cores)"
  echo "machine before: $(machine_state)" | tee -a "$OUT/machine.txt"
  taskset -c 0-1 java -Xms3g -Xmx3g -XX:+UseTransparentHugePages -Xlog:gc:file="$OUT/ingest-gc.log" -cp "$JAR" \
    org.opentrade.bench.market.MarketIngestBenchmark --commands "$INGEST_COMMANDS" --passes "$INGEST_PASSES" \
    --warmup-seconds "$INGEST_WARMUP" --variants "$INGEST_VARIANTS" 2>&1 | grep -v '^SLF4J' | tee "$OUT/ingest.log"
fi

# ---------------------------------------------------------------- 3. WebSocket fan-out
if has_part 3; then
  echo; echo "== 3. WebSocket fan-out: server (exchange + market-api) on core $SERVER_CPU, $FAN_CLIENTS clients on core $LOAD_CPU"
  taskset -c "$SERVER_CPU" java -Xms1g -Xmx1g "${SERVER_JAVA[@]}" "${FAN_JAVA[@]}" -Xlog:gc:file="$OUT/fanout-gc.log" -cp "$JAR" \
    org.opentrade.bench.market.StreamFanoutServer --key-file "$OUT/fanout-identity.pem" --control-port "$CTRL_PORT" \
    --symbol "$FAN_SYMBOL" > "$OUT/fanout-server.log" 2>&1 &
  FAN_PID=$!
  PIDS+=($FAN_PID)
  for _ in $(seq 300); do grep -q '^READY' "$OUT/fanout-server.log" && break; sleep 0.2; done
  grep -q '^READY' "$OUT/fanout-server.log" || { echo "fan-out server did not start: $OUT/fanout-server.log" >&2; exit 1; }
  FAN_MARKET_PORT=$(grep '^READY' "$OUT/fanout-server.log" | grep -o 'market_port=[0-9]*' | cut -d= -f2)
  echo "machine before: $(machine_state)" | tee -a "$OUT/machine.txt"
  taskset -c "$LOAD_CPU" java -Xms1g -Xmx1g "${FAN_JAVA[@]}" -cp "$JAR" org.opentrade.bench.market.StreamFanoutClient \
    --market-port "$FAN_MARKET_PORT" --control-port "$CTRL_PORT" --key-file "$OUT/fanout-identity.pem" \
    --clients "$FAN_CLIENTS" --steps "$FAN_STEPS" --symbol "$FAN_SYMBOL" --rate "$FAN_RATE" --warmup-seconds "$FAN_WARMUP" \
    --seconds "$FAN_SECONDS" 2>&1 | grep -v '^SLF4J' | tee "$OUT/fanout.log"
  stop_pid "$FAN_PID"
  # The floor, same client and steps: the cheapest Vert.x WebSocket server writing the same frames.
  echo; echo "== 3b. fan-out floor: a trivial Vert.x WebSocket server (StreamFanoutFloor) on core $SERVER_CPU, same clients"
  taskset -c "$SERVER_CPU" java -Xms1g -Xmx1g "${SERVER_JAVA[@]}" "${FAN_JAVA[@]}" -cp "$JAR" org.opentrade.bench.market.StreamFanoutFloor \
    --control-port "$CTRL_PORT" --symbol "$FAN_SYMBOL" > "$OUT/fanout-floor-server.log" 2>&1 &
  FLOOR_PID=$!
  PIDS+=($FLOOR_PID)
  for _ in $(seq 300); do grep -q '^READY' "$OUT/fanout-floor-server.log" && break; sleep 0.2; done
  grep -q '^READY' "$OUT/fanout-floor-server.log" || { echo "floor server did not start" >&2; exit 1; }
  FLOOR_PORT=$(grep '^READY' "$OUT/fanout-floor-server.log" | grep -o 'market_port=[0-9]*' | cut -d= -f2)
  taskset -c "$LOAD_CPU" java -Xms1g -Xmx1g "${FAN_JAVA[@]}" -cp "$JAR" org.opentrade.bench.market.StreamFanoutClient \
    --market-port "$FLOOR_PORT" --control-port "$CTRL_PORT" --key-file "$OUT/fanout-identity.pem" \
    --clients "$FAN_CLIENTS" --steps "$FAN_STEPS" --symbol "$FAN_SYMBOL" --rate "$FAN_RATE" --warmup-seconds "$FAN_WARMUP" \
    --seconds "$FAN_SECONDS" 2>&1 | grep -v '^SLF4J' | tee "$OUT/fanout-floor.log"
  stop_pid "$FLOOR_PID"
fi
echo "at end:      $(machine_state)" | tee -a "$OUT/machine.txt"

# ---------------------------------------------------------------- summary
ms() { awk -v u="$1" 'BEGIN { if (u == "") print "-"; else printf "%.2f", u / 1000 }'; }
met() { awk -v x="$1" -v t="$3" -v c="$2" 'BEGIN { if (x == "") print "-"; else print ((c == "ge" ? x >= t : x <= t) ? "yes" : "**no**") }'; }
M() { awk -v x="$1" 'BEGIN { printf "%.3f M", x / 1e6 }'; }
{
  echo "# market-api benchmark $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "Targets (bench/README.md), market-api rows 6 and 7; \`bench/run-market-bench.sh\` at commit $(git rev-parse --short HEAD 2>/dev/null)."
  echo "$(nproc) cores ($(grep '^cpu:' "$OUT/machine.txt" | cut -c14-)), $(java -version 2>&1 | head -1)."
  grep -E '^(at start|machine before|at end)' "$OUT/machine.txt" | sed 's/^/- /'
  echo "- $(grep '^pinning:' "$OUT/machine.txt" | cut -c14-)"
  echo "- $(grep '^settings:' "$OUT/machine.txt" | cut -c14-)"
  if has_part 1; then
    echo
    echo "## 1. K-lines, 1 000 1m bars of $FAN_SYMBOL ($BODY_BYTES-byte JSON), open loop, CO-corrected"
    echo
    echo "All-in-one jar on one core, simulator on, QuestDB history backfilled at first start (all-in-one ready in"
    echo "$AIO_READY_MS ms; market-api ready ${READY_S} s after launch, backfill $BACKFILL_MS); load generator on the other"
    echo "core. Latency from the intended send time, ms. Server CPU: the all-in-one's CPU over the run (warm-up included)"
    echo "per second; per request after taking off what it burns with no request ($IDLE_CPU ms/s: simulator, feed, history)."
    echo
    echo "| req/s | round | target | p50 | p90 | p99 | p99.9 | max | errors (unfinished) | server CPU, ms/s · per request |"
    echo "|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|"
    for rate in $K_RATES; do
      for r in $(seq "$K_ROUNDS"); do
        for t in gateway direct; do
          f="$OUT/kline-$t-$rate-$r.log"
          cpu=$(res "$f" server_cpu_ms "RESULT cpu"); wall=$(res "$f" wall_ms "RESULT cpu"); n=$(res "$f" requests "RESULT cpu")
          echo "| $rate | $r | $t | $(ms "$(res "$f" p50)") | $(ms "$(res "$f" p90)") | $(ms "$(res "$f" p99)") |" \
               "$(ms "$(res "$f" p999)") | $(ms "$(res "$f" max)") | $(res "$f" errors) ($(grep -o '([0-9]* unfinished)' "$f" | grep -o '[0-9]*')) |" \
               "$(awk -v c="$cpu" -v w="$wall" -v n="$n" -v i="$IDLE_CPU" 'BEGIN { printf "%.0f · %.2f ms", 1000 * c / w, (c - i * w / 1000) / n }') |"
        done
      done
    done
    WORST_GW=$(for r in $(seq "$K_ROUNDS"); do res "$OUT/kline-gateway-$K_TARGET_RATE-$r.log" p99; done | sort -g | tail -1)
    echo
    echo "| figure | measured | target | met? |"
    echo "|---|---:|---|---|"
    if [[ " $K_RATES " == *" $K_TARGET_RATE "* ]]; then
      echo "| gateway p99 at $K_TARGET_RATE req/s, worst round | $(ms "$WORST_GW") ms | <= 2 ms | $(met "$WORST_GW" le 2000) |"
    fi
    for rate in $K_RATES; do
      for r in $(seq "$K_ROUNDS"); do
        g="$OUT/kline-gateway-$rate-$r.log"; d="$OUT/kline-direct-$rate-$r.log"
        echo "| (info) $rate req/s round $r: gateway − direct, p50 · p99 | $(awk -v g="$(res "$g" p50)" -v d="$(res "$d" p50)" 'BEGIN { printf "%.2f", (g - d) / 1000 }') ·" \
             "$(awk -v g="$(res "$g" p99)" -v d="$(res "$d" p99)" 'BEGIN { printf "%.2f", (g - d) / 1000 }') ms | - | - |"
      done
    done
    echo "| (info) metered K-line calls through the gateway | $CALLS | - | - |"
  fi
  if has_part 2; then
    L="$OUT/ingest.log"
    echo
    echo "## 2. Feed ingest into the live side (MarketBoard + HistoryWriter on memory + StreamWiring, no client)"
    echo
    echo "$(grep '^feed:' "$L" | sed 's/^feed: //'). Best of $INGEST_PASSES passes; CPU per event the least of the passes."
    echo
    echo "| variant | events/s | trades/s | market thread CPU per event | ceiling on a free core | history writer CPU per event | process CPU per event |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
    for v in ${INGEST_VARIANTS//,/ }; do
      label="feed batches of ${v%%:*} events"
      [[ $v == *:bare ]] && label="$label, no listener (board + history only)"
      [[ $v == *:all ]] && label="$label, every channel of every symbol active (subscribed once)"
      [[ $v != *:* ]] && label="$label, stream wiring on, no channel ever subscribed"
      echo "| $label | $(M "$(res "$L" events_per_s "variant=$v ")") | $(M "$(res "$L" trades_per_s "variant=$v ")") |" \
           "$(res "$L" cpu_ns_per_event "variant=$v ") ns | $(M "$(res "$L" ceiling_events_per_s "variant=$v ")") |" \
           "$(res "$L" writer_cpu_ns_per_event "variant=$v ") ns | $(res "$L" process_cpu_ns_per_event "variant=$v ") ns |"
    done
    FIRST=${INGEST_VARIANTS%%,*}
    E=$(res "$L" events_per_s "variant=$FIRST ")
    echo
    echo "| figure | measured | target | met? |"
    echo "|---|---:|---|---|"
    echo "| live side, batches of $FIRST, vs the exchange feed's target rate (1.22 M events/s: the engine's event rate at 1 M commands/s; the feed bench reached 1.2-1.5 M) | $(M "$E") events/s ($(awk -v e="$E" 'BEGIN { printf "%.1f", 100 * e / 1.22e6 }') %) | keep up with the feed | $(met "$E" ge 1220000) |"
  fi
  if has_part 3; then
    L="$OUT/fanout.log"
    echo
    echo "## 3. WebSocket fan-out: trades:$FAN_SYMBOL at $FAN_RATE trades/s, $FAN_CLIENTS clients connected directly to market-api (signed assertions)"
    echo
    echo "Receive time − the trade's \`time\` (exchange clock when it read the command; ms, so up to 1 ms high), over"
    echo "all subscribed clients, trades of a ${FAN_SECONDS}s window after ${FAN_WARMUP}s warm-up per step. Server (exchange +"
    echo "market-api, in-memory store) on one core, clients (one Vert.x event loop) on the other. CPU per frame received."
    echo
    echo "Beside it, the same from when the trade was *due* at the driver (coordinated omission corrected: a backlog"
    echo "in front of the exchange delays the trade's own stamp; a frame not received by the end of the step counts"
    echo "with its wait so far), and how late the exchange stamped trades. Frames: of the trades due in the window."
    echo
    echo "| subscribed clients | frames received / expected (not received) | seq gaps | p50 | p90 | p99 | p99.9 | max | from due: p50 · p99 · max | stamped late by, max | slow consumers (dropped) | server CPU per frame (share of its core) | client CPU per frame (share) |"
    echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for run in market-api floor; do
    [[ $run == floor ]] && L="$OUT/fanout-floor.log"
    [[ -f $L ]] || continue
    for n in ${FAN_STEPS//,/ }; do
      f="clients=$n "
      echo "| $n ($run) | $(res "$L" due_received "$f") / $(res "$L" due_expected "$f") ($(res "$L" unfinished "$f")) | $(res "$L" gaps "$f") | $(ms "$(res "$L" p50 "$f")") |" \
           "$(ms "$(res "$L" p90 "$f")") | $(ms "$(res "$L" p99 "$f")") | $(ms "$(res "$L" p999 "$f")") | $(ms "$(res "$L" max "$f")") |" \
           "$(ms "$(res "$L" due_p50 "$f")") · $(ms "$(res "$L" due_p99 "$f")") · $(ms "$(res "$L" due_max "$f")") | $(ms "$(res "$L" stamp_lag_max_us "$f")") |" \
           "$(res "$L" slow_consumers "$f") ($(res "$L" slow_consumers_dropped "$f")) |" \
           "$(res "$L" server_cpu_us_per_frame "$f") µs ($(res "$L" server_cpu_share "$f") %) | $(res "$L" client_cpu_us_per_frame "$f") µs ($(res "$L" client_cpu_share "$f") %) |"
    done
    done
    L="$OUT/fanout.log"
    LAST=${FAN_STEPS##*,}
    P99=$(res "$L" p99 "clients=$LAST ")
    echo
    echo "| figure | measured | target | met? |"
    echo "|---|---:|---|---|"
    echo "| p99 publish-to-receive, $LAST clients, $FAN_RATE msgs/s | $(ms "$P99") ms | <= 20 ms | $(met "$P99" le 20000) |"
    echo "| (info) the same from when each trade was due, frames not received included | $(ms "$(res "$L" due_p99 "clients=$LAST ")") ms | - | - |"
    if [[ -f "$OUT/fanout-floor.log" ]]; then
      FL="$OUT/fanout-floor.log"
      echo "| (floor) p99, the trivial Vert.x WebSocket server, same clients | $(ms "$(res "$FL" p99 "clients=$LAST ")") ms | - | - |"
      echo "| (floor) server CPU per frame: market-api · floor · ratio, $LAST clients | $(res "$L" server_cpu_us_per_frame "clients=$LAST ") · $(res "$FL" server_cpu_us_per_frame "clients=$LAST ") µs · $(awk -v a="$(res "$L" server_cpu_us_per_frame "clients=$LAST ")" -v b="$(res "$FL" server_cpu_us_per_frame "clients=$LAST ")" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }') | - | - |"
    fi
    echo "| server heap per idle connected client (after GC) | $(res "$L" heap_per_client_bytes) bytes ($(res "$L" heap_base_mib) → $(res "$L" heap_idle_mib) MiB for $FAN_CLIENTS) | - | - |"
    echo "| (info) $(grep '^trades driven in all' "$L" | sed 's/^t/T/') | | | |"
  fi
  echo
  echo "Raw logs: $OUT"
} | tee "$OUT/summary.md"
if [[ "${SMOKE:-0}" != 1 ]]; then
  mkdir -p bench/results
  cp "$OUT/summary.md" "bench/results/market-$STAMP.md"
  echo "written: bench/results/market-$STAMP.md"
fi
