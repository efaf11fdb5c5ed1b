-- newsroom.lua: word lists and small helpers shared by the standard plugins (entities, quotes,
-- dates, figures, the reports). `local newsroom = require("newsroom")` from any plugin.
---@class newsroom
---@field speech_verbs table<string, boolean>
---@field reporting_verbs table<string, boolean>
local M = {}

--- Verbs that introduce speech, past and present forms (lower case).
M.speech_verbs = {}
for w in ([[said says say told tells added adds warned warns stated states declared declares insisted
  insists explained explains noted notes argued argues asked asks replied replies wrote writes tweeted
  posted announced announces claimed claims commented comments stressed stresses urged urges acknowledged
  acknowledges conceded concedes admitted admits continued continues recalled recalls remarked remarks
  suggested suggests complained complains predicted predicts promised promises vowed vows cautioned
  cautions countered counters responded responds confirmed confirms denied denies insisted maintained
  maintains emphasised emphasized emphasises emphasizes observed observes pledged pledges reported
  reports told thanked described describes called calls dismissed dismisses rejected rejects welcomed
  welcomes accused accuses conceded predicted estimated estimates]]):gmatch("%a+") do
  M.speech_verbs[w] = true
end

--- Verbs that, followed by "that" or a clause, report speech indirectly.
M.reporting_verbs = {}
for w in ([[said says told tells warned warns stated states declared declares insisted insists
  explained explains noted notes argued argues claimed claims stressed stresses acknowledged
  acknowledges conceded admitted admits suggested suggests complained predicted promised vowed
  cautioned confirmed denied maintained emphasised emphasized announced reported believes
  believed added]]):gmatch("%a+") do
  M.reporting_verbs[w] = true
end

--- Trims spaces at both ends.
---@param s string
---@return string
function M.trim(s) return (s:gsub("^%s+", ""):gsub("%s+$", "")) end

--- Collapses runs of white space (line breaks in hard-wrapped text) into one space.
---@param s string
---@return string
function M.squash(s) return (s:gsub("%s+", " ")) end

--- The span's keyword-in-context line: "left [match] right".
---@param span Span
---@param n integer? words on each side (default 8)
---@return string
function M.kwic(span, n)
  local c = span:context(n or 8)
  return M.squash(c.left .. " [" .. c.match .. "] " .. c.right)
end

-- Raises the error of a data file that cannot be read or decoded, at the line of the plugin that asked for it
-- (level 3: this function, then read_file or read_table, then the plugin).
---@param ctx Context
---@param name string
---@param cause any
local function cannot_read(ctx, name, cause)
  error(("%s: cannot read '%s': %s"):format(ctx.plugin.name, name, tostring(cause)), 3)
end

--- Reads a data file from the plugin's folder (or an --allow-read folder) through `ctx:read`. A file that
--- cannot be read is an error naming the plugin, the file and the cause:
--- `entities: cannot read 'lists/x.tsv': ctx:read: 'lists/x.tsv' not found in Plugins/entities`.
---@param ctx Context
---@param name string a relative path, e.g. "data/stopwords.txt"
---@return string text the file's contents
function M.read_file(ctx, name)
  local text, err = ctx:read(name)
  if not text then cannot_read(ctx, name, err) end
  return text
end

--- Reads a TSV data file (CSV when its name ends in .csv) into rows keyed by its header, as `read_file`
--- does: a file that cannot be read or decoded is an error naming the plugin, the file and the cause.
---@param ctx Context
---@param name string a relative path, e.g. "data/places.tsv"
---@return table<string, string>[] rows
function M.read_table(ctx, name)
  local text, err = ctx:read(name)
  if not text then cannot_read(ctx, name, err) end
  local rows, decode_err = quarry.csv.decode(text, {separator = name:match("%.csv$") and "," or "\t"})
  if not rows then cannot_read(ctx, name, decode_err) end
  return rows
end

--- Sorts a list of keys of `counts` by count (descending), then by key. (String keys are sorted bucket by
--- bucket of equal counts with the plain string order, which gives the same list as the comparator.)
---@param counts table<any, number>
---@return any[] keys
function M.ranked(counts)
  local buckets, values, plain = {}, {}, true
  for k, c in pairs(counts) do
    if type(k) ~= "string" or type(c) ~= "number" or c ~= c then plain = false break end
    local b = buckets[c]
    if not b then b = {}; buckets[c] = b; values[#values + 1] = c end
    b[#b + 1] = k
  end
  if plain then
    table.sort(values, function(a, b) return a > b end)
    local keys = {}
    for _, c in ipairs(values) do
      local b = buckets[c]
      table.sort(b)
      for i = 1, #b do keys[#keys + 1] = b[i] end
    end
    return keys
  end
  local keys = {}
  for k in pairs(counts) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b)
    if counts[a] ~= counts[b] then return counts[a] > counts[b] end
    return a < b
  end)
  return keys
