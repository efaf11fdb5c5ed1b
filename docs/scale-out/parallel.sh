#!/usr/bin/env bash
# A Quarry run as N shards with GNU parallel (one machine, or several with --sshlogin and a shared
# PROJECT folder), then the merge: parallel.sh PROJECT CORPUS N
set -euo pipefail
project=$1 corpus=$2 n=$3
cd "$project"
locked=()
[[ -f quarry.lock ]] && locked=(--locked)
# Exit status 1 means the shard finished with failed documents: keep going, merge checks completeness.
seq 0 $((n - 1)) | parallel --halt now,fail=1 \
  "quarry run '$corpus' ${locked[*]} --shard {}/$n --out shards/{} --jobs 1 --quiet --resume || [ \$? -eq 1 ]"
quarry merge shards/* --out merged --force --quiet || [ $? -eq 1 ]
