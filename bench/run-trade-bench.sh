#!/usr/bin/env bash
# Trade benchmark of bench/README.md's targets row 4 ("REST order through the gateway -> acknowledgement: p99 <= 3 ms at
# 1 k orders/s, floor: the same gateway call to a trivial upstream"), in one run (~12 min; SMOKE=1 ~3 min):
#   trade:  the all-in-one jar (gateway + trade-api + sandbox exchange with its liquidity simulator on,
#           market-api; OPENTRADE_MARKET_BACKFILL=false), data dirs under the output dir. ACCOUNTS developers
#           sign up, each with a key scoped ["market:read","trade"] (one paper account each).
#   floor:  a standalone gateway (GatewayMain, embedded store, one event loop like the all-in-one's) whose
#           trade-api upstream is TrivialUpstream: POST /v1/orders answered 201 with trade-api's 324-byte
#           order at once. Same keys count, same request bodies.
#   (1) order -> ack: POST /v1/orders, resting limit buys (100 shares at 91-92 % of the reference price,
#       below every simulator quote, inside the band; a new client_order_id each; key i mod ACCOUNTS,
#       symbol rotating over all 32), open loop at RATE (1000/s), coordinated-omission corrected
#       (FixedRateHttpLoad + OrderRequests), floor then trade, per VARIANT of the disks' fsync:
#         default     trade-api intent log fsync batch, exchange journal fsync batch (the shipped defaults)
#         trade-none  trade-api fsync none, exchange batch   (what trade-api's own fsync costs)
#         none        both none                              (what the disk costs in all)
#   (2) order -> fill: one more developer subscribed to /v1/stream/orders through the gateway (WebSocket,
#       key headers at the upgrade) sends crossing IOC orders (buy, sell alternating, 100 shares, 8 symbols)
#       at FILL_RATE (200/s) against the simulator's quotes; per order, POST sent -> first `fill` frame.
# Limits raised so 1 000 orders/s fit: gateway plan `free` weight_per_minute 1e12 and
# orders_per_second_per_symbol 1e6 (evaluated on every call, never refusing; sign-ups per address 1e5);
# trade-api risk.max_open_orders 1e6, max_orders_per_second 5 x the busiest account's rate (1 000: the fill
# client), starting balance 1e11 CNY (buying power).
# Every other setting is the shipped default.
#
# Usage: bench/run-trade-bench.sh            full run; summary also written to bench/results/trade-<date>.md
#        SMOKE=1 bench/run-trade-bench.sh    short sanity run (results stay in the output dir)
#        bench/run-trade-bench.sh --summary DIR   re-print the summary of an earlier run
# Knobs (environment): RATE (1000), DURATION (30 s measured), WARMUP (10), CONNECTIONS (32), ACCOUNTS (100),
#   FILL_RATE (200), FILL_SECONDS (30), FILL_WARMUP (5), VARIANTS ("default trade-none none"),
#   WARM_RATE (RATE/2) and WARM_SECONDS (20): an unmeasured JIT warm-up pass before each measured order run;
#   WAIT_LOAD (3: wait up to WAIT_MAX s, polling every 30 s, until the 1-minute load average is below it at two polls in a row;
#   0 = do not wait; SMOKE does not wait), WAIT_MAX (1200), SERVER_CPUS / LOAD_CPUS (taskset -c lists for the
#   server JVMs and the load generators; default: not pinned, see bench/README.md),
#   AIO_PORT / FLOOR_PORT / UP_PORT (18390 / 18380 / 18381), OUT (output dir), JAVA_OPTS_AIO.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

