#!/usr/bin/env bash
# Installs what the Spark proof needs (`make deps-spark`): Debian's default-jre-headless and PyPI's
# pyspark in a virtual environment, .venv-spark/ (git-ignored). Idempotent. SparkTests skip without it.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v java >/dev/null 2>&1; then
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 || { echo "quarry: need root or sudo to install default-jre-headless" >&2; exit 3; }
    sudo="sudo"
  fi
  echo "quarry: installing Debian's default-jre-headless" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends default-jre-headless >/dev/null
fi

if [[ ! -x .venv-spark/bin/python ]]; then
  python3 -m venv .venv-spark || { echo "quarry: python3 -m venv failed (apt-get install python3-venv)" >&2; exit 3; }
fi
if ! .venv-spark/bin/python -c "import pyspark" 2>/dev/null; then
  echo "quarry: installing pyspark into .venv-spark" >&2
  .venv-spark/bin/pip install -q pyspark
fi
echo "quarry: Spark ready: $(java -version 2>&1 | head -n 1); pyspark $(.venv-spark/bin/python -c 'import pyspark; print(pyspark.__version__)')"
