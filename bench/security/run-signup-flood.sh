#!/usr/bin/env bash
# Sign-up flood against one all-in-one jar: K-line reads of one developer alone, then while N loopback
# source addresses (127.0.x.y) each sign up every 2 s, within the per-address budget (30 a minute).
# Usage: bench/security/run-signup-flood.sh <all-in-one jar> [addresses, default 60]
# Uses port 8080 (nothing else may hold it) and a fresh data directory under /tmp.
set -u
here="$(cd "$(dirname "$0")" && pwd)"
jar="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; n=${2:-60}
dir=/tmp/opentrade-signup-flood-$$; rm -rf "$dir"; mkdir -p "$dir"; cd "$dir"
java -jar "$jar" > aio.log 2>&1 & pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$dir"' EXIT
for i in $(seq 1 120); do curl -sf -o /dev/null http://127.0.0.1:8080/health && break; sleep 1; done
B=http://127.0.0.1:8080
curl -s -X POST $B/v1/developers -H 'Content-Type: application/json' \
  -d '{"email":"q@example.com","password":"correct horse battery","name":"Q"}' >/dev/null
TOKEN=$(curl -s -X POST $B/v1/sessions -H 'Content-Type: application/json' \
  -d '{"email":"q@example.com","password":"correct horse battery"}' | python3 -c 'import sys,json;print(json.load(sys.stdin)["token"])')
KEY=$(curl -s -X POST $B/v1/keys -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"scopes":["market:read"]}')
KID=$(echo "$KEY" | python3 -c 'import sys,json;print(json.load(sys.stdin)["key_id"])')
SEC=$(echo "$KEY" | python3 -c 'import sys,json;print(json.load(sys.stdin)["secret"])')
sleep 20 # the simulator's first trades, the JIT
echo "alone: $(python3 "$here/signup-flood.py" "$KID" "$SEC" 0 20)"
echo "flood: $(python3 "$here/signup-flood.py" "$KID" "$SEC" "$n" 30)"
