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
end)
