-- figures: numbers with what they measure — money, percentages, quantities with units or counted nouns,
-- and casualties ("killed one person", "tens of thousands of soldiers") — with approximate ("about",
-- "more than") and vague ("dozens", "tens of thousands") quantities marked.
--
-- Sample output (annotations in results.jsonl, Samples/herald/port-strike-day-three.txt):
--   FIGURE "about 1.8 million crowns"  {kind = "money", value = 1800000, currency = "crowns", approximate = true}
--   FIGURE "31"                        {kind = "quantity", value = 31}
--   FIGURE "three vessels"             {kind = "quantity", value = 3, counts = "vessels"}
-- and on a war report: FIGURE "tens of thousands of soldiers" {kind = "casualties", vague = true, value = 10000}.

local WORDS = {one = 1, two = 2, three = 3, four = 4, five = 5, six = 6, seven = 7, eight = 8, nine = 9, ten = 10,
  eleven = 11, twelve = 12, thirteen = 13, fourteen = 14, fifteen = 15, sixteen = 16, seventeen = 17,
  eighteen = 18, nineteen = 19, twenty = 20, thirty = 30, forty = 40, fifty = 50, sixty = 60, seventy = 70,
  eighty = 80, ninety = 90, hundred = 100, ["a hundred"] = 100, ["a thousand"] = 1000, ["a dozen"] = 12,
  dozens = 12, hundreds = 100, thousands = 1000, ["tens of thousands"] = 10000,
  ["hundreds of thousands"] = 100000, millions = 1000000, scores = 20}
local VAGUE = {dozens = true, hundreds = true, thousands = true, ["tens of thousands"] = true,
  ["hundreds of thousands"] = true, millions = true, scores = true}
local SCALE = {thousand = 1e3, million = 1e6, billion = 1e9, trillion = 1e12, mln = 1e6, bln = 1e9, bn = 1e9, m = 1e6, k = 1e3}
local SYMBOL = {["$"] = "USD", ["€"] = "EUR", ["£"] = "GBP", ["¥"] = "JPY"}
local CURRENCY_WORDS = {dollars = "USD", dollar = "USD", dlrs = "USD", euros = "EUR", euro = "EUR", pounds = "GBP",
  sterling = "GBP", stg = "GBP", yen = "JPY", yuan = "CNY", renminbi = "CNY", rupees = "INR", rupee = "INR",
  rupiah = "IDR", rupiahs = "IDR", ringgit = "MYR", baht = "THB", won = "KRW", dong = "VND", rand = "ZAR",
  naira = "NGN", shillings = "shillings", reais = "BRL", lira = "TRY", liras = "TRY", lire = "ITL",
  dinars = "dinars", riyals = "riyals", dirhams = "AED", shekels = "ILS", zlotys = "PLN", zloty = "PLN",
  forints = "HUF", hryvnias = "UAH", francs = "CHF", roubles = "RUB", rubles = "RUB", rouble = "RUB",
  ruble = "RUB", kronor = "SEK", crowns = "crowns", kroner = "kroner", krona = "krona", pesos = "pesos",
  cts = "cents", cents = "cents"}
-- ISO 4217 codes written before or after an amount ("USD 5 million", "5bn EUR").
local ISO_CODES = {}
for c in ("USD EUR GBP JPY CNY INR IDR RUB CHF AUD CAD NZD HKD SGD KRW BRL MXN ZAR SEK NOK DKK PLN TRY SAR AED "
    .. "ILS THB MYR PHP NGN KES EGP ARS CLP COP PEN VND PKR BDT UAH CZK HUF RON QAR KWD NGN TWD"):gmatch("%u+") do
  ISO_CODES[c] = true
end
-- Dollar signs with a country before them ("US$", "HK$").
local DOLLAR_PREFIX = {US = "USD", A = "AUD", C = "CAD", NZ = "NZD", HK = "HKD", S = "SGD", R = "BRL", NT = "TWD"}
local PERCENT = {["%"] = true, ["per cent"] = true, percent = true, pct = true, ["percentage points"] = true,
  ["percentage point"] = true}
