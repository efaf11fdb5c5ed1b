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

  it("never runs a date into the next block, and reads 1400 GMT as a time", function()
    local d = dates("Trading closed on 26 February\n\n1400 GMT: prices fell. By 5 March 1500 GMT it was over.")
    expect(d["26 February"].value).to_be_nil() -- no document date: the year is unknown
    expect(d["26 February"].resolved).to_be(false)
    expect(d["5 March"]).to_be_truthy()
    for text in pairs(d) do expect(text).never.to_match("1[45]00") end
  end)

  it("reads a date wrapped over one line break inside a paragraph", function()
    local d = dates("The accord was signed on March 3,\n1987 in Geneva.")
    expect(d["March 3,\n1987"].value).to_equal("1987-03-03")
  end)

  it("resolves ranges of days, quarters and halves to ranges", function()
    local d = dates("Talks ran 3-5 March 2024 and March 10-12, 2024. Profits rose in the first quarter of 2005, "
      .. "fell in Q3 2006 and in the second half of 1987.")
    expect(d["3-5 March 2024"].value).to_equal("2024-03-03/2024-03-05")
    expect(d["March 10-12, 2024"].value).to_equal("2024-03-10/2024-03-12")
    expect(d["the first quarter of 2005"].value).to_equal("2005-01-01/2005-03-31")
    expect(d["Q3 2006"].value).to_equal("2006-07-01/2006-09-30")
    expect(d["the second half of 1987"].value).to_equal("1987-07-01/1987-12-31")
  end)

  it("takes the option reference for documents without a date, and refuses a bad one", function()
    local r = run({text = "The strike began on Monday, two days after talks failed yesterday."},
      {reference = "2024-03-06"})
    local d = {}
    for _, a in ipairs(r.annotations) do d[a.text] = a.features end
    expect(d["on Monday"].value).to_equal("2024-03-04")
    expect(d["yesterday"].value).to_equal("2024-03-05")
    local bad = run({text = "On Monday."}, {reference = "2024-13-45"})
    expect(bad.status).to_be("failed")
    expect(bad.errors[1].message).to_contain("option reference: '2024-13-45' is not a date")
  end)
end)
