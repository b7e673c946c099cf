#!/usr/bin/env bash
# Lints the contracts with Spectral and fails on any warning or error: the OpenAPI contract
# (opentrade.yaml, spectral:oas, see .spectral.yaml) and the AsyncAPI document of the WebSocket
# streams (opentrade-streams.asyncapi.yaml, spectral:asyncapi, see .spectral-asyncapi.yaml).
# The tools (Spectral; Prism for launcher's contract tests) are installed locally into
# openapi/node_modules (ignored by git) from openapi/package.json + package-lock.json; nothing is
# installed globally.
# Usage, from anywhere: openapi/lint.sh [extra Spectral arguments, given to both runs]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"

if [ ! -x "$here/node_modules/.bin/spectral" ] || [ ! -x "$here/node_modules/.bin/prism" ]; then
  echo "installing Spectral and Prism into openapi/node_modules ..." >&2
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi

cd "$root"
# npx resolves @stoplight/spectral-cli@6 from openapi/ (--prefix), so nothing is downloaded; its
# bin folder goes on PATH because npm exec builds PATH from the working directory, not the prefix.
export PATH="$here/node_modules/.bin:$PATH"
export npm_config_loglevel=error
npx --prefix "$here" --yes @stoplight/spectral-cli@6 lint openapi/opentrade.yaml \
  --ruleset openapi/.spectral.yaml --fail-severity=warn "$@"
exec npx --prefix "$here" --yes @stoplight/spectral-cli@6 lint openapi/opentrade-streams.asyncapi.yaml \
  --ruleset openapi/.spectral-asyncapi.yaml --fail-severity=warn "$@"
