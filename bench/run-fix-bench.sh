#!/usr/bin/env bash
# FIX benchmark of issue 12 item 7: NewOrderSingle -> first ExecutionReport, p99 <= 1 ms at 1 000 orders/s,
# side by side in the same run with a bare QuickFIX/J acceptor that answers each order at once (the floor set by
# the FIX engine itself). One run, ~6 min (SMOKE=1 ~3 min):
#   trade: the all-in-one jar (gateway + trade-api with its FIX 4.4 acceptor + sandbox exchange with its liquidity
#          simulator on + market-api; OPENTRADE_MARKET_BACKFILL=false), data dirs under the output dir, FIX on
#          127.0.0.1:FIX_PORT. SESSIONS developers sign up through the gateway (curl), each with a key scoped
#          ["market:read","trade","fix"] (one paper account and one FIX session each).
#   bare:  BareFixAcceptor: the same QuickFIX/J acceptor setup as trade-api's (threaded acceptor, dynamic sessions,
#          FIX44 dictionary validation, file store, no message log), answering every NewOrderSingle on the session
#          thread with an ExecutionReport New. Any Logon is accepted; the same keys and orders are sent.
# Load (FixOrderLoad): SESSIONS QuickFIX/J initiator sessions, open loop at RATE (1000/s) over all of them,
# latency from each order's intended send time to its first ExecutionReport (coordinated omission corrected),
# HdrHistogram. Orders: IOC limit buys of one lot at 91.2-92 % of the reference price (below every simulator
# quote, inside the band, on the tick; TIF=day makes them rest instead), symbol rotating over all 32, a new
# ClOrdID each. trade-api accepts an IOC, the exchange cancels it at once: two reports per order (New, then
# Canceled); the first is timed. Per target: an unmeasured JIT warm-up (10 s at 100/s, WARM_SECONDS at
# WARM_RATE), then WARMUP s at RATE not recorded, then DURATION s measured. Bare first (beside the first
# all-in-one, whose simulator runs meanwhile), then trade, per VARIANT of the disks' fsync, each a fresh all-in-one:
#   default  trade-api intent log fsync batch, exchange journal fsync batch (as shipped)
#   none     both none (what the disk costs: an intent is fsynced before its order goes to the exchange)
# Limits raised so 1 000 orders/s fit: trade-api risk.max_open_orders 1e6, max_orders_per_second and
# fix.max_messages_per_second 5 x the per-account rate (RATE / SESSIONS), starting balance 1e11 CNY. FIX orders do not pass the gateway (its limits
# do not apply); the gateway only gets the cheapest password hash so sign-up is quick (not measured).
#
# Usage: bench/run-fix-bench.sh            full run; summary also written to bench/results/fix-<date>.md
#        SMOKE=1 bench/run-fix-bench.sh    short sanity run (results stay in the output dir)
#        bench/run-fix-bench.sh --summary DIR   re-print the summary of an earlier run
# Knobs (environment): RATE (1000), DURATION (30 s measured), WARMUP (10 s at RATE, not recorded), SESSIONS (4),
#   VARIANTS ("default none"),
#   TIF (ioc | day), WARM_RATE (RATE/2), WARM_SECONDS (20), DRAIN (5 s for the last answers), SPIN_US (50: the
#   sender parks until this long before an order is due, then spins), BARE_STORE (file | memory),
#   WAIT_LOAD (0: do not wait; else wait up to WAIT_MAX s until the 1-minute load average is below it at two
#   polls 30 s apart), WAIT_MAX (600), SERVER_CPUS / LOAD_CPUS (taskset -c lists; default not pinned),
#   AIO_PORT / FIX_PORT / BARE_PORT (18490 / 18878 / 18879), OUT (output dir), JAVA_OPTS_AIO.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

