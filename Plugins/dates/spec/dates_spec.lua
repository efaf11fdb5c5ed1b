-- Spec for dates (run with `quarry plugins test dates`).
local function dates(text, meta)
  local out = {}
  for _, a in ipairs(run({text = text, meta = meta}).annotations) do out[a.text] = a.features end
  return out
end

describe("dates", function()
  it("normalizes absolute dates", function()
    local d = dates("Talks began on 5 March 2024 and ended on April 2, 2024; the report is dated 2024-06-30.")
    expect(d["5 March 2024"].value).to_equal("2024-03-05")
    expect(d["April 2, 2024"].value).to_equal("2024-04-02")
    expect(d["2024-06-30"].value).to_equal("2024-06-30")
  end)

  it("resolves weekdays and relative expressions against doc.meta.date", function()
    local d = dates("The strike began on Monday. Officials met last week and expect a deal in the coming months.",
      {date = "2024-03-06"})
    expect(d["on Monday"].value).to_equal("2024-03-04")
    expect(d["last week"].value).to_equal("2024-02-26/2024-03-03")
    expect(d["in the coming months"].value).to_match("^2024%-03%-06/")
    expect(d["on Monday"].relative).to_be(true)
  end)

  it("leaves relative dates unresolved without a document date", function()
    local d = dates("A year before the war, on Monday, nothing happened.")
    expect(d["on Monday"].resolved).to_be(false)
    expect(d["on Monday"].value).to_be_nil()
  end)
end)
