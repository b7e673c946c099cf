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
# Class data sharing (AppCDS): the first run of a jar writes the classes it loaded to an archive when it
# exits (Ctrl-C or SIGTERM; not after kill -9), and later runs map them instead of loading them again:
# ready in 15.4 s instead of 18.4 s, 21.0 instead of 26.8 s of CPU (bench/README.md "Start-up"). One archive per build
# of the jar and per JVM (their times name it); those of earlier builds are removed. OPENTRADE_CDS=off: none.
cds=()
if [ "${OPENTRADE_CDS:-on}" != off ]; then
  archive="launcher/target/opentrade-all-in-one-$(stat -c %Y "$jar")-$(stat -c %Y "$(readlink -f "$(command -v java)")").jsa"
  for old in launcher/target/opentrade-all-in-one-*.jsa; do
    [ -e "$old" ] && [ "$old" != "$archive" ] && rm -f "$old"
  done
  # -Xlog:cds*=off: classes the archive cannot hold are skipped silently, and an archive that does not
  # fit this JVM or jar is not used (the run goes on without it) instead of warning on the console.
  if [ -s "$archive" ]; then
    cds=("-XX:SharedArchiveFile=$archive" "-Xlog:cds*=off")
  else
    cds=("-XX:ArchiveClassesAtExit=$archive" "-Xlog:cds*=off")
    echo "start.sh: the first run of this build; when it stops it writes a class-data archive (about 10 s more" \
      "at Ctrl-C, once) that makes the next starts faster" >&2
  fi
fi
# Huge pages keep the matching thread's TLB warm (see bench/README.md); harmless where unsupported.
exec java ${OPENTRADE_JAVA_OPTS:--Xms256m -Xmx1g -XX:+UseTransparentHugePages} "${cds[@]+"${cds[@]}"}" -jar "$jar" "$@"
