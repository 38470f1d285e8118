#!/usr/bin/env bash
# Builds the Callosum base image (Debian bookworm minbase + headless OpenJDK 17 JRE, user 185) from Debian
# packages alone, and writes it as a docker-archive tarball that Jib accepts as a base image
# (-Djib.from.image=tar:///abs/path/callosum-base.tar). No container registry and no Docker daemon are used.
#
# Usage (as root; needs debootstrap, tar, sha256sum, python3):
#   ops/images/build-base-image.sh [OUTPUT_TAR]        # default: target/images/callosum-base.tar
# Environment:
#   DEBIAN_MIRROR   Debian mirror URL; default: the first bookworm "deb" source in this machine's apt config.
#   SECURITY_MIRROR debian-security URL for updates; default: read from apt config; "none" skips the upgrade.
#   WORK_DIR        scratch directory for the rootfs (default: a fresh mktemp -d under /tmp, removed at exit).
#   BASE_TAG        RepoTag written into manifest.json (default: callosum-base:bookworm-jre17).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT_TAR="$(realpath -m "${1:-$REPO_ROOT/target/images/callosum-base.tar}")"
BASE_TAG="${BASE_TAG:-callosum-base:bookworm-jre17}"
SUITE=bookworm
APP_UID=185

[ "$(id -u)" -eq 0 ] || { echo "run as root (debootstrap and chroot need it)" >&2; exit 1; }
command -v debootstrap >/dev/null || { echo "debootstrap missing: apt-get install -y debootstrap" >&2; exit 1; }

