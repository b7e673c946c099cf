#!/usr/bin/env bash
# Builds the base image of OpenTrade's four service images (scripts/build-images.sh, Jib's
# from.image tar://...) on this machine, with no Docker daemon and no registry: nothing is pulled.
#
#   scripts/build-base-image.sh [output.tar]    # default: target/base-image/opentrade-base.tar
#
# What the image holds (one layer):
#   /opt/java                      a Java 17 runtime made by jlink from this machine's JDK (the modules
#                                  the services use, see MODULES); no compiler, no AWT/X11, sound or
#                                  font libraries (the services run headless). No CDS archive: Java 17
#                                  writes it differently each time, and it saves only about 0.1 s of a
#                                  start
#   /lib/..., /lib64/...           the shared libraries that runtime links against (libstdc++, libgcc_s,
#                                  zlib), glibc's runtime libraries (native code in the services'
#                                  jars, QuestDB's and Netty's, links against librt, libdl, libpthread
#                                  and the like), and the C.UTF-8 locale (LANG=C.UTF-8: UTF-8 default
#                                  charset), copied from this machine's Debian packages with their
#                                  copyright files (/usr/share/doc/<package>/copyright) and their
#                                  dpkg records (/var/lib/dpkg/status.d/<package>, the layout image
#                                  scanners read), so what the image carries can be audited and patched
#   /etc/passwd, group, nsswitch   root and the user the services run as, opentrade (10001:10001);
#                                  host names resolve from /etc/hosts, then DNS
#   /var/lib/opentrade             the services' working directory and data, owned by opentrade (a named
#                                  volume mounted there starts with that owner)
#   /tmp                           mode 1777 (Vert.x's file cache, JVM temp files)
#   /opt/opentrade/probe           HttpProbe (deploy/image/HttpProbe.java): the health check, because the
#                                  image has no shell, curl or wget
# Why this and not a distribution's Java image: no registry is reachable when building here, and a
# runtime with only the libraries it links against has little else to patch. It runs where this
# machine's glibc runs (Linux, this CPU architecture); the libraries are those of the Debian release
# this script runs on (a package update here makes the next build rebuild the base image).
#
# The output is a docker-archive ("docker save" layout: manifest.json, <config digest>.json,
# <diff id>/layer.tar), the format Jib reads from a tar:// base image. It is reproducible: the same
# JDK, packages and sources give the same bytes (fixed times, owners and order), so the same image
# digest on every machine with them. Rebuilt only when it is older than this script,
# HttpProbe.java, the JDK or this machine's package database (an update of libc6 and the others).
#
# Environment (optional):
#   OPENTRADE_BASE_JDK   the JDK to jlink from (default: Debian's /usr/lib/jvm/java-17-openjdk-<arch>, else
#                        the one javac belongs to); it must be a Java 17 JDK with jmods
#   SOURCE_DATE_EPOCH    the time stamped on files and the image (default 0, 1970-01-01)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$root/target/base-image/opentrade-base.tar}"
EPOCH="${SOURCE_DATE_EPOCH:-0}"
IMAGE_NAME=opentrade/base-java17
SERVICE_UID=10001
PROBE_SRC="$root/deploy/image/HttpProbe.java"

# The services' modules as jdeps reports them for the four shaded jars (java.desktop only for
# java.beans, java.compiler and java.scripting for annotation and script APIs some libraries
# reference), plus what is loaded as a service and jdeps cannot see: jdk.crypto.ec (EC keys: the
# gateways' ES256 sessions, TLS), jdk.charsets, jdk.naming.dns, jdk.zipfs, and the diagnostics
# tools' counterparts (jdk.management.jfr, jdk.attach for jcmd from outside the container).
MODULES=java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,java.naming,java.net.http,java.scripting,java.security.jgss,java.security.sasl,java.sql,java.xml,jdk.attach,jdk.charsets,jdk.crypto.ec,jdk.jfr,jdk.management,jdk.management.jfr,jdk.naming.dns,jdk.net,jdk.unsupported,jdk.zipfs
# Native libraries of java.desktop that only a display, sound or font rendering loads; left out, so
# the image needs no X11, ALSA, FreeType or image codec libraries. Headless AWT (libawt_headless)
# stays.
EXCLUDE='**/libawt_xawt.so,**/libjawt.so,**/libsplashscreen.so,**/libjsound.so,**/libfontmanager.so,**/libjavajpeg.so,**/liblcms.so'

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

