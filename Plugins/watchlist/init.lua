-- watchlist: scores each document by the user's own terms and phrases with weights (option `terms`,
-- "phrase" or "phrase=weight", and/or a TSV file with columns term, weight, group), keeping every hit
-- as evidence with a keyword-in-context line.
--
-- Sample output (--set watchlist.terms="strike=2,flood,dams=1.5" on Samples/herald/strike-ends.txt):
--   scores.watchlist = 5
--   WATCH "strike"  {term = "strike", weight = 2, kwic = "ends with pay deal ... [strike] like this,” Quist said."}
local newsroom = require("newsroom")
local LIST

---@param ctx Context
local function setup(ctx)
  local entries = {}
  for _, item in ipairs(ctx.options.terms or {}) do
    local phrase, weight = item:match("^%s*(.-)%s*=%s*([%-%d.]+)%s*$")
    phrase = phrase or newsroom.trim(item)
    if phrase ~= "" then entries[#entries + 1] = {phrase, weight = tonumber(weight) or 1, group = ""} end
  end
  if ctx.options.file and ctx.options.file ~= "" then
    local rows = newsroom.read_table(ctx, ctx.options.file)
    for _, r in ipairs(rows) do
      local phrase = r.term or r.phrase
      if phrase and phrase ~= "" then entries[#entries + 1] = {phrase, weight = tonumber(r.weight) or 1, group = r.group or ""} end
    end
  end
  if #entries > 0 then
    entries.case = ctx.options.case_sensitive
    LIST = quarry.phrases(entries)
  end
end

---@param doc Doc
---@param ctx Context
local function process(doc, ctx)
  if not LIST then return end
  local total, evidence, groups = 0, {}, {}
  for m in doc:match(LIST) do
    local d = m.data
    total = total + d.weight
    evidence[#evidence + 1] = m
    if d.group ~= "" then groups[d.group] = (groups[d.group] or 0) + d.weight end
    doc:annotate("WATCH", m, {term = m.key, weight = d.weight, group = d.group ~= "" and d.group or nil,
      kwic = newsroom.kwic(m, ctx.options.context)})
  end
  if ctx.options.per_1000_words then
    local words = #doc.tokens
    total = words > 0 and total * 1000 / words or 0
  end
  doc:score("watchlist", total, {evidence = evidence})
  local names = {}
  for g in pairs(groups) do names[#names + 1] = g end
  table.sort(names)  -- scores keep the order they were set in: make it the same in every run
  for _, g in ipairs(names) do doc:score("watchlist." .. g, groups[g]) end
end

---@type Plugin
return {
  name = "watchlist",
  version = "1.0.0",
  kind = "score",
  description = "Scores documents by a watchlist of weighted terms and phrases (option or file), with every hit "
    .. "kept as evidence and a KWIC line. Sample: scores.watchlist = 5; WATCH \"strike\" {term = \"strike\", "
    .. "weight = 2, kwic = \"... [strike] ...\"}.",
  categories = {"score"},
  author = "Quarry",
  license = "MIT",
  options = {
    terms = {type = "list", default = {}, doc = "Terms or phrases, each optionally with a weight: \"strike=2,flood\"."},
    file = {type = "string", default = "", doc = "A TSV/CSV file (columns term, weight, group) in the plugin folder or "
      .. "an --allow-read folder; each group also gets its own score watchlist.GROUP."},
    case_sensitive = {type = "boolean", default = false, doc = "Match case exactly."},
    per_1000_words = {type = "boolean", default = false, doc = "Score per 1,000 words instead of the sum of weights."},
    context = {type = "integer", default = 8, min = 1, max = 40, doc = "Words of context on each side of a KWIC line."},
  },
  setup = setup,
  process = process,
}
