#!/usr/bin/env bash
# make eval: runs the default plugins over the stories of the development golds (Tests/Gold/) and prints
# `quarry score`'s figures for quotations (direct and indirect, spans and speakers), entities (spans,
# types and canonical names) and dates (spans and calendar values); then scores HTML main-content extraction on the pages of ../shared/html-dev/
# (`quarry score --pages`: word 4-grams against Readability's output, means over pages, the worst pages;
# floors named `html-main`). Exits 1 when a figure is below its floor in Tests/Gold/floors.txt (the
# figures reached so far: a drop is a regression), 0 otherwise; skips (exit 0, says so) without the corpus.
#
#   Scripts/eval.sh [QUARRY]        QUARRY defaults to .build/release/quarry
#   QUARRY_CORPUS=path/to/reuters21578.jsonl   the corpus (default ../shared/corpus/reuters21578.jsonl)
#   EVAL_JSON=1                     print every figure as JSON (one report per line) instead of tables
#   EVAL_PLUGINS=DIR                the plugin folder (default Plugins)
#   QUARRY_HTML_DEV=path/to/pages   the HTML pages (default ../shared/html-dev/pages); skipped when absent
set -euo pipefail
cd "$(dirname "$0")/.."
QUARRY=${1:-.build/release/quarry}
CORPUS=${QUARRY_CORPUS:-../shared/corpus/reuters21578.jsonl}
PAGES=${QUARRY_HTML_DEV:-../shared/html-dev/pages}
GOLD=Tests/Gold/reuters-dev.jsonl
FLOORS=Tests/Gold/floors.txt
PLUGINS=${EVAL_PLUGINS:-Plugins}

[ -x "$QUARRY" ] || { echo "eval: no quarry binary at $QUARRY" >&2; exit 3; }

# Floors: lines `NAME SPEC VALUE` (SPEC as quarry score's --min takes it), comments with #.
floors_for() {
  [ -f "$FLOORS" ] || return 0
  awk -v name="$1" '$1 == name { printf " --min %s=%s", $2, $3 }' "$FLOORS"
}

# HTML main content: each page folder's source.html extracted, against its expected.html.
html_status=0
if [ -d "$PAGES" ]; then
  echo "== html-main (quarry score --pages $PAGES)"
  # shellcheck disable=SC2046
  if [ -n "${EVAL_JSON:-}" ]; then
    "$QUARRY" score --pages "$PAGES" $(floors_for html-main) --json || html_status=$?
  else
    "$QUARRY" score --pages "$PAGES" $(floors_for html-main) --show 12 || html_status=$?
  fi
  echo
else
  echo "eval: html-main skipped: no pages at $PAGES (set QUARRY_HTML_DEV)"
fi

if [ ! -f "$CORPUS" ]; then
  echo "eval: skipped: no corpus at $CORPUS (set QUARRY_CORPUS)"
  exit "$html_status"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The golds' stories, taken from the corpus into a temporary file (the corpus text never enters the repo).
DATES_GOLD=Tests/Gold/reuters-dates-dev.jsonl
cat "$GOLD" "$DATES_GOLD" | grep -o '"id": "[^"]*"' | sed 's/"id": //' | sort -u > "$work/ids"
grep -F -f <(sed 's/^/{"id": /; s/$/,/' "$work/ids") "$CORPUS" > "$work/stories.jsonl" || true
found=$(wc -l < "$work/stories.jsonl")
wanted=$(wc -l < "$work/ids")
if [ "$found" -ne "$wanted" ]; then
  echo "eval: the corpus has $found of the gold's $wanted stories: is $CORPUS the Reuters-21578 file?" >&2
  exit 3
fi

"$QUARRY" run "$work/stories.jsonl" --plugins "$PLUGINS" --id-field id --out "$work/run" --force --quiet --jobs 2 || {
  echo "eval: quarry run failed; its errors:" >&2
  head -5 "$work/run/errors.jsonl" >&2 2>/dev/null || true
  exit 3
}

# One scoring per line: a name, the gold file (empty: $GOLD), then quarry score's options. Floors name
# these lines (NAME.TYPE.FIGURE). The dates gold has stories of its own; dates match by overlap, as the
# plugin's spans keep a leading preposition ("in 1986") that the gold leaves out (Tests/Gold/GUIDELINES.md).
scorings=(
  "direct-quotes||--type QUOTE --where direct=true --match exact --feature speaker"
  "direct-quotes-overlap||--type QUOTE --where direct=true --match overlap --feature speaker"
  "indirect-speech||--type QUOTE --where direct=false --match overlap --feature speaker"
  "entities||--type PERSON --type ORGANIZATION --type LOCATION --match exact --feature canonical"
  "dates|$DATES_GOLD|--type DATE --match overlap --feature value"
)

status=$html_status
for entry in "${scorings[@]}"; do
  name=${entry%%|*}
  rest=${entry#*|}
  gold=${rest%%|*}
  options=${rest#*|}
  gold=${gold:-$GOLD}
  echo "== $name ($options)"
  # shellcheck disable=SC2086
  if [ -n "${EVAL_JSON:-}" ]; then
    "$QUARRY" score "$gold" "$work/run" $options $(floors_for "$name") --json || status=$?
  else
    "$QUARRY" score "$gold" "$work/run" $options $(floors_for "$name") --quiet || status=$?
  fi
  echo
done

if [ "$status" -eq 1 ]; then
  echo "eval: a figure is below its floor in $FLOORS (a regression)" >&2
elif [ "$status" -ne 0 ]; then
  echo "eval: quarry score failed (exit $status)" >&2
fi
exit "$status"