for tool in ldd dpkg dpkg-query jq sha256sum tar; do
  command -v "$tool" >/dev/null || die "$tool is needed (a Debian machine; scripts/ensure-tools.sh installs jq)"
done

ARCH=$(dpkg --print-architecture)
jdk="${OPENTRADE_BASE_JDK:-}"
if [ -z "$jdk" ]; then
  if [ -x "/usr/lib/jvm/java-17-openjdk-$ARCH/bin/jlink" ]; then
    jdk="/usr/lib/jvm/java-17-openjdk-$ARCH"
  else
    jdk="$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"
  fi
fi
[ -x "$jdk/bin/jlink" ] || die "no jlink in $jdk (set OPENTRADE_BASE_JDK to a Java 17 JDK)"
[ -f "$jdk/jmods/java.base.jmod" ] || die "$jdk has no jmods (Debian: openjdk-17-jdk-headless ships them)"
java_version=$(sed -n 's/^JAVA_VERSION="\(.*\)"$/\1/p' "$jdk/release")
[ "${java_version%%.*}" = 17 ] || die "$jdk is Java '$java_version'; the images run Java 17 (set OPENTRADE_BASE_JDK)"

if [ -f "$OUT" ] && [ -z "$(find "${BASH_SOURCE[0]}" "$PROBE_SRC" "$jdk/release" /var/lib/dpkg/status -newer "$OUT" 2>/dev/null)" ]; then
  log "base image up to date: $OUT"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rootfs="$work/rootfs"
mkdir -p "$rootfs"

log "jlink: Java $java_version runtime from $jdk"
"$jdk/bin/jlink" --add-modules "$MODULES" --exclude-files "$EXCLUDE" --strip-debug --no-man-pages \
  --no-header-files --output "$rootfs/opt/java" >&2

# Every ELF file of the runtime, and the libraries outside it that they link against (ldd, which asks
# this machine's dynamic loader). A library inside the runtime (libjvm.so) is found at run time through
# the runtime's own RUNPATH, so ldd's "not found" for those is expected; any other is an error.
is_elf() { [ "$(head -c 4 "$1" | od -An -tx1 | tr -d ' \n')" = 7f454c46 ]; }
declare -A libs=()
while IFS= read -r -d '' f; do
  is_elf "$f" || continue
  while read -r line; do
    case $line in
      *"=> not found"*)
        name=${line%% *}
        [ -n "$(find "$rootfs/opt/java" -name "$name" -print -quit)" ] || die "$f needs $name, which this machine lacks" ;;
      *"=> /"*)
        p=${line#*=> }; p=${p%% (*}
        case $p in "$rootfs"/*) ;; *) libs[$p]=1 ;; esac ;;
      /*) p=${line%% (*}; libs[$p]=1 ;;
    esac
  done < <(ldd "$f" 2>/dev/null || true)
done < <(find "$rootfs/opt/java" -type f -print0)
[ ${#libs[@]} -gt 0 ] || die "ldd found no libraries (is this a glibc system?)"
# All of glibc's runtime libraries, not only those the JVM links against: native libraries inside the
# services' dependency jars (QuestDB's, Netty's epoll transport) link against librt, libdl,
# libpthread and the like. Left out: glibc's debugging and profiling helpers and its iconv modules.
libc_path=$(printf '%s\n' "${!libs[@]}" | grep '/libc\.so\.6$' | head -n 1)
[ -n "$libc_path" ] || die "the runtime links against no libc.so.6 (is this a glibc system?)"
libc_pkg=$(dpkg -S "$libc_path" 2>/dev/null || dpkg -S "$(readlink -f "$libc_path")")
libc_pkg=${libc_pkg%%:*}
while IFS= read -r p; do
  libs[$p]=1
done < <(dpkg -L "$libc_pkg" | grep -E '/lib[^/]*\.so(\.[0-9]+)*$' | grep -v -E '/gconv/|libc_malloc_debug|libmemusage|libpcprofile|libthread_db')

declare -A packages=()
for p in "${!libs[@]}"; do
  install -D -m 0644 "$(readlink -f "$p")" "$rootfs$p"
  case $p in */ld-linux*) chmod 0755 "$rootfs$p" ;; esac
  pkg=$(dpkg -S "$p" 2>/dev/null || dpkg -S "$(readlink -f "$p")" 2>/dev/null || true)
  pkg=${pkg%%:*}
  [ -n "$pkg" ] || die "no Debian package owns $p"
  packages[$pkg]=1
