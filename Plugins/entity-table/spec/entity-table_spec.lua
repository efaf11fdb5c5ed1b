-- Spec for entity-table (run with `quarry plugins test entity-table`).
describe("entity-table", function()
  it("emits entity, type, mentions and document for each entity", function()
    local r = run("Mayor Ines Varga met Varga's deputy in Paris.")
    expect(r.records[1][1]).to_equal("Ines Varga")
    expect(r.records[1][2]).to_equal("PERSON")
    expect(r.records[1][3]).to_equal(2)
  end)
end)