summary() { # summary <dir>: the markdown table from a run's logs
  local d=$1
  res() { grep -h '^RESULT' "$d/$1.log" 2>/dev/null | tr ' ' '\n' | awk -F= -v k="$2" '$1 == k { print $2 }'; }
  cpu() { awk -v k="$2" '$1 == k { print $2 }' "$d/$1.cpu" 2>/dev/null; }
  ms() { awk -v x="$1" 'BEGIN { if (x == "") print "-"; else printf "%.2f", x / 1000 }'; }
  local variants rate
  variants=$(cat "$d/variants.txt")
  rate=$(res "floor-$(awk '{print $1}' "$d/variants.txt")" rate)
  echo "# Trade benchmark $(sed -n 's/^date: *//p' "$d/machine.txt")"
  echo
  echo "Target (bench/README.md, row 4): REST order through the gateway -> acknowledgement, p99 <= 3 ms at 1 000 orders/s;"
  echo "floor: the same gateway call to a trivial upstream. Open loop, latency from the intended send time"
  echo "(coordinated omission corrected), HdrHistogram; milliseconds. Machine: see below."
  echo
  echo "## (1) Order -> acknowledgement (201) at $rate orders/s"
  echo
  echo "| fsync (trade-api / exchange) | target | p50 | p90 | p99 | p99.9 | max | errors | server CPU per order |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
  local v label
  for v in $variants; do
    case $v in
      default) label="batch / batch (defaults)" ;;
      trade-none) label="none / batch" ;;
      none) label="none / none" ;;
      *) label=$v ;;
    esac
    for t in floor trade; do
      local n=$t-$v
      [[ -f $d/$n.log ]] || continue
      local who="trade-api + exchange (all-in-one)"
      [[ $t == floor ]] && who="floor: gateway -> trivial upstream"
      printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$label" "$who" "$(ms "$(res "$n" p50)")" \
        "$(ms "$(res "$n" p90)")" "$(ms "$(res "$n" p99)")" "$(ms "$(res "$n" p999)")" "$(ms "$(res "$n" max)")" \
        "$(res "$n" errors)" "$(cpu "$n" per_order_us) us"
    done
  done
  echo
  echo "| figure | measured | target | met? |"
  echo "|---|---:|---|---|"
  for v in $variants; do
    [[ -f $d/trade-$v.log ]] || continue
    local p99 f99
    p99=$(ms "$(res "trade-$v" p99)"); f99=$(ms "$(res "floor-$v" p99)")
    local met; met=$(awk -v x="$p99" 'BEGIN { print (x <= 3.0 ? "yes" : "**no**") }')
    echo "| p99 order -> ack, fsync $v | $p99 ms | <= 3 ms | $met |"
    echo "| (info) p99 trade minus floor, fsync $v: what trade-api and the exchange add | $(awk -v a="$p99" -v b="$f99" 'BEGIN { printf "%.2f", a - b }') ms | - | - |"
  done
  echo
  echo "## (2) Order -> fill frame on /v1/stream/orders at $(res "fills-$(awk '{print $1}' "$d/variants.txt")" rate) orders/s"
  echo
  echo "| fsync (trade-api / exchange) | fill p50 | fill p90 | fill p99 | fill p99.9 | max | fill p50 / p99 from actual send | 201 p50 / p99 | filled / orders | IOC unfilled | fill before 201 |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for v in $variants; do
    local n=fills-$v
    [[ -f $d/$n.log ]] || continue
    printf '| %s | %s | %s | %s | %s | %s | %s / %s | %s / %s | %s / %s | %s | %s |\n' "$v" "$(ms "$(res "$n" p50)")" \
      "$(ms "$(res "$n" p90)")" "$(ms "$(res "$n" p99)")" "$(ms "$(res "$n" p999)")" "$(ms "$(res "$n" max)")" \
      "$(ms "$(res "$n" send_p50)")" "$(ms "$(res "$n" send_p99)")" "$(ms "$(res "$n" ack_p50)")" \
      "$(ms "$(res "$n" ack_p99)")" "$(res "$n" filled)" "$(res "$n" orders)" "$(res "$n" unfilled)" \
      "$(res "$n" fill_before_ack)"
  done
  echo
  echo "## Machine and run"
  echo
  echo '```'
  cat "$d/machine.txt"
  echo '```'
  echo
  echo "Per measured load run (load average and CPU pressure just before it; generator dispatch lateness p99):"
  echo
  echo '```'
  cat "$d/runs.txt"
  echo '```'
}

