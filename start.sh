#!/usr/bin/env bash
# Starts the whole OpenTrade cloud in one JVM on embedded defaults (no external server needed):
# HTTP on http://localhost:8080, data under ./data. Builds first when the jar is missing or stale.
# Usage: ./start.sh            (environment overrides: see launcher/src/main/resources/launcher.yaml)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
. scripts/ensure-tools.sh
ensure_build_tools
jar=launcher/target/opentrade-all-in-one.jar
. scripts/build-inputs.sh
# Stale when a source of the jar changed after it (scripts/build-inputs.sh); build output, tests and
# data/ do not count. scripts/test-start-staleness.sh checks this decision.
if [ ! -f "$jar" ] || [ -n "$(newer_build_input "$jar")" ]; then
  mvn -B -q -ntp -DskipTests -pl launcher -am package
fi
# Huge pages keep the matching thread's TLB warm (see bench/README.md); harmless where unsupported.
exec java ${OPENTRADE_JAVA_OPTS:--Xms256m -Xmx1g -XX:+UseTransparentHugePages} -jar "$jar" "$@"
