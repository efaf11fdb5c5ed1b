#!/usr/bin/env bash
# Writes the encoding fixtures of ReadersTests: every "<text> <encoding>" line of the manifest becomes
# encoded/<text>.<encoding>.txt, the UTF-8 text source/<text>.txt converted with iconv (no transliteration:
# a character the encoding lacks is an error). Run it after editing a text or the manifest, then commit.
set -euo pipefail
dir="$(cd "$(dirname "$0")/.." && pwd)/Tests/ReadersTests/Fixtures/encodings"
rm -rf "$dir/encoded"
mkdir -p "$dir/encoded"
grep -v '^#' "$dir/manifest.txt" | while read -r text encoding; do
    [ -n "$text" ] || continue
    iconv -f UTF-8 -t "$encoding" "$dir/source/$text.txt" > "$dir/encoded/$text.$encoding.txt"
done
echo "wrote $(ls "$dir/encoded" | wc -l) files to $dir/encoded"