summary() { # summary <dir>: the markdown report from a run's logs
  local d=$1
  res() { grep -h '^RESULT' "$d/$1.log" 2>/dev/null | tr ' ' '\n' | awk -F= -v k="$2" '$1 == k { print $2 }'; }
  cpu() { awk -v k="$2" '$1 == k { print $2 }' "$d/$1.cpu" 2>/dev/null; }
  ms() { awk -v x="$1" 'BEGIN { if (x == "") print "-"; else printf "%.3f", x / 1000 }'; }
  local rate; rate=$(res bare rate)
  echo "# FIX benchmark $(sed -n 's/^date: *//p' "$d/machine.txt")"
  echo
  echo "Issue 12 item 7: FIX 4.4 NewOrderSingle -> first ExecutionReport, p99 <= 1 ms at 1 000 orders/s; floor: a"
  echo "bare QuickFIX/J acceptor answering each order at once, in the same run. Open loop, latency from the intended"
  echo "send time (coordinated omission corrected), HdrHistogram; milliseconds. Machine: see below (shared)."
  echo
  echo "## NewOrderSingle -> first ExecutionReport at $rate orders/s"
  echo
  echo "| target | p50 | p90 | p99 | p99.9 | max | p50 / p99 from actual send | orders | errors (rejects by OrdRejReason) | sender lateness p99 | server CPU per order |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  local t who variants
  variants=$(cat "$d/variants.txt" 2>/dev/null || echo default)
  for t in bare $(for v in $variants; do echo "trade-$v"; done); do
    [[ -f $d/$t.log ]] || continue
    case $t in
      bare) who="floor: bare QuickFIX/J acceptor ($(cat "$d/bare-store.txt" 2>/dev/null || echo file) store)" ;;
      trade-default) who="trade-api's acceptor, all-in-one as shipped (fsync batch / batch)" ;;
      trade-none) who="trade-api's acceptor, fsync none / none" ;;
      *) who=$t ;;
    esac
    printf '| %s | %s | %s | %s | %s | %s | %s / %s | %s | %s (%s) | %s ms | %s us |\n' "$who" "$(ms "$(res "$t" p50)")" \
      "$(ms "$(res "$t" p90)")" "$(ms "$(res "$t" p99)")" "$(ms "$(res "$t" p999)")" "$(ms "$(res "$t" max)")" \
      "$(ms "$(res "$t" svc_p50)")" "$(ms "$(res "$t" svc_p99)")" "$(res "$t" requests)" "$(res "$t" errors)" \
      "$(res "$t" rej_by_reason)" "$(ms "$(res "$t" late_p99)")" "$(cpu "$t" per_order_us)"
  done
  echo
  echo "| figure | measured | target | met? |"
  echo "|---|---:|---|---|"
  local v p99 f99 err met
  f99=$(ms "$(res bare p99)")
  for v in $variants; do
    [[ -f $d/trade-$v.log ]] || continue
    p99=$(ms "$(res "trade-$v" p99)"); err=$(res "trade-$v" errors)
    met=$(awk -v x="$p99" -v e="${err:-1}" 'BEGIN { print (x != "-" && x <= 1.0 && e == 0 ? "yes" : "**no**") }')
    echo "| p99 NewOrderSingle -> first ExecutionReport, trade-api's acceptor, fsync $v (errors: ${err:-?}) | $p99 ms | <= 1 ms, no errors | $met |"
    echo "| (info) p50 trade ($v) minus bare: what trade-api and the exchange add at the median | $(awk -v a="$(ms "$(res "trade-$v" p50)")" -v b="$(ms "$(res bare p50)")" 'BEGIN { printf "%.3f", a - b }') ms | - | - |"
  done
  echo "| (info) p99 of the bare QuickFIX/J acceptor: the FIX engine's floor on this machine | $f99 ms | - | - |"
  echo
  echo "## Machine and run"
  echo
  echo '```'
  cat "$d/machine.txt"
  echo '```'
  echo
  echo "Per measured run (load average and CPU pressure just before it; account state after the trade run):"
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
  SECONDS_=${DURATION:-5}; WARMUP=${WARMUP:-2}; WARM_SECONDS=${WARM_SECONDS:-5}
else
  SECONDS_=${DURATION:-30}; WARMUP=${WARMUP:-10}; WARM_SECONDS=${WARM_SECONDS:-20}
