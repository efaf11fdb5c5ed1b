-- Spec for keywords (run with `quarry plugins test keywords`).
describe("keywords", function()
  it("emits term counts per document", function()
    local r = run("Dockworkers struck. The dockworkers want cranes; cranes cost money.")
    local rec = r.records[1]
    expect(rec.words > 5).to_be(true)
    expect(rec.terms[1]).to_match("^[cd]")
    expect(#rec.counts).to_be(#rec.terms)
    expect(rec.counts[1]).to_be(2)
  end)
end)
