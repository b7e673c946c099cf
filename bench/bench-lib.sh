# Shell helpers shared by the bench scripts (sourced, not run): processes stopped on exit by pid,
# waiting for HTTP 200, the machine's load and CPU pressure, a process's CPU ticks, and the load
# generator's JVM on its cores. A script sets PIDS+=(pid) for each process it starts.

PIDS=()
stop_pid() { # stop_pid <pid>: SIGTERM, up to 30 s for a clean stop, then SIGKILL
  local p=$1
  kill "$p" 2>/dev/null || true
  for _ in $(seq 150); do kill -0 "$p" 2>/dev/null || return 0; sleep 0.2; done
  kill -9 "$p" 2>/dev/null || true
}
cleanup() {
  local p
  for p in "${PIDS[@]}"; do stop_pid "$p"; done
}
ports_free() { # ports_free <hint> <port...>: exits when one is in use, naming the knobs in <hint>
  local hint=$1 port
  shift
  for port in "$@"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "port $port is in use; set $hint" >&2; exit 1
    fi
  done
}
wait_http() { # wait_http <url> <seconds>
  for _ in $(seq $(( $2 * 5 ))); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' "$1" || true)" == 200 ]] && return 0
    sleep 0.2
  done
  echo "no 200 from $1 after $2 s" >&2; return 1
}
load1() { cut -d' ' -f1 /proc/loadavg; }
cpu_some() { awk '/^some/ { sub("avg10=", "", $2); print $2 }' /proc/pressure/cpu 2>/dev/null || echo "?"; }
ticks() { # ticks <pid[,pid...]>: utime+stime of the processes, clock ticks
  local t=0 p
  for p in ${1//,/ }; do t=$(( t + $(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0) )); done
  echo "$t"
}
load_java() { ${LOAD_CPUS:+taskset -c $LOAD_CPUS} java "$@"; }
