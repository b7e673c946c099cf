#!/usr/bin/env bash
# Checks the Kubernetes manifests (deploy/kustomization.yaml, deploy/k8s/) offline, in about a second
# (run by ./test.sh): scripts/k8s-validate/validate.mjs validates every object against the Kubernetes
# API's JSON schema and its types' field lists (no unknown field), the objects against each other,
# against the services' configuration and against the Secrets deploy/k8s/README.md's commands create
# (the event bus's mutual TLS on in every Java workload, each with its own key store), and that each
# market-api replica follows the exchange feed under a durable consumer name of its own. Its npm
# packages (kubernetes-models, @kubernetes/client-node's API types, yaml) are installed into
# scripts/k8s-validate/node_modules (ignored by git) from its package-lock.json; no cluster and no
# kubectl are needed.
# Usage: scripts/test-k8s.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
here="$root/scripts/k8s-validate"
command -v node >/dev/null || { echo "test-k8s: node is missing (scripts/ensure-tools.sh installs it)" >&2; exit 1; }
if [ ! -d "$here/node_modules/kubernetes-models" ] || [ "$here/package-lock.json" -nt "$here/node_modules/.package-lock.json" ]; then
  echo "installing the manifest checker's packages into scripts/k8s-validate/node_modules ..." >&2
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi
exec node "$here/validate.mjs" "$root"
