#!/usr/bin/env bash
# Side-by-side A/B of two gateway builds (bench/README.md, "The hot path trimmed"): both gateways up at once,
# each pinned on CPU 0 and loaded one at a time, the trivial upstream and the load generator on CPU 1; rounds
# alternate which build goes first, so the host's drift (other tenants move single rounds by +-20 % here) falls on
# both alike. Sum the rounds: mean CPU per request = sum(req/s x us) / sum(req/s).
#
# Usage: bench/run-gateway-ab.sh <jar A> <jar B> [rounds]      throughput: "round N  A: <req/s> <us CPU/req>  B: ..."
#        LAT=1 bench/run-gateway-ab.sh <jar A> <jar B> [rounds] latency at RATE (5000) req/s, open loop, 15 s each
# A jar is a bench/target/benchmarks.jar built at the commit to compare (copy it away before building the other).
# Knobs: DUR (wrk seconds per round, 10), WARM (warm-up seconds per gateway, 40), RATE (5000).
set -euo pipefail
A=$1; B=$2; R=${3:-4}; D=${DUR:-10}
OUT=${OUT:-bench/target/gateway-ab-$(date +%Y%m%d-%H%M%S)}; mkdir -p $OUT
UP=19381; PIDS=()
trap 'for p in "${PIDS[@]}"; do kill $p 2>/dev/null; done' EXIT
taskset -c 1 java -Xms256m -Xmx256m -cp "$A" org.opentrade.bench.gateway.TrivialUpstream --port $UP > $OUT/up.log 2>&1 & PIDS+=($!)
cp "$(dirname "${BASH_SOURCE[0]}")/gateway-bench.yaml" $OUT/gw.yaml # as bench/run-gateway-bench.sh
declare -A PID PORT KEY SEC
PORT[A]=19382; PORT[B]=19383
for v in A B; do
  jar=$A; [[ $v == B ]] && jar=$B
  OPENTRADE_GATEWAY_HOST=127.0.0.1 OPENTRADE_GATEWAY_PORT=${PORT[$v]} OPENTRADE_GATEWAY_DATA_DIR=$OUT/gw$v \
  OPENTRADE_MARKET_API_TARGETS=127.0.0.1:$UP OPENTRADE_ADMIN_TOKEN=bench-admin-token-0123456789 \
  taskset -c 0 java -Xms512m -Xmx512m -Dopentrade.gateway.config=$OUT/gw.yaml -cp "$jar" org.opentrade.gateway.app.GatewayMain > $OUT/gw$v.log 2>&1 &
  PID[$v]=$!; PIDS+=($!)
done
for v in A B; do
  G=http://127.0.0.1:${PORT[$v]}
  for i in $(seq 300); do [[ "$(curl -s -o /dev/null -w '%{http_code}' $G/ready)" == 200 ]] && break; sleep 0.2; done
  curl -sf -X POST $G/v1/developers -H 'Content-Type: application/json' -d '{"email":"b@example.com","password":"bench-password-123","name":"B"}' >/dev/null
  T=$(curl -sf -X POST $G/v1/sessions -H 'Content-Type: application/json' -d '{"email":"b@example.com","password":"bench-password-123"}' | jq -r .token)
  read -r k s < <(curl -sf -X POST $G/v1/keys -H "Authorization: Bearer $T" -H 'Content-Type: application/json' -d '{"scopes":["market:read"]}' | jq -r '.key_id + " " + .secret')
  KEY[$v]=$k; SEC[$v]=$s
  [[ "$(curl -s -o /dev/null -w '%{http_code}' -H "X-API-Key: $k" -H "X-API-Secret: $s" $G/v1/market/instruments/600000.SH)" == 200 ]] || { echo "$v: key fails"; exit 1; }
done
run() { # run v secs -> "rps cpu_us"
  local v=$1 d=$2 G=http://127.0.0.1:${PORT[$1]}
  local c0 c1 reqs
  c0=$(awk '{print $14+$15}' /proc/${PID[$v]}/stat)
  taskset -c 1 wrk -t1 -c32 -d${d}s -H "X-API-Key: ${KEY[$v]}" -H "X-API-Secret: ${SEC[$v]}" $G/v1/market/instruments/600000.SH > $OUT/wrk.txt
  c1=$(awk '{print $14+$15}' /proc/${PID[$v]}/stat)
  reqs=$(awk '/requests in/ {print $1}' $OUT/wrk.txt)
  grep -q "Non-2xx" $OUT/wrk.txt && echo "NON-2XX in $v" >&2
  echo "$(awk '/Requests\/sec/ {printf "%.0f", $2}' $OUT/wrk.txt) $(echo "($c1-$c0)*10000/$reqs" | bc -l | xargs printf '%.1f')"
}
for v in A B; do run $v ${WARM:-40} > /dev/null; done
for v in A B; do run $v 15 > /dev/null; done
lat() { # lat v -> p50 p99 p999 max
  local v=$1 G=http://127.0.0.1:${PORT[$1]}
  taskset -c 1 java -Xms256m -Xmx256m -cp "$A" org.opentrade.bench.gateway.FixedRateHttpLoad --name $v \
    --url $G/v1/market/instruments/600000.SH --rate ${RATE:-5000} --seconds 15 --warmup-seconds 5 --connections 32 \
    --header "X-API-Key: ${KEY[$v]}" --header "X-API-Secret: ${SEC[$v]}" 2>&1 | grep '^RESULT' | tr ' ' '\n' | awk -F= '$1=="p50"||$1=="p99"||$1=="p999"||$1=="max"||$1=="errors" {printf "%s=%s ", $1, $2}'
}
if [[ "${LAT:-0}" == 1 ]]; then
  for r in $(seq $R); do
    if (( r % 2 )); then a=$(lat A); b=$(lat B); else b=$(lat B); a=$(lat A); fi
    echo "lat round $r  A: $a  B: $b"
  done
  exit 0
fi
for r in $(seq $R); do
  if (( r % 2 )); then a=$(run A $D); b=$(run B $D); else b=$(run B $D); a=$(run A $D); fi
  echo "round $r  A: $a   B: $b   load $(cut -d' ' -f1 /proc/loadavg)"
done
