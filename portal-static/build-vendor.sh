#!/usr/bin/env bash
# Copies the portal's third-party browser libraries from npm into <out>/vendor, at build time (the
# launcher's generate-resources phase): the portal loads them from its own origin, never a CDN.
# Installs them first (npm ci into portal-static/node_modules, ignored by git) when missing.
# Usage: portal-static/build-vendor.sh <webroot dir>
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:?usage: build-vendor.sh <webroot dir>}/vendor"
nm="$here/node_modules"
if [ ! -f "$nm/.package-lock.json" ] || [ "$here/package-lock.json" -nt "$nm/.package-lock.json" ]; then
  echo "installing the portal's browser libraries into portal-static/node_modules ..." >&2
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error </dev/null >&2)
fi
mkdir -p "$out/swagger-ui" "$out/asyncapi"
cp "$nm/swagger-ui-dist/swagger-ui-bundle.js" "$nm/swagger-ui-dist/swagger-ui.css" "$out/swagger-ui/"
cp "$nm/@asyncapi/react-component/browser/standalone/index.js" "$out/asyncapi/asyncapi-standalone.js"
cp "$nm/@asyncapi/react-component/styles/default.min.css" "$out/asyncapi/asyncapi.css"
cp "$nm/lightweight-charts/dist/lightweight-charts.standalone.production.js" "$out/lightweight-charts.js"
cp "$nm/chart.js/dist/chart.umd.min.js" "$out/chart.umd.min.js"
# Their licences travel with them.
for p in swagger-ui-dist @asyncapi/react-component lightweight-charts chart.js; do
  cp "$nm/$p/LICENSE"* "$out/LICENSE.$(basename "$p")" 2>/dev/null || true
done
