-- titles-and-names.lua: who holds which title — "Transport Minister Dario Feld", "Mayor Ines Calloway" —
-- across the corpus, with the documents that say so.
--   quarry script Scripts/titles-and-names.lua Samples/
local TITLES = [[(?:Prime |Foreign |Transport |Interior |Finance |Defence )?Minister|President|Mayor|Colonel|Professor|Dr\.|Governor|Senator|General]]
local seen = {}

function process(doc)
  for m in doc:find("\\b(" .. TITLES .. ")\\s+(\\p{Lu}\\p{Ll}+(?:\\s\\p{Lu}\\p{Ll}+)+)") do
    local key = m.groups[1].text .. " " .. m.groups[2].text
    seen[key] = seen[key] or {}
    seen[key][doc.id] = true
  end
end

function finish()
  local keys = {}
  for k in pairs(seen) do keys[#keys + 1] = k end
  table.sort(keys)
  for _, k in ipairs(keys) do
    local ids = {}
    for id in pairs(seen[k]) do ids[#ids + 1] = id end
    table.sort(ids)
    print(("%-40s %s"):format(k, table.concat(ids, ", ")))
  end
end
