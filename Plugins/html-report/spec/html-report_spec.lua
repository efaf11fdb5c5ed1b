-- Spec for html-report (run with `quarry plugins test html-report`; runs entities, quotes, dates, figures
-- and tone first). The browser tests are in Tests/EndToEndTests/HTMLReportTests.swift.
local function count(s, pattern)
  local n = 0
  for _ in s:gmatch(pattern) do n = n + 1 end
  return n
end

-- run's results are read-only proxies: finish takes plain tables
local function plain(v)
  if type(v) ~= "table" then return v end
  local t = {}
  for k, x in pairs(v) do t[k] = plain(x) end
  return t
end

--- The annotations with a mark in a page: their numbers (data-a), each once however many parts it has.
local function marked(page)
  local seen, n = {}, 0
  for a in page:gmatch('<mark data%-type="[^"]+" data%-a="(%d+)"') do
    if not seen[a] then seen[a], n = true, n + 1 end
  end
  return n
end

local function page_of(out, pattern)
  for name, text in pairs(out.files) do
    if name:find(pattern) then return text, name end
  end
end

describe("html-report", function()
  it("emits a record with the text, its blocks and every annotation", function()
    local r = run([[Mayor Ines Varga said on Monday: “The bridge stays closed.” Varga blamed the flood in Tovik.]])
    local rec = r.records[1]
    expect(rec.text).to_contain("bridge stays closed")
    expect(#quarry.json.decode(rec.annotations) > 0).to_be_truthy()
    expect(#quarry.json.decode(rec.blocks) > 0).to_be_truthy()
    expect(rec.annotation_count).to_equal(#quarry.json.decode(rec.annotations))
    expect(rec.entities[1][2]).to_equal("Ines Varga")
  end)

  it("writes a dashboard, a page a document and a page an entity, all escaped", function()
    local r = run({text = "Mayor Ines Varga said: “<script>alert(1)</script> & </div> won't stop us.” Varga left Tovik.",
      meta = {title = "<b>Title</b> & \"quotes\""}})
    local out = finish(plain(r.records))
    expect(#out.errors).to_equal(0)
    local index = page_of(out, "^report/index%.html$")
    expect(index).to_contain('<dd id="n-documents">1</dd>')
    local doc = page_of(out, "^report/docs/d00001%.html$")
    expect(doc).to_contain("&lt;b&gt;Title&lt;/b&gt; &amp; &quot;quotes&quot;")
    expect(doc).to_contain("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;/div&gt; won&#39;t")
    expect(doc:find("<script>alert", 1, true)).to_equal(nil)
    -- every annotation of the document has its first part in the page, with its type
    expect(marked(doc)).to_equal(r.records[1].annotation_count)
    local entity = page_of(out, "^report/entities/e%-ines%-varga%-%x+%.html$")
    expect(entity).to_contain("Ines Varga")
    expect(page_of(out, "^report/speakers/s%-ines%-varga%-%x+%.html$")).to_contain("won&#39;t stop us")
    expect(page_of(out, "^report/assets/report%.css$")).to_contain('.t-PERSON, mark[data-type="PERSON"], label:has(> #tog-PERSON) { --c: #4e79a7; }')
  end)

  it("draws crossing annotations as parts of one annotation, never dropping one", function()
    local r = run("Alpha beta gamma delta.", {types = {"NONE"}})
    local rec = r.records[1]
    -- two annotations that cross (1-9 and 7-16) and one inside the first
    local record = {id = rec.id, title = rec.title, format = rec.format, source = rec.source, words = 4,
      text = rec.text, blocks = quarry.json.decode(rec.blocks), entities = {}, kwic = {}, quotes = {}, dates = {}, keywords = {},
      annotations = {{1, 10, "A", "test", "x: 1"}, {7, 16, "B", "test", ""}, {1, 5, "C", "test", ""}}}
    local doc = page_of(finish({record}), "^report/docs/d00001%.html$")
    expect(marked(doc)).to_equal(3)
    expect(count(doc, 'data%-a="2"')).to_equal(2) -- B cut in two parts where A ends
    -- the features are the tooltip (report.js puts the type before them); no features, no title
    expect(doc).to_contain('<mark data-type="A" data-a="1" title="x: 1"><mark data-type="C" data-a="3">')
  end)

  it("says so when no document reached it", function()
    local out = finish({})
    expect(page_of(out, "^report/index%.html$")).to_contain("No document reached this report")
  end)

  it("keeps full text pages to max_documents and lists the rest", function()
    local a = plain(run("Ines Varga spoke.").records[1])
    local b = plain(run("Tovik flooded.").records[1])
    local out = finish({a, b}, {max_documents = 1})
    expect(page_of(out, "d00001%.html$")).to_be_truthy()
    expect(page_of(out, "d00002%.html$")).to_equal(nil)
    expect(page_of(out, "^report/docs/list%-1%.html$")).to_contain("Documents 1–2 of 2")
  end)

  it("gives a page to entities in two documents or more and to those the dashboard links, links the rest to their document", function()
    -- 45 places in document a fill the network (the 40 most mentioned); in document b, 11 people: the
    -- 10 most mentioned head the dashboard's PERSON bars, the 11th is only in its document's page; one
    -- more person, in both documents, gets a page for that
    local function record(id, entities)
      return {id = id, title = id, format = "text", source = ".", words = 1, text = "x", blocks = {},
        annotations = {}, entities = entities, kwic = {}, quotes = {}, dates = {}, keywords = {}}
    end
    local a, b = {{"PERSON", "Both Docs", 1}}, {{"PERSON", "Both Docs", 1}}
    for i = 1, 45 do a[#a + 1] = {"LOCATION", ("Place %02d"):format(i), 1000 - i} end
    for i = 1, 11 do b[#b + 1] = {"PERSON", ("Person %02d"):format(i), 20 - i} end
    local records = {record("a", a), record("b", b)}
    local out = finish(records)
    expect(#out.errors).to_equal(0)
    expect(page_of(out, "^report/entities/e%-person%-10%-%x+%.html$")).to_be_truthy()
    expect(page_of(out, "^report/entities/e%-both%-docs%-%x+%.html$")).to_contain("2 documents")
    expect(page_of(out, "^report/entities/e%-person%-11%-%x+%.html$")).to_equal(nil)
    expect(page_of(out, "^report/entities/e%-place%-45%-%x+%.html$")).to_equal(nil)
    -- a page that names Person 11 links to its document instead
    local person01 = page_of(out, "^report/entities/e%-person%-01%-%x+%.html$")
    expect(person01).to_contain('<a class="sw t-PERSON" href="../docs/d00002.html">Person 11</a>')
    -- and one that has a page from the page next to it
    expect(person01).to_match('<a class="sw t%-PERSON" href="e%-both%-docs%-%x+%.html">Both Docs</a>')
    -- every entity gets a page when asked
    local all = finish(records, {entity_pages_min_documents = 1})
    expect(page_of(all, "^report/entities/e%-person%-11%-%x+%.html$")).to_be_truthy()
  end)
end)
