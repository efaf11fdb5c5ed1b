-- Spec for tone (run with `quarry plugins test tone`).
describe("tone", function()
  it("scores negative and positive documents", function()
    expect(run("The flood was a disaster. Two people died.").scores.tone < 0).to_be(true)
    expect(run("The deal is a great success and a real improvement.").scores.tone > 0).to_be(true)
  end)

  it("handles negation", function()
    expect(run("The talks did not fail.").scores.tone > 0).to_be(true)
  end)

  it("keeps evidence sentences", function()
    local r = run("It was a catastrophe. The weather was mild.")
    local evidence = 0
    for _, a in ipairs(r.annotations) do if a.type == "EVIDENCE" then evidence = evidence + 1 end end
    expect(evidence).to_equal(1)
  end)
end)
