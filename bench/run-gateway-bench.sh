#!/usr/bin/env bash
# Gateway benchmark (bench/README.md, targets row 3), in one run (about 8 minutes on 2 cores):
#   a trivial upstream (TrivialUpstream; the path under test, /v1/market/instruments/600000.SH, answers
#   1 KiB of JSON), reached
#   (1) directly,
#   (2) through a bare Vert.x reverse proxy (TrivialProxy: what one extra hop costs),
#   (3) through Debian's nginx doing the gateway's hot-path work (API-key check with a map of the
#       provisioned key and secret, per-key limit_req with a rate so high it never refuses, keep-alive
#       proxy_pass: the peer of targets row 3),
#   (4) through the API gateway (GatewayMain, embedded store) with API-key auth, rate limits, metering
#       and tracing on (sample ratio 1.0, in-process span store); the bench plan's limit is huge so the
#       limiter is evaluated on every call but never refuses.
#   Every proxy has one event loop / one worker process. Two layouts, in this order, same processes:
#   unpinned (the kernel spreads everything over both cores) and pinned (proxy, nginx and gateway on
#   CPU 0 - only the one measured is busy -, upstream and load generators on CPU 1; `taskset -a`
#   re-pins every thread of the running processes), each with its own warm-up. Per layout:
#   (a) max throughput: wrk -t1 -c32, closed loop, each target in turn after a warm-up;
#   (b) latency at a fixed LAT_RATE (5 000 req/s), open loop, coordinated-omission corrected
#       (FixedRateHttpLoad; wrk2 is not packaged for Debian), same rate for every target.
#   Pinned layout only: (c) overload: the gateway offered 3 x its measured max (open loop, OVERLOAD_CONNECTIONS
#   connections, per-loop bound 64 in flight): admitted throughput, admitted p99, shed (503 -9004) count.
#   (d) overload at a saturated upstream: a second gateway (same jar, its own process) in front of a
#       TrivialUpstream that serves at most SLOW_SERVERS requests at once, SLOW_SERVICE_MS each (timers,
#       no CPU), with the pool bound upstreams.market-api.max_in_flight = SLOW_POOL_BOUND, offered 3 x the
#       upstream's capacity (SLOW_SERVERS x 1000 / SLOW_SERVICE_MS req/s), open loop: admitted throughput
#       against that capacity, admitted p99 against the bound's queue (bound / servers x service time),
#       shed count; beside it, for information, what wrk -c SLOW_SERVERS gets through closed loop.
# Prints a summary table (req/s, p99, gateway/bare-proxy and gateway/nginx ratios, overload line) and
# records the machine and its load.
#
# Usage: bench/run-gateway-bench.sh          full run; table also written to bench/results/gateway-<time>.md
#        SMOKE=1 bench/run-gateway-bench.sh  ~2 min sanity run (results stay in the output dir only)
# Knobs (environment): DURATION (wrk seconds per target, 15), WARMUP_REQUESTS (calls each JVM proxy serves
#   unpinned before anything is measured, 200 000, at most 120 s), WARMUP (wrk warm-up seconds per JVM
#   target and layout, 15; nginx and direct: 5),
#   CONNECTIONS (32), LAT_RATE (req/s, 5000), LAT_SECONDS (15), LAT_WARMUP (5), LAYOUTS ("unpinned pinned"),
#   OVERLOAD (1: run (c)), OVERLOAD_CONNECTIONS (256), GW_HEAP (the gateway's -Xms/-Xmx, 512m),
#   UPSTREAM_OVERLOAD (1: run (d)), SLOW_SERVERS (8), SLOW_SERVICE_MS (4), SLOW_POOL_BOUND (16),
#   UP_PORT / PROXY_PORT / GW_PORT / NGINX_PORT / SLOW_PORT / GW2_PORT
#   (18181 / 18182 / 18180 / 18183 / 18184 / 18185), OUT (output dir),
#   JAR (a benchmarks.jar built earlier, e.g. of the commit before a change: used as is, never rebuilt),
#   PROFILE=1 (JFR recording of the gateway during its pinned wrk run: $OUT/gateway.jfr, with a hot-method
#   and allocation summary in $OUT/gateway-jfr.txt).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=../scripts/ensure-tools.sh
source scripts/ensure-tools.sh
command -v wrk >/dev/null 2>&1 || _apt_install wrk
command -v curl >/dev/null 2>&1 || _apt_install curl
command -v jq >/dev/null 2>&1 || _apt_install jq
command -v taskset >/dev/null 2>&1 || _apt_install util-linux
[[ -x /usr/sbin/nginx ]] || _apt_install nginx   # the peer; Debian's package, its own service is not used
NGINX=/usr/sbin/nginx