local CASUALTY = {killed = "killed", killing = "killed", dead = "killed", died = "killed", die = "killed",
  deaths = "killed", drowned = "killed", injured = "injured", injuring = "injured", wounded = "injured",
  wounding = "injured", hurt = "injured", missing = "missing", casualties = "casualties", evacuated = "evacuated",
  displaced = "displaced", arrested = "arrested"}
local NOT_NOUN = {of = true, the = true, a = true, ["and"] = true, ["or"] = true, to = true, ["in"] = true, on = true,
  at = true, by = true, per = true, from = true, with = true, ["for"] = true, percent = true, was = true, were = true,
  is = true, are = true, that = true, who = true, which = true, said = true, had = true, has = true, have = true, would = true, will = true, ["than"] = true}

local FIGURE = [[(?i)(?<![\w.,-])(?:(about|around|roughly|nearly|almost|some|over|more than|at least|up to|approximately|an estimated|estimated|close to|fewer than|less than|under|just over|just under)\s+)?([$€£¥])?\s?(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|tens of thousands|hundreds of thousands|a hundred|a thousand|a dozen|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|dozens|hundreds|thousands|millions|scores)(?:\s?-?\s?(thousand|million|billion|trillion|mln|bln|bn|m|k)\b)?(?:\s?(%|per cent|percent|pct|percentage points?)(?!\w))?(?:-([A-Za-z]\w*))?]]

-- Units written right after the digits ("5km", "10kg", "3.5GHz"): the number is a figure all the same.
local UNITS = {}
for u in ("km kg mm cm m ml l g t mg kW MW GW kWh MWh GWh TWh mph kph kmh ha ft in lb lbs oz bpd mb gb tb GB TB MB "
    .. "Mb Gb GHz MHz kHz Hz V W"):gmatch("%S+") do UNITS[u] = true end

-- A range: "20-30bn", "$4 to 5 million", "4-6 pct", "300-400 troops" (one figure, with its low and high ends).
local RANGE = [[(?i)(?<![\w.,-])([$€£¥])?(\d+(?:\.\d+)?)(?:\s?(thousand|million|billion|trillion|mln|bln|bn|m|k)\b)?]]
  .. [[\s?(?:-|–|to)\s?[$€£¥]?(\d+(?:\.\d+)?)(?:\s?(thousand|million|billion|trillion|mln|bln|bn|m|k)\b)?]]
  .. [[(?:\s?(%|per cent|percent|pct)(?!\w))?(?![\w.-]\d)]]

local MONTHS = {}
for m in ("january february march april may june july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec"):gmatch("%a+") do MONTHS[m] = true end

local byte, sub, find, match, lower = string.byte, string.sub, string.find, string.match, string.lower

-- CURRENCY_WORDS[noun .. "s"] without building the string: the currency words ending in "s", by their stem.
local CURRENCY_STEMS = {}
for w, c in pairs(CURRENCY_WORDS) do
  if sub(w, -1) == "s" then CURRENCY_STEMS[sub(w, 1, -2)] = c end
end

local function is_space(b) return b == 32 or (b >= 9 and b <= 13) end
local function is_alpha(b) return (b >= 97 and b <= 122) or (b >= 65 and b <= 90) end

-- The word right before position p, lower-cased, when only white space follows it: what
-- text:sub(p - 40, p - 1):lower():match("(%a+)%s+$") finds, read backwards byte by byte.
local function word_before(text, p)
  local lo = p - 40
  if lo < 1 then lo = 1 end
  local j = p - 1
  while j >= lo and is_space(byte(text, j)) do j = j - 1 end
  if j == p - 1 then return nil end
  local i = j
  while i >= lo and is_alpha(byte(text, i)) do i = i - 1 end
  if i == j then return nil end
  return lower(sub(text, i + 1, j))