end

--- Merges one-word person names into the one full name (across the corpus) that ends with them:
--- with "Amara Quist" known, "Quist" from a document that never gave the full name becomes "Amara Quist".
--- Returns a table name -> merged name (only for names that change).
---@param names table<string, boolean> a set of person names
---@return table<string, string>
function M.merge_short_names(names)
  local by_last = {}
  for name in pairs(names) do
    local last = name:match("%s(%S+)$")
    if last then
      if by_last[last] == nil then by_last[last] = name elseif by_last[last] ~= name then by_last[last] = false end
    end
  end
  local map = {}
  for name in pairs(names) do
    if not name:find("%s") and by_last[name] then map[name] = by_last[name] end
  end
  return map
end

local find = string.find

--- Encodes rows (tables keyed by column name) under a header of `columns`: quarry.csv.encode, which writes
--- such rows straight from the tables.
---@param rows table[]
---@param columns string[]
---@return string
function M.csv(rows, columns) return quarry.csv.encode(rows, columns) end

--- Sorts a list of tables by the number `count` (descending), then the string `first`, then the string
--- `second` (the pair being distinct), as a sort with that comparator does, but faster: by count into buckets,
--- and each bucket by first .. "\0" .. second with the plain string order (the first, then the second).
--- Returns the sorted list (a new one, or the same).
---@param list table[]
---@param count string the field of the count
---@param first string the field of the first string
---@param second string the field of the second
---@return table[]
function M.sort_ranked(list, count, first, second)
  local buckets, counts, plain = {}, {}, true
  for _, e in ipairs(list) do
    local w, x, y = e[count], e[first], e[second]
    if type(w) ~= "number" or w ~= w or type(x) ~= "string" or type(y) ~= "string"
        or find(x, "\0", 1, true) or find(y, "\0", 1, true) then
      plain = false
      break
    end
    local b = buckets[w]
    if not b then b = {}; buckets[w] = b; counts[#counts + 1] = w end
    b[#b + 1] = x .. "\0" .. y
  end
  if not plain then
    table.sort(list, function(p, q)
      if p[count] ~= q[count] then return p[count] > q[count] end
      if p[first] ~= q[first] then return p[first] < q[first] end
      return p[second] < q[second]
    end)
    return list
  end
  local by_key = {}
  for _, e in ipairs(list) do by_key[e[first] .. "\0" .. e[second]] = e end
  table.sort(counts, function(p, q) return p > q end)
  local out = {}
  for _, w in ipairs(counts) do
    local b = buckets[w]
    table.sort(b)
    for i = 1, #b do out[#out + 1] = by_key[b[i]] end
  end
  return out
end

--- Sorts a list of tables by the string `first`, then the string `second`, as a sort with that comparator
--- does when no two items share both; faster, by first .. "\0" .. second in the plain string order.
--- Returns the sorted list (a new one, or the same).
---@param list table[]
---@param first string the field of the first string
---@param second string the field of the second
---@return table[]
function M.sort_by2(list, first, second)
  local keys, by_key, plain = {}, {}, true
  for i, e in ipairs(list) do
    local x, y = e[first], e[second]
    if type(x) ~= "string" or type(y) ~= "string" or find(x, "\0", 1, true) or find(y, "\0", 1, true) then
      plain = false
      break
    end
    local k = x .. "\0" .. y
    if by_key[k] then plain = false break end
    by_key[k] = e
    keys[i] = k
  end
  if not plain then
    table.sort(list, function(a, b)
      if a[first] ~= b[first] then return a[first] < b[first] end
      return a[second] < b[second]
    end)
    return list
  end
  table.sort(keys)
  local out = {}
  for i = 1, #keys do out[i] = by_key[keys[i]] end
  return out
end

--- Escapes text for XML.
---@param s any
---@return string
function M.xml(s)
  s = tostring(s)
  if not find(s, '[&<>"]') then return s end
  return (s:gsub("&", "&amp;"):gsub("<", "&lt;"):gsub(">", "&gt;"):gsub('"', "&quot;"))
end

return M
