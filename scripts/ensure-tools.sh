#!/usr/bin/env bash
# Installs what the build and the tests need on a fresh Debian machine, and nothing when it is there.
# Sourced by start.sh and test.sh. Servers that tests need (added by later modules) are listed in
# TEST_PACKAGES and bound to 127.0.0.1 by the tests that start them.
set -euo pipefail

BUILD_PACKAGES=(openjdk-17-jdk-headless maven)
# influxdb: Debian's InfluxDB 1.x; market-api's InfluxDB tests run their own influxd on free ports of
# 127.0.0.1 (the package's own service, if an init system starts it, is not used).
# chromium, chromium-driver: the portal's browser tests (Selenium, headless); fonts-wqy-microhei so their
# screenshots show Chinese text. jq, curl: the README's curl quick start, run by ReadmeQuickstartIT.
# python3 and its python3-* packages: the Python SDK's tests (sdk/python) run Debian's /usr/bin/python3
# with the generated client's and opentrade_sdk's imports; nothing comes from PyPI.
# openssl: scripts/run-distributed.sh makes the gateways' shared keys with it (DistributedTopologyIT), and
# scripts/cluster-pki.sh the event bus's CA and key stores (scripts/test-cluster-pki.sh).
# docker-compose (1.29, Python; no Docker daemon needed): scripts/test-compose.sh validates
# docker-compose.yml with its "config" and reads the rendered file (python3-yaml comes with it).
# binutils: scripts/test-images.sh reads the native libraries in the images with readelf.
TEST_PACKAGES=(redis-server influxdb jq curl openssl chromium chromium-driver fonts-wqy-microhei python3 python3-pydantic python3-urllib3 python3-dateutil
  python3-typing-extensions python3-cryptography python3-websocket docker-compose binutils)

_apt_updated=0
_apt_install() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "missing packages ${missing[*]} and no apt-get to install them" >&2
    return 1
  fi
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  if [ $_apt_updated -eq 0 ]; then
    $sudo apt-get update -qq >/dev/null
    _apt_updated=1
  fi
  echo "installing ${missing[*]}" >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_build_tools() {
  if ! command -v javac >/dev/null 2>&1 || ! command -v mvn >/dev/null 2>&1; then
    _apt_install "${BUILD_PACKAGES[@]}"
  fi
  local v
  v=$(javac -version 2>&1 | awk '{print $2}' | cut -d. -f1)
  if [ "${v:-0}" -lt 17 ]; then
    echo "OpenTrade needs JDK 17 or newer; javac reports '$v'" >&2
    return 1
  fi
  ensure_node
}

# The all-in-one jar carries the portal's browser libraries, copied from npm at build time
# (portal-static/build-vendor.sh): building needs node and npm.
ensure_node() {
  if ! command -v npm >/dev/null 2>&1; then
    _apt_install nodejs npm
  fi
}

ensure_test_tools() {
  ensure_build_tools
  if [ ${#TEST_PACKAGES[@]} -gt 0 ]; then
    _apt_install "${TEST_PACKAGES[@]}"
  fi
  # The contract lint (openapi/lint.sh) runs Spectral from npm: ensure_build_tools has node.
}
