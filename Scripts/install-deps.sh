#!/usr/bin/env bash
# Installs the Debian packages Quarry needs to build, test and benchmark, when they are missing.
# Idempotent; works as root or through sudo. Used by `make deps` (and so by `make test`/`make demo`).
set -euo pipefail

packages=(
  pkg-config
  liblua5.4-dev   # the embedded Lua (C build)
  lua5.4          # the standalone interpreter, the benchmarks' baseline
  libpcre2-dev    # Unicode regular expressions (doc:find)
  libedit-dev     # line editing and history in `quarry repl`
  libxml2-dev     # Readers: the tolerant HTML parser, DOCX XML
  libcmark-gfm-dev              # Readers: Markdown (CommonMark + GitHub extensions)
  libcmark-gfm-extensions-dev
  libuchardet-dev # Readers: guessing the encoding of non-UTF-8 text
  libssl-dev      # Readers: SHA-256 content hashes (libcrypto, with the CPU's SHA instructions)
  libjemalloc-dev # the allocator of the quarry binary (many small allocations per document, many threads)
  poppler-utils   # Readers: pdftotext and pdfinfo for PDF
  git             # `quarry plugins install` from git sources (and the tests that make repositories)
  zip             # the tests that make .zip plugin packages
  chromium        # the html-report browser tests (headless: --dump-dom, --screenshot)
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

sudo=""
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo="sudo"
  else
    echo "quarry: need root or sudo to install: ${missing[*]}" >&2
    exit 3
  fi
fi

echo "quarry: installing Debian packages: ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
