#!/usr/bin/env bash
# Runs OpenTrade's distributed mode on this machine, without Docker: every service its own JVM, joined
# by the Vert.x clustered event bus (Hazelcast, TCP/IP member list on 127.0.0.1) with mutual TLS (a
# throw-away cluster CA made here, one certificate per service), plus Debian's redis-server (password,
# AOF with appendfsync always), the Zipkin server and, when installed, Debian's influxd for market
# history. Everything listens on 127.0.0.1 only.
#
#   scripts/run-distributed.sh start    # build the jars if missing or stale, start what is not running, wait until ready
#   scripts/run-distributed.sh status   # what runs, its pid, port and readiness (exit 0 only when all are up)
#   scripts/run-distributed.sh stop     # SIGTERM in dependency order, wait, then SIGKILL what is left
#
# Processes: redis, zipkin, influxdb (optional), exchange and exchange-2 (one exchange of two shards,
# each process running one: exchange.owned_shards 0 and 1, each with its own journal; either answers for
# any symbol by forwarding to the shard's owner), market-api and market-api-2 (two instances of
# the same service, each with its own port, Hazelcast port and data directory; with InfluxDB they share
# its database), trade-api (FIX on) and trade-api-standby (the same instance, id 1, on the same data
# directory, as on one host: it waits for the instance's claim in Redis and takes over, FIX port included,
# when trade-api dies; whichever holds the claim serves, the other stands by; everything the instance needs
# is in Redis too, so a standby on another host works the same), gateway-1 and gateway-2 (Redis store, one shared session key,
# identity key and admin token; they find both market-api instances and trade-api through the cluster,
# upstreams.discovery: cluster, so no target lists). start and stop are idempotent: start leaves running
# processes alone and starts the missing ones on the same ports.
#
# Trust between the services (secrets/, mode 700, made once before any Java process starts): the
# cluster name is random (secrets/cluster-name), and each service's event bus talks only to members
# holding a certificate from secrets/cluster-tls/ca.crt (its PKCS#12 in secrets/cluster-tls/<service>.p12,
# the password in secrets/cluster-tls/password). logs/ is mode 700 too: Hazelcast logs the cluster name.
#
# Environment (all optional):
#   OPENTRADE_DIST_DIR            run directory: data, logs/, pids/, secrets/, ports.env (default ./data/distributed)
#   OPENTRADE_DIST_BASE_PORT      use 21 consecutive ports from here (default: free ports picked at random
#                                 in 20000-31999, kept in ports.env while anything runs)
#   OPENTRADE_DIST_EXCHANGES      2 (default: two exchange processes, one shard each), 1 (one process, one
#                                 shard) or failover (two processes for the one shard: a leader and a standby
#                                 that takes over when the leader dies; the cluster runs Hazelcast's CP
#                                 subsystem for the fenced lock). Fixed for a run directory: its journals are per shard.
#   OPENTRADE_DIST_TRADE_STANDBY  on (default: trade-api-standby runs beside trade-api) or off. Fixed for a
#                                 run directory while anything of it runs.
#   OPENTRADE_DIST_INFLUX         auto (use influxd when installed), on (install it if missing), off (QuestDB embedded)
#   OPENTRADE_DIST_BACKFILL_DAYS  synthetic history market-api writes on its first start (default 20)
#   OPENTRADE_DIST_BUILD          auto (build when a jar is missing or older than its sources), never, always
#   OPENTRADE_DIST_READY_TIMEOUT  seconds to wait for each step to become ready (default 180)
#   OPENTRADE_DIST_JAVA_OPTS      extra JVM options for every Java process
#   OPENTRADE_ZIPKIN_JAR          the Zipkin server's exec jar (default: the one in ~/.m2, resolved by Maven if missing)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

RUN="${OPENTRADE_DIST_DIR:-$root/data/distributed}"
mkdir -p "$RUN"
RUN="$(cd "$RUN" && pwd)"
LOGS="$RUN/logs"
PIDS="$RUN/pids"
SECRETS="$RUN/secrets"
PORTS_FILE="$RUN/ports.env"
READY_TIMEOUT="${OPENTRADE_DIST_READY_TIMEOUT:-180}"
EXCHANGES="${OPENTRADE_DIST_EXCHANGES:-2}"
TRADE_STANDBY="${OPENTRADE_DIST_TRADE_STANDBY:-on}"
VERSION=0.1.0-SNAPSHOT
# In start order (cmd_stop stops them in tiers, the other way round).
ALL=(redis influxdb zipkin exchange exchange-2 market-api market-api-2 trade-api trade-api-standby gateway-1 gateway-2)
MODULES=(sandbox-exchange market-api trade-api api-gateway)

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }
case $EXCHANGES in 1 | 2 | failover) ;; *) die "OPENTRADE_DIST_EXCHANGES must be 1, 2 or failover, got '$EXCHANGES'" ;; esac
case $TRADE_STANDBY in on | off) ;; *) die "OPENTRADE_DIST_TRADE_STANDBY must be on or off, got '$TRADE_STANDBY'" ;; esac

# ----- processes: a pid file per service, checked against the process's working directory -----
# Each service runs with its own directory under $RUN as working directory, so a pid reused by an
# unrelated process is never mistaken for ours (and never signalled).
service_dir() { echo "$RUN/$1"; }

pid_of() {
  local f="$PIDS/$1.pid" pid
  [ -f "$f" ] || return 1
  pid=$(cat "$f")
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [ "$(readlink "/proc/$pid/cwd" 2>/dev/null)" = "$(service_dir "$1")" ] || return 1
  echo "$pid"
}

running() { pid_of "$1" >/dev/null; }

