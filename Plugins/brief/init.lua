-- brief: a Markdown brief of the run — the documents, the top entities by type, who said what (grouped by
-- speaker), a timeline from the dates, and the highest-scoring documents with their evidence. Reads what
-- entities, quotes, dates and tone (and watchlist, when selected) put on each document.
--
-- Sample output (brief.md, on Samples/):
--   # Brief
--   24 documents, 2024-03-06 to 2024-09-02 (4 undated).
--   ## Top entities
--   **PERSON**: Jonas Brekke (21 mentions, 8 documents), Amara Quist (12, 6), ...
--   ## Who said what
--   ### Jonas Brekke
--   - “We did not want this, but the port authority left us no choice,” — herald/port-strike-begins.txt
--   ## Timeline
--   - **2024-03-12** — Talks to end the Saltmere port strike collapsed early on Tuesday ... (saltmere-post/...)
local newsroom = require("newsroom")

local function shorten(s, n)
  s = newsroom.squash(s)
  if #s <= n then return s end
  local cut = s:sub(1, n):gsub("%s+%S*$", "")
  return cut .. " …"
end

---@param doc Doc
---@param ctx Context
local function process(doc, ctx)
  local rec = {doc = doc.id, title = doc.meta.title, date = doc.meta.date and doc.meta.date:sub(1, 10) or nil,
    format = doc.format, entities = {}, quotes = {}, dates = {}, scores = {}}
  for i, e in ipairs(doc:get("entities") or {}) do
    if i > 30 then break end
    rec.entities[#rec.entities + 1] = {e.canonical, e.type, e.mentions}
  end
  for _, q in ipairs(doc:annotations{type = "QUOTE"}) do
    local f = q.features
    if f.direct and f.speaker then
      rec.quotes[#rec.quotes + 1] = {f.speaker, shorten(f.text or q.text, 300)} -- (parts joined)
    end
  end
  local seen = {}
  for _, d in ipairs(doc:annotations{type = "DATE"}) do
    local v = d.features.value
    if v and #v == 10 and not seen[v] then
      seen[v] = true
      local s = d:sentence()
      rec.dates[#rec.dates + 1] = {v, shorten(s and s.text or d.text, 180)}
    end
  end
  for _, name in ipairs(ctx.options.scores) do
    local v = doc:get(name)
    if type(v) == "number" then
      local ev
      for _, a in ipairs(doc:annotations{type = "EVIDENCE"}) do
        if a.features.score == name then ev = a; break end
      end
      local s = ev and (ev.type and ev:sentence())
      rec.scores[name] = {v, ev and shorten((s and s.text) or ev.text, 200) or nil}
    end
  end
  ctx:emit(rec)
end

-- The first line: how many documents, over which dates, how many undated.
---@param records table[]
---@return string
local function overview(records)
  local dated, first, last = 0, nil, nil
  for _, r in ipairs(records) do
    if r.date then
      dated = dated + 1
      if not first or r.date < first then first = r.date end
      if not last or r.date > last then last = r.date end
    end
  end
  local line = ("%d document%s"):format(#records, #records == 1 and "" or "s")
  if first then line = line .. (", %s to %s"):format(first, last) end
  if dated < #records then line = line .. (" (%d undated)"):format(#records - dated) end
  return line .. "."
end

-- The table of documents, by date.
---@param out string[] the report's lines, to add to
---@param records table[] the records process emitted
---@param ctx Context
local function documents_section(out, records, ctx)
  out[#out + 1] = "## Documents"
  out[#out + 1] = ""
  -- The first `documents` rows by date, then document (ids are distinct), kept in order as the records
  -- come: what sorting them all and taking the first would list. Titles are shortened only for those.
  local limit, listed, k = ctx.options.documents, {}, 0
  for _, r in ipairs(limit > 0 and records or {}) do
    local date, doc = r.date or "", r.doc
    local last = listed[k]
    if k < limit or date < last.date or (date == last.date and doc < last.document) then
      local j = k < limit and k + 1 or k
      k = j
      while j > 1 do
        local above = listed[j - 1]
        if not (date < above.date or (date == above.date and doc < above.document)) then break end
        listed[j] = above
        j = j - 1
      end
      listed[j] = {date = date, document = doc, title = r.title, tone = r.scores.tone}
    end
  end
  for _, row in ipairs(listed) do
    row.tone = row.tone and ("%.2f"):format(row.tone[1]) or ""
    row.title = row.title and shorten(row.title, 70) or ""
  end
  out[#out + 1] = quarry.markdown.table(listed, {"date", "document", "title", "tone"})
  if #records > limit then
    out[#out + 1] = ("\n… and %d more documents (see results.jsonl)."):format(#records - limit)
  end
  out[#out + 1] = ""
end

-- The top entities of each type, by mentions.
---@param out string[] the report's lines, to add to
---@param records table[] the records process emitted
---@param merge table<string, string> short person names -> full names
---@param ctx Context
local function entities_section(out, records, merge, ctx)
  local top = ctx.options.top
  -- mentions and documents by type, then by name
  local mentions, docs = {}, {}
  for _, r in ipairs(records) do
    for _, e in ipairs(r.entities) do
      local t = e[2]
      local name = t == "PERSON" and merge[e[1]] or e[1]
      local m, d = mentions[t], docs[t]
      if not m then m, d = {}, {}; mentions[t], docs[t] = m, d end
      m[name] = (m[name] or 0) + e[3]
      d[name] = (d[name] or 0) + 1
    end
  end
  out[#out + 1] = "## Top entities"
  out[#out + 1] = ""
  for _, t in ipairs{"PERSON", "ORGANIZATION", "LOCATION", "NATIONALITY", "GROUP", "MISC"} do
    local m, d = mentions[t], docs[t]
    if m then
      local items = {}
      for i, name in ipairs(newsroom.ranked(m)) do
        if i > top then break end
        items[#items + 1] = i == 1 and ("%s (%d mentions, %d documents)"):format(name, m[name], d[name])
          or ("%s (%d, %d)"):format(name, m[name], d[name])
      end
      out[#out + 1] = ("**%s**: %s"):format(t, table.concat(items, ", "))
      out[#out + 1] = ""
    end
  end
end

-- The quotations of the most quoted speakers.
---@param out string[] the report's lines, to add to
---@param records table[] the records process emitted
---@param merge table<string, string> short person names -> full names
---@param ctx Context
local function quotes_section(out, records, merge, ctx)
  local top = ctx.options.top
  local by_speaker, counts = {}, {}
  for _, r in ipairs(records) do
    for _, q in ipairs(r.quotes) do
      local who = merge[q[1]] or q[1]
      by_speaker[who] = by_speaker[who] or {}
      table.insert(by_speaker[who], {q[2], r.doc, r.date})
      counts[who] = (counts[who] or 0) + 1
    end
  end
  out[#out + 1] = "## Who said what"
  out[#out + 1] = ""
  for i, who in ipairs(newsroom.ranked(counts)) do
    if i > top then break end
    out[#out + 1] = ("### %s (%d)"):format(who, counts[who])
    out[#out + 1] = ""
    for k, q in ipairs(by_speaker[who]) do
      if k > ctx.options.quotes_per_speaker then break end
      out[#out + 1] = ("- “%s” — %s%s"):format(q[1], q[2], q[3] and (", " .. q[3]) or "")
    end
    out[#out + 1] = ""
  end
end

-- The period the documents are about: a year either side of their own dates ("1986-03-02".."1988-03-02"),
-- or nil when none has a date.
---@param records table[]
---@return string? first
---@return string? last
local function period(records)
  local lo, hi
  for _, r in ipairs(records) do
    if r.date and r.date:find("^%d%d%d%d%-%d%d%-%d%d$") then
      if not lo or r.date < lo then lo = r.date end
      if not hi or r.date > hi then hi = r.date end
    end
  end
  if not lo then return nil, nil end
  return ("%04d"):format(tonumber(lo:sub(1, 4)) - 1) .. lo:sub(5), ("%04d"):format(tonumber(hi:sub(1, 4)) + 1) .. hi:sub(5)
end

-- When there are more events than the timeline shows: those on the dates most documents mention (then the
-- earlier dates), so that the timeline shows what the corpus is about rather than its earliest mentions.
---@param events table[] {date, sentence, doc}
---@param docs_on table<string, integer> date -> how many mentions
---@param limit integer
---@return table[]
local function busiest_dates(events, docs_on, limit)
  if #events <= limit then return events end
  local dates = {}
  for date in pairs(docs_on) do dates[#dates + 1] = date end
  table.sort(dates, function(a, b) return docs_on[a] > docs_on[b] or docs_on[a] == docs_on[b] and a < b end)
  local keep, n = {}, 0
  for _, date in ipairs(dates) do
    if n >= limit then break end
    keep[date] = true
    n = n + docs_on[date]
  end
  local out = {}
  for _, e in ipairs(events) do if keep[e[1]] then out[#out + 1] = e end end
  return out
end

-- The dated events, in date order: within the documents' period, on the dates mentioned most.
---@param out string[] the report's lines, to add to
---@param records table[] the records process emitted
---@param ctx Context
local function timeline_section(out, records, ctx)
  local first, last = period(records)
  local events, docs_on = {}, {}
  for _, r in ipairs(records) do
    for _, d in ipairs(r.dates) do
      if not first or (d[1] >= first and d[1] <= last) then
        events[#events + 1] = {d[1], d[2], r.doc}
        docs_on[d[1]] = (docs_on[d[1]] or 0) + 1
      end
    end
  end
  events = busiest_dates(events, docs_on, ctx.options.timeline)
  events = newsroom.sort_by2(events, 1, 3)
  out[#out + 1] = "## Timeline"
  out[#out + 1] = ""
  local shown = 0
  local seen = {}
  for _, e in ipairs(events) do
    if shown >= ctx.options.timeline then break end
    local key = e[1] .. e[2]
    if not seen[key] then
      seen[key] = true
      shown = shown + 1
      out[#out + 1] = ("- **%s** — %s (%s)"):format(e[1], e[2], e[3])
    end
  end
  if shown == 0 then out[#out + 1] = "No dates could be placed on a calendar (documents without a date?)." end
  out[#out + 1] = ""
end

-- The highest-scoring documents of each score, with their evidence.
---@param out string[] the report's lines, to add to
---@param records table[] the records process emitted
---@param ctx Context
local function scores_section(out, records, ctx)
  out[#out + 1] = "## Highest-scoring documents"
  out[#out + 1] = ""
  for _, name in ipairs(ctx.options.scores) do
    local negative = name == "tone"
    local function before(a, b)
      local x, y = a.scores[name][1], b.scores[name][1]
      if negative then x, y = math.abs(x), math.abs(y) end
      if x ~= y then return x > y end
      return a.doc < b.doc
    end
    -- the best `top_documents`, kept in order as they come (documents are distinct, so this is what
    -- sorting them all and taking the first would give)
    local want, scored, n = ctx.options.top_documents, {}, 0
    for _, r in ipairs(records) do
      if r.scores[name] then
        n = n + 1
        if #scored < want or before(r, scored[#scored]) then
          local j = #scored < want and #scored + 1 or #scored
          while j > 1 and before(r, scored[j - 1]) do scored[j] = scored[j - 1]; j = j - 1 end
          scored[j] = r
        end
      end
    end
    if n > 0 then
      out[#out + 1] = ("### %s%s"):format(name, negative and " (strongest either way)" or "")
      out[#out + 1] = ""
      for k = 1, math.min(ctx.options.top_documents, #scored) do
        local r = scored[k]
        local s = r.scores[name]
        out[#out + 1] = ("%d. %s — %s = %.3g%s"):format(k, r.doc, name, s[1], s[2] and (": “" .. s[2] .. "”") or "")
      end
      out[#out + 1] = ""
    end
  end
end

---@param records table[]
---@param ctx Context
local function finish(records, ctx)
  local out = {"# Brief", "", overview(records), ""}
  documents_section(out, records, ctx)
  local names = {}
  for _, r in ipairs(records) do for _, e in ipairs(r.entities) do if e[2] == "PERSON" then names[e[1]] = true end end end
  local merge = newsroom.merge_short_names(names)
  entities_section(out, records, merge, ctx)
  quotes_section(out, records, merge, ctx)
  timeline_section(out, records, ctx)
  scores_section(out, records, ctx)
  ctx:write(ctx.options.file, table.concat(out, "\n"))
end

---@type Plugin
return {
  name = "brief",
  version = "1.0.0",
  kind = "report",
  description = "A Markdown brief: documents, top entities by type, who said what by speaker, a timeline from the "
    .. "dates, and the highest-scoring documents with evidence. Sample: \"### Jonas Brekke (9)\" / \"- “We did not "
    .. "want this, ...” — herald/port-strike-begins.txt\".",
  categories = {"default", "report"},
  author = "Quarry",
  license = "MIT",
  requires = {"entities", "quotes", "dates", "tone"},
  options = {
    file = {type = "string", default = "brief.md", doc = "The report file, in the output folder."},
    top = {type = "integer", default = 10, min = 1, doc = "Entities per type, and speakers, listed."},
    documents = {type = "integer", default = 50, min = 0, doc = "Documents listed in the table of documents (by date)."},
    quotes_per_speaker = {type = "integer", default = 5, min = 1, doc = "Quotations listed per speaker."},
    timeline = {type = "integer", default = 40, min = 0, doc = "Dated events listed in the timeline."},
    scores = {type = "list", default = {"watchlist", "tone"}, doc = "Scores whose highest documents are listed."},
    top_documents = {type = "integer", default = 5, min = 1, doc = "Documents listed per score."},
  },
  process = process,
  finish = finish,
}