fi
RATE=${RATE:-1000}; SESSIONS=${SESSIONS:-4}; TIF=${TIF:-ioc}; DRAIN=${DRAIN:-5}; SPIN_US=${SPIN_US:-50}
BARE_STORE=${BARE_STORE:-file}; WAIT_LOAD=${WAIT_LOAD:-0}; WAIT_MAX=${WAIT_MAX:-600}
VARIANTS=${VARIANTS:-default none}
# QuickFIX/J logs every socket option at INFO through slf4j-simple: warnings only
QUIET_QFJ="-Dorg.slf4j.simpleLogger.log.quickfix=warn"
AIO_PORT=${AIO_PORT:-18490}; FIX_PORT=${FIX_PORT:-18878}; BARE_PORT=${BARE_PORT:-18879}
SERVER_CPUS=${SERVER_CPUS:-}; LOAD_CPUS=${LOAD_CPUS:-}
WARM_RATE=${WARM_RATE:-$(( RATE / 2 ))}
JAVA_OPTS_AIO=${JAVA_OPTS_AIO:--Xms256m -Xmx1g -XX:+UseTransparentHugePages}   # start.sh's defaults
STAMP=$(date +%Y%m%d-%H%M%S)
OUT=${OUT:-bench/target/fix-bench-$STAMP}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
: > "$OUT/runs.txt"
echo "$BARE_STORE" > "$OUT/bare-store.txt"
echo "$VARIANTS" > "$OUT/variants.txt"

# ---------------------------------------------------------------- build if needed
# One reactor build of both jars from this checkout's sources (-am builds trade-api, gateway, exchange... too;
# never a stale sibling from ~/.m2). The all-in-one's inputs are everything but bench/.
aio_stale() {
  { build_inputs | grep -zv '^bench/' | xargs -0 -r sh -c 'find "$@" -maxdepth 0 -newer "$0" -print 2>/dev/null' "$AIO" \
      | head -n 1; } || true
}
if [[ ! -f $AIO || ! -f $JAR || -n "$(aio_stale)" || -n "$(newer_build_input "$JAR")" ]]; then
  echo "building $AIO and $JAR ..."
  mvn -o -q -pl bench,launcher -am package -DskipTests
fi

# ---------------------------------------------------------------- processes (stopped on exit, by pid)
# shared helpers: PIDS, stop_pid, cleanup, ports_free, wait_http, load1, cpu_some, ticks, load_java
source "$ROOT/bench/bench-lib.sh"
trap cleanup EXIT
ports_free "AIO_PORT / FIX_PORT / BARE_PORT" "$AIO_PORT" "$FIX_PORT" "$BARE_PORT"
SERVER_PIN=${SERVER_CPUS:+taskset -c $SERVER_CPUS}