done
# The C.UTF-8 locale (glibc does not build it in): with LANG=C.UTF-8 the JVM's default charset and
# file-name encoding are UTF-8 instead of ASCII.
[ -d /usr/lib/locale/C.utf8 ] || die "no /usr/lib/locale/C.utf8 on this machine (Debian's libc-bin ships it)"
mkdir -p "$rootfs/usr/lib/locale"
cp -R /usr/lib/locale/C.utf8 "$rootfs/usr/lib/locale/"
pkg=$(dpkg -S /usr/lib/locale/C.utf8 2>/dev/null || true)
packages[${pkg%%:*}]=1
mkdir -p "$rootfs/var/lib/dpkg/status.d"
for pkg in "${!packages[@]}"; do
  dpkg-query -s "$pkg" >"$rootfs/var/lib/dpkg/status.d/$pkg"
  if [ -f "/usr/share/doc/$pkg/copyright" ]; then
    install -D -m 0644 "/usr/share/doc/$pkg/copyright" "$rootfs/usr/share/doc/$pkg/copyright"
  fi
done
log "libraries: $(printf '%s\n' "${!libs[@]}" | sort | tr '\n' ' ')"
log "from packages: $(for p in "${!packages[@]}"; do dpkg-query -W -f='${Package}=${Version} ' "$p"; done)"

mkdir -p "$rootfs/etc" "$rootfs/tmp" "$rootfs/var/lib/opentrade" "$rootfs/opt/opentrade/probe"
chmod 1777 "$rootfs/tmp"
chmod 0755 "$rootfs/var/lib/opentrade"
cat >"$rootfs/etc/passwd" <<EOF
root:x:0:0:root:/root:/sbin/nologin
opentrade:x:$SERVICE_UID:$SERVICE_UID:OpenTrade service:/var/lib/opentrade:/sbin/nologin
EOF
cat >"$rootfs/etc/group" <<EOF
root:x:0:
opentrade:x:$SERVICE_UID:
EOF
printf 'passwd: files\ngroup: files\nhosts: files dns\n' >"$rootfs/etc/nsswitch.conf"
chmod 0644 "$rootfs/etc/passwd" "$rootfs/etc/group" "$rootfs/etc/nsswitch.conf"
"$jdk/bin/javac" --release 17 -d "$rootfs/opt/opentrade/probe" "$PROBE_SRC"

# Quick check before packaging, when this runs as root and may make a mount namespace: in a chroot
# of the image's file tree (its loader, libraries and paths, /proc mounted as a container has it), the
# runtime starts with UTF-8 as its encoding and the health check runs (and reports a closed port).
# Otherwise the runtime is started with this machine's loader, which proves it complete.
check_in_chroot() {
  mkdir "$rootfs/proc"
  local out rc=0
  out=$(unshare --mount --fork sh -c 'mount -t proc proc "$1/proc" && exec env -i LANG=C.UTF-8 "$2" "$1" \
      /opt/java/bin/java -XshowSettings:properties -version 2>&1' sh "$rootfs" "$(command -v chroot)") || rc=$?
  if [ $rc -ne 0 ]; then
    rmdir "$rootfs/proc"
    die "the runtime does not start in the image's file tree: $out"
  fi
  grep -q 'file.encoding = UTF-8' <<<"$out" || { rmdir "$rootfs/proc"; die "the runtime's encoding is not UTF-8 with LANG=C.UTF-8"; }
  rc=0
  out=$(unshare --mount --fork sh -c 'mount -t proc proc "$1/proc" && exec chroot "$1" /opt/java/bin/java \
      -cp /opt/opentrade/probe HttpProbe http://127.0.0.1:1/ready 2>&1' sh "$rootfs") || rc=$?
  rmdir "$rootfs/proc"
  [ $rc -eq 1 ] && grep -q unreachable <<<"$out" || die "HttpProbe does not run in the image's file tree (exit $rc): $out"
  find "$rootfs/tmp" -mindepth 1 -delete # the JVMs' perf data files
  log "checked in a chroot: the runtime starts (UTF-8) and HttpProbe runs"
}
if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null && command -v chroot >/dev/null \
    && unshare --mount --fork true 2>/dev/null; then
  check_in_chroot