if [[ "${1:-}" == --summary ]]; then
  summary "${2:?usage: $0 --summary DIR}"
  exit 0
fi

# shellcheck source=../scripts/ensure-tools.sh
source scripts/ensure-tools.sh
command -v curl >/dev/null 2>&1 || _apt_install curl
command -v jq >/dev/null 2>&1 || _apt_install jq
# shellcheck source=../scripts/build-inputs.sh
source scripts/build-inputs.sh

JAR=bench/target/benchmarks.jar
AIO=launcher/target/opentrade-all-in-one.jar
if [[ "${SMOKE:-0}" == 1 ]]; then
  SECONDS_=${DURATION:-5}; WARMUP=${WARMUP:-3}; WARM_SECONDS=${WARM_SECONDS:-5}; FILL_SECONDS=${FILL_SECONDS:-5}; FILL_WARMUP=${FILL_WARMUP:-2}
  ACCOUNTS=${ACCOUNTS:-20}; VARIANTS=${VARIANTS:-default}; WAIT_LOAD=${WAIT_LOAD:-0}
else
  SECONDS_=${DURATION:-30}; WARMUP=${WARMUP:-10}; WARM_SECONDS=${WARM_SECONDS:-20}; FILL_SECONDS=${FILL_SECONDS:-30}; FILL_WARMUP=${FILL_WARMUP:-5}
  ACCOUNTS=${ACCOUNTS:-100}; VARIANTS=${VARIANTS:-default trade-none none}; WAIT_LOAD=${WAIT_LOAD:-3}
fi
RATE=${RATE:-1000}; FILL_RATE=${FILL_RATE:-200}; CONNECTIONS=${CONNECTIONS:-32}; WAIT_MAX=${WAIT_MAX:-1200}
AIO_PORT=${AIO_PORT:-18390}; FLOOR_PORT=${FLOOR_PORT:-18380}; UP_PORT=${UP_PORT:-18381}
SERVER_CPUS=${SERVER_CPUS:-}; LOAD_CPUS=${LOAD_CPUS:-}
WARM_RATE=${WARM_RATE:-$(( RATE / 2 ))}
JAVA_OPTS_AIO=${JAVA_OPTS_AIO:--Xms256m -Xmx1g -XX:+UseTransparentHugePages}   # start.sh's defaults
STAMP=$(date +%Y%m%d-%H%M%S)
OUT=${OUT:-bench/target/trade-bench-$STAMP}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
echo "$VARIANTS" > "$OUT/variants.txt"
: > "$OUT/runs.txt"

# ---------------------------------------------------------------- build if needed
# the all-in-one's inputs are everything but bench/ (scripts/build-inputs.sh lists them all)
aio_stale() {
  { build_inputs | grep -zv '^bench/' | xargs -0 -r sh -c 'find "$@" -maxdepth 0 -newer "$0" -print 2>/dev/null' "$AIO" \
      | head -n 1; } || true
}
if [[ ! -f $AIO ]] || [[ -n "$(aio_stale)" ]]; then
  echo "building $AIO ..."
  mvn -o -q -pl launcher -am package -DskipTests
fi
if [[ ! -f $JAR ]] || [[ -n "$(newer_build_input "$JAR")" ]]; then
  echo "building $JAR ..."
  mvn -o -q -pl bench -am package -DskipTests
fi

# ---------------------------------------------------------------- processes (stopped on exit, by pid)
# shared helpers: PIDS, stop_pid, cleanup, ports_free, wait_http, load1, cpu_some, ticks, load_java
source "$ROOT/bench/bench-lib.sh"
trap cleanup EXIT
ports_free "AIO_PORT / FLOOR_PORT / UP_PORT" "$AIO_PORT" "$FLOOR_PORT" "$UP_PORT"
# server JVMs start as `$SERVER_PIN java ... &` (taskset execs java, so $! is the JVM's pid)
SERVER_PIN=${SERVER_CPUS:+taskset -c $SERVER_CPUS}

