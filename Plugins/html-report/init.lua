-- html-report: the run as a small website in report/ — a dashboard (documents by source, format and date,
-- top entities, dated events, tone and scores, keywords, quotations by speaker, the entity network), a page
-- per document with its annotation layers coloured and toggled, a page per entity and per speaker seen in
-- two documents or more (or linked from the dashboard), and a search over a small index. Self-contained:
-- opens from the file system, no network. finish reads the records twice, as a stream: once for the
-- dashboard and the entity pages, once more for each document's text; its memory does not grow with the text.
--
-- Templates are in templates/ (Mustache), colours in palette.lua, style and scripts in assets/.
-- Sample output (report/index.html, on Samples/): "Documents in the report 24", "Top entities: PERSON (12)".
local palette = require("palette")
local network = require("network")

local esc = quarry.html.escape
local render = quarry.template.render

-- MARK: process — one record a document

--- Features as one line for a tooltip: "canonical: Ruth Amsel · mentions: 3".
local function feature_line(features)
  local keys = {}
  for k in pairs(features) do keys[#keys + 1] = k end
  table.sort(keys)
  local parts = {}
  for _, k in ipairs(keys) do
    local v = features[k]
    if type(v) == "table" then v = quarry.json.encode(v) end
    v = tostring(v)
    if #v > 160 then v = v:sub(1, 157) .. "..." end
    parts[#parts + 1] = k .. ": " .. v
  end
  return table.concat(parts, " · ")
end

local function wanted_types(ctx)
  local set = nil
  if #ctx.options.types > 0 then
    set = {}
    for _, t in ipairs(ctx.options.types) do set[t] = true end
  end
  return set
end

---@param doc Doc
---@param ctx Context
local function process(doc, ctx)
  local only = wanted_types(ctx)
  local record = {id = doc.id, title = doc.meta.title or doc.id, format = doc.format, date = doc.meta.date,
    source = doc.id:match("^([^/]+)/") or ".", words = 0, tone = doc:get("tone"),
    annotations = {}, entities = {}, kwic = {}, quotes = {}, dates = {}, keywords = {}, blocks = {}}
  for _ in doc.tokens:each{kind = "word"} do record.words = record.words + 1 end
  record.keywords = doc:frequencies{min_length = 4, letters = true, top = 8}
  local seen, kwic_count = {}, {}
  for _, a in ipairs(doc:annotations()) do
    if not only or only[a.type] then
      local f = a.features or {}
      local item = {a.start, a.stop, a.type, a.layer, feature_line(f)}
      if a.type == "QUOTE" and f.speaker then
        item[6] = f.speaker
        record.quotes[#record.quotes + 1] = {speaker = f.speaker, text = f.text or a.text, verb = f.verb or "quoted"}
      end
      record.annotations[#record.annotations + 1] = item
      if a.layer == "entities" and f.canonical then
        local key = a.type .. "\t" .. f.canonical
        if not seen[key] then
          seen[key] = {a.type, f.canonical, 0}
          record.entities[#record.entities + 1] = seen[key]
        end
        seen[key][3] = seen[key][3] + 1
        if (kwic_count[key] or 0) < 3 then
          kwic_count[key] = (kwic_count[key] or 0) + 1
          local c = a:context(6)
          record.kwic[#record.kwic + 1] = {a.type, f.canonical, c.left, c.match, c.right}
        end
      elseif a.type == "DATE" and type(f.value) == "string" and f.value:match("^%d%d%d%d%-%d%d%-%d%d$") then
        record.dates[#record.dates + 1] = f.value
      end
    end
  end
  -- The text by blocks (leaves only: a list's items, not the list), each with where it came from.
  local last = 0
  for _, b in ipairs(doc.blocks) do
    if b.start > last then
      record.blocks[#record.blocks + 1] = {b.start, b.stop, b.kind, b:source()}
      last = b.stop
    elseif #record.blocks > 0 and b.stop <= last then
      -- a block inside the one before: keep the inner ones instead of the container
      local outer = record.blocks[#record.blocks]
      if outer[1] <= b.start and outer[2] >= b.stop and outer[3] ~= "paragraph" then
        record.blocks[#record.blocks] = {b.start, b.stop, b.kind, b:source()}
        last = b.stop
      end
    end
  end
  record.text = doc.text
  -- the lists a page needs as JSON text: one string a document keeps finish's memory small on a large run
  record.type_counts = {}
  for _, a in ipairs(record.annotations) do record.type_counts[a[3]] = (record.type_counts[a[3]] or 0) + 1 end
  record.annotation_count = #record.annotations
  record.annotations = quarry.json.encode(record.annotations)
  record.blocks = quarry.json.encode(record.blocks)
  ctx:emit(record)
end

-- MARK: finish — small named stages

--- A stable 32-bit hash (FNV-1a) as 8 hex digits.
local function hash(s)
  local h = 2166136261
  for i = 1, #s do h = ((h ~ s:byte(i)) * 16777619) & 0xffffffff end
  return ("%08x"):format(h)
end

--- A file name for a name: ASCII letters and digits, then a hash so different names never meet.
local function slug(kind, name)
  local base = name:lower():gsub("[^%w]+", "-"):gsub("^%-+", ""):gsub("%-+$", ""):sub(1, 40)
  return (base ~= "" and base .. "-" or "") .. hash(kind .. "\t" .. name)
end

--- A CSS class for a type (letters, digits, _ and -; others become _ and the hash keeps them apart).
local function type_class(t)
  local c = t:gsub("[^%w_-]", "_")
  if c ~= t then c = c .. "-" .. hash(t):sub(1, 4) end
  return c
end

local function type_colour(t)
  return palette.types[t] or palette.spare[tonumber(hash(t):sub(1, 6), 16) % #palette.spare + 1]
end

--- What a document's pages and charts need, without its text (the text is read again when its page is
--- written, so finish's memory does not grow with the corpus).
local function summary(r, i, ctx)
  local d = {n = i, id = r.id, title = r.title, format = r.format, date = r.date, source = r.source, tone = r.tone,
    words = r.words, entities = r.entities or {}, kwic = r.kwic or {}, quotes = r.quotes or {}, dates = r.dates or {},
    keywords = r.keywords or {}, type_counts = r.type_counts, annotation_count = r.annotation_count}
  d.page = i <= ctx.options.max_documents and ("d%05d.html"):format(i) or nil
  if not d.type_counts then -- records made by hand (specs) may leave the counts out
    d.type_counts, d.annotation_count = {}, 0
    local list = type(r.annotations) == "string" and quarry.json.decode(r.annotations) or r.annotations or {}
    for _, a in ipairs(list) do
      d.type_counts[a[3]] = (d.type_counts[a[3]] or 0) + 1
      d.annotation_count = d.annotation_count + 1
    end
  end
  return d
end

--- Everything the pages need, gathered in one pass over the records.
local function collect(records, ctx)
  local model = {docs = {}, entities = {}, entity_list = {}, speakers = {}, speaker_list = {}, types = {},
    type_list = {}, annotations = 0}
  local i = 0
  for record in records do -- one chunk in memory at a time
    i = i + 1
    local r = summary(record, i, ctx)
    model.docs[i] = r
    model.annotations = model.annotations + r.annotation_count
    for name, n in pairs(r.type_counts) do
      local t = model.types[name]
      if not t then
        t = {type = name, class = type_class(name), attr = esc(name), colour = type_colour(name), count = 0}
        model.types[name] = t
        model.type_list[#model.type_list + 1] = t
      end
      t.count = t.count + n
    end
    for _, e in ipairs(r.entities) do
      local key = e[1] .. "\t" .. e[2]
      local entity = model.entities[key]
      if not entity then
        entity = {type = e[1], name = e[2], mentions = 0, docs = {}, kwic = {}, file = "e-" .. slug(e[1], e[2]) .. ".html"}
        model.entities[key] = entity
        model.entity_list[#model.entity_list + 1] = entity
      end
      entity.mentions = entity.mentions + e[3]
      entity.docs[#entity.docs + 1] = r
      e[4] = entity -- the document's entry points at the run's entity from here on
    end
    for _, k in ipairs(r.kwic) do
      local entity = model.entities[k[1] .. "\t" .. k[2]]
      if entity and #entity.kwic < 60 then entity.kwic[#entity.kwic + 1] = {k[3], k[4], k[5], r} end
    end
    r.kwic = nil
    for _, q in ipairs(r.quotes) do
      local s = model.speakers[q.speaker]
      if not s then
        s = {name = q.speaker, quotes = {}, docs = 0, file = "s-" .. slug("speaker", q.speaker) .. ".html"}
        model.speakers[q.speaker] = s
        model.speaker_list[#model.speaker_list + 1] = s
      end
      if s.quotes[#s.quotes] == nil or s.quotes[#s.quotes].doc ~= r then s.docs = s.docs + 1 end
      s.quotes[#s.quotes + 1] = {text = q.text, verb = q.verb, doc = r}
    end
  end
  table.sort(model.type_list, function(a, b) return a.count > b.count or (a.count == b.count and a.type < b.type) end)
  table.sort(model.entity_list, function(a, b)
    if a.mentions ~= b.mentions then return a.mentions > b.mentions end
    if a.type ~= b.type then return a.type < b.type end
    return a.name < b.name
  end)
  table.sort(model.speaker_list, function(a, b)
    return #a.quotes > #b.quotes or (#a.quotes == #b.quotes and a.name < b.name)
  end)
  return model
end

--- Which entities and speakers get a page of their own: those in at least `entity_pages_min_documents`
--- documents, and every one the dashboard links to (the top of each type, the network, the top speakers).
--- The others are seen in their document's page and found by the search.
local function choose_pages(model, ctx)
  local min = ctx.options.entity_pages_min_documents
  model.top_by_type, model.distinct_by_type, model.network_top, model.top_speakers = {}, {}, {}, {}
  for _, e in ipairs(model.entity_list) do
    model.distinct_by_type[e.type] = (model.distinct_by_type[e.type] or 0) + 1
    local top = model.top_by_type[e.type]
    if not top then
      top = {}
      model.top_by_type[e.type] = top
    end
    local linked = false
    if #top < 10 then
      top[#top + 1] = e
      linked = true
    end
    if #model.network_top < 40 then
      model.network_top[#model.network_top + 1] = e
      linked = true
    end
    e.has_page = linked or #e.docs >= min
  end
  for i, s in ipairs(model.speaker_list) do
    if i <= 50 then model.top_speakers[i] = s end
    s.has_page = i <= 50 or s.docs >= min
  end
end

local function page(ctx, path, root, kind, page_title, body, scripts)
  ctx:write("report/" .. path, render("layout", {title = ctx.options.title, theme = ctx.options.theme, root = root,
    kind = kind, page_title = page_title, body = body, scripts = scripts or {}}))
end

--- A string as a CSS string literal, for attribute selectors such as mark[data-type="PERSON"].
local function css_string(s)
  local quoted = s:gsub('[\\"]', "\\%0"):gsub("%c", function(c) return ("\\%x "):format(c:byte()) end)
  return '"' .. quoted .. '"'
end

--- assets/: the scripts, and the style followed by the colour rules of each type (marks are styled by their
--- data-type): one stylesheet a page.
local function write_assets(ctx, model)
  for _, name in ipairs({"report.js", "search.js"}) do
    ctx:write("report/assets/" .. name, assert(ctx:read("assets/" .. name)))
  end
  local css = {assert(ctx:read("assets/report.css")),
    "/* the colour of each annotation type (palette.lua); a switched-off layer loses its tint */"}
  for _, t in ipairs(model.type_list) do
    local marks = "mark[data-type=" .. css_string(t.type) .. "]"
    css[#css + 1] = (".t-%s, %s, label:has(> #tog-%s) { --c: %s; }"):format(t.class, marks, t.class, t.colour)
    css[#css + 1] = ("body.hide-%s %s, body:has(#tog-%s:not(:checked)) %s { background: none; border-bottom-color: transparent; }")
      :format(t.class, marks, t.class, marks)
  end
  ctx:write("report/assets/report.css", table.concat(css, "\n") .. "\n")
end

-- MARK: a document's page

--- The opening tag of an annotation's mark: its type, its number (the parts of a cut annotation share it)
--- and its features as the tooltip. report.js lets the first part of each take the focus (n / p).
local function mark_tag(a, model)
  if not a.tag then
    a.tag = '<mark data-type="' .. model.types[a[3]].attr .. '" data-a="' .. a.id .. '"'
      .. (a[5] ~= "" and (' title="' .. esc(a[5]) .. '">') or ">")
  end
  return a.tag
end

--- After a quotation's last part: its speaker, linked to the speaker's page when there is one.
local function speaker_link(model, name)
  local speaker = model.speakers[name]
  if speaker and speaker.has_page then
    return ('<a class="speaker" href="../speakers/%s">— %s</a>'):format(speaker.file, esc(name))
  end
  return ('<span class="speaker">— %s</span>'):format(esc(name))
end

--- Nesting order: by start, the longer first, then by number.
local function by_nesting(x, y)
  if x[1] ~= y[1] then return x[1] < y[1] end
  if x[2] ~= y[2] then return x[2] > y[2] end
  return x[3].id < y[3].id
end

--- The annotations that touch [from, to], cut to it and in nesting order: {start, stop, annotation}.
local function events_in(anns, from, to)
  local events = {}
  for _, a in ipairs(anns) do
    local s, e = math.max(a[1], from), math.min(a[2], to)
    if s <= e then events[#events + 1] = {s, e, a} end
  end
  if #events > 1 then table.sort(events, by_nesting) end
  return events
end

--- The open mark that ends first (its place in the stack and its stop), or nil.
local function first_to_end(stack)
  local earliest, at = math.huge, nil
  for k = 1, #stack do
    local stop = stack[k][2]
    if stop < earliest then earliest, at = stop, k end
  end
  return at, earliest
end

--- The text of one block with its annotations as nested marks (`anns`: those that touch the block).
--- Annotations that cross instead of nesting are cut into parts (each part a mark of the same
--- annotation), so none is dropped.
local function annotated(text, from, to, anns, model)
  local events = events_in(anns, from, to)
  if #events == 0 then return esc(text:sub(from, to)) end
  local out, stack, pos, i = {}, {}, from, 1
  while true do
    local event = events[i]
    local next_start = event and event[1] or math.huge
    local at, earliest = first_to_end(stack)
    if not event and not at then break end
    if at and earliest < next_start then
      -- the text up to the end, then close down to the ending mark and reopen the ones above it
      if earliest >= pos then out[#out + 1] = esc(text:sub(pos, earliest)) end
      pos = math.max(pos, earliest + 1)
      local reopen = {}
      for _ = #stack, at + 1, -1 do
        out[#out + 1] = "</mark>"
        reopen[#reopen + 1] = table.remove(stack)
      end
      local ending = table.remove(stack)[3]
      out[#out + 1] = "</mark>"
      if ending[6] and earliest == ending[2] then out[#out + 1] = speaker_link(model, ending[6]) end
      for k = #reopen, 1, -1 do
        out[#out + 1] = mark_tag(reopen[k][3], model)
        stack[#stack + 1] = reopen[k]
      end
    else
      if next_start - 1 >= pos then out[#out + 1] = esc(text:sub(pos, next_start - 1)) end
      pos = math.max(pos, next_start)
      out[#out + 1] = mark_tag(event[3], model)
      stack[#stack + 1] = event
      i = i + 1
    end
  end
  if to >= pos then out[#out + 1] = esc(text:sub(pos, to)) end
  return table.concat(out)
end

--- The annotations touching each block, blocks asked in order of position: one sweep over the
--- annotations sorted by start (a document with 50,000 of them costs one pass, not one a block).
local function touching(anns)
  local next_one, active, last_from = 1, {}, 0
  return function(from, to)
    if from < last_from then next_one, active = 1, {} end -- out of order: start again
    last_from = from
    while anns[next_one] and anns[next_one][1] <= to do
      active[#active + 1] = anns[next_one]
      next_one = next_one + 1
    end
    local still = {}
    for _, a in ipairs(active) do
      if a[2] >= from then still[#still + 1] = a end
    end
    active = still
    return still
  end
end

--- The legend's toggles: one checkbox a type in the document (tog-CLASS; its data-type when the type is not
--- its class), the swatch drawn by CSS in the type's colour.
local function toggles(model, d)
  local out = {}
  for _, t in ipairs(model.type_list) do
    local n = d.type_counts[t.type]
    if n then
      local named = t.class ~= t.type and (' data-type="' .. t.attr .. '"') or ""
      out[#out + 1] = ('<label><input type="checkbox" checked%s id="tog-%s">%s (%d)</label>'):format(named, t.class, t.attr, n)
    end
  end
  return table.concat(out, "\n")
end

--- One document's page: its blocks with the annotation layers, the legend, links to its neighbours.
local function write_document(ctx, model, d, r)
  local annotations = r.annotations
  if type(annotations) == "string" then annotations = quarry.json.decode(annotations) end
  annotations = annotations or {}
  for n, a in ipairs(annotations) do a.id = n end
  local blocks = r.blocks
  if type(blocks) == "string" then blocks = quarry.json.decode(blocks) end
  local text = r.text or ""
  if not blocks or #blocks == 0 then blocks = {{1, #text, "paragraph", ""}} end
  -- annotations by start: the sweep, and the furthest stop among those starting by a position
  local anns, furthest = table.move(annotations, 1, #annotations, 1, {}), {}
  table.sort(anns, function(x, y) return x[1] < y[1] or (x[1] == y[1] and x.id < y.id) end)
  for i, a in ipairs(anns) do furthest[i] = math.max(furthest[i - 1] or 0, a[2]) end
  local touching_block = touching(anns)
  local parts, pos, last_src = {}, 1, nil
  -- a block's source location is shown where it changes (a JSON Lines record's blocks share one)
  -- (paragraphs are plain <p>, other kinds carry theirs as a class)
  local function add_block(s, e, kind, src)
    local tag = (kind == "title" or kind == "heading") and "h2" or "p"
    local open = kind == "paragraph" and "<p>" or ("<%s class=\"k-%s\">"):format(tag, esc(kind))
    if src ~= "" and src ~= last_src then open = open .. '<span class="src">' .. esc(src) .. "</span>" end
    if src ~= "" then last_src = src end
    parts[#parts + 1] = open .. annotated(text, s, e, touching_block(s, e), model) .. "</" .. tag .. ">"
  end
  -- text between blocks that is more than white space, or carries an annotation, gets a block of its own
  local function gap(s, e)
    if s > e then return end
    local needed = text:sub(s, e):find("%S") ~= nil
    if not needed then
      local lo, hi = 0, #anns
      while lo < hi do
        local mid = (lo + hi + 1) // 2
        if anns[mid][1] <= e then lo = mid else hi = mid - 1 end
      end
      needed = lo > 0 and furthest[lo] >= s
    end
    if needed then add_block(s, e, "text", "") end
  end
  for _, b in ipairs(blocks) do
    gap(pos, b[1] - 1)
    add_block(b[1], b[2], b[3], b[4])
    pos = math.max(pos, b[2] + 1)
  end
  gap(pos, #text)
  local before, after = model.docs[d.n - 1], model.docs[d.n + 1]
  local body = render("document", {title = d.title, id = d.id, date = d.date, format = d.format, source = d.source,
    tone = d.tone and ("%.2f"):format(d.tone) or nil, annotation_count = #annotations, toggles = toggles(model, d),
    prev = before and before.page, next = after and after.page, body = table.concat(parts, "\n")})
  page(ctx, "docs/" .. d.page, "../", "document", d.title, body, {"report.js"})
end

--- One page a document (the first max_documents), reading the records a second time for their text.
local function write_documents(ctx, model, records)
  local i = 0
  for r in records do
    i = i + 1
    local d = model.docs[i]
    if d and d.page then write_document(ctx, model, d, r) end
  end
end

-- MARK: entity and speaker pages

local function doc_href(r, prefix) return r.page and (prefix .. r.page) or nil end

--- Where a link to an entity goes from a page in `folder` ("" for the top, else "entities" or "speakers"):
--- its page, or else its document's page.
local function entity_href(e, folder)
  local up = folder == "" and "" or "../"
  if e.has_page then return (folder == "entities" and "" or up .. "entities/") .. e.file end
  return doc_href(e.docs[1], up .. "docs/")
end

--- A document named in a list: linked to its page when it has one.
local function doc_link(r, text)
  local href = doc_href(r, "../docs/")
  if href then return ('<a href="%s">%s</a>'):format(href, esc(text)) end
  return esc(text)
end

--- Mentions in context, a table row each (the table carries the type's colour, cells their own direction).
local function kwic_rows(e)
  local rows = {}
  for i, k in ipairs(e.kwic) do
    rows[i] = "<tr><td>" .. esc(k[1]) .. '</td><td class="match"><b>' .. esc(k[2]) .. "</b></td><td>" .. esc(k[3])
      .. "</td><td>" .. doc_link(k[4], k[4].id) .. "</td></tr>"
  end
  return #rows > 0 and table.concat(rows, "\n") or nil
end

--- Quotations, a list item each (at most `limit`).
local function quote_items(quotes, limit)
  local items = {}
  for i, q in ipairs(quotes) do
    if i > limit then break end
    items[i] = '<li><blockquote dir="auto">' .. esc(q.text) .. '</blockquote> <span class="how">(' .. esc(q.verb)
      .. ")</span> — " .. doc_link(q.doc, q.doc.id) .. "</li>"
  end
  return #items > 0 and table.concat(items, "\n") or nil
end

--- Documents, a list item each: the title (linked to its page) and the id.
local function document_items(docs)
  local items = {}
  for i, r in ipairs(docs) do
    local href = doc_href(r, "../docs/")
    local title = href and ('<a href="%s">%s</a>'):format(href, esc(r.title)) or ("<span>%s</span>"):format(esc(r.title))
    items[i] = "<li>" .. title .. ' <span class="id">' .. esc(r.id) .. "</span></li>"
  end
  return table.concat(items, "\n")
end

--- Entities, a list item each, with their type's swatch and a count.
local function entity_items(rows)
  local items = {}
  for i, row in ipairs(rows) do
    items[i] = ('<li><a class="sw t-%s" href="%s">%s</a> (%d)</li>'):format(row.class, row.href, esc(row.name), row.count)
  end
  return #items > 0 and table.concat(items, "\n") or nil
end

--- An entity's page: mentions in context, its documents, the entities it appears with, its quotations.
local function write_entity(ctx, model, e)
  local docs, with, with_list = {}, {}, {}
  for i, r in ipairs(e.docs) do
    if i <= 200 then docs[#docs + 1] = r end
    for _, other in ipairs(r.entities) do
      local o = other[4]
      if o ~= e then
        if not with[o] then
          with[o] = {entity = o, count = 0}
          with_list[#with_list + 1] = with[o]
        end
        with[o].count = with[o].count + 1
      end
    end
  end
  table.sort(with_list, function(a, b)
    return a.count > b.count or (a.count == b.count and a.entity.name < b.entity.name)
  end)
  local rows = {}
  for i = 1, math.min(20, #with_list) do
    local o = with_list[i].entity
    rows[i] = {name = o.name, href = entity_href(o, "entities"), count = with_list[i].count, class = type_class(o.type)}
  end
  local speaker = e.type == "PERSON" and model.speakers[e.name]
  local body = render("entity", {name = e.name, type = e.type, class = type_class(e.type), mentions = e.mentions,
    document_count = #e.docs, kwic = kwic_rows(e), documents = document_items(docs), with = entity_items(rows),
    -- a speaker with a page of its own has its quotations there
    quotes = speaker and not speaker.has_page and quote_items(speaker.quotes, 100) or nil,
    speaker_href = speaker and speaker.has_page and ("../speakers/" .. speaker.file) or nil})
  page(ctx, "entities/" .. e.file, "../", "entity", e.name, body)
end

--- A speaker's page: the quotations and their documents.
local function write_speaker(ctx, model, s)
  local docs, seen = {}, {}
  for _, q in ipairs(s.quotes) do
    if not seen[q.doc] then
      seen[q.doc] = true
      docs[#docs + 1] = q.doc
    end
  end
  local entity = model.entities["PERSON\t" .. s.name]
  local body = render("entity", {name = s.name, type = "speaker", class = "QUOTE", mentions = #s.quotes,
    document_count = #docs, documents = document_items(docs), quotes = quote_items(s.quotes, 200),
    with = entity and entity_items({{name = "entity page: " .. s.name, href = entity_href(entity, "speakers"),
      count = entity.mentions, class = "PERSON"}}) or nil})
  page(ctx, "speakers/" .. s.file, "../", "speaker", s.name, body)
end

--- A page an entity and a page a speaker that has one (choose_pages).
local function write_entities(ctx, model)
  for _, e in ipairs(model.entity_list) do
    if e.has_page then write_entity(ctx, model, e) end
  end
  for _, s in ipairs(model.speaker_list) do
    if s.has_page then write_speaker(ctx, model, s) end
  end
end

-- MARK: lists, search, dashboard

--- One row of a document list.
local function list_row(r)
  local title = r.page and ('<a href="%s" dir="auto">%s</a>'):format(r.page, esc(r.title))
    or ('<span dir="auto">%s</span>'):format(esc(r.title))
  return ("<tr><td>%s</td><td>%s</td><td>%s</td><td>%d</td></tr>"):format(title, esc(r.date or ""), esc(r.source),
    r.annotation_count)
end

--- The document lists (500 a page, they work without JavaScript) and the search index in script files.
local function write_lists(ctx, model)
  local per = 500
  local pages = math.max(1, (#model.docs + per - 1) // per)
  for p = 1, pages do
    local rows = {}
    for i = (p - 1) * per + 1, math.min(p * per, #model.docs) do rows[#rows + 1] = list_row(model.docs[i]) end
    local body = render("list", {rows = table.concat(rows, "\n"), from = math.min((p - 1) * per + 1, #model.docs),
      to = math.min(p * per, #model.docs), total = #model.docs, prev = p > 1 and ("list-%d.html"):format(p - 1) or nil,
      next = p < pages and ("list-%d.html"):format(p + 1) or nil})
    page(ctx, ("docs/list-%d.html"):format(p), "../", "list", "Documents", body)
  end
  local per_file, scripts = 5000, {}
  for f = 1, math.max(1, (#model.docs + per_file - 1) // per_file) do
    local rows = {}
    for i = (f - 1) * per_file + 1, math.min(f * per_file, #model.docs) do
      local r = model.docs[i]
      local names, types, tseen = {}, {}, {}
      for k, e in ipairs(r.entities) do
        if k <= 40 then names[#names + 1] = e[2] end
        if not tseen[e[1]] then tseen[e[1]] = true; types[#types + 1] = e[1] end
      end
      rows[#rows + 1] = {r.id, r.title, r.page and ("docs/" .. r.page) or "", r.date or "", r.source,
        table.concat(names, "; "):lower(), table.concat(types, " ")}
    end
    -- JSON inside a script: "</" is written "<\/" so a title cannot end the script
    local json = quarry.json.encode(rows):gsub("</", "<\\/")
    local name = ("index-%d.js"):format(f)
    ctx:write("report/assets/" .. name, "(window.QUARRY_INDEX = window.QUARRY_INDEX || []).push(" .. json .. ");\n")
    scripts[#scripts + 1] = name
  end
  scripts[#scripts + 1] = "search.js"
  local types = {}
  for _, t in ipairs(model.type_list) do types[#types + 1] = t.type end
  page(ctx, "search.html", "", "search", "Search", render("search", {types = types}), scripts)
end

local function counted_bars(counts, title, limit)
  local keys = {}
  for k in pairs(counts) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b) return counts[a] > counts[b] or (counts[a] == counts[b] and a < b) end)
  local items = {}
  for i = 1, math.min(limit or 12, #keys) do items[i] = {label = keys[i], value = counts[keys[i]]} end
  return quarry.svg.bars(items, {title = title})
end

--- The entity network: the most mentioned entities, linked when they share documents.
local function network_svg(model)
  local top, index = model.network_top, {}
  for i, e in ipairs(top) do index[e] = i end
  local weights, edges = {}, {}
  for _, r in ipairs(model.docs) do
    local ids = {}
    for _, e in ipairs(r.entities) do
      local i = index[e[4]]
      if i then ids[#ids + 1] = i end
    end
    table.sort(ids)
    for a = 1, #ids do
      for b = a + 1, #ids do
        local key = ids[a] * 1000 + ids[b]
        if not weights[key] then weights[key] = {ids[a], ids[b], 0}; edges[#edges + 1] = weights[key] end
        weights[key][3] = weights[key][3] + 1
      end
    end
  end
  local nodes, most = {}, top[1] and top[1].mentions or 1
  for i, e in ipairs(top) do
    nodes[i] = {name = e.name, type = e.type, href = "entities/" .. e.file, color = type_colour(e.type),
      size = 3 + 9 * math.sqrt(e.mentions / most)}
  end
  return network.svg(nodes, edges, {title = "Entity network: " .. #nodes .. " entities, " .. #edges .. " links", labelled = 12})
end

local function write_dashboard(ctx, model)
  local by_source, by_format, by_day, events, keywords, scores = {}, {}, {}, {}, {}, {}
  local quotes = 0
  for _, r in ipairs(model.docs) do
    by_source[r.source] = (by_source[r.source] or 0) + 1
    by_format[r.format] = (by_format[r.format] or 0) + 1
    local day = type(r.date) == "string" and r.date:match("^%d%d%d%d%-%d%d%-%d%d")
    if day then by_day[day] = (by_day[day] or 0) + 1 end
    for _, d in ipairs(r.dates) do events[d] = (events[d] or 0) + 1 end
    for _, k in ipairs(r.keywords) do keywords[k] = (keywords[k] or 0) + 1 end
    if type(r.tone) == "number" then scores[#scores + 1] = r.tone end
    quotes = quotes + #r.quotes
  end
  local function points(counts)
    local list = {}
    for d, n in pairs(counts) do list[#list + 1] = {date = d, value = n} end
    table.sort(list, function(a, b) return a.date < b.date end)
    return list
  end
  local entity_types = {}
  for _, t in ipairs(model.type_list) do
    local items, distinct = {}, model.distinct_by_type[t.type] or 0
    for i, e in ipairs(model.top_by_type[t.type] or {}) do
      items[i] = {label = e.name, value = e.mentions, href = "entities/" .. e.file}
    end
    if distinct > 0 then
      entity_types[#entity_types + 1] = {type = t.type, class = t.class, distinct = distinct,
        chart = quarry.svg.bars(items, {title = "Most mentioned " .. t.type, color = t.colour})}
    end
  end
  local speakers = {}
  for i, s in ipairs(model.top_speakers) do
    local first = s.quotes[1].text
    speakers[i] = {name = s.name, href = "speakers/" .. s.file, count = #s.quotes,
      first = #first > 140 and (first:sub(1, 137):gsub("[\128-\191]*$", ""):gsub("[\192-\255]$", "") .. "...") or first}
  end
  local pages = 0
  for _, r in ipairs(model.docs) do if r.page then pages = pages + 1 end end
  local body = render("dashboard", {
    title = ctx.options.title, none = #model.docs == 0, count = #model.docs, pages = pages,
    annotations = model.annotations, quotes = quotes,
    by_source = counted_bars(by_source, "Documents by source"), by_format = counted_bars(by_format, "Documents by format"),
    by_date = quarry.svg.timeline(points(by_day), {title = "Documents by date", width = 900}),
    events = quarry.svg.timeline(points(events), {title = "Dated events mentioned", width = 900}),
    scores = #scores > 0 and {{name = "tone", n = #scores,
      chart = quarry.svg.histogram(scores, {bins = 20, min = -1, max = 1, title = "Tone of documents"})}} or {},
    keywords = counted_bars(keywords, "Top keywords", 20), entity_types = entity_types, speakers = speakers,
    network = network_svg(model)})
  page(ctx, "index.html", "", "dashboard", "Dashboard", body)
end

---@param records table[] the records process emitted
---@param ctx Context
local function finish(records, ctx)
  local model = collect(records, ctx)
  choose_pages(model, ctx)
  write_assets(ctx, model)
  write_documents(ctx, model, records)
  write_entities(ctx, model)
  write_lists(ctx, model)
  write_dashboard(ctx, model)
end

---@type Plugin
return {
  name = "html-report",
  version = "1.0.0",
  kind = "report",
  description = "The run as a self-contained website in report/: a dashboard, a page per document with its "
    .. "annotation layers coloured and toggled, pages per entity and speaker, a search. Sample: report/index.html.",
  categories = {"report"},
  author = "Quarry",
  license = "MIT",
  requires = {"entities", "quotes", "dates", "figures", "tone"},
  options = {
    title = {type = "string", default = "Quarry report", doc = "The report's title."},
    types = {type = "list", default = {}, doc = "Annotation types shown (empty: every type)."},
    max_documents = {type = "integer", default = 25000, min = 0,
      doc = "Documents that get a full-text page (in run order); the others are listed and searchable."},
    theme = {type = "choice", choices = {"light", "dark"}, default = "light", doc = "Colour theme."},
    entity_pages_min_documents = {type = "integer", default = 2, min = 1,
      doc = "Entities and speakers in fewer documents get no page of their own (unless the dashboard links "
        .. "them): they are seen in their document's page and found by the search; 1 gives every one a page."},
  },
  process = process,
  finish = finish,
}
