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

local PRONOUNS = {he = true, she = true, they = false}
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

-- What the stages below share for one document (see `read_document`).
---@class QuoteState
---@field text string the document's text
---@field ents table[] the people and organisations entities found, in document order: `{start, stop, canonical, type, role, title}`
---@field nents integer how many
---@field by_role table<string, string|false> a role or title's last word ("spokesman") -> the one person it names
---@field s_start integer[] each sentence's first byte
---@field s_stop integer[] each sentence's last byte
---@field ns integer how many sentences
---@field speaker_of table<integer, string> sentence index -> its speaker, for pronouns and continuations

-- A speaker from one of entities' annotations.
---@param a Annotation
---@param type string
---@return table
local function entity(a, type)
  local f = a.features
  return {start = a.start, stop = a.stop, canonical = f.canonical or a.text, type = type, role = f.role, title = f.title}
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
local function roles_of(ents)
  local by_role = {}
  for _, e in ipairs(ents) do
    for _, r in ipairs{e.role, e.title} do
      if r then
        local key = r:lower():match("(%a+)$")
        if by_role[key] == nil then by_role[key] = e.canonical elseif by_role[key] ~= e.canonical then by_role[key] = false end
      end
    end
  end
  return by_role
end

-- Stages 1 to 3: what the document gives to work with — its speakers, their roles and its sentences.
---@param doc Doc
---@return QuoteState
local function read_document(doc)
  local ents = named_speakers(doc)
  -- The sentences' first and last bytes, by sentence index.
  local s_start, s_stop = {}, {}
  local ns = 0
  for s in doc.sentences:each() do ns = ns + 1; s_start[ns], s_stop[ns] = s.start, s.stop end
  return {text = doc.text, ents = ents, nents = #ents, by_role = roles_of(ents), s_start = s_start, s_stop = s_stop,
    ns = ns, speaker_of = {}}
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

-- "he said" / "the spokesman said": resolved only when the text is clear.
---@param st QuoteState
---@param word string
---@param si integer?
---@return string?
local function resolve(st, word, si)
  local text, s_start, s_stop, by_role, speaker_of = st.text, st.s_start, st.s_stop, st.by_role, st.speaker_of
  if by_role[word] then return by_role[word] end
  if PRONOUNS[word] and si then
    for k = si - 1, math.max(1, si - 1), -1 do
      if speaker_of[k] then return speaker_of[k] end
      local people = {}
      local n = 0
      for _, e in ipairs(ents_between(st, s_start[k], s_stop[k])) do
        if e.type == "PERSON" and not people[e.canonical] then people[e.canonical] = true; n = n + 1 end
      end
      -- one person, and the sentence is about them: it starts with their name (after a title)
      if n == 1 then
        local who = next(people)
        for _, e in ipairs(ents_between(st, s_start[k], s_stop[k])) do
          if e.canonical == who then
            local lead = text:sub(s_start[k], e.start - 1)
            -- no other capitalized word before it (which could be a name we did not recognize)
            if not lead:gsub("^%S+", "", 1):find("%u") then return who end
            break
          end
        end
      end
      return nil
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
      -- said Peskov / said Minister Paul Ferro / said the union leader Jonas Brekke
      if not text:sub(verb_end + 1, e.start - 1):find("[%p]") then
        return e.canonical, verb, e
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
    local titled = gap ~= nil and (gap == "" or (#gap <= 48 and gap:match("^[%a%s%.'’%-]+%s$") ~= nil
      and select(2, gap:gsub("%a+", "")) <= 5 and not SPEECH[(gap:match("(%a+)%s*$") or "")]))
    if titled then
      local rest = text:sub(e.stop + 1, e.stop + 40):gsub("^['’]s", "")
      local verb = rest:match("^%s+(%a+)")
      if verb and SPEECH[verb] then return e.canonical, verb, e end
      return nil
    end
  end
  if w[2] and SPEECH[w[2].w] then return resolve(st, w[1].w, si), w[2].w end
  if w[1].w == "the" and w[3] and SPEECH[w[3].w] then return resolve(st, w[2].w, si), w[3].w end
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
    if e.stop < q.start then
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
    if SPEECH[w[i + 1]] and (PRONOUNS[w[i]] ~= nil or by_role[w[i]]) then
      return resolve(st, w[i], si), w[i + 1]
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

