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

  it("leaves a number written on letters alone, but reads a unit written on it", function()
    local f = figures("The 3D film, shown on 4G phones on the 1st, weighs 10kg.")
    local texts = {}
    for text in pairs(f) do texts[#texts + 1] = text end
    expect(table.concat(texts, "|")).to_equal("10kg")
    expect(f["10kg"].counts).to_equal("kg")
  end)

  it("reads a range as one figure with its low and high ends", function()
    local f = figures("Losses of 20-30bn rupiah, a rise of 4 to 6 pct and 300-400 troops; Leeds won 2-1 in 1987-88.")
    expect(f["20-30bn rupiah"].kind).to_equal("money")
    expect(f["20-30bn rupiah"].currency).to_equal("IDR")
    expect(f["20-30bn rupiah"].low).to_equal(20e9)
    expect(f["20-30bn rupiah"].high).to_equal(30e9)
    expect(f["4 to 6 pct"].kind).to_equal("percent")
    expect(f["300-400 troops"].counts).to_equal("troops")
    expect(f["2-1"]).to_be_nil()
    expect(f["30bn rupiah"]).to_be_nil()
  end)

  it("knows currencies by ISO code, by a country's dollar sign and by name", function()
    local f = figures("It raised USD 5 million, then HK$ 20 million, 300 EUR and 9,000 rupiah.")
    expect(f["USD 5 million"].currency).to_equal("USD")
    expect(f["HK$ 20 million"].currency).to_equal("HKD")
    expect(f["300 EUR"].currency).to_equal("EUR")
    expect(f["9,000 rupiah"].currency).to_equal("IDR")
    local g = figures("It paid 250 mln Australian dlrs and 40 mln French francs.")
    expect(g["250 mln Australian dlrs"].currency).to_equal("AUD")
    expect(g["40 mln French francs"].currency).to_equal("FRF")
  end)

  it("counts the noun after its adjectives", function()
    local f = figures("About 5,000 Indonesian soldiers and 200 armed police arrived; 30 new jobs went.")
    expect(f["About 5,000 Indonesian soldiers"].counts).to_equal("soldiers")
    expect(f["200 armed police"].counts).to_equal("police")
    expect(f["30 new jobs"].counts).to_equal("jobs")
  end)
end)