# ---------------------------------------------------------------- wait for a quiet machine (off by default)
if awk -v w="$WAIT_LOAD" 'BEGIN { exit !(w > 0) }'; then
  waited=0; quiet=0
  while (( quiet < 2 )); do
    if awk -v l="$(load1)" -v w="$WAIT_LOAD" 'BEGIN { exit !(l < w) }'; then quiet=$(( quiet + 1 )); else quiet=0; fi
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
  dd_out=$(dd if=/dev/zero of="$OUT/dsync-probe" bs=4k count=200 oflag=dsync 2>&1 | tail -1); rm -f "$OUT/dsync-probe"
  dd_s=$(awk '{ for (i = 1; i <= NF; i++) if ($i == "s,") print $(i - 1) }' <<< "$dd_out")
  echo "fsync probe: 200 x 4 KiB writes with O_DSYNC in $dd_s s: $(awk -v s="$dd_s" 'BEGIN { printf "%.2f", s * 1000 / 200 }') ms each"
  echo "settings:    $RATE orders/s for ${SECONDS_}s after ${WARMUP}s unrecorded, $SESSIONS FIX sessions (one account each)," \
       "TIF $TIF limit buys, drain ${DRAIN}s, sender spin ${SPIN_US}us; bare acceptor store: $BARE_STORE"
  echo "pinning:     server JVMs ${SERVER_CPUS:+taskset -c $SERVER_CPUS}${SERVER_CPUS:-not pinned}," \
       "load generator ${LOAD_CPUS:+taskset -c $LOAD_CPUS}${LOAD_CPUS:-not pinned}"
  echo "warm-up:     before each measured run, 10s at 100 then ${WARM_SECONDS}s at $WARM_RATE orders/s (JIT), not measured"
  echo "all-in-one:  java $JAVA_OPTS_AIO; simulator on; OPENTRADE_MARKET_BACKFILL=false; a fresh one per variant: $VARIANTS"
  echo "             (default: trade-api intent log and exchange journal fsync batch, as shipped; none: both none)"
  echo "bare:        java -Xms128m -Xmx256m -XX:+UseTransparentHugePages (up during both measured runs, as the all-in-one is)"
  echo "shared:      the machine is shared with other sessions' builds and tests; see the load and CPU pressure lines"
  echo "load at start: $(cat /proc/loadavg); cpu pressure some avg10 $(cpu_some) %"
  java -version 2>&1 | sed 's/^/java:        /'
} | tee "$OUT/machine.txt"
if awk -v l="$(load1)" 'BEGIN { exit !(l >= 1.0) }'; then
  echo "WARNING: load average $(load1) >= 1.0: the machine is busy, figures will be noisy" | tee -a "$OUT/machine.txt"
fi

# ---------------------------------------------------------------- configs
cat > "$OUT/gateway-bench.yaml" <<'EOF'
# merged over api-gateway's gateway.yaml: the cheapest password hash the gateway allows (sign-up is not measured)
auth:
  password_memory_kib: 1024
  password_iterations: 1
limits:
  per_address_per_minute: 100000
  signups_per_hour: 100000000
  signups_per_address_per_hour: 1000000
EOF
PER_ACCOUNT=$(( (RATE + SESSIONS - 1) / SESSIONS * 5 ))
cat > "$OUT/trade-bench.yaml" <<EOF
# merged over trade-api.yaml: risk checks evaluated on every order, never refusing one of the benchmark's
accounts:
  starting_balance: "100000000000.00"
risk:
  max_open_orders: 1000000
  max_orders_per_second: $PER_ACCOUNT
fix:
  max_messages_per_second: $PER_ACCOUNT
EOF

# ---------------------------------------------------------------- servers: bare acceptor, all-in-one per variant
echo; echo "== bare QuickFIX/J acceptor on :$BARE_PORT ($BARE_STORE store)"
$SERVER_PIN java -Xms128m -Xmx256m -XX:+UseTransparentHugePages $QUIET_QFJ -Xlog:gc:file="$OUT/bare-gc.log" -cp "$JAR" \
  org.opentrade.bench.fix.BareFixAcceptor --port "$BARE_PORT" --store "$BARE_STORE" --store-dir "$OUT/bare-store" \
  > "$OUT/bare-acceptor.log" 2>&1 &
BARE_PID=$!; PIDS+=($BARE_PID)
for _ in $(seq 100); do grep -q '^READY' "$OUT/bare-acceptor.log" && break; sleep 0.2; done
grep -q '^READY' "$OUT/bare-acceptor.log" || { echo "bare acceptor did not start:" >&2; cat "$OUT/bare-acceptor.log" >&2; exit 1; }