JAR_GIVEN=${JAR:+1}
JAR=${JAR:-bench/target/benchmarks.jar}
if [[ "${SMOKE:-0}" == 1 ]]; then
  DURATION=${DURATION:-4}; WARMUP=${WARMUP:-3}; WARMUP_REQUESTS=${WARMUP_REQUESTS:-1}; LAT_SECONDS=${LAT_SECONDS:-4}; LAT_WARMUP=${LAT_WARMUP:-2}
else
  DURATION=${DURATION:-15}; WARMUP=${WARMUP:-15}; LAT_SECONDS=${LAT_SECONDS:-15}; LAT_WARMUP=${LAT_WARMUP:-5}
fi
CONNECTIONS=${CONNECTIONS:-32}
WARMUP_REQUESTS=${WARMUP_REQUESTS:-200000}
LAT_RATE=${LAT_RATE:-5000}
LAYOUTS=${LAYOUTS:-unpinned pinned}
OVERLOAD=${OVERLOAD:-1}
GW_HEAP=${GW_HEAP:-512m}
TRANSPORT=${TRANSPORT:-auto}   # the bare proxy's and the gateway's (auto: io_uring where the kernel allows it, else epoll)
OVERLOAD_CONNECTIONS=${OVERLOAD_CONNECTIONS:-256}
UPSTREAM_OVERLOAD=${UPSTREAM_OVERLOAD:-1}
SLOW_SERVERS=${SLOW_SERVERS:-8}; SLOW_SERVICE_MS=${SLOW_SERVICE_MS:-4}; SLOW_POOL_BOUND=${SLOW_POOL_BOUND:-16}
UP_PORT=${UP_PORT:-18181}; PROXY_PORT=${PROXY_PORT:-18182}; GW_PORT=${GW_PORT:-18180}; NGINX_PORT=${NGINX_PORT:-18183}
SLOW_PORT=${SLOW_PORT:-18184}; GW2_PORT=${GW2_PORT:-18185}
STAMP=$(date +%Y%m%d-%H%M%S)
OUT=${OUT:-bench/target/gateway-bench-$STAMP}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
PATH_UNDER_TEST=/v1/market/instruments/600000.SH
GW=http://127.0.0.1:$GW_PORT
declare -A URL=(
  [direct]=http://127.0.0.1:$UP_PORT$PATH_UNDER_TEST
  [proxy]=http://127.0.0.1:$PROXY_PORT$PATH_UNDER_TEST
  [nginx]=http://127.0.0.1:$NGINX_PORT$PATH_UNDER_TEST
  [gateway]=$GW$PATH_UNDER_TEST
  [gateway2]=http://127.0.0.1:$GW2_PORT$PATH_UNDER_TEST
)
TARGETS=(direct proxy nginx gateway)
declare -A SERVER_PID   # target -> pid of the server measured (nginx: its master; its worker is a child)
NCPU=$(nproc)

# ---------------------------------------------------------------- build if needed
if [[ -z "$JAR_GIVEN" ]] && { [[ ! -f $JAR ]] || [[ -n "$(find bench/src api-gateway/src common/src sandbox-exchange/src -newer "$JAR" -type f 2>/dev/null | head -1)" ]] \
    || [[ -n "$(find . -maxdepth 2 -name pom.xml -newer "$JAR" 2>/dev/null | head -1)" ]]; }; then
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
for port in "$UP_PORT" "$PROXY_PORT" "$GW_PORT" "$NGINX_PORT" "$SLOW_PORT" "$GW2_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "port $port is in use; set UP_PORT / PROXY_PORT / GW_PORT / NGINX_PORT / SLOW_PORT / GW2_PORT" >&2; exit 1
  fi
done
wait_http() { # wait_http <url> <seconds> [curl args...]
  local url=$1 secs=$2; shift 2
  for _ in $(seq $(( secs * 5 ))); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' "$@" "$url" || true)" == 200 ]] && return 0
    sleep 0.2
  done
  echo "no 200 from $url after $secs s" >&2; return 1
}