end

-- Whether a plain number (digits, no currency, scale or percent) is something else: a year, a time, a
-- date ("March 5", "5 March", "5/3"), a list number or part of a name ("Rossiya 1"). `after` is the text
-- that follows the number (up to 60 bytes); most tests look at its first byte before matching a pattern.
local function not_a_figure(text, start, num, value, after)
  if #num == 4 and value >= 1900 and value <= 2100 then return true end
  local a1 = byte(after)
  -- letters right after the digits: part of a word or a code ("3D", "4G", "1st", "5am"), unless a unit ("5km")
  if a1 and is_alpha(a1) then
    return not UNITS[match(after, "^%a+")]
  end
  if a1 == 58 then -- ":"
    if find(after, "^:%d") then return true end
  elseif a1 == 45 or a1 == 47 then -- "-", "/"
    if find(after, "^[-/]%d") then return true end
  elseif a1 and (a1 == 97 or a1 == 112 or is_space(a1)) then -- "a", "p" or a space: "5 pm", "5am", "5 March"
    if find(after, "^%s*[ap]%.?m%.?") then return true end
    local ma = match(after, "^%s+(%a+)")
    if ma and MONTHS[lower(ma)] and find(ma, "^%u") then return true end
  end
  -- Both tests on the text before need it to end with a space. They look at most 12 bytes back, read
  -- backwards byte by byte: what the patterns "(%a+)%.?%s$", "%u[%a]+%s$" and "[.!?:]%s+%u[%a]+%s$" find
  -- in text:sub(start - 12, start - 1), without making that string or trying it at every position.
  if start > 1 and is_space(byte(text, start - 1)) then
    local lo = start > 12 and start - 12 or 1
    local e = start - 2 -- the byte before the space
    -- a month right before, maybe abbreviated with a dot: "March 5", "Sept. 5"
    local we = (e >= lo and byte(text, e) == 46) and e - 1 or e
    local i = we
    while i >= lo and is_alpha(byte(text, i)) do i = i - 1 end
    if i < we and MONTHS[lower(sub(text, i + 1, we))] then return true end
    -- "Rossiya 1": a word with a capital before its last letter right before the number, unless that
    -- word is capitalized because it starts a sentence (". Shares 12")
    if #num <= 2 then
      local r = e -- the word before the space is r + 1 .. e
      while r >= lo and is_alpha(byte(text, r)) do r = r - 1 end
      local capital = false
      for p = r + 1, e - 1 do
        local b = byte(text, p)
        if b >= 65 and b <= 90 then capital = true break end
      end
      if capital then
        local first = byte(text, r + 1)
        local sentence_start = false
        if first >= 65 and first <= 90 and r + 1 < e then
          local q = r
          while q >= lo and is_space(byte(text, q)) do q = q - 1 end
          if q < r and q >= lo then
            local c = byte(text, q)
            sentence_start = c == 46 or c == 33 or c == 63 or c == 58 -- . ! ? :
          end
        end
        if not sentence_start then return true end
      end
    end
  end
  return false
end