# ---------------------------------------------------------------- wait for a quiet machine
if awk -v w="$WAIT_LOAD" 'BEGIN { exit !(w > 0) }'; then
  # below WAIT_LOAD at two polls 30 s apart: a benchmark between two phases dips for a moment only
  waited=0; quiet=0
  while (( quiet < 2 )); do
    if awk -v l="$(load1)" -v w="$WAIT_LOAD" 'BEGIN { exit !(l < w) }'; then
      quiet=$(( quiet + 1 ))
    else
      quiet=0
    fi
    (( quiet >= 2 )) && break
    if (( waited >= WAIT_MAX )); then
      echo "WARNING: load average still $(load1) after ${WAIT_MAX}s; running anyway" | tee -a "$OUT/runs.txt"; break
    fi
    echo "load average $(load1) (below $WAIT_LOAD at $quiet poll(s) in a row); waiting (${waited}s so far)"
    sleep 30; waited=$(( waited + 30 ))
  done
fi

# ---------------------------------------------------------------- machine record
{
  echo "date:        $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit:      $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- . 2>/dev/null || echo ' (+ local changes)')"
  echo "nproc:       $(nproc)"
  echo "cpu:         $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "memory:      $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "kernel:      $(uname -r)"
  echo "disk:        $(df -P "$OUT" | awk 'NR == 2 {print $1 " mounted on " $6}') ($(findmnt -n -o FSTYPE,OPTIONS --target "$OUT" 2>/dev/null | cut -c1-60))"
  # what one fsync costs on this disk right now: 200 synchronous 4 KiB writes
  dd_out=$(dd if=/dev/zero of="$OUT/dsync-probe" bs=4k count=200 oflag=dsync 2>&1 | tail -1); rm -f "$OUT/dsync-probe"
  dd_s=$(awk '{ for (i = 1; i <= NF; i++) if ($i == "s,") print $(i - 1) }' <<< "$dd_out")
  echo "fsync probe: 200 x 4 KiB writes with O_DSYNC in $dd_s s: $(awk -v s="$dd_s" 'BEGIN { printf "%.2f", s * 1000 / 200 }') ms each"
  echo "settings:    $RATE orders/s for ${SECONDS_}s after ${WARMUP}s warm-up, $CONNECTIONS connections, $ACCOUNTS accounts;" \
       "fills at $FILL_RATE/s for ${FILL_SECONDS}s after ${FILL_WARMUP}s; variants: $VARIANTS"
  echo "pinning:     server JVMs ${SERVER_CPUS:+taskset -c $SERVER_CPUS}${SERVER_CPUS:-not pinned}," \
       "load generators ${LOAD_CPUS:+taskset -c $LOAD_CPUS}${LOAD_CPUS:-not pinned}"
  echo "warm-up:     before each measured order run, 10s at 100 then ${WARM_SECONDS}s at $WARM_RATE orders/s (JIT), not measured"
  echo "all-in-one:  java $JAVA_OPTS_AIO; simulator on; OPENTRADE_MARKET_BACKFILL=false"
  echo "load at start: $(cat /proc/loadavg); cpu pressure some avg10 $(cpu_some) %"
  java -version 2>&1 | sed 's/^/java:        /'
} | tee "$OUT/machine.txt"
if awk -v l="$(load1)" 'BEGIN { exit !(l >= 1.0) }'; then
  echo "WARNING: load average $(load1) >= 1.0: the machine is busy, figures will be noisy" | tee -a "$OUT/machine.txt"
fi

