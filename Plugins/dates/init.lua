-- dates: absolute dates ("5 March 2024", "March 5", "2024-03-05", "in 2022"), weekdays ("on Monday"),
-- and relative expressions ("last week", "a year before", "in the coming months"), normalized to ISO
-- dates or ranges against doc.meta.date when the document has one; otherwise left relative and marked.
--
-- Sample output (annotations in results.jsonl, Samples/herald/strike-ends.txt, dated 2024-03-18):
--   DATE "March 18"     {value = "2024-03-18", relative = false, resolved = true}
--   DATE "on Tuesday"   {value = "2024-03-19", relative = true, resolved = true}
--   DATE "two years"    is not a date; "in 2022" gives {value = "2022", kind = "year"}
-- and a document feature `dates` = the sorted list of resolved values.

local MONTHS = {january = 1, february = 2, march = 3, april = 4, may = 5, june = 6, july = 7, august = 8,
  september = 9, october = 10, november = 11, december = 12, jan = 1, feb = 2, mar = 3, apr = 4, jun = 6,
  jul = 7, aug = 8, sep = 9, sept = 9, oct = 10, nov = 11, dec = 12}
local WEEKDAYS = {sunday = 1, monday = 2, tuesday = 3, wednesday = 4, thursday = 5, friday = 6, saturday = 7}
local M = [[(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)]]
local NUMBERS = {a = 1, an = 1, one = 1, two = 2, three = 3, four = 4, five = 5, six = 6, seven = 7, eight = 8,
  nine = 9, ten = 10, twelve = 12, several = 3, few = 3}

-- Each pattern is scanned over the whole text in turn (earlier kinds win overlaps). A pattern with a
-- `need` list is scanned only when the text holds one of those strings (a plain search, much cheaper than a
-- scan), as every match of the pattern contains one of them; with `need_re`, only when that cheaper
-- expression (which starts at the "-" rather than at every digit) finds something every match contains.
-- `(?<!\w)` is `\b` before a word character, and faster. The patterns run with flag `a` (ASCII classes: \w, \d,
-- \s and \b test ASCII only), which matches them about a third faster; they look for English words and digits.
-- Between the parts of one date: spaces, or one line break inside a paragraph (hard-wrapped text); never a
-- blank line, so a date never runs from one block into the next ("26 February" + "1400 GMT").
local SEP = [[(?:[ \t]+|[ \t]*\n[ \t]*)]]
local CSEP = [[(?:,?[ \t]+|,?[ \t]*\n[ \t]*)]]
-- A four-digit number that is a time, not a year: "1400 GMT", "at 1500 hrs", "1930 local time".
local NOT_TIME = [[(?![ \t]*(?:GMT|BST|CET|CEST|EST|EDT|CST|CDT|PST|PDT|UTC|ET|hrs|hours|h\b|local\b))]]
local YEAR = [[((?:1[5-9]|20)\d{2})\b]] .. NOT_TIME
local ORDINAL = [[(first|second|third|fourth|1st|2nd|3rd|4th|final|last)]]

