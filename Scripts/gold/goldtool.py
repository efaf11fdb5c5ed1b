#!/usr/bin/env python3
"""The development gold's working tool: resolves hand-written annotation items into offsets.

The working files (ann/<id>.json) quote the stories they annotate, and the stories are research-only:
they stay outside the repository, in $GOLD_WORK (default: the folder of this script's caller,
./gold-work). Only the built file, Tests/Gold/reuters-dev.jsonl (ids, SHA-256 and offsets), is
committed. Guidelines: Tests/Gold/GUIDELINES.md.

Annotation working files: ann/<id>.json, a JSON list of items. Each item is one of

  entity mentions (PERSON, ORGANIZATION, LOCATION):
    {"t": "PERSON", "s": "James Baker", "canonical": "James Baker"}
        -> every whole-word occurrence of "James Baker" in the story
    {"t": "PERSON", "s": "Baker", "canonical": "James Baker", "occ": [2, 3]}
        -> only the 2nd and 3rd whole-word occurrence (1-based, counted over the whole story text)
    Optional "role": "Treasury Secretary" (a title/role the text gives; not part of the span).
    Entity spans never overlap: when two entity items cover overlapping text, the longer wins
    (so "Baker" inside an annotated "James Baker" is dropped automatically).

  quotations (direct and indirect speech):
    {"t": "QUOTE", "from": "We will not", "to": "the dollar,", "occ": 1,
     "direct": true, "speaker": "James Baker", "speaker_type": "PERSON"}
        -> the span starts at the `occ`-th occurrence of `from` (default 1) and ends at the end of the
           first occurrence of `to` at or after that point.
    Split quotations: "parts": [["from1", "to1"], ["from2", "to2"]] instead of from/to
        -> one QUOTE from the start of part 1 to the end of the last part, features.parts = the offsets.
    "speaker": null when the text does not say who is speaking.
    Optional "role": e.g. "spokesman" (speaker is then the organisation for "a spokesman for X").

  dates and times (DATE), with the calendar value a careful reader gives them (null when none):
    {"t": "DATE", "s": "March 3", "value": "1987-03-03"}
    {"t": "DATE", "s": "last week", "value": "1987-02-23/1987-03-01", "occ": [2]}
        -> whole-word occurrences as for entities; value: YYYY-MM-DD, a range A/B, YYYY, or null.

Commands:
  goldtool.py show ID            the story text with code-point offsets at each line start
  goldtool.py check ID           resolve ID's annotations, print each with its text (review this!)
  goldtool.py build OUT.jsonl    resolve every ann/*.json and write the gold file (offsets only)
"""
import hashlib, json, os, re, sys, unicodedata

HERE = os.environ.get("GOLD_WORK", os.path.abspath("gold-work"))
CORPUS = os.environ.get("QUARRY_CORPUS", os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "corpus",
                                                      "reuters21578.jsonl"))
TICKER = re.compile(r"^[A-Z0-9.]{1,9}$")
ENTITY_TYPES = {"PERSON", "ORGANIZATION", "LOCATION"}
_texts = None


def texts():
    global _texts
    if _texts is None:
        _texts = {}
        with open(CORPUS, encoding="utf-8") as f:
            for line in f:
                r = json.loads(line)
                t = unicodedata.normalize("NFC", r["text"].replace("\r\n", "\n").replace("\r", "\n"))
                _texts[r["id"]] = t
    return _texts


def occurrences(text, s, whole=True):
    out, i = [], 0
    while True:
        j = text.find(s, i)
        if j < 0:
            return out
        ok = True
        if whole:
            if j > 0 and (text[j - 1].isalnum()) and s[0].isalnum():
                ok = False
            k = j + len(s)
            if k < len(text) and text[k].isalnum() and s[-1].isalnum():
                ok = False
        if ok:
            out.append(j)
        i = j + 1


def picked(text, it, sid, where):
    """The starts of an item's whole-word occurrences of `s`, or of the ones its `occ` list picks (1-based)."""
    occ = occurrences(text, it["s"])
    if not occ:
        raise SystemExit(f"{sid}: {where}: {it['s']!r} not found")
    pick = it.get("occ")
    if pick:
        if max(pick) > len(occ):
            raise SystemExit(f"{sid}: {where}: {it['s']!r} has only {len(occ)} occurrences")
        occ = [occ[k - 1] for k in pick]
    return occ


