#!/usr/bin/env bash
# Builds the container images of the four services as tarballs, with no Docker daemon and no
# registry: the base image first (scripts/build-base-image.sh: a jlink'ed Java 17 runtime), then Jib
# on top of it (the modules' "images" Maven profile), then scripts/test-images.sh checks what they
# hold against docker-compose.yml.
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
_apt_install jq

scripts/build-base-image.sh
mvn -B -ntp -Pimages -DskipTests -pl "$(IFS=,; echo "${MODULES[*]}")" -am package "$@"
scripts/test-images.sh
for m in "${MODULES[@]}"; do
  printf '%s  %s\n' "$(du -h "$m/target/jib-image.tar" | cut -f1)" "$m/target/jib-image.tar"
done
