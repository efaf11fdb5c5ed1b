-- compare-outlets.lua: which people and places two outlets name, and how often — side by side.
--   quarry script Scripts/compare-outlets.lua Samples/
-- An outlet is the first folder of a document's id (Samples/herald/..., Samples/kaldmark-today/...);
-- set A and B below. Names are runs of two or more capitalized words, or one capitalized word that is
-- not at the start of a sentence.
local A, B = "herald", "kaldmark-today"

local counts = {}      -- name -> {a = n, b = n}
local SKIP = {}
for w in ("The A An In On At But And He She It They We Monday Tuesday Wednesday Thursday Friday Saturday Sunday"):gmatch("%a+") do SKIP[w] = true end
local docs = {[A] = 0, [B] = 0}

function process(doc)
  local outlet = doc.id:match("^([^/]+)/")
  if outlet ~= A and outlet ~= B then return end
  docs[outlet] = docs[outlet] + 1
  for m in doc:find([[(?<!^)(?<![.!?"“]\s)\b\p{Lu}\p{Ll}+(?:\s\p{Lu}\p{Ll}+)*]], "m") do
    local name = m.text:gsub("%s+", " ")
    if SKIP[name] then goto next end
    counts[name] = counts[name] or {[A] = 0, [B] = 0}
    counts[name][outlet] = counts[name][outlet] + 1
    ::next::
  end
end

function finish()
  local rows = {}
  for name, c in pairs(counts) do
    if c[A] + c[B] >= 2 then rows[#rows + 1] = {name = name, [A] = c[A], [B] = c[B]} end
  end
  table.sort(rows, function(x, y)
    local tx, ty = x[A] + x[B], y[A] + y[B]
    if tx ~= ty then return tx > ty end
    return x.name < y.name
  end)
  print(("%s: %d documents, %s: %d documents"):format(A, docs[A], B, docs[B]))
  print(quarry.markdown.table(rows, {"name", A, B}))
end
