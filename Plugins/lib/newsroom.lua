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
  welcomes accused accuses conceded predicted estimated estimates reminded reminds]]):gmatch("%a+") do
  M.speech_verbs[w] = true
end

--- Verbs that, followed by "that" or a clause, report speech indirectly.
M.reporting_verbs = {}
for w in ([[said says told tells warned warns stated states declared declares insisted insists
  explained explains noted notes argued argues claimed claims stressed stresses acknowledged
  acknowledges conceded admitted admits suggested suggests complained predicted promised vowed
  cautioned confirmed denied maintained emphasised emphasized announced reported believes
  believed added reminded observed]]):gmatch("%a+") do
  M.reporting_verbs[w] = true
end

--- Words of titles and roles that may stand before a person's name ("Finance Secretary Jaime Ongpin",
--- "Mr. Baker"): a speaker's canonical name is the name without them.
M.title_words = {}
for w in ([[mr mrs ms miss dr prof professor sir dame lord lady rev father sheikh president vice prime deputy
  minister secretary chancellor premier governor senator sen rep representative congressman congresswoman
  mayor chairman chairwoman chair chief executive officer director general gen commissioner ambassador
  judge justice king queen prince princess finance foreign trade treasury agriculture energy defence
  defense interior economy economics labor labour commerce transport oil state assistant under
  undersecretary spokesman spokeswoman analyst economist managing senior acting former party leader
  president-elect col colonel admiral adm lt captain capt sergeant sgt exchequer]]):gmatch("[%a%-]+") do
  M.title_words[w] = true
end

--- Given names that tell a person's gender ("he" or "she"), for resolving pronouns; a name not listed
--- tells nothing. Made for Quarry: common English given names.
M.given_names = {}
for w in ([[james john robert michael william david richard joseph thomas charles christopher daniel paul
  mark donald george kenneth steven edward brian ronald anthony kevin jason jeffrey gary timothy larry
  jose frank scott eric stephen andrew raymond gregory joshua jerry dennis walter peter harold douglas
  henry carl arthur ryan roger joe juan jack albert jonathan justin terry gerald keith samuel willie
  ralph lawrence nicholas roy benjamin bruce brandon adam harry fred wayne billy steve louis jeremy
  aaron randy howard eugene carlos russell bobby victor martin ernest phillip todd jesse craig alan
  shawn clarence sean philip chris johnny earl jimmy antonio danny bryan tony luis mike stanley leonard
  nathan dale manuel rodney curtis norman allen marvin vincent glenn jeffery travis jeff chad jacob lee
  melvin alfred kyle francis bradley jesus herbert frederick ray joel edwin don eddie ricky troy randall
  barry alexander bernard mario leroy francisco marcus micheal theodore clifford miguel oscar jay jim
  tom calvin alex jon ronnie bill lloyd tommy leon derek warren darrell jerome floyd leo alvin tim
  wesley gordon dean greg jorge dustin pedro derrick dan lewis zachary corey herman maurice vernon
  roberto clyde glen hector shane ricardo sam rick lester brent ramon charlie tyler gilbert gene marc
  reginald ruben brett angel nathaniel rafael leslie edgar milton raul ben chester cecil duane franklin
  andre elmer brad gabriel ron mitchell roland arnold harvey jared adrian karl cory claude erik darryl
  jamie neil jessie christian javier fernando clinton ted mathew tyrone darren lonnie lance cody julio
  kelly kurt allan nelson guy clayton hugh max dwayne dwight armando felix jimmie everett jordan ian
  wallace ken bob jaime casey alfredo alberto dave ivan johnnie sidney byron julian isaac morris
  clifton willard daryl ross virgil andy marshall salvador perry kirk sergio marion tracy seth kent
  terrance rene eduardo terrence enrique freddie wade helmut hans gerhard karl otto juergen jacques
  francois pierre jean michel yasuhiro noboru kiichi satoshi mikhail boris nikolai ali mohammed ahmed
  hassan hosni yitzhak shimon malcolm clayton caspar dan]]):gmatch("%a+") do
  M.given_names[w] = "he"
end
for w in ([[mary patricia linda barbara elizabeth jennifer maria susan margaret dorothy lisa nancy karen
  betty helen sandra donna carol ruth sharon michelle laura sarah kimberly deborah jessica shirley
  cynthia angela melissa brenda amy anna rebecca virginia kathleen pamela martha debra amanda stephanie
  carolyn christine marie janet catherine frances ann joyce diane alice julie heather teresa doris
  gloria evelyn jean cheryl mildred katherine joan ashley judith rose janice nicole judy christina
  kathy theresa beverly denise tammy irene jane lori rachel marilyn andrea kathryn louise sara anne
  jacqueline wanda bonnie julia ruby lois tina phyllis norma paula diana annie lillian emily robin
  peggy crystal gladys rita dawn connie florence tracy edna tiffany carmen rosa cindy grace wendy
  victoria edith kim sherry sylvia josephine thelma shannon sheila ethel ellen elaine marjorie carrie
  charlotte monica esther pauline emma juanita anita rhonda hazel amber eva debbie april leslie clara
  lucille jamie joanne eleanor valerie danielle megan alicia suzanne michele gail bertha darlene
  veronica jill erin geraldine lauren cathy joann lorraine lynn sally regina erica beatrice dolores
  bernice audrey yvonne annette june samantha marion dana stacy ana renee ida vivian roberta holly
  brittany melanie loretta yolanda jeanette laurie katie kristen vanessa alma sue elsie beth jeanne
  margaret corazon imelda indira benazir golda margaret angela ingrid birgit brigitte]]):gmatch("%a+") do
  M.given_names[w] = M.given_names[w] == "he" and false or "she" -- (a name given to both tells nothing)
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
