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

local GAZ            -- compiled phrase list: countries, demonyms, capitals, places, organisations, news, groups, user lists
local TITLES = {}    -- "transport minister" -> "title" | "honorific" | "role"
local ROLES = {}     -- lower-case role nouns ("spokesman", "director")
local FIRST = {}     -- given names
local STOP = {}      -- capitalized words that are not names at the start of a run
local CUES = {}      -- "Union" -> ORGANIZATION, "River" -> LOCATION
local ALIAS = {}     -- "Kiev" -> "Kyiv"
local MAX_TITLE_WORDS = 3
local TITLE_FIRST = {} -- first words of titles, lower case

-- A run of capitalized words (letters, apostrophes, hyphens, inner dots), possibly across one line break.
local RUN_BODY = [[\p{Lu}[\p{L}\p{M}\p{N}'’.\-]*(?:(?:[ \t]+|[ \t]*\n[ \t]*)\p{Lu}[\p{L}\p{M}\p{N}'’.\-]*)*]]
local RUN = [[(?<![\p{L}\p{N}'’])]] .. RUN_BODY

local ABBREV = {}
for w in ("Mr Mrs Ms Dr St Jr Sr Gen Col Lt Capt Sgt Rep Sen Prof Rev Adm Inc Corp Co Ltd Mt Ft"):gmatch("%a+") do ABBREV[w] = true end

local PLACE_PREPS = {["in"] = true, ["at"] = true, ["from"] = true, ["near"] = true, ["outside"] = true,
  ["across"] = true, ["throughout"] = true, ["inside"] = true, ["into"] = true, ["to"] = true}
local PLACE_NOUNS = {town = true, city = true, village = true, port = true, region = true, province = true,
  capital = true, district = true, island = true, country = true, county = true, state = true, river = true}
local PERSON_CUES = {named = true, called = true, ["mr"] = true, ["mrs"] = true, ["ms"] = true}
local ORG_NEXT = {party = true, union = true, group = true, company = true, ministry = true, agency = true,
  newspaper = true, daily = true, radio = true, broadcaster = true, bank = true, firm = true, movement = true}

local function add_rows(entries, rows, fn)
  for _, row in ipairs(rows) do fn(entries, row) end
end

-- Adds a gazetteer phrase, with its possessive forms ("China's"), matched case-sensitively.
local function add(entries, phrase, type, canonical, kind)
  if not phrase or phrase == "" then return end
  canonical = ALIAS[canonical] or canonical
  entries[#entries + 1] = {phrase, type = type, canonical = canonical, kind = kind or ""}
  if not phrase:find("s$") then
    entries[#entries + 1] = {phrase .. "'s", type = type, canonical = canonical, kind = kind or "", poss = "1"}
  end
end

local function load_list(ctx, name)
  local rows, err = newsroom.read_table(ctx, name)
  if not rows then error("entities: cannot read '" .. name .. "': " .. tostring(err), 0) end
  return rows
end

local function setup(ctx)
  for _, row in ipairs(load_list(ctx, "data/aliases.tsv")) do ALIAS[row.alias] = row.canonical end
  for _, name in ipairs(ctx.options.aliases or {}) do
    for _, row in ipairs(load_list(ctx, name)) do ALIAS[row.alias or row.phrase] = row.canonical end
  end
  local entries = {}
  add_rows(entries, load_list(ctx, "data/countries.tsv"), function(e, r)
    add(e, r.country, "LOCATION", r.country, "country")
    for v in (r.variants or ""):gmatch("[^;]+") do add(e, v, "LOCATION", r.country, "country") end
    add(e, r.demonym, "NATIONALITY", r.demonym, "demonym")
    if r.demonym:find("[^s]$") and not r.demonym:find("sh$") and not r.demonym:find("ch$") and not r.demonym:find("ese$") then
      add(e, r.demonym .. "s", "GROUP", r.demonym .. "s", "people")
    end
    add(e, r.capital, "LOCATION", r.capital, "capital")
  end)
  add_rows(entries, load_list(ctx, "data/places.tsv"), function(e, r) add(e, r.phrase, "LOCATION", r.canonical, r.kind) end)
  add_rows(entries, load_list(ctx, "data/organizations.tsv"), function(e, r) add(e, r.phrase, "ORGANIZATION", r.canonical, r.kind) end)
  add_rows(entries, load_list(ctx, "data/news.tsv"), function(e, r) add(e, r.phrase, "ORGANIZATION", r.canonical, "news") end)
  add_rows(entries, load_list(ctx, "data/groups.tsv"), function(e, r) add(e, r.phrase, "GROUP", r.canonical, "group") end)
  for _, name in ipairs(ctx.options.lists or {}) do
    add_rows(entries, load_list(ctx, name), function(e, r)
      local phrase = r.phrase or r.name
      add(e, phrase, (r.type or "PERSON"):upper(), (r.canonical ~= "" and r.canonical) or phrase, r.kind or "user")
    end)
  end
  -- Aliases whose canonical form is known become phrases of the same type.
  local known = {}
  for _, e in ipairs(entries) do known[e.canonical] = known[e.canonical] or e end
  for alias, canonical in pairs(ALIAS) do
    local e = known[canonical]
    if e then add(entries, alias, e.type, canonical, e.kind) end
  end
  GAZ = quarry.phrases(entries)

  for _, r in ipairs(load_list(ctx, "data/titles.tsv")) do
    TITLES[r.phrase:lower()] = TITLES[r.phrase:lower()] or r.kind
    TITLE_FIRST[r.phrase:lower():match("^(%S+)")] = true
    if r.kind == "role" then ROLES[r.phrase:lower()] = true end
  end
  for _, r in ipairs(load_list(ctx, "data/first-names.tsv")) do FIRST[r.name] = true end
  local stops = {}
  for _, r in ipairs(load_list(ctx, "data/stopwords.tsv")) do
    STOP[r.word] = true
    stops[#stops + 1] = r.word:gsub("[%.%-']", "\\%0")
  end
  table.sort(stops, function(a, b) return #a > #b end)
  -- a run does not start with a stop word ("The", "Monday"): the regex skips them in C, not in Lua
  RUN = [[(?<![\p{L}\p{N}'’])(?!(?:]] .. table.concat(stops, "|") .. [[)(?![\p{L}\p{N}'’.\-]))]] .. RUN_BODY
  for _, r in ipairs(load_list(ctx, "data/cues.tsv")) do CUES[r.word] = r.type end
end


local function strip_possessive(word)
  local base = word:match("^(.-)['’]s$") or word:match("^(.-s)['’]$")
  return base or word
end

-- The lower-case word right before position p (skipping a comma), for role cues: "spokesman Dmitry Peskov".
local function role_before(text, p)
  local last = text:sub(math.max(1, p - 32), p - 1):match("([%a%-']+)[,%s]*$")
  if not last or last:lower() ~= last then return nil end
  if ROLES[last] or PERSON_CUES[last] then return last end
  return nil
end

-- ", the Kremlin spokesman" / ", head of the ..." / ", 68," after a name.
local function apposition_after(text, stop)
  local after = text:sub(stop + 1, stop + 80)
  if after:find("^,%s*%d%d?,") then return "age" end
  local clause = after:match("^,%s*(.-)[,.;:]") or after:match("^,%s*(.*)$")
  if not clause then return nil end
  local words = {}
  for w in clause:gmatch("[%a%-'’]+") do words[#words + 1] = w end
  if #words == 0 or #words > 8 then return nil end
  local first = words[1]:lower()
  if not (first == "the" or first == "a" or first == "an" or first == "its" or first == "his" or first == "her"
      or ROLES[first] or ROLES[(words[1] .. " " .. (words[2] or "")):lower()]) then
    return nil
  end
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

local function place_context(text, start)
  local before = text:sub(math.max(1, start - 24), start - 1)
  local noun, of = before:match("(%a+)%s+(of)%s+$")
  if of and PLACE_NOUNS[noun:lower()] then return true end
  local last = before:match("(%a+)%s+$")
  return last and PLACE_PREPS[last] or false
end

local function process(doc, ctx)
  local text = doc.text
  local keep_unknown = ctx.options.keep_unknown

  -- Positions where a sentence (or a quotation) starts, after any opening marks.
  local initial = {}
  local function mark_initial(p)
    local q = text:find("[^%s\"'(%[%-]", p) or p
    if text:byte(q) == 0xE2 then -- typographic quotes and dashes: 3 bytes each
      q = text:find("[^%s\"'(%[%-]", q + 3) or q
    end
    initial[q] = true
  end
  for _, s in ipairs(doc.sentences) do mark_initial(s.start) end
  for _, q in ipairs(doc.quotes) do mark_initial(q.inner.start) end
  local skip_blocks = {}
  for _, kind in ipairs{"title", "heading"} do
    for _, b in ipairs(doc:blocks{kind = kind}) do skip_blocks[#skip_blocks + 1] = {b.start, b.stop} end
  end
  local function in_heading(p)
    for _, r in ipairs(skip_blocks) do if p >= r[1] and p <= r[2] then return true end end
    return false
  end

  -- 1. Gazetteer matches.
  local mentions = {}   -- {start, stop, type, canonical, kind, title, role}
  local covered = {}    -- start byte of each covered word -> true
  for m in doc:match(GAZ) do
    local d = m.data
    local stop = m.stop
    if d.poss then stop = stop - (text:sub(stop - 3, stop - 2) == "\226\128" and 4 or 2) end
    mentions[#mentions + 1] = {start = m.start, stop = stop, type = d.type, canonical = d.canonical, kind = d.kind}
    for p in m.text:gmatch("()%S+") do covered[m.start + p - 1] = true end
  end

  -- 2. Runs of capitalized words, cut into candidate names.
  local candidates = {}
  for run in doc:find(RUN) do
    local rt = run.text
    local single = not rt:find("%s")
    -- all-caps runs (headlines, datelines, acronyms) and lone stop words hold no new names
    if rt:find("%l") and not (single and STOP[rt]) then
    local heading = in_heading(run.start)
      local tokens = {}
      for p, w in rt:gmatch("()(%S+)") do
        local s = run.start + p - 1
        local word = w
        local dotted = word:sub(-1) == "."
        if dotted and not ABBREV[word:sub(1, -2)] and not word:sub(1, -2):find("%.") then
          word = word:sub(1, -2)
        end
        tokens[#tokens + 1] = {word = word, start = s, stop = s + #word - 1, initial = initial[s]}
      end
      -- Walk the run: titles, gazetteer words and stop words cut it into segments.
      local i, n = 1, #tokens
      local title, pending_title = nil, nil
      local segment = {}
      local function flush()
        if #segment > 0 then
          candidates[#candidates + 1] = {tokens = segment, title = pending_title, heading = heading}
        end
        segment, pending_title = {}, nil
      end
      while i <= n do
        local t = tokens[i]
        if t.initial then flush() end
        if covered[t.start] then
          flush()
          i = i + 1
        else
          -- the longest title starting here (up to three words)
          local tlen = 0
          local lw = t.word:lower()
          for k = TITLE_FIRST[lw] and math.min(MAX_TITLE_WORDS, n - i + 1) or 0, 1, -1 do
            local words = {}
            for j = i, i + k - 1 do words[#words + 1] = tokens[j].word end
            local kind = TITLES[table.concat(words, " "):lower()]
            if kind and (kind ~= "role" or tokens[i].word:lower() ~= tokens[i].word) and i + k <= n then
              tlen = k
              title = table.concat(words, " ")
              break
            end
          end
          if tlen > 0 and #segment == 0 then
            pending_title = title
            i = i + tlen
          elseif #segment == 0 and (STOP[t.word] or t.word:find("^%u[%u%d%p]*$")) and not (t.word:find("^%u%u+") and false) then
            -- a leading stop word, or an all-caps word (headline, acronym): not a name start
            i = i + 1
          else
            segment[#segment + 1] = t
            i = i + 1
          end
        end
      end
      flush()
    end
  end

  -- 3. Classify the candidates, then resolve short mentions.
  local people = {}     -- canonical -> true
  local by_last = {}    -- last name -> canonical (false when ambiguous)
  local speakers = {}   -- last word -> true when some mention is followed by a speech verb
  local typed = {}      -- candidate text -> type decided with evidence somewhere in the document

  local function classify(c)
    local toks = c.tokens
    local first, last = toks[1], toks[#toks]
    local words = {}
    for _, t in ipairs(toks) do words[#words + 1] = strip_possessive(t.word) end
    c.start, c.stop = first.start, last.stop
    if last.word ~= words[#words] then c.stop = last.stop - (#last.word - #words[#words]) end
    c.text = table.concat(words, " ")
    c.key = words[#words]
    c.count = #words
    if c.count == 1 and first.initial and not c.title then
      -- a lone capitalized word opening a sentence: a name only if it speaks ("Peskov told") or a
      -- full name elsewhere in the document explains it (resolved below)
      if speech_after(text, last.stop) then c.type, c.why = "PERSON", "speaks"; speakers[c.key] = true; c.speaks = true end
      return
    end
    local cue = nil
    if #words >= 2 then
      cue = CUES[words[#words]] or CUES[words[1]]
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
        local app = text:byte(c.stop + 1) == 44 and apposition_after(text, c.stop)
        if app then c.type, c.why, c.role = "PERSON", "apposition", app ~= "age" and app or nil
        elseif FIRST[words[1]] and c.count >= 2 and c.count <= 4 then c.type, c.why = "PERSON", "given name"
        elseif c.count == 1 and not first.initial and place_context(text, c.start) then c.type, c.why = "LOCATION", "place"
        elseif c.count == 1 and first.initial and speech_after(text, last.stop) and not c.title then c.type, c.why = "PERSON", "speaks"
        elseif c.count == 1 and nextword and nextword:lower() == nextword and
            (words[1]:find("ian$") or words[1]:find("ish$") or words[1]:find("ese$")) then
          c.type, c.why = "NATIONALITY", "suffix"
        end
      end
    end
    if speech_after(text, last.stop) then speakers[c.key] = true; c.speaks = true end
  end
  local gaz_by_stop = {}
  for _, m in ipairs(mentions) do gaz_by_stop[m.stop] = m end
  for _, c in ipairs(candidates) do
    classify(c)
    if c.type == "ORGANIZATION" or c.type == "LOCATION" then
      -- "Saltmere Port Authority": a place from the gazetteer right before an organisation's name is part of it
      local g = gaz_by_stop[c.start - 2]
      if c.why == "cue" and g and (g.type == "LOCATION" or g.type == "NATIONALITY") and text:sub(c.start - 1, c.start - 1) == " "
          and g.stop - g.start + 1 == #text:sub(g.start, g.stop) and not text:sub(g.start, g.stop):find("['’]s$") then
        g.dropped = true
        c.start = g.start
      end
      c.text = newsroom.squash(text:sub(c.start, c.stop))
    end
    if c.heading then c.type = nil; c.speaks = nil end -- headlines: only names resolved from the body
  end

  -- Multi-word candidates that speak are people; full names index their last word.
  for _, c in ipairs(candidates) do
    if not c.type and c.count >= 2 and c.count <= 4 and (c.speaks or speakers[c.key]) then c.type, c.why = "PERSON", "speaks" end
    if c.type then typed[c.text] = typed[c.text] or c.type end
  end
  for _, c in ipairs(candidates) do
    if not c.type and typed[c.text] then c.type = typed[c.text] end
    if c.type == "PERSON" and c.count >= 2 then
      people[c.text] = true
      local prev = by_last[c.key]
      if prev == nil then by_last[c.key] = c.text elseif prev and prev ~= c.text and not prev:find(c.text, 1, true) and not c.text:find(prev, 1, true) then by_last[c.key] = false end
    end
  end
  -- Short mentions ("Peskov", "Mr. Sullivan", "Brekke's") resolve to the full name.
  for _, c in ipairs(candidates) do
    local full = by_last[c.key]
    if full and c.count < 3 and c.text ~= full and full:sub(-#c.text) == c.text then
      c.type, c.canonical = "PERSON", full
    elseif c.count == 1 and full == nil then
      local first_of = nil
      for name in pairs(people) do
        if name:find("^" .. c.text:gsub("%p", "%%%0") .. " ") then first_of = first_of == nil and name or false end
      end
      if first_of and (c.type == nil or c.type == "PERSON") then c.type, c.canonical = "PERSON", first_of end
    end
    if not c.type and keep_unknown and not c.tokens[1].initial then c.type = "MISC" end
    if c.type then
      c.canonical = ALIAS[c.canonical or c.text] or c.canonical or c.text
      mentions[#mentions + 1] = c
    end
  end

  -- 4. Count, annotate, summarize.
  local kept = {}
  for _, m in ipairs(mentions) do if not m.dropped then kept[#kept + 1] = m end end
  mentions = kept
  table.sort(mentions, function(a, b) return a.start < b.start end)
  local counts, order, types, titles, roles = {}, {}, {}, {}, {}
  for _, m in ipairs(mentions) do
    local id = m.type .. "|" .. m.canonical
    if not counts[id] then order[#order + 1] = id; counts[id] = 0 end
    counts[id] = counts[id] + 1
    types[id] = m.type
    if m.title and TITLES[m.title:lower()] ~= "honorific" then titles[id] = titles[id] or m.title end
    roles[id] = roles[id] or m.role
  end
  for _, m in ipairs(mentions) do
    local id = m.type .. "|" .. m.canonical
    doc:annotate(m.type, {start = m.start, stop = m.stop}, {
      canonical = m.canonical, mentions = counts[id], kind = m.kind ~= "" and m.kind or nil,
      title = titles[id], role = roles[id],
    })
  end
  table.sort(order, function(a, b)
    if counts[a] ~= counts[b] then return counts[a] > counts[b] end
    return a < b
  end)
  local summary = {}
  for _, id in ipairs(order) do
    local canonical = id:match("^[^|]*|(.*)$")
    local entry = {canonical = canonical, type = types[id], mentions = counts[id], title = titles[id], role = roles[id]}
    summary[#summary + 1] = entry
    if ctx.options.emit then
      ctx:emit{canonical = canonical, type = types[id], mentions = counts[id], doc = doc.id}
    end
  end
  doc:set("entities", summary)
end

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

return {
  name = "entities",
  version = "1.0.0",
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
