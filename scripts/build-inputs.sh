#!/usr/bin/env bash
# What the all-in-one jar is built from, for start.sh's "is the jar stale?" check. Sourced; run from
# the project root. Only sources count: poms, src/main of every module, and the portal and the API
# contract the launcher packages. Build output (target/, generated sources included), test sources
# and data/ never make the jar stale, so a start after ./test.sh does not rebuild.

# NUL-separated build inputs. In a git checkout: tracked files plus new ones not yet added (git
# ignores target/ and data/); elsewhere (a source archive) the same names found on disk.
build_inputs() {
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files -z --cached --others --exclude-standard -- \
      'pom.xml' '*/pom.xml' '*/src/main/*' 'portal-static/*' 'openapi/*'
  else
    find . \( -path ./data -o -path ./.git -o -name target -o -name node_modules \) -prune -o -type f \
      \( -name pom.xml -o -path '*/src/main/*' -o -path './portal-static/*' -o -path './openapi/*' \) -print0
  fi
}

# Prints the first build input modified after file $1, nothing when $1 is newer than all of them.
# A tracked file deleted from the working tree does not count (it is not there to compare).
newer_build_input() {
  { build_inputs | xargs -0 -r sh -c 'find "$@" -maxdepth 0 -newer "$0" -print 2>/dev/null' "$1" \
      | head -n 1; } || true
}