# launch <name> [NAME=value...] -- <command...>: starts the command in the background in the
# service's directory with those environment variables, output appended to logs/<name>.log, pid in
# pids/<name>.pid. The variables are exported, never passed as arguments, so secrets in them (the
# Redis password in a URI) never show in a command line that ps shows other users.
launch() {
  local name=$1; shift
  local vars=()
  while [ "$1" != -- ]; do vars+=("$1"); shift; done
  shift
  mkdir -p "$(service_dir "$name")"
  printf '\n=== %s starting %s\n' "$(date -u +%FT%TZ)" "$name" >>"$LOGS/$name.log"
  # The child is forked in the service's directory (not cd'd into after the fork): pid_of knows a
  # service by its process's working directory, and a check right after the fork must see it.
  local here=$PWD
  cd "$(service_dir "$name")"
  (
    [ ${#vars[@]} -gt 0 ] && export "${vars[@]}"
    exec nohup "$@" >>"$LOGS/$name.log" 2>&1 </dev/null
  ) &
  echo $! >"$PIDS/$name.pid"
  cd "$here"
}

# ----- ports -----
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

PICKED=()
pick_port() { # pick_port VAR: a port nothing listens on, not picked before in this run
  local p i
  for ((i = 0; i < 500; i++)); do
    p=$((20000 + RANDOM % 12000))
    [[ " ${PICKED[*]} " == *" $p "* ]] && continue
    port_in_use "$p" && continue
    PICKED+=("$p")
    printf -v "$1" '%s' "$p"
    return 0
  done
  die "found no free port in 20000-31999"
}

# New names go at the end, so OPENTRADE_DIST_BASE_PORT keeps every earlier port where it was.
PORT_NAMES=(REDIS_PORT ZIPKIN_PORT INFLUX_PORT INFLUX_RPC_PORT EXCHANGE_OPS_PORT MARKET_PORT TRADE_PORT FIX_PORT
  GATEWAY_1_PORT GATEWAY_2_PORT HZ_EXCHANGE_PORT HZ_MARKET_PORT HZ_TRADE_PORT HZ_GATEWAY_1_PORT HZ_GATEWAY_2_PORT
  MARKET_2_PORT HZ_MARKET_2_PORT EXCHANGE_2_OPS_PORT HZ_EXCHANGE_2_PORT TRADE_STANDBY_PORT HZ_TRADE_STANDBY_PORT)

choose_ports() {
  local any_running=0 s
  for s in "${ALL[@]}"; do running "$s" && any_running=1; done
  local i n
  if [ -f "$PORTS_FILE" ] && [ $any_running -eq 1 ]; then
    # Part of the topology runs: the rest must join it on the same ports. A ports.env written before a
    # service was added to the script lacks its ports: those are picked below, the others kept.
    # shellcheck disable=SC1090
    . "$PORTS_FILE"
    for n in "${PORT_NAMES[@]}"; do
      if [ -n "${!n:-}" ]; then PICKED+=("${!n}"); fi
    done
  else
    for n in "${PORT_NAMES[@]}"; do unset "$n"; done
  fi
  for i in "${!PORT_NAMES[@]}"; do
    n=${PORT_NAMES[$i]}
    if [ -n "${!n:-}" ]; then continue; fi
    if [ -n "${OPENTRADE_DIST_BASE_PORT:-}" ]; then
      printf -v "$n" '%s' $((OPENTRADE_DIST_BASE_PORT + i))
    else
      pick_port "$n"
    fi
  done
  {
    echo "# Ports of the distributed topology in $RUN (written by scripts/run-distributed.sh start)."
    for n in "${PORT_NAMES[@]}"; do echo "$n=${!n}"; done
    echo "INFLUX=$INFLUX"
    echo "EXCHANGES=$EXCHANGES"
    echo "TRADE_STANDBY=$TRADE_STANDBY"
  } >"$PORTS_FILE"
}

members() {
  local second="" standby=""
  [ "$EXCHANGES" != 1 ] && second="127.0.0.1:$HZ_EXCHANGE_2_PORT,"
  [ "$TRADE_STANDBY" = on ] && standby="127.0.0.1:$HZ_TRADE_STANDBY_PORT,"
  echo "127.0.0.1:$HZ_EXCHANGE_PORT,${second}127.0.0.1:$HZ_MARKET_PORT,127.0.0.1:$HZ_MARKET_2_PORT,127.0.0.1:$HZ_TRADE_PORT,${standby}127.0.0.1:$HZ_GATEWAY_1_PORT,127.0.0.1:$HZ_GATEWAY_2_PORT"
}

# ----- secrets: generated once, kept while the run directory lives -----
random_hex() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }

# Debian packages the script runs, installed like start.sh installs the JDK when missing.
ensure_packages() {
  local missing=()
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v redis-cli >/dev/null || missing+=(redis-tools)
  command -v openssl >/dev/null || missing+=(openssl)
  command -v curl >/dev/null || missing+=(curl)
  if [ ${#missing[@]} -gt 0 ]; then
    # shellcheck source=ensure-tools.sh
    . "$root/scripts/ensure-tools.sh"
    _apt_install "${missing[@]}"
  fi
}

ensure_secrets() {
  mkdir -p "$SECRETS"
  chmod 700 "$SECRETS"
  (
    umask 077
    [ -s "$SECRETS/redis-password" ] || random_hex 24 >"$SECRETS/redis-password"
    [ -s "$SECRETS/admin-token" ] || random_hex 24 >"$SECRETS/admin-token"
    # Hazelcast admits any member that knows the cluster's name: an unguessable one keeps out the
    # processes that cannot read secrets/ (it is no password: it crosses the loopback in clear text).
    [ -s "$SECRETS/cluster-name" ] || echo "opentrade-$(random_hex 12)" >"$SECRETS/cluster-name"
    # Made here, before any gateway starts, so both gateways load the same keys instead of racing to
    # create them: the session signing key (ES256, shared so a session from one gateway works on the
    # other) and the identity key (Ed25519) whose public half market-api and trade-api verify with.
    if [ ! -s "$SECRETS/session-es256.pem" ]; then
      openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$SECRETS/session.tmp" 2>/dev/null
      { cat "$SECRETS/session.tmp"; openssl pkey -in "$SECRETS/session.tmp" -pubout; } >"$SECRETS/session-es256.pem"
      rm -f "$SECRETS/session.tmp"
    fi
    if [ ! -s "$SECRETS/identity-ed25519.pem" ]; then
      openssl genpkey -algorithm ed25519 -out "$SECRETS/identity.tmp" 2>/dev/null
      { cat "$SECRETS/identity.tmp"; openssl pkey -in "$SECRETS/identity.tmp" -pubout; } >"$SECRETS/identity-ed25519.pem"
      rm -f "$SECRETS/identity.tmp"
    fi
  )
  if [ ! -s "$SECRETS/identity-ed25519.pub.pem" ]; then
    openssl pkey -in "$SECRETS/identity-ed25519.pem" -pubout >"$SECRETS/identity-ed25519.pub.pem"
  fi
  ensure_cluster_pki
  REDIS_PASSWORD=$(cat "$SECRETS/redis-password")
  ADMIN_TOKEN=$(cat "$SECRETS/admin-token")
  CLUSTER_NAME=$(cat "$SECRETS/cluster-name")
}

# The Java processes, each a cluster member with a certificate of its own.
CLUSTER_MEMBERS=(exchange exchange-2 market-api market-api-2 trade-api trade-api-standby gateway-1 gateway-2)
TLS_DIR="$SECRETS/cluster-tls"

# The event bus's mutual TLS (cluster.tls of every service): a throw-away CA and one key store per
# member, made (and kept, and completed with missing members) by scripts/cluster-pki.sh, the same
# script docker-compose's secrets come from. Log lines name only the directory, never its contents.
ensure_cluster_pki() {
  local fresh=0
  [ -s "$TLS_DIR/ca.crt" ] || fresh=1
  "$root/scripts/cluster-pki.sh" "$TLS_DIR" "${CLUSTER_MEMBERS[@]}" >/dev/null || die "scripts/cluster-pki.sh failed"
  [ $fresh -eq 0 ] || log "made a throw-away cluster CA: secrets/cluster-tls/ca.crt"
}

# ----- build -----
# shellcheck source=build-inputs.sh
. "$root/scripts/build-inputs.sh"

jar_of() {
  case $1 in
    exchange | exchange-2) echo "sandbox-exchange/target/sandbox-exchange-$VERSION-all.jar" ;;
    market-api | market-api-2) echo "market-api/target/market-api-$VERSION-all.jar" ;;
    trade-api | trade-api-standby) echo "trade-api/target/trade-api-$VERSION-all.jar" ;;
    gateway-*) echo "api-gateway/target/api-gateway-$VERSION-all.jar" ;;
  esac
}

