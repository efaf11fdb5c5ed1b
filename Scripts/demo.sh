#!/bin/sh
# demo.sh: runs the default plugins over the bundled sample corpus and shows where the reports are.
# Called by `make demo` as ./Scripts/demo.sh .build/release/quarry; run it from the repository root.
set -e
QUARRY=${1:-.build/release/quarry}
OUT=${QUARRY_DEMO_OUT:-quarry-out}

if [ ! -x "$QUARRY" ]; then
  echo "demo: $QUARRY not found; build it first with: make release" >&2
  exit 2
fi

echo "== quarry run Samples/ (the default plugins and html-report, with the samples' own gazetteer of made-up places)"
# The run exits 1 when a document failed; show the summary and go on so the reports are still printed.
"$QUARRY" run Samples --out "$OUT" --force --select 'default or html-report' \
  --allow-read Scripts/samples/lists \
  --set entities.lists=vessaria.tsv --set entities.aliases=aliases.tsv || true

echo
echo "== reports in $OUT/"
for f in brief.md entity-table.csv quote-index.md quote-index.csv entity-network.csv entity-network.graphml report/index.html results.jsonl run.json; do
  [ -f "$OUT/$f" ] && printf '  %-24s %s\n' "$f" "$(wc -c < "$OUT/$f" | tr -d ' ') bytes"
done

if [ -f "$OUT/brief.md" ]; then
  echo
  echo "== from $OUT/brief.md"
  sed -n '/^## Top entities/,/^## Timeline/p' "$OUT/brief.md" | head -24
fi

echo
echo "Next: open $OUT/brief.md, then try"
echo "  $QUARRY run Samples --select 'kwic' --set kwic.terms=strike,dams --out $OUT-kwic --force"
echo "  $QUARRY script Scripts/who-said-what.lua Samples    # quotations by one person (PERSON in the script)"
