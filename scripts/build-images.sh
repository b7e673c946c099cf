#!/usr/bin/env bash
# Builds the container images of the four services as tarballs, with no Docker daemon and no
# registry: Maven's "images" profile makes the base image (scripts/build-base-image.sh: a jlink'ed
# Java 17 runtime; skipped when up to date), builds each image on it with Jib, then checks it
# (scripts/test-images.sh: what it holds and what docker-compose.yml expects of it). Unit and
# integration tests are skipped here (./test.sh runs them, images included).
#
#   scripts/build-images.sh [extra Maven arguments, e.g. -o]
#
# Output, each a docker-archive named opentrade/<module>:<version>:
#   sandbox-exchange/target/jib-image.tar  market-api/target/jib-image.tar
#   trade-api/target/jib-image.tar         api-gateway/target/jib-image.tar
# Load them where Docker runs with "docker load -i <tar>" (or podman load), then "docker-compose up -d"
# (README, Distributed mode, Containers).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
MODULES=(sandbox-exchange market-api trade-api api-gateway)

# shellcheck source=ensure-tools.sh
. scripts/ensure-tools.sh
ensure_build_tools
# jq: the base image's configuration and the checks; docker-compose and binutils (readelf): the checks.
_apt_install jq docker-compose binutils

mvn -B -ntp -Pimages -DskipTests -pl "$(IFS=,; echo "${MODULES[*]}")" -am verify "$@"
for m in "${MODULES[@]}"; do
  printf '%s  %s\n' "$(du -h "$m/target/jib-image.tar" | cut -f1)" "$m/target/jib-image.tar"
done
