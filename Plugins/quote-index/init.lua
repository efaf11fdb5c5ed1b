-- quote-index: every quotation the `quotes` plugin found, as a CSV (one row a quote) and a Markdown
-- index grouped by speaker; short speaker names merge into the full name known elsewhere in the run.
--
-- Sample output (quote-index.md, on Samples/):
--   ## Jonas Brekke (9)
--   - “We did not want this, but the port authority left us no choice,” (told) — herald/port-strike-begins.txt
--   - about 2,400 members had joined the strike (said, indirect) — herald/port-strike-begins.txt
local newsroom = require("newsroom")

---@param doc Doc
---@param ctx Context
local function process(doc, ctx)
  for _, q in ipairs(doc:annotations{type = "QUOTE"}) do
    local f = q.features
    if f.direct or ctx.options.indirect then
      ctx:emit{doc = doc.id, speaker = f.speaker, verb = f.verb, direct = f.direct, text = newsroom.squash(f.text or q.text), -- (a quotation in parts: its parts joined)
        source = q:source(), date = doc.meta.date}
    end
  end
end

---@param records table[] the records process emitted
---@param ctx Context
local function finish(records, ctx)
  local names = {}
  for _, r in ipairs(records) do if r.speaker then names[r.speaker] = true end end
  local merge = newsroom.merge_short_names(names)
  local groups, counts = {}, {}
  for _, r in ipairs(records) do
    if r.speaker then r.speaker = merge[r.speaker] or r.speaker end
    local key = r.speaker or "(unattributed)"
    groups[key] = groups[key] or {}
    table.insert(groups[key], r)
    counts[key] = (counts[key] or 0) + 1
  end
  ctx:write(ctx.options.name .. ".csv", newsroom.csv(records, {"speaker", "verb", "direct", "text", "doc", "source", "date"}))
  local speakers = newsroom.ranked(counts)
  local md = {"# Quote index", "", ("%d quotations from %d speakers."):format(#records, #speakers), ""}
  for _, speaker in ipairs(speakers) do
    md[#md + 1] = ("## %s (%d)"):format(speaker, counts[speaker])
    md[#md + 1] = ""
    for _, r in ipairs(groups[speaker]) do
      local text = r.direct and ("“" .. r.text .. "”") or r.text
      local how = (r.verb or "quoted") .. (r.direct and "" or ", indirect")
      md[#md + 1] = ("- %s (%s) — %s"):format(text, how, r.doc)
    end
    md[#md + 1] = ""
  end
  ctx:write(ctx.options.name .. ".md", table.concat(md, "\n"))
end

---@type Plugin
return {
  name = "quote-index",
  version = "1.0.0",
  kind = "report",
  description = "Quotations by speaker, as CSV (speaker, verb, direct, text, doc, source, date) and Markdown. "
    .. "Sample: \"## Jonas Brekke (9)\" then \"- “We did not want this, ...” (told) — herald/port-strike-begins.txt\".",
  categories = {"default", "report"},
  author = "Quarry",
  license = "MIT",
  requires = {"quotes"},
  options = {
    name = {type = "string", default = "quote-index", doc = "Base name of the report files (.csv and .md)."},
    indirect = {type = "boolean", default = true, doc = "Include indirect speech."},
  },
  process = process,
  finish = finish,
}
