#!/usr/bin/env bash
# Runs a docker-archive image tarball (as written by Jib's buildTar with format Docker, or by
# build-base-image.sh) without a container runtime: unpacks its layers in order into a scratch rootfs and runs
# the image's Entrypoint (+ ARGS, or its Cmd) there as the image's User, in the image's WorkingDir and Env,
# under chroot in private mount + PID namespaces (/proc, /dev and a tmpfs /tmp are mounted inside the
# namespace only, so they vanish with it). The network namespace is the host's. Needs root.
#
# Usage: run-image-chroot.sh [-e KEY=VALUE]... [-v HOST_DIR:CONTAINER_DIR]... [--probe CMD [--probe-timeout SECONDS]]
#                            IMAGE.tar [ARGS...]
#   -v bind-mounts a host directory (like a volume); it must be writable by the image's user to be written.
#   without --probe: runs in the foreground and exits with the container's status.
#   with --probe:    starts the container, runs CMD (on the host) every 2 s until it succeeds or the timeout
#                    (default 180 s) passes, then stops the container (SIGTERM, then SIGKILL after 30 s).
#                    Exit status 0 only if CMD succeeded.
# KEEP_ROOTFS=1 keeps the unpacked rootfs (path printed); by default it is removed at exit.
set -euo pipefail

EXTRA_ENV=() VOLUMES=() PROBE="" PROBE_TIMEOUT=180
while [ $# -gt 0 ]; do
  case "$1" in
    -e) EXTRA_ENV+=("$2"); shift 2 ;;
    -v) VOLUMES+=("$2"); shift 2 ;;
    --probe) PROBE="$2"; shift 2 ;;
    --probe-timeout) PROBE_TIMEOUT="$2"; shift 2 ;;
    *) break ;;
  esac