# ---------------------------------------------------------------- configs
cat > "$OUT/gateway-bench.yaml" <<'EOF'
# merged over api-gateway's gateway.yaml (both gateways): limits evaluated on every call, never refusing;
# the cheapest password hash the gateway allows, so signing up ACCOUNTS developers is quick (not measured)
auth:
  password_memory_kib: 1024
  password_iterations: 1
limits:
  per_address_per_minute: 100000
  signups_per_hour: 100000000
  signups_per_address_per_hour: 1000000
  plans:
    free:
      weight_per_minute: 1000000000000
      orders_per_second_per_symbol: 1000000
EOF
# max_orders_per_second stays small on purpose: trade-api keeps a ring of that many timestamps per account
# (8 bytes each), so 1e6 would hold 8 MB per account (0.8 GB for 100 accounts: a full heap). RATE / ACCOUNTS
# is 10/s per account; the fill client sends FILL_RATE alone.
PER_ACCOUNT=$(( FILL_RATE > RATE / ACCOUNTS ? FILL_RATE * 5 : RATE / ACCOUNTS * 5 ))
cat > "$OUT/trade-bench.yaml" <<EOF
# merged over trade-api.yaml: risk checks evaluated on every order, never refusing one of the benchmark's
accounts:
  starting_balance: "100000000000.00"
risk:
  max_open_orders: 1000000
  max_orders_per_second: $PER_ACCOUNT
EOF

# ---------------------------------------------------------------- floor: trivial upstream + standalone gateway
echo; echo "== floor: trivial upstream on :$UP_PORT, standalone gateway on :$FLOOR_PORT"
$SERVER_PIN java -Xms128m -Xmx128m -cp "$JAR" org.opentrade.bench.gateway.TrivialUpstream --port "$UP_PORT" \
  > "$OUT/upstream.log" 2>&1 &
UP_PID=$!; PIDS+=($UP_PID)
OPENTRADE_GATEWAY_HOST=127.0.0.1 OPENTRADE_GATEWAY_PORT=$FLOOR_PORT OPENTRADE_GATEWAY_EVENT_LOOPS=1 \
OPENTRADE_GATEWAY_DATA_DIR="$OUT/floor/gateway" OPENTRADE_MARKET_API_TARGETS=127.0.0.1:$UP_PORT \
OPENTRADE_TRADE_API_TARGETS=127.0.0.1:$UP_PORT OPENTRADE_GATEWAY_CONFIG="$OUT/gateway-bench.yaml" \
  $SERVER_PIN java -Xms256m -Xmx512m -XX:+UseTransparentHugePages -Xlog:gc:file="$OUT/floor-gc.log" -cp "$JAR" \
  org.opentrade.gateway.app.GatewayMain > "$OUT/floor-gateway.log" 2>&1 &
FLOOR_PID=$!; PIDS+=($FLOOR_PID)
wait_http "http://127.0.0.1:$UP_PORT/health" 60
wait_http "http://127.0.0.1:$FLOOR_PORT/ready" 90
java -cp "$JAR" org.opentrade.bench.trade.TradeBenchSetup --gateway "http://127.0.0.1:$FLOOR_PORT" \
  --developers "$ACCOUNTS" --tag floor --keys-out "$OUT/floor-keys.txt" 2>&1 | grep -v '^SLF4J'

# ---------------------------------------------------------------- one measured load run, with server CPU
measure() { # measure <name> <pid[,pid]> <orders sent> <command...>: runs it, logs to $OUT/<name>.log, CPU to $OUT/<name>.cpu
  local name=$1 pid=$2 orders=$3; shift 3
  local before after
  echo "$name: load $(cat /proc/loadavg | cut -d' ' -f1-3), cpu pressure some avg10 $(cpu_some) %" >> "$OUT/runs.txt"
  before=$(ticks "$pid")
  set +e
  "$@" 2>&1 | grep -v '^SLF4J' | tee "$OUT/$name.log"
  local rc=${PIPESTATUS[0]}
  set -e
  after=$(ticks "$pid")
  awk -v b="$before" -v a="$after" -v n="$orders" -v hz="$(getconf CLK_TCK)" 'BEGIN {
    printf "cpu_seconds %.2f\nper_order_us %.0f\n", (a - b) / hz, (a - b) / hz * 1e6 / n }' > "$OUT/$name.cpu"
  grep -h '^RESULT' "$OUT/$name.log" | tr ' ' '\n' | awk -F= '$1 == "late_p99" { printf "  generator dispatch lateness p99 %s us\n", $2 }' \
    >> "$OUT/runs.txt"
  return $rc
}

