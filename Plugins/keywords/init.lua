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

---@param ctx Context
local function setup(ctx)
  for _, r in ipairs(newsroom.read_table(ctx, "data/stopwords.txt")) do STOP[r.word] = true end
  for _, r in ipairs(newsroom.read_table(ctx, "data/reference.tsv")) do REF[r.term] = tonumber(r.per_million) end
  if ctx.options.reference ~= "" then
    local rows = newsroom.read_table(ctx, ctx.options.reference)
    REF = {}
    for _, r in ipairs(rows) do REF[r.term] = tonumber(r.per_million) end
  end
end

---@param doc Doc
---@param ctx Context
local function process(doc, ctx)
  -- The words' normalized forms counted by the host: the `max_terms` most frequent (then in byte order)
  -- that are long enough, start with a letter and are not stop words. `total` counts all the words.
  local terms, counts, total = doc:frequencies{kind = "word", min_length = ctx.options.min_length, letters = true,
    exclude = STOP, top = ctx.options.max_terms}
  doc:set("words", total)
  -- two parallel lists, not a table per term (a record is copied twice on its way to finish)
  ctx:emit{doc = doc.id, words = total, terms = terms, counts = counts}
end
-- Each term's document frequency and corpus count, and the number of words in the corpus.
---@param records table[] the records process emitted
---@return table<string, integer> df
---@return table<string, integer> cf
---@return integer total
local function corpus_counts(records)
  local df, cf, total = {}, {}, 0
  for _, r in ipairs(records) do
    total = total + r.words
    local terms, counts = r.terms, r.counts
    for i = 1, #terms do
      local term = terms[i]
      df[term] = (df[term] or 0) + 1
      cf[term] = (cf[term] or 0) + counts[i]
    end
  end
  return df, cf, total
end

-- Each document's best terms by TF–IDF: the CSV rows (doc, term, count, tfidf), and a line per document.
---@param records table[]
---@param df table<string, integer>
---@param per_doc integer terms kept per document
---@return table[] rows
---@return string[] lines
local function tfidf(records, df, per_doc)
  local n = #records
  -- TF–IDF per document: only the best `per_document` terms are kept, by inserting each term into a short
  -- ranked list (score descending, then term), which gives the order a full sort would.
  local rows, lines = {}, {}
  local idf = {} -- per term (terms recur across documents)
  local log, floor, max = math.log, math.floor, math.max
  local tn, tc, ts = {}, {}, {}
  for _, r in ipairs(records) do
    local words = max(1, r.words)
    local terms, counts = r.terms, r.counts
    local k = 0
    for i = 1, #terms do
      local term, count = terms[i], counts[i]
      local w = idf[term]
      if not w then w = log((1 + n) / (1 + df[term])); idf[term] = w end
      local tf = count / words
      local score = tf * w + tf * 1e-6
      if k < per_doc or score > ts[k] or (score == ts[k] and term < tn[k]) then
        local j = k < per_doc and k + 1 or k
        k = j
        while j > 1 and (score > ts[j - 1] or (score == ts[j - 1] and term < tn[j - 1])) do
          tn[j], tc[j], ts[j] = tn[j - 1], tc[j - 1], ts[j - 1]
          j = j - 1
        end
        tn[j], tc[j], ts[j] = term, count, score
      end
    end
    for j = 1, k do
      rows[#rows + 1] = {doc = r.doc, term = tn[j], count = tc[j], tfidf = floor(ts[j] * 1e5 + 0.5) / 1e5}
    end
    lines[#lines + 1] = ("- %s: %s"):format(r.doc, table.concat(tn, ", ", 1, k))
  end
  return rows, lines
end

-- The corpus's keyness rows (term, count, per_million, log_ratio), best first.
---@param cf table<string, integer>
---@param total integer
---@param ctx Context
---@return table[] rows
local function keyness(cf, total, ctx)
  local log, floor = math.log, math.floor
  -- Keyness: log ratio of the corpus's frequency to the reference's (per million; unseen words count as 1).
  -- The `top` best rows are kept ranked as they come (log ratio, then count descending, then term: the same
  -- rows and order as sorting them all); a row is made only for a term that enters them.
  local top, want, min_count = {}, ctx.options.top, ctx.options.min_count
  local k = 0
  for term, c in pairs(cf) do
    if c >= min_count then
      local pm = c / total * 1e6
      local ratio = floor(log(pm / (REF[term] or 1), 2) * 10 + 0.5) / 10
      local last = top[k]
      if k < want or ratio > last.log_ratio or (ratio == last.log_ratio
          and (c > last.count or (c == last.count and term < last.term))) then
        local row = {term = term, count = c, per_million = floor(pm + 0.5), log_ratio = ratio}
        local j = k < want and k + 1 or k
        k = j
        while j > 1 do
          local above = top[j - 1]
          if not (ratio > above.log_ratio or (ratio == above.log_ratio
              and (c > above.count or (c == above.count and term < above.term)))) then break end
          top[j] = above
          j = j - 1
        end
        top[j] = row
      end
    end
  end
  return top
end

---@param records table[]
---@param ctx Context
local function finish(records, ctx)
  local n = #records
  if n == 0 then return end
  local df, cf, total = corpus_counts(records)
  local rows, lines = tfidf(records, df, ctx.options.per_document)
  ctx:write(ctx.options.name .. ".csv", quarry.csv.encode(rows, {"doc", "term", "count", "tfidf"}))
  local top = keyness(cf, total, ctx)
  local md = {"# Keywords", "", ("%d documents, %d words."):format(n, total), "",
    "## Corpus keyness (log ratio against the reference list)", "",
    quarry.markdown.table(top, {"term", "count", "per_million", "log_ratio"}), "",
    "## Keywords by document (TF–IDF)", ""}
  local limit = math.min(#lines, ctx.options.documents_listed)
  for i = 1, limit do md[#md + 1] = lines[i] end
  if #lines > limit then md[#md + 1] = ("- … and %d more in %s.csv"):format(#lines - limit, ctx.options.name) end
  ctx:write(ctx.options.name .. ".md", table.concat(md, "\n") .. "\n")
end

---@type Plugin
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