# Mirror URLs from this machine's apt configuration (deb822 *.sources and one-line *.list).
apt_uri() { # $1: regex that the URI must match, $2: regex that it must not match
  {
    for f in /etc/apt/sources.list.d/*.sources; do
      [ -f "$f" ] && awk '/^Types:/{t=$0} /^URIs:/{print t "|" $2} /^$/{t=""}' "$f"
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
      [ -f "$f" ] && awk '$1=="deb"{for(i=2;i<=NF;i++) if($i ~ /^[a-z]+:\/\//){print "Types: deb|" $i; break}}' "$f"
    done
  } | grep '^Types:.*\bdeb\b' | cut -d'|' -f2 | grep -E "$1" | grep -vE "$2" | head -n1
}
MIRROR="${DEBIAN_MIRROR:-$(apt_uri '/debian/?$' 'security' || true)}"
[ -n "$MIRROR" ] || { echo "no Debian mirror found in apt config; set DEBIAN_MIRROR" >&2; exit 1; }
SEC_MIRROR="${SECURITY_MIRROR:-$(apt_uri 'security' '^$' || true)}"

CREATED_WORK=0
if [ -z "${WORK_DIR:-}" ]; then WORK_DIR="$(mktemp -d /tmp/callosum-base.XXXXXX)"; CREATED_WORK=1; fi
ROOTFS="$WORK_DIR/rootfs"
IMG="$WORK_DIR/image"
cleanup() {
  for m in "$ROOTFS/proc" "$ROOTFS/dev"; do mountpoint -q "$m" 2>/dev/null && umount -l "$m"; done
  [ "$CREATED_WORK" -eq 1 ] && rm -rf "$WORK_DIR"
  return 0
}
trap cleanup EXIT

echo ">> debootstrap $SUITE (minbase + openjdk-17-jre-headless) into $ROOTFS"
debootstrap --variant=minbase --include=openjdk-17-jre-headless,ca-certificates \
  "$SUITE" "$ROOTFS" "$MIRROR"

if [ -n "$SEC_MIRROR" ] && [ "$SEC_MIRROR" != none ]; then
  echo ">> applying $SUITE-updates and $SUITE-security updates"
  cat > "$ROOTFS/etc/apt/sources.list" <<EOF
deb $MIRROR $SUITE main
deb $MIRROR $SUITE-updates main
deb $SEC_MIRROR $SUITE-security main
EOF
  cp /etc/resolv.conf "$ROOTFS/etc/resolv.conf" 2>/dev/null || true
  mount -t proc proc "$ROOTFS/proc"
  chroot "$ROOTFS" /usr/bin/env DEBIAN_FRONTEND=noninteractive sh -c 'apt-get update -q && apt-get -y -q upgrade'
  umount "$ROOTFS/proc"
fi

echo ">> user $APP_UID, trimming"
chroot "$ROOTFS" groupadd -g "$APP_UID" callosum
# Home (user.home: the default data dirs) is writable by 185; /deployments (the app, root-owned) is not.
chroot "$ROOTFS" useradd -u "$APP_UID" -g "$APP_UID" -d /home/callosum -m -s /usr/sbin/nologin callosum
mkdir -p "$ROOTFS/deployments"
chmod 1777 "$ROOTFS/tmp"
chroot "$ROOTFS" apt-get clean
rm -rf "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/var/cache/apt/* "$ROOTFS"/var/cache/debconf/*-old \
  "$ROOTFS"/var/log/* "$ROOTFS"/usr/share/doc/* "$ROOTFS"/usr/share/man/* "$ROOTFS"/usr/share/info/* \
  "$ROOTFS"/usr/share/locale/* "$ROOTFS"/usr/share/lintian "$ROOTFS"/var/lib/dpkg/*-old \
  "$ROOTFS"/tmp/* "$ROOTFS"/root/.cache "$ROOTFS"/etc/machine-id "$ROOTFS"/etc/hostname
# The container runtime provides both; these are fallbacks (localhost must resolve: embedded PostgreSQL).
install -m 644 /dev/null "$ROOTFS/etc/resolv.conf"
printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' > "$ROOTFS/etc/hosts"
# Image has no apt sources pointing at this machine's mirror: installing into it is not a use case.
: > "$ROOTFS/etc/apt/sources.list"
rm -rf "$ROOTFS"/dev/* "$ROOTFS"/proc/* "$ROOTFS"/sys/*   # the runtime mounts these

JAVA_HOME_DIR="$(dirname "$(dirname "$(chroot "$ROOTFS" readlink -f /usr/bin/java)")")"
# The JVM finds libjli.so through $ORIGIN, which the loader resolves via /proc/self/exe: mount /proc to test.
mount -t proc proc "$ROOTFS/proc"
chroot "$ROOTFS" /usr/bin/java -version
umount "$ROOTFS/proc"

echo ">> writing docker-archive tarball"
mkdir -p "$IMG"
# Reproducible layer: sorted names, numeric owners, fixed mtime.
EPOCH="${SOURCE_DATE_EPOCH:-$(date -d '2024-01-01T00:00:00Z' +%s)}"
tar --sort=name --numeric-owner --mtime="@$EPOCH" --clamp-mtime -C "$ROOTFS" -cf "$IMG/layer.tar" .
DIFF_ID="sha256:$(sha256sum "$IMG/layer.tar" | cut -d' ' -f1)"
python3 - "$IMG" "$DIFF_ID" "$BASE_TAG" "$JAVA_HOME_DIR" "$EPOCH" <<'PY'
import hashlib, json, os, sys, datetime
img, diff_id, tag, java_home, epoch = sys.argv[1:]
created = datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
config = {
    "architecture": "amd64", "os": "linux", "created": created,
    "config": {
        "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "JAVA_HOME=" + java_home, "LANG=C.UTF-8"],
        "User": "185", "WorkingDir": "/deployments",
    },
    "rootfs": {"type": "layers", "diff_ids": [diff_id]},
    "history": [{"created": created, "created_by": "ops/images/build-base-image.sh (debootstrap minbase + openjdk-17-jre-headless)"}],
}
data = json.dumps(config, separators=(",", ":"), sort_keys=True).encode()
name = hashlib.sha256(data).hexdigest() + ".json"
with open(os.path.join(img, name), "wb") as f:
    f.write(data)
with open(os.path.join(img, "manifest.json"), "w") as f:
    json.dump([{"Config": name, "RepoTags": [tag], "Layers": ["layer.tar"]}], f)
PY
mkdir -p "$(dirname "$OUT_TAR")"
(cd "$IMG" && tar --sort=name --numeric-owner --mtime="@$EPOCH" -cf "$OUT_TAR.tmp" manifest.json "$(ls | grep -v "^manifest.json$" | grep "\.json$")" layer.tar)
mv "$OUT_TAR.tmp" "$OUT_TAR"
echo ">> wrote $OUT_TAR ($(du -h "$OUT_TAR" | cut -f1), layer $DIFF_ID)"