{
  echo "date:        $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit:      $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "nproc:       $NCPU"
  echo "cpu:         $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "memory:      $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "kernel:      $(uname -r)"
  echo "wrk:         $(wrk -v 2>&1 | head -1)"
  echo "nginx:       $($NGINX -v 2>&1 | sed 's/^nginx version: //')"
  echo "settings:    wrk -t1 -c$CONNECTIONS ${DURATION}s per target after ${WARMUP}s warm-up;" \
       "fixed-rate $LAT_RATE req/s ${LAT_SECONDS}s after ${LAT_WARMUP}s, $CONNECTIONS connections; layouts: $LAYOUTS"
  echo "load at start: $(cat /proc/loadavg)"
  java -version 2>&1 | sed 's/^/java:        /'
} | tee "$OUT/machine.txt"

echo; echo "== starting upstream, reference proxy, gateway"
java -Xms256m -Xmx256m -cp "$JAR" org.opentrade.bench.gateway.TrivialUpstream --port "$UP_PORT" \
  > "$OUT/upstream.log" 2>&1 &
UP_PID=$!; PIDS+=("$UP_PID")
java -Xms256m -Xmx256m -cp "$JAR" org.opentrade.bench.gateway.TrivialProxy --port "$PROXY_PORT" \
  --target "127.0.0.1:$UP_PORT" --transport "$TRANSPORT" > "$OUT/proxy.log" 2>&1 &
PROXY_PID=$!; PIDS+=("$PROXY_PID")
cp bench/gateway-bench.yaml "$OUT/gateway-bench.yaml" # the one config both gateway scripts use
OPENTRADE_GATEWAY_HOST=127.0.0.1 OPENTRADE_GATEWAY_PORT=$GW_PORT OPENTRADE_GATEWAY_DATA_DIR="$OUT/gateway-data" \
OPENTRADE_GATEWAY_TRANSPORT=$TRANSPORT \
OPENTRADE_MARKET_API_TARGETS=127.0.0.1:$UP_PORT OPENTRADE_ADMIN_TOKEN=bench-admin-token-0123456789 \
  java -Xms"$GW_HEAP" -Xmx"$GW_HEAP" -Xlog:gc:file="$OUT/gateway-gc.log" -Dopentrade.gateway.config="$OUT/gateway-bench.yaml" -cp "$JAR" \
  org.opentrade.gateway.app.GatewayMain > "$OUT/gateway.log" 2>&1 &
GW_PID=$!; PIDS+=("$GW_PID")
GW2_PID=""; SLOW_PID=""
if [[ $UPSTREAM_OVERLOAD == 1 ]]; then
  java -Xms256m -Xmx256m -cp "$JAR" org.opentrade.bench.gateway.TrivialUpstream --port "$SLOW_PORT" \
    --servers "$SLOW_SERVERS" --service-ms "$SLOW_SERVICE_MS" > "$OUT/slow-upstream.log" 2>&1 &
  SLOW_PID=$!; PIDS+=("$SLOW_PID")
  cat > "$OUT/gateway2-bench.yaml" <<EOF
# (d): like gateway-bench.yaml, in front of the saturable upstream, with the pool bound under test (the
# per-loop bound stays above it, so the pool's is the one that sheds).
gateway:
  event_loops: 1
limits:
  plans:
    free:
      weight_per_minute: 1000000000000
upstreams:
  market-api:
    max_in_flight: $SLOW_POOL_BOUND
    in_flight_reserved_for_orders: $(( SLOW_POOL_BOUND / 4 ))
EOF
  OPENTRADE_GATEWAY_HOST=127.0.0.1 OPENTRADE_GATEWAY_PORT=$GW2_PORT OPENTRADE_GATEWAY_DATA_DIR="$OUT/gateway2-data" \
  OPENTRADE_GATEWAY_TRANSPORT=$TRANSPORT \
  OPENTRADE_MARKET_API_TARGETS=127.0.0.1:$SLOW_PORT OPENTRADE_ADMIN_TOKEN=bench-admin-token-0123456789 \
    java -Xms"$GW_HEAP" -Xmx"$GW_HEAP" -Dopentrade.gateway.config="$OUT/gateway2-bench.yaml" -cp "$JAR" \
    org.opentrade.gateway.app.GatewayMain > "$OUT/gateway2.log" 2>&1 &
  GW2_PID=$!; PIDS+=("$GW2_PID")
fi
wait_http "http://127.0.0.1:$UP_PORT/health" 30
wait_http "${URL[proxy]}" 30
wait_http "$GW/ready" 60   # /ready: the upstream passed its health checks
{
  echo "transports:  bare proxy: $(grep -o '([a-z_]* transport)' "$OUT/proxy.log" | tr -d '()');" \
       "gateway: $(grep -o '[a-z_]* transport, event bus' "$OUT/gateway.log" | sed 's/, event bus//'); asked: $TRANSPORT"
} | tee -a "$OUT/machine.txt"

