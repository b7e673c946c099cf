#!/usr/bin/env bash
# Checks docker-compose.yml without Docker (seconds; run by ./test.sh):
#   - Debian's docker-compose accepts it ("config -q"), and refuses to render it without the secrets
#     scripts/compose-secrets.sh writes to .env (no service ever starts with an empty password);
#   - it cannot drift from the services: every OPENTRADE_* variable a service is given is one its
#     module reads (a ${...} of its YAML, or a name in its or common's Java sources); the image tags
#     are the project version; each health check probes the port the service is told to listen on;
#   - the topology holds together: the Hazelcast member list names every Java service on the port
#     it binds, each binds its fixed address on the opentrade network, the load balancer's upstreams
#     are the gateways, the gateways believe X-Forwarded-For from the load balancer only;
#   - every market-api instance follows the exchange feed under a durable consumer name of its own
#     (OPENTRADE_MARKET_FEED_CONSUMER; the exchange keeps events for every name, and two instances
#     under one name could lose events);
#   - the event bus's mutual TLS: every Java service has it on, with the cluster CA, the password and
#     a key store that is its own (deploy/secrets/cluster-tls/<service>.p12, none of another member's,
#     never the CA's key), all secrets the file defines; scripts/compose-secrets.sh issues a key store
#     to exactly these services; no secret is left unused;
#   - settings: every ${...} it reads is an OPENTRADE_COMPOSE_* variable documented in
#     deploy/compose.env.example; published ports bind 127.0.0.1 unless told otherwise, and Zipkin's stays
#     there when the others are opened (OPENTRADE_COMPOSE_BIND=0.0.0.0); secret files
#     (and the CA's key next to them) are ignored by git and none is committed; Zipkin is the release
#     run-distributed.sh runs.
# Usage: scripts/test-compose.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
COMPOSE=docker-compose.yml
EXAMPLE=deploy/compose.env.example
for tool in docker-compose jq python3; do
  command -v "$tool" >/dev/null || { echo "test-compose: $tool is missing (scripts/ensure-tools.sh installs it)" >&2; exit 1; }
done

