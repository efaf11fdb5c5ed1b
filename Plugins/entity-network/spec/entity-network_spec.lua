-- Spec for entity-network (run with `quarry plugins test entity-network`).
describe("entity-network", function()
  it("emits a pair for entities in one sentence", function()
    local r = run("Mayor Ines Varga flew to Paris. Nothing else happened.")
    expect(#r.records).to_equal(1)
    expect(r.records[1][1] .. "|" .. r.records[1][3]).to_equal("Ines Varga|Paris")
  end)
end)
