#!/usr/bin/env bash
# Checks the four service images scripts/build-images.sh wrote (<module>/target/jib-image.tar) by
# reading them, with no Docker: tar and jq. Run by scripts/build-images.sh, and by ./test.sh after
# "mvn verify -Pimages" builds them.
#   - the archive: named opentrade/<module>:<version>, every layer's content is what its diff id says;
#   - built on this repository's base image (target/base-image/opentrade-base.tar): its layer first;
#     the runtime, HttpProbe, the data directory owned by the service user, no setuid file anywhere;
#     every library the native code in its dependency jars links against (readelf) is in the image;
#   - the configuration: runs as 10001:10001 (never root), entrypoint java with the module's main class
#     (present in the image) and Jib's class path, the working and data directory, UTF-8, the
#     container defaults (listen on every interface, data under /var/lib/opentrade, event bus on 5801);
#   - what docker-compose.yml expects of it: the image name, every port it probes or publishes and
#     the cluster's ports exposed, its volume at the working directory, its OPENTRADE_* variables read
#     by the module.
# Usage: scripts/test-images.sh [module...]   (default: all four)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
MODULES=("$@")
[ ${#MODULES[@]} -gt 0 ] || MODULES=(sandbox-exchange market-api trade-api api-gateway)
BASE=target/base-image/opentrade-base.tar
SERVICE_USER=10001:10001
DATA_DIR=/var/lib/opentrade
for tool in jq python3 readelf sha256sum tar; do
  command -v "$tool" >/dev/null || { echo "test-images: $tool is missing" >&2; exit 1; }
done

failures=0
fail() { echo "test-images: FAIL: $*" >&2; failures=$((failures + 1)); }
ok() { echo "test-images: ok: $*"; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
version=$(sed -n '0,/<version>/s:.*<version>\(.*\)</version>.*:\1:p' pom.xml)

# docker-compose.yml as docker-compose renders it (placeholder secrets), when docker-compose is here.
compose=""
if command -v docker-compose >/dev/null; then
  grep -E '^OPENTRADE_COMPOSE_(REDIS_PASSWORD|ADMIN_TOKEN|INFLUX_PASSWORD|CLUSTER_NAME)=' deploy/compose.env.example >"$work/secrets.env"
  env -i PATH="$PATH" HOME="$work" docker-compose --project-directory "$root" -f docker-compose.yml \
      --env-file "$work/secrets.env" config \
    | python3 -c 'import sys, yaml, json; json.dump(yaml.safe_load(sys.stdin), sys.stdout)' >"$work/compose.json"
  compose="$work/compose.json"
else
  echo "test-images: docker-compose is not installed: the checks against docker-compose.yml are skipped" >&2
fi

[ -f "$BASE" ] || { fail "no base image $BASE (scripts/build-base-image.sh)"; exit 1; }
mkdir "$work/base"
tar -xf "$BASE" -C "$work/base"
base_diff=$(jq -r '.rootfs.diff_ids[0]' "$work/base/$(jq -r '.[0].Config' "$work/base/manifest.json")")

for m in "${MODULES[@]}"; do
  tarball="$m/target/jib-image.tar"
  if [ ! -f "$tarball" ]; then
    fail "$m: no $tarball (scripts/build-images.sh)"
    continue
  fi
  x="$work/$m"
  mkdir "$x"
  tar -xf "$tarball" -C "$x"
  cfg="$x/$(jq -r '.[0].Config' "$x/manifest.json")"
  name="opentrade/$m:$version"

  # ----- the archive -----
  [ "$(jq -c '.[0].RepoTags' "$x/manifest.json")" = "[\"$name\"]" ] || fail "$m: tagged $(jq -c '.[0].RepoTags' "$x/manifest.json"), not $name"
  mapfile -t layers < <(jq -r '.[0].Layers[]' "$x/manifest.json")
  mapfile -t diffs < <(jq -r '.rootfs.diff_ids[]' "$cfg")
  [ ${#layers[@]} -eq ${#diffs[@]} ] || fail "$m: ${#layers[@]} layers, ${#diffs[@]} diff ids"
  : >"$x/files"
  mkdir "$x/jars"
  for i in "${!layers[@]}"; do
    # Each layer decompressed once: its digest, its listing, its jars.
    layer="$x/layer-$i.tar"
    gzip -dc "$x/${layers[$i]}" >"$layer" 2>/dev/null || cp "$x/${layers[$i]}" "$layer"
    rm -f "$x/${layers[$i]}"
    actual="sha256:$(sha256sum "$layer" | cut -d' ' -f1)"
    [ "$actual" = "${diffs[$i]}" ] || fail "$m: layer $i's content is $actual, its diff id ${diffs[$i]}"
    # mode owner/group size date time name: every entry of every layer (later layers last)
    tar -tvf "$layer" >>"$x/files" 2>/dev/null
    tar -xf "$layer" -C "$x/jars" --wildcards 'app/libs/*.jar' 2>/dev/null || true
    rm -f "$layer"
  done
  [ "${diffs[0]}" = "$base_diff" ] || fail "$m: its first layer ${diffs[0]} is not the base image's $base_diff"
  ok "$m: $name, ${#layers[@]} layers matching their diff ids, on the base image"

  # ----- the file tree -----
  awk '{print $6}' "$x/files" | sed 's:^\./::; s:/$::' >"$x/names"
  has() { grep -qxF "$1" "$x/names"; }
  for f in opt/java/bin/java opt/java/lib/server/libjvm.so \
      opt/opentrade/probe/HttpProbe.class usr/lib/locale/C.utf8/LC_CTYPE app/jib-classpath-file; do
    has "$f" || fail "$m: the image has no /$f"
  done
  owner=$(awk '{sub("^\\./", "", $6); sub("/$", "", $6); if ($6 == "var/lib/opentrade") print $2}' "$x/files" | tail -n 1)
  [ "$owner" = "10001/10001" ] || fail "$m: $DATA_DIR is owned by '$owner', not the service user"
  setuid=$(awk 'substr($1, 4, 1) ~ /[sS]/ || substr($1, 7, 1) ~ /[sS]/ {print $6}' "$x/files")
  [ -z "$setuid" ] || fail "$m: setuid or setgid files: $setuid"

  # ----- native code in the dependency jars: all it links against is in the image -----
  # (QuestDB's and Netty's libraries are unpacked and loaded at run time; a missing librt.so.1 is a
  # failed start, or a silent fall-back, only in the container.)
  case $(jq -r '.architecture' "$cfg") in
    amd64) machine=X86-64 ;; arm64) machine=AArch64 ;; *) machine=$(jq -r '.architecture' "$cfg") ;;
  esac
  grep -E '^(lib|lib64|usr/lib|opt/java/lib)/' "$x/names" | sed 's:.*/::' | sort -u >"$x/provided"
  natives=0
  before=$failures
  # Every shared library in every jar, unpacked to native/<jar>/<entry> (one Python for all jars).
  python3 -c 'import sys, zipfile, re, os
for jar in sys.argv[2:]:
    z = zipfile.ZipFile(jar)
    for n in z.namelist():
        if re.search(r"\.so(\.[0-9]+)*$", n):
            z.extract(n, os.path.join(sys.argv[1], os.path.basename(jar)))' "$x/native" "$x"/jars/app/libs/*.jar
  while IFS= read -r so; do
    readelf -h "$so" 2>/dev/null | grep -q "Machine:.*$machine" || continue
    natives=$((natives + 1))
    rel=${so#"$x/native/"}
    for needed in $(readelf -d "$so" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
      grep -qxF "$needed" "$x/provided" || fail "$m: ${rel%%/*}'s ${rel#*/} needs $needed, which the image lacks"
    done
  done < <([ -d "$x/native" ] && find "$x/native" -type f)
  [ $failures -eq $before ] && ok "$m: the $natives native libraries for $machine in its jars find every library they link against"

  # ----- the configuration -----
  main=$(jq -r '.config.Entrypoint[-1]' "$cfg")
  class="app/classes/${main//.//}.class"
  has "$class" || fail "$m: the entrypoint's main class $main is not in the image ($class)"
  jq -e --arg user "$SERVICE_USER" --arg dir "$DATA_DIR" '
      .config.User == $user
      and .config.WorkingDir == $dir
      and .config.Entrypoint[0] == "java"
      and (.config.Entrypoint | index(["-cp", "@/app/jib-classpath-file"]) != null)
      and (.config.Entrypoint | index("-XX:MaxRAMPercentage=75") != null)
      and (.config.Env | index("LANG=C.UTF-8") != null)
      and (.config.Env | index("JAVA_HOME=/opt/java") != null)
      and (.config.Env | any(startswith("PATH=/opt/java/bin:")))
      and (.config.Env | index("OPENTRADE_EVENT_BUS_PORT=5801") != null)
      and (.config.Env | index("OPENTRADE_LOG_FORMAT=json") != null)
      and (.config.Env | any(test("^OPENTRADE_[A-Z_]*HOST=0\\.0\\.0\\.0$")))
      and (.config.Env | any(test("^OPENTRADE_[A-Z_]*DATA_DIR=" + $dir + "/")))
      and (.config.ExposedPorts | has("5701/tcp") and has("5801/tcp"))' "$cfg" >/dev/null \
    || fail "$m: configuration: $(jq -c '.config | {User, WorkingDir, Entrypoint, Env, ExposedPorts}' "$cfg")"
  case $(jq -r '.config.User' "$cfg") in 0 | 0:* | root | root:* | "") fail "$m runs as root" ;; esac
  # The image's own OPENTRADE_* defaults must be settings the module reads.
  {
    grep -ohE '\$\{OPENTRADE_[A-Z0-9_]+' "$m"/src/main/resources/*.yaml | cut -c3-
    grep -rohE '"OPENTRADE_[A-Z0-9_]+"' "$m/src/main/java" common/src/main/java | tr -d '"'
  } | sort -u >"$x/reads"
  unread=$(jq -r '.config.Env[] | select(startswith("OPENTRADE_")) | sub("=.*"; "")' "$cfg" | grep -vxF -f "$x/reads" || true)
  [ -z "$unread" ] || fail "$m: the image sets $(echo $unread), which $m does not read"
  ok "$m: user $SERVICE_USER, java $main, exposes $(jq -r '.config.ExposedPorts | keys | join(" ")' "$cfg")"

  # ----- what docker-compose.yml expects of it -----
  [ -n "$compose" ] || continue
  services=$(jq -r --arg name "$name" '.services | to_entries[] | select(.value.image == $name) | .key' "$compose")
  [ -n "$services" ] || fail "$m: docker-compose.yml runs no image named $name"
  for s in $services; do
    needed=$( {
      jq -r --arg s "$s" '.services[$s].healthcheck.test[-1] // empty' "$compose" | sed -n 's|^http://127.0.0.1:\([0-9]*\)/.*|\1|p'
      jq -r --arg s "$s" '.services[$s].ports // [] | .[] | sub("/tcp$"; "") | split(":")[-1]' "$compose"
      jq -r --arg s "$s" '.services[$s].environment | .OPENTRADE_CLUSTER_PORT, .OPENTRADE_EVENT_BUS_PORT // empty' "$compose"
    } | sort -u)
    for p in $needed; do
      jq -e --arg p "$p/tcp" '.config.ExposedPorts | has($p)' "$cfg" >/dev/null || fail "$m: docker-compose.yml's $s uses port $p, the image does not expose it"
    done
    jq -e --arg s "$s" --arg dir "$DATA_DIR" '.services[$s].volumes | any(test("^[a-z0-9-]+-data:" + $dir + ":rw$"))' "$compose" >/dev/null \
      || fail "$m: docker-compose.yml's $s has no named volume at $DATA_DIR"
    ok "$m: as docker-compose.yml's $s needs it (ports $(echo $needed), volume at $DATA_DIR)"
  done
done

if [ $failures -gt 0 ]; then
  echo "test-images: $failures check(s) failed" >&2
  exit 1
fi
echo "test-images: all checks passed"
