#!/usr/bin/env bash
# Builds the Pulumi CLI the engine test tier runs, from its Go modules, into a cache folder git ignores:
#   <cache>/v<version>/bin/pulumi                       go build of github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
#   <cache>/v<version>/bin/pulumi-language-nodejs       -> engine/bin (our Node.js language host)
#   <cache>/v<version>/bin/pulumi-analyzer-policy       -> engine/bin (starts a Node.js policy pack)
#   <cache>/v<version>/bin/pulumi-resource-pulumi-nodejs -> engine/bin (Pulumi's dynamic-provider host)
# The version is the one engine/pulumi-cli/go.mod requires. Idempotent: a cache whose `pulumi version` prints
# that version is reused. The cache is <repo>/.cache/pulumi-cli, or $PULUMI_CLI_CACHE.
# Prints the bin folder as its last stdout line; progress goes to stderr.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
module="$here/pulumi-cli"
version="$(sed -n 's#^require github.com/pulumi/pulumi/pkg/v3 \(v[0-9.]*\)$#\1#p' "$module/go.mod")"
if [ -z "$version" ]; then
  echo "engine/build-cli.sh: cannot read the pinned github.com/pulumi/pulumi/pkg/v3 version from $module/go.mod" >&2
  exit 1
fi
cache="${PULUMI_CLI_CACHE:-$repo/.cache/pulumi-cli}/$version"
bin="$cache/bin"

link_launchers() {
  for f in pulumi-language-nodejs pulumi-analyzer-policy pulumi-resource-pulumi-nodejs; do
    ln -sf "$here/bin/$f" "$bin/$f"
  done
}

if [ -x "$bin/pulumi" ] && [ "$("$bin/pulumi" version 2>/dev/null)" = "$version" ]; then
  link_launchers
  echo "engine: reusing the Pulumi CLI $version in $bin" >&2
  echo "$bin"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "engine/build-cli.sh: Go is not installed. The engine tier builds the Pulumi CLI $version from its Go" >&2
  echo "modules; install Go 1.26 or newer (go.mod says which) and make sure 'go' is on the PATH." >&2
  exit 1
fi

start=$(date +%s)
echo "engine: building the Pulumi CLI $version with $(go version | cut -d' ' -f3) (GOPROXY=$(go env GOPROXY))" >&2
mkdir -p "$bin"
log="$cache/build.log"
if ! (cd "$module" && go build -trimpath -buildvcs=false \
  -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$version" \
  -o "$bin/pulumi.partial" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi) >"$log" 2>&1; then
  tail -n 20 "$log" >&2
  if grep -qE "proxy|dial tcp|no such host|Forbidden|connection refused|i/o timeout" "$log"; then
    echo "engine/build-cli.sh: could not download Pulumi's Go modules: is the Go module proxy reachable" >&2
    echo "(go env GOPROXY = $(go env GOPROXY))? The full log is $log." >&2
  else
    echo "engine/build-cli.sh: building the Pulumi CLI $version failed; the full log is $log." >&2
  fi
  exit 1
fi
mv "$bin/pulumi.partial" "$bin/pulumi"
link_launchers
echo "engine: built the Pulumi CLI $version in $(($(date +%s) - start)) s into $bin" >&2
echo "$bin"
