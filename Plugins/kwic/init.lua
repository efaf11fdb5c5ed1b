-- kwic: a concordance — every occurrence of the given terms with the words around it, as Markdown
-- (grouped by term) and CSV. Terms come from the option `terms` (or a file, one term a line).
--
-- Sample output (kwic.md, --set kwic.terms=strike,dams on Samples/):
--   ## dams (9)
--   | document | left | match | right |
--   | kaldmark-today/wire.jsonl#1 | will not give up control of its | dams | on the Aun, Foreign Minister |
local newsroom = require("newsroom")
local LIST

---@param ctx Context
local function setup(ctx)
  local terms = {}
  for _, t in ipairs(ctx.options.terms) do terms[#terms + 1] = newsroom.trim(t) end
  if ctx.options.file ~= "" then
    local text = newsroom.read_file(ctx, ctx.options.file)
    for line in text:gmatch("[^\r\n]+") do if newsroom.trim(line) ~= "" then terms[#terms + 1] = newsroom.trim(line) end end
  end
  if #terms > 0 then
    terms.case = false
    LIST = quarry.phrases(terms)
  end
end

---@param doc Doc
---@param ctx Context
local function process(doc, ctx)
  if not LIST then return end
  for m in doc:match(LIST) do
    local c = m:context(ctx.options.context)
    ctx:emit{term = m.key, doc = doc.id, left = newsroom.squash(c.left), match = newsroom.squash(c.match),
      right = newsroom.squash(c.right), source = m:source()}
  end
end

---@param records table[] the records process emitted
---@param ctx Context
local function finish(records, ctx)
  if not LIST then
    quarry.log.info("no terms: give --set kwic.terms=word,phrase (or kwic.file=terms.txt)")
    return
  end
  local by_term, counts = {}, {}
  for _, r in ipairs(records) do
    by_term[r.term] = by_term[r.term] or {}
    table.insert(by_term[r.term], r)
    counts[r.term] = (counts[r.term] or 0) + 1
  end
  ctx:write(ctx.options.name .. ".csv", quarry.csv.encode(records, {"term", "doc", "left", "match", "right", "source"}))
  local md = {"# Concordance", ""}
  for _, term in ipairs(newsroom.ranked(counts)) do
    md[#md + 1] = ("## %s (%d)"):format(term, counts[term])
    md[#md + 1] = ""
    md[#md + 1] = quarry.markdown.table(by_term[term], {"doc", "left", "match", "right"})
    md[#md + 1] = ""
  end
  ctx:write(ctx.options.name .. ".md", table.concat(md, "\n"))
end

---@type Plugin
return {
  name = "kwic",
  version = "1.0.0",
  kind = "report",
  description = "Keyword in context for a list of terms: Markdown grouped by term, and CSV (term, doc, left, match, "
    .. "right, source). Sample row: \"| kaldmark-today/wire.jsonl#1 | will not give up control of its | dams | on the Aun |\".",
  categories = {"report"},
  author = "Quarry",
  license = "MIT",
  options = {
    terms = {type = "list", default = {}, doc = "Terms and phrases (case-insensitive), comma-separated."},
    file = {type = "string", default = "", doc = "A file of terms, one a line, in the plugin folder or an --allow-read folder."},
    context = {type = "integer", default = 8, min = 1, max = 40, doc = "Words on each side."},
    name = {type = "string", default = "kwic", doc = "Base name of the report files (.md and .csv)."},
  },
  setup = setup,
  process = process,
  finish = finish,
}