G=http://127.0.0.1:$AIO_PORT
start_aio() { # start_aio <variant>: a fresh all-in-one (data under $OUT/aio-<variant>), sets AIO_PID, keys and symbols
  local v=$1 tf ef
  case $v in
    default) tf=batch; ef=batch ;;
    none) tf=none; ef=none ;;
    *) echo "unknown variant $v (default, none)" >&2; exit 2 ;;
  esac
  echo; echo "== all-in-one ($v: trade-api fsync $tf, exchange fsync $ef) on :$AIO_PORT, FIX on :$FIX_PORT"
  local d="$OUT/aio-$v"
  mkdir -p "$d"
  # shellcheck disable=SC2086
  OPENTRADE_HTTP_HOST=127.0.0.1 OPENTRADE_HTTP_PORT=$AIO_PORT OPENTRADE_FIX_ENABLED=true OPENTRADE_FIX_HOST=127.0.0.1 \
  OPENTRADE_FIX_PORT=$FIX_PORT OPENTRADE_EXCHANGE_DATA_DIR="$d/exchange" OPENTRADE_GATEWAY_DATA_DIR="$d/gateway" \
  OPENTRADE_MARKET_DATA_DIR="$d/market" OPENTRADE_TRADE_DATA_DIR="$d/trade" OPENTRADE_MARKET_BACKFILL=false \
  OPENTRADE_TRADE_FSYNC=$tf OPENTRADE_EXCHANGE_FSYNC=$ef \
  OPENTRADE_GATEWAY_CONFIG="$OUT/gateway-bench.yaml" OPENTRADE_TRADE_CONFIG="$OUT/trade-bench.yaml" \
    $SERVER_PIN java $JAVA_OPTS_AIO -Xlog:gc:file="$OUT/aio-$v-gc.log" -jar "$AIO" > "$OUT/aio-$v.log" 2>&1 &
  AIO_PID=$!; PIDS+=($AIO_PID)
  wait_http "$G/ready" 120
  provision "$v"
}

