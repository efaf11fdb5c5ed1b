-- Spec for quote-index (run with `quarry plugins test quote-index`).
describe("quote-index", function()
  it("emits each quotation with its speaker", function()
    local r = run([[“We will reopen,” Mayor Ines Varga said.]])
    expect(r.records[1].speaker).to_equal("Ines Varga")
    expect(r.records[1].text).to_contain("We will reopen")
  end)
end)
