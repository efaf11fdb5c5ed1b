-- entity-network: who appears with whom — entities co-occurring in a sentence (or a document), as a CSV
-- edge list (source, target, weight, documents) and a GraphML file for Gephi, yEd or networkx.
--
-- Sample output (entity-network.csv, on Samples/):
--   source,target,weight,documents
--   Jonas Brekke,Saltmere Dockworkers' Union,3,3
--   Elin Torvald,Kaldmark,3,3
local newsroom = require("newsroom")

---@param doc Doc
---@param ctx Context
local function process(doc, ctx)
  local groups = {}
  local by_sentence = ctx.options.window == "sentence"
  -- One query per type (a set, so the order of the annotations does not matter): only those are read.
  local done = {}
  for _, t in ipairs(ctx.options.types) do
    if not done[t] then
      done[t] = true
      for _, a in ipairs(doc:annotations{layer = "entities", type = t}) do
        local key = 0
        if by_sentence then
          local s = a:sentence()
          key = s and s.start or 0
        end
        local g = groups[key]
        if not g then g = {}; groups[key] = g end
        local name = a.features.canonical
        local k = name .. "\t" .. t
        if not g[k] then g[k] = {name, t} end
      end
    end
  end
  -- Each pair of entities sharing a group, counted under a key that sorts as the pair does; the names and
  -- types are kept beside the count, so nothing has to be parsed back out of the key.
  local pairs_seen, keys = {}, {}
  for _, g in pairs(groups) do
    local list = {}
    for k in pairs(g) do list[#list + 1] = k end
    table.sort(list)
    for i = 1, #list do
      for j = i + 1, #list do
        local key = list[i] .. "\n" .. list[j]
        local seen = pairs_seen[key]
        if seen then
          seen[5] = seen[5] + 1
        else
          local a, b = g[list[i]], g[list[j]]
          pairs_seen[key] = {a[1], a[2], b[1], b[2], 1}
          keys[#keys + 1] = key
        end
      end
    end
  end
  -- Emit in a fixed order: Lua's pairs order differs between VMs, and results must not.
  table.sort(keys)
  for _, key in ipairs(keys) do ctx:emit(pairs_seen[key]) end
end

---@param records table[] the records process emitted
---@param ctx Context
local function finish(records, ctx)
  local names = {}
  for _, r in ipairs(records) do
    if r[2] == "PERSON" then names[r[1]] = true end
    if r[4] == "PERSON" then names[r[3]] = true end
  end
  local merge = newsroom.merge_short_names(names)
  -- edges[a][b] with a < b, in the order they first appear; nodes: name -> type, as first seen
  local edges, order, nodes, node_order = {}, {}, {}, {}
  for _, r in ipairs(records) do
    local a = r[2] == "PERSON" and merge[r[1]] or r[1]
    local b = r[4] == "PERSON" and merge[r[3]] or r[3]
    if a ~= b then
      if not nodes[a] then nodes[a] = r[2]; node_order[#node_order + 1] = a end
      if not nodes[b] then nodes[b] = r[4]; node_order[#node_order + 1] = b end
      if b < a then a, b = b, a end
      local from = edges[a]
      if not from then from = {}; edges[a] = from end
      local e = from[b]
      if not e then e = {source = a, target = b, weight = 0, documents = 0}; from[b] = e; order[#order + 1] = e end
      e.weight = e.weight + r[5]
      e.documents = e.documents + 1
    end
  end
  local kept = {}
  for _, e in ipairs(order) do if e.weight >= ctx.options.min_weight then kept[#kept + 1] = e end end
  kept = newsroom.sort_ranked(kept, "weight", "source", "target")
  local base = ctx.options.name
  ctx:write(base .. ".csv", newsroom.csv(kept, {"source", "target", "weight", "documents"}))
  local used = {}
  for _, e in ipairs(kept) do used[e.source] = true; used[e.target] = true end
  table.sort(node_order)
  local x = newsroom.xml
  local g = {'<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
    '  <key id="type" for="node" attr.name="type" attr.type="string"/>',
    '  <key id="weight" for="edge" attr.name="weight" attr.type="int"/>',
    '  <key id="documents" for="edge" attr.name="documents" attr.type="int"/>',
    '  <graph id="entities" edgedefault="undirected">'}
  for _, name in ipairs(node_order) do
    if used[name] then
      g[#g + 1] = ('    <node id="%s"><data key="type">%s</data></node>'):format(x(name), x(nodes[name]))
    end
  end
  for i, e in ipairs(kept) do
    g[#g + 1] = ('    <edge id="e%d" source="%s" target="%s"><data key="weight">%d</data><data key="documents">%d</data></edge>')
      :format(i, x(e.source), x(e.target), e.weight, e.documents)
  end
  g[#g + 1] = "  </graph>"
  g[#g + 1] = "</graphml>"
  ctx:write(base .. ".graphml", table.concat(g, "\n") .. "\n")
end

---@type Plugin
return {
  name = "entity-network",
  version = "1.0.0",
  kind = "report",
  description = "Co-occurrence network of entities (same sentence or same document): CSV edge list "
    .. "(source, target, weight, documents) and GraphML. Sample: \"Elin Torvald,Kaldmark,3,3\".",
  categories = {"default", "report"},
  author = "Quarry",
  license = "MIT",
  requires = {"entities"},
  options = {
    window = {type = "choice", choices = {"sentence", "document"}, default = "sentence",
      doc = "Entities co-occur when they share a sentence, or a document."},
    types = {type = "list", default = {"PERSON", "ORGANIZATION", "LOCATION"}, doc = "Entity types in the network."},
    min_weight = {type = "integer", default = 1, min = 1, doc = "Leave out edges seen fewer times."},
    name = {type = "string", default = "entity-network", doc = "Base name of the report files (.csv and .graphml)."},
  },
  process = process,
  finish = finish,
}
