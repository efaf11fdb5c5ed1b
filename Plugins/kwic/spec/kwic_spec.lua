-- Spec for kwic (run with `quarry plugins test kwic`).
describe("kwic", function()
  it("emits a concordance line per occurrence", function()
    local r = run("The dams were opened at dawn. Later the dams closed.", {terms = {"dams"}})
    expect(#r.records).to_equal(2)
    expect(r.records[1].match).to_equal("dams")
    expect(r.records[1].left).to_contain("The")
  end)
end)