echo "== provisioning a developer and an API key"
provision() { # provision <gateway url>: prints "<key id> <secret>" of a new developer's market:read key
  curl -sf -X POST "$1/v1/developers" -H 'Content-Type: application/json' \
    -d '{"email":"bench@example.com","password":"bench-password-123","name":"Bench"}' > /dev/null
  local token
  token=$(curl -sf -X POST "$1/v1/sessions" -H 'Content-Type: application/json' \
    -d '{"email":"bench@example.com","password":"bench-password-123"}' | jq -r .token)
  curl -sf -X POST "$1/v1/keys" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d '{"scopes":["market:read"]}' | jq -r '.key_id + " " + .secret'
}
read -r KEY_ID SECRET < <(provision "$GW")
AUTH=(-H "X-API-Key: $KEY_ID" -H "X-API-Secret: $SECRET")
if [[ $UPSTREAM_OVERLOAD == 1 ]]; then
  wait_http "http://127.0.0.1:$GW2_PORT/ready" 60
  read -r KEY2_ID SECRET2 < <(provision "http://127.0.0.1:$GW2_PORT")
  AUTH2=(-H "X-API-Key: $KEY2_ID" -H "X-API-Secret: $SECRET2")
  [[ "$(curl -s -o /dev/null -w '%{http_code}' "${AUTH2[@]}" "${URL[gateway2]}")" == 200 ]] || { echo "gateway-2's key does not work" >&2; exit 1; }
fi
[[ "$(curl -s -o /dev/null -w '%{http_code}' "${AUTH[@]}" "${URL[gateway]}")" == 200 ]] || { echo "key does not work" >&2; exit 1; }

