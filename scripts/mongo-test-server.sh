#!/usr/bin/env bash
# Provisions the MongoDB-wire server used by the tests: FerretDB v1.24.2 (SQLite backend), built
# from the Go module proxy through our launcher in scripts/ferretdb and cached between runs. The
# module is built with the patches in scripts/ferretdb/*.patch applied (each explains itself).
#
#   scripts/mongo-test-server.sh build                 build (or reuse) the binary; prints its path
#   scripts/mongo-test-server.sh start <port> <dir>    start it on 127.0.0.1:<port> with data in <dir>,
#                                                      wait until it answers; prints the connection URL
#
# With MONGO_URL set, `start` does nothing and prints MONGO_URL (a real MongoDB is used instead).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="$here/ferretdb"
cache="${IEXEC_CORE_TS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/iexec-core-ts}"
hash="$(cat "$src/go.mod" "$src/go.sum" "$src/main.go" "$src"/*.patch | sha256sum | cut -c1-12)"
bin="$cache/ferretdb-launcher-$hash"

build() {
  if [ -x "$bin" ]; then echo "$bin"; return; fi
  command -v go >/dev/null || { echo "go is required to build FerretDB (or set MONGO_URL)" >&2; exit 1; }
  mkdir -p "$cache"
  echo "building FerretDB v1.24.2 launcher (first run only, takes a few minutes)..." >&2
  local work
  work="$(mktemp -d)"
  trap "rm -rf '$work'" EXIT # also when a step fails
  # The module comes from the proxy (checked against go.sum), is copied, patched and built in
  # place of the original through a replace directive.
  local module
  module="$(cd "$src" && GOFLAGS=-mod=mod go mod download -json github.com/FerretDB/FerretDB | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')"
  [ -d "$module" ] || { echo "FerretDB module not found in the Go module cache" >&2; exit 1; }
  cp -r "$module" "$work/ferretdb" && chmod -R u+w "$work/ferretdb"
  for patch in "$src"/*.patch; do (cd "$work/ferretdb" && git apply "$patch") >&2; done
  mkdir "$work/launcher" && cp "$src/go.mod" "$src/go.sum" "$src/main.go" "$work/launcher/"
  (cd "$work/launcher" && go mod edit -replace github.com/FerretDB/FerretDB=../ferretdb \
    && CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -o "$bin.tmp" .) >&2
  mv "$bin.tmp" "$bin"
  echo "$bin"
}

start() {
  local port="$1" dir="$2"
  if [ -n "${MONGO_URL:-}" ]; then echo "$MONGO_URL"; return; fi
  build >/dev/null
  mkdir -p "$dir"
  nohup "$bin" --listen-addr="127.0.0.1:$port" --sqlite-url="file:$dir/?_pragma=synchronous(normal)" --log-level=warn >"$dir/ferretdb.log" 2>&1 &
  echo $! >"$dir/ferretdb.pid"
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "mongodb://127.0.0.1:$port/iexec?directConnection=true"
      return
    fi
    sleep 0.1
  done
  echo "FerretDB did not start; see $dir/ferretdb.log" >&2
  cat "$dir/ferretdb.log" >&2
  exit 1
}

case "${1:-}" in
  build) build ;;
  start) start "${2:?port}" "${3:?data dir}" ;;
  *) echo "usage: $0 build | start <port> <dir>" >&2; exit 2 ;;
esac
