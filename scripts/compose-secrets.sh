#!/usr/bin/env bash
# Makes what docker-compose.yml needs and must not be in git, once; run again, it keeps what exists
# and adds what is missing (so the running cluster's keys and passwords stay the same):
#   .env                        (mode 600) OPENTRADE_COMPOSE_REDIS_PASSWORD, _ADMIN_TOKEN (X-Admin-Token),
#                               _INFLUX_PASSWORD, _CLUSTER_NAME: random; the rest of
#                               deploy/compose.env.example may be added by hand
#   deploy/secrets/             (mode 700) the gateways' shared keys, made with openssl:
#     session-es256.pem         portal session signing key (ES256), one for both gateways
#     identity-ed25519.pem      identity assertion signing key (Ed25519), one for both gateways
#     identity-ed25519.pub.pem  its public half, which market-api and trade-api verify with
#     cluster-tls/              (mode 700) the event bus's mutual TLS, made by scripts/cluster-pki.sh:
#                               a throw-away CA (ca.crt; its key ca.key, never mounted), one PKCS#12
#                               key store per Java service (exchange.p12, market-api.p12,
#                               market-api-2.p12, trade-api.p12, trade-api-standby.p12, gateway-1.p12,
#                               gateway-2.p12) and
#                               their one password (password)
# The files the containers mount are mode 644 inside the mode 700 directories: the containers' user
# (10001) reads them through the mount, no other user of this machine reaches them.
#
#   scripts/compose-secrets.sh
set -euo pipefail
# docker-compose.yml's Java services, each a cluster member with a key store of its own
# (scripts/test-compose.sh checks this list against the file).
cluster_members=(exchange exchange-2 market-api market-api-2 trade-api trade-api-standby gateway-1 gateway-2)
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
command -v openssl >/dev/null || { echo "openssl is needed (Debian: apt-get install openssl)" >&2; exit 1; }

random_hex() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }

(umask 077; touch .env)
chmod 600 .env
add_setting() { # add_setting NAME value: appended to .env unless NAME is set there already
  grep -q "^$1=" .env || { printf '%s=%s\n' "$1" "$2" >>.env; echo "added $1 to .env" >&2; }
}
add_setting OPENTRADE_COMPOSE_REDIS_PASSWORD "$(random_hex 24)"
add_setting OPENTRADE_COMPOSE_ADMIN_TOKEN "$(random_hex 24)"
add_setting OPENTRADE_COMPOSE_INFLUX_PASSWORD "$(random_hex 24)"
add_setting OPENTRADE_COMPOSE_CLUSTER_NAME "opentrade-$(random_hex 6)"

secrets=deploy/secrets
mkdir -p "$secrets"
chmod 700 "$secrets"
(
  umask 022
  cd "$secrets"
  # Private and public block in one file, as the gateways write and read them.
  if [ ! -s session-es256.pem ]; then
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out session.tmp 2>/dev/null
    { cat session.tmp; openssl pkey -in session.tmp -pubout; } >session-es256.pem
    rm -f session.tmp
    echo "made $secrets/session-es256.pem" >&2
  fi
  if [ ! -s identity-ed25519.pem ]; then
    openssl genpkey -algorithm ed25519 -out identity.tmp 2>/dev/null
    { cat identity.tmp; openssl pkey -in identity.tmp -pubout; } >identity-ed25519.pem
    rm -f identity.tmp
    echo "made $secrets/identity-ed25519.pem" >&2
  fi
  openssl pkey -in identity-ed25519.pem -pubout >identity-ed25519.pub.pem.tmp
  mv identity-ed25519.pub.pem.tmp identity-ed25519.pub.pem
  chmod 644 session-es256.pem identity-ed25519.pem identity-ed25519.pub.pem
)
scripts/cluster-pki.sh --mode 644 "$secrets/cluster-tls" "${cluster_members[@]}"
echo "docker-compose.yml's secrets are in .env and $secrets/" >&2
