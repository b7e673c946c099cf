#!/usr/bin/env bash
# Runs every test of OpenTrade: unit tests (Surefire, *Test) and integration tests against real
# processes and servers (Failsafe, *IT). Installs what the tests need first. Usage: ./test.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
. scripts/ensure-tools.sh
ensure_test_tools
# The OpenAPI contract first: it is what the portal docs and the SDK are generated from.
openapi/lint.sh
# start.sh's rebuild check (a shell test with stand-in mvn and java: seconds).
scripts/test-start-staleness.sh
# The event bus's throw-away CA and member key stores (scripts/cluster-pki.sh, seconds).
scripts/test-cluster-pki.sh
# docker-compose.yml against Debian's docker-compose and the services' configuration (seconds).
scripts/test-compose.sh
# The Kubernetes manifests against the API's schemas and the services' configuration (a second).
scripts/test-k8s.sh
# -Pimages: the four services' container images too (Jib, no Docker daemon; about 30 s: the base image
# when stale, Jib, and scripts/test-images.sh reading each image).
exec mvn -B -ntp -Dstyle.color=never -Pimages verify "$@"