-- What a figure measures: its kind (money, percent or quantity), its currency, and the noun it counts.
---@param symbol string? a currency symbol before it
---@param percent boolean a percent sign or word after it
---@param noun string? the word after it, lower case
---@param code string? an ISO 4217 code or a country's dollar sign written with it ("USD", "HKD")
---@return string kind
---@return string? currency
---@return string? counts
local function measure(symbol, percent, noun, code)
  local kind, currency, counts = "quantity", nil, nil
  if symbol then kind, currency = "money", SYMBOL[symbol] end
  if code then
    kind, currency = "money", code
    if noun == code:lower() then noun = nil end
  end
  local money = noun and (CURRENCY_WORDS[noun] or CURRENCY_STEMS[noun])
  if money then kind, currency = "money", money end
  if percent then kind = "percent" end
  -- (a verb's past form after a number counts nothing: "2 to 9 aimed at")
  if kind == "quantity" and noun and not NOT_NOUN[noun] and not find(noun, "%l[^e]ed$") then counts = noun end
  return kind, currency, counts
end

-- Casualties: "killed one person", "two people died", "tens of thousands of soldiers ... killed": the verb
-- or noun before or after a quantity that makes it a casualty count ("killed", "injured"...), or nil.
---@param text string the document's text
---@param start integer the figure's first byte
---@param after string the text after it
---@param counts string? the noun it counts
---@return string? tag
local function casualty(text, start, after, counts)
  local verb = word_before(text, start)
  local tag = verb and CASUALTY[verb]
  if not tag then
    local follow = match(after, "^%s+[%a%-]+%s+(%a+)") or match(after, "^%s+(%a+)")
    tag = (follow and CASUALTY[lower(follow)]) or (counts and CASUALTY[counts])
  end
  return tag
end

-- Words between a number and the noun it counts: adjectives of a people or place ("5,000 Indonesian
-- soldiers"), participles and common adjectives ("200 armed police", "30 new jobs").
local MODIFIERS = {new = true, more = true, other = true, additional = true, extra = true, young = true, old = true,
  foreign = true, ["local"] = true, small = true, large = true, big = true, senior = true, former = true, full = true,
  ["full-time"] = true, ["part-time"] = true, civilian = true, military = true, private = true, public = true}

-- The noun a number counts, from the text right after it: the word after "of" ("tens of thousands of
-- soldiers"), or the next word, skipping up to two modifiers (a capitalized adjective, a word ending in -ed
-- or -ing, or one of MODIFIERS) that a lower-case word follows.
---@param after string the text after the number (starting with white space)
---@return string?
local function counted_noun(after)
  local of = match(after, "^%s+of%s+([%a%-]+)")
  if of then return of, nil end
  local first = match(after, "^%s+[%a%-]+")
  if not first then return nil end
  local noun = match(first, "[%a%-]+$")
  local rest = sub(after, #first + 1)
  local modifier = nil
  for _ = 1, 2 do
    local nextword = match(rest, "^[ \t]+([%a%-]+)")
    local skippable = MODIFIERS[lower(noun)] or find(noun, "^%u%l") or find(noun, "%led$") or find(noun, "%ling$")
    if not (skippable and nextword and find(nextword, "^%l") and not NOT_NOUN[nextword] and not CASUALTY[lower(noun)]) then
      break
    end
    modifier = modifier or noun
    noun = nextword
    rest = sub(rest, #match(rest, "^[ \t]+[%a%-]+") + 1)
  end
  return noun, modifier
end

-- Dollars and francs of a country named before them ("Australian dlrs", "French francs").
local COUNTRY_CURRENCY = {
  USD = {australian = "AUD", canadian = "CAD", singapore = "SGD", taiwan = "TWD", zealand = "NZD", kong = "HKD",
    hongkong = "HKD", jamaican = "JMD", namibian = "NAD"},
  CHF = {french = "FRF", belgian = "BEF", luxembourg = "LUF", swiss = "CHF", cfa = "XOF"},
  crowns = {swedish = "SEK", danish = "DKK", norwegian = "NOK", czech = "CZK", icelandic = "ISK", estonian = "EEK"},
  pesos = {mexican = "MXN", argentine = "ARS", chilean = "CLP", colombian = "COP", philippine = "PHP"},
}

-- A currency made precise by the country named before it: USD + "Australian" -> AUD, CHF + "French" -> FRF.
---@param currency string?
---@param modifier string? the first word skipped before the noun
---@return string?
local function country_currency(currency, modifier)
  local by_country = currency and modifier and COUNTRY_CURRENCY[currency]
  return by_country and by_country[lower(modifier)] or currency
end

-- The text after a number up to and including its counted noun ("of soldiers", " Indonesian soldiers"): at most
-- four words, each after white space; nil when the noun is not among them.
---@param after string
---@param noun_text string
---@return string?
local function through_noun(after, noun_text)
  local p = 1
  for _ = 1, 4 do
    local gap, word = match(after, "^(%s+)([%a%-]+)", p)
    if not word then return nil end
    p = p + #gap + #word
    if word == noun_text then return sub(after, 1, p - 1) end
  end
  return nil
end

-- The currency of an amount written with an ISO 4217 code ("USD 5 million", "5bn EUR") or a country's dollar
-- sign ("US$5", "HK$ 20"), or nil.
---@param text string
---@param start integer the figure's first byte
---@param noun_text string? the word after it, as written
---@return string?
local function currency_code(text, start, noun_text)
  if noun_text and ISO_CODES[noun_text] then return noun_text end
  local before = sub(text, start > 8 and start - 8 or 1, start - 1)
  local code = match(before, "(%u%u%u)%s?$")
  if code and ISO_CODES[code] then return code end
  local country = match(before, "(%u+)%$%s?$")
  return country and DOLLAR_PREFIX[country] or nil
end

-- Annotates one match of FIGURE when it is a figure (not a year, a date, a time, a list number, part of a
-- name, or a word number that counts nothing); returns whether it was.
---@param doc Doc
---@param text string the document's text
---@param m Match
---@return boolean
local function annotate_figure(doc, text, m)
  local g = m.groups
  local g1, g2, g4, g5, g6 = g[1], g[2], g[4], g[5], g[6]
  local num = g[3].text
  local b1 = byte(num)
  local digits = b1 >= 48 and b1 <= 57
  local start, stop0 = m.start, m.stop
  local after = sub(text, stop0 + 1, stop0 + 60)
  local value
  if digits then
    value = tonumber(find(num, ",", 1, true) and (num:gsub(",", "")) or num)
  else
    num = lower(num)
    value = WORDS[num]
  end
  local symbol = g2 and g2.text or nil
  local scale = g4 and lower(g4.text) or nil
  local code = currency_code(text, start, match(after, "^%s?(%u%u%u)%f[^%a]"))
  -- not figures: years, days of months, times, list numbers, parts of identifiers
  if not value or (digits and not symbol and not code and not scale and not g5
      and not_a_figure(text, start, num, value, after)) then
    return false
  end
  -- a one-letter scale is written on the number or after a space, never on the next line ("16\n M")
  if (scale == "m" or scale == "k") and find(m.text, "\n", 1, true) then return false end
  if scale then value = value * (SCALE[scale] or 1) end
  local noun_text, glued, modifier
  if g6 then
    noun_text = g6.text -- "140-million-crown"
  elseif is_space(byte(after) or 0) then
    noun_text, modifier = counted_noun(after)
  elseif digits and is_alpha(byte(after) or 0) then
    glued = match(after, "^%a+") -- a unit written on the number: "10kg"
    noun_text = glued
  end
  local noun = noun_text and lower(noun_text)
  local kind, currency, counts = measure(symbol, g5 and true or false, noun, code)
  currency = country_currency(currency, modifier)
  local tag
  if kind == "quantity" then
    tag = casualty(text, start, after, counts)
    if tag then kind = "casualties" end
  end
  -- word numbers are figures only when they count something
  local keep = digits or kind ~= "quantity" or (counts and (VAGUE[num] or value > 1))
  if not digits and not counts and kind ~= "casualties" then keep = false end
  if not keep then return false end
  -- (the pattern lets a space follow a missing currency sign: "HK$ 20" matches from the space)
  if byte(text, start) == 32 then start = start + 1 end
  if code and not symbol then
    -- the code or the country's dollar sign before the amount is part of it: "USD 5 million", "HK$ 20"
    local lead = match(sub(text, start > 9 and start - 8 or 1, start - 1), "(%u+%$?%s?)$")
    if lead and (ISO_CODES[match(lead, "%u+")] or find(lead, "%$")) then start = start - #lead end
  end
  local target = (start == m.start) and m or doc:span(start, stop0)
  if glued then
    target = doc:span(start, stop0 + #glued)
  elseif not g6 and noun_text and ((kind == "money" and not symbol) or counts or kind == "casualties") then
    local extra = through_noun(after, noun_text)
    if extra and noun and not NOT_NOUN[noun] then target = doc:span(start, stop0 + #extra) end
  end
  local approx = g1 and lower(g1.text) or nil
  doc:annotate("FIGURE", target, {
    kind = kind, value = value, currency = currency, counts = counts, casualty = kind == "casualties" and tag or nil,
    approximate = approx ~= nil or VAGUE[num] or nil, vague = VAGUE[num] or nil, qualifier = approx,
  })
  return true
end

-- Annotates one match of RANGE when it is a range of money, percentages or counted things (not a score
-- "2-1", years "1987-88", days "10-12 March"); returns its span when it was.
---@param doc Doc
---@param text string
---@param m Match
---@return integer? start
---@return integer? stop
local function annotate_range(doc, text, m)
  local g = m.groups
  local low, high = tonumber(g[2].text), tonumber(g[4].text)
  local scale = g[5] and lower(g[5].text) or g[3] and lower(g[3].text) or nil
  local symbol = g[1] and g[1].text or nil
  local percent = g[6] ~= false
  if not low or not high or low >= high then return nil end
  local after = sub(text, m.stop + 1, m.stop + 60)
  local noun_text, modifier
  if not percent and is_space(byte(after) or 0) then noun_text, modifier = counted_noun(after) end
  local noun = noun_text and lower(noun_text)
  if noun and MONTHS[noun] then return nil end
  local code = currency_code(text, m.start, match(after, "^%s?(%u%u%u)%f[^%a]"))
  local kind, currency, counts = measure(symbol, percent, noun, code)
  currency = country_currency(currency, modifier)
  if not (symbol or scale or percent or code or currency or counts) then return nil end
  if not scale and #g[2].text == 4 and low >= 1900 and low <= 2100 then return nil end
  local factor = scale and SCALE[scale] or 1
  local stop = m.stop
  if noun_text and (currency or counts) and not code then
    local extra = through_noun(after, noun_text)
    if extra then stop = stop + #extra end
  end
  doc:annotate("FIGURE", doc:span(m.start, stop), {kind = kind, value = low * factor, low = low * factor,
    high = high * factor, currency = currency, counts = counts, range = true})
  return m.start, stop
end

---@param doc Doc
---@param ctx Context
local function process(doc, ctx)
  local text = doc.text
  local found = 0
  -- ranges first: their numbers are not figures of their own
  local ranges = {}
  if find(text, "%d%s?[-–t]") then
    for m in doc:find(RANGE, "a") do
      local a, b = annotate_range(doc, text, m)
      if a then ranges[#ranges + 1] = {a, b}; found = found + 1 end
    end
  end
  local r = 1
  -- flag `a`: \w and \d are ASCII-only, which matches faster (the pattern is about digits and English words)
  for m in doc:find(FIGURE, "a") do
    while ranges[r] and ranges[r][2] < m.start do r = r + 1 end
    local inside = ranges[r] and ranges[r][1] <= m.stop
    if not inside and annotate_figure(doc, text, m) then found = found + 1 end
  end
  doc:set("figures", found)
end

---@type Plugin
return {
  name = "figures",
  version = "1.1.0",
  kind = "extract",
  description = "Numbers with what they count: money (symbols, ISO codes, currency words, million/bn/mln), "
    .. "percentages, quantities, casualties, ranges (low/high); approximate and vague quantities marked. Sample: FIGURE \"about 1.8 million crowns\" "
    .. "{kind = \"money\", value = 1800000, currency = \"crowns\", approximate = true}.",
  categories = {"default", "extract"},
  author = "Quarry",
  license = "MIT",
  process = process,
}
