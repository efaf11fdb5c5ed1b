-- Spec for watchlist (run with `quarry plugins test watchlist`).
describe("watchlist", function()
  it("sums weights and keeps a KWIC line per hit", function()
    local r = run("The strike went on. Dams were opened and the strike ended.", {terms = {"strike=2", "dams"}})
    expect(r.scores.watchlist).to_equal(5)
    local hits = {}
    for _, a in ipairs(r.annotations) do if a.type == "WATCH" then hits[#hits + 1] = a end end
    expect(#hits).to_equal(3)
    expect(hits[1].features.kwic).to_contain("[strike]")
  end)
end)
