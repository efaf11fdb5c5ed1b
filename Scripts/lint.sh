#!/usr/bin/env bash
# make lint: the formatter's rules (.swift-format) over every Swift file, and the layering rule that only
# LuaBridge and PluginHost/Marshal work the Lua stack (they alone import LuaShim, PluginShim or CLua).
# Exits non-zero, naming each file and line, when either fails. `make format` rewrites files to the rules.
set -uo pipefail
cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}
status=0

echo "lint: swift format (.swift-format) over Sources, Tests, Benchmarks, Package.swift"
if ! $SWIFT format lint --strict --recursive --parallel Sources Tests Benchmarks Package.swift; then
  echo "lint: run 'make format' to apply the formatter" >&2
  status=1
fi

echo "lint: the Lua stack is worked only in LuaBridge and PluginHost/Marshal"
offenders=$(grep -rnE '^import (LuaShim|PluginShim|CLua)$' Sources --include='*.swift' \
  | grep -vE '^Sources/(LuaBridge|PluginHost/Marshal)/' || true)
if [ -n "$offenders" ]; then
  echo "$offenders" | sed 's/$/: only LuaBridge and PluginHost\/Marshal may import the Lua C modules/' >&2
  status=1
fi

[ $status -eq 0 ] && echo "lint: clean"
exit $status