# ---------------------------------------------------------------- provision: SESSIONS developers, a fix key each
post() { # post <path> <json> [bearer]: the 2xx body, else fails
  local body code
  body=$(curl -s -w '\n%{http_code}' -X POST "$G$1" -H 'Content-Type: application/json' ${3:+-H "Authorization: Bearer $3"} -d "$2")
  code=${body##*$'\n'}; body=${body%$'\n'*}
  [[ $code == 2* ]] || { echo "POST $1: HTTP $code $body" >&2; return 1; }
  echo "$body"
}
api_get() { curl -s -w '\n%{http_code}' -H "X-API-Key: ${K1% *}" -H "X-API-Secret: ${K1#* }" "$G$1"; }
provision() { # provision <variant>: keys to $OUT/keys.txt (the bare runs use the first variant's), symbols to $OUT/symbols.txt
  local i email token r
  : > "$OUT/keys-$1.txt"
  for i in $(seq 0 $(( SESSIONS - 1 ))); do
    email="fix-bench-$i-$1-$STAMP@example.com"
    post /v1/developers "{\"email\":\"$email\",\"password\":\"bench-password-123\",\"name\":\"FIX bench\"}" > /dev/null
    token=$(post /v1/sessions "{\"email\":\"$email\",\"password\":\"bench-password-123\"}" | jq -r .token)
    post /v1/keys '{"scopes":["market:read","trade","fix"],"label":"fix-bench"}' "$token" \
      | jq -r '.key_id + " " + .secret' >> "$OUT/keys-$1.txt"
  done
  cp "$OUT/keys-$1.txt" "$OUT/keys.txt"
  echo "$SESSIONS developer(s) with a fix key -> $OUT/keys-$1.txt"
  K1=$(head -1 "$OUT/keys.txt")
  for _ in $(seq 120); do # market-api answers 503 while it loads its books
    r=$(api_get /v1/market/instruments); [[ ${r##*$'\n'} == 200 ]] && break; sleep 0.5
  done
  [[ ${r##*$'\n'} == 200 ]] || { echo "GET /v1/market/instruments: ${r##*$'\n'}" >&2; exit 1; }
  jq -r '.items[] | "\(.symbol) \(.prev_close) \(.tick_size) \(.price_band_pct) \(.lot_size)"' <<< "${r%$'\n'*}" \
    > "$OUT/symbols.txt"
  echo "$(wc -l < "$OUT/symbols.txt") instrument(s) -> $OUT/symbols.txt"
  for _ in $(seq 150); do # trade-api is ready (and its FIX acceptor listening) once it caught up with the feed
    r=$(api_get /v1/account); [[ ${r##*$'\n'} == 200 ]] && break; sleep 0.2
  done
}

# ---------------------------------------------------------------- runs
fix_load() { # fix_load <name> <port> <sender prefix> <id prefix> <rate> <seconds> <unrecorded seconds>
  load_java -Xms256m -Xmx256m -XX:+UseTransparentHugePages $QUIET_QFJ -cp "$JAR" org.opentrade.bench.fix.FixOrderLoad \
    --name "$1" --port "$2" --keys "$OUT/keys.txt" --symbols "$OUT/symbols.txt" --sessions "$SESSIONS" \
    --sender-prefix "$3" --id-prefix "$4" --rate "$5" --seconds "$6" --warmup-seconds "$7" --tif "$TIF" \
    --drain-seconds "$DRAIN" --spin-us "$SPIN_US"
}
warm() { # warm <target> <port>: JIT warm-up, not measured
  local r s
  for r in 100 "$WARM_RATE"; do
    s=$WARM_SECONDS; [[ $r == 100 ]] && s=10
    echo "-- warm-up $1: ${s}s at $r/s"
    fix_load "warm-$1-$r" "$2" "W$r-$1-$STAMP-" "w$r-$1-" "$r" "$s" 0 > "$OUT/warm-$1-$r.log" 2>&1 || true
    grep -E '^  (NewOrderSingle|measured)' "$OUT/warm-$1-$r.log" || tail -3 "$OUT/warm-$1-$r.log"
  done
}
measure() { # measure <name> <server pid> <port>: logs to $OUT/<name>.log, server CPU to $OUT/<name>.cpu
  local name=$1 pid=$2 port=$3 before after
  local orders; orders=$(awk -v r="$RATE" -v s="$SECONDS_" -v w="$WARMUP" 'BEGIN { printf "%d", r * (s + w) }')
  echo "$name: load $(cut -d' ' -f1-3 /proc/loadavg), cpu pressure some avg10 $(cpu_some) %" >> "$OUT/runs.txt"
  before=$(ticks "$pid")
  set +e
  fix_load "$name" "$port" "M-$name-$STAMP-" "m-$name-" "$RATE" "$SECONDS_" "$WARMUP" 2>&1 | tee "$OUT/$name.log"
  local rc=${PIPESTATUS[0]}
  set -e
  after=$(ticks "$pid")
  # the CPU of the whole run (unrecorded seconds and drain included) over every order sent in it
  awk -v b="$before" -v a="$after" -v n="$orders" -v hz="$(getconf CLK_TCK)" 'BEGIN {
    printf "cpu_seconds %.2f\nper_order_us %.0f\n", (a - b) / hz, (a - b) / hz * 1e6 / n }' > "$OUT/$name.cpu"
  grep -h '^RESULT' "$OUT/$name.log" | tr ' ' '\n' | awk -F= '$1 == "late_p99" { printf "  sender lateness p99 %s us\n", $2 }' \
    >> "$OUT/runs.txt"
  return $rc
}
failed=0
first=1
for v in $VARIANTS; do
  start_aio "$v"
  if (( first )); then # the floor, once, with the first all-in-one up beside it (its simulator runs meanwhile)
    warm bare "$BARE_PORT"
    echo "-- bare (floor)"
    measure bare "$BARE_PID" "$BARE_PORT" || failed=1
    first=0
  fi
  warm "trade-$v" "$FIX_PORT"
  echo "-- trade-$v (trade-api's acceptor)"
  measure "trade-$v" "$AIO_PID" "$FIX_PORT" || failed=1
  echo "check ($v): account 0 after the run: $(api_get /v1/account | head -1 | jq -c '{open_orders, buying_power, reserved}' 2>/dev/null)" \
    | tee -a "$OUT/runs.txt"
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
  cp "$OUT/summary.md" "bench/results/fix-$STAMP.md"
  echo "written: bench/results/fix-$STAMP.md"
fi
if (( failed )); then echo "ERROR: a load run failed (see the logs in $OUT)" >&2; exit 1; fi
