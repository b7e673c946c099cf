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
# The AsyncAPI renderer runs here, at build time (below), not in the browser: its parser validates
# with ajv, which compiles code at run time (new Function) as soon as the bundle loads, and the
# portal's Content-Security-Policy refuses eval. Only its style sheet goes to the browser.
cp "$nm/@asyncapi/react-component/styles/default.min.css" "$out/asyncapi/asyncapi.css"
cp "$nm/lightweight-charts/dist/lightweight-charts.standalone.production.js" "$out/lightweight-charts.js"
cp "$nm/chart.js/dist/chart.umd.min.js" "$out/chart.umd.min.js"
# Their licences travel with them.
for p in swagger-ui-dist @asyncapi/react-component lightweight-charts chart.js; do
  cp "$nm/$p/LICENSE"* "$out/LICENSE.$(basename "$p")" 2>/dev/null || true
done

# The streams document rendered by the AsyncAPI React component (server-side, React's static
# markup): parsed and validated (a parse error fails the build), its $refs into opentrade.yaml
# resolved, into <webroot>/openapi/opentrade-streams.asyncapi.html, an HTML fragment the docs page
# shows (assets/docs.js makes its collapsible sections work). Links in it point at /docs.html#<id>.
mkdir -p "$1/openapi"
NODE_ENV=production node - "$nm" "$here/../openapi/opentrade-streams.asyncapi.yaml" \
  "$1/openapi/opentrade-streams.asyncapi.html" <<'JS'
const fs = require('fs'), path = require('path');
const [nm, src, out] = process.argv.slice(2);
const { Parser, DiagnosticSeverity } = require(nm + '/@asyncapi/parser');
const { OpenAPISchemaParser } = require(nm + '/@asyncapi/openapi-schema-parser');
const React = require(nm + '/react');
const { renderToStaticMarkup } = require(nm + '/react-dom/server');
const AsyncApi = require(nm + '/@asyncapi/react-component/lib/cjs/without-parser.js').default;
global.window = { location: { pathname: '/docs.html' } }; // the component builds its links from it
(async () => {
  const parser = new Parser();
  parser.registerSchemaParser(OpenAPISchemaParser());
  const { document, diagnostics } = await parser.parse(fs.readFileSync(src, 'utf8'), { source: path.resolve(src) });
  const errors = diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error);
  if (!document || errors.length) {
    console.error('the AsyncAPI document does not parse:', JSON.stringify(errors, null, 1));
    process.exit(1);
  }
  const config = { schemaID: 'streams-doc', show: { sidebar: false }, expand: { messageExamples: true } };
  fs.writeFileSync(out, renderToStaticMarkup(React.createElement(AsyncApi, { schema: document, config })));
})().catch((e) => { console.error(e); process.exit(1); });
JS