# ---------------------------------------------------------------- per variant: all-in-one, floor, trade, fills
ORDERS=$(awk -v r="$RATE" -v s="$SECONDS_" -v w="$WARMUP" 'BEGIN { printf "%d", r * (s + w) }')
FILL_ORDERS=$(awk -v r="$FILL_RATE" -v s="$FILL_SECONDS" -v w="$FILL_WARMUP" 'BEGIN { printf "%d", r * (s + w) }')
failed=0
for v in $VARIANTS; do
  case $v in
    default) TF=batch; EF=batch ;;
    trade-none) TF=none; EF=batch ;;
    none) TF=none; EF=none ;;
    *) echo "unknown variant $v (default, trade-none, none)" >&2; exit 2 ;;
  esac
  echo; echo "== variant $v: trade-api fsync $TF, exchange fsync $EF; all-in-one on :$AIO_PORT"
  D="$OUT/$v"
  mkdir -p "$D"
  # shellcheck disable=SC2086
  OPENTRADE_HTTP_HOST=127.0.0.1 OPENTRADE_HTTP_PORT=$AIO_PORT OPENTRADE_EXCHANGE_DATA_DIR="$D/exchange" \
  OPENTRADE_GATEWAY_DATA_DIR="$D/gateway" OPENTRADE_MARKET_DATA_DIR="$D/market" OPENTRADE_TRADE_DATA_DIR="$D/trade" \
  OPENTRADE_MARKET_BACKFILL=false OPENTRADE_TRADE_FSYNC=$TF OPENTRADE_EXCHANGE_FSYNC=$EF \
  OPENTRADE_GATEWAY_CONFIG="$OUT/gateway-bench.yaml" OPENTRADE_TRADE_CONFIG="$OUT/trade-bench.yaml" \
    $SERVER_PIN java $JAVA_OPTS_AIO -Xlog:gc:file="$OUT/aio-$v-gc.log" -jar "$AIO" > "$OUT/aio-$v.log" 2>&1 &
  AIO_PID=$!; PIDS+=($AIO_PID)
  G=http://127.0.0.1:$AIO_PORT
  wait_http "$G/ready" 120
  java -cp "$JAR" org.opentrade.bench.trade.TradeBenchSetup --gateway "$G" --developers "$ACCOUNTS" --tag "$v" \
    --keys-out "$OUT/keys-$v.txt" --symbols-out "$OUT/symbols.txt" 2>&1 | grep -v '^SLF4J'
  java -cp "$JAR" org.opentrade.bench.trade.TradeBenchSetup --gateway "$G" --developers 1 --tag "$v-fills" \
    --keys-out "$OUT/fill-key-$v.txt" 2>&1 | grep -v '^SLF4J'
  # trade-api is ready once it caught up with the exchange feed
  for _ in $(seq 150); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' -H "X-API-Key: $(cut -d' ' -f1 "$OUT/keys-$v.txt" | head -1)" \
      -H "X-API-Secret: $(cut -d' ' -f2 "$OUT/keys-$v.txt" | head -1)" "$G/v1/account")" == 200 ]] && break
    sleep 0.2
  done

  warm() { # warm <name> <url> <keys>: JIT warm-up, not measured: 10 s at 100/s (a fresh JVM is slow: no backlog), then
    # WARM_SECONDS at WARM_RATE; each pass drains its answers before the next run starts
    local r s
    for r in 100 "$WARM_RATE"; do
      s=$WARM_SECONDS; [[ $r == 100 ]] && s=10
      echo "-- warm-up $1: ${s}s at $r/s"
      load_java -Xms256m -Xmx256m -cp "$JAR" org.opentrade.bench.trade.OrderAckLoad --name "warm-$1" --url "$2" \
        --keys "$3" --symbols "$OUT/symbols.txt" --id-prefix "w$r-$1-" --rate "$r" --seconds "$s" \
        --warmup-seconds 0 --connections "$CONNECTIONS" 2>&1 | grep -v '^SLF4J' > "$OUT/warm-$1-$r.log" || true
      grep -E '^  (latency|measured)' "$OUT/warm-$1-$r.log" || true
    done
  }
  warm "floor-$v" "http://127.0.0.1:$FLOOR_PORT/v1/orders" "$OUT/floor-keys.txt"
  echo "-- floor ($v)"
  measure "floor-$v" "$FLOOR_PID,$UP_PID" "$ORDERS" load_java -Xms256m -Xmx256m -cp "$JAR" org.opentrade.bench.trade.OrderAckLoad \
    --name "floor-$v" --url "http://127.0.0.1:$FLOOR_PORT/v1/orders" --keys "$OUT/floor-keys.txt" \
    --symbols "$OUT/symbols.txt" --id-prefix "floor-$v-" --rate "$RATE" --seconds "$SECONDS_" --warmup-seconds "$WARMUP" \
    --connections "$CONNECTIONS" || failed=1
  warm "trade-$v" "$G/v1/orders" "$OUT/keys-$v.txt"
  echo "-- trade ($v)"
  measure "trade-$v" "$AIO_PID" "$ORDERS" load_java -Xms256m -Xmx256m -cp "$JAR" org.opentrade.bench.trade.OrderAckLoad \
    --name "trade-$v" --url "$G/v1/orders" --keys "$OUT/keys-$v.txt" --symbols "$OUT/symbols.txt" --id-prefix "t-$v-" \
    --rate "$RATE" --seconds "$SECONDS_" --warmup-seconds "$WARMUP" --connections "$CONNECTIONS" || failed=1
  K1=$(head -1 "$OUT/keys-$v.txt")
  echo "check ($v): account 0 after the run: $(curl -s -H "X-API-Key: ${K1% *}" -H "X-API-Secret: ${K1#* }" "$G/v1/account" \
    | jq -c '{open_orders, buying_power, reserved}' 2>/dev/null)" | tee -a "$OUT/runs.txt"
  echo "-- fills ($v)"
  measure "fills-$v" "$AIO_PID" "$FILL_ORDERS" load_java -Xms256m -Xmx256m -cp "$JAR" \
    org.opentrade.bench.trade.OrderFillLatency --name "fills-$v" --gateway "$G" --keys "$OUT/fill-key-$v.txt" \
    --symbols "$OUT/symbols.txt" --id-prefix "f-$v-" --rate "$FILL_RATE" --seconds "$FILL_SECONDS" \
    --warmup-seconds "$FILL_WARMUP" || failed=1
  curl -s "$G/metrics" > "$OUT/aio-$v-metrics.txt" || true
  stop_pid "$AIO_PID"
  unset 'PIDS[-1]'
done
echo "load at end: $(cat /proc/loadavg); cpu pressure some avg10 $(cpu_some) %" | tee -a "$OUT/machine.txt"

# ---------------------------------------------------------------- summary
echo
summary "$OUT" | tee "$OUT/summary.md"
if [[ "${SMOKE:-0}" != 1 ]]; then
  mkdir -p bench/results
  cp "$OUT/summary.md" "bench/results/trade-$STAMP.md"
  echo "written: bench/results/trade-$STAMP.md"
fi
if (( failed )); then echo "ERROR: a load run failed (see the logs in $OUT)" >&2; exit 1; fi
