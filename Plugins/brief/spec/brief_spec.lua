-- Spec for brief (run with `quarry plugins test brief`; runs entities, quotes, dates and tone first).
describe("brief", function()
  it("emits a record with entities, quotes and scores for the report", function()
    local r = run({text = [[Mayor Ines Varga said on Monday: “The bridge stays closed.” Varga blamed the flood.]],
      meta = {date = "2024-04-10"}})
    local rec = r.records[1]
    expect(rec.entities[1][1]).to_equal("Ines Varga")
    expect(rec.quotes[1][1]).to_equal("Ines Varga")
    expect(rec.dates[1][1]).to_equal("2024-04-08")
    expect(rec.scores.tone).to_be_truthy()
  end)

  it("keeps the timeline to the documents' period and to the dates most mentioned", function()
    local function record(doc, date, dates)
      local rec = {doc = doc, date = date, format = "txt", entities = {}, quotes = {}, dates = {}, scores = {}}
      for _, d in ipairs(dates) do rec.dates[#rec.dates + 1] = {d, "In " .. doc .. ", on " .. d .. " it happened."} end
      return rec
    end
    local out = finish({
      record("a", "1987-03-02", {"1987-03-01", "1400-02-26", "1987-02-20"}),
      record("b", "1987-03-04", {"1987-03-01", "2030-01-01"}),
      record("c", "1987-03-05", {"1987-03-01", "1986-11-30"}),
    }, {timeline = 4})
    local brief
    for name, text in pairs(out.files) do if name:find("%.md$") then brief = text end end
    local timeline = brief:match("## Timeline\n\n(.-)\n\n")
    expect(timeline).to_contain("**1987-03-01**")
    expect(timeline).never.to_contain("1400-02-26")
    expect(timeline).never.to_contain("2030-01-01")
    -- four lines: the date all three mention, then the earliest of those mentioned once; in date order
    local dates = {}
    for date in timeline:gmatch("%*%*([%d-]+)%*%*") do dates[#dates + 1] = date end
    expect(table.concat(dates, " ")).to_equal("1986-11-30 1987-03-01 1987-03-01 1987-03-01")
  end)
end)