failures=0
fail() { echo "test-compose: FAIL: $*" >&2; failures=$((failures + 1)); }
ok() { echo "test-compose: ok: $*"; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The variables scripts/compose-secrets.sh writes, with placeholder values; nothing else, so every
# other setting takes its default. Run without this machine's environment: a variable set in the
# shell would override .env in docker-compose.
grep -E '^OPENTRADE_COMPOSE_(REDIS_PASSWORD|ADMIN_TOKEN|INFLUX_PASSWORD|CLUSTER_NAME)=' "$EXAMPLE" >"$work/secrets.env"
dc() { env -i PATH="$PATH" HOME="$work" docker-compose --project-directory "$root" -f "$COMPOSE" "$@"; }

# ----- docker-compose accepts the file -----
if dc --env-file "$EXAMPLE" config -q 2>"$work/err"; then
  ok "docker-compose config -q (with $EXAMPLE)"
else
  fail "docker-compose config: $(cat "$work/err")"
fi
: >"$work/empty.env"
if dc --env-file "$work/empty.env" config -q 2>"$work/err"; then
  fail "docker-compose config renders without the secrets in .env"
elif grep -q 'compose-secrets.sh' "$work/err"; then
  ok "without .env's secrets docker-compose refuses, naming scripts/compose-secrets.sh"
else
  fail "without .env's secrets docker-compose fails for another reason: $(cat "$work/err")"
fi
dc --env-file "$work/secrets.env" config >"$work/compose.yml" 2>"$work/err" || { fail "config: $(cat "$work/err")"; exit 1; }
python3 -c 'import sys, yaml, json; json.dump(yaml.safe_load(sys.stdin), sys.stdout)' <"$work/compose.yml" >"$work/compose.json"
C="$work/compose.json"

version=$(sed -n '0,/<version>/s:.*<version>\(.*\)</version>.*:\1:p' pom.xml)
[ -n "$version" ] || { fail "no <version> in pom.xml"; exit 1; }

# ----- the Java services: environment read by their module, tag, health check port -----
declare -A http_port_var=([sandbox-exchange]=OPENTRADE_EXCHANGE_OPERATIONS_PORT [market-api]=OPENTRADE_MARKET_PORT
  [trade-api]=OPENTRADE_TRADE_PORT [api-gateway]=OPENTRADE_GATEWAY_PORT)
# What a module reads: the ${NAME...} of its YAML configuration, and names its Java code (or common's:
# the log format, for instance) reads as string literals.
reads() {
  {
    grep -ohE '\$\{OPENTRADE_[A-Z0-9_]+' "$1"/src/main/resources/*.yaml 2>/dev/null | cut -c3-
    grep -rohE '"OPENTRADE_[A-Z0-9_]+"' "$1/src/main/java" common/src/main/java | tr -d '"'
  } | sort -u
}
java_services=()
modules_seen=()
for s in $(jq -r '.services | keys[]' "$C"); do
  image=$(jq -r --arg s "$s" '.services[$s].image' "$C")
  case $image in opentrade/*) ;; *) continue ;; esac
  java_services+=("$s")
  module=${image#opentrade/}; tag=${module#*:}; module=${module%%:*}
  modules_seen+=("$module")
  if [ ! -d "$module/src/main/java" ]; then
    fail "$s: image $image names no module of this repository"
    continue
  fi
  [ "$tag" = "$version" ] || fail "$s: image tag $tag, the project version is $version"
  reads "$module" >"$work/reads-$module"
  unread=$(jq -r --arg s "$s" '.services[$s].environment // {} | keys[] | select(startswith("OPENTRADE_"))' "$C" \
    | grep -vxF -f "$work/reads-$module" || true)
  if [ -n "$unread" ]; then
    fail "$s: $module reads no $(echo "$unread" | tr '\n' ' ')(a typo, or a setting the service no longer has)"
  else
    ok "$s: its $(jq -r --arg s "$s" '.services[$s].environment | keys | map(select(startswith("OPENTRADE_"))) | length' "$C") OPENTRADE_* variables are all read by $module"
  fi
  var=${http_port_var[$module]:-}
  port=$(jq -r --arg s "$s" --arg v "$var" '.services[$s].environment[$v] // empty' "$C")
  probe=$(jq -r --arg s "$s" '.services[$s].healthcheck.test[-1] // empty' "$C")
  if [ -z "$port" ]; then
    fail "$s: no $var: the health check's port must be the one it is told to listen on"
  elif [ "$probe" != "http://127.0.0.1:$port/ready" ] && ! { [ "$probe" = "http://127.0.0.1:$port/health" ] \
      && jq -e --arg s "$s" '.services[$s].environment | .OPENTRADE_EXCHANGE_FAILOVER == "true" or .OPENTRADE_TRADE_STANDBY == "true"' \
        "$C" >/dev/null; }; then
    # (a failover pair's exchanges and a trade-api instance's two processes probe /health: the one
    # standing by is healthy but not ready)
    fail "$s: health check probes '$probe', the service listens on $port ($var)"
  else
    ok "$s: health check GET $probe"
  fi
  [ "$(jq -r --arg s "$s" '.services[$s].healthcheck.test[0:3] | join(" ")' "$C")" = "CMD java -XX:TieredStopAtLevel=1" ] \
    || fail "$s: the health check is not the image's HttpProbe run by its java"
done
for m in sandbox-exchange market-api trade-api api-gateway; do
  [[ " ${modules_seen[*]} " == *" $m "* ]] || fail "no service runs the $m image"
done
[ "$(printf '%s\n' "${modules_seen[@]}" | grep -cx api-gateway)" -eq 2 ] || fail "the topology has two gateways"

# ----- the cluster: member list, addresses -----
subnet=$(jq -r '.networks.opentrade.ipam.config[0].subnet' "$C")
prefix=${subnet%.0/24}
[ "$prefix" != "$subnet" ] || fail "the opentrade network's subnet $subnet is not a /24 ending in .0"
cluster_name=$(sed -n 's/^OPENTRADE_COMPOSE_CLUSTER_NAME=//p' "$work/secrets.env")
expected_members=$(for s in "${java_services[@]}"; do
  echo "$s:$(jq -r --arg s "$s" '.services[$s].environment.OPENTRADE_CLUSTER_PORT' "$C")"; done | sort | paste -sd, -)
for s in "${java_services[@]}"; do
  members=$(jq -r --arg s "$s" '.services[$s].environment.OPENTRADE_CLUSTER_MEMBERS // ""' "$C" | tr ',' '\n' | sort | paste -sd, -)
  [ "$members" = "$expected_members" ] || fail "$s: OPENTRADE_CLUSTER_MEMBERS is '$members', the Java services are $expected_members"
  host=$(jq -r --arg s "$s" '.services[$s].environment.OPENTRADE_CLUSTER_HOST // ""' "$C")
  address=$(jq -r --arg s "$s" '.services[$s].networks.opentrade.ipv4_address // ""' "$C")
  if [ -z "$address" ] || [ "$host" != "$address" ]; then
    fail "$s: OPENTRADE_CLUSTER_HOST '$host' is not its fixed address '$address' on the opentrade network"
  elif [[ "$address" != "$prefix".* ]]; then
    fail "$s: $address is outside $subnet"
  fi
  [ "$(jq -r --arg s "$s" '.services[$s].environment.OPENTRADE_CLUSTER_NAME' "$C")" = "$cluster_name" ] \
    || fail "$s: OPENTRADE_CLUSTER_NAME is not .env's OPENTRADE_COMPOSE_CLUSTER_NAME"
done
ok "cluster: ${#java_services[@]} members ($expected_members), each on its fixed address"

# ----- market-api's durable feed consumers: one name per instance -----
# The exchange keeps feed events until every durable consumer has checkpointed past them; two
# instances under one name overwrite each other's checkpoints, so it could drop events the slower one
# still needs. An instance without OPENTRADE_MARKET_FEED_CONSUMER takes market-api.yaml's default.
default_consumer=$(sed -n 's/^ *feed_consumer: *\${OPENTRADE_MARKET_FEED_CONSUMER:\([^}]*\)}.*/\1/p' market-api/src/main/resources/market-api.yaml)
[ -n "$default_consumer" ] || fail "market-api.yaml has no feed_consumer default (\${OPENTRADE_MARKET_FEED_CONSUMER:...})"
consumers=$(jq -r --arg d "$default_consumer" '.services | to_entries[] | select(.value.image | startswith("opentrade/market-api:"))
    | "\(.value.environment.OPENTRADE_MARKET_FEED_CONSUMER // $d) \(.key)"' "$C" | sort)
shared=$(cut -d' ' -f1 <<<"$consumers" | uniq -d)
if [ -z "$consumers" ]; then
  fail "no market-api service"
elif [ -n "$shared" ]; then
  for name in $shared; do
    fail "market-api services $(awk -v n="$name" '$1 == n { print $2 }' <<<"$consumers" | paste -sd' ' -) share the feed consumer name '$name':" \
      "each needs its own OPENTRADE_MARKET_FEED_CONSUMER, or they overwrite each other's checkpoints at the exchange"
  done
else
  ok "market-api feed consumers, one per instance: $(awk '{ print $2 "=" $1 }' <<<"$consumers" | paste -sd' ' -)"
fi

# ----- trade-api: the processes of one instance -----
# Two processes with one OPENTRADE_TRADE_INSTANCE_ID must both wait for the instance's claim (else the
# second is refused at start) and keep the instance in one Redis (its intents, snapshots, order streams'
# journal and FIX sessions: else the one that takes over starts another instance's history). They may share a
# volume (one host: the order streams' journal files then cover a Redis outage too) or not (two hosts).
default_instance=$(sed -n 's/^ *instance_id: *\${OPENTRADE_TRADE_INSTANCE_ID:\([^}]*\)}.*/\1/p' trade-api/src/main/resources/trade-api.yaml)
[ -n "$default_instance" ] || fail "trade-api.yaml has no instance_id default (\${OPENTRADE_TRADE_INSTANCE_ID:...})"
for id in $(jq -r --arg d "$default_instance" '.services[] | select(.image | startswith("opentrade/trade-api:"))
    | .environment.OPENTRADE_TRADE_INSTANCE_ID // $d' "$C" | sort -u); do
  procs=$(jq -r --arg d "$default_instance" --arg id "$id" '.services | to_entries[] | select(.value.image | startswith("opentrade/trade-api:"))
      | select((.value.environment.OPENTRADE_TRADE_INSTANCE_ID // $d) == $id) | .key' "$C")
  [ "$(wc -l <<<"$procs")" -gt 1 ] || continue
  stores=$(for p in $procs; do jq -r --arg s "$p" '.services[$s].environment
      | "\(.OPENTRADE_TRADE_STORE // "file") \(.OPENTRADE_TRADE_REDIS_URI // "")"' "$C"; done | sort -u)
  standby=$(for p in $procs; do jq -r --arg s "$p" '.services[$s].environment.OPENTRADE_TRADE_STANDBY // "false"' "$C"; done | sort -u)
  if [ "$standby" != true ]; then
    fail "trade-api instance $id runs in $(echo $procs) but not all with OPENTRADE_TRADE_STANDBY=true: the second is refused"
  elif [ "$(wc -l <<<"$stores")" -ne 1 ] || [[ "$stores" != redis\ redis://* ]]; then
    fail "trade-api instance $id runs in $(echo $procs) without one Redis store for all ($(echo $stores)): the one taking over lacks the instance's state"
  else
    ok "trade-api instance $id: $(echo $procs) stand by for each other on one Redis store"
  fi
done

# ----- the event bus's mutual TLS -----
tls_dir="$root/deploy/secrets/cluster-tls"
# secret_file <service> <path in the container>: the file of the secret mounted there, or nothing.
secret_file() {
  jq -r --arg s "$1" --arg p "$2" '. as $c | .services[$s].secrets // [] | .[]
      | select("/run/secrets/" + (.target // .source) == $p) | $c.secrets[.source].file // "undefined secret \(.source)"' "$C"
}
for s in "${java_services[@]}"; do
  env_of() { jq -r --arg s "$s" --arg v "$1" '.services[$s].environment[$v] // ""' "$C"; }
  before=$failures
  [ "$(env_of OPENTRADE_CLUSTER_TLS)" = true ] || fail "$s: OPENTRADE_CLUSTER_TLS is '$(env_of OPENTRADE_CLUSTER_TLS)', not true"
  for pair in OPENTRADE_CLUSTER_TLS_KEY_STORE="$s.p12" OPENTRADE_CLUSTER_TLS_KEY_STORE_PASSWORD_FILE=password \
      OPENTRADE_CLUSTER_TLS_TRUST_STORE=ca.crt; do
    var=${pair%%=*}; want="$tls_dir/${pair#*=}"
    path=$(env_of "$var")
    got=$(secret_file "$s" "$path")
    if [ -z "$path" ]; then
      fail "$s: no $var"
    elif [ -z "$got" ]; then
      fail "$s: $var is $path, where it mounts no secret"
    elif [ "$got" != "$want" ]; then
      fail "$s: $var $path is the secret file ${got#"$root"/}, not ${want#"$root"/}"
    fi
  done
  others=$(jq -r --arg s "$s" '. as $c | .services[$s].secrets // [] | .[] | $c.secrets[.source].file // empty' "$C" \
    | grep -F "$tls_dir/" | grep -vxF -e "$tls_dir/$s.p12" -e "$tls_dir/password" -e "$tls_dir/ca.crt" || true)
  [ -z "$others" ] || fail "$s mounts $(echo "${others//"$root"\//}" | tr '\n' ' ')besides its own key store: a member holds its own key only"
  [ $failures -eq $before ] && ok "$s: event-bus TLS on, its own key store (${tls_dir#"$root"/}/$s.p12), the CA and the password"
done
issued=$(sed -n 's/^cluster_members=(\(.*\))$/\1/p' scripts/compose-secrets.sh | tr ' ' '\n' | sort | paste -sd' ' -)
services_sorted=$(printf '%s\n' "${java_services[@]}" | sort | paste -sd' ' -)
[ "$issued" = "$services_sorted" ] && ok "scripts/compose-secrets.sh issues a key store to each Java service: $issued" \
  || fail "scripts/compose-secrets.sh's cluster_members are '$issued', the Java services '$services_sorted'"
for name in $(jq -r '.secrets | keys[]' "$C"); do
  file=$(jq -r --arg n "$name" '.secrets[$n].file' "$C")
  case ${file#"$tls_dir"/} in
    "$file" | ca.crt | password) ;;
    *.p12) [[ " ${java_services[*]} " == *" $(basename "$file" .p12) "* ]] || fail "secret $name: ${file#"$root"/} is no Java service's key store" ;;
    *) fail "secret $name: ${file#"$root"/} is not for a container (the CA's certificate, the password, a key store)" ;;
  esac
  jq -e --arg n "$name" '[.services[] | .secrets // [] | .[] | select(.source == $n)] | length > 0' "$C" >/dev/null \
    || fail "secret $name is mounted by no service"
done

# ----- the load balancer -----
upstreams=$(sed -n '/^ *upstream gateways *{/,/}/s/^ *server \([^ ;]*\).*/\1/p' deploy/compose/nginx.conf | sort | paste -sd, -)
gateways=$(jq -r '.services | to_entries[] | select(.value.image | startswith("opentrade/api-gateway:"))
    | "\(.key):\(.value.environment.OPENTRADE_GATEWAY_PORT)"' "$C" | sort | paste -sd, -)
[ "$upstreams" = "$gateways" ] && ok "nginx balances over $gateways" \
  || fail "nginx's upstreams are '$upstreams', the gateways are '$gateways'"
lb_address=$(jq -r '.services.lb.networks.opentrade.ipv4_address // ""' "$C")
trusted=$(sed -n 's/^ *trusted_proxies: *\[\(.*\)\]/\1/p' deploy/compose/gateway.yaml | tr -d ' ')
[ -n "$lb_address" ] && [ "$trusted" = "$lb_address/32" ] && ok "the gateways believe X-Forwarded-For from lb ($trusted) only" \
  || fail "deploy/compose/gateway.yaml trusts '$trusted', the load balancer is at '$lb_address'"
for s in $(jq -r '.services | to_entries[] | select(.value.image | startswith("opentrade/api-gateway:")) | .key' "$C"); do
  jq -e --arg s "$s" '.services[$s].environment.OPENTRADE_GATEWAY_CONFIG == "/etc/opentrade/gateway.yaml"
      and (.services[$s].volumes | any(endswith("deploy/compose/gateway.yaml:/etc/opentrade/gateway.yaml:ro")))' "$C" >/dev/null \
    || fail "$s does not read deploy/compose/gateway.yaml"
done

# ----- settings, ports, secrets, versions -----
used=$(grep -v '^ *#' "$COMPOSE" | grep -oE '\$\{[A-Za-z0-9_]+' | cut -c3- | sort -u)
documented=$(sed -n 's/^\([A-Z0-9_]*\)=.*/\1/p' "$EXAMPLE" | sort -u)
for v in $used; do
  [[ $v == OPENTRADE_COMPOSE_* ]] || fail "docker-compose.yml reads \${$v}: its own settings are OPENTRADE_COMPOSE_* (a service's variable would look set to it)"
  grep -qx "$v" <<<"$documented" || fail "\${$v} is not in $EXAMPLE"
done
for v in $documented; do
  grep -qx "$v" <<<"$used" || fail "$EXAMPLE lists $v, which docker-compose.yml does not read"
done
ok "settings: $(echo "$used" | wc -l) OPENTRADE_COMPOSE_* variables, all in $EXAMPLE"
published=$(jq -r '.services[] | .ports // [] | .[]' "$C")
not_local=$(grep -v '^127\.0\.0\.1:' <<<"$published" || true)
[ -n "$published" ] && [ -z "$not_local" ] && ok "published ports bind 127.0.0.1 by default: $(echo $published)" \
  || fail "published ports not bound to 127.0.0.1 by default: $not_local"
# Opening the API to other machines (OPENTRADE_COMPOSE_BIND=0.0.0.0, as the README says) must not open Zipkin:
# it has no authentication, its API shows every developer's traces and takes forged spans.
{ cat "$work/secrets.env"; echo OPENTRADE_COMPOSE_BIND=0.0.0.0; } >"$work/public.env"
if dc --env-file "$work/public.env" config >"$work/public.yml" 2>"$work/err"; then
  python3 -c 'import sys, yaml, json; json.dump(yaml.safe_load(sys.stdin), sys.stdout)' <"$work/public.yml" >"$work/public.json"
  zipkin_ports=$(jq -r '.services.zipkin.ports // [] | .[]' "$work/public.json")
  lb_ports=$(jq -r '.services[] | .ports // [] | .[]' "$work/public.json" | grep -c '^0\.0\.0\.0:' || true)
  [ -n "$zipkin_ports" ] && ! grep -qv '^127\.0\.0\.1:' <<<"$zipkin_ports" && [ "$lb_ports" -gt 0 ] \
    && ok "with OPENTRADE_COMPOSE_BIND=0.0.0.0 the API is public and Zipkin still binds 127.0.0.1: $(echo $zipkin_ports)" \
    || fail "with OPENTRADE_COMPOSE_BIND=0.0.0.0 Zipkin is published as $(echo $zipkin_ports) (unauthenticated traces of every developer)"
else
  fail "config with OPENTRADE_COMPOSE_BIND=0.0.0.0: $(cat "$work/err")"
fi
for f in $(jq -r '.secrets[].file' "$C") "$tls_dir/ca.key"; do
  rel=${f#"$root"/}
  git check-ignore -q "$rel" || fail "secret file $rel is not ignored by git"
  [ "$rel" = deploy/secrets/cluster-tls/ca.key ] && continue
  [ -f "$f" ] && [ "$(stat -c %a "$f")" != 644 ] && fail "$rel is mode $(stat -c %a "$f"); the containers' user reads it as 644"
done
committed=$(git ls-files -- .env deploy/secrets)
[ -z "$committed" ] || fail "secret files are committed: $committed"
ok "secret files are ignored by git, none committed: $(jq -r '.secrets | keys | join(" ")' "$C") and the cluster CA's key"
zipkin=$(sed -n 's:.*<zipkin-server.version>\(.*\)</zipkin-server.version>.*:\1:p' common/pom.xml | head -n 1)
[ "$(jq -r '.services.zipkin.image' "$C")" = "openzipkin/zipkin:$zipkin" ] && ok "zipkin $zipkin, as run-distributed.sh" \
  || fail "zipkin image $(jq -r '.services.zipkin.image' "$C"), the project's Zipkin server is $zipkin"

if [ $failures -gt 0 ]; then
  echo "test-compose: $failures check(s) failed" >&2
  exit 1
fi
echo "test-compose: all checks passed"