done
[ $# -ge 1 ] || { sed -n '2,17p' "$0" >&2; exit 2; }
IMAGE="$(realpath "$1")"; shift
[ "$(id -u)" -eq 0 ] || { echo "run as root (chroot, unshare)" >&2; exit 1; }

W="$(mktemp -d /tmp/callosum-run.XXXXXX)"
R="$W/rootfs"
APP_PID=""
cleanup() {
  if [ -n "$APP_PID" ] && kill -0 "$APP_PID" 2>/dev/null; then kill -KILL "$APP_PID" 2>/dev/null || true; fi
  if [ "${KEEP_ROOTFS:-0}" = 1 ]; then echo ">> rootfs kept at $R" >&2; else rm -rf "$W"; fi
}
trap cleanup EXIT

echo ">> unpacking $IMAGE" >&2
mkdir -p "$W/archive" "$R"
tar -xf "$IMAGE" -C "$W/archive"
# Layers in order (gzip or plain), applying whiteouts; then the run settings from the image config.
python3 - "$W/archive" "$R" "$W/run" "$@" <<'PY'
import json, os, shutil, subprocess, sys
arc, root, out, args = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
manifest = json.load(open(os.path.join(arc, "manifest.json")))[0]
for layer in manifest["Layers"]:
    names = subprocess.run(["tar", "--warning=no-unknown-keyword", "-tf", os.path.join(arc, layer)], check=True,
                           capture_output=True, text=True).stdout.splitlines()
    for n in names:
        d, b = os.path.split(os.path.normpath(n))
        if b == ".wh..wh..opq":
            p = os.path.join(root, d)
            if os.path.isdir(p):
                for c in os.listdir(p):
                    q = os.path.join(p, c)
                    shutil.rmtree(q) if os.path.isdir(q) and not os.path.islink(q) else os.remove(q)
        elif b.startswith(".wh."):
            q = os.path.join(root, d, b[4:])
            if os.path.lexists(q):
                shutil.rmtree(q) if os.path.isdir(q) and not os.path.islink(q) else os.remove(q)
    subprocess.run(["tar", "--warning=no-unknown-keyword", "-xpf", os.path.join(arc, layer), "--numeric-owner", "-C", root,
                    "--exclude=*/.wh.*", "--exclude=.wh.*"], check=True)
    print(f">> layer {layer}", file=sys.stderr)
cfg = json.load(open(os.path.join(arc, manifest["Config"]))).get("config", {})
cmd = (cfg.get("Entrypoint") or []) + (args or cfg.get("Cmd") or [])
user = cfg.get("User") or "0"
if ":" not in user:
    user += ":" + user
with open(out + ".env", "wb") as f:
    f.write(b"".join(e.encode() + b"\0" for e in cfg.get("Env") or []))
with open(out + ".cmd", "wb") as f:
    f.write(b"".join(c.encode() + b"\0" for c in cmd))
with open(out + ".meta", "w") as f:
    f.write(f"{user}\n{cfg.get('WorkingDir') or '/'}\n")
print(f">> user {user}, workdir {cfg.get('WorkingDir') or '/'}, command {cmd}", file=sys.stderr)
PY
# As a container runtime does: its own /etc/hosts and /etc/resolv.conf (the host's DNS settings).
printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' > "$R/etc/hosts"
cp /etc/resolv.conf "$R/etc/resolv.conf" 2>/dev/null || true
for e in "${EXTRA_ENV[@]}"; do printf '%s\0' "$e" >> "$W/run.env"; done
{ read -r USERSPEC; read -r WORKDIR; } < "$W/run.meta"
: > "$W/run.vol"
for v in "${VOLUMES[@]}"; do printf '%s\0%s\0' "$(realpath "${v%%:*}")" "${v#*:}" >> "$W/run.vol"; done

cat > "$W/inner.sh" <<'EOF'
#!/usr/bin/env bash
# Runs inside the new mount + PID namespaces (private propagation: nothing here reaches the host).
set -euo pipefail
R="$1" W="$2" USERSPEC="$3" WORKDIR="$4"
mount --rbind /dev "$R/dev"
mount -t tmpfs -o mode=1777 tmpfs "$R/tmp"
mapfile -d '' VOL < "$W/run.vol"
for ((i = 0; i < ${#VOL[@]}; i += 2)); do
  mkdir -p "$R${VOL[i+1]}"; mount --bind "${VOL[i]}" "$R${VOL[i+1]}"
done
mapfile -d '' ENVV < "$W/run.env"
mapfile -d '' CMD < "$W/run.cmd"
exec chroot --userspec="$USERSPEC" "$R" /usr/bin/env -i "${ENVV[@]}" \
  /bin/sh -c 'cd "$0" && exec "$@"' "$WORKDIR" "${CMD[@]}"
EOF
chmod +x "$W/inner.sh"
RUN=(unshare --mount --pid --fork --kill-child=SIGTERM --mount-proc="$R/proc" \
     "$W/inner.sh" "$R" "$W" "$USERSPEC" "$WORKDIR")

if [ -z "$PROBE" ]; then
  set +e; "${RUN[@]}"; rc=$?; set -e
  echo ">> exit status $rc" >&2
  exit "$rc"
fi

"${RUN[@]}" &
APP_PID=$!
ok=1
for ((t = 0; t < PROBE_TIMEOUT; t += 2)); do
  sleep 2
  kill -0 "$APP_PID" 2>/dev/null || { echo ">> container exited before the probe succeeded" >&2; break; }
  if out="$(sh -c "$PROBE" 2>&1)"; then
    echo ">> probe succeeded after ${t}s: $out" >&2; ok=0; break
  fi
done
[ "$ok" = 0 ] || echo ">> probe failed: ${out:-}" >&2
# The container's PID 1 is unshare's only child; when it exits, the kernel kills the rest of the namespace.
INIT_PID="$(ps -o pid= --ppid "$APP_PID" | tr -d ' ' | head -n1)"
[ -n "$INIT_PID" ] && kill -TERM "$INIT_PID" 2>/dev/null || true
for _ in $(seq 30); do kill -0 "$APP_PID" 2>/dev/null || break; sleep 1; done
[ -n "$INIT_PID" ] && kill -KILL "$INIT_PID" 2>/dev/null || true
wait "$APP_PID" 2>/dev/null || true
echo ">> container stopped" >&2
exit "$ok"
