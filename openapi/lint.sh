#!/usr/bin/env bash
# Lints the OpenAPI contract with Spectral (spectral:oas, see openapi/.spectral.yaml); fails on any
# warning or error. Spectral is installed locally into openapi/node_modules (ignored by git) from
# openapi/package.json + package-lock.json; nothing is installed globally.
# Usage, from anywhere: openapi/lint.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"

if [ ! -x "$here/node_modules/.bin/spectral" ]; then
  echo "installing Spectral into openapi/node_modules ..." >&2
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi

cd "$root"
# npx resolves @stoplight/spectral-cli@6 from openapi/ (--prefix), so nothing is downloaded; its
# bin folder goes on PATH because npm exec builds PATH from the working directory, not the prefix.
export PATH="$here/node_modules/.bin:$PATH"
export npm_config_loglevel=error
exec npx --prefix "$here" --yes @stoplight/spectral-cli@6 lint openapi/opentrade.yaml \
  --ruleset openapi/.spectral.yaml --fail-severity=warn "$@"
