#!/usr/bin/env bash
# Installs quarry: the binary, the standard plugins (with lib/, quarry.d.lua, .luarc.json), bash/zsh/fish
# completions and the man page, under $DESTDIR$PREFIX. Used by `make install`; usage: install.sh BINARY.
set -euo pipefail

binary=${1:?usage: install.sh BINARY (with PREFIX and DESTDIR in the environment)}
prefix=${PREFIX:-/usr/local}
root="${DESTDIR:-}${prefix}"
here=$(cd "$(dirname "$0")/.." && pwd)

install -d "$root/bin" "$root/share/quarry/plugins" "$root/share/man/man1" \
  "$root/share/bash-completion/completions" "$root/share/zsh/site-functions" "$root/share/fish/vendor_completions.d"
install -m 0755 "$binary" "$root/bin/quarry"

# The standard plugins: replaced as a whole, so a plugin removed upstream does not linger.
rm -rf "$root/share/quarry/plugins"
install -d "$root/share/quarry/plugins"
cp -R "$here/Plugins/." "$root/share/quarry/plugins/"
find "$root/share/quarry/plugins" -type d -exec chmod 0755 {} + -o -type f -exec chmod 0644 {} +

"$binary" --generate-completion-script bash >"$root/share/bash-completion/completions/quarry"
"$binary" --generate-completion-script zsh >"$root/share/zsh/site-functions/_quarry"
"$binary" --generate-completion-script fish >"$root/share/fish/vendor_completions.d/quarry.fish"
"$binary" manual >"$root/share/man/man1/quarry.1"

echo "quarry: installed into $root (binary, standard plugins, completions, man page)"