-- The text before the last comma of `pre` when only a capitalized phrase (or nothing) follows that comma: what
-- pre:match("^(.*),%s*[%u][%a%s%-]*$") or pre:match("^(.*),%s*$") finds, without backtracking over the text.
---@param pre string
---@return string?
local function before_last_comma(pre)
  local comma, c = nil, find(pre, ",", 1, true)
  while c do comma = c; c = find(pre, ",", c + 1, true) end
  if comma and (find(pre, "^%s*[%u][%a%s%-]*$", comma + 1) or find(pre, "^%s*$", comma + 1)) then
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
local function named_reporting(st, e, first, last)
  local text = st.text
  if not reports_after(st, e.stop + 1, last) then return nil end
  local rest = text:sub(e.stop + 1, last):gsub("^['’]s", "")
  local gap = rest:match("^,[^,]-,") or ""
  if #gap > 90 then gap = "" end
  local verb = rest:sub(#gap + 1):match("^%s+(%a+)")
  if not (verb and REPORTING[verb]) then return nil end
  local after = e.stop + #gap + #rest:sub(#gap + 1):match("^%s+%a+")
  local clause_start, clause_stop
  local tail = text:sub(after + 1, last)
  local before_comma = before_last_comma(text:sub(first, e.start - 1))
  if before_comma and #before_comma > 20 and not tail:find("^%s+that%s") then
    -- "..., the ministry said on Thursday." / "..., Foreign Minister X said as talks began."
    clause_start, clause_stop = first, first + #before_comma - 1
  else
    local skip = tail:match("^%s+") or ""
    local rest2 = tail:sub(#skip + 1)
    local obj = rest2:match("^(that%s+)") or rest2:match("^(on %a+ that%s+)")
    if not obj and (verb == "told" or verb == "warned" or verb == "assured" or verb == "reminded") then
      obj = rest2:match("^(%S+%s+that%s+)") or rest2:match("^(%S+%s+%S+%s+that%s+)") or rest2:match("^(%S+%s+%S+%s+%S+%s+that%s+)")
      if not obj and verb == "told" then obj = rest2:match("^(%a+%s+)") end
    end
    obj = obj or rest2:match("^(on %a+%s+)")
    clause_start = after + #skip + (obj and #obj or 0) + 1
    clause_stop = last
  end
  while clause_stop > clause_start and text:sub(clause_stop, clause_stop):find("[%.%s!?,]") do clause_stop = clause_stop - 1 end
  if clause_stop - clause_start > 12 then
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
    if e.stop <= last then
      local found = according_to(st, e, first, last) or named_reporting(st, e, first, last)
      if found then return found end
    end
  end
end

-- "He said the valley needed ..."
---@param st QuoteState
---@param si integer the sentence
---@return table? quote
local function indirect_pronoun(st, si)
  local text, s_start, s_stop = st.text, st.s_start, st.s_stop
  local first, last = s_start[si], s_stop[si]
  if not PRONOUN_FIRST[byte(text, first)] then return nil end -- not he, she or they
  local _, e2, pron, verb = find(text, "^(%a+)%s+(%a+)", first)
  if e2 and e2 > last then pron, verb = text:sub(first, last):match("^(%a+)%s+(%a+)") end
  if pron and PRONOUNS[pron:lower()] and verb and REPORTING[verb] then
    local who = resolve(st, pron:lower(), si)
    local start = first + #pron + #verb + 1
    local skip = text:match("^%s+that%s+", start) or text:match("^%s+", start) or ""
    local a, b = start + #skip, last - 1
    if who and b - a > 12 then
      return {span = {start = a, stop = b}, speaker = who, verb = verb, direct = false, type = "PERSON"}
    end
  end
end

-- A direct quotation: its speaker after it, before it, or the previous one's when it stands alone; kept when
-- it has a speaker or is long enough (shorter ones are scare quotes).
---@param st QuoteState
---@param quotes table[] the quotes found so far, to add to
---@param q Span the quotation
---@param si integer the sentence it starts in
---@param min_words integer
local function direct(st, quotes, q, si, min_words)
  local text, s_start, s_stop, speaker_of = st.text, st.s_start, st.s_stop, st.speaker_of
  local inner = q.inner
  if inner and #inner.text > 0 then
    local nwords = select(2, inner.text:gsub("%S+", ""))
    local speaker, verb, ent = after_quote(st, q, si)
    if not (speaker or verb) then speaker, verb, ent = before_quote(st, q, si) end
    local attributed = speaker ~= nil or verb ~= nil
    local fills = q.start <= s_start[si] + 3 and (s_stop[sentence_at(st, q.stop) or si] <= q.stop + 3)
    if not attributed and fills then
      -- A quotation standing alone continues the previous speaker (or is introduced by "X said:").
      local prev = speaker_of[si - 1]
      local prev_text = si > 1 and text:sub(s_start[si - 1], s_stop[si - 1]) or ""
      if prev then speaker, verb = prev, "said"
      elseif prev_text:find(":%s*$") then speaker, verb = before_quote(st, {start = s_stop[si - 1] + 1}, si - 1)
      end
    end
    if speaker or nwords >= min_words then
      quotes[#quotes + 1] = {span = inner, speaker = speaker, verb = verb, direct = true,
        type = ent and ent.type or (speaker and "PERSON" or nil)}
      local last = sentence_at(st, q.stop) or si
      for k = si, last do
        if speaker then speaker_of[k] = speaker end
      end
    end
  end
end

-- Stage 4: the sentences where a quotation starts or ends (`quoted`), and the quotations starting in each.
---@param doc Doc
---@param st QuoteState
---@return table<integer, boolean> quoted
---@return table<integer, Span[]> starting
local function quotations_by_sentence(doc, st)
  local quoted = {}    -- sentence index -> true when a quotation starts or ends in it
  local starting = {}  -- sentence index -> the quotations that start in it
  for _, q in ipairs(doc.quotes) do
    local a, b = sentence_at(st, q.start), sentence_at(st, q.stop)
    if a then
      quoted[a] = true
      local list = starting[a]
      if list then list[#list + 1] = q else starting[a] = {q} end
    end
    if b then quoted[b] = true end
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
      if found then indirect[si] = found; st.speaker_of[si] = found.speaker end
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
    doc:annotate("QUOTE", q.span, {speaker = q.speaker, verb = q.verb, direct = q.direct, speaker_type = q.type})
    if q.direct then n_direct = n_direct + 1 end
    if q.speaker then n_attributed = n_attributed + 1 end
  end
  doc:set("quotes", {total = #quotes, direct = n_direct, attributed = n_attributed})
end

---@param doc Doc
---@param ctx Context
local function process(doc, ctx)
  local st = read_document(doc)
  local quoted, starting = quotations_by_sentence(doc, st)
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