def span_from_to(text, frm, to, occ, sid, where):
    starts = occurrences(text, frm, whole=False)
    if len(starts) < occ:
        raise SystemExit(f"{sid}: {where}: 'from' text {frm!r} occurs {len(starts)} times, occ={occ}")
    a = starts[occ - 1]
    b = text.find(to, a)
    if b < 0:
        raise SystemExit(f"{sid}: {where}: 'to' text {to!r} not found after {frm!r}")
    return a, b + len(to)


def resolve(sid):
    text = texts()[sid]
    items = json.load(open(os.path.join(HERE, "ann", sid + ".json"), encoding="utf-8"))
    ents, quotes = [], []
    for n, it in enumerate(items, 1):
        where = f"item {n}"
        t = it.get("t")
        if t in ENTITY_TYPES:
            occ = picked(text, it, sid, where)
            feats = {"canonical": it.get("canonical", it["s"])}
            if it.get("role"):
                feats["role"] = it["role"]
            for a in occ:
                ents.append((a, a + len(it["s"]), t, feats))
        elif t == "QUOTE":
            feats = {"direct": bool(it["direct"]), "speaker": it.get("speaker")}
            for key in ("speaker_type", "role"):
                if it.get(key):
                    feats[key] = it[key]
            if "parts" in it:
                occ = it.get("occ", 1)
                parts, pos = [], None
                for k, (frm, to) in enumerate(it["parts"]):
                    if pos is None:
                        a, b = span_from_to(text, frm, to, occ, sid, where)
                    else:
                        a = text.find(frm, pos)
                        if a < 0:
                            raise SystemExit(f"{sid}: {where}: part {k+1} {frm!r} not found")
                        b = text.find(to, a)
                        if b < 0:
                            raise SystemExit(f"{sid}: {where}: part {k+1} {to!r} not found")
                        b += len(to)
                    parts.append([a, b])
                    pos = b
                feats["parts"] = parts
                quotes.append((parts[0][0], parts[-1][1], "QUOTE", feats))
            else:
                a, b = span_from_to(text, it["from"], it["to"], it.get("occ", 1), sid, where)
                quotes.append((a, b, "QUOTE", feats))
        elif t == "DATE":
            for a in picked(text, it, sid, where):
                quotes.append((a, a + len(it["s"]), "DATE", {"value": it.get("value")}))
        else:
            raise SystemExit(f"{sid}: {where}: unknown type {t!r}")
    # stock symbols in angle brackets (<ABC>) are not entity mentions (one annotator marked them)
    ents = [e for e in ents if not (e[0] > 0 and text[e[0] - 1] == "<" and text[e[1]:e[1] + 1] == ">"
                                   and TICKER.match(text[e[0]:e[1]]))]
    # entity spans never overlap: longest first wins
    ents.sort(key=lambda e: (-(e[1] - e[0]), e[0]))
    kept = []
    for e in ents:
        if any(e[0] < k[1] and k[0] < e[1] for k in kept):
            continue
        kept.append(e)
    # duplicates between identical quote items
    out = sorted(kept + quotes, key=lambda e: (e[0], -(e[1] - e[0]), e[2]))
    qs = sorted(q for q in quotes if q[2] == "QUOTE")
    for x, y in zip(qs, qs[1:]):
        if y[0] < x[1]:
            raise SystemExit(f"{sid}: two QUOTEs overlap: {text[x[0]:x[1]]!r} / {text[y[0]:y[1]]!r}")
    return text, out


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return
    cmd = sys.argv[1]
    if cmd == "show":
        text = texts()[sys.argv[2]]
        pos = 0
        for line in text.split("\n"):
            print(f"{pos:6d}| {line}")
            pos += len(line) + 1
    elif cmd == "check":
        sid = sys.argv[2]
        text, anns = resolve(sid)
        for a, b, t, f in anns:
            print(f"{a:5d}-{b:<5d} {t:12s} {text[a:b]!r}  {json.dumps(f)}")
    elif cmd == "build":
        out = sys.argv[2]
        ids = sorted(f[:-5] for f in os.listdir(os.path.join(HERE, "ann")) if f.endswith(".json"))
        with open(out, "w", encoding="utf-8") as w:
            for sid in ids:
                text, anns = resolve(sid)
                rec = {"id": sid, "text_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
                       "annotations": [{"type": t, "start": a, "end": b, "features": f} for a, b, t, f in anns]}
                w.write(json.dumps(rec, ensure_ascii=False) + "\n")
        print(f"{len(ids)} documents -> {out}")
    else:
        print(__doc__)


if __name__ == "__main__":
    main()