else
  "$rootfs/opt/java/bin/java" -version 2>/dev/null || die "the runtime does not start"
  log "not root (or no mount namespace): checked the runtime with this machine's loader only"
fi

# The layer: a tar in name order with fixed times; everything owned by root except the data directory.
layer="$work/layer.tar"
(
  cd "$rootfs"
  tar --create --file "$layer" --format=gnu --sort=name --mtime="@$EPOCH" --owner=0 --group=0 --numeric-owner \
    --exclude=./var/lib/opentrade .
  tar --append --file "$layer" --format=gnu --mtime="@$EPOCH" --owner="$SERVICE_UID" --group="$SERVICE_UID" \
    --numeric-owner --no-recursion ./var/lib/opentrade
)
diff_id="sha256:$(sha256sum "$layer" | cut -d' ' -f1)"
created=$(date -u -d "@$EPOCH" +%Y-%m-%dT%H:%M:%SZ)
jdk_pkg=$(dpkg -S "$jdk/jmods/java.base.jmod" 2>/dev/null | cut -d: -f1 || true)
jdk_pkg_version=$( [ -n "$jdk_pkg" ] && dpkg-query -W -f='${Version}' "$jdk_pkg" || echo unknown)
config="$work/config.json"
jq -n --arg arch "$ARCH" --arg created "$created" --arg diff "$diff_id" --arg java "$java_version" \
  --arg jdkpkg "${jdk_pkg:-unknown}=$jdk_pkg_version" --arg modules "$MODULES" --arg uid "$SERVICE_UID" '{
    architecture: $arch, os: "linux", created: $created,
    config: {
      User: ($uid + ":" + $uid),
      Env: ["PATH=/opt/java/bin:/usr/bin:/bin", "JAVA_HOME=/opt/java", "LANG=C.UTF-8"],
      WorkingDir: "/var/lib/opentrade",
      Labels: {
        "org.opencontainers.image.title": "opentrade-base",
        "org.opencontainers.image.description": "Java runtime (jlink) and the glibc libraries it links against; base of the OpenTrade service images",
        "org.opentrade.java.version": $java,
        "org.opentrade.java.source": $jdkpkg,
        "org.opentrade.java.modules": $modules
      }
    },
    rootfs: {type: "layers", diff_ids: [$diff]},
    history: [{created: $created, created_by: "scripts/build-base-image.sh (jlink, libraries from ldd)"}]
  }' >"$config"
config_name="$(sha256sum "$config" | cut -d' ' -f1).json"
mv "$config" "$work/$config_name"
layer_dir="${diff_id#sha256:}"
mkdir "$work/$layer_dir"
mv "$layer" "$work/$layer_dir/layer.tar"
jq -n --arg config "$config_name" --arg tag "$IMAGE_NAME:$java_version" --arg layer "$layer_dir/layer.tar" \
  '[{Config: $config, RepoTags: [$tag], Layers: [$layer]}]' >"$work/manifest.json"
mkdir -p "$(dirname "$OUT")"
tar --create --file "$OUT.tmp" --format=gnu --mtime="@$EPOCH" --owner=0 --group=0 --numeric-owner \
  -C "$work" manifest.json "$config_name" "$layer_dir"
mv "$OUT.tmp" "$OUT"
log "base image $IMAGE_NAME:$java_version ($(du -h "$OUT" | cut -f1), layer $diff_id): $OUT"