echo "== starting nginx (the peer: key check, per-key limit_req, keep-alive proxy_pass)"
NGX="$ROOT/bench/target/nginx-$STAMP"   # prefix: config, pid, logs and temp dirs of this run only
mkdir -p "$NGX/logs" "$NGX/tmp"
NGX_USER=""
[[ "$(id -u)" == 0 ]] && NGX_USER="user $(id -un) $(id -gn);"   # as root, workers would drop to nobody
cat > "$NGX/nginx.conf" <<EOF
# The gateway's hot path in nginx, for the comparison of bench/README.md's targets row 3. Generated by run-gateway-bench.sh.
$NGX_USER
daemon off;
worker_processes 1;
pid $NGX/nginx.pid;
error_log $NGX/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $NGX/tmp/body;
  proxy_temp_path $NGX/tmp/proxy;
  fastcgi_temp_path $NGX/tmp/fastcgi;
  uwsgi_temp_path $NGX/tmp/uwsgi;
  scgi_temp_path $NGX/tmp/scgi;
  # API-key check: the provisioned key with its secret, else 401 (the gateway compares a SHA-256).
  map_hash_bucket_size 128;   # "key:secret" is 73 bytes
  map "\$http_x_api_key:\$http_x_api_secret" \$api_key_ok {
    default 0;
    "$KEY_ID:$SECRET" 1;
  }
  # Per-key limit, evaluated on every request, never refusing (as the gateway's bench plan).
  limit_req_zone \$http_x_api_key zone=per_key:10m rate=1000000r/s;
  upstream market_api {
    server 127.0.0.1:$UP_PORT;
    keepalive 64;
  }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / {
      if (\$api_key_ok = 0) {
        return 401 '{"error":"unknown API key","error_no":-2002}';
      }
      limit_req zone=per_key burst=1000000 nodelay;
      proxy_pass http://market_api;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
EOF
$NGINX -p "$NGX" -c "$NGX/nginx.conf" -e "$NGX/logs/error.log" > "$OUT/nginx.log" 2>&1 &
NGINX_PID=$!; PIDS+=("$NGINX_PID")
SERVER_PID=([direct]=$UP_PID [proxy]=$PROXY_PID [nginx]=$NGINX_PID [gateway]=$GW_PID)
wait_http "${URL[nginx]}" 30 "${AUTH[@]}"
[[ "$(curl -s -o /dev/null -w '%{http_code}' "${URL[nginx]}")" == 401 ]] || { echo "nginx lets a call without key through" >&2; exit 1; }
BODY_BYTES=$(curl -s "${AUTH[@]}" "${URL[gateway]}" | wc -c)
echo "body through the gateway: $BODY_BYTES bytes" | tee -a "$OUT/machine.txt"

# ---------------------------------------------------------------- layouts
# Every thread of a running process (taskset -a); nginx's workers are children of its master.
pin() { # pin <cpu list> <pid>...
  local cpus=$1 p c; shift
  for p in "$@"; do
    taskset -a -cp "$cpus" "$p" > /dev/null
    for c in $(pgrep -P "$p" || true); do taskset -a -cp "$cpus" "$c" > /dev/null; done
  done
}
LOADGEN=()   # prefix of wrk and FixedRateHttpLoad
layout() {
  if [[ $1 == pinned ]]; then
    pin 0 "$PROXY_PID" "$NGINX_PID" "$GW_PID" $GW2_PID
    pin 1 "$UP_PID" $SLOW_PID
    LOADGEN=(taskset -c 1)
  else
    pin "0-$(( NCPU - 1 ))" "$PROXY_PID" "$NGINX_PID" "$GW_PID" "$UP_PID" $GW2_PID $SLOW_PID
    LOADGEN=()
  fi
}
auth_args() {
  if [[ $1 == nginx || $1 == gateway ]]; then printf '%s\n' "${AUTH[@]}"; elif [[ $1 == gateway2 ]]; then printf '%s\n' "${AUTH2[@]}"; fi
  true
}
wrk_run() { # wrk_run <log name> <target> <seconds> [connections]
  local -a a; mapfile -t a < <(auth_args "$2")
  "${LOADGEN[@]}" wrk -t1 -c"${4:-$CONNECTIONS}" -d"${3}s" --latency "${a[@]}" "${URL[$2]}" > "$OUT/wrk-$1.log" 2>&1
}
rps() { awk '/^Requests\/sec:/ {print $2}' "$OUT/wrk-$1.log"; }
wrk_requests() { awk '/requests in/ {print $1}' "$OUT/wrk-$1.log"; }
# CPU ticks (user + system) of a process and its children's threads so far: the server's own CPU,
# which on a shared machine is steadier than its req/s (what others take from the core is not in it).
TICK=$(getconf CLK_TCK)
cpu_ticks() { # cpu_ticks <pid>: the process, plus its child processes (nginx's worker)
  local p t=0 c
  for p in "$1" $(pgrep -P "$1" || true); do
    c=$(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0); t=$(( t + c ))
  done
  echo "$t"
}
declare -A CPU_US   # <layout>-<target> -> server CPU microseconds per request in the wrk run
non2xx() { awk '/Non-2xx/ {print $5}' "$OUT/wrk-$1.log" | head -1; }
lat_run() { # lat_run <log name> <target> <rate> <connections>
  local -a h=()
  if [[ $2 == nginx || $2 == gateway ]]; then h=(--header "X-API-Key: $KEY_ID" --header "X-API-Secret: $SECRET"); fi
  if [[ $2 == gateway2 ]]; then h=(--header "X-API-Key: $KEY2_ID" --header "X-API-Secret: $SECRET2"); fi
  "${LOADGEN[@]}" java -Xms256m -Xmx256m -cp "$JAR" org.opentrade.bench.gateway.FixedRateHttpLoad --name "$1" \
    --url "${URL[$2]}" --rate "$3" --seconds "$LAT_SECONDS" --warmup-seconds "$LAT_WARMUP" --connections "$4" "${h[@]}" \
    2>&1 | grep -v '^SLF4J' > "$OUT/latency-$1.log"
  grep '^RESULT' "$OUT/latency-$1.log"
}
lat() { grep '^RESULT latency' "$OUT/latency-$1.log" | tr ' ' '\n' | awk -F= -v k="$2" '$1 == k { print $2 }'; }
shed_total() { curl -s "$GW/metrics" | awk '$1 == "opentrade_gateway_shed_total" { print $2 }'; }
pool_shed_total() { # the pool bound's sheds of gateway-2's market-api pool
  curl -s "http://127.0.0.1:$GW2_PORT/metrics" | awk '$1 == "opentrade_gateway_upstream_shed_total{pool=\"market-api\"}" { print $2 }'
}

# JIT warm-up by count, unpinned (both cores: the compiler threads do not starve the event loop), once:
# each JVM target gets wrk in 10 s rounds until it has served WARMUP_REQUESTS calls or 120 s have passed.
# Pinned from cold on a busy core, the gateway served ~200 req/s for its first 30 s.
layout unpinned
for t in proxy gateway; do
  served=0
  for round in $(seq 12); do
    wrk_run "jit-$t-$round" "$t" 10
    served=$(( served + $(wrk_requests "jit-$t-$round") ))
    if (( served >= WARMUP_REQUESTS )); then break; fi
  done
  echo "JIT warm-up: $t served $served calls in $round round(s) of 10 s" | tee -a "$OUT/machine.txt"
done

for L in $LAYOUTS; do
  echo; echo "== layout: $L (load $(cut -d' ' -f1-3 /proc/loadavg))"
  layout "$L"
  echo "load before $L: $(cat /proc/loadavg)" >> "$OUT/machine.txt"
  # The JVMs need tens of thousands of calls before C2 has compiled their hot paths (the gateway's is
  # the longest: at ~1 000 req/s on a busy machine, 15 s was not enough); nginx and the direct target
  # only need their connections open.
  for t in "${TARGETS[@]}"; do
    w=$WARMUP; [[ $t == direct || $t == nginx ]] && w=$(( WARMUP < 5 ? WARMUP : 5 ))
    wrk_run "warm-$L-$t" "$t" "$w"
  done
  for t in "${TARGETS[@]}"; do
    if [[ $t == gateway && $L == pinned && "${PROFILE:-0}" == 1 ]]; then
      jcmd "$GW_PID" JFR.start name=bench settings=profile filename="$OUT/gateway.jfr" > /dev/null
    fi
    c0=$(cpu_ticks "${SERVER_PID[$t]}")
    wrk_run "$L-$t" "$t" "$DURATION"
    c1=$(cpu_ticks "${SERVER_PID[$t]}")
    CPU_US[$L-$t]=$(awk -v c="$(( c1 - c0 ))" -v hz="$TICK" -v n="$(wrk_requests "$L-$t")" 'BEGIN { printf "%.1f", c * 1e6 / hz / n }')
    if [[ $t == gateway && $L == pinned && "${PROFILE:-0}" == 1 ]]; then jcmd "$GW_PID" JFR.stop name=bench > /dev/null; fi
    bad=$(non2xx "$L-$t")
    if [[ -n "$bad" && "$bad" != 0 ]]; then echo "ERROR: $bad non-2xx answers in the $L $t run" >&2; exit 1; fi
    printf '%-8s %-8s %10s req/s  %6s us CPU per request\n' "$L" "$t" "$(rps "$L-$t")" "${CPU_US[$L-$t]}"
  done
  for t in "${TARGETS[@]}"; do lat_run "$L-$t" "$t" "$LAT_RATE" "$CONNECTIONS"; done
  if [[ $L == pinned && $OVERLOAD == 1 ]]; then
    OV_RATE=$(awk -v r="$(rps pinned-gateway)" 'BEGIN { printf "%d", 3 * r }')
    echo "== overload: gateway offered $OV_RATE req/s (3 x its pinned max), $OVERLOAD_CONNECTIONS connections"
    SHED0=$(shed_total)
    lat_run overload gateway "$OV_RATE" "$OVERLOAD_CONNECTIONS"
    SHED=$(( $(shed_total) - SHED0 ))
  fi
  if [[ $L == pinned && $UPSTREAM_OVERLOAD == 1 ]]; then
    SLOW_CAP=$(( SLOW_SERVERS * 1000 / SLOW_SERVICE_MS ))
    echo "== overload at a saturated upstream: $SLOW_SERVERS servers x $SLOW_SERVICE_MS ms (at most $SLOW_CAP req/s), pool bound $SLOW_POOL_BOUND"
    wrk_run "warm-slow" gateway2 "$(( WARMUP < 5 ? WARMUP : 5 ))" "$SLOW_SERVERS"
    wrk_run "slow-max" gateway2 "$DURATION" "$SLOW_SERVERS"
    bad=$(non2xx slow-max)
    if [[ -n "$bad" && "$bad" != 0 ]]; then echo "ERROR: $bad non-2xx answers in the saturated-upstream max run" >&2; exit 1; fi
    SLOW_MAX=$(rps slow-max)
    SLOW_RATE=$(( 3 * SLOW_CAP ))
    echo "closed loop through gateway-2: $SLOW_MAX req/s; offering $SLOW_RATE req/s (3 x the upstream's capacity)"
    PSHED0=$(pool_shed_total)
    lat_run slow-overload gateway2 "$SLOW_RATE" "$OVERLOAD_CONNECTIONS"
    PSHED=$(( $(pool_shed_total) - PSHED0 ))
  fi
  echo "load after $L: $(cat /proc/loadavg)" >> "$OUT/machine.txt"
done

# ---------------------------------------------------------------- the gateway really did the work
TRACE_ID=$(curl -s -D - -o /dev/null "${AUTH[@]}" "${URL[gateway]}" | tr -d '\r' | awk -F': ' 'tolower($1) == "x-trace-id" {print $2}')
sleep 1.5   # one usage flush interval
SPANS=$(curl -s "${AUTH[@]}" "$GW/v1/traces/$TRACE_ID" | jq '.spans | length' 2>/dev/null || echo 0)
CALLS=$(curl -s "${AUTH[@]}" "$GW/v1/usage" | jq '[.rows[] | select(.route == "GET /v1/market/instruments/{symbol}") | .calls] | add' 2>/dev/null || echo 0)
RL=$(curl -s -D - -o /dev/null "${AUTH[@]}" "${URL[gateway]}" | tr -d '\r' | awk -F': ' 'tolower($1) == "ratelimit-remaining" {print $2}')
echo "checks: trace $TRACE_ID has $SPANS span(s); metered calls on the route: $CALLS; RateLimit-Remaining: $RL" \
  | tee "$OUT/checks.txt"
curl -s "$GW/metrics" > "$OUT/gateway-metrics.txt" || true
jcmd "$GW_PID" GC.heap_info > "$OUT/gateway-heap.txt" 2>&1 || true
echo "load at end: $(cat /proc/loadavg)" | tee -a "$OUT/machine.txt"
if [[ "${PROFILE:-0}" == 1 && -f "$OUT/gateway.jfr" ]]; then
  { echo "## hot methods (top frames of execution samples)"
    jfr print --events jdk.ExecutionSample "$OUT/gateway.jfr" | awk '/stackTrace = \[/ { getline; sub(/^[ \t]+/, ""); sub(/line:.*/, ""); c[$0]++ }
      END { for (k in c) print c[k], k }' | sort -rn | head -40
    echo; echo "## allocation by class (jdk.ObjectAllocationSample weight, MB)"
    jfr print --events jdk.ObjectAllocationSample "$OUT/gateway.jfr" | awk '/objectClass = / { cls = $3 } /weight = / { w = $3; u = $4;
      m = (u ~ /kB/) ? w / 1024 : (u ~ /MB/) ? w : (u ~ /GB/) ? w * 1024 : w / 1048576; s[cls] += m }
      END { for (k in s) printf "%.1f %s\n", s[k], k }' | sort -rn | head -30
  } > "$OUT/gateway-jfr.txt" 2>&1 || true