local PATTERNS = {
  {kind = "iso", re = [[(?<!\w)(\d{4})-(\d{2})-(\d{2})\b]], need_re = [[(?<=\d{4})-\d{2}-\d{2}]]},
  -- "3-5 March 2024", "March 3-5": a range of days (before the single days, which would take its parts)
  {kind = "dmy_range", re = [[(?<!\w)(\d{1,2})(?:st|nd|rd|th)?[ \t]*(?:-|–|to)[ \t]*(\d{1,2})(?:st|nd|rd|th)?]] .. SEP
    .. [[(]] .. M .. [[)(?:]] .. CSEP .. YEAR .. [[)?]], need = {"-", "–", " to "}},
  {kind = "mdy_range", re = [[(?<!\w)(]] .. M .. [[)]] .. SEP .. [[(\d{1,2})(?:st|nd|rd|th)?[ \t]*(?:-|–|to)[ \t]*(\d{1,2})\b(?:st|nd|rd|th)?(?:]]
    .. CSEP .. YEAR .. [[)?]], need = {"-", "–", " to "}},
  {kind = "dmy", re = [[(?<!\w)(\d{1,2})(?:st|nd|rd|th)?]] .. SEP .. [[(]] .. M .. [[)(?:]] .. CSEP .. YEAR .. [[)?\b]]},
  {kind = "mdy", re = [[(?<!\w)(]] .. M .. [[)]] .. SEP .. [[(\d{1,2})(?:st|nd|rd|th)?\b(?:]] .. CSEP .. YEAR .. [[)?]]},
  {kind = "month_year", re = [[(?<!\w)(]] .. M .. [[)]] .. SEP .. YEAR, need = {"1", "20"}},
  -- "the first quarter of 2005", "Q3 2024", "the second half of 1987": ranges of months
  {kind = "quarter", re = [[(?i)(?<!\w)(?:the]] .. SEP .. [[)?]] .. ORDINAL .. SEP .. [[(quarter|half)(?:(?:]] .. SEP
    .. [[of)?]] .. SEP .. YEAR .. [[|(?:]] .. SEP .. [[of]] .. SEP .. [[(?:the|this)]] .. SEP .. [[year)?(?![ \t]*-?[ \t]*(?:profit|loss|earnings|results|net|revenue|sales|figures|growth|output|dividend)))]],
    need_re = [[(?i)(?:quarter|half)]]},
  {kind = "q_code", re = [[(?<!\w)(?:Q([1-4])|([1-4])Q|H([12]))]] .. SEP .. [[(?:of]] .. SEP .. [[)?]] .. YEAR,
    need_re = [[(?<!\w)(?:Q[1-4]|[1-4]Q|H[12])\b]]},
  -- "last July", "next March": a month relative to the document's date
  {kind = "month_rel", re = [[(?<!\w)((?i:last|next|this))]] .. SEP .. [[(January|February|March|April|May|June|July|August|September|October|November|December)\b(?![ \t]+\d)]]},
  {kind = "month", re = [[(?<!\w)(?:(?i:in|since|until|till|by|from|of|for|through|early|late|mid|end|start|the|both)]]
    .. SEP .. [[|(?i:mid|end|early|late)-)((?i:January|February|March|April|May|June|July|August|September|October|November|December)|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b(?![ \t]+\d)(?:]] .. SEP .. [[(?:of]] .. SEP
    .. [[)?(this|last|next)]] .. SEP .. [[year\b)?]]},
  {kind = "weekday", re = [[(?<!\w)(?:(last|next|this|on|since|until|by)\s+)?(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b]],
    need = {"day"}},
  {kind = "relative", re = [[(?i)(?<!\w)(?:today|tonight|yesterday|tomorrow|last night|this (?:morning|afternoon|evening)|(?:last|next|this|the past|the previous|the coming|the following)\s+(?:week|month|year|weekend|decade|few (?:days|weeks|months|years))|(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve|several|few|\d+)\s+(?:day|week|month|year|decade)s?\s+(?:ago|before|earlier|later|after)|in the coming (?:days|weeks|months|years)|(?:earlier|later) this (?:week|month|year)|the day before|the next day)\b]]},
  -- "between 1983 and 1987", "from 1982 to 1985": a range of years
  {kind = "year_range", re = [[(?<!\w)(?i:between|from)]] .. SEP .. YEAR .. SEP .. [[(?:and|to|through)]] .. SEP .. YEAR,
    need = {"19", "20"}},
  {kind = "year", re = [[(?<!\w)(?i:in|since|by|until|till|from|of|before|after|during|for|into|through|throughout)]]
    .. SEP .. [[((?:19|20)\d{2})\b(?![-/]\d)]] .. NOT_TIME, need = {"19", "20"}},
}

-- Whether a pattern can match the text at all (see `need` above).
local function worth_scanning(p, doc, text)
  if p.need then
    for _, s in ipairs(p.need) do
      if string.find(text, s, 1, true) then return true end
    end
    return false
  end
  if p.need_re then return doc:find(p.need_re, "a")() ~= nil end
  return true
end

-- os.time and os.date are slow next to a table lookup, and news dates repeat: their results are memoized
-- (per worker, forgotten when the tables grow large).
local ISO, RANGE, BASE = {}, {}, {}
local memo_size = 0
local function remember(n)
  memo_size = memo_size + n
  if memo_size > 100000 then ISO, RANGE, BASE, memo_size = {}, {}, {}, 0 end
end

local function iso(t)
  local v = ISO[t]
  if not v then v = os.date("%Y-%m-%d", t); remember(1); ISO[t] = v end
  return v
end
local function at(y, m, d) return os.time{year = y, month = m, day = d, hour = 12} end
local function add_days(t, n) return t + n * 86400 end
local function month_range(y, m)
  local key = y * 100 + m
  local v = RANGE[key]
  if not v then
    local last = os.date("*t", at(y, m + 1, 1) - 86400).day
    v = ("%04d-%02d-01/%04d-%02d-%02d"):format(y, m, y, m, last)
    remember(1)
    RANGE[key] = v
  end
  return v
end

-- The document's date at noon and its calendar fields (os.date's table, shared: read only), from the
-- first ten characters of doc.meta.date.
local function base_of(d)
  local key = d:sub(1, 10)
  local b = BASE[key]
  if b == nil then
    b = false
    local y, m, dd = d:match("^(%d%d%d%d)-(%d%d)-(%d%d)")
    if y then
      local base = at(tonumber(y), tonumber(m), tonumber(dd))
      b = {base, os.date("*t", base)}
    end
    remember(1)
    BASE[key] = b
  end
  if b then return b[1], b[2] end
  return nil, nil
end

-- A date without a year: the document's year, or the one before when that would be more than a month
-- ahead; in a sentence about the future, the year after when the month is already past.
---@param ref table? the document's date (os.date's table), or nil
---@param month integer
---@param future boolean? whether the sentence speaks of the future
---@return integer? year
local function year_for(ref, month, future)
  if not ref then return nil end
  if future then
    -- "will meet on January 5" in a December story: next January
    if month < ref.month - 1 then return ref.year + 1 end
    return ref.year
  end
  if month > ref.month + 1 then return ref.year - 1 end
  return ref.year
