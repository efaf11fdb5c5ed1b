-- Spec for figures (run with `quarry plugins test figures`).
local function figures(text)
  local out = {}
  for _, a in ipairs(run(text).annotations) do out[a.text] = a.features end
  return out
end

describe("figures", function()
  it("reads money, percentages and counts", function()
    local f = figures("The strike cost about 1.8 million crowns, pay rose 6.5 percent and 14 ships waited.")
    expect(f["about 1.8 million crowns"].kind).to_equal("money")
    expect(f["about 1.8 million crowns"].value).to_equal(1800000)
    expect(f["about 1.8 million crowns"].approximate).to_be(true)
    expect(f["6.5 percent"].kind).to_equal("percent")
    expect(f["14 ships"].counts).to_equal("ships")
  end)

  it("marks casualties and vague quantities", function()
    local f = figures("The missile killed one person. The war killed tens of thousands of soldiers.")
    expect(f["one person"].kind).to_equal("casualties")
    expect(f["tens of thousands of soldiers"].vague).to_be(true)
  end)

  it("leaves years and days of the month alone", function()
    local r = run("On March 4, 2024 the port closed.")
    expect(#r.annotations).to_equal(0)
    -- a month or its abbreviation right before the number, in any case
    expect(#run("It reopens on Sept. 12 and closes in MARCH 3.").annotations).to_equal(0)
  end)

  it("leaves numbers that are part of a name alone, but not a number after a sentence's first word", function()
    -- "Rossiya 1" (a capital inside the word before): a name; "Shares 12" opening a sentence: a figure
    -- (after a colon a capitalized word starts a sentence too: "closed: Pier 7 too" has the figure "7 too")
    local f = figures("He spoke on Rossiya 1 and TV3 Kanal 5 late. Shares 12 rose. Ports closed: Pier 7 too.")
    local texts = {}
    for text in pairs(f) do texts[#texts + 1] = text end
    table.sort(texts)
    expect(table.concat(texts, "|")).to_equal("12 rose|7 too")
  end)
end)