fi

# ---------------------------------------------------------------- summary
pct() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", 100 * a / b; else print "-" }'; }
met() { awk -v x="$1" -v t="$3" -v c="$2" 'BEGIN { print ((c == "ge" ? x >= t : x <= t) ? "yes" : "NO") }'; }
label() { case $1 in direct) echo "direct";; proxy) echo "bare Vert.x proxy";; nginx) echo "nginx (key map + limit_req + proxy_pass)";;
  gateway) echo "gateway (auth+limits+metering+tracing)";; esac; }
GC_PAUSES=$(grep -c 'Pause' "$OUT/gateway-gc.log" || true)
GC_MAX=$(grep 'Pause' "$OUT/gateway-gc.log" | grep -o '[0-9.]*ms$' | tr -d 'ms' | sort -g | tail -1)   # pauses only, not concurrent cycles
{
  echo "# Gateway benchmark $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "Target (bench/README.md, row 3): gateway (API-key auth + rate limit + metering + tracing) beside nginx and a bare Vert.x proxy,"
  echo "same trivial upstream, $BODY_BYTES-byte body. $NCPU cores, $(grep '^cpu:' "$OUT/machine.txt" | cut -c14-)."
  echo "$(grep '^settings:' "$OUT/machine.txt" | cut -c14-). Load average (1/5/15 min) at start" \
       "$(grep 'load at start' "$OUT/machine.txt" | cut -d' ' -f4-6), at end $(grep 'load at end' "$OUT/machine.txt" | cut -d' ' -f4-6)."
  for L in $LAYOUTS; do
    echo
    echo "## $L"
    echo
    echo "| target | max req/s (wrk -c$CONNECTIONS) | % of direct | server CPU per request | p50 at $LAT_RATE/s | p99 at $LAT_RATE/s | p99.9 | errors |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|"
    for t in "${TARGETS[@]}"; do
      printf '| %s | %.0f | %s %% | %s us | %.0f us | %.0f us | %.0f us | %s |\n' "$(label $t)" "$(rps "$L-$t")" \
        "$(pct "$(rps "$L-$t")" "$(rps "$L-direct")")" "${CPU_US[$L-$t]}" "$(lat "$L-$t" p50)" "$(lat "$L-$t" p99)" \
        "$(lat "$L-$t" p999)" "$(lat "$L-$t" errors)"
    done
    GP=$(pct "$(rps "$L-gateway")" "$(rps "$L-proxy")"); GN=$(pct "$(rps "$L-gateway")" "$(rps "$L-nginx")")
    DP=$(awk -v g="$(lat "$L-gateway" p99)" -v n="$(lat "$L-nginx" p99)" 'BEGIN { printf "%.0f", g - n }')
    echo
    echo "| figure ($L) | measured | target | met? |"
    echo "|---|---:|---|---|"
    echo "| gateway / bare proxy req/s | $GP % | >= 80 % (pinned) | $(met "$GP" ge 80) |"
    echo "| gateway / nginx req/s | $GN % | >= 50 % (pinned) | $(met "$GN" ge 50) |"
    echo "| gateway p99 - nginx p99 at $LAT_RATE req/s | $DP us | <= 1000 us | $(met "$DP" le 1000) |"
    echo "| (info) CPU per request: bare proxy / gateway; nginx / gateway | $(pct "${CPU_US[$L-proxy]}" "${CPU_US[$L-gateway]}") %;" \
         "$(pct "${CPU_US[$L-nginx]}" "${CPU_US[$L-gateway]}") % | - | - |"
  done
  if [[ -n "${OV_RATE:-}" ]]; then
    echo
    echo "## overload (pinned): gateway offered 3 x its max, open loop, $OVERLOAD_CONNECTIONS connections, per-loop bound 64"
    echo
    echo "| offered req/s | sent req/s | admitted (200) req/s | admitted / pinned max | admitted p50 | admitted p99 | shed (503 -9004) | other errors |"
    echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
    ADM=$(awk -v ok="$(lat overload ok)" -v s="$LAT_SECONDS" 'BEGIN { printf "%.0f", ok / s }')
    printf '| %s | %.0f | %s | %s %% | %.0f us | %.0f us | %s (gateway counted %s) | %s |\n' "$OV_RATE" "$(lat overload achieved)" "$ADM" \
      "$(pct "$ADM" "$(rps pinned-gateway)")" "$(lat overload ok_p50)" "$(lat overload ok_p99)" "$(lat overload s503)" "$SHED" \
      "$(( $(lat overload errors) - $(lat overload s503) ))"
  fi
  if [[ -n "${SLOW_RATE:-}" ]]; then
    echo
    echo "## overload at a saturated upstream (pinned): $SLOW_SERVERS servers x $SLOW_SERVICE_MS ms (capacity $SLOW_CAP req/s), pool bound $SLOW_POOL_BOUND, offered 3 x the capacity, $OVERLOAD_CONNECTIONS connections"
    echo
    echo "| capacity req/s (closed loop, wrk -c$SLOW_SERVERS) | offered req/s | sent req/s | admitted (200) req/s | admitted / capacity | admitted p50 | admitted p99 | the bound's queue ($SLOW_POOL_BOUND / $SLOW_SERVERS x $SLOW_SERVICE_MS ms) | shed (503 -9004; the pool's counter includes the warm-up) | other errors |"
    echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    SADM=$(awk -v ok="$(lat slow-overload ok)" -v s="$LAT_SECONDS" 'BEGIN { printf "%.0f", ok / s }')
    printf '| %s (%.0f) | %s | %.0f | %s | %s %% | %.0f us | %.0f us | %s ms | %s (pool counted %s) | %s |\n' "$SLOW_CAP" "$SLOW_MAX" "$SLOW_RATE" \
      "$(lat slow-overload achieved)" "$SADM" "$(pct "$SADM" "$SLOW_CAP")" "$(lat slow-overload ok_p50)" "$(lat slow-overload ok_p99)" \
      "$(( SLOW_POOL_BOUND * SLOW_SERVICE_MS / SLOW_SERVERS ))" "$(lat slow-overload s503)" "$PSHED" \
      "$(( $(lat slow-overload errors) - $(lat slow-overload s503) ))"
  fi
  echo
  echo "Checks: $(sed 's/^checks: //' "$OUT/checks.txt"). Gateway GC over the whole run: $GC_PAUSES pauses, longest ${GC_MAX:-?} ms" \
       "($(grep -m1 -o 'garbage-first heap.*' "$OUT/gateway-heap.txt" 2>/dev/null || echo 'heap: see gateway-heap.txt'))."
  echo "Raw logs: $OUT"
} | tee "$OUT/summary.md"
if [[ "${SMOKE:-0}" != 1 ]]; then
  mkdir -p bench/results
  cp "$OUT/summary.md" "bench/results/gateway-$STAMP.md"
  echo "written: bench/results/gateway-$STAMP.md"
fi
