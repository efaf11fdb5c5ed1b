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

  it("places a date without a year by the sentence's tense, and reads wrapped expressions", function()
    local d = dates("The panel would hold a hearing on June 2. Sales fell in November. Prices rose this\nyear.",
      {date = "1987-04-08"})
    expect(d["June 2"].value).to_equal("1987-06-02")
    expect(d["in November"].value).to_equal("1986-11-01/1986-11-30")
    expect(d["this\nyear"].value).to_equal("1987")
    local dec = dates("Talks will resume on January 5.", {date = "1987-12-10"})
    expect(dec["January 5"].value).to_equal("1988-01-05")
    -- a modal after the date looks ahead from it, not to next year; "of this year" and "for" decide too
    local mar = dates("The market rose in January amid speculation that rates would fall. Registrations for May "
      .. "will open. The deal runs through November of this year.", {date = "1987-03-05"})
    expect(mar["in January"].value).to_equal("1987-01-01/1987-01-31")
    expect(mar["for May"].value).to_equal("1987-05-01/1987-05-31")
    expect(mar["through November of this year"].value).to_equal("1987-11-01/1987-11-30")
  end)

  it("reads capitalized prepositions, wrapped years, year ranges, relative months and quarters of this year", function()
    local d = dates("In 1971 the mine closed. Sales were weaker in\n1987. Losses grew between 1983 and 1987. "
      .. "The vote is scheduled for May. Prices fell last July and by mid-February. Output rose in the fourth quarter.",
      {date = "1987-03-02"})
    expect(d["In 1971"].value).to_equal("1971")
    expect(d["in\n1987"].value).to_equal("1987")
    expect(d["between 1983 and 1987"].value).to_equal("1983/1987")
    expect(d["for May"].value).to_equal("1987-05-01/1987-05-31")
    expect(d["last July"].value).to_equal("1986-07-01/1986-07-31")
    expect(d["mid-February"].value).to_equal("1987-02-01/1987-02-28")
    expect(d["the fourth quarter"].value).to_equal("1987-10-01/1987-12-31")
    -- a quarter's results are not a date of their own
    expect(dates("Fourth quarter profit rose.")["Fourth quarter"]).to_be_nil()
  end)

  it("reads bare months after 'the' and 'both', abbreviations, a month of last year and last night", function()
    local d = dates("He liked the May figure. Inflows fell in both May and June, and in May last year. "
      .. "Licences run until end-Aug. Shares fell from last night's close, this month.", {date = "1987-06-19"})
    expect(d["the May"].value).to_equal("1987-05-01/1987-05-31")
    expect(d["both May"].value).to_equal("1987-05-01/1987-05-31")
    expect(d["in May last year"].value).to_equal("1986-05-01/1986-05-31")
    expect(d["end-Aug"].value).to_equal("1987-08-01/1987-08-31")
    expect(d["last night"].value).to_equal("1987-06-18")
    expect(d["this month"].value).to_equal("1987-06-01/1987-06-30")
    -- a past form nearer the date than a modal: the past
    local p = dates("OPEC would cut output from the level agreed in December.", {date = "1987-06-29"})
    expect(p["in December"].value).to_equal("1986-12-01/1986-12-31")
    local f = dates("Congress will not be notified until after October 1.", {date = "1987-06-29"})
    expect(f["October 1"].value).to_equal("1987-10-01")
  end)
end)