end

-- The tense of what a date without a year is said in, from the words before it in its sentence (up to 120
-- bytes), nearest first: a modal ("will meet on June 2", "is scheduled for") makes it the future; a past
-- form ("agreed in December") the past, unless it follows a form of "be" ("will not be notified until after
-- October 1"). Nothing found: the past, as news mostly looks back.
local FUTURE = {will = true, would = true, shall = true, ["'ll"] = true, scheduled = true, planned = true,
  upcoming = true, forthcoming = true}
local BE = {be = true, been = true, being = true, is = true, are = true, was = true, were = true}

---@param m Match
---@return boolean
local function in_future(m)
  local s = m:sentence()
  if not s then return false end
  local from = math.max(s.start, m.start - 120)
  local words = {}
  for w in m.doc.text:sub(from, m.start - 1):lower():gmatch("[%a']+") do words[#words + 1] = w end
  for i = #words, 1, -1 do
    local w = words[i]
    if FUTURE[w] or w:find("'ll$") then return true end
    if #w > 3 and w:find("ed$") and not (BE[words[i - 1] or ""] or BE[words[i - 2] or ""]) then return false end
  end
  return false
end

-- "on Tuesday", "last Friday", "next Monday": the day, against the document's date.
---@param g (Span|false)[] the match's groups: the modifier, the weekday
---@param base integer? the document's date (os.time at noon)
---@param ref table? the same as os.date's table
---@return string? value
local function weekday_value(g, base, ref)
  local mod = g[1] and g[1].text:lower() or ""
  local wd = WEEKDAYS[g[2].text:lower()]
  local value
  if ref then
    local delta = (wd - ref.wday) % 7
    if mod == "next" then value = iso(add_days(base, delta == 0 and 7 or delta))
    elseif mod == "this" and delta > 0 and delta < 4 then value = iso(add_days(base, delta))
    else
      -- news convention: a bare weekday is the most recent one (today counts), "last" skips today
      local back = (ref.wday - wd) % 7
      if mod == "last" and back == 0 then back = 7 end
      if back > 5 and mod ~= "last" then back = back - 7 end -- "on Tuesday" in a Monday story: tomorrow
      value = iso(add_days(base, -back))
    end
  end
  return value
end

-- "yesterday", "last week", "two years ago", "in the coming months": the date or range, against the
-- document's date; nil when it has none or the expression is relative to another event ("a year before").
---@param t string the expression, lower case
---@param base integer? the document's date (os.time at noon)
---@param ref table? the same as os.date's table
---@return string? value
local function relative_value(t, base, ref)
  local value
  if ref then
    local y, mo = ref.year, ref.month
    local wstart = add_days(base, -((ref.wday + 5) % 7)) -- Monday of this week
    if t == "today" or t == "tonight" or t == "this morning" or t == "this afternoon" or t == "this evening" then
      value = iso(base)
    elseif t == "last night" then value = iso(add_days(base, -1))
    elseif t == "yesterday" or t == "the day before" then value = iso(add_days(base, -1))
    elseif t == "tomorrow" or t == "the next day" then value = iso(add_days(base, 1))
    elseif t:find("^last week") or t:find("^the past week") or t:find("^the previous week") then value = iso(add_days(wstart, -7)) .. "/" .. iso(add_days(wstart, -1))
    elseif t:find("^this week") or t:find("this week$") then value = iso(wstart) .. "/" .. iso(add_days(wstart, 6))
    elseif t:find("^next week") or t:find("^the coming week") or t:find("^the following week") then value = iso(add_days(wstart, 7)) .. "/" .. iso(add_days(wstart, 13))
    elseif t:find("^last month") or t:find("^the previous month") then value = month_range(mo == 1 and y - 1 or y, mo == 1 and 12 or mo - 1)
    elseif t:find("this month$") or t:find("^this month") then value = month_range(y, mo)
    elseif t:find("^next month") then value = month_range(mo == 12 and y + 1 or y, mo == 12 and 1 or mo + 1)
    elseif t:find("^last year") or t:find("^the previous year") then value = tostring(y - 1)
    elseif t:find("this year$") or t:find("^this year") then value = tostring(y)
    elseif t:find("^next year") then value = tostring(y + 1)
    elseif t:find("^in the coming") or t:find("^the coming") then
      local unit = t:match("(%a+)s?$")
      local span = ({days = 7, weeks = 42, months = 183, years = 1095})[unit] or 183
      value = iso(base) .. "/" .. iso(add_days(base, span))
    else
      local n, unit, dir = t:match("^(%S+)%s+(%a-)s?%s+(%a+)$")
      local count = tonumber(n) or NUMBERS[n or ""]
      local days = ({day = 1, week = 7, month = 30.44, year = 365.25, decade = 3652.5})[unit or ""]
      if count and days then
        local sign = (dir == "ago" or dir == "before" or dir == "earlier") and -1 or 1
        if dir == "before" or dir == "after" then
          value = nil -- relative to another event, not to the document's date
        else
          local target = add_days(base, math.floor(sign * count * days + 0.5))
          value = unit == "year" and os.date("%Y", target) or (unit == "month" and os.date("%Y-%m", target) or iso(target))
        end
      end
    end
  end
  return value
end

-- What a match of one of the PATTERNS stands for: whether it is a date at all, its value (nil when it cannot
-- be placed on a calendar), its kind and whether it is relative to the document's date.
---@param kind string the pattern's kind
---@param m Match
---@param base integer? the document's date (os.time at noon)
---@param ref table? the same as os.date's table
---@return boolean is_date
---@return string? value
---@return string kind
---@return boolean relative
local function date_of(kind, m, base, ref)
  local g = m.groups
  if kind == "iso" then
    return true, m.text, "date", false
  elseif kind == "dmy" or kind == "mdy" then
    local day = tonumber((kind == "dmy" and g[1] or g[2]).text)
    local mon = MONTHS[(kind == "dmy" and g[2] or g[1]).text:lower():gsub("%.", "")]
    local yr = g[3] and tonumber(g[3].text) or ref and year_for(ref, mon, in_future(m))
    if day >= 1 and day <= 31 and mon then
      return true, yr and ("%04d-%02d-%02d"):format(yr, mon, day) or nil, "date", g[3] == false
    end
    return false, nil, "date", false
  elseif kind == "dmy_range" or kind == "mdy_range" then
    local a, b = tonumber((kind == "dmy_range" and g[1] or g[2]).text), tonumber((kind == "dmy_range" and g[2] or g[3]).text)
    local mon = MONTHS[(kind == "dmy_range" and g[3] or g[1]).text:lower():gsub("%.", "")]
    local y = kind == "dmy_range" and g[4] or g[4]
    if not mon or a < 1 or b > 31 or a >= b then return false, nil, "range", false end
    local yr = y and tonumber(y.text) or ref and year_for(ref, mon, in_future(m))
    local value = yr and ("%04d-%02d-%02d/%04d-%02d-%02d"):format(yr, mon, a, yr, mon, b) or nil
    return true, value, "range", y == false
  elseif kind == "quarter" or kind == "q_code" then
    local n, half
    if kind == "quarter" then
      local ord = g[1].text:lower()
      n = ({first = 1, ["1st"] = 1, second = 2, ["2nd"] = 2, third = 3, ["3rd"] = 3, fourth = 4, ["4th"] = 4,
        final = 4, last = 4})[ord]
      half = g[2].text:lower() == "half"
      if half then n = ({first = 1, ["1st"] = 1, second = 2, ["2nd"] = 2, final = 2, last = 2})[ord] end
    else
      n = tonumber(g[1] and g[1].text or g[2] and g[2].text or g[3].text)
      half = g[3] ~= false
    end
    local year_group = kind == "quarter" and g[3] or g[4]
    local yr = year_group and tonumber(year_group.text) or (ref and ref.year)
    if not n or (half and n > 2) then return false, nil, "range", false end
    local months = half and 6 or 3
    local first = (n - 1) * months + 1
    local last = first + months - 1
    local value = yr and (month_range(yr, first):sub(1, 10) .. "/" .. month_range(yr, last):sub(12)) or nil
    return true, value, half and "half" or "quarter", not year_group
  elseif kind == "year_range" then
    local a, b = tonumber(g[1].text), tonumber(g[2].text)
    if a >= b then return false, nil, "range", false end
    return true, ("%d/%d"):format(a, b), "years", false
  elseif kind == "month_rel" then
    local mod, mon = g[1].text:lower(), MONTHS[g[2].text:lower()]
    if not ref then return true, nil, "month", true end
    local yr = ref.year
    if mod == "last" then yr = mon >= ref.month and ref.year - 1 or ref.year
    elseif mod == "next" then yr = mon <= ref.month and ref.year + 1 or ref.year end
    return true, month_range(yr, mon), "month", true
  elseif kind == "month_year" then
    local mon = MONTHS[g[1].text:lower():gsub("%.", "")]
    return true, month_range(tonumber(g[2].text), mon), "month", false
  elseif kind == "month" then
    local mon = MONTHS[g[1].text:lower()]
    -- "May last year", "November of this year"; "scheduled for May", "until end-Aug" look ahead ("to end-April"
    -- does not: "in the year to end-April" looks back)
    local which = g[2] and g[2].text:lower() or m.doc.text:match("^%s+of%s+(%a+)%s+year", m.stop + 1)
    local shift = ({this = 0, last = -1, next = 1})[which and which:lower() or ""]
    local before = m.doc.text:sub(math.max(1, m.start - 8), m.start - 1):lower()
    local ahead = m.text:find("^[Ff]or") ~= nil or before:find("until%s$") ~= nil or before:find("till%s$") ~= nil
    local yr = ref and (shift and ref.year + shift or year_for(ref, mon, ahead or in_future(m)))
    return true, yr and month_range(yr, mon) or nil, "month", true
  elseif kind == "year" then
    return true, g[1].text, "year", false
  elseif kind == "weekday" then
    return true, weekday_value(g, base, ref), "weekday", true
  else -- relative
    return true, relative_value((m.text:lower():gsub("%s+", " ")), base, ref), "relative", true
  end
end

-- Keeps a date unless it overlaps one kept before (earlier patterns win), or it is a capitalized word right
-- after a capitalized name, and so part of it ("Kaldmark Today", "Good Friday").
---@param found table[] the dates kept so far
---@param text string the document's text
---@param m Match
---@param value string?
---@param kind string
---@param relative boolean
local function keep(found, text, m, value, kind, relative)
  local start, stop = m.start, m.stop
  for _, f in ipairs(found) do
    if start <= f.stop and stop >= f.start then return end
  end
  if kind == "relative" and m.text:find("^%u") and text:sub(math.max(1, start - 30), start - 1):find("%u[%l%p]*%s$") then
    local before = text:sub(math.max(1, start - 30), start - 1)
    if not before:find("[.!?:]%s*$") then return end
  end
  found[#found + 1] = {span = m, start = start, stop = stop, value = value, kind = kind, relative = relative,
    resolved = value ~= nil}
end

-- The DATE annotations, in text order, and the document feature `dates` (the sorted values).
---@param doc Doc
---@param found table[]
---@param d string? the document's date
local function annotate_dates(doc, found, d)
  table.sort(found, function(a, b) return a.start < b.start end)
  local values = {}
  for _, f in ipairs(found) do
    doc:annotate("DATE", f.span, {value = f.value, kind = f.kind, relative = f.relative, resolved = f.resolved,
      anchor = f.relative and (d and d:sub(1, 10)) or nil})
    if f.value then values[#values + 1] = f.value end
  end
  table.sort(values)
  doc:set("dates", values)
end

-- The reference date of documents that have none (option `reference`), checked once per worker.
local REFERENCE = nil

---@param ctx Context
local function setup(ctx)
  local r = ctx.options.reference
  REFERENCE = nil
  if r ~= "" then
    local y, m, d = r:match("^(%d%d%d%d)-(%d%d)-(%d%d)$")
    local t = y and os.time{year = tonumber(y), month = tonumber(m), day = tonumber(d), hour = 12}
    if not t or os.date("%Y-%m-%d", t) ~= r then
      error(("dates: option reference: '%s' is not a date such as 2024-03-18"):format(r), 0)
    end
    REFERENCE = r
  end
end

-- The date relative expressions are placed against: the document's own (doc.meta.date, which
-- `quarry run --metadata` can supply), else the option `reference`.
---@param doc Doc
---@return string?
local function reference_date(doc)
  local d = doc.meta.date
  if type(d) == "string" and d:find("^%d%d%d%d%-%d%d%-%d%d") then return d end
  return REFERENCE
end

---@param doc Doc
---@param ctx Context
local function process(doc, ctx)
  local text = doc.text
  local base, ref
  local d = reference_date(doc)
  if d then base, ref = base_of(d) end
  local found = {}
  for _, p in ipairs(PATTERNS) do
    if worth_scanning(p, doc, text) then
      for m in doc:find(p.re, "a") do
        local is_date, value, kind, relative = date_of(p.kind, m, base, ref)
        if is_date then keep(found, text, m, value, kind, relative) end
      end
    end
  end
  annotate_dates(doc, found, d)
end

---@type Plugin
return {
  name = "dates",
  version = "1.1.0",
  kind = "extract",
  description = "Dates and time expressions normalized to ISO dates or ranges (against doc.meta.date for weekdays "
    .. "and relative expressions; left relative and unresolved without one). Sample: DATE \"last week\" "
    .. "{value = \"2024-04-29/2024-05-05\", relative = true, resolved = true}.",
  categories = {"default", "extract"},
  author = "Quarry",
  license = "MIT",
  options = {
    reference = {type = "string", default = "",
      doc = "The date (YYYY-MM-DD) to resolve relative dates against in documents without doc.meta.date."},
  },
  setup = setup,
  process = process,
}
