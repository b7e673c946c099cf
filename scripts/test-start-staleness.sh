#!/usr/bin/env bash
# Checks start.sh's "is the jar stale?" decision without Maven or a server: copies start.sh into a
# scratch project with stand-in mvn and java, and counts the builds. File times come from a clock
# file in the project (a "build" and a "change" each advance it), so no case sleeps or races the
# real clock. Needs bash, git, coreutils.
# Usage: scripts/test-start-staleness.sh   (exit 0: all cases pass)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
failures=0

make_project() { # $1: directory
  local p="$1"
  mkdir -p "$p/scripts" "$p/bin" "$p/launcher/src/main/java/x" "$p/launcher/src/main/resources" \
    "$p/launcher/src/test/java/x" "$p/portal-static" "$p/openapi"
  cp "$here/start.sh" "$p/"
  [ -f "$here/scripts/build-inputs.sh" ] && cp "$here/scripts/build-inputs.sh" "$p/scripts/"
  printf 'ensure_build_tools() { :; }\n' > "$p/scripts/ensure-tools.sh"
  cat > "$p/bin/mvn" <<MVN
#!/bin/sh
echo build >> "$p/builds"
t=\$(( \$(cat "$p/clock") + 10 )); echo \$t > "$p/clock"
mkdir -p launcher/target/generated-sources/x
touch -d "@\$t" launcher/target/opentrade-all-in-one.jar
MVN
  printf '#!/bin/sh\nexit 0\n' > "$p/bin/java"
  chmod +x "$p/bin/mvn" "$p/bin/java"
  echo '<project/>' > "$p/pom.xml"
  echo '<project/>' > "$p/launcher/pom.xml"
  echo 'class A {}' > "$p/launcher/src/main/java/x/A.java"
  echo 'a: 1' > "$p/launcher/src/main/resources/launcher.yaml"
  echo 'class ATest {}' > "$p/launcher/src/test/java/x/ATest.java"
  echo '<html/>' > "$p/portal-static/index.html"
  echo 'openapi: 3.1.0' > "$p/openapi/opentrade.yaml"
  printf 'target/\ndata/\nbuilds\nclock\nbin/\n' > "$p/.gitignore"
  echo 1000000000 > "$p/clock"
  find "$p" -exec touch -d @1000000000 {} +
}

builds() { [ -f "$1/builds" ] && wc -l < "$1/builds" || echo 0; }

# Runs start.sh in $1; expects the build count to grow by $2 (0 or 1); $3 names the case.
start_expect() {
  local p="$1" want="$2" what="$3" before after
  before=$(builds "$p")
  (cd "$p" && PATH="$p/bin:$PATH" ./start.sh >/dev/null 2>&1) || { echo "FAIL $what: start.sh failed"; failures=$((failures + 1)); return; }
  after=$(builds "$p")
  if [ $((after - before)) -eq "$want" ]; then
    echo "ok   $what"
  else
    echo "FAIL $what: $((after - before)) builds, expected $want"
    failures=$((failures + 1))
  fi
}

later() { # $1: project; touches $2.. with the project clock advanced (after the last build)
  local p="$1"; shift
  local t=$(( $(cat "$p/clock") + 10 ))
  echo "$t" > "$p/clock"
  for f in "$@"; do mkdir -p "$(dirname "$p/$f")"; touch -d "@$t" "$p/$f"; done
}

run_cases() { # $1: project, $2: label
  local p="$1" l="$2"
  start_expect "$p" 1 "$l: no jar: builds"
  start_expect "$p" 0 "$l: nothing changed: no build"
  start_expect "$p" 0 "$l: nothing changed, second time: no build"
  later "$p" launcher/target/generated-sources/x/Gen.java launcher/target/classes/x/A.class data/gateway/registry.json
  start_expect "$p" 0 "$l: generated sources, classes and data newer than the jar: no build"
  later "$p" launcher/src/test/java/x/ATest.java
  start_expect "$p" 0 "$l: a test source changed: no build (not in the jar)"
  later "$p" launcher/src/main/java/x/A.java
  start_expect "$p" 1 "$l: a main source changed: builds"
  start_expect "$p" 0 "$l: after that build: no build"
  later "$p" launcher/src/main/resources/launcher.yaml
  start_expect "$p" 1 "$l: a resource changed: builds"
  later "$p" launcher/pom.xml
  start_expect "$p" 1 "$l: a pom changed: builds"
  later "$p" portal-static/index.html
  start_expect "$p" 1 "$l: the portal changed: builds"
  later "$p" openapi/opentrade.yaml
  start_expect "$p" 1 "$l: the contract changed: builds"
  later "$p" launcher/src/main/java/x/New.java
  start_expect "$p" 1 "$l: a new, not yet added source: builds"
}

# The class-data-sharing archive start.sh hands to java (stand-in java records its arguments).
cds_cases() {
  local p="$scratch/cds" archive
  make_project "$p"
  printf '#!/bin/sh\necho "$*" > "%s/java-args"\n' "$p" > "$p/bin/java"
  start_expect "$p" 1 "cds: no jar: builds"
  archive=$(archive_of "$p")
  cds_expect "$p" "-XX:ArchiveClassesAtExit=$archive " "cds: no archive yet: written at exit"
  echo archive > "$p/$archive"
  start_expect "$p" 0 "cds: with the archive: no build"
  cds_expect "$p" "-XX:SharedArchiveFile=$archive " "cds: the archive is used"
  later "$p" launcher/src/main/java/x/A.java
  start_expect "$p" 1 "cds: a main source changed: builds"
  if [ -e "$p/$archive" ]; then
    echo "FAIL cds: the archive of the jar before the build is left"; failures=$((failures + 1))
  else
    echo "ok   cds: the archive of the jar before the build is removed"
  fi
  archive=$(archive_of "$p")
  cds_expect "$p" "-XX:ArchiveClassesAtExit=$archive " "cds: the new jar gets an archive of its own"
  (cd "$p" && PATH="$p/bin:$PATH" OPENTRADE_CDS=off ./start.sh >/dev/null 2>&1)
  if grep -q -- '-XX:.*Archive' "$p/java-args"; then
    echo "FAIL cds: OPENTRADE_CDS=off still passes an archive: $(cat "$p/java-args")"; failures=$((failures + 1))
  else
    echo "ok   cds: OPENTRADE_CDS=off: no archive"
  fi
}

archive_of() { # $1 project: the archive start.sh names for its jar and java (their modification times)
  echo "launcher/target/opentrade-all-in-one-$(stat -c %Y "$1/launcher/target/opentrade-all-in-one.jar")-$(stat -c %Y "$1/bin/java").jsa"
}

cds_expect() { # $1 project, $2 the option expected among java's arguments, $3 case name
  if grep -q -F -- "$2" "$1/java-args"; then
    echo "ok   $3"
  else
    echo "FAIL $3: java got: $(cat "$1/java-args")"; failures=$((failures + 1))
  fi
}

make_project "$scratch/git"
(cd "$scratch/git" && git init -q && git add -A && git -c user.name=t -c user.email=t@t commit -qm init)
run_cases "$scratch/git" "git checkout"

make_project "$scratch/plain"
run_cases "$scratch/plain" "plain directory"

cds_cases

if [ "$failures" -ne 0 ]; then
  echo "$failures case(s) failed"
  exit 1
fi
echo "all cases passed"
