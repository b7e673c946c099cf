#!/usr/bin/env bash
# Checks scripts/cluster-pki.sh (the event bus's throw-away CA and member key stores) in a scratch
# directory, with openssl (and the JDK's keytool when present), in about three seconds (run by ./test.sh):
#   - what it makes: a CA certificate; per member a PKCS#12 that the password opens, holding one key
#     and a certificate for that member (CN), issued by the CA, for TLS server and client, not a CA;
#     directory mode 700, the CA's key 600, the other files 600 or --mode's;
#   - run again it changes nothing; a new member is added without touching the others; a key store
#     that is damaged, from another CA or about to expire is issued again, and only it; a missing CA
#     key makes a new CA and issues every member again, named or not; without --mode the files keep
#     their mode;
#   - bad arguments exit 2 and create nothing.
# Usage: scripts/test-cluster-pki.sh   (exit 0: all cases pass)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pki="$root/scripts/cluster-pki.sh"
command -v openssl >/dev/null || { echo "test-cluster-pki: openssl is missing" >&2; exit 1; }
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
failures=0
fail() { echo "test-cluster-pki: FAIL: $*" >&2; failures=$((failures + 1)); }
ok() { echo "test-cluster-pki: ok: $*"; }

d="$scratch/tls"
run() { "$pki" "$@" 2>"$scratch/err"; }
mode_of() { stat -c %a "$1"; }
sums() { (cd "$d" && sha256sum ca.crt password ./*.p12); }
# member_ok <member> [java]: its key store is what a service needs (ClusterTls's own checks, done with
# openssl; with "java", the JDK's keytool reads it too: once is enough, a JVM start costs half a second).
member_ok() {
  local m=$1 p12="$d/$1.p12" cert="$scratch/$1.crt" text
  [ -s "$p12" ] || { fail "$m: no $p12"; return; }
  openssl pkcs12 -in "$p12" -passin "file:$d/password" -nokeys -clcerts -out "$cert" 2>/dev/null \
    || { fail "$m: $p12 does not open with the password"; return; }
  [ "$(openssl pkcs12 -in "$p12" -passin "file:$d/password" -nocerts -nodes 2>/dev/null | grep -c 'BEGIN PRIVATE KEY')" = 1 ] \
    || fail "$m: $p12 does not hold exactly one private key"
  openssl verify -CAfile "$d/ca.crt" "$cert" >/dev/null 2>&1 || fail "$m: its certificate is not issued by ca.crt"
  text=$(openssl x509 -in "$cert" -noout -subject -ext extendedKeyUsage,basicConstraints,subjectAltName 2>/dev/null)
  grep -q "CN *= *$m\$" <<<"$text" || fail "$m: subject is not CN=$m: $(head -n 1 <<<"$text")"
  grep -q 'TLS Web Server Authentication, TLS Web Client Authentication' <<<"$text" || fail "$m: not for TLS server and client"
  grep -q 'CA:FALSE' <<<"$text" || fail "$m: its certificate is not marked CA:FALSE"
  grep -q "DNS:$m, IP Address:127.0.0.1" <<<"$text" || fail "$m: subjectAltName is not DNS:$m, IP:127.0.0.1"
  if [ "${2:-}" = java ] && command -v keytool >/dev/null; then
    keytool -list -keystore "$p12" -storetype PKCS12 -storepass:file "$d/password" 2>/dev/null | grep -q "^$m, .*PrivateKeyEntry" \
      || fail "$m: Java's keytool does not read $p12 as a PKCS#12 with the key entry '$m'"
  fi
}

# ----- a new directory -----
run "$d" exchange gateway-1 || fail "first run failed: $(cat "$scratch/err")"
openssl x509 -in "$d/ca.crt" -noout -ext basicConstraints 2>/dev/null | grep -q 'CA:TRUE' || fail "ca.crt is not a CA certificate"
member_ok exchange java
member_ok gateway-1 java
[ "$(mode_of "$d")" = 700 ] || fail "the directory is mode $(mode_of "$d"), not 700"
for f in ca.key ca.crt password exchange.p12 gateway-1.p12; do
  [ "$(mode_of "$d/$f")" = 600 ] || fail "$f is mode $(mode_of "$d/$f"), not 600"
done
[ -z "$(find "$d" -mindepth 1 -name '.*')" ] || fail "left temporary files: $(find "$d" -mindepth 1 -name '.*')"
ok "a CA and two members' key stores (one key each, CN the member, issued by the CA, server and client), modes 700/600"

# ----- run again: nothing changes; a new member leaves the others alone -----
sums >"$scratch/before"
run "$d" exchange gateway-1 || fail "second run failed: $(cat "$scratch/err")"
sums | cmp -s - "$scratch/before" || fail "a second run with the same members changed files"
[ ! -s "$scratch/err" ] || fail "a second run with nothing to do says: $(cat "$scratch/err")"
run "$d" exchange gateway-1 trade-api || fail "adding trade-api failed: $(cat "$scratch/err")"
member_ok trade-api
sums | grep -v trade-api.p12 | cmp -s - "$scratch/before" || fail "adding a member changed the CA, the password or another member's key store"
ok "run again it keeps everything; adding a member issues only its key store"

# ----- --mode, and later runs without it -----
run --mode 644 "$d" exchange || fail "--mode 644 failed: $(cat "$scratch/err")"
for f in ca.crt password exchange.p12 gateway-1.p12 trade-api.p12; do
  [ "$(mode_of "$d/$f")" = 644 ] || fail "--mode 644: $f is mode $(mode_of "$d/$f")"
done
[ "$(mode_of "$d/ca.key")" = 600 ] || fail "--mode 644 made the CA's key mode $(mode_of "$d/ca.key")"
run "$d" exchange market-api || fail "adding market-api failed: $(cat "$scratch/err")"
[ "$(mode_of "$d/market-api.p12")" = 644 ] && [ "$(mode_of "$d/password")" = 644 ] \
  || fail "a run without --mode did not keep mode 644 (market-api.p12 $(mode_of "$d/market-api.p12"), password $(mode_of "$d/password"))"
ok "--mode 644 makes the mounted files readable, never the CA's key; a run without --mode keeps their mode"

# ----- key stores that would not work are issued again, only they -----
sums >"$scratch/before"
echo damaged >"$d/exchange.p12"
# gateway-1: one from another CA, under the same password (so only its issuer is wrong).
other="$scratch/other"
mkdir -m 700 "$other"
cp "$d/password" "$other/password"
run "$other" gateway-1 || fail "a second CA failed: $(cat "$scratch/err")"
cp "$other/gateway-1.p12" "$d/gateway-1.p12"
# trade-api: a certificate from the right CA that expires tomorrow.
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=trade-api -keyout "$scratch/k" -out "$scratch/csr" 2>/dev/null
openssl x509 -req -in "$scratch/csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -set_serial 7 -days 1 -out "$scratch/c" 2>/dev/null
openssl pkcs12 -export -in "$scratch/c" -inkey "$scratch/k" -name trade-api -passout "file:$d/password" -out "$d/trade-api.p12"
run "$d" exchange gateway-1 trade-api market-api || fail "repairing failed: $(cat "$scratch/err")"
for m in exchange gateway-1 trade-api; do
  grep -q "issued $d/$m.p12" "$scratch/err" || fail "$m's bad key store was not issued again: $(cat "$scratch/err")"
  member_ok "$m"
  openssl pkcs12 -in "$d/$m.p12" -passin "file:$d/password" -nokeys -clcerts 2>/dev/null \
    | openssl x509 -noout -checkend $((700 * 86400)) >/dev/null || fail "$m's new certificate does not last 700 days"
done
sums | grep -E ' (\./)?(ca\.crt|password|market-api\.p12)$' | cmp -s - <(grep -E ' (\./)?(ca\.crt|password|market-api\.p12)$' "$scratch/before") \
  || fail "repairing three key stores changed the CA, the password or market-api's key store"
ok "a damaged key store, one from another CA and one expiring tomorrow are issued again; the rest is kept"

# ----- no CA key: a new CA, every member issued again -----
old_ca=$(openssl x509 -in "$d/ca.crt" -noout -fingerprint -sha256)
rm "$d/ca.key"
run "$d" exchange || fail "a run without the CA key failed: $(cat "$scratch/err")"
[ "$(openssl x509 -in "$d/ca.crt" -noout -fingerprint -sha256)" != "$old_ca" ] || fail "no new CA after its key was removed"
for m in exchange gateway-1 trade-api market-api; do member_ok "$m"; done
ok "without its key the CA is made anew and every member's key store issued again, named or not"

# ----- bad arguments -----
for args in "" "$scratch/bad" "$scratch/bad Exchange" "$scratch/bad a_b" "--mode 777 $scratch/bad a" "--bogus $scratch/bad a"; do
  # shellcheck disable=SC2086
  status=0; "$pki" $args 2>/dev/null || status=$?
  [ "$status" = 2 ] || fail "'cluster-pki.sh $args' exits $status, not 2"
done
[ ! -e "$scratch/bad" ] || fail "bad arguments created $scratch/bad"
ok "bad arguments exit 2 and create nothing"

if [ $failures -gt 0 ]; then
  echo "test-cluster-pki: $failures check(s) failed" >&2
  exit 1
fi
echo "test-cluster-pki: all checks passed"