# The first source of the four services' jars modified after jar $1 (start.sh's rule, these modules only).
newer_service_input() {
  { build_inputs | grep -z -E '^(pom\.xml|(common|exchange-client|sandbox-exchange|api-gateway|market-api|trade-api)/)' \
      | xargs -0 -r sh -c 'find "$@" -maxdepth 0 -newer "$0" -print 2>/dev/null' "$1" | head -n 1; } || true
}

ensure_jars() {
  local mode="${OPENTRADE_DIST_BUILD:-auto}" stale="" m jar
  for m in "${MODULES[@]}"; do
    jar="$m/target/$m-$VERSION-all.jar"
    if [ ! -f "$jar" ]; then
      stale="$jar is missing"
    elif [ "$mode" != never ] && [ -z "$stale" ]; then
      local newer
      newer=$(newer_service_input "$jar")
      [ -n "$newer" ] && stale="$newer changed after $jar"
    fi
  done
  case $mode in
    never)
      for m in "${MODULES[@]}"; do
        [ -f "$m/target/$m-$VERSION-all.jar" ] || die "$m/target/$m-$VERSION-all.jar is missing and OPENTRADE_DIST_BUILD=never"
      done
      return ;;
    always) stale="OPENTRADE_DIST_BUILD=always" ;;
    auto) ;;
    *) die "OPENTRADE_DIST_BUILD=$mode; allowed: auto, never, always" ;;
  esac
  if [ -n "$stale" ]; then
    log "building the service jars ($stale)"
    # shellcheck source=ensure-tools.sh
    . "$root/scripts/ensure-tools.sh"
    ensure_build_tools
    mvn -B -q -ntp -DskipTests -pl "$(IFS=,; echo "${MODULES[*]}")" -am package
  fi
}

zipkin_jar() {
  if [ -n "${OPENTRADE_ZIPKIN_JAR:-}" ]; then
    [ -f "$OPENTRADE_ZIPKIN_JAR" ] || die "OPENTRADE_ZIPKIN_JAR=$OPENTRADE_ZIPKIN_JAR does not exist"
    echo "$OPENTRADE_ZIPKIN_JAR"
    return
  fi
  # One version for the project: the one common's Zipkin test runs against.
  local v jar
  v=$(sed -n 's:.*<zipkin-server.version>\(.*\)</zipkin-server.version>.*:\1:p' common/pom.xml | head -n 1)
  [ -n "$v" ] || die "no zipkin-server.version in common/pom.xml"
  jar="$HOME/.m2/repository/io/zipkin/zipkin-server/$v/zipkin-server-$v-exec.jar"
  if [ ! -f "$jar" ]; then
    log "resolving io.zipkin:zipkin-server:$v:exec with Maven"
    mvn -B -q -ntp dependency:get -Dartifact="io.zipkin:zipkin-server:$v:jar:exec" -Dtransitive=false >&2
  fi
  [ -f "$jar" ] || die "the Zipkin server jar is not at $jar (set OPENTRADE_ZIPKIN_JAR)"
  echo "$jar"
}

