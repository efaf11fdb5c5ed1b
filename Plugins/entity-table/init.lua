-- entity-table: a CSV of every entity in the run — entity, type, mentions, documents — from what
-- `entities` put on each document (doc:get("entities")); one-word names merge into the one full name
-- they belong to across the corpus ("Quist" -> "Amara Quist").
--
-- Sample output (entity-table.csv, on Samples/):
--   entity,type,mentions,documents
--   Jonas Brekke,PERSON,21,8
--   Tovik,LOCATION,19,11
--   Amara Quist,PERSON,12,6
local newsroom = require("newsroom")

---@param doc Doc
---@param ctx Context
local function process(doc, ctx)
  for _, e in ipairs(doc:get("entities") or {}) do
    ctx:emit{e.canonical, e.type, e.mentions, doc.id}
  end
end

---@param records table[] the records process emitted
---@param ctx Context
local function finish(records, ctx)
  local names = {}
  for _, r in ipairs(records) do if r[2] == "PERSON" then names[r[1]] = true end end
  local merge = newsroom.merge_short_names(names)
  local rows, index = {}, {}
  for _, r in ipairs(records) do
    local name = r[2] == "PERSON" and merge[r[1]] or r[1]
    local key = r[2] .. "|" .. name
    local row = index[key]
    if not row then
      row = {entity = name, type = r[2], mentions = 0, documents = 0, docs = {}}
      index[key] = row
      rows[#rows + 1] = row
    end
    row.mentions = row.mentions + r[3]
    if not row.docs[r[4]] then row.docs[r[4]] = true; row.documents = row.documents + 1 end
  end
  rows = newsroom.sort_ranked(rows, "mentions", "type", "entity")
  local out = {}
  for _, row in ipairs(rows) do
    if row.mentions >= ctx.options.min_mentions then
      out[#out + 1] = {entity = row.entity, type = row.type, mentions = row.mentions, documents = row.documents}
    end
  end
  ctx:write(ctx.options.file, newsroom.csv(out, {"entity", "type", "mentions", "documents"}))
end

---@type Plugin
return {
  name = "entity-table",
  version = "1.0.0",
  kind = "report",
  description = "CSV of entities: entity, type, mentions, documents (short person names merged into the full name). "
    .. "Sample: \"Jonas Brekke,PERSON,21,8\".",
  categories = {"default", "report"},
  author = "Quarry",
  license = "MIT",
  requires = {"entities"},
  options = {
    file = {type = "string", default = "entity-table.csv", doc = "The report file, in the output folder."},
    min_mentions = {type = "integer", default = 1, min = 1, doc = "Leave out entities with fewer mentions in the run."},
  },
  process = process,
  finish = finish,
}
