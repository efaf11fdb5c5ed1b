-- quotes: direct quotations (doc.quotes) with their speakers, and indirect speech ("X warned that ..."),
-- using the people and organisations that `entities` found. A speaker the text does not make clear
-- stays nil rather than guessed. Feeds quote-index and brief.
--
-- Sample output (annotations in results.jsonl, on Samples/herald/port-strike-begins.txt):
--   QUOTE "We did not want this, but the port authority left us no choice,"
--         {speaker = "Jonas Brekke", verb = "told", direct = true}
--   QUOTE "The two sides must go back to the table,"  {speaker = "Dario Feld", verb = "said", direct = true}
--   QUOTE "about 2,400 members had joined the strike"  {speaker = "Jonas Brekke", verb = "said", direct = false}
local newsroom = require("newsroom")
local SPEECH = newsroom.speech_verbs
local REPORTING = newsroom.reporting_verbs

local TITLE_WORDS = newsroom.title_words
-- The reporting verbs as one regular expression (longest first), to find the sentences that have one.
local REPORTING_RE
do
  local verbs = {}
  for w in pairs(REPORTING) do verbs[#verbs + 1] = w end
  table.sort(verbs, function(a, b) return #a > #b or (#a == #b and a < b) end)
  REPORTING_RE = [[\b(?:]] .. table.concat(verbs, "|") .. [[)\b]]
end
local GIVEN_NAMES = newsroom.given_names

-- Nouns for a body speaking ("the company said", "the ministry said"), resolved to the one organisation of the
-- story they can name (see `body_named`).
local BODY_NOUNS = {company = true, firm = true, ministry = true, bank = true, exchange = true, commission = true,
  department = true, agency = true, committee = true, union = true, institute = true, council = true, board = true}
local PRONOUNS = {he = true, she = true, it = true, they = false}
-- Nouns for what a body published ("the report said", "the statement added", "the daily said"): they speak for
-- the organisation that spoke last, as "it" does.
local DOCUMENT_NOUNS = {report = true, statement = true, study = true, survey = true, newspaper = true, daily = true,
  paper = true, weekly = true, magazine = true, journal = true, bulletin = true, communique = true, review = true}
-- Words for someone speaking for a named body ("a Texaco spokesman said", "a spokesman for Texaco"): the
-- body is the speaker, the word its role.
local ROLE_WORDS = {spokesman = true, spokeswoman = true, spokesperson = true, official = true, officials = true,
  executive = true, executives = true, source = true, sources = true}
local PRONOUN_FIRST = {[72] = true, [104] = true, [83] = true, [115] = true, [84] = true, [116] = true} -- HhSsTt
local byte, find = string.byte, string.find
local POSS_MARK = {[39] = true, [0xE2] = true, [0x80] = true, [0x99] = true} -- the bytes of ['’]
local function is_space(b) return b == 32 or (b >= 9 and b <= 13) end

-- Lower-case words of a string, with their positions (relative to the string): the first `max` of them.
local function words(s, max)
  local out = {}
  for p, w in s:gmatch("()([%a'’%-]+)") do
    out[#out + 1] = {p = p, w = w:lower()}
    if #out == max then break end
  end
  return out
end

-- The last `n` words of a string, lower case, in order (without a table per word).
local function last_words(s, n)
  local ring, count = {}, 0
  for w in s:gmatch("[%a'’%-]+") do
    count = count + 1
    ring[(count - 1) % n + 1] = w
  end
  local out = {}
  for k = math.max(1, count - n + 1), count do out[#out + 1] = ring[(k - 1) % n + 1]:lower() end
  return out
end

-- Nouns of unnamed sources ("another arbitrageur said", "dealers said"): such a sentence breaks a pronoun's chain.
local UNNAMED_SOURCES = {}
for w in ([[analyst analysts arbitrageur arbitrageurs dealer dealers trader traders economist economists official
  officials source sources banker bankers executive executives delegate delegates expert experts diplomat
  diplomats observer observers broker brokers spokesman spokeswoman]]):gmatch("%a+") do UNNAMED_SOURCES[w] = true end

-- Whether an entity is whom someone spoke to ("told Reuters", "told the BBC", "an aide to X") or who asked ("polled by
-- Reuters"), never the speaker.
---@param text string
---@param e table
---@return boolean
local function is_addressee(text, e)
  local before = text:sub(math.max(1, e.start - 12), e.start - 1):lower()
  return before:find("%f[%a]tol?d%s+$") ~= nil or before:find("%f[%a]told the%s+$") ~= nil
    or before:find("%f[%a]tell%s+$") ~= nil or before:find("%f[%a]by%s+$") ~= nil or before:find("%f[%a]to%s+$") ~= nil or before:find("%f[%a]to the%s+$") ~= nil
end

-- What the stages below share for one document (see `read_document`).
---@class QuoteState
---@field text string the document's text
---@field ents table[] the people and organisations entities found, in document order: `{start, stop, canonical, type, role, title}`
---@field nents integer how many
---@field by_role table<string, string|false> a role or title's last word ("spokesman") -> the one person it names
---@field s_start integer[] each sentence's first byte
---@field s_stop integer[] each sentence's last byte
---@field ns integer how many sentences
---@field speaker_of table<integer, string|false> sentence index -> its speaker (false: an unnamed source), for pronouns and continuations
---@field type_of table<string, string> a speaker -> PERSON or ORGANIZATION
---@field gender table<string, string|false> a person -> "he" or "she"
---@field reports table<integer, boolean> the sentences with a reporting verb

-- A person's name without the titles before it: "Finance Secretary Jaime Ongpin" -> "Jaime Ongpin".
---@param name string
---@return string
local function without_titles(name)
  local words = {}
  for w in name:gmatch("%S+") do words[#words + 1] = w end
  local i = 1 -- after the last title word that has a name after it ("Goodyear Chairman Robert Mercer")
  for k = 1, #words - 1 do
    if TITLE_WORDS[(words[k]:lower():gsub("%.$", ""))] then i = k + 1 end
  end
  if i == 1 then return name end
  return table.concat(words, " ", i)
end

-- A speaker from one of entities' annotations.
---@param a Annotation
---@param type string
---@return table
local function entity(a, type)
  local f = a.features
  local canonical = f.canonical or a.text
  if type == "PERSON" then canonical = without_titles(canonical) end
  return {start = a.start, stop = a.stop, canonical = canonical, type = type, role = f.role, title = f.title}
end

-- Stage 2b: what the story tells of each person's gender: "Mr"/"Mrs"/"Ms" before a mention, or a given name
-- from newsroom's list. canonical -> "he" | "she" (false when the evidence disagrees).
---@param text string
---@param ents table[]
---@return table<string, string|false>
local function genders_of(text, ents)
  local gender = {}
  local function note(name, g)
    if gender[name] == nil then gender[name] = g elseif gender[name] ~= g then gender[name] = false end
  end
  for _, e in ipairs(ents) do
    if e.type == "PERSON" then
      local honorific = text:sub(math.max(1, e.start - 6), e.start - 1):match("(%a+)%.?%s+$")
      if honorific == "Mr" or honorific == "Sir" then note(e.canonical, "he")
      elseif honorific == "Mrs" or honorific == "Ms" or honorific == "Miss" then note(e.canonical, "she") end
      local given = GIVEN_NAMES[(e.canonical:match("^(%a+)") or ""):lower()]
      if given then note(e.canonical, given) end
    end
  end
  return gender
end

-- Stage 1: the speakers we can name, people and organisations, in document order.
-- (One query per type, merged by start: entities' annotations never share a start, and reading fields of
-- annotations is what costs here, so the other types are not read at all.)
---@param doc Doc
---@return table[] ents
local function named_speakers(doc)
  local ents = {}
  local persons = doc:annotations{layer = "entities", type = "PERSON"}
  local orgs = doc:annotations{layer = "entities", type = "ORGANIZATION"}
  local i, j, np, no = 1, 1, #persons, #orgs
  local p = np > 0 and entity(persons[1], "PERSON")
  local o = no > 0 and entity(orgs[1], "ORGANIZATION")
  while p or o do
    if p and (not o or p.start < o.start or (p.start == o.start and p.stop >= o.stop)) then
      ents[#ents + 1] = p
      i = i + 1
      p = i <= np and entity(persons[i], "PERSON")
    else
      ents[#ents + 1] = o
      j = j + 1
      o = j <= no and entity(orgs[j], "ORGANIZATION")
    end
  end
  return ents
end

-- Stage 2: roles and titles that name exactly one person ("the spokesman" -> Pavel Renko).
---@param ents table[]
---@return table<string, string|false>
local function roles_of(text, ents)
  local by_role = {}
  local function note(key, name)
    if by_role[key] == nil then by_role[key] = name elseif by_role[key] ~= name then by_role[key] = false end
  end
  for _, e in ipairs(ents) do
    for _, r in ipairs{e.role, e.title} do
      if r then note(r:lower():match("(%a+)$"), e.canonical) end
    end
    -- "a senior U.S. Treasury official", "the Reebok spokesman", "a spokesman for Reebok Japan": the body's
    -- role word
    if e.type == "ORGANIZATION" then
      local word = text:match("^['’]?s?%s+(%a+)", e.stop + 1)
      if word and ROLE_WORDS[word] then note(word:gsub("s$", ""), e.canonical) end
      local before = text:sub(math.max(1, e.start - 24), e.start - 1):match("(%a+)%s+for%s+$")
        or text:sub(math.max(1, e.start - 28), e.start - 1):match("(%a+)%s+for%s+the%s+$")
      if before and ROLE_WORDS[before] then note(before:gsub("s$", ""), e.canonical) end
    end
  end
  return by_role
end

-- Stages 1 to 3: what the document gives to work with — its speakers, their roles and its sentences.
---@param doc Doc
---@return QuoteState
local function read_document(doc)
  local ents = named_speakers(doc)
  local type_of = {}
  for _, e in ipairs(ents) do type_of[e.canonical] = type_of[e.canonical] or e.type end
  -- The sentences' first and last bytes, by sentence index.
  local s_start, s_stop = {}, {}
  local ns = 0
  for s in doc.sentences:each() do ns = ns + 1; s_start[ns], s_stop[ns] = s.start, s.stop end
  -- The sentences with a reporting verb, found in one pass over the text: only they can hold indirect speech.
  local reports, k = {}, 1
  for m in doc:find(REPORTING_RE) do
    while k <= ns and s_stop[k] < m.start do k = k + 1 end
    if k <= ns and s_start[k] <= m.start then reports[k] = true end
  end
  return {text = doc.text, ents = ents, nents = #ents, by_role = roles_of(doc.text, ents), s_start = s_start, s_stop = s_stop,
    ns = ns, speaker_of = {}, type_of = type_of, gender = genders_of(doc.text, ents), reports = reports}
end

-- The entities come in document order (by start), so those starting from a position are found by bisection:
-- the first entity with start >= p (nents + 1 when none).
---@param st QuoteState
---@param p integer
---@return integer
local function first_from(st, p)
  local ents, nents = st.ents, st.nents
  local lo, hi = 1, nents + 1
  while lo < hi do
    local mid = (lo + hi) // 2
    if ents[mid].start < p then lo = mid + 1 else hi = mid end
  end
  return lo
end

-- The entities inside a..b.
---@param st QuoteState
---@param a integer
---@param b integer
---@return table[]
local function ents_between(st, a, b)
  local ents, nents = st.ents, st.nents
  local out = {}
  for k = first_from(st, a), nents do
    local e = ents[k]
    if e.start > b then break end
    if e.stop <= b then out[#out + 1] = e end
  end
  return out
end

-- Words that join two names rather than title the second ("the IMF and Jacques Delors", "a Reuters report by
-- Ann Lee"): a gap holding one is no title.
local JOINING = {}
for w in ([[and or of with to by for from in at on as than but nor who which that the]]):gmatch("%a+") do JOINING[w] = true end

-- The person an entity introduces: "EC external trade chief Willy de Clercq", "Jardine's Rasmussen", "Kidman's
-- publicist Wendy Day" name the person after the organisation (or the person's possessive), with only
-- lower-case role words or titles between. Returns that person's index, or k itself.
---@param st QuoteState
---@param k integer
---@return integer
local function titled_person(st, k)
  local e, n = st.ents[k], st.ents[k + 1]
  if not n or n.type ~= "PERSON" or n.start - e.stop > 48 then return k end
  local gap = st.text:sub(e.stop + 1, n.start - 1)
  local poss = gap:find("^['’]s%s")
  if not (e.type == "ORGANIZATION" or poss) then return k end
  local words = gap:gsub("^['’]s", "")
  if not words:find("^%s[%a%s%.%-]*$") then return k end
  local count = 0
  for w in words:gmatch("%a+") do
    count = count + 1
    local lw = w:lower()
    if count > 5 or JOINING[lw] or SPEECH[lw] then return k end
  end
  return k + 1
end

-- The index of the sentence holding byte p, or nil.
---@param st QuoteState
---@param p integer
---@return integer?
local function sentence_at(st, p)
  local s_start, s_stop = st.s_start, st.s_stop
  local lo, hi = 1, st.ns
  while lo <= hi do
    local mid = (lo + hi) // 2
    if p < s_start[mid] then hi = mid - 1 elseif p > s_stop[mid] then lo = mid + 1 else return mid end
  end
  return nil
end

-- Whether sentence k reports an unnamed source speaking.
---@param st QuoteState
---@param k integer
---@return boolean
local function unnamed_speaks(st, k)
  for noun, verb in st.text:sub(st.s_start[k], st.s_stop[k]):gmatch("(%l+)%s+(%l+)") do
    if UNNAMED_SOURCES[noun] and SPEECH[verb] then return true end
  end
  return false
end

local CORPORATE = {inc = true, corp = true, co = true, ltd = true, plc = true, ag = true, sa = true, nv = true,
  group = true, corporation = true, company = true, bhd = true, spa = true, gmbh = true, llc = true}

-- Whether an organisation's name fits a body noun: "the company" one with a corporate suffix, "the ministry"
-- one with the word in its name.
---@param name string
---@param noun string
---@return boolean
local function fits_noun(name, noun)
  if noun == "company" or noun == "firm" then return CORPORATE[(name:match("(%a+)%.?$") or ""):lower()] ~= nil end
  return (" " .. name:lower() .. " "):find("[%s%p]" .. noun .. "[%s%p]") ~= nil
end

-- The one organisation of the story that "the company" (one with a corporate suffix) or "the ministry" (one
-- with the word in its name) can be; nil when none or several.
---@param st QuoteState
---@param noun string
---@return string?
local function body_named(st, noun)
  local found
  for _, e in ipairs(st.ents) do
    if e.type == "ORGANIZATION" and e.canonical ~= found then
      if fits_noun(e.canonical, noun) then
        if found then return nil end
        found = e.canonical
      end
    end
  end
  return found
end

-- "The company said" after a company spoke in the three sentences before: that company.
---@param st QuoteState
---@param noun string
---@param si integer?
---@return string?
local function recent_body(st, noun, si)
  if not si then return nil end
  for k = si - 1, math.max(1, si - 3), -1 do
    local sp = st.speaker_of[k]
    if sp and st.type_of[sp] == "ORGANIZATION" and fits_noun(sp, noun) then return sp end
    if sp then return nil end
  end
  return nil
end

-- Nouns for a person the story has named, used as a pronoun is ("the striker said", "the Frenchman added",
-- "the 27-year-old said"): roles and occupations, people of a nation, an age.
local PERSON_NOUNS = {}
for w in ([[striker midfielder defender goalkeeper forward winger manager coach boss captain player star actor
  actress singer director producer author writer minister chancellor president premier leader chairman chairwoman
  governor senator mayor economist analyst lawyer judge officer veteran champion skipper veteran rider driver
  spaniard swede scot dane pole greek swiss argentine brit briton frenchman dutchman englishman irishman
  scotsman welshman frenchwoman dutchwoman englishwoman irishwoman scotswoman welshwoman]]):gmatch("%a+") do
  PERSON_NOUNS[w] = true
end

---@param word string a lower-case word
---@return boolean
local function person_noun(word)
  if PERSON_NOUNS[word] or word:find("%-year%-old$") then return true end
  return #word > 5 and (word:find("ese$") ~= nil or word:find("ian$") ~= nil)
end

-- Whether a pronoun may stand for a speaker: he/she for a person of that gender (or unknown), it for a body.
---@param st QuoteState
---@param name string
---@param pronoun string
---@return boolean
local function agrees(st, name, pronoun)
  local t = st.type_of[name]
  if pronoun == "it" then return t == "ORGANIZATION" end
  if pronoun == "one" then return t == "PERSON" end
  if t ~= "PERSON" then return false end
  local g = st.gender[name]
  return g == nil or g == pronoun
end

-- The people (or, for "it", the organisations) named in sentence k, distinct.
---@param st QuoteState
---@param k integer
---@param pronoun string
---@return string[]
local function named_in(st, k, pronoun)
  local seen, out = {}, {}
  local text = st.text
  for _, e in ipairs(ents_between(st, st.s_start[k], st.s_stop[k])) do
    -- (a name in the possessive, "Baker's remarks", modifies a noun: it is not who acts)
    local possessive = POSS_MARK[byte(text, e.stop + 1)]
      and (text:find("^'s%f[%A]", e.stop + 1) or text:find("^’s%f[%A]", e.stop + 1))
    if not seen[e.canonical] and not possessive and (e.type == "PERSON") == (pronoun ~= "it") then
      seen[e.canonical] = true
      out[#out + 1] = e.canonical
    end
  end
  return out
end

-- "he said" / "it said" / "the spokesman said": resolved only when the text is clear. A pronoun takes the
-- latest speaker of the three sentences before (when it agrees), or the one person named in the nearest
-- sentence naming anyone; an unnamed source in between ("a dealer said") leaves it unclear.
---@param st QuoteState
---@param word string
---@param si integer?
---@return string?
local function resolve(st, word, si)
  if st.by_role[word] then return st.by_role[word] end
  if BODY_NOUNS[word] then return recent_body(st, word, si) or body_named(st, word) end
  if DOCUMENT_NOUNS[word] then word = "it" end
  -- "the striker", "the Portuguese", "the 27-year-old": a person of either gender ("one" itself, as in "said
  -- one", is an unnamed source and resolves to no one)
  if word == "one" then return nil end
  if person_noun(word) then word = "one" end
  if not ((PRONOUNS[word] or word == "one") and si) then return nil end
  for k = si - 1, math.max(1, si - 3), -1 do
    local sp = st.speaker_of[k]
    if sp == false then return nil end
    if sp then return agrees(st, sp, word) and sp or nil end
    if unnamed_speaks(st, k) then return nil end
    -- (a body only when it spoke before: "it" passes over sentences where nobody speaks)
    if word ~= "it" then
      local named = named_in(st, k, word)
      if #named == 1 then
        -- the sentence is about them: no capitalized word before the name but the sentence's first
        for _, e in ipairs(ents_between(st, st.s_start[k], st.s_stop[k])) do
          if e.canonical == named[1] then
            -- ("U.S. Trade Representative Clayton Yeutter reminded ...": titles before the name are fine)
            local lead = st.text:sub(st.s_start[k], e.start - 1):gsub("^%S+", "", 1)
            for w in lead:gmatch("%u[%a%.]*") do
              if not (TITLE_WORDS[w:lower():gsub("%.$", "")] or w:find("^%u%.")) then return nil end
            end
            break
          end
        end
        return agrees(st, named[1], word) and named[1] or nil
      end
      if #named > 1 then return nil end
    end
  end
  return nil
end

-- An entity right after the closing mark ("...," Peskov told) or after the verb ("..." said Peskov).
---@param st QuoteState
---@param q Span|{start: integer, stop: integer} the quotation
---@param si integer its sentence
---@return string? speaker
---@return string? verb
---@return table? entity
local function after_quote(st, q, si)
  local text, ents, nents, s_stop = st.text, st.ents, st.nents, st.s_stop
  local sstop = s_stop[sentence_at(st, q.stop) or si]
  local right = text:sub(q.stop + 1, math.max(q.stop, sstop))
  local lead = right:match("^[%s,%-–—]*")
  local base = q.stop + #lead
  local w = words(right:sub(#lead + 1, #lead + 60), 3)
  if #w == 0 then return nil end
  -- verb first: said Jonas Brekke / said the spokesman / said he
  if SPEECH[w[1].w] then
    local verb = w[1].w
    local verb_end = base + w[1].p + #verb - 1
    for k = first_from(st, verb_end + 1), nents do
      local e = ents[k]
      if e.start > verb_end + 32 then break end
      -- said Peskov / said Minister Paul Ferro / said Rep. James Olin / said the union leader Jonas Brekke /
      -- said EC trade chief Willy de Clercq
      local between = text:sub(verb_end + 1, e.start - 1)
      local joined = false -- "said former Sen. and Reagan confidant Paul Laxalt": not Reagan
      for w in between:gmatch("%a+") do if JOINING[w] and w ~= "the" then joined = true end end
      if joined then break end
      if not between:gsub("%u%a*%.", ""):find("[%p]") then
        local h = ents[titled_person(st, k)]
        return h.canonical, verb, h
      end
    end
    local nxt = w[2] and w[2].w
    if nxt == "the" and w[3] then return resolve(st, w[3].w, si), verb end
    if nxt then return resolve(st, nxt, si), verb end
    return nil, verb
  end
  -- subject first: Peskov told / Jonas Brekke, the union leader, said / he said / the spokesman said
  for k = first_from(st, base + 1), nents do
    local e = ents[k]
    -- (a gap longer than 48 bytes is no title; later entities only start further away)
    if e.start - 1 - base > 48 then break end
    -- right after the mark, or after a few title words: "...," Mayor Ines Varga said /
    -- "...," the foreign minister Paul Ferro said (no punctuation but abbreviation dots between)
    local gap = e.start > base and text:sub(base + 1, e.start - 1) or nil
    local titled = gap ~= nil and (gap == "" or (#gap <= 48 and gap:match("^[%a%s%.'’%-&()]+%s$") ~= nil
      and select(2, gap:gsub("%a+", "")) <= 6 and not SPEECH[(gap:match("(%a+)%s*$") or "")]
      and not gap:find("%l%l[.!?]%s")))
    local h = titled and titled_person(st, k) or k
    if h ~= k then
      -- "...," CFTC chairman Susan Phillips told / "...," Jardine's Rasmussen said: the person
      e = ents[h]
    end
    if titled then
      local rest = text:sub(e.stop + 1, e.stop + 40):gsub("^['’]s", "")
      local verb = rest:match("^%s+(%a+)")
      if verb and SPEECH[verb] then return e.canonical, verb, e end
      -- "...," Gene Cartledge, chairman of Union Camp, said / "...," a Texaco spokesman said
      local role, verb2 = rest:match("^%s+(%a+)%s+(%a+)")
      if role and ROLE_WORDS[role] and SPEECH[verb2] and e.type == "ORGANIZATION" then
        return e.canonical, verb2, {type = e.type, role_word = role}
      end
      if e.type == "PERSON" and rest:find("^,") then
        local app = text:sub(e.stop + 2, e.stop + 140):match("^[^\"“”%.;]*")
        local n = 0
        for w in app:gmatch("%a+") do
          n = n + 1
          if n > 16 then break end
          if SPEECH[w] then return e.canonical, w, e end
        end
      end
      return nil
    end
  end
  if w[2] and SPEECH[w[2].w] then return resolve(st, w[1].w, si), w[2].w end
  if w[1].w == "the" and w[3] and SPEECH[w[3].w] then return resolve(st, w[2].w, si), w[3].w end
  -- "...," the ministry spokesman said: the one body "the ministry" names, with its role
  if w[1].w == "the" and w[3] and ROLE_WORDS[w[3].w] and BODY_NOUNS[w[2].w] then
    local w4 = words(right:sub(#lead + 1, #lead + 80), 4)[4]
    if w4 and SPEECH[w4.w] then
      local body = body_named(st, w[2].w)
      return body, w4.w, body and {type = "ORGANIZATION", role_word = w[3].w} or nil
    end
  end
  -- an unnamed source: "...," a leading bank economist said / one source said of the plan
  local lower = right:sub(#lead + 1, #lead + 60)
  for k = 2, 6 do
    local ws = words(lower, k)
    local v = ws[k] and ws[k].w
    if v and SPEECH[v] then
      local ok = not lower:sub(1, ws[k].p - 1):find("[%u%p]")
      if ok then return nil, v end
      break
    end
  end
  return nil
end

-- Verbs by which a subject characterizes something in quoted words ("described it as", "calling it").
local CHARACTERIZING = {}
for w in ([[called calls calling described describes describing termed terms terming branded brands branding
  labelled labeled labelling labeling dubbed dubbing saying adding warning noting arguing insisting]]):gmatch("%a+") do
  CHARACTERIZING[w] = true
end

-- Words that may stand between a subject and its verb ("he also said", "Melamed further added", "it has said").
local BETWEEN_SUBJECT_VERB = {}
for w in ([[also further then later again earlier repeatedly has had have would will today yesterday however
  recently previously once too]]):gmatch("%a+") do BETWEEN_SUBJECT_VERB[w] = true end

-- The verb that follows a subject from byte p, skipping the words above: the verb and the byte after it, or nil.
---@param text string
---@param p integer
---@param stop integer the last byte it may end at
---@return string? verb
---@return integer? after
local function verb_from(text, p, stop)
  for _ = 1, 3 do
    local s, e, w = find(text, "^,?%s+(%a+),?", p)
    if not s or e > stop then return nil end
    local lw = w:lower()
    if SPEECH[lw] or REPORTING[lw] then return lw, e + 1 end
    if not BETWEEN_SUBJECT_VERB[lw] then return nil end
    p = e + 1
  end
  return nil
end

-- A verb by which the subject speaks later in its sentence, up to byte `stop`: "..., calling it", "... but
-- said that", "... and added", "..., telling Reuters that" — with no sentence end, quotation or other person
-- named before it (who would be the one speaking).
---@param st QuoteState
---@param p integer
---@param stop integer
---@return string?
local function speaks_later(st, p, stop)
  local tail = st.text:sub(p, stop)
  if tail:find("%l%l[.!?]%s") or tail:find(";") or tail:find('["“”]') then return nil end
  local at, verb
  for pos, v in tail:gmatch(",%s+()(%a+ing)%f[%A]") do
    if CHARACTERIZING[v] or SPEECH[v:gsub("ing$", "")] or SPEECH[v:gsub("ing$", "s")] or SPEECH[v:gsub("ing$", "ed")] then
      at, verb = pos, v
      break
    end
  end
  for pos, v in tail:gmatch("%f[%a]and%s+()(%a+)") do
    if (SPEECH[v] or CHARACTERIZING[v]) and (not at or pos < at) then at, verb = pos, v end
  end
  for pos, v in tail:gmatch("%f[%a]but%s+()(%a+)") do
    if (SPEECH[v] or CHARACTERIZING[v]) and (not at or pos < at) then at, verb = pos, v end
  end
  if not at then return nil end
  for _, e in ipairs(ents_between(st, p, p + at - 1)) do
    if e.type == "PERSON" then return nil end
  end
  return verb
end

-- The subject that speaks in sentence si before byte `before`, when the sentence opens with it: "Melamed said
-- directors ... because "…"", "Anne Knight, analyst for Paine Webber, told Reuters ... but added: "…"",
-- "Pat Carney of Canada said "…"", "He also said ... although "…"", "The company said "…"",
-- "A USDA official said "…"" (the body, role official). Returns the speaker, its verb and its entity.
---@param st QuoteState
---@param si integer
---@param from integer where the subject may start
---@param before integer
---@return string? speaker
---@return string? verb
---@return table? entity
local function subject_at(st, si, from, before)
  local text = st.text
  local stop = before - 1
  -- a pronoun or a body noun first: He said / It also said / The company said / The Exchange statement said
  local w1, p1 = text:match("^(%a+)()", from)
  if not w1 then return nil end
  local lw1 = w1:lower()
  if PRONOUNS[lw1] ~= nil then
    local verb = verb_from(text, p1, stop) or speaks_later(st, p1, stop)
    if verb then return resolve(st, lw1, si), verb end
    return nil
  end
  if lw1 == "the" then
    local noun, p2 = text:match("^%s+(%a+)()", p1)
    local lnoun = noun and noun:lower()
    if lnoun and (BODY_NOUNS[lnoun] or DOCUMENT_NOUNS[lnoun] or st.by_role[lnoun] or person_noun(lnoun)) then
      local extra, p3 = text:match("^%s+(%a+)()", p2) -- "The Exchange statement said", "the ministry spokesman"
      if extra and (DOCUMENT_NOUNS[extra] or ROLE_WORDS[extra]) then p2 = p3 end
      local verb = verb_from(text, p2, stop) or speaks_later(st, p2, stop)
      if verb then return resolve(st, lnoun, si), verb end
    end
    return nil
  end
  -- a name opening the sentence, after at most a few capitalized title words or an article
  local k = first_from(st, from)
  local e = st.ents[k]
  if not e or e.stop >= before then return nil end
  local lead = text:sub(from, e.start - 1)
  if #lead > 40 or lead:find("[^%a%s%.'’%-]") then return nil end
  for w in lead:gmatch("%a+") do
    if not (w:find("^%u") or w == "a" or w == "an" or w == "the") then return nil end
  end
  local h = titled_person(st, k)
  if h ~= k then e = st.ents[h] end
  local p = e.stop + 1
  -- "A USDA official said": the body, with its role
  local role, rp = text:match("^%s+(%a+)()", p)
  if e.type == "ORGANIZATION" and role and ROLE_WORDS[role] then
    local verb = verb_from(text, rp, stop) or speaks_later(st, rp, stop)
    if verb then return e.canonical, verb, {type = e.type, role_word = role} end
    return nil
  end
  -- "Pat Carney of Canada said": a place or body after "of" (capitalized words)
  local of_end = select(2, find(text, "^%s+of%s+%u[%w%.&'’%-]*", p))
  if of_end then
    p = of_end + 1
    while true do
      local _, more = find(text, "^%s+%u[%w%.&'’%-]*", p)
      if not more then break end
      p = more + 1
    end
  end
  local verb = verb_from(text, p, stop)
  if verb then return e.canonical, verb, e end
  -- "Hofer described Lyng as "…"": the subject characterizes
  local v = text:match("^%s+(%a+)", p)
  if v and CHARACTERIZING[v] then return e.canonical, v, e end
  -- "Anne Knight, automotive analyst for Paine Webber and Co, told": an apposition closed by a comma before
  -- the verb (no sentence or quotation inside it)
  if byte(text, p) == 44 then
    local c = find(text, ",", p + 1, true)
    while c and c < stop and c - p <= 140 do
      if text:sub(p, c):find('["“”]') then break end
      verb = verb_from(text, c, stop)
      if verb then return e.canonical, verb, e end
      c = find(text, ",", c + 1, true)
    end
  end
  -- "Houston defended the program, calling it "…"", "The minister did not specify ... but said that "…""
  verb = speaks_later(st, p, stop)
  if verb then return e.canonical, verb, e end
  return nil
end

-- Openings before a sentence's subject: a conjunction ("But he said ..."), or an adverbial phrase closed by a
-- comma ("Asked about quota changes, a USDA official said "…"").
local OPENERS = {but = true, ["and"] = true, yet = true, so = true, however = true, still = true, meanwhile = true}

-- The subject that speaks in sentence si before byte `before` (see subject_at), at the sentence's start or after
-- an opening.
---@param st QuoteState
---@param si integer
---@param before integer
---@return string? speaker
---@return string? verb
---@return table? entity
local function subject_of(st, si, before)
  local text, first = st.text, st.s_start[si]
  local speaker, verb, e = subject_at(st, si, first, before)
  if speaker or verb then return speaker, verb, e end
  local w, p = text:match("^(%a+),?%s+()", first)
  if w and OPENERS[w:lower()] and p < before then return subject_at(st, si, p, before) end
  local comma = find(text, ",", first, true)
  if comma and comma - first <= 80 and comma < before then
    local opening = text:sub(first, comma)
    if opening:find('["“”]') then return nil end
    for ow in opening:gmatch("%a+") do if SPEECH[ow:lower()] then return nil end end
    local q = text:match("^%s+()", comma + 1)
    if q and q < before then return subject_at(st, si, q, before) end
  end
  return nil
end

-- An entity before the opening mark: Mao Ning said: "..." / Sullivan warned CNN that "..." / according to X, "...".
---@param st QuoteState
---@param q Span|{start: integer} the quotation
---@param si integer its sentence
---@return string? speaker
---@return string? verb
---@return table? entity
local function before_quote(st, q, si)
  local text, ents, nents, s_start, by_role = st.text, st.ents, st.nents, st.s_start, st.by_role
  local left = text:sub(s_start[si], q.start - 1)
  if #left > 400 then left = left:sub(-400) end
  local offset = q.start - #left
  local best
  for k = first_from(st, offset), nents do
    local e = ents[k]
    if e.start >= q.start then break end
    if e.stop < q.start and not is_addressee(text, e) then
      local between = text:sub(e.stop + 1, q.start - 1)
      if #between < 90 and not between:find("[.!?]%s") then
        local w = words(between, 8)
        for i = 1, #w do
          if SPEECH[w[i].w] then best = {e.canonical, w[i].w, e} break end
        end
      end
      if between:find("^['’]?s?%s*:%s*[\"'“‘]?%s*$") then best = {e.canonical, nil, e} end
      local acc = text:sub(math.max(1, e.start - 14), e.start - 1):lower()
      if acc:find("according to%s+$") then best = {e.canonical, "according to", e} end
    end
  end
  if best then return best[1], best[2] or "said", best[3] end
  -- he said: / the spokesman told reporters:
  local w = last_words(left, 9)
  for i = #w - 1, 1, -1 do
    if SPEECH[w[i + 1]] and (PRONOUNS[w[i]] ~= nil or by_role[w[i]] or BODY_NOUNS[w[i]]) then
      return resolve(st, w[i], si), w[i + 1]
    end
  end
  -- He did not give details but said, "…": the sentence's subject, a pronoun, said it
  local subject = text:match("^(%a+)", s_start[si])
  if subject and PRONOUNS[subject:lower()] and #left < 200 and not left:sub(#subject + 1):find("%u") then
    for i = #w, 1, -1 do
      if SPEECH[w[i]] then return resolve(st, subject:lower(), si), w[i] end
    end
  end
  return nil
end

-- Whether the words after a name, up to `stop`, may be a reporting verb (as indirect_named reads them:
-- an optional 's, an optional ", the mayor," and the next word): false only when they surely are not.
---@param st QuoteState
---@param p integer the byte after the name
---@param stop integer the sentence's last byte
---@return boolean
local function reports_after(st, p, stop)
  local text = st.text
  if p + 1 <= stop and POSS_MARK[byte(text, p)] and byte(text, p + 1) == 115 then p = p + 2 end
  local _, acr = find(text, "^%s*%([%u%.&]+%)", p) -- "the Institute of Economic Affairs (IEA) said"
  if acr and acr < stop then p = acr + 1 end
  if byte(text, p) == 44 then
    local g1, g2 = find(text, "^,[^,]-,", p)
    if g1 and g2 <= stop and g2 - g1 + 1 <= 90 then p = g2 + 1 end
  end
  local b = byte(text, p)
  if not b or not is_space(b) then return false end -- (what "^%s+" would fail on, without the pattern)
  local _, ve, verb = find(text, "^%s+(%a+)", p)
  if not verb then return false end
  if ve > stop then return true end -- cut by the sentence's end: let the full reading decide
  return REPORTING[verb] or false
end

-- "According to Amara Quist, the union had asked ..." (only when white space comes right before the name, and a
-- comma right after it: checked first, as they rule out most names cheaply).
---@param st QuoteState
---@param e table the entity
---@param first integer the sentence's first byte
---@param last integer its last byte
---@return table? quote
local function according_to(st, e, first, last)
  local text = st.text
  local pb = e.start - 1
  if pb >= first and byte(text, e.stop + 1) == 44 and is_space(byte(text, pb))
      and text:sub(math.max(first, e.start - 14), pb):lower():find("according to%s+$") then
    local a, b = e.stop + 2, last
    while text:sub(a, a):find("%s") do a = a + 1 end
    while b > a and text:sub(b, b):find("[%.%s!?]") do b = b - 1 end
    if b - a > 12 then
      return {span = {start = a, stop = b}, speaker = e.canonical, verb = "according to", direct = false, type = e.type}
    end
  end
end

-- The text before the last comma of `pre` when only a capitalized phrase, "the", or nothing follows that comma:
-- what pre:match("^(.*),%s*[%u][%a%s%-]*$") or pre:match("^(.*),%s*$") finds, without backtracking over the text.
---@param pre string
---@return string?
local function before_last_comma(pre)
  local comma, c = nil, find(pre, ",", 1, true)
  while c do comma = c; c = find(pre, ",", c + 1, true) end
  if not comma then return nil end
  if find(pre, "^%s*[%u][%a%s%-]*$", comma + 1) or find(pre, "^%s*$", comma + 1) then return pre:sub(1, comma - 1) end
  -- ", the ", ", chief executive ", ", the company's finance director ", ", the Kuwait daily ": titles and
  -- nouns of bodies in lower case, names
  local rest = pre:sub(comma + 1)
  if #rest <= 60 and not rest:find("[^%a%s'’%-]") then
    for w in rest:gmatch("[%a'’%-]+") do
      local lw = w:lower():gsub("['’]s$", "")
      if not (TITLE_WORDS[lw] or ROLE_WORDS[lw] or lw == "the" or lw == "a" or lw == "its" or BODY_NOUNS[lw]
          or DOCUMENT_NOUNS[lw] or w:find("^%u")) then
        return nil
      end
    end
    return pre:sub(1, comma - 1)
  end
  return nil
end

-- "X said (that) ...", "X, the mayor, said ...", "..., X said on Monday." with e as X.
---@param st QuoteState
---@param e table the entity
---@param first integer the sentence's first byte
---@param last integer its last byte
---@return table? quote
-- Words that open an adjunct after a reporting verb ("said on Thursday", "said in a statement", "said as talks
-- began"): after such a verb the reported clause is the one before it, not what follows.
local ADJUNCT_OPENERS = {}
for w in ([[on in at after during as when while following before since late early earlier later today
  yesterday tonight last this next monday tuesday wednesday thursday friday saturday sunday here there
  through via from]]):gmatch("%S+") do ADJUNCT_OPENERS[w] = true end

-- Whether the words after a reporting verb are only an adjunct (or nothing): "on Monday", "in a statement".
---@param tail string the sentence after the verb
---@return boolean
local function only_adjunct(tail)
  local first_word = tail:match("^%s*(%a+)")
  if not first_word then return true end
  if ADJUNCT_OPENERS[first_word:lower()] then return true end
  local n = 0
  for _ in tail:gmatch("%S+") do n = n + 1 end
  return n <= 3
end

-- How many words a span of the text holds.
---@param text string
---@param a integer
---@param b integer
---@return integer
local function word_count(text, a, b)
  local n = 0
  for _ in text:sub(a, b):gmatch("%a[%w'’%-]*") do n = n + 1 end
  return n
end

local function named_reporting(st, e, first, last)
  local text = st.text
  if not reports_after(st, e.stop + 1, last) then return nil end
  local rest = text:sub(e.stop + 1, last)
  local skipped = #(rest:match("^['’]s") or "")
  skipped = skipped + #(rest:match("^%s*%([%u%.&]+%)", skipped + 1) or "")
  rest = rest:sub(skipped + 1)
  local gap = rest:match("^,[^,]-,") or ""
  if #gap > 90 then gap = "" end
  local verb = rest:sub(#gap + 1):match("^%s+(%a+)")
  if not (verb and REPORTING[verb]) then return nil end
  local after = e.stop + skipped + #gap + #rest:sub(#gap + 1):match("^%s+%a+")
  local clause_start, clause_stop
  local tail = text:sub(after + 1, last)
  local before_comma = before_last_comma(text:sub(first, e.start - 1))
  -- "..., X said on Monday." reports what comes before; "In a bid to X, Y said its Z ..." what comes after.
  if before_comma and #before_comma > 20 and not tail:find("^%s+that%s") and only_adjunct(tail) then
    -- "..., the ministry said on Thursday." / "..., Foreign Minister X said as talks began."
    clause_start, clause_stop = first, first + #before_comma - 1
  else
    local skip = tail:match("^%s+") or ""
    local rest2 = tail:sub(#skip + 1)
    local obj = rest2:match("^(that%s+)") or rest2:match("^(on %a+ that%s+)")
    if not obj and (verb == "told" or verb == "warned" or verb == "assured" or verb == "reminded") then
      -- (the addressee, up to six words before "that": "told BBC Radio 4's Today programme that")
      local words = ""
      for _ = 1, 6 do
        local w = rest2:match("^%S+%s+", #words + 1)
        if not w or w:find("[,;:%.]%s+$") then break end
        words = words .. w
        if rest2:find("^that%s", #words + 1) then obj = words .. rest2:match("^that%s+", #words + 1) break end
      end
      if not obj and verb == "told" then obj = rest2:match("^(%a+%s+)") end
    end
    obj = obj or rest2:match("^(on %a+%s+)")
    clause_start = after + #skip + (obj and #obj or 0) + 1
    clause_stop = last
  end
  while clause_stop > clause_start and text:sub(clause_stop, clause_stop):find("[%.%s!?,]") do clause_stop = clause_stop - 1 end
  -- a clause has a few words: "told a news conference", "said in a statement" report nothing
  if clause_stop - clause_start > 12 and word_count(text, clause_start, clause_stop) >= 4 then
    return {span = {start = clause_start, stop = clause_stop}, speaker = e.canonical, verb = verb, direct = false, type = e.type}
  end
end

-- Indirect speech with a named subject: "X said (that) ...", "X, the mayor, said ...", "..., X said on Monday."
---@param st QuoteState
---@param si integer the sentence
---@return table? quote
local function indirect_named(st, si)
  local ents, nents, s_start, s_stop = st.ents, st.nents, st.s_start, st.s_stop
  local first, last = s_start[si], s_stop[si]
  for k = first_from(st, first), nents do -- the entities inside the sentence, in order
    local e = ents[k]
    if e.start > last then break end
    if e.stop <= last and not is_addressee(st.text, e) and not UNNAMED_SOURCES[e.canonical:lower()] then
      local found = according_to(st, e, first, last) or named_reporting(st, e, first, last)
      if found then
        -- "Ronald Glantz of Montgomery Securities said": the person, not the firm
        local p = ents[k - 1]
        if e.type == "ORGANIZATION" and p and p.type == "PERSON" and p.start >= first
            and st.text:sub(p.stop + 1, e.start - 1):find("^%s+of%s+t?h?e?%s*$") then
          found.speaker, found.type = p.canonical, "PERSON"
        end
        return found
      end
    end
  end
end

-- Sentence si's first and last bytes, after an opening conjunction ("But he said ...": from "he").
---@param st QuoteState
---@param si integer
---@return integer first
---@return integer last
local function clause_bounds(st, si)
  local text, first, last = st.text, st.s_start[si], st.s_stop[si]
  local ow, op = text:match("^(%a+),?%s+()", first)
  if ow and OPENERS[ow:lower()] and op <= last then first = op end
  return first, last
end

-- "He said the valley needed ...", "But she said ...", "The company said ...", "The valley needs water, it said."
---@param st QuoteState
---@param si integer the sentence
---@return table? quote
local function indirect_pronoun(st, si)
  if not st.reports[si] then return nil end
  local text = st.text
  local first, last = clause_bounds(st, si)
  local pron, verb, after = text:match("^(%a+)%s+(%a+)()", first)
  -- "The company said ...", "The chancellor said ...": a body or a role the story names
  local article, noun, verb2, after2 = text:match("^(%a+)%s+(%a+)%s+(%a+)()", first)
  if article and (article == "The" or article == "the") and after2 - 1 <= last and REPORTING[verb2]
      and (BODY_NOUNS[noun] or DOCUMENT_NOUNS[noun] or st.by_role[noun]) then
    pron, verb, after = noun, verb2, after2
  elseif not (pron and PRONOUNS[pron:lower()]) then
    pron = nil
  end
  if pron and after - 1 <= last and REPORTING[verb] then
    local who = resolve(st, pron:lower(), si)
    local skip = text:match("^%s+that%s+", after) or text:match("^%s+", after) or ""
    local a, b = after + #skip, last - 1
    if who and b - a > 12 then
      return {span = {start = a, stop = b}, speaker = who, verb = verb, direct = false, type = st.type_of[who]}
    end
    return nil
  end
  -- "..., it said." / "..., he added on Monday.": the clause before the comma
  local clause, p2, v2, tail = text:sub(first, last):match("^(.-),%s+(%a+)%s+(%a+)([^,]*)$")
  if clause and PRONOUNS[p2] and REPORTING[v2] and only_adjunct(tail) and #clause > 12
      and not clause:find('["“”]') then
    local who = resolve(st, p2, si)
    if who then
      return {span = {start = first, stop = first + #clause - 1}, speaker = who, verb = v2, direct = false,
        type = st.type_of[who]}
    end
  end
end

-- Indirect speech of an unnamed source: "Traders said ...", "Some analysts said that ...", "U.S. oil traders said
-- ...", "..., dealers said." The speaker stays nil (the text names no one), the source's noun is its `role`.
---@param st QuoteState
---@param si integer the sentence
---@return table? quote
local function indirect_unnamed(st, si)
  if not st.reports[si] then return nil end
  local text = st.text
  local first, last = clause_bounds(st, si)
  -- the source opens the sentence: at most four words before its noun, then the verb (read in place: no
  -- copy of the sentence)
  local p, previous = first, nil
  for _ = 1, 6 do
    local ws, w, e = text:match("^()([%a%.%-]+)()", p)
    if not ws or e - 1 > last then break end
    local lw = (w:lower():gsub("%.$", ""))
    if REPORTING[lw] and previous and UNNAMED_SOURCES[previous] then
      -- ("told Reuters that ...", "told reporters ...": the addressee is no part of what was said)
      local skip = lw == "told" and (text:match("^%s+%S+%s+that%s+", e) or text:match("^%s+%S+%s+", e))
        or text:match("^%s+that%s+", e) or text:match("^%s+", e) or ""
      local qa, qb = e + #skip, last
      while qb > qa and text:sub(qb, qb):find("[%.%s!?]") do qb = qb - 1 end
      if qb - qa > 12 and only_adjunct(text:sub(e, last)) == false then
        -- "A Treasury official said ...": the body the source speaks for
        local body
        for _, ent in ipairs(ents_between(st, first, ws - 1)) do
          if ent.type == "ORGANIZATION" and not text:sub(ent.stop + 1, ws - 1):find("[^%a%s]") then body = ent end
        end
        if body and text:sub(body.stop + 1, ws - 1):match("^%s+(%a+)%s*$") then
          return {span = {start = qa, stop = qb}, speaker = body.canonical, verb = lw, direct = false, role = previous,
            type = "ORGANIZATION"}
        end
        return {span = {start = qa, stop = qb}, verb = lw, direct = false, role = previous}
      end
      return nil
    end
    if byte(text, e) == 44 then break end -- (a comma ends the subject)
    previous = lw
    p = e + (#(text:match("^%s*", e)))
  end
  -- "..., dealers said." / "..., some traders said on Monday.": the words after the sentence's last comma
  local comma, c = nil, find(text, ",", first, true)
  while c and c < last do comma = c; c = find(text, ",", c + 1, true) end
  if not comma or last - comma > 60 or comma - first <= 12 then return nil end
  local rest = text:sub(comma + 1, last)
  if rest:find("%u%l") then return nil end
  local clause = text:sub(first, comma - 1)
  if clause:find('["“”]') then return nil end
  local words, noun = 0, nil
  for w, e in rest:gmatch("([%a%.%-]+)()") do
    local lw = (w:lower():gsub("%.$", ""))
    if REPORTING[lw] then
      if noun and UNNAMED_SOURCES[noun] and only_adjunct(rest:sub(e)) then
        return {span = {start = first, stop = comma - 1}, verb = lw, direct = false, role = noun}
      end
      return nil
    end
    words, noun = words + 1, lw
    if words > 4 then return nil end
  end
  return nil
end

-- Words that, first in a quotation, show it is not a clause of its own ("within the terms", "when an accord
-- is reached", "will only be made"), and the auxiliaries whose presence shows a clause.
local NOT_A_SUBJECT = {}
for w in ([[in within when if to for on at by with as while after before until from into than about over
  under without against will would shall should can could may might must is are was were be been being has have
  had won't can't couldn't wouldn't not]]):gmatch("%S+") do NOT_A_SUBJECT[w] = true end
local AUXILIARIES = {}
for w in ([[is are was were will would shall should can could may might must has have had do does did won't
  can't don't doesn't didn't isn't aren't wasn't weren't hasn't haven't cannot]]):gmatch("%S+") do AUXILIARIES[w] = true end

-- Whether a quotation inside a sentence is a fragment of it (a scare quote, a phrase, a predicate: "too
-- expansive", "a lack of concern for travellers") rather than a quoted clause ("it will confuse the issue").
---@param st QuoteState
---@param q table the quotation
---@param si integer its sentence
---@param nwords integer
---@return boolean
local function is_fragment(st, q, si, nwords)
  local text = st.text
  local before = text:sub(st.s_start[si], q.start - 1)
  if not before:find("%a") or before:find("[:,]%s*$") then return false end -- it opens its sentence, or "said: “"
  if #q.parts > 1 then return false end
  if nwords < 5 then return true end
  if nwords >= 10 then return false end
  -- Bangemann said "The government sees no reason ..."
  if byte(text, q.parts[1].start) and text:sub(q.parts[1].start, q.parts[1].start):find("%u")
      and SPEECH[(before:match("(%a+)%s*$") or ""):lower()] then return false end
  local first, aux = nil, false
  local k = 0
  for w in text:sub(q.parts[1].start, q.parts[1].stop):gmatch("[%a'’]+") do
    k = k + 1
    w = w:lower():gsub("’", "'")
    if k == 1 then first = w elseif AUXILIARIES[w] then aux = true break end
    if k > 12 then break end
  end
  return NOT_A_SUBJECT[first] or not aux
end

-- The text of a quotation, its parts joined by a space.
---@param text string
---@param q table
---@return string
local function joined_text(text, q)
  local pieces = {}
  for _, part in ipairs(q.parts) do pieces[#pieces + 1] = newsroom.trim(text:sub(part.start, part.stop)) end
  return newsroom.squash(table.concat(pieces, " "))
end

-- A direct quotation: its speaker in the attribution after its first part (or after it, or before it), or the
-- previous one's when it stands alone; kept when it has a speaker or is long enough (shorter ones are scare
-- quotes), and not when it is a fragment inside a sentence.
---@param st QuoteState
---@param quotes table[] the quotes found so far, to add to
---@param q table the quotation (from stage 4)
---@param si integer the sentence it starts in
---@param min_words integer
local function direct(st, quotes, q, si, min_words)
  local text, s_start, s_stop, speaker_of = st.text, st.s_start, st.s_stop, st.speaker_of
  local first_part, last_part = q.parts[1], q.parts[#q.parts]
  if last_part.stop < first_part.start then return end
  local joined = joined_text(text, q)
  local nwords = select(2, joined:gsub("%S+", ""))
  if nwords == 0 or is_fragment(st, q, si, nwords) then return end
  local speaker, verb, ent = after_quote(st, {stop = first_part.close}, si)
  if not (speaker or verb) and #q.parts > 1 then speaker, verb, ent = after_quote(st, {stop = q.stop}, si) end
  if not (speaker or verb) then speaker, verb, ent = subject_of(st, si, q.start) end
  if not (speaker or verb) then speaker, verb, ent = before_quote(st, q, si) end
  local attributed = speaker ~= nil or verb ~= nil
  local fills = q.start <= s_start[si] + 3 and (s_stop[sentence_at(st, q.stop) or si] <= q.stop + 3)
  if not attributed and fills then
    -- A quotation standing alone continues the previous speaker (or is introduced by "X said:").
    local prev = speaker_of[si - 1]
    local prev_text = si > 1 and text:sub(s_start[si - 1], s_stop[si - 1]) or ""
    if prev then speaker, verb = prev, "said"
    elseif prev_text:find(":%s*$") then speaker, verb, ent = before_quote(st, {start = s_stop[si - 1] + 1}, si - 1)
    end
  end
  if speaker or nwords >= min_words then
    local parts
    if #q.parts > 1 then
      parts = {}
      for _, part in ipairs(q.parts) do parts[#parts + 1] = {start = part.start, stop = part.stop} end
    end
    quotes[#quotes + 1] = {span = {start = first_part.start, stop = last_part.stop}, speaker = speaker, verb = verb,
      direct = true, type = ent and ent.type or (speaker and st.type_of[speaker] or nil), role = ent and ent.role_word,
      parts = parts, joined = joined}
    local last = sentence_at(st, q.stop) or si
    for k = si, last do
      if speaker then speaker_of[k] = speaker elseif verb then speaker_of[k] = false end
    end
  end
end

-- Stage 4: the quotations as the story gives them. A quotation inside another is part of it (never a QUOTE
-- of its own); a quotation continued over paragraphs (a paragraph ending without a closing mark, the next one
-- opening with a mark) and a quotation split by its attribution ("…," he said, "…") are one quotation with
-- `parts`: each part is {start, stop, close}, the text between its marks and the position of its closing mark.
---@param doc Doc
---@return table[] quotations {start, stop, parts, balanced, block}
local function top_level_quotations(doc)
  local list, last_stop = {}, 0
  for _, q in ipairs(doc.quotes) do
    local inner = q.inner
    if q.start > last_stop and inner and inner.stop >= inner.start then
      local b = q:block()
      local a, z = inner.start, inner.stop -- (white space inside the marks is no part of the quotation)
      while a < z and is_space(byte(doc.text, a)) do a = a + 1 end
      while z > a and is_space(byte(doc.text, z)) do z = z - 1 end
      list[#list + 1] = {start = q.start, stop = q.stop, balanced = q.balanced, block = b and b.index,
        block_start = b and b.start, block_stop = b and b.stop,
        parts = {{start = a, stop = z, close = q.stop}}}
      last_stop = q.stop
    end
  end
  return list
end

-- Whether q continues prev over a paragraph break: prev runs to the end of its paragraph without a closing mark
-- (the finder calls a continued quotation balanced when its last part closes), and q opens
-- the next paragraph.
local function continues(text, prev, q)
  return not text:sub(math.max(1, prev.stop - 2), prev.stop):find('["”»]$') and prev.block and q.block == prev.block + 1 and prev.stop >= prev.block_stop - 1
    and q.start <= q.block_start + 1
end

-- The attribution between two parts of one quotation ("," he said, "" / "," said X, the union leader. ""), or nil:
-- short, in the same paragraph, one clause with a speech verb and no quotation mark, the first part ending in , ? !
-- or a dash and the second ending its sentence (a second part with an attribution of its own is a quotation of
-- its own: "“…,” said one trader. “…,” he added.").
---@param text string
---@param prev table
---@param q table
---@return string? gap
local function attribution_between(text, prev, q)
  if q.block ~= prev.block or not prev.balanced then return nil end
  local last = prev.parts[#prev.parts]
  local tail = text:sub(math.max(last.start, last.stop - 2), last.stop)
  if not (tail:find("[,?!]%s*$") or tail:find("%-%s*$") or tail:find("—%s*$")) then return nil end
  local last_q = q.parts[#q.parts]
  if not text:sub(math.max(last_q.start, last_q.stop - 2), last_q.stop):find("[%.?!…]$") then return nil end
  local gap = text:sub(prev.stop + 1, q.start - 1)
  if #gap > 220 or gap:find('["“”«»„]') or gap:find("\n%s*\n") then return nil end
  if gap:gsub("[%.,:]%s*$", ""):find("[%.!?]%s+%u") then return nil end -- a sentence after the attribution
  local n, verb, last_word = 0, false, nil
  for w in gap:gmatch("[%a'’%-]+") do
    n = n + 1
    last_word = w:lower()
    if SPEECH[last_word] then verb = true end
  end
  if verb and n <= 28 and (gap:find("[,.:]%s*$") or SPEECH[last_word]) then return gap end
  return nil
end

-- Stage 4 (continued): the quotations joined, in document order.
---@param st QuoteState
---@param list table[]
---@return table[]
local function joined_quotations(st, list)
  local out = {}
  for _, q in ipairs(list) do
    local prev = out[#out]
    if prev and (continues(st.text, prev, q) or attribution_between(st.text, prev, q)) then
      for _, part in ipairs(q.parts) do prev.parts[#prev.parts + 1] = part end
      prev.stop, prev.balanced, prev.block, prev.block_start, prev.block_stop = q.stop, q.balanced, q.block, q.block_start, q.block_stop
    else
      out[#out + 1] = q
    end
  end
  return out
end

-- Stage 4 (end): the sentences where a quotation starts or ends (`quoted`), and the quotations starting in each.
---@param st QuoteState
---@param list table[]
---@return table<integer, boolean> quoted
---@return table<integer, table[]> starting
local function quotations_by_sentence(st, list)
  local quoted = {}    -- sentence index -> true when a quotation starts or ends in it
  local starting = {}  -- sentence index -> the quotations that start in it
  for _, q in ipairs(list) do
    local a, b = sentence_at(st, q.start), sentence_at(st, q.stop)
    if a then
      for k = a, b or a do quoted[k] = true end
      local l = starting[a]
      if l then l[#l + 1] = q else starting[a] = {q} end
    end
  end
  return quoted, starting
end

-- Stage 5: indirect speech with named speakers, in the sentences without quotations (first, so that pronouns
-- after it resolve).
---@param st QuoteState
---@param quoted table<integer, boolean>
---@return table<integer, table> indirect sentence index -> its quote
local function indirect_with_names(st, quoted)
  local indirect = {}
  for si = 1, st.ns do
    if not quoted[si] then
      local found = indirect_named(st, si)
      if found then indirect[si] = found; st.speaker_of[si] = found.speaker end
    end
  end
  return indirect
end

-- Stage 6, sentence by sentence: indirect speech after a pronoun, then the quotations that start there.
---@param st QuoteState
---@param quoted table<integer, boolean>
---@param starting table<integer, Span[]>
---@param indirect table<integer, table>
---@param options table the plugin's options (`indirect`, `min_words`)
---@return table[] quotes in document order
local function attribute_all(st, quoted, starting, indirect, options)
  local quotes = {}
  for si = 1, st.ns do
    if options.indirect and not quoted[si] and not indirect[si] then
      local found = indirect_pronoun(st, si)
      if found then
        indirect[si] = found; st.speaker_of[si] = found.speaker
      else
        found = indirect_unnamed(st, si)
        if found then indirect[si] = found; st.speaker_of[si] = found.speaker or false end
      end
    end
    if indirect[si] then quotes[#quotes + 1] = indirect[si] end
    local qs = starting[si]
    if qs then for _, q in ipairs(qs) do direct(st, quotes, q, si, options.min_words) end end
  end
  table.sort(quotes, function(a, b) return a.span.start < b.span.start end)
  return quotes
end

-- Stage 7: a QUOTE annotation per quote, and the document feature `quotes` (total, direct, attributed).
---@param doc Doc
---@param quotes table[]
local function annotate_quotes(doc, quotes)
  local n_direct, n_attributed = 0, 0
  for _, q in ipairs(quotes) do
    doc:annotate("QUOTE", q.span, {speaker = q.speaker, verb = q.verb, direct = q.direct, speaker_type = q.type,
      role = q.role, parts = q.parts, text = q.joined})
    if q.direct then n_direct = n_direct + 1 end
    if q.speaker then n_attributed = n_attributed + 1 end
  end
  doc:set("quotes", {total = #quotes, direct = n_direct, attributed = n_attributed})
end

---@param doc Doc
---@param ctx Context
local function process(doc, ctx)
  local st = read_document(doc)
  local quoted, starting = quotations_by_sentence(st, joined_quotations(st, top_level_quotations(doc)))
  local indirect = ctx.options.indirect and indirect_with_names(st, quoted) or {}
  local quotes = attribute_all(st, quoted, starting, indirect, ctx.options)
  annotate_quotes(doc, quotes)
end

---@type Plugin
return {
  name = "quotes",
  version = "1.0.0",
  kind = "extract",
  description = "Direct quotations with their speakers (\"X said\", \"said X\", \"X told Y\", \"according to X\", "
    .. "\"X: ...\", continuations, clear pronouns and roles) and indirect speech (direct = false). Sample: QUOTE "
    .. "\"The two sides must go back to the table,\" {speaker = \"Dario Feld\", verb = \"said\", direct = true}.",
  categories = {"default", "extract", "news"},
  author = "Quarry",
  license = "MIT",
  requires = {"entities"},
  options = {
    indirect = {type = "boolean", default = true, doc = "Also mark indirect speech (\"X said that ...\") with direct = false."},
    min_words = {type = "integer", default = 5, min = 1,
      doc = "Quotations without a speaker shorter than this are taken for scare quotes and skipped."},
  },
  process = process,
}
