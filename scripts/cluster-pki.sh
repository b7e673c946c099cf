#!/usr/bin/env bash
# The clustered event bus's mutual TLS material (cluster.tls of every service, ClusterTls), made with
# openssl: a throw-away certificate authority and one PKCS#12 key store per cluster member.
#
#   <dir>/ca.crt       the cluster CA's certificate (EC P-256, 825 days): every member's trust store
#   <dir>/ca.key       its private key, kept here to issue more members; never given to a service
#   <dir>/password     one random password for every key store
#   <dir>/<member>.p12 a member's key (EC P-256) and the certificate the CA signed for it (CN and
#                      SAN DNS <member>, SAN IP 127.0.0.1, extendedKeyUsage serverAuth and clientAuth:
#                      every member is a TLS server and client of the others), with the CA's certificate
#
# A service uses them as OPENTRADE_CLUSTER_TLS=true, OPENTRADE_CLUSTER_TLS_KEY_STORE=<dir>/<member>.p12,
# OPENTRADE_CLUSTER_TLS_KEY_STORE_PASSWORD_FILE=<dir>/password, OPENTRADE_CLUSTER_TLS_TRUST_STORE=<dir>/ca.crt.
# Host names are not checked on the event bus: whoever holds a key store is a member, so give each
# one to its member only. The member name is only the certificate's name (log lines, inspection).
#
# Run again, it keeps what exists and adds the missing members, so running services keep their
# certificates. A key store is issued again when the password does not open it, the CA did not sign
# it, or it expires within 30 days. A missing CA makes a new one and issues every member again, those
# named and those whose key store is in <dir> (the new CA would trust none of the old certificates).
#
# Modes: <dir> 700, ca.key 600, the other files --mode's: 644 for containers (their user, 10001, reads
# a file bind-mounted from this machine, which the mode 700 directory keeps from everyone else); without
# --mode, the mode ca.crt (or the password) has, 600 in a new directory.
#
#   scripts/cluster-pki.sh [--mode 600|640|644] <dir> <member>...
#   scripts/cluster-pki.sh secrets/cluster-tls exchange market-api trade-api gateway-1 gateway-2
set -euo pipefail

usage() {
  echo "usage: $0 [--mode 600|640|644] <dir> <member>...   (member: lower-case letters, digits, '-')" >&2
  exit 2
}
die() { echo "cluster-pki: error: $*" >&2; exit 1; }
say() { echo "cluster-pki: $*" >&2; }

mode=
while [ $# -gt 0 ]; do
  case $1 in
    --mode) [ $# -ge 2 ] || usage; mode=$2; shift 2 ;;
    --mode=*) mode=${1#--mode=}; shift ;;
    --) shift; break ;;
    -*) usage ;;
    *) break ;;
  esac
done
case $mode in "" | 600 | 640 | 644) ;; *) echo "cluster-pki: --mode $mode: give 600, 640 or 644" >&2; usage ;; esac
[ $# -ge 2 ] || usage
dir=$1
shift
members=()
for m in "$@"; do
  # A DNS label: it is the certificate's CN and SAN and the key store's file name.
  [[ $m =~ ^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$ ]] || { echo "cluster-pki: member '$m' is not a lower-case DNS label" >&2; usage; }
  [[ " ${members[*]} " == *" $m "* ]] || members+=("$m")
done
command -v openssl >/dev/null || die "openssl is needed (Debian: apt-get install openssl)"

ssl() { # ssl <openssl arguments...>: quiet unless it fails
  local out
  out=$(openssl "$@" 2>&1) || die "openssl $1 failed: $out"
}
random_hex() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }

# Without --mode, the files keep the mode they have (ca.crt's, or the password's), so a run that
# only adds a member leaves them readable where they were made readable.
if [ -z "$mode" ]; then
  mode=$(stat -c %a "$dir/ca.crt" 2>/dev/null || stat -c %a "$dir/password" 2>/dev/null || echo 600)
  case $mode in 600 | 640 | 644) ;; *) mode=600 ;; esac
fi
umask 077
mkdir -p "$dir"
chmod 700 "$dir"
# Scratch space for keys being made, inside <dir> so they never leave its mode 700.
work="$dir/.cluster-pki.$$"
rm -rf "$work"
mkdir "$work"
trap 'rm -rf "$work"' EXIT

[ -s "$dir/password" ] || { random_hex 24 >"$dir/password.tmp"; mv "$dir/password.tmp" "$dir/password"; }

if [ ! -s "$dir/ca.crt" ] || [ ! -s "$dir/ca.key" ]; then
  for f in "$dir"/*.p12; do
    [ -e "$f" ] || continue
    m=$(basename "$f" .p12)
    [[ " ${members[*]} " == *" $m "* ]] || members+=("$m")
  done
  rm -f "$dir"/*.p12 "$dir/ca.srl"
  ssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 825 \
    -subj "/O=OpenTrade/CN=throw-away cluster CA $(random_hex 4)" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
    -keyout "$work/ca.key" -out "$work/ca.crt"
  mv "$work/ca.key" "$dir/ca.key"
  mv "$work/ca.crt" "$dir/ca.crt"
  say "made a throw-away cluster CA: $dir/ca.crt"
fi

# usable <member>: its key store opens with the password and holds a certificate the CA signed that
# is valid for 30 more days.
usable() {
  local p12="$dir/$1.p12"
  [ -s "$p12" ] || return 1
  openssl pkcs12 -in "$p12" -passin "file:$dir/password" -nokeys -clcerts -out "$work/check.crt" 2>/dev/null || return 1
  openssl verify -CAfile "$dir/ca.crt" "$work/check.crt" >/dev/null 2>&1 || return 1
  openssl x509 -in "$work/check.crt" -noout -checkend $((30 * 86400)) >/dev/null 2>&1
}

for m in "${members[@]}"; do
  if [ -e "$dir/$m.p12" ]; then
    usable "$m" && continue
    say "$dir/$m.p12 does not open with $dir/password, is not signed by $dir/ca.crt or expires within 30 days: issuing it again"
  fi
  printf '%s\n' basicConstraints=critical,CA:FALSE keyUsage=critical,digitalSignature \
    extendedKeyUsage=serverAuth,clientAuth "subjectAltName=DNS:$m,IP:127.0.0.1" >"$work/member.ext"
  ssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/O=OpenTrade/CN=$m" \
    -keyout "$work/member.key" -out "$work/member.csr"
  ssl x509 -req -in "$work/member.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAserial "$dir/ca.srl" \
    -CAcreateserial -days 825 -extfile "$work/member.ext" -out "$work/member.crt"
  ssl pkcs12 -export -in "$work/member.crt" -inkey "$work/member.key" -certfile "$dir/ca.crt" -name "$m" \
    -passout "file:$dir/password" -out "$work/member.p12"
  mv "$work/member.p12" "$dir/$m.p12"
  rm -f "$work"/member.*
  say "issued $dir/$m.p12 (CN=$m)"
done

chmod 600 "$dir/ca.key"
chmod "$mode" "$dir/ca.crt" "$dir/password"
for f in "$dir"/*.p12; do
  [ -e "$f" ] && chmod "$mode" "$f"
done
exit 0
