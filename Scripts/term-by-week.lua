-- term-by-week.lua: how often a term appears, week by week (ISO weeks from each document's date).
--   quarry script Scripts/term-by-week.lua Samples/
-- Set TERM below (a regular expression, matched without regard to case). Undated documents are
-- counted apart.
local TERM = [[\bflood\w*]]

local weeks, docs = {}, {}

function process(doc)
  local date = doc.meta.date
  local week = "undated"
  if date then
    local y, m, d = date:match("^(%d+)-(%d+)-(%d+)")
    local t = os.time{year = tonumber(y), month = tonumber(m), day = tonumber(d), hour = 12}
    week = os.date("%G-W%V", t)
  end
  local n = 0
  for _ in doc:find(TERM, "i") do n = n + 1 end
  weeks[week] = (weeks[week] or 0) + n
  docs[week] = (docs[week] or 0) + 1
end

function finish()
  local keys = {}
  for k in pairs(weeks) do keys[#keys + 1] = k end
  table.sort(keys)
  for _, k in ipairs(keys) do
    print(("%-9s %3d  %s  (%d documents)"):format(k, weeks[k], ("#"):rep(weeks[k]), docs[k]))
  end
end
