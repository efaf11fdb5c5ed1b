-- keywords: each document's distinctive terms by TF–IDF over the corpus being run, and the corpus's
-- keyness against a general-English reference list (data/reference.tsv, rough frequencies per million
-- written for Quarry). Term counts are emitted per document in process and ranked in finish.
--
-- Sample output (keywords.md, on Samples/):
--   ## Corpus keyness (log ratio against the reference list)
--   | term | count | per_million | log_ratio |
--   | tovik | 23 | 5823 | 12.5 |
--   ## Keywords by document
--   - herald/port-strike-begins.txt: dockworkers, brekke, saltmere, gate, offshore
-- and keywords.csv (doc, term, count, tfidf); a document feature `words` (its word count).
local newsroom = require("newsroom")
local STOP = {}
local REF = {}

local function setup(ctx)
  for _, r in ipairs(assert(newsroom.read_table(ctx, "data/stopwords.txt"))) do STOP[r.word] = true end
  for _, r in ipairs(assert(newsroom.read_table(ctx, "data/reference.tsv"))) do REF[r.term] = tonumber(r.per_million) end
  if ctx.options.reference ~= "" then
    local rows, err = newsroom.read_table(ctx, ctx.options.reference)
    if not rows then error("keywords: cannot read '" .. ctx.options.reference .. "': " .. tostring(err), 0) end
    REF = {}
    for _, r in ipairs(rows) do REF[r.term] = tonumber(r.per_million) end
  end
end

local function process(doc, ctx)
  local counts, total = {}, 0
  local min_len = ctx.options.min_length
  for _, w in ipairs(quarry.text.words(quarry.text.lower(doc.text))) do
    total = total + 1
    if #w >= min_len and not STOP[w] and not w:find("^[%d%p]") then
      counts[w] = (counts[w] or 0) + 1
    end
  end
  local ranked = newsroom.ranked(counts)
  local terms = {}
  for i = 1, math.min(#ranked, ctx.options.max_terms) do
    local t = ranked[i]
    terms[#terms + 1] = {t, counts[t]}
  end
  doc:set("words", total)
  ctx:emit{doc = doc.id, words = total, terms = terms}
end

local function finish(records, ctx)
  local n = #records
  if n == 0 then return end
  local df, cf, total = {}, {}, 0
  for _, r in ipairs(records) do
    total = total + r.words
    for _, t in ipairs(r.terms) do
      df[t[1]] = (df[t[1]] or 0) + 1
      cf[t[1]] = (cf[t[1]] or 0) + t[2]
    end
  end
  -- TF–IDF per document
  local rows, lines = {}, {}
  local per_doc = ctx.options.per_document
  for _, r in ipairs(records) do
    local scored = {}
    for _, t in ipairs(r.terms) do
      local tf = t[2] / math.max(1, r.words)
      scored[#scored + 1] = {t[1], t[2], tf * math.log((1 + n) / (1 + df[t[1]])) + tf * 1e-6}
    end
    table.sort(scored, function(a, b) if a[3] ~= b[3] then return a[3] > b[3] end return a[1] < b[1] end)
    local names = {}
    for k = 1, math.min(per_doc, #scored) do
      local s = scored[k]
      rows[#rows + 1] = {doc = r.doc, term = s[1], count = s[2], tfidf = math.floor(s[3] * 1e5 + 0.5) / 1e5}
      names[#names + 1] = s[1]
    end
    lines[#lines + 1] = ("- %s: %s"):format(r.doc, table.concat(names, ", "))
  end
  ctx:write(ctx.options.name .. ".csv", quarry.csv.encode(rows, {"doc", "term", "count", "tfidf"}))
  -- Keyness: log ratio of the corpus's frequency to the reference's (per million; unseen words count as 1)
  local key = {}
  for term, c in pairs(cf) do
    if c >= ctx.options.min_count then
      local pm = c / total * 1e6
      key[#key + 1] = {term = term, count = c, per_million = math.floor(pm + 0.5),
        log_ratio = math.floor(math.log(pm / (REF[term] or 1), 2) * 10 + 0.5) / 10}
    end
  end
  table.sort(key, function(a, b)
    if a.log_ratio ~= b.log_ratio then return a.log_ratio > b.log_ratio end
    if a.count ~= b.count then return a.count > b.count end
    return a.term < b.term
  end)
  local top = {}
  for i = 1, math.min(#key, ctx.options.top) do top[i] = key[i] end
  local md = {"# Keywords", "", ("%d documents, %d words."):format(n, total), "",
    "## Corpus keyness (log ratio against the reference list)", "",
    quarry.markdown.table(top, {"term", "count", "per_million", "log_ratio"}), "",
    "## Keywords by document (TF–IDF)", ""}
  local limit = math.min(#lines, ctx.options.documents_listed)
  for i = 1, limit do md[#md + 1] = lines[i] end
  if #lines > limit then md[#md + 1] = ("- … and %d more in %s.csv"):format(#lines - limit, ctx.options.name) end
  ctx:write(ctx.options.name .. ".md", table.concat(md, "\n") .. "\n")
end

return {
  name = "keywords",
  version = "1.0.0",
  kind = "report",
  description = "TF–IDF keywords per document over the corpus being run, and corpus keyness (log ratio) against a "
    .. "reference word list. Writes keywords.md and keywords.csv. Sample: \"- herald/port-strike-begins.txt: "
    .. "dockworkers, brekke, saltmere\".",
  categories = {"default", "report", "extract"},
  author = "Quarry",
  license = "MIT",
  options = {
    per_document = {type = "integer", default = 5, min = 1, doc = "Keywords kept per document."},
    max_terms = {type = "integer", default = 30, min = 1,
      doc = "Terms per document passed to finish (the most frequent), which bounds memory on big corpora."},
    min_length = {type = "integer", default = 3, min = 1, doc = "Shortest term, in bytes."},
    min_count = {type = "integer", default = 3, min = 1, doc = "Corpus count a term needs for the keyness table."},
    top = {type = "integer", default = 30, min = 1, doc = "Rows of the keyness table."},
    documents_listed = {type = "integer", default = 200, min = 0, doc = "Documents listed in keywords.md."},
    reference = {type = "string", default = "", doc = "Another reference list (TSV: term, per_million)."},
    name = {type = "string", default = "keywords", doc = "Base name of the report files."},
  },
  setup = setup,
  process = process,
  finish = finish,
}
