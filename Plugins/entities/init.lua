-- entities: people, places, organisations, nationalities and groups, from gazetteers (data/*.tsv,
-- plus the user's own lists) and from capitalization and context; short mentions and aliases are
-- resolved to one canonical name per entity. Its annotations feed quotes and the report plugins.
--
-- Sample output (annotations in results.jsonl, on Samples/herald/port-strike-begins.txt):
--   PERSON        "Jonas Brekke"   {canonical = "Jonas Brekke", mentions = 2, role = "head"}
--   PERSON        "Brekke"         {canonical = "Jonas Brekke", mentions = 2}
--   PERSON        "Dario Feld"     {canonical = "Dario Feld", mentions = 1, title = "Transport Minister"}
--   ORGANIZATION  "Saltmere Dockworkers' Union"  {canonical = "Saltmere Dockworkers' Union", mentions = 1}
--   LOCATION      "Saltmere"       {canonical = "Saltmere", mentions = 3}
-- and a document feature `entities` = {{canonical =, type =, mentions =}, ...}, most mentioned first.
local newsroom = require("newsroom")

local PAYLOAD        -- the gazetteer's entries, by phrase number
local GAZ            -- compiled phrase list: countries, demonyms, capitals, places, organisations, news, groups, user lists
local TITLES = {}    -- "transport minister" -> "title" | "honorific" | "role"
local ROLES = {}     -- lower-case role nouns ("spokesman", "director")
local FIRST = {}     -- given names
local STOP = {}      -- capitalized words that are not names at the start of a run
local CUES = {}      -- "Union" -> ORGANIZATION, "River" -> LOCATION
local ALIAS = {}     -- "Kiev" -> "Kyiv"
local UPPER_GAZ = {} -- "RIO DE JANEIRO" -> {type = "LOCATION", canonical = "Rio de Janeiro"}: places and organisations in capitals
local UPPER_FIRST = {} -- the first words of UPPER_GAZ's names ("RIO"): where a headline's name may start
local MAX_TITLE_WORDS = 3
local TITLE_FIRST = {} -- first words of titles, lower case

-- A run of capitalized words (letters, apostrophes, hyphens, inner dots), possibly across one line break.
-- The regexes are plain ASCII (’ is written \x{2019}): doc:find looks up its compiled regex by the pattern's
-- text at every call, and that costs several times more for a long pattern with non-ASCII characters.
-- WORD_CHAR lists the ASCII letters and digits before the Unicode properties that already hold them: PCRE2
-- tests a character against the listed ones first, and most characters of a run are ASCII.
local WORD_CHAR = [=[[a-zA-Z0-9'.\-\p{L}\p{M}\p{N}\x{2019}]]=]  -- a character of a capitalized word after its capital
local SEP = [[(?:[ \t]+|[ \t]*\n[ \t]*)]]               -- between the words of a run
-- A particle inside a name, between two capitalized words ("Willy de Clercq", "Ludwig van Beethoven").
local PARTICLE = [[(?:(?:de|del|della|der|den|van|von|da|di|dos|das|du|bin|ibn|ter|al)]] .. SEP .. [[(?=\p{Lu}))?]]
local RUN_BODY = [[\p{Lu}]] .. WORD_CHAR .. "*(?:" .. SEP .. PARTICLE .. [[\p{Lu}]] .. WORD_CHAR .. "*)*"
local NO_WORD_BEFORE = [[(?<![\p{L}\p{N}'\x{2019}])]]
-- Only runs with a lower-case (ASCII) letter in one of their words: all-caps runs (headlines, datelines,
-- acronyms) hold no new names, and skipping them in the regex saves handing each one to Lua.
local HAS_LOWER = "(?=(?:" .. WORD_CHAR .. "*" .. SEP .. [[(?=\p{Lu}))*]] .. WORD_CHAR .. "*?[a-z])"
local RUN = NO_WORD_BEFORE .. HAS_LOWER .. RUN_BODY
-- Arabic articles joined to a name ("al-Qabas", "el-Sisi"): the name starts with them (see capitalized_candidates).
local ARTICLES = {al = true, el = true, ad = true, ar = true, as = true, ash = true, at = true, az = true, an = true}

-- Places that are also given names: a person's when the word after them is later used alone (see
-- given_name_people).
local PLACE_GIVEN_NAMES = {}
for w in ("Sydney Paris Chelsea Georgia Florence Austin Jordan Lincoln Madison Savannah Victoria Carolina Virginia "
    .. "Adelaide Charlotte Orlando Dallas Denver Regina Phoenix Houston Lourdes Israel"):gmatch("%a+") do
  PLACE_GIVEN_NAMES[w] = true
end

-- Given names that are also common words, places or parts of other names: no evidence of a person alone.
local NOT_FIRST = {}
for w in ("Mark Frank Bill Dean Christian Guy Angel Marshall Jordan Lance Kent Chester Perry Jesus Grant Will "
    .. "Victor Rod Rick Ray Lee Gene Sam Max Ivan Wade Glen Dale Rocky Clay Chase Hunter Carter Miles Marion "
    .. "Virginia Georgia Carolina Florence Paris Austin Lincoln Washington Warren Gordon Nelson Clinton Franklin"):gmatch("%a+") do
  NOT_FIRST[w] = true
end

local ABBREV = {}
for w in ("Mr Mrs Ms Dr St Jr Sr Gen Col Lt Capt Sgt Rep Sen Prof Rev Adm Inc Corp Co Ltd Mt Ft"):gmatch("%a+") do ABBREV[w] = true end

local PLACE_PREPS = {["in"] = true, ["at"] = true, ["from"] = true, ["near"] = true, ["outside"] = true,
  ["across"] = true, ["throughout"] = true, ["inside"] = true, ["into"] = true, ["to"] = true}
-- Nouns before "in", "of" or "for" that make the next name an organisation: "shares in Nintendo", "a stake
-- in Yukos", "chief executive of Skype", "a spokesman for Gazprom".
local ORG_BEFORE = {}
for w in ("shares share stake stakes holding holdings investment investments interest takeover acquisition "
    .. "buyout bid merger subsidiary unit division owner owners shareholders shareholder executive executives "
    .. "employees staff workers boss chairman chairwoman founder spokesman spokeswoman spokesperson director "
    .. "directors board customers"):gmatch("%a+") do ORG_BEFORE[w] = true end
-- Nouns of publications and news agencies: the name right after one is the publication ("the daily al-Qabas").
local MEDIA_NOUNS = {newspaper = true, daily = true, weekly = true, magazine = true, paper = true, journal = true,
  tabloid = true, broadsheet = true, agency = true, broadcaster = true}
local PLACE_NOUNS = {town = true, city = true, village = true, port = true, region = true, province = true,
  capital = true, district = true, island = true, country = true, county = true, state = true, river = true}
local PERSON_CUES = {named = true, called = true, ["mr"] = true, ["mrs"] = true, ["ms"] = true}
local ORG_NEXT = {party = true, union = true, group = true, company = true, ministry = true, agency = true,
  newspaper = true, daily = true, radio = true, broadcaster = true, bank = true, firm = true, movement = true}

-- Adds a gazetteer phrase, with its possessive forms ("China's"), matched case-sensitively.
local function add(entries, phrase, type, canonical, kind)
  if not phrase or phrase == "" then return end
  canonical = ALIAS[canonical] or canonical
  entries[#entries + 1] = {phrase, type = type, canonical = canonical, kind = kind or ""}
  if not phrase:find("s$") then
    entries[#entries + 1] = {phrase .. "'s", type = type, canonical = canonical, kind = kind or "", poss = "1"}
  end
end

-- The words as one regular expression, grouped by common prefixes: A(?:bove|fter|) instead of Above|After|A.
-- `words` are lists of characters; the regex matches exactly the words that the plain alternation would.
local function alternation(words, depth)
  local groups, order, ends = {}, {}, false
  for _, w in ipairs(words) do
    if #w < depth then ends = true
    else
      local c = w[depth]
      if not groups[c] then groups[c] = {}; order[#order + 1] = c end
      table.insert(groups[c], w)
    end
  end
  table.sort(order)
  local alts = {}
  for _, c in ipairs(order) do alts[#alts + 1] = c:gsub("[%.%-']", "\\%0") .. alternation(groups[c], depth + 1) end
  if #alts == 0 then return "" end
  if ends then alts[#alts + 1] = "" end
  if #alts == 1 then return alts[1] end
  return "(?:" .. table.concat(alts, "|") .. ")"
end

-- The aliases shipped in data/aliases.tsv, then the user's alias files (option `aliases`).
---@param ctx Context
local function load_aliases(ctx)
  for _, row in ipairs(newsroom.read_table(ctx, "data/aliases.tsv")) do ALIAS[row.alias] = row.canonical end
  for _, name in ipairs(ctx.options.aliases or {}) do
    for i, row in ipairs(newsroom.read_table(ctx, name)) do
      local alias = row.alias or row.phrase
      if not alias or alias == "" or not row.canonical or row.canonical == "" then
        error(("entities: %s:%d: a row needs an `alias` and a `canonical`"):format(name, i + 1), 0)
      end
      ALIAS[alias] = row.canonical
    end
  end
  -- chains resolve to their end ("UK" -> "Britain" -> "United Kingdom"); a loop is an error naming it
  for alias in pairs(ALIAS) do
    local seen, path, name = {}, {alias}, alias
    while ALIAS[name] and ALIAS[name] ~= name do
      seen[name] = true
      name = ALIAS[name]
      path[#path + 1] = name
      if seen[name] then
        error(("entities: the aliases loop: %s"):format(table.concat(path, " -> ")), 0)
      end
    end
    ALIAS[alias] = name
  end
end

-- The types a user's gazetteer row may give (column `type`).
local LIST_TYPES = {PERSON = true, ORGANIZATION = true, LOCATION = true, GROUP = true, NATIONALITY = true}

-- The gazetteer's entries: countries (with their variants, demonyms and capitals), places, organisations,
-- news organisations, groups, the user's lists (option `lists`), and the aliases of all of them.
---@param ctx Context
---@return table[] entries phrases with their payload `type`, `canonical`, `kind` (and `poss` for "X's")
local function gazetteer_entries(ctx)
  local e = {}
  for _, r in ipairs(newsroom.read_table(ctx, "data/countries.tsv")) do
    add(e, r.country, "LOCATION", r.country, "country")
    for v in (r.variants or ""):gmatch("[^;]+") do add(e, v, "LOCATION", r.country, "country") end
    add(e, r.demonym, "NATIONALITY", r.demonym, "demonym")
    if r.demonym:find("[^s]$") and not r.demonym:find("sh$") and not r.demonym:find("ch$") and not r.demonym:find("ese$") then
      add(e, r.demonym .. "s", "GROUP", r.demonym .. "s", "people")
    end
    add(e, r.capital, "LOCATION", r.capital, "capital")
  end
  for _, r in ipairs(newsroom.read_table(ctx, "data/places.tsv")) do add(e, r.phrase, "LOCATION", r.canonical, r.kind) end
  for _, r in ipairs(newsroom.read_table(ctx, "data/organizations.tsv")) do add(e, r.phrase, "ORGANIZATION", r.canonical, r.kind) end
  for _, r in ipairs(newsroom.read_table(ctx, "data/news.tsv")) do add(e, r.phrase, "ORGANIZATION", r.canonical, "news") end
  for _, r in ipairs(newsroom.read_table(ctx, "data/groups.tsv")) do add(e, r.phrase, "GROUP", r.canonical, "group") end
  for _, name in ipairs(ctx.options.lists or {}) do
    for i, r in ipairs(newsroom.read_table(ctx, name)) do
      local phrase = r.phrase or r.name
      if not phrase or phrase == "" then
        error(("entities: %s:%d: a row needs a `phrase` (or `name`)"):format(name, i + 1), 0)
      end
      local type = (r.type and r.type ~= "" and r.type or "PERSON"):upper()
      if not LIST_TYPES[type] then
        error(("entities: %s:%d: type '%s' is not one of PERSON, ORGANIZATION, LOCATION, GROUP, NATIONALITY")
          :format(name, i + 1, r.type), 0)
      end
      add(e, phrase, type, (r.canonical and r.canonical ~= "" and r.canonical) or phrase, r.kind or "user")
    end
  end
  -- Aliases whose canonical form is known become phrases of the same type.
  local known = {}
  for _, entry in ipairs(e) do known[entry.canonical] = known[entry.canonical] or entry end
  for alias, canonical in pairs(ALIAS) do
    local entry = known[canonical]
    if entry then add(e, alias, entry.type, canonical, entry.kind) end
  end
  return e
end

-- Titles ("Transport Minister"), and the role nouns among them ("spokesman").
---@param ctx Context
local function load_titles(ctx)
  for _, r in ipairs(newsroom.read_table(ctx, "data/titles.tsv")) do
    TITLES[r.phrase:lower()] = TITLES[r.phrase:lower()] or r.kind
    TITLE_FIRST[r.phrase:lower():match("^(%S+)")] = true
    if r.kind == "role" then ROLES[r.phrase:lower()] = true end
  end
end

-- The stop words, and the regex of runs that do not start with one.
---@param ctx Context
local function load_stop_words(ctx)
  local stops = {}
  for _, r in ipairs(newsroom.read_table(ctx, "data/stopwords.tsv")) do
    STOP[r.word] = true
    local chars = {}
    for ch in r.word:gmatch(utf8.charpattern) do chars[#chars + 1] = ch end
    stops[#stops + 1] = chars
  end
  -- a run does not start with a stop word ("The", "Monday"): the regex skips them in C, not in Lua. The stop
  -- words are one alternation folded into a prefix tree, tried only where a capital letter starts a word.
  -- (An upper-case letter is A-Z or not ASCII: that first test lets PCRE2 skip ahead to the bytes that can
  -- start one, instead of trying the whole regex at every position.)
  RUN = [[(?=[A-Z\x{80}-\x{10FFFF}])(?=\p{Lu})]] .. NO_WORD_BEFORE .. "(?!" .. alternation(stops, 1) .. [[(?![\p{L}\p{N}'\x{2019}.\-]))]]
    .. HAS_LOWER .. RUN_BODY
end

---@param ctx Context
local function setup(ctx)
  load_aliases(ctx)
  local entries = gazetteer_entries(ctx)
  GAZ = quarry.phrases(entries)
  for _, e in ipairs(entries) do
    if not e.poss and (e.type == "LOCATION" or e.type == "ORGANIZATION") then
      local upper = e[1]:upper()
      UPPER_GAZ[upper] = UPPER_GAZ[upper] or {type = e.type, canonical = e.canonical}
      UPPER_FIRST[upper:match("^%S+")] = true
    end
  end
  PAYLOAD = entries -- m.phrase is the number of the entry, so its payload is read here, not copied per match
  load_titles(ctx)
  for _, r in ipairs(newsroom.read_table(ctx, "data/first-names.tsv")) do FIRST[r.name] = true end
  -- the given names newsroom knows the gender of are given names too, but for those that are also common
  -- words or places before a name ("Mark", "Jordan", "Christian Democrats")
  for name in pairs(newsroom.given_names) do
    local cap = name:sub(1, 1):upper() .. name:sub(2)
    if not NOT_FIRST[cap] then FIRST[cap] = true end
  end
  load_stop_words(ctx)
  for _, r in ipairs(newsroom.read_table(ctx, "data/cues.tsv")) do CUES[r.word] = r.type end
end


local byte, sub, find, concat = string.byte, string.sub, string.find, table.concat

-- Per-word facts, computed once per worker for each distinct word (capitalized words repeat across a corpus),
-- and the same for whole runs and gazetteer matches: their words and where each starts.
local LOWER, STRIPPED, NOSTART, RUN_WORDS, PHRASE_WORDS = {}, {}, {}, {}, {}
local memo_size = 0
local function forget_words()
  if memo_size > 200000 then LOWER, STRIPPED, NOSTART, RUN_WORDS, PHRASE_WORDS, memo_size = {}, {}, {}, {}, {}, 0 end
end

-- The words of a run as a list {word, offset, word, offset, ...}, split at white space; a final dot is
-- dropped ("Tovik." -> "Tovik") unless the word is an abbreviation ("Mr.") or has other dots ("U.S."), or is
-- a middle initial ("John D. Dingell": one capital letter with a word after it).
local function run_words(rt)
  local list = RUN_WORDS[rt]
  if list then return list end
  list = {}
  local p = 1
  repeat
    local gap, gap_end = find(rt, "%s+", p)
    local w = gap and sub(rt, p, gap - 1) or (p == 1 and rt or sub(rt, p))
    if byte(w, -1) == 46 then
      local base = sub(w, 1, -2)
      if not ABBREV[base] and not find(base, ".", 1, true) and not (gap and #base == 1) then w = base end
    end
    list[#list + 1] = w
    list[#list + 1] = p - 1
    p = gap and gap_end + 1
  until not gap
  RUN_WORDS[rt] = list
  memo_size = memo_size + 1
  return list
end

-- Where the words after the first start in a phrase's text (offsets from its start; an empty list for one word).
local function phrase_words(mt)
  local list = PHRASE_WORDS[mt]
  if list then return list end
  list = {}
  local gap, gap_end = find(mt, "%s+")
  while gap do
    list[#list + 1] = gap_end
    gap, gap_end = find(mt, "%s+", gap_end + 1)
  end
  PHRASE_WORDS[mt] = list
  memo_size = memo_size + 1
  return list
end

-- "China's" -> "China", "Reyes'" -> "Reyes", and the same with a typographic apostrophe (’, three
-- bytes: E2 80 99), byte-wise.
local function strip_possessive(word)
  local base = STRIPPED[word]
  if base then return base end
  base = word
  local n = #word
  if n >= 2 then
    local last, prev = byte(word, n), byte(word, n - 1)
    if last == 115 and prev == 39 then base = sub(word, 1, -3)                      -- 's
    elseif last == 39 and prev == 115 then base = sub(word, 1, -2)                  -- s'
    elseif n >= 4 and last == 115 and prev == 0x99 and sub(word, -4, -3) == "\226\128" then
      base = sub(word, 1, -5)                                                        -- ’s
    elseif n >= 4 and last == 0x99 and sub(word, -3, -2) == "\226\128" and byte(word, n - 3) == 115 then
      base = sub(word, 1, -4)                                                        -- s’
    end
  end
  STRIPPED[word] = base
  memo_size = memo_size + 1
  return base
end

local function lower(word)
  local l = LOWER[word]
  if not l then l = word:lower(); LOWER[word] = l; memo_size = memo_size + 1 end
  return l
end

-- A word that cannot start a name: a stop word, or all capitals (headline, acronym): ^%u[%u%d%p]*$
local function no_start(word)
  local v = NOSTART[word]
  if v == nil then
    v = STOP[word] or find(word, "^%u[%u%d%p]*$") ~= nil
    NOSTART[word] = v
    memo_size = memo_size + 1
  end
  return v
end

-- Bytes that may come before a sentence's first word: white space (%s), " ' ( [ -
local OPENING = {[32] = true, [9] = true, [10] = true, [11] = true, [12] = true, [13] = true, [34] = true, [39] = true,
  [40] = true, [91] = true, [45] = true}

-- White space (%s) and ASCII letters (%a), by byte: a table look-up costs less than a function call.
local SPACE, ALPHA = {[32] = true}, {}
for b = 9, 13 do SPACE[b] = true end
for b = 65, 90 do ALPHA[b] = true; ALPHA[b + 32] = true end

-- The lower-case word right before position p (skipping a comma), for role cues: "spokesman Dmitry Peskov".
-- (What text:sub(p - 32, p - 1):match("([%a%-']+)[,%s]*$") finds, read backwards byte by byte.)
local function role_before(text, p)
  local lo = p - 32
  if lo < 1 then lo = 1 end
  local e = p - 1
  while e >= lo do
    local b = byte(text, e)
    if b == 44 or SPACE[b] then e = e - 1 else break end
  end
  local i = e
  while i >= lo do
    local b = byte(text, i)
    if (b >= 97 and b <= 122) or b == 45 or b == 39 then i = i - 1
    elseif b >= 65 and b <= 90 then return nil -- not lower case
    else break end
  end
  if i == e then return nil end
  local last = sub(text, i + 1, e)
  if ROLES[last] or PERSON_CUES[last] then return last end
  return nil
end

-- ", the Kremlin spokesman" / ", head of the ..." / ", 68," after a name.
local function apposition_after(text, stop)
  local after = text:sub(stop + 1, stop + 80)
  if after:find("^,%s*%d%d?,") then return "age" end
  local clause = after:match("^,%s*(.-)[,.;:]") or after:match("^,%s*(.*)$")
  if not clause then return nil end
  -- The clause's first two words decide most cases (", which", ", said"): the rest is listed only then.
  local s1, e1 = find(clause, "[%a%-'’]+")
  if not s1 then return nil end
  local w1 = sub(clause, s1, e1)
  local first = w1:lower()
  if not (first == "the" or first == "a" or first == "an" or first == "its" or first == "his" or first == "her"
      or ROLES[first] or ROLES[(w1 .. " " .. (clause:match("[%a%-'’]+", e1 + 1) or "")):lower()]) then
    return nil
  end
  local words = {}
  for w in clause:gmatch("[%a%-'’]+") do words[#words + 1] = w end
  if #words > 8 then return nil end
  for i = 1, #words do
    local w = words[i]:lower()
    if w == "of" or w == "at" or w == "for" then break end
    if ROLES[w] then return w end
  end
  return nil
end

local function speech_after(text, stop)
  local w = text:match("^['’]?s?%s+(%a+)", stop + 1)
  return w and newsroom.speech_verbs[w] or false
end

-- "in Tovik", "the port of Tovik" (what the patterns (%a+)%s+(of)%s+$ and (%a+)%s+$ find in the 24 bytes
-- before the word, read backwards byte by byte).
-- Whether the words right before a name say it is an organisation: ORG_BEFORE, then "in", "of" or "for".
---@param text string
---@param start integer the name's first byte
---@return boolean
local function org_context(text, start)
  local noun, prep = sub(text, start > 40 and start - 40 or 1, start - 1):lower():match("(%a+)%s+(%a+)%s+$")
  if prep and MEDIA_NOUNS[prep] then return true end -- "the Kuwait daily al-Qabas", "the newspaper Le Monde"
  return noun ~= nil and (prep == "in" or prep == "of" or prep == "for") and ORG_BEFORE[noun] == true
end

local function place_context(text, start)
  local lo = start - 24
  if lo < 1 then lo = 1 end
  local j = start - 1
  while j >= lo and SPACE[byte(text, j)] do j = j - 1 end
  if j == start - 1 then return false end
  local i = j
  while i >= lo and ALPHA[byte(text, i)] do i = i - 1 end
  if i == j then return false end
  local last = sub(text, i + 1, j)
  if last == "of" then
    local k = i
    while k >= lo and SPACE[byte(text, k)] do k = k - 1 end
    if k < i then
      local m = k
      while m >= lo and ALPHA[byte(text, m)] do m = m - 1 end
      if m < k and PLACE_NOUNS[sub(text, m + 1, k):lower()] then return true end
    end
  end
  return PLACE_PREPS[last] or false
end

-- What process works with, stage by stage:
---@class Mention        a stretch of text that names an entity
---@field start integer
---@field stop integer
---@field type string     PERSON, LOCATION, ORGANIZATION, NATIONALITY, GROUP or MISC
---@field canonical string
---@field kind string?    the gazetteer's kind ("country", "capital"...), "" when none
---@field title string?   "Transport Minister"
---@field role string?    "spokesman"
---@field dropped boolean? a gazetteer place absorbed into the organisation after it
---@field entry table?    the entity's summary line, shared by its mentions

---@class Candidate: Mention a name found from capitalization, before and after it is classified
---@field words string[]  its words, without possessives
---@field count integer   how many words
---@field key string      its last word
---@field text string
---@field heading boolean inside a title or heading
---@field initial boolean? the first word of a sentence or quotation
---@field last_stop integer the last byte of its last word, possessive included
---@field why string?     what decided its type
---@field speaks boolean? a speech verb follows it

-- The first byte from p that is not a space or "'([- (what text:find("[^%s\"'(%[%-]", p) finds).
local function first_open(text, p)
  local b = byte(text, p)
  while b do
    if not OPENING[b] then return p end
    p = p + 1
    b = byte(text, p)
  end
  return nil
end

-- Marks where the words start after opening marks from p, typographic quotes and dashes included.
local function mark_initial(initial, text, p)
  local q = first_open(text, p) or p
  if byte(text, q) == 0xE2 then -- typographic quotes and dashes: 3 bytes each
    q = first_open(text, q + 3) or q
  end
  initial[q] = true
end

-- Stage 1: the positions where a sentence (or a quotation) starts, after any opening marks.
---@param doc Doc
---@return table<integer, boolean> initial
local function sentence_starts(doc)
  local text = doc.text
  local initial = {}
  for s in doc.sentences:each() do
    local p = s.start
    local b = byte(text, p)
    if OPENING[b] or b == 0xE2 then mark_initial(initial, text, p) else initial[p] = true end
  end
  for _, q in ipairs(doc.quotes) do mark_initial(initial, text, q.inner.start) end
  return initial
end

-- Stage 2: the titles and headings written in capitals (a Reuters headline), their first and last bytes
-- (one walk over the blocks). A heading in mixed case (a dateline paragraph the reader took for one) is text.
---@param doc Doc
---@return integer[] starts
---@return integer[] stops
local function headings(doc)
  local starts, stops = {}, {}
  for b in doc.blocks:each() do
    local kind = b.kind
    if (kind == "title" or kind == "heading") and not b.text:find("%l") then
      starts[#starts + 1], stops[#stops + 1] = b.start, b.stop
    end
  end
  return starts, stops
end

-- Stage 3: the gazetteer's matches, and the start byte of every word they cover.
---@param doc Doc
---@return Mention[] mentions
---@return table<integer, boolean> covered
local function gazetteer_mentions(doc)
  local text = doc.text
  local mentions, covered = {}, {}
  for m in doc:match(GAZ) do
    local d = PAYLOAD[m.phrase]
    local start, stop = m.start, m.stop
    if d.poss then stop = stop - (sub(text, stop - 3, stop - 2) == "\226\128" and 4 or 2) end
    mentions[#mentions + 1] = {start = start, stop = stop, type = d.type, canonical = d.canonical, kind = d.kind}
    covered[start] = true
    local others = phrase_words(m.text)
    for k = 1, #others do covered[start + others[k]] = true end
  end
  return mentions, covered
end

-- A candidate from the words a..b of a run: W holds the run's words, S where each starts.
---@param W string[]
---@param S integer[]
---@param a integer
---@param b integer
---@param title string?
---@param heading boolean
---@param initial table<integer, boolean>
---@return Candidate
local function new_candidate(W, S, a, b, title, heading, initial)
  local words = {strip_possessive(W[a])} -- most candidates are one word
  for j = a + 1, b do words[#words + 1] = strip_possessive(W[j]) end
  local count = b - a + 1
  local lastw = words[count]
  -- (all the fields known here are set at once: a table that grows field by field is resized on the way)
  return {words = words, count = count, key = lastw,
    text = count == 1 and lastw or concat(words, " "), title = title, heading = heading, initial = initial[S[a]],
    start = S[a], stop = S[b] + #lastw - 1, last_stop = S[b] + #W[b] - 1}
end

-- The longest title starting at the run's word i (up to three words, and never the run's last word: a name
-- follows): how many words it has (0 for none), and its text.
---@param W string[]
---@param i integer
---@param n integer the number of words in the run
---@return integer words
---@return string? title
local function title_at(W, i, n)
  local w = W[i]
  local lw = i < n and lower(w)
  if lw and TITLE_FIRST[lw] then
    for k = math.min(MAX_TITLE_WORDS, n - i + 1), 1, -1 do
      if i + k <= n then
        local phrase = k == 1 and w or concat(W, " ", i, i + k - 1)
        local kind = TITLES[k == 1 and lw or phrase:lower()]
        if kind and (kind ~= "role" or lw ~= w) then return k, phrase end
      end
    end
  end
  return 0, nil
end

-- Corporate suffixes: a name ending with one is an organisation ("Texaco Inc", "Paine Webber and Co").
local CORPORATE = {}
for w in ("Inc Inc. Corp Corp. Co Co. Ltd Ltd. Plc PLC plc AG SA S.A. NV N.V. N.A. BV GmbH SpA Cie Bhd LLC LP Pty "
    .. "Corporation Company Incorporated Limited Group Holdings"):gmatch("%S+") do CORPORATE[w] = true end

-- Whether a possessive word W[b] ends the candidate before word i ("Jardine's Rasmussen"): not when the rest
-- of the run is part of one organisation's name ("McDonald's Corp", "Moody's Investors Service").
local function possessive_break(W, b, i, n)
  if strip_possessive(W[b]) == W[b] then return false end
  for j = i, n do
    if CUES[W[j]] or CORPORATE[W[j]] then return false end
  end
  return true
end

-- Cuts a run of n capitalized words into candidates (added to `out`): sentence starts, gazetteer words, titles
-- and stop words end a candidate; a title is kept with the name that follows it.
---@param out Candidate[]
---@param W string[]
---@param S integer[]
---@param n integer
---@param initial table<integer, boolean>
---@param covered table<integer, boolean>
---@param heading boolean
local function split_run(out, W, S, n, initial, covered, heading)
  local i = 1
  local a, b, pending_title = nil, nil, nil
  while i <= n do
    local s = S[i]
    if initial[s] then
      if a then out[#out + 1] = new_candidate(W, S, a, b, pending_title, heading, initial); a = nil end
      pending_title = nil
    end
    if covered[s] then
      if a then out[#out + 1] = new_candidate(W, S, a, b, pending_title, heading, initial); a = nil end
      pending_title = nil
      i = i + 1
    elseif a and possessive_break(W, b, i, n) then
      -- "Jardine's Rasmussen": the owner's name, then another name
      out[#out + 1] = new_candidate(W, S, a, b, pending_title, heading, initial)
      a, b, pending_title = i, i, nil
      i = i + 1
    elseif a then
      -- an organisation's name, then a title and a name: "Senate Agriculture Committee Chairman Patrick Leahy"
      local tlen, title = 0, nil
      if CUES[W[b]] == "ORGANIZATION" then tlen, title = title_at(W, i, n) end
      if tlen > 0 and i + tlen <= n and not covered[S[i + tlen]] then
        out[#out + 1] = new_candidate(W, S, a, b, pending_title, heading, initial)
        a, pending_title = nil, title
        i = i + tlen
      else
        b = i
        i = i + 1
      end
    else
      local tlen, title = title_at(W, i, n)
      if tlen > 0 then
        pending_title = title
        i = i + tlen
      elseif no_start(W[i]) then
        -- a leading stop word, or an all-caps word (headline, acronym): not a name start
        i = i + 1
      else
        a, b = i, i
        i = i + 1
      end
    end
  end
  if a then out[#out + 1] = new_candidate(W, S, a, b, pending_title, heading, initial) end
end

-- Stage 4: runs of capitalized words, cut into candidate names.
---@param doc Doc
---@param initial table<integer, boolean>
---@param covered table<integer, boolean>
---@param head_start integer[] the headlines in capitals (see headings)
---@param head_stop integer[]
---@return Candidate[]
local function capitalized_candidates(doc, initial, covered, head_start, head_stop)
  local nheads = #head_start
  local text = doc.text
  local candidates = {}
  local W, S = {}, {} -- the current run's words and their start bytes
  forget_words()
  for run in doc:find(RUN) do
    -- (no run starts with a stop word: the regex leaves them out)
    local rs = run.start
    local heading = false
    for k = 1, nheads do
      if rs >= head_start[k] and rs <= head_stop[k] then heading = true break end
    end
    local list = run_words(run.text)
    local n = #list // 2
    for k = 1, n do W[k], S[k] = list[2 * k - 1], rs + list[2 * k] end
    if byte(text, rs - 1) == 45 then -- "al-Qabas": the article is part of the name
      local article = sub(text, rs - 4 > 0 and rs - 4 or 1, rs - 2):match("%f[%a](%l%l%l?)$")
      if article and ARTICLES[article] then W[1], S[1] = article .. "-" .. W[1], rs - #article - 1 end
    end
    split_run(candidates, W, S, n, initial, covered, heading)
  end
  return candidates
end

-- The type of one candidate, from the evidence around it: a title, a cue word ("Union"), the noun after it,
-- a role before it, an apposition, a given name, a place preposition, a speech verb, a nationality suffix.
-- Records in `speakers` the last words of names a speech verb follows.
---@param c Candidate
---@param text string
---@param speakers table<string, boolean>
local function classify(c, text, speakers)
  local words, count = c.words, c.count
  local speaks = speech_after(text, c.last_stop)
  if count == 1 and c.initial and not c.title then
    -- a lone capitalized word opening a sentence: a name only if it speaks ("Peskov told") or a
    -- full name elsewhere in the document explains it (resolved below)
    if speaks then c.type, c.why = "PERSON", "speaks"; speakers[c.key] = true; c.speaks = true end
    return
  end
  local cue = nil
  if count >= 2 then
    cue = CUES[words[count]] or CUES[words[1]]
    if not cue then for _, w in ipairs(words) do cue = cue or CUES[w] end end
  end
  local nextword = text:match("^%s+(%a+)", c.stop + 1)
  if c.title and TITLES[c.title:lower()] ~= "role" then c.type, c.why = "PERSON", "title"
  elseif cue then c.type, c.why = cue, "cue"
  elseif nextword and ORG_NEXT[nextword] then c.type, c.why = "ORGANIZATION", "noun"
  else
    local role = role_before(text, c.start)
    if role then c.type, c.why, c.role = "PERSON", "role", role
    else
      local app = byte(text, c.stop + 1) == 44 and apposition_after(text, c.stop)
      if app then c.type, c.why, c.role = "PERSON", "apposition", app ~= "age" and app or nil
      elseif FIRST[words[1]] and count >= 2 and count <= 4 then c.type, c.why = "PERSON", "given name"
      elseif org_context(text, c.start) then c.type, c.why = "ORGANIZATION", "context"
      elseif count == 1 and not c.initial and place_context(text, c.start) then c.type, c.why = "LOCATION", "place"
      elseif count == 1 and c.initial and speaks and not c.title then c.type, c.why = "PERSON", "speaks"
      elseif count == 1 and nextword and nextword:lower() == nextword and
          (words[1]:find("ian$") or words[1]:find("ish$") or words[1]:find("ese$")) then
        c.type, c.why = "NATIONALITY", "suffix"
      end
    end
  end
  if speaks then speakers[c.key] = true; c.speaks = true end
end

-- "Saltmere Port Authority": a place from the gazetteer right before an organisation's name (typed by its
-- cue word) is part of it; the place's own mention is dropped.
---@param c Candidate
---@param text string
---@param gaz_by_stop table<integer, Mention>
local function absorb_place(c, text, gaz_by_stop)
  local g = gaz_by_stop[c.start - 2]
  if c.why == "cue" and g and (g.type == "LOCATION" or g.type == "NATIONALITY") and sub(text, c.start - 1, c.start - 1) == " "
      and g.stop - g.start + 1 == #sub(text, g.start, g.stop) and not sub(text, g.start, g.stop):find("['’]s$") then
    g.dropped = true
    c.start = g.start
  end
end

-- Stage 5: classifies every candidate (see classify); headlines keep no type of their own.
---@param text string
---@param candidates Candidate[]
---@param gazetteer Mention[]
---@return table<string, boolean> speakers the last words of names a speech verb follows
local function classify_candidates(text, candidates, gazetteer)
  local speakers = {}
  local gaz_by_stop = {}
  for _, m in ipairs(gazetteer) do gaz_by_stop[m.stop] = m end
  for _, c in ipairs(candidates) do
    classify(c, text, speakers)
    if (c.type == "ORGANIZATION" or c.type == "LOCATION") and c.count > 1 then
      -- (a one-word candidate's text is already its text in the document)
      absorb_place(c, text, gaz_by_stop)
      c.text = newsroom.squash(sub(text, c.start, c.stop))
    end
    if c.heading then c.type = nil; c.speaks = nil end -- headlines: only names resolved from the body
  end
  return speakers
end

-- Stage 6: multi-word candidates that speak (or whose last word speaks elsewhere) are people, and a name
-- typed once is typed everywhere in the document.
---@param candidates Candidate[]
---@param speakers table<string, boolean>
local function spread_types(candidates, speakers)
  local typed = {} -- candidate text -> type decided with evidence somewhere in the document
  for _, c in ipairs(candidates) do
    if not c.type and c.count >= 2 and c.count <= 4 and (c.speaks or speakers[c.key]) then c.type, c.why = "PERSON", "speaks" end
    if c.type then typed[c.text] = typed[c.text] or c.type end
  end
  for _, c in ipairs(candidates) do
    if not c.type and typed[c.text] then c.type = typed[c.text] end
  end
end

-- Stage 7: the full names of people, by their first word and by their last (false when several names share it).
---@param candidates Candidate[]
---@return table<string, string|false> by_first
---@return table<string, string|false> by_last
local function index_full_names(candidates)
  local by_first, by_last = {}, {}
  for _, c in ipairs(candidates) do
    if c.type == "PERSON" and c.source == "run" and c.count >= 2 then
      local first = sub(c.text, 1, find(c.text, " ", 1, true) - 1)
      local same = by_first[first]
      if same == nil then by_first[first] = c.text elseif same ~= c.text then by_first[first] = false end
      local prev = by_last[c.key]
      -- (one name inside the other, whatever the case of a particle: "Willy de Clercq", "De Clercq")
      if prev == nil then by_last[c.key] = c.text
      elseif prev and prev ~= c.text and not prev:lower():find(c.text:lower(), 1, true)
          and not c.text:lower():find(prev:lower(), 1, true) then
        by_last[c.key] = false
      elseif prev and #c.text > #prev then
        by_last[c.key] = c.text -- the longer name is the full one
      end
    end
  end
  return by_first, by_last
end

-- Stage 8: short mentions ("Peskov", "Mr. Sullivan", "Brekke's") resolve to the full name, aliases to their
-- canonical name. Returns the candidates that have a type, in text order.
---@param candidates Candidate[]
---@param by_first table<string, string|false>
---@param by_last table<string, string|false>
---@param keep_unknown boolean keep untyped names (not opening a sentence) as MISC
---@return Candidate[]
local function resolve_short_mentions(candidates, by_first, by_last, keep_unknown)
  local named = {}
  for _, c in ipairs(candidates) do
    if c.source == "run" and not (c.evidence and c.evidence.linked) then
      local full = by_last[c.key]
      if full and c.count < 3 and c.text ~= full and full:sub(-#c.text):lower() == c.text:lower() then
        c.type, c.canonical = "PERSON", full
        c.evidence.linked = "PERSON"
      elseif c.count == 1 and full == nil then
        -- "Jonas" alone: the one full name that starts with it
        local first_of = by_first[c.text]
        if first_of and (c.type == nil or c.type == "PERSON") then
          c.type, c.canonical = "PERSON", first_of
          c.evidence.linked = "PERSON"
        end
      end
      if not c.type and keep_unknown and not c.initial then c.type = "MISC" end
    end
    if c.type then
      local name = c.canonical or c.text
      c.canonical = ALIAS[name] or name
      named[#named + 1] = c
    end
  end
  return named
end

-- Stage 9: one line per entity ("TYPE|canonical"), shared by its mentions (`m.entry`): its canonical name,
-- type, number of mentions, first title and role.
---@param mentions Mention[]
---@return table<string, table> entries by id
---@return string[] ids in the order first seen
local function count_entities(mentions)
  local entries, order = {}, {}
  for _, m in ipairs(mentions) do
    local id = m.type .. "|" .. m.canonical
    local e = entries[id]
    if not e then
      e = {canonical = m.canonical, type = m.type, mentions = 0}
      entries[id] = e
      order[#order + 1] = id
    end
    e.mentions = e.mentions + 1
    if m.title and not e.title and TITLES[m.title:lower()] ~= "honorific" then e.title = m.title end
    e.role = e.role or m.role
    m.entry = e
  end
  return entries, order
end

-- The kinds of evidence behind a mention, as a sorted list: "cue,gazetteer".
local function evidence_list(m)
  local list = {}
  for why in pairs(m.evidence or {}) do list[#list + 1] = why end
  if #list == 0 then return m.source end
  if #list == 1 then return list[1] end
  table.sort(list)
  return concat(list, ",")
end

-- Stage 10: an annotation per mention, with what is known of its entity.
---@param doc Doc
---@param mentions Mention[]
local function annotate_mentions(doc, mentions)
  for _, m in ipairs(mentions) do
    local e = m.entry
    -- (the mention itself is the target: the host reads its `start` and `stop` fields)
    doc:annotate(m.type, m, {
      canonical = m.canonical, mentions = e.mentions, kind = m.kind ~= "" and m.kind or nil,
      title = e.title, role = e.role, confidence = m.confidence, evidence = evidence_list(m),
    })
  end
end

-- Stage 11: the document feature `entities`, most mentioned first (then by id), and a record per entity
-- with option `emit`.
---@param doc Doc
---@param ctx Context
---@param entries table<string, table>
---@param order string[]
local function summarize(doc, ctx, entries, order)
  if #order > 1 then
    table.sort(order, function(a, b)
      local ca, cb = entries[a].mentions, entries[b].mentions
      if ca ~= cb then return ca > cb end
      return a < b
    end)
  end
  local summary = {}
  local emit = ctx.options.emit
  for k, id in ipairs(order) do
    local e = entries[id]
    summary[k] = e -- {canonical =, type =, mentions =, title =, role =}
    if emit then
      ctx:emit{canonical = e.canonical, type = e.type, mentions = e.mentions, doc = doc.id}
    end
  end
  doc:set("entities", summary)
end

-- ---------------------------------------------------------------------------------------------------------
-- From mentions to entities: the stages below see every candidate mention of the document at once (the
-- gazetteer's and the capitalized runs'), join the pieces of organisation names, link short forms and
-- acronyms to the full name, and give each canonical name one type chosen from all its evidence.

-- Words that join the parts of one organisation's name after its head ("Bank of China", "Committee on ...").
local OF_WORDS = {["of"] = true, ["on"] = true, ["for"] = true}

-- Words left out of an acronym's letters ("National Association of Wheat Growers" -> NAWG).
local SMALL_WORDS = {["of"] = true, ["and"] = true, ["the"] = true, ["&"] = true, ["on"] = true, ["for"] = true,
  ["de"] = true, ["du"] = true, ["des"] = true, ["der"] = true, ["la"] = true, ["in"] = true}

-- How much one piece of evidence weighs when a canonical name's type is chosen.
local WEIGHT = {gazetteer = 4, suffix = 4, cue = 3, title = 3, joined = 3, acronym = 2, ["given name"] = 2, context = 2,
  role = 2, apposition = 2, noun = 2, place = 1, speaks = 1, suffix_word = 1, linked = 1}

-- The text of a mention, on one line.
local function mention_text(text, m)
  return newsroom.squash(sub(text, m.start, m.stop))
end

-- The words of a name ("Goodyear Tire and Rubber Co" -> {"Goodyear", "Tire", "and", "Rubber", "Co"}).
local function words_of(name)
  local list = {}
  for w in name:gmatch("%S+") do list[#list + 1] = w end
  return list
end

local function last_word(name) return name:match("(%S+)$") end

-- An organisation's name by its form: the last word is a corporate suffix or an organisation cue ("Bank").
local function has_org_head(name)
  local last = last_word(name)
  return CORPORATE[last] or CUES[last] == "ORGANIZATION"
end

-- "Finance Secretary Jaime Ongpin": a title word inside a run ("Secretary", "Minister") ends the title, and
-- the name starts after it; the words before become the mention's title.
---@param text string
---@param c Candidate
local function cut_title(text, c)
  for k = c.count - 2, 1, -1 do
    if TITLES[c.words[k]:lower()] and TITLES[c.words[k]:lower()] ~= "honorific" then
      local span = sub(text, c.start, c.stop)
      local n, from = 0, nil
      for p in span:gmatch("()%S+") do
        n = n + 1
        if n == k + 1 then from = p break end
      end
      local title = newsroom.squash(sub(span, 1, from - 1)):gsub("%s+$", "")
      c.title = c.title and (c.title .. " " .. title) or title
      c.start = c.start + from - 1
      c.words = {table.unpack(c.words, k + 1)}
      c.count = #c.words
      c.text = concat(c.words, " ")
      if not c.type then c.type, c.why = "PERSON", "title" end
      return
    end
  end
end

-- "Harrison Ford", "Michael Jordan", "George Washington": a given name right before a one-word name the
-- gazetteer knows (a company, a place) makes the two a person.
---@param text string
---@param list Mention[] by start
---@return Mention[]
local function given_name_people(text, list)
  local out = {}
  for _, m in ipairs(list) do
    local prev = out[#out]
    -- "Sydney Pollack", "Paris Hilton": a place that is also a given name, then a word the story later uses
    -- alone ("Pollack told reporters"): a person
    if prev and prev.source == "gazetteer" and prev.type == "LOCATION" and PLACE_GIVEN_NAMES[prev.text]
        and m.source == "run" and m.count == 1 and (m.type == nil or m.type == "PERSON") and not m.title
        and prev.stop + 2 == m.start
        and byte(text, prev.stop + 1) == 32
        and find(text, "%f[%w]" .. m.text .. "%f[^%w'’]", m.last_stop + 1) then
      local person = {start = prev.start, stop = m.stop, last_stop = m.last_stop, source = "run", count = 2,
        initial = prev.initial, type = "PERSON", why = "given name", evidence = {["given name"] = "PERSON"},
        words = {prev.text, m.text}, key = m.key or m.text, speaks = m.speaks}
      person.text = prev.text .. " " .. m.text
      out[#out] = person
    elseif prev and m.source == "gazetteer" and (m.type == "ORGANIZATION" or m.type == "LOCATION")
        and not find(m.text, "[%s'’]") and prev.source == "run" and prev.count == 1 and not prev.title
        and not prev.type and FIRST[prev.text] and prev.stop + 2 == m.start and byte(text, prev.stop + 1) == 32 then
      -- (a place's abbreviation with its dot, "Sean Penn.", ends the sentence: the dot is no part of a surname)
      local surname, stop = m.text, m.stop
      if byte(surname, -1) == 46 then surname, stop = sub(surname, 1, -2), stop - 1 end
      local person = {start = prev.start, stop = stop, last_stop = stop, source = "run", count = 2,
        initial = prev.initial, type = "PERSON", why = "given name", evidence = {["given name"] = "PERSON"},
        words = {prev.text, surname}, key = surname, speaks = prev.speaks or m.speaks}
      person.text = prev.text .. " " .. surname
      out[#out] = person
    else
      out[#out + 1] = m
    end
  end
  return out
end

local function by_start(a, b) return a.start < b.start end

-- Two lists of mentions, each in text order, as one list in text order (on equal starts, a's first): a
-- merge costs a comparison a mention where sorting the whole list costs many. A list out of order is
-- sorted instead.
---@param a table[]
---@param b table[]
---@return table[]
local function merged_by_start(a, b)
  local out, i, j, na, nb = {}, 1, 1, #a, #b
  while i <= na or j <= nb do
    local x, y = a[i], b[j]
    local m
    if x and (not y or x.start <= y.start) then m, i = x, i + 1 else m, j = y, j + 1 end
    local last = out[#out]
    if last and m.start < last.start then -- (an input out of order)
      out[#out + 1] = m
      table.move(a, i, na, #out + 1, out)
      table.move(b, j, nb, #out + 1, out)
      table.sort(out, by_start)
      return out
    end
    out[#out + 1] = m
  end
  return out
end

-- Stage 6a: all the mentions, gazetteer and runs, in one list by start; a run that the gazetteer explains
-- is left out.
---@param text string
---@param gazetteer Mention[]
---@param candidates Candidate[]
---@return Mention[]
local function all_mentions(text, gazetteer, candidates)
  local list = {}
  for _, m in ipairs(gazetteer) do
    if not m.dropped then
      m.source = "gazetteer"
      m.text = sub(text, m.start, m.stop)
      m.evidence = {gazetteer = m.type}
      list[#list + 1] = m
    end
  end
  local runs = {}
  for _, c in ipairs(candidates) do
    -- (a possessive inside a run ends the name: "Adobe Systems Inc's Postscript" is no one's name)
    local owner = c.count >= 2 and sub(text, c.start, c.stop):match("^(.-)['’]s%s")
    if owner then
      c.stop = c.start + #owner - 1
      c.text = newsroom.squash(owner)
      c.words = words_of(c.text)
      c.count, c.key = #c.words, c.words[#c.words]
    end
    if c.count >= 3 and c.type ~= "ORGANIZATION" then cut_title(text, c) end
    c.source = "run"
    c.evidence = {}
    if c.type and c.why then c.evidence[c.why] = c.type end
    if c.count >= 2 and CORPORATE[c.words[c.count]] then c.type, c.evidence.suffix = "ORGANIZATION", "ORGANIZATION" end
    runs[#runs + 1] = c
  end
  list = merged_by_start(list, runs)
  return given_name_people(text, list)
end

-- What lies between two mentions: "" (a space or a line break), "," (", Inc."), a joining word, or nil.
local function gap_between(text, a, b)
  if b.start - a.stop > 8 then return nil end
  local gap = sub(text, a.stop + 1, b.start - 1)
  if gap:find("^[ \t]*\n?[ \t]*$") and #gap > 0 then return "" end
  if gap:find("^,[ \t]*\n?[ \t]*$") then return "," end
  local word = gap:match("^[ \t]*\n?[ \t]*(%l+)[ \t]*\n?[ \t]*$") or gap:match("^[ \t]*\n?[ \t]*(&)[ \t]*\n?[ \t]*$")
  return word
end

-- Whether a mention is a name the join may extend (not a possessive, not a person with a title).
local function extendable(text, m)
  if m.title or m.type == "PERSON" and m.source == "gazetteer" then return false end
  local after = sub(text, m.stop + 1, m.stop + 3)
  return not after:find("^['’]")
end

-- Whether the next mention continues this organisation's name:
--   "General Motors" + "Corp", "Cargill" + ", Inc."    a corporate suffix after a name;
--   "Brazil" + "Coffee Institute"                      an organisation (by its cue word) right after a place;
--   "Union Bank" + "of" + "Switzerland"                the head of an organisation, then of/on/for and a name;
--   "Paine Webber" + "and" + "Co"                      and/& with a corporate suffix.
local function continues(text, a, b, gap, after_of)
  if not gap or not extendable(text, a) or b.source ~= "run" and gap ~= "" and not OF_WORDS[gap] then return false end
  local b_text, a_text = b.text, a.text
  if b.title then return false end
  -- a company and a country: its subsidiary there ("Reebok Japan", "IBM France")
  if gap == "" and b.source == "gazetteer" and b.kind == "country" and a.type == "ORGANIZATION"
      and not b.initial and not find(text, "^['’]", b.stop + 1) then
    return true
  end
  if gap == "" or gap == "," then
    if b.source ~= "run" or b.initial then return false end
    if CORPORATE[b_text] then return a.type ~= "PERSON" or a.source ~= "gazetteer" end
    if gap == "," then return false end
    return (b.why == "cue" or b.evidence.suffix or b.evidence.joined) and CUES[last_word(b_text)] ~= "LOCATION"
      and (a.source == "gazetteer" and a.type ~= "PERSON")
  end
  if OF_WORDS[gap] then
    return has_org_head(a_text) and a.type ~= "LOCATION" and a.type ~= "PERSON"
  end
  if gap == "and" or gap == "&" then
    if CORPORATE[b_text] then return true end
    if b.source == "run" and b.count == 2 and CORPORATE[b.words[2]] and a.source == "run" and not a.type then return true end
    return after_of and b.source == "run" and b.count <= 2 and not b.type
  end
  return false
end

-- The short name an organisation is given in brackets after its full name, after any ticker:
-- "Schweizerische Aluminium AG <ALUZ.Z> (Alusuisse)" -> "Alusuisse". One to three capitalized words, not in
-- capitals (acronyms are found apart), not a corporate suffix ("Cheung Kong (Holdings) Ltd").
---@param text string
---@param p integer the byte after the name
---@return string?
local function bracket_alias(text, p)
  local inner = text:match("^%s*<[^>\n]*>%s*%(([^()\n]+)%)", p) or text:match("^%s*%(([^()\n]+)%)", p)
  if not inner or #inner > 40 then return nil end
  local count = 0
  for w in inner:gmatch("%S+") do
    count = count + 1
    if not w:find("^%u[%w&'%.%-]*$") or CORPORATE[w] then return nil end
  end
  if count == 0 or count > 3 or not inner:find("%l") then return nil end
  return newsroom.squash(inner)
end

-- The first byte of the words that end at byte `stop` and spell `acronym` by their initials, small words
-- ("of", "and") skipped: "Confederation of British Industry" before "(CBI)". Nil when the words before do
-- not spell it (at most a line's worth of them is read).
---@param text string
---@param stop integer
---@param acronym string
---@return integer?
local function spelled_start(text, stop, acronym)
  local from = stop > 120 and stop - 120 or 1
  local words = {}
  for p, w in sub(text, from, stop):gmatch("()([^%s]+)") do words[#words + 1] = {from + p - 1, w} end
  local k = #acronym
  for i = #words, 1, -1 do
    local w = words[i][2]
    if k < #acronym and SMALL_WORDS[w:lower()] then
      -- (a small word inside the name)
    elseif byte(w, 1) == byte(acronym, k) then
      k = k - 1
      if k == 0 then return words[i][1] end
    else
      return nil
    end
  end
  return nil
end

-- Stage 6b (first): a name an acronym in brackets spells, when the capitalized runs and the gazetteer cut it
-- into pieces ("Confederation of British Industry (CBI)": "British" is a nationality): one mention of an
-- organisation over the whole name, in place of its pieces.
---@param text string
---@param mentions Mention[]
---@return Mention[]
local function spelled_out_names(text, mentions)
  local out = {}
  for _, m in ipairs(mentions) do
    local acronym = text:match("^%s*%(([A-Z][A-Z]+)%)", m.stop + 1)
    local start = acronym and #acronym >= 2 and #acronym <= 8 and spelled_start(text, m.stop, acronym)
    if start and start < m.start then
      local initial = nil
      while out[#out] and out[#out].start >= start do
        if out[#out].start == start then initial = out[#out].initial end
        out[#out] = nil
      end
      m = {start = start, stop = m.stop, last_stop = m.stop, source = "run", count = 2, initial = initial,
        type = "ORGANIZATION", evidence = {joined = "ORGANIZATION"}, words = {}}
      m.text = mention_text(text, m)
      m.words = words_of(m.text)
      m.count = #m.words
      m.key = m.words[m.count]
    end
    out[#out + 1] = m
  end
  return out
end

-- Stage 6b: joins the pieces of organisation names into one mention (its type ORGANIZATION, evidence "joined"),
-- and records acronyms given in brackets after a name: "National Association of Wheat Growers (NAWG)".
---@param text string
---@param mentions Mention[]
---@return Mention[] mentions
---@return table<string, string> acronyms acronym -> full name
local function join_org_names(text, mentions)
  local out = {}
  local i = 1
  while i <= #mentions do
    local a = mentions[i]
    local joined, after_of = false, false
    while mentions[i + 1] do
      local b = mentions[i + 1]
      local gap = gap_between(text, a, b)
      if not continues(text, a, b, gap, after_of) then break end
      after_of = after_of or OF_WORDS[gap] or false
      a = {start = a.start, stop = b.stop, last_stop = b.last_stop or b.stop, source = "run", count = 2,
        initial = a.initial, type = "ORGANIZATION", evidence = {joined = "ORGANIZATION"}, words = {}}
      a.text = mention_text(text, a)
      joined = true
      i = i + 1
    end
    -- a suffix in lower case ("Unilever plc") or with dots ("Citibank N.A.") is no capitalized run: taken here
    local suffix = (a.type == "ORGANIZATION" or a.source == "run" and not a.type
        or a.source == "gazetteer" and a.kind == "company")
      and extendable(text, a) and text:match("^[ \t]+([%a.]+)", a.stop + 1)
    if suffix and CORPORATE[suffix] and (suffix:find("^%l") or suffix:find("%.%a")) then
      local stop = a.stop + #text:match("^[ \t]+", a.stop + 1) + #suffix
      a = {start = a.start, stop = stop, last_stop = stop, source = "run", count = 2, initial = a.initial,
        type = "ORGANIZATION", evidence = {suffix = "ORGANIZATION"}, words = {}}
      a.text = mention_text(text, a)
      joined = true
    end
    if joined then
      a.words = words_of(a.text)
      a.count = #a.words
      a.key = a.words[a.count]
    end
    out[#out + 1] = a
    i = i + 1
  end
  out = spelled_out_names(text, out)
  local acronyms, aliases = {}, {}
  for _, m in ipairs(out) do
    local full = m.canonical or m.text or mention_text(text, m)
    local acronym = text:match("^%s*%(([A-Z][A-Z&]+)%)", m.stop + 1)
    if acronym and #acronym <= 8 then acronyms[acronym] = full end
    if m.type == "ORGANIZATION" then
      -- a stock ticker after the name ("Public Service Co of New Mexico <PNM>") is its short name too
      local ticker = text:match("^%s*<([A-Z][A-Z]+)[.%w]*>", m.stop + 1)
      if ticker and #ticker <= 5 and acronyms[ticker] == nil then acronyms[ticker] = full end
      local alias = bracket_alias(text, m.stop + 1)
      if alias and alias ~= full and aliases[alias] == nil then aliases[alias] = full end
    end
  end
  return out, acronyms, aliases
end

-- Stage 6b': a name that ends a sentence with an abbreviated suffix ("… Lehman Brothers Inc.") shares its dot
-- with the sentence: the full stop is left out of the name, as it is when the sentence ends after "Corp".
---@param text string
---@param mentions Mention[]
---@param initial table<integer, boolean> where sentences start (see sentence_starts)
local function drop_sentence_stops(text, mentions, initial)
  for _, m in ipairs(mentions) do
    local last = m.source == "run" and byte(text, m.stop) == 46 and m.text and last_word(m.text)
    if last and CORPORATE[last] and last ~= "S.A." and last ~= "N.V." then
      local q = first_open(text, m.stop + 1)
      if q and byte(text, q) == 0xE2 then q = first_open(text, q + 3) end
      if not q or initial[q] then
        m.stop = m.stop - 1
        m.text = sub(m.text, 1, -2)
        if m.words and m.count then m.words[m.count] = sub(m.words[m.count], 1, -2) end
        if m.key == last then m.key = sub(last, 1, -2) end
        if m.canonical == m.text .. "." then m.canonical = m.text end
      end
    end
  end
end

-- The initials of a name, without its small words: "General Motors Corp" -> "GMC", and without the suffix "GM".
local function initials(name)
  local letters, without_suffix = {}, nil
  local words = words_of(name:gsub("%b()", ""))
  for k, w in ipairs(words) do
    if k == #words and CORPORATE[w] then without_suffix = concat(letters) end
    if not SMALL_WORDS[w:lower()] then letters[#letters + 1] = w:sub(1, 1):upper() end
  end
  return concat(letters), without_suffix
end

-- Whether byte p lies inside one of the names: an acronym or a headline word there is already part of one.
-- (Asked only where an acronym or a headline word is known, so a walk over the names costs less than
-- marking every byte of every name.)
---@param names Mention[]
---@param p integer
local function inside(names, p)
  for k = 1, #names do
    local m = names[k]
    if m.start <= p and p <= m.stop then return true end
  end
  return false
end

-- Stage 6c: acronyms in the text ("GM", "FERC") that stand for an organisation named in the document, by the
-- brackets after its name or by its initials. Returns mentions to add.
---@param doc Doc
---@param mentions Mention[]
---@param acronyms table<string, string>
---@param names Mention[] the names found before it (see inside)
---@return Mention[]
local function acronym_mentions(doc, mentions, acronyms, names)
  local by_initials = {}
  for _, m in ipairs(mentions) do
    local name = m.type == "ORGANIZATION" and (m.text or mention_text(doc.text, m))
    if name and (m.source == "run" and (m.count or 1) >= 2 or m.source == "gazetteer" and name:find(" ")) then
      local canonical = m.source == "gazetteer" and m.canonical or name
      local full, short = initials(name)
      if #full >= 2 and by_initials[full] == nil then by_initials[full] = canonical end
      if short and #short >= 2 and by_initials[short] == nil then by_initials[short] = canonical end
    end
  end
  -- An acronym the gazetteer knows only as itself ("OECD") takes the full name the story gives it
  -- ("the Organisation for Economic Cooperation and Development, OECD, said"): the fullest form in the story.
  for _, m in ipairs(mentions) do
    if m.source == "gazetteer" and m.type == "ORGANIZATION" and m.canonical and find(m.canonical, "^[A-Z][A-Z&]+$") then
      local full = acronyms[m.canonical] or by_initials[m.canonical]
      if full and full ~= m.canonical then m.canonical = full end
    end
  end
  local found = {}
  if next(acronyms) == nil and next(by_initials) == nil then return found end
  for m in doc:find([[\b[A-Z][A-Z&]{1,7}\b]], "a") do
    local full = acronyms[m.text] or by_initials[m.text]
    -- (a ticker in angle brackets, "<GM>", is the name's code, not a mention)
    if full and not inside(names, m.start) and byte(doc.text, m.start - 1) ~= 60 then
      found[#found + 1] = {start = m.start, stop = m.stop, text = m.text, source = "acronym", type = "ORGANIZATION",
        canonical = full, evidence = {acronym = "ORGANIZATION"}}
    end
  end
  return found
end

-- Words that begin many names and stand for none alone ("Federal funds", "National output").
local GENERIC_FIRST = {}
for w in ("Federal National International General United First Central World Royal Standard New Public State "
    .. "Continental Global Western Eastern Northern Southern Pacific Atlantic Security Trust Union"):gmatch("%S+") do
  GENERIC_FIRST[w] = true
end

-- Whether a one-word mention is too generic to be an organisation's short form: a word listed above, or
-- an adjective of a people or place before a noun ("European airlines", "Japanese exports").
---@param text string
---@param m Mention
local function generic_short_form(text, m)
  local word = m.count == 1 and m.text
  if not word then return false end
  if GENERIC_FIRST[word] then return true end
  local nextword = text:match("^%s+(%a+)", m.stop + 1)
  return (word:find("[eic]an$") or word:find("ish$") or word:find("ese$") or word:find("ic$")) ~= nil
    and nextword ~= nil and nextword:lower() == nextword
end

-- Words a company's short name leaves out after its name: legal suffixes and generic words ("System Inc",
-- "Group plc", "International Corp").
local SUFFIX_WORDS = {System = true, Systems = true, Group = true, Holdings = true, Holding = true,
  International = true, Industries = true, Companies = true, Enterprises = true}

-- Whether the words of a name from the k-th on are only such words.
---@param words string[]
---@param k integer
---@return boolean
local function suffix_only(words, k)
  for j = k, #words do
    if not (CORPORATE[words[j]] or SUFFIX_WORDS[words[j]]) then return false end
  end
  return true
end

-- Stage 6d: short forms of organisations named in full in the document: "Goodyear" or "GOODYEAR"
-- -> "Goodyear Tire and Rubber Co", "Federal Reserve" -> "Federal Reserve Board"; one full name only.
---@param mentions Mention[]
---@param aliases table<string, string> short names given in brackets -> the full name (see bracket_alias)
---@param text string
local function link_org_short_forms(mentions, aliases, text)
  local by_prefix = {} -- a leading part of a full name (its words) -> the full name, false when two share it
  local plain = {}     -- a leading part -> the one full name that only adds a suffix to it ("Columbia Gas" -> "Columbia Gas System Inc")
  for alias, full in pairs(aliases) do by_prefix[alias] = full end
  for _, m in ipairs(mentions) do
    if m.type == "ORGANIZATION" and m.source ~= "acronym" then
      local name = m.text
      local words = words_of(name)
      local prefix = words[1]
      for k = 2, #words do
        if not SMALL_WORDS[words[k - 1]:lower()] and not CORPORATE[prefix] then
          local seen = by_prefix[prefix]
          if seen == nil then by_prefix[prefix] = name elseif seen ~= name then by_prefix[prefix] = false end
          if suffix_only(words, k) then
            if plain[prefix] == nil then plain[prefix] = name elseif plain[prefix] ~= name then plain[prefix] = false end
          end
        end
        prefix = prefix .. " " .. words[k]
      end
    end
  end
  -- a short form several full names share is the company it names with only a suffix dropped: "Columbia Gas"
  -- is Columbia Gas System Inc, not Columbia Gas Transmission Corp
  for prefix, name in pairs(plain) do
    if name and by_prefix[prefix] == false then by_prefix[prefix] = name end
  end
  for _, m in ipairs(mentions) do
    local name = m.source == "gazetteer" and m.canonical or m.text
    local full = not generic_short_form(text, m) and (by_prefix[name] or by_prefix[m.text])
    local eligible = m.source == "run" and not (m.evidence.title or m.evidence.role)
      or m.source == "gazetteer" and m.type == "ORGANIZATION"
    -- A run typed a place only by its context ("interested in Gillette") is the organisation named in
    -- full here; a place the gazetteer knows stays a place.
    local weak_place = m.type == "LOCATION" and m.source == "run"
    if full and eligible and (m.type ~= "LOCATION" or weak_place) and m.type ~= "NATIONALITY" then
      m.canonical, m.type = full, "ORGANIZATION"
      m.evidence.linked = "ORGANIZATION"
      m.evidence.place = nil
    end
  end
end

-- Stage 6e: "the Commission", "the Fund's": the head word of an organisation named in full in the document
-- (its last word, or its first before "of": "Ministry of Finance"), written after "the", stands for it when
-- only one organisation here has that head. Heads are organisation cue words ("Bank", "Exchange").
---@param text string
---@param mentions Mention[]
local function link_definite_heads(text, mentions)
  local by_head = {}
  local function note(head, name)
    if CUES[head] == "ORGANIZATION" and not CORPORATE[head] then
      local seen = by_head[head]
      if seen == nil then by_head[head] = name elseif seen ~= name then by_head[head] = false end
    end
  end
  for _, m in ipairs(mentions) do
    local name = m.type == "ORGANIZATION" and (m.canonical or m.text)
    if name and name:find(" ") then
      local words = words_of(name)
      note(words[#words], name)
      if words[2] == "of" then note(words[1], name) end
    end
  end
  if next(by_head) == nil then return end
  for _, m in ipairs(mentions) do
    local word = m.source == "run" and m.count == 1 and m.text and strip_possessive(m.text)
    local full = word and by_head[word]
    if full and not m.initial and sub(text, m.start - 4, m.start - 1):find("^[Tt]he%s$") then
      m.canonical, m.type = full, "ORGANIZATION"
      m.evidence = {linked = "ORGANIZATION"}
    end
  end
end

-- Stage 8: one entity per canonical name, with one type chosen from the evidence of all its mentions (the
-- gazetteer, suffixes, cue words, titles, context), and a confidence: the share of the evidence that agrees.
---@param mentions Mention[]
---@return Mention[] typed the mentions that have a type, in text order
local function decide_types(mentions)
  local votes = {}
  for _, m in ipairs(mentions) do
    if m.type and m.canonical then
      local v = votes[m.canonical] or {}
      votes[m.canonical] = v
      local any = false
      for why, type in pairs(m.evidence or {}) do
        v[type] = (v[type] or 0) + (WEIGHT[why] or 1)
        any = true
      end
      if not any then v[m.type] = (v[m.type] or 0) + 1 end
    end
  end
  local chosen = {}
  for name, v in pairs(votes) do
    local best, best_w, total = nil, -1, 0
    for type, w in pairs(v) do
      total = total + w
      if w > best_w or w == best_w and type < best then best, best_w = type, w end
    end
    chosen[name] = {type = best, confidence = math.floor(100 * best_w / total + 0.5) / 100}
  end
  local typed = {}
  for _, m in ipairs(mentions) do
    local c = m.type and m.canonical and chosen[m.canonical]
    if c then
      m.type, m.confidence = c.type, c.confidence
      typed[#typed + 1] = m
    end
  end
  return typed
end

-- The first block that is not a headline in capitals: where a dateline stands. Its start byte and text.
local function first_paragraph(doc)
  for b in doc.blocks:each() do
    local t = b.text
    if t:find("%l") then return b.start + #t:match("^%s*"), t:match("^%s*(.*)") end
  end
  return nil, nil
end

-- "RIO DE JANEIRO" -> "Rio De Janeiro" (the gazetteer's spelling is used when it knows the place).
local function title_case(name)
  return (name:lower():gsub("(%f[%a]%a)", string.upper))
end

-- A headline's words as a name: without a possessive ("GOODYEAR'S" -> "GOODYEAR"). A form that ends
-- neither with S nor with an apostrophe (nor a byte of ’) is kept as it is, without trying the pattern.
local function headline_form(form)
  local last = byte(form, -1)
  if last ~= 83 and last ~= 39 and last < 128 then return form end -- "S", "'"
  return (form:gsub("['’]S?$", ""))
end

-- Stage 9: Reuters-style capitals: a dateline ("TOKYO, March 3 -") is a place, and in a headline written in
-- capitals the names known from the gazetteer or from the story's body ("GOODYEAR") are mentions.
---@param doc Doc
---@param mentions Mention[] the body's mentions, typed
---@param names Mention[] the mentions found so far, acronyms included (see inside)
---@param head_start integer[] the headlines in capitals (see headings)
---@param head_stop integer[]
---@return Mention[] found
local function capitals_mentions(doc, mentions, names, head_start, head_stop)
  local text = doc.text
  local found = {}
  local first_start, first_text = first_paragraph(doc)
  local place = first_text and first_text:match("^([%u][%u%.'%-]*[%u%.]),%s+%u%l%l") -- "TOKYO, Mar 3"
    or first_text and first_text:match("^([%u][%u%.'%-]* [%u][%u%.'%- ]*[%u%.]),%s+%u%l%l") -- "RIO DE JANEIRO, Feb"
  if place and not inside(names, first_start) then
    local known = UPPER_GAZ[place]
    if not known or known.type == "LOCATION" then
      found[1] = {start = first_start, stop = first_start + #place - 1, text = place, type = "LOCATION",
        source = "dateline", kind = "dateline", canonical = known and known.canonical or title_case(place),
        evidence = {dateline = "LOCATION"}}
    end
  end
  if #head_start == 0 then return found end
  local body = {} -- upper-case form -> {type, canonical}
  local body_first = {} -- the first words of body's forms
  for _, m in ipairs(mentions) do
    local form = (m.text or mention_text(text, m)):upper()
    body[form] = body[form] or {type = m.type, canonical = m.canonical}
    body_first[form:match("^%S+")] = true
    local first = m.type == "ORGANIZATION" and form:match("^(%S+) ")
    if first and #first >= 4 and body[first] == nil then body[first] = {type = m.type, canonical = m.canonical} end
  end
  for k = 1, #head_start do
    local starts, stops = {}, {} -- where the headline's words start and stop
    local p = head_start[k]
    for s, e in text:sub(head_start[k], head_stop[k]):gmatch("()[%u][%u%.&'%-]*%u?%.?()") do
      starts[#starts + 1], stops[#stops + 1] = p + s - 1, p + e - 2
    end
    local i = 1
    while i <= #starts do
      local hit = nil
      -- (only where a known name may start: most headline words start none, and forming each window costs)
      local w = sub(text, starts[i], stops[i])
      local hw = headline_form(w)
      local may = UPPER_FIRST[w] or body_first[w] or UPPER_FIRST[hw] or body_first[hw]
      for n = may and math.min(4, #starts - i + 1) or 0, 1, -1 do
        local start = starts[i]
        local form = headline_form(sub(text, start, stops[i + n - 1]))
        local known = body[form] or UPPER_GAZ[form]
        if known and n > 1 and (form:find("%s%s") or find(form, "\n", 1, true)) then known = nil end -- one line
        if known and not inside(names, start) then
          hit = {start = start, stop = start + #form - 1, type = known.type, canonical = known.canonical,
            source = "headline", evidence = {}}
          i = i + n
          break
        end
      end
      if hit then found[#found + 1] = hit else i = i + 1 end
    end
  end
  return found
end


---@param doc Doc
---@param ctx Context
local function process(doc, ctx)
  local text = doc.text
  local initial = sentence_starts(doc)
  local gazetteer, covered = gazetteer_mentions(doc)
  local head_start, head_stop = headings(doc)
  local candidates = capitalized_candidates(doc, initial, covered, head_start, head_stop)
  local speakers = classify_candidates(text, candidates, gazetteer)
  spread_types(candidates, speakers)
  local mentions, acronyms, aliases = join_org_names(text, all_mentions(text, gazetteer, candidates))
  drop_sentence_stops(text, mentions, initial)
  local names = mentions -- (the mentions before the acronyms are added)
  mentions = merged_by_start(mentions, acronym_mentions(doc, mentions, acronyms, names))
  link_org_short_forms(mentions, aliases, text)
  link_definite_heads(text, mentions)
  local by_first, by_last = index_full_names(mentions)
  local named = resolve_short_mentions(mentions, by_first, by_last, ctx.options.keep_unknown)
  local typed = decide_types(named)
  typed = merged_by_start(typed, capitals_mentions(doc, typed, typed, head_start, head_stop))
  local entries, order = count_entities(typed)
  annotate_mentions(doc, typed)
  summarize(doc, ctx, entries, order)
end

---@param records table[]
---@param ctx Context
local function finish(records, ctx)
  if #records == 0 then return end
  local seen, docs = {}, {}
  for _, r in ipairs(records) do
    seen[r.type .. ":" .. r.canonical] = true
    docs[r.doc] = true
  end
  local n, d = 0, 0
  for _ in pairs(seen) do n = n + 1 end
  for _ in pairs(docs) do d = d + 1 end
  quarry.log.info(("%d distinct entities in %d documents"):format(n, d))
end

---@type Plugin
return {
  name = "entities",
  version = "1.1.0",
  kind = "extract",
  description = "People, places, organisations, nationalities and groups: gazetteers plus capitalization and "
    .. "context (titles, roles, appositions, speech verbs); short mentions and aliases resolved to one canonical "
    .. "name. Sample: PERSON \"Brekke\" {canonical = \"Jonas Brekke\", mentions = 2}.",
  categories = {"default", "extract", "news"},
  author = "Quarry",
  license = "MIT",
  options = {
    lists = {type = "list", default = {}, doc = "Extra gazetteers (TSV/CSV with columns phrase, type, canonical, kind) "
      .. "in the plugin folder or an --allow-read folder; type is PERSON, LOCATION, ORGANIZATION, NATIONALITY or GROUP."},
    aliases = {type = "list", default = {}, doc = "Extra alias files (TSV with columns alias, canonical): every alias "
      .. "resolves to its canonical name, e.g. Kiev -> Kyiv."},
    keep_unknown = {type = "boolean", default = false, doc = "Keep capitalized names that no rule could type, as MISC."},
    emit = {type = "boolean", default = false, doc = "Emit a record per entity and document (the run log then counts them)."},
  },
  setup = setup,
  process = process,
  finish = finish,
}