use_influx() {
  case "${OPENTRADE_DIST_INFLUX:-auto}" in
    off) return 1 ;;
    on)
      if [ ! -x /usr/bin/influxd ]; then
        # shellcheck source=ensure-tools.sh
        . "$root/scripts/ensure-tools.sh"
        _apt_install influxdb
      fi
      return 0 ;;
    auto) [ -x /usr/bin/influxd ] ;;
    *) die "OPENTRADE_DIST_INFLUX=${OPENTRADE_DIST_INFLUX}; allowed: auto, on, off" ;;
  esac
}

# ----- readiness -----
await_leader() { # failover: one of the two exchanges leads (its /ready answers 200) within READY_TIMEOUT
  local deadline=$((SECONDS + READY_TIMEOUT))
  while [ $SECONDS -lt $deadline ]; do
    if [ "$(http_code "http://127.0.0.1:$EXCHANGE_OPS_PORT/ready")" = 200 ]; then log "exchange leads"; return 0; fi
    if [ "$(http_code "http://127.0.0.1:$EXCHANGE_2_OPS_PORT/ready")" = 200 ]; then log "exchange-2 leads"; return 0; fi
    sleep 0.5
  done
  log "no exchange leads after ${READY_TIMEOUT}s; the end of logs/exchange.log and logs/exchange-2.log:"
  tail -n 20 "$LOGS/exchange.log" "$LOGS/exchange-2.log" >&2 || true
  return 1
}

http_code() { curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1" 2>/dev/null || true; }

ready_check() { # ready_check <service>: 0 when it answers as ready
  case $1 in
    redis) REDISCLI_AUTH="$REDIS_PASSWORD" redis-cli -h 127.0.0.1 -p "$REDIS_PORT" --no-auth-warning ping 2>/dev/null | grep -q PONG ;;
    influxdb) [ "$(http_code "http://127.0.0.1:$INFLUX_PORT/ping")" = 204 ] ;;
    zipkin) [ "$(http_code "http://127.0.0.1:$ZIPKIN_PORT/health")" = 200 ] ;;
    exchange | exchange-2)
      local ops=$EXCHANGE_OPS_PORT
      [ "$1" = exchange-2 ] && ops=$EXCHANGE_2_OPS_PORT
      if [ "$EXCHANGES" = failover ]; then
        # a standby serves nothing (its /ready is 503): up is up; leader_ready waits for a leader
        [ "$(http_code "http://127.0.0.1:$ops/health")" = 200 ]
      else
        [ "$(http_code "http://127.0.0.1:$ops/ready")" = 200 ]
      fi ;;
    market-api) [ "$(http_code "http://127.0.0.1:$MARKET_PORT/ready")" = 200 ] ;;
    market-api-2) [ "$(http_code "http://127.0.0.1:$MARKET_2_PORT/ready")" = 200 ] ;;
    trade-api | trade-api-standby) trade_ready "$1" ;;
    gateway-1) [ "$(http_code "http://127.0.0.1:$GATEWAY_1_PORT/ready")" = 200 ] ;;
    gateway-2) [ "$(http_code "http://127.0.0.1:$GATEWAY_2_PORT/ready")" = 200 ] ;;
  esac
}

trade_port() { if [ "$1" = trade-api-standby ]; then echo "${TRADE_STANDBY_PORT:-0}"; else echo "$TRADE_PORT"; fi; }

# trade-api and trade-api-standby are one instance: the one holding its claim serves (/ready 200), the other
# stands by (/health 200, /ready 503 "standing by"). Either counts as ready when it serves, or stands by while
# the other serves.
trade_ready() {
  local mine other
  mine=$(trade_port "$1")
  [ "$(http_code "http://127.0.0.1:$mine/ready")" = 200 ] && return 0
  [ "$TRADE_STANDBY" = on ] || return 1
  other=$(trade_port "$([ "$1" = trade-api ] && echo trade-api-standby || echo trade-api)")
  [ "$(http_code "http://127.0.0.1:$mine/health")" = 200 ] && [ "$(http_code "http://127.0.0.1:$other/ready")" = 200 ]
}

await_ready() { # await_ready <service...>: each ready within READY_TIMEOUT, or the start fails
  local deadline=$((SECONDS + READY_TIMEOUT)) pending=("$@") still s
  while [ ${#pending[@]} -gt 0 ]; do
    still=()
    for s in "${pending[@]}"; do
      if ! running "$s" && ! { sleep 0.5; running "$s"; } && ! { sleep 1; running "$s"; }; then
        # Looked at three times over 1.5 s: once (DistributedFaultIT, an exchange restart) a process launched a moment
        # before read as gone while it ran on (it logged and was stopped 11 s later); cause not found.
        local pid
        pid=$(cat "$PIDS/$s.pid" 2>/dev/null || true)
        log "$s exited (pid file: '$pid', its working directory: '$(readlink "/proc/$pid/cwd" 2>&1 || true)'); the end of logs/$s.log:"
        tail -n 30 "$LOGS/$s.log" >&2 || true
        return 1
      fi
      if ready_check "$s"; then
        log "$s ready"
      else
        still+=("$s")
      fi
    done
    pending=("${still[@]+"${still[@]}"}")
    [ ${#pending[@]} -eq 0 ] && return 0
    if [ $SECONDS -ge $deadline ]; then
      for s in "${pending[@]}"; do
        log "$s not ready after ${READY_TIMEOUT}s; the end of logs/$s.log:"
        tail -n 30 "$LOGS/$s.log" >&2 || true
      done
      return 1
    fi
    sleep 0.25 # polling the services' readiness with a deadline, not a fixed wait
  done
}

# ----- the services -----
# Serial GC: seven JVMs share the machine's cores, so no parallel GC threads fighting over them. One
# line per log record, with the time first (JUL's default spreads each record over two lines).
JAVA_BASE=(-XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError
  "-Djava.util.logging.SimpleFormatter.format=%1\$tF %1\$tT.%1\$tL %4\$s %3\$s - %5\$s%6\$s%n")
# run_jar <service>: the copy of its jar under lib/ in the run directory that it runs from, made when
# missing (named by the build's time). A process keeps the jar it started with open and loads classes from
# it for its whole life: run from target/ directly, a rebuild (mvn package) under a running topology
# replaced that file and the process then failed with NoClassDefFoundError.
run_jar() {
  local src="$root/$(jar_of "$1")" dest
  dest="$RUN/lib/$(basename "$src" .jar)-$(stat -c %Y "$src").jar"
  if [ ! -f "$dest" ]; then
    mkdir -p "$RUN/lib"
    cp "$src" "$dest.tmp.$$" && mv -f "$dest.tmp.$$" "$dest"
  fi
  echo "$dest"
}

# Removes the jar copies under lib/ that neither the current build nor a running process uses.
prune_jars() {
  local f s keep=" "
  for s in "${ALL[@]}"; do
    running "$s" && keep+="$(tr '\0' ' ' <"/proc/$(pid_of "$s")/cmdline" 2>/dev/null) "
  done
  for s in exchange market-api trade-api gateway-1; do keep+="$RUN/lib/$(basename "$(jar_of "$s")" .jar)-$(stat -c %Y "$root/$(jar_of "$s")").jar "; done
  for f in "$RUN"/lib/*.jar; do
    [ -e "$f" ] || continue
    [[ $keep == *" $f "* ]] || rm -f "$f"
  done
}

java_cmd() { # java_cmd <service> <heap>: sets JAVA_CMD to the JVM command line of one service
  local opts=()
  # shellcheck disable=SC2206 # options are words, split on purpose
  [ -n "${OPENTRADE_DIST_JAVA_OPTS:-}" ] && opts=(${OPENTRADE_DIST_JAVA_OPTS})
  JAVA_CMD=(java "${JAVA_BASE[@]}" -Xms64m "-Xmx$2" "-Dopentrade.dist.service=$1" "${opts[@]+"${opts[@]}"}"
    -jar "$(run_jar "$1")")
}

# cluster_env <hazelcast port> <member>: sets CLUSTER_ENV, how one member joins the others, its event
# bus with mutual TLS as <member> (its key store; the password and the CA by file, never by value).
cluster_env() {
  CLUSTER_ENV=("OPENTRADE_CLUSTER_NAME=$CLUSTER_NAME" "OPENTRADE_CLUSTER_MEMBERS=$(members)"
    OPENTRADE_CLUSTER_HOST=127.0.0.1 "OPENTRADE_CLUSTER_PORT=$1" OPENTRADE_CLUSTER_PORT_AUTO_INCREMENT=false
    OPENTRADE_EVENT_BUS_PORT=0
    OPENTRADE_CLUSTER_TLS=true "OPENTRADE_CLUSTER_TLS_KEY_STORE=$TLS_DIR/$2.p12"
    "OPENTRADE_CLUSTER_TLS_KEY_STORE_PASSWORD_FILE=$TLS_DIR/password" "OPENTRADE_CLUSTER_TLS_TRUST_STORE=$TLS_DIR/ca.crt")
  # failover: every member runs the CP subsystem (the two exchanges and the first API service to join
  # become its three CP members)
  [ "$EXCHANGES" = failover ] && CLUSTER_ENV+=(OPENTRADE_CLUSTER_CP_MEMBERS=3)
  return 0
}

ZIPKIN_SPANS() { echo "http://127.0.0.1:$ZIPKIN_PORT/api/v2/spans"; }

start_service() {
  local s=$1
  case $s in
    redis)
      # The password goes in a config file (mode 600), not on the command line.
      (umask 077; mkdir -p "$(service_dir redis)"; cat >"$(service_dir redis)/redis.conf" <<EOF
bind 127.0.0.1
port $REDIS_PORT
protected-mode yes
requirepass $REDIS_PASSWORD
appendonly yes
appendfsync always
save ""
dir $(service_dir redis)
daemonize no
EOF
      )
      launch redis -- redis-server "$(service_dir redis)/redis.conf" ;;
    influxdb)
      mkdir -p "$(service_dir influxdb)"
      cat >"$(service_dir influxdb)/influxdb.conf" <<EOF
reporting-disabled = true
bind-address = "127.0.0.1:$INFLUX_RPC_PORT"
[meta]
  dir = "$(service_dir influxdb)/meta"
  logging-enabled = false
[data]
  dir = "$(service_dir influxdb)/data"
  wal-dir = "$(service_dir influxdb)/wal"
  query-log-enabled = false
[monitor]
  store-enabled = false
[http]
  enabled = true
  bind-address = "127.0.0.1:$INFLUX_PORT"
  log-enabled = false
  unix-socket-enabled = false
  pprof-enabled = false
[continuous_queries]
  log-enabled = false
EOF
      launch influxdb -- /usr/bin/influxd run -config "$(service_dir influxdb)/influxdb.conf" ;;
    zipkin)
      # In-memory storage; Armeria's port list is given whole (port, address, protocol), else it binds
      # every interface.
      launch zipkin STORAGE_TYPE=mem QUERY_PORT="$ZIPKIN_PORT" SELF_TRACING_ENABLED=false -- \
        java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xmx256m -jar "$ZIPKIN_JAR" \
        "--armeria.ports[0].port=$ZIPKIN_PORT" "--armeria.ports[0].ip=127.0.0.1" "--armeria.ports[0].protocols[0]=http" ;;
    exchange | exchange-2)
      # With two exchange processes each runs one shard of a two-shard exchange (symbols hash onto
      # shards); with one, it runs the only shard.
      local ops=$EXCHANGE_OPS_PORT hz=$HZ_EXCHANGE_PORT layout=(OPENTRADE_EXCHANGE_SHARDS=1 OPENTRADE_EXCHANGE_OWNED_SHARDS=)
      [ "$s" = exchange-2 ] && { ops=$EXCHANGE_2_OPS_PORT; hz=$HZ_EXCHANGE_2_PORT; }
      if [ "$EXCHANGES" = 2 ]; then
        layout=(OPENTRADE_EXCHANGE_SHARDS=2 OPENTRADE_EXCHANGE_OWNED_SHARDS="$([ "$s" = exchange ] && echo 0 || echo 1)")
      elif [ "$EXCHANGES" = failover ]; then
        layout=(OPENTRADE_EXCHANGE_SHARDS=1 OPENTRADE_EXCHANGE_OWNED_SHARDS= OPENTRADE_EXCHANGE_FAILOVER=true)
      fi
      cluster_env "$hz" "$s"
      java_cmd "$s" 256m
      launch "$s" "${CLUSTER_ENV[@]}" "${layout[@]}" \
        OPENTRADE_EXCHANGE_DATA_DIR="$(service_dir "$s")/data" OPENTRADE_EXCHANGE_OPERATIONS_HOST=127.0.0.1 \
        OPENTRADE_EXCHANGE_OPERATIONS_PORT="$ops" OPENTRADE_ZIPKIN_ENDPOINT="$(ZIPKIN_SPANS)" \
        -- "${JAVA_CMD[@]}" ;;
    market-api | market-api-2)
      # Two instances of one service: each follows the whole feed and serves any caller; the gateways
      # spread requests and streams over both. With InfluxDB they share its database (writes are
      # idempotent upserts, so both writing the same trades and bars is harmless, and a restarted
      # instance continues from the newest checkpoint either wrote); with QuestDB each has its own.
      local store=(OPENTRADE_MARKET_STORE=questdb) port=$MARKET_PORT hz=$HZ_MARKET_PORT
      [ "$s" = market-api-2 ] && { port=$MARKET_2_PORT; hz=$HZ_MARKET_2_PORT; }
      if [ "$INFLUX" = on ]; then
        store=(OPENTRADE_MARKET_STORE=influxdb OPENTRADE_INFLUX_URL="http://127.0.0.1:$INFLUX_PORT" OPENTRADE_INFLUX_DATABASE=opentrade)
      fi
      cluster_env "$hz" "$s"
      java_cmd "$s" 384m
      launch "$s" "${CLUSTER_ENV[@]}" "${store[@]}" \
        OPENTRADE_MARKET_HOST=127.0.0.1 OPENTRADE_MARKET_PORT="$port" OPENTRADE_MARKET_EVENT_BUS=cluster \
        OPENTRADE_MARKET_DATA_DIR="$(service_dir "$s")/data" OPENTRADE_MARKET_FEED_CONSUMER="$s" \
        OPENTRADE_MARKET_BACKFILL_DAYS="${OPENTRADE_DIST_BACKFILL_DAYS:-20}" \
        OPENTRADE_IDENTITY_PUBLIC_KEY="$SECRETS/identity-ed25519.pub.pem" OPENTRADE_ADMIN_TOKEN="$ADMIN_TOKEN" \
        OPENTRADE_ZIPKIN_ENDPOINT="$(ZIPKIN_SPANS)" \
        -- "${JAVA_CMD[@]}" ;;
    trade-api | trade-api-standby)
      # One instance (id 1) in two processes on one data directory, as on one host (its order streams'
      # journal is kept there and in Redis: the files lack nothing a client was sent, even across a Redis
      # outage), and one FIX port: the one that holds the instance's claim in Redis serves and binds FIX;
      # the other waits for the claim (trade-api README, a standby per instance).
      local port=$TRADE_PORT hz=$HZ_TRADE_PORT
      [ "$s" = trade-api-standby ] && { port=$TRADE_STANDBY_PORT; hz=$HZ_TRADE_STANDBY_PORT; }
      cluster_env "$hz" "$s"
      java_cmd "$s" 256m
      launch "$s" "${CLUSTER_ENV[@]}" \
        OPENTRADE_TRADE_HOST=127.0.0.1 OPENTRADE_TRADE_PORT="$port" OPENTRADE_TRADE_EVENT_BUS=cluster \
        OPENTRADE_TRADE_DATA_DIR="$(service_dir trade-api)/data" \
        OPENTRADE_TRADE_STORE=redis OPENTRADE_TRADE_REDIS_URI="redis://:$REDIS_PASSWORD@127.0.0.1:$REDIS_PORT/1" \
        OPENTRADE_TRADE_INSTANCE_ID=1 OPENTRADE_TRADE_STANDBY="$([ "$TRADE_STANDBY" = on ] && echo true || echo false)" \
        OPENTRADE_TRADE_FIX_ENABLED=true OPENTRADE_TRADE_FIX_HOST=127.0.0.1 OPENTRADE_TRADE_FIX_PORT="$FIX_PORT" \
        OPENTRADE_IDENTITY_PUBLIC_KEY="$SECRETS/identity-ed25519.pub.pem" OPENTRADE_ADMIN_TOKEN="$ADMIN_TOKEN" \
        OPENTRADE_ZIPKIN_ENDPOINT="$(ZIPKIN_SPANS)" \
        -- "${JAVA_CMD[@]}" ;;
    gateway-1 | gateway-2)
      local n=${s#gateway-} port hz
      if [ "$n" = 1 ]; then port=$GATEWAY_1_PORT; hz=$HZ_GATEWAY_1_PORT; else port=$GATEWAY_2_PORT; hz=$HZ_GATEWAY_2_PORT; fi
      cluster_env "$hz" "$s"
      java_cmd "$s" 256m
      launch "$s" "${CLUSTER_ENV[@]}" \
        OPENTRADE_GATEWAY_HOST=127.0.0.1 OPENTRADE_GATEWAY_PORT="$port" OPENTRADE_GATEWAY_EVENT_BUS=cluster \
        OPENTRADE_GATEWAY_EVENT_LOOPS=1 OPENTRADE_GATEWAY_DATA_DIR="$(service_dir "$s")/data" \
        OPENTRADE_GATEWAY_STORE=redis OPENTRADE_REDIS_URI="redis://:$REDIS_PASSWORD@127.0.0.1:$REDIS_PORT/0" \
        OPENTRADE_GATEWAYS=2 \
        OPENTRADE_UPSTREAM_DISCOVERY=cluster \
        OPENTRADE_SESSION_KEY_FILE="$SECRETS/session-es256.pem" \
        OPENTRADE_IDENTITY_KEY_FILE="$SECRETS/identity-ed25519.pem" OPENTRADE_ADMIN_TOKEN="$ADMIN_TOKEN" \
        OPENTRADE_ZIPKIN_ENDPOINT="$(ZIPKIN_SPANS)" \
        -- "${JAVA_CMD[@]}" ;;
  esac
}

services() { # the services of this run, in start order
  local s
  for s in "${ALL[@]}"; do
    [ "$s" = influxdb ] && [ "$INFLUX" != on ] && continue
    [ "$s" = exchange-2 ] && [ "$EXCHANGES" = 1 ] && continue
    [ "$s" = trade-api-standby ] && [ "$TRADE_STANDBY" = off ] && continue
    echo "$s"
  done
}

start_missing() { # start_missing <service...>: starts those not running; prints the ones started
  local s
  for s in "$@"; do
    if running "$s"; then
      log "$s already running (pid $(pid_of "$s"))"
    else
      start_service "$s"
      log "$s started (pid $(cat "$PIDS/$s.pid"), log logs/$s.log)"
    fi
  done
}

summary() {
  local second=""
  [ "$EXCHANGES" = 2 ] && second=$'\n'"  exchange-2     http://127.0.0.1:$EXCHANGE_2_OPS_PORT/ready   (shard 1 of 2; exchange runs shard 0)"
  [ "$EXCHANGES" = failover ] && second=$'\n'"  exchange-2     http://127.0.0.1:$EXCHANGE_2_OPS_PORT/ready   (failover pair: the one whose /ready is 200 leads, the other stands by)"
  local standby=""
  [ "$TRADE_STANDBY" = on ] && standby=$'\n'"  trade-api-standby http://127.0.0.1:$TRADE_STANDBY_PORT   (the same instance: the one whose /ready is 200 serves, FIX included; the other stands by)"
  cat <<EOF

OpenTrade distributed mode, run directory $RUN
  gateway 1      http://127.0.0.1:$GATEWAY_1_PORT   (/v1/..., /health, /ready, /metrics)
  gateway 2      http://127.0.0.1:$GATEWAY_2_PORT
  market-api     http://127.0.0.1:$MARKET_PORT   (answers only the gateways' signed requests)
  market-api-2   http://127.0.0.1:$MARKET_2_PORT   (a second instance; the gateways use both)
  trade-api      http://127.0.0.1:$TRADE_PORT   FIX 4.4 on 127.0.0.1:$FIX_PORT (TargetCompID OPENTRADE)$standby
  exchange       http://127.0.0.1:$EXCHANGE_OPS_PORT/ready   (operations only; commands and feed on the event bus)$second
  zipkin         http://127.0.0.1:$ZIPKIN_PORT/zipkin/
  redis          127.0.0.1:$REDIS_PORT   (password in secrets/redis-password; gateways db 0, trade-api db 1)
EOF
  if [ "$INFLUX" = on ]; then
    echo "  influxdb       http://127.0.0.1:$INFLUX_PORT   (database opentrade, market history)"
  else
    echo "  market history embedded QuestDB in market-api/data and market-api-2/data (influxd not used)"
  fi
  cat <<EOF
  cluster        Hazelcast members $(members) (name in secrets/cluster-name)
  event bus      mutual TLS: certificates from secrets/cluster-tls/ca.crt, one per service
  admin token    secrets/admin-token (X-Admin-Token)
  ports, logs    ports.env, logs/<service>.log
EOF
}

cmd_start() {
  ensure_jars
  ensure_packages
  ensure_secrets
  mkdir -p "$LOGS" "$PIDS"
  chmod 700 "$LOGS"
  INFLUX=off
  use_influx && INFLUX=on
  choose_ports
  ZIPKIN_JAR=$(zipkin_jar)
  local infra=(redis zipkin) ok=1
  [ "$INFLUX" = on ] && infra=(redis influxdb zipkin)
  # The servers first; the exchange is the cluster's first member, so the others join it rather than
  # racing to form a cluster of their own; then every other service at once.
  start_missing "${infra[@]}"
  await_ready redis || ok=0
  [ "$INFLUX" = on ] && { await_ready influxdb || ok=0; }
  local joined=0 s
  for s in market-api market-api-2 trade-api trade-api-standby gateway-1 gateway-2; do running "$s" && joined=1; done
  if [ $ok = 1 ] && [ "$EXCHANGES" = 2 ] && [ $joined = 1 ]; then
    # Both exchanges again while other members run (a restart after they died): each joins the running
    # cluster, so there is no first member to wait for, and they start at once (one after the other took
    # 34 s in DistributedFaultIT under load, each start waiting for the other's readiness).
    start_missing exchange exchange-2
    await_ready exchange exchange-2 || ok=0
  elif [ $ok = 1 ]; then
    start_missing exchange
    await_ready exchange || ok=0
  fi
  if [ $ok = 1 ] && [ "$EXCHANGES" = 2 ] && [ $joined = 0 ]; then
    # before the API services: they read the feed's info, which needs every shard
    start_missing exchange-2
    await_ready exchange-2 || ok=0
  fi
  if [ $ok = 1 ] && [ "$EXCHANGES" = failover ]; then
    # The pair's lock needs the CP subsystem, which forms once three members run: the second exchange
    # and market-api; then one exchange leads.
    start_missing exchange-2
    await_ready exchange-2 || ok=0
    [ $ok = 1 ] && start_missing market-api
    [ $ok = 1 ] && { await_leader || ok=0; }
  fi
  if [ $ok = 1 ]; then
    start_missing market-api market-api-2 trade-api gateway-1 gateway-2
    await_ready zipkin market-api market-api-2 trade-api gateway-1 gateway-2 || ok=0
  fi
  if [ $ok = 1 ] && [ "$TRADE_STANDBY" = on ]; then
    # after trade-api has claimed the instance, so the standby is the one that waits (either may serve later)
    start_missing trade-api-standby
    await_ready trade-api-standby || ok=0
  fi
  if [ $ok = 0 ]; then
    log "start failed; stopping what runs (logs stay in $LOGS)"
    cmd_stop
    exit 1
  fi
  prune_jars
  summary
}

# stop_tier <seconds> <service...>: SIGTERM each, wait for all up to the grace, then SIGKILL what is left.
stop_tier() {
  local grace=$1; shift
  local s pids=() names=()
  for s in "$@"; do
    if running "$s"; then
      pids+=("$(pid_of "$s")")
      names+=("$s")
      kill -TERM "$(pid_of "$s")" 2>/dev/null || true
    fi
  done
  [ ${#pids[@]} -eq 0 ] && return 0
  local deadline=$((SECONDS + grace)) alive i
  while :; do
    alive=0
    for i in "${!pids[@]}"; do
      [ -d "/proc/${pids[$i]}" ] && [ "$(readlink "/proc/${pids[$i]}/cwd" 2>/dev/null)" = "$(service_dir "${names[$i]}")" ] && alive=1
    done
    [ $alive = 0 ] && break
    if [ $SECONDS -ge $deadline ]; then
      for i in "${!pids[@]}"; do
        if [ "$(readlink "/proc/${pids[$i]}/cwd" 2>/dev/null)" = "$(service_dir "${names[$i]}")" ]; then
          log "${names[$i]} did not stop within ${grace}s: SIGKILL"
          kill -KILL "${pids[$i]}" 2>/dev/null || true
        fi
      done
      break
    fi
    sleep 0.2 # polling for the processes to exit, with a deadline
  done
  for s in "${names[@]}"; do
    log "$s stopped"
    rm -f "$PIDS/$s.pid"
  done
}

cmd_stop() {
  # Gateways first (no new requests), then the API services (they drain and close streams), then the
  # exchange (it snapshots), then the servers they used.
  stop_tier 30 gateway-1 gateway-2
  # the trade-api process standing by first: stopped together, it would take the instance over from the other
  local trade=(trade-api-standby trade-api) standby_port=""
  # shellcheck disable=SC1090
  [ -f "$PORTS_FILE" ] && standby_port=$(. "$PORTS_FILE"; echo "${TRADE_STANDBY_PORT:-}")
  [ -n "$standby_port" ] && [ "$(http_code "http://127.0.0.1:$standby_port/ready")" = 200 ] && trade=(trade-api trade-api-standby)
  stop_tier 30 "${trade[0]}"
  stop_tier 30 market-api market-api-2 "${trade[1]}"
  stop_tier 40 exchange exchange-2
  stop_tier 20 zipkin influxdb
  stop_tier 20 redis
}

cmd_status() {
  [ -f "$PORTS_FILE" ] || { echo "not started (no $PORTS_FILE)"; return 1; }
  # shellcheck disable=SC1090
  . "$PORTS_FILE"
  REDIS_PASSWORD=$(cat "$SECRETS/redis-password" 2>/dev/null || true)
  local s all=0
  printf '%-17s %-8s %-8s %s\n' service pid state port
  for s in $(services); do
    local pid state port
    pid=$(pid_of "$s" || echo -)
    if [ "$pid" = - ]; then
      state=stopped
      all=1
    elif ready_check "$s"; then
      state=ready
      case $s in # of the pair, the one whose /ready answers serves; the other is up, standing by
        trade-api | trade-api-standby)
          [ "$(http_code "http://127.0.0.1:$(trade_port "$s")/ready")" = 200 ] && state=serving || state=standby ;;
      esac
    else
      state=starting
      all=1
    fi
    case $s in
      redis) port=$REDIS_PORT ;; influxdb) port=$INFLUX_PORT ;; zipkin) port=$ZIPKIN_PORT ;;
      exchange) port=$EXCHANGE_OPS_PORT ;; exchange-2) port=${EXCHANGE_2_OPS_PORT:-} ;; market-api) port=$MARKET_PORT ;; market-api-2) port=${MARKET_2_PORT:-} ;;
      trade-api) port="$TRADE_PORT (FIX $FIX_PORT)" ;; trade-api-standby) port="${TRADE_STANDBY_PORT:-} (FIX $FIX_PORT when it serves)" ;;
      gateway-1) port=$GATEWAY_1_PORT ;; gateway-2) port=$GATEWAY_2_PORT ;;
    esac
    printf '%-17s %-8s %-8s %s\n' "$s" "$pid" "$state" "$port"
  done
  return $all
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
