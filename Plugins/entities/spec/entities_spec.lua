-- Spec for entities (run with `quarry plugins test entities`).
local ARTICLE = [[
Foreign Minister Anna Lindqvist arrived in Paris on Monday. Lindqvist met officials of the European Union.
Mr. Okoro, the union spokesman, said the talks would continue. Daniel Okoro has led the Harbour Workers' Union since 2019.
Kiev and Kyiv are one city; French diplomats were not available.
]]

local function by_text(result, type)
  local out = {}
  for _, a in ipairs(result.annotations) do
    if a.type == type then out[a.text] = a.features end
  end
  return out
end

describe("entities", function()
  it("finds a person after a title and resolves the short mention", function()
    local r = run(ARTICLE)
    local people = by_text(r, "PERSON")
    expect(people["Anna Lindqvist"].canonical).to_equal("Anna Lindqvist")
    expect(people["Lindqvist"].canonical).to_equal("Anna Lindqvist")
    expect(people["Lindqvist"].mentions).to_equal(2)
    expect(people["Anna Lindqvist"].title).to_equal("Foreign Minister")
  end)

  it("resolves Mr. Okoro to the full name given later", function()
    local people = by_text(run(ARTICLE), "PERSON")
    expect(people["Okoro"].canonical).to_equal("Daniel Okoro")
  end)

  it("types places, organisations and nationalities from the gazetteers", function()
    local r = run(ARTICLE)
    expect(by_text(r, "LOCATION")["Paris"].canonical).to_equal("Paris")
    expect(by_text(r, "ORGANIZATION")["European Union"].canonical).to_equal("European Union")
    expect(by_text(r, "ORGANIZATION")["Harbour Workers' Union"]).to_be_truthy()
    expect(by_text(r, "NATIONALITY")["French"]).to_be_truthy()
  end)

  it("resolves aliases to one canonical name", function()
    local places = by_text(run(ARTICLE), "LOCATION")
    expect(places["Kiev"].canonical).to_equal("Kyiv")
    expect(places["Kyiv"].canonical).to_equal("Kyiv")
  end)

  it("merges possessives, with a plain or a typographic apostrophe", function()
    local r = run("Jonas Brekke led the union. Brekke’s plan failed. Brekke's allies left. The Brekkes’ house stood.")
    local n = 0
    for _, a in ipairs(r.annotations) do
      if a.type == "PERSON" then
        expect(a.features.canonical).to_equal("Jonas Brekke")
        expect(a.text).never.to_match("['’]")
        n = n + 1
      end
    end
    expect(n).to_be(3)
  end)

  it("does not take sentence-initial words for names", function()
    local r = run("The mayor spoke. However, nothing changed. Monday was quiet.")
    expect(#r.annotations).to_equal(0)
  end)

  it("summarizes entities as a document feature", function()
    local r = run(ARTICLE)
    expect(r.features.entities[1].canonical).to_be_truthy()
  end)
  it("joins an organisation's name across its suffix and and/of, and links the short form", function()
    local r = run("Workers at Brixley Tyre and Rubber Co struck on Monday. Brixley said talks would resume. "
      .. "The Union Bank of Varnholm lent the money.")
    local orgs = by_text(r, "ORGANIZATION")
    expect(orgs["Brixley Tyre and Rubber Co"].canonical).to_equal("Brixley Tyre and Rubber Co")
    expect(orgs["Brixley"].canonical).to_equal("Brixley Tyre and Rubber Co")
    expect(orgs["Union Bank of Varnholm"]).to_be_truthy()
  end)

  it("links an acronym to the name it follows in brackets, and by its initials", function()
    local r = run("The Northern Association of Flax Growers (NAFG) met in Paris. NAFG members voted. "
      .. "Selvane Motors Corp cut output, and SM said more cuts were likely.")
    local orgs = by_text(r, "ORGANIZATION")
    expect(orgs["NAFG"].canonical).to_equal("Northern Association of Flax Growers")
    expect(orgs["SM"].canonical).to_equal("Selvane Motors Corp")
  end)

  it("takes a Reuters dateline for a place and finds names of the body in a headline in capitals", function()
    local r = run("VARNHOLM BANK CUTS RATES\n\nTOKYO, March 3 - Varnholm Bank Ltd cut its rates, the bank said.\n")
    local places = by_text(r, "LOCATION")
    expect(places["TOKYO"].canonical).to_equal("Tokyo")
    local orgs = by_text(r, "ORGANIZATION")
    expect(orgs["Varnholm Bank Ltd"]).to_be_truthy()
  end)

  it("gives each canonical name one type, with a confidence", function()
    local r = run("Talks at Kessling Corp ended. Kessling said it would appeal. Shares of Kessling fell.")
    for _, a in ipairs(r.annotations) do
      if a.features.canonical == "Kessling Corp" then
        expect(a.type).to_equal("ORGANIZATION")
        expect(a.features.confidence).to_be_truthy()
      end
    end
  end)

  it("keeps the title out of the person's name", function()
    local people = by_text(run("Treasury Secretary Helmut Varga said the dollar was stable."), "PERSON")
    expect(people["Helmut Varga"].title).to_match("Secretary$")
    for name in pairs(people) do expect(name).never.to_match("Secretary") end
  end)

  it("links the short name given in brackets after a company, past its ticker", function()
    local r = run("Talks began at Veltmark Aluminium AG <VELT.Z> (Veltal) on Monday. Later Veltal said it "
      .. "would close a plant, and analysts said Veltal had few choices.")
    local orgs = by_text(r, "ORGANIZATION")
    expect(orgs["Veltal"].canonical).to_equal("Veltmark Aluminium AG")
    expect(orgs["Veltal"].mentions).to_equal(4)
    expect(orgs["VELT"]).to_be_nil()
  end)

  it("takes a ticker after the name as its short name, and never tags the ticker itself", function()
    local text = "Orrin Power Co of Westland <OPW> said it would sell bonds. Regulators said OPW needs approval."
    local r = run(text)
    local orgs = by_text(r, "ORGANIZATION")
    expect(orgs["OPW"].canonical).to_equal("Orrin Power Co of Westland")
    expect(orgs["OPW"].mentions).to_equal(2)
    for _, a in ipairs(r.annotations) do expect(a.start).never.to_be(text:find("<OPW>", 1, true)) end
  end)

  it("reads 'the Commission' as the one commission named in the document", function()
    local r = run("The Trade Standards Commission met on Monday. Officials said the Commission would decide soon.")
    local orgs = by_text(r, "ORGANIZATION")
    expect(orgs["Commission"].canonical).to_equal("Trade Standards Commission")
    -- two commissions: no guess
    local two = run("The Trade Standards Commission and the Fair Rents Commission met. "
      .. "Officials said the Commission would decide.")
    expect(by_text(two, "ORGANIZATION")["Commission"]).to_be_nil()
  end)

  it("links a company's short name that its context alone would make a place", function()
    local r = run("Investors in Brandle Co cheered. Analysts are less interested in Brandle than in its rivals.")
    local orgs = by_text(r, "ORGANIZATION")
    expect(orgs["Brandle"].canonical).to_equal("Brandle Co")
    expect(by_text(r, "LOCATION")["Brandle"]).to_be_nil()
  end)

  it("does not take an adjective or a generic first word for a short name", function()
    local r = run("The European Trade Association met. European airlines said Federal funds were tight, "
      .. "according to the Federal Deposit Office.")
    local orgs = by_text(r, "ORGANIZATION")
    expect(orgs["European"]).to_be_nil()
    expect(orgs["Federal"]).to_be_nil()
  end)

  it("leaves the sentence's full stop out of a name that ends a sentence, and keeps it inside one", function()
    local r = run("said an analyst at Quellmoor Partners Inc. \"Prices will rise.\" Later Dunmere Co. said no.")
    local orgs = by_text(r, "ORGANIZATION")
    expect(orgs["Quellmoor Partners Inc"]).to_be_truthy()
    expect(orgs["Dunmere Co."]).to_be_truthy()
  end)

  it("takes a lower-case or dotted suffix into the company's name", function()
    local orgs = by_text(run("Talks between Harwick Foods plc and Corran Bank N.A. stalled."), "ORGANIZATION")
    expect(orgs["Harwick Foods plc"]).to_be_truthy()
    expect(orgs["Corran Bank N.A."]).to_be_truthy()
  end)

  it("splits an organisation, a title and a person written as one run", function()
    local r = run("Reminded of it, Senate Farm Committee Chairman Oskar Pellman said no.")
    expect(by_text(r, "ORGANIZATION")["Senate Farm Committee"]).to_be_truthy()
    local people = by_text(r, "PERSON")
    expect(people["Oskar Pellman"].title).to_equal("Chairman")
  end)

  it("keeps an occupation out of the name and links Miss and the possessive to the full name", function()
    local r = run("Actress Nessa Korvel arrived on Monday. Miss Korvel said she was delighted. Korvel's film opens.")
    local people = by_text(r, "PERSON")
    expect(people["Nessa Korvel"].title).to_equal("Actress")
    expect(people["Korvel"].canonical).to_equal("Nessa Korvel")
    expect(people["Actress Nessa Korvel"]).to_be_nil()
  end)

  it("reads a given name before a one-word company or place as a person", function()
    local people = by_text(run("The film starred Harrison Ford and Michael Jordan."), "PERSON")
    expect(people["Harrison Ford"]).to_be_truthy()
    expect(people["Michael Jordan"]).to_be_truthy()
  end)

  it("takes 'shares in X' and 'chief executive of X' for organisations, not places", function()
    local r = run("Investors bought shares in Brenmark on Friday, said the chief executive of Tolvane.")
    local orgs = by_text(r, "ORGANIZATION")
    expect(orgs["Brenmark"]).to_be_truthy()
    expect(orgs["Tolvane"]).to_be_truthy()
    expect(by_text(r, "LOCATION")["Brenmark"]).to_be_nil()
  end)

  it("knows parties of many countries by their names and short forms", function()
    local orgs = by_text(run("The Liberal Democrats, the SNP and the BJP all lost seats to Likud and Fidesz allies."),
      "ORGANIZATION")
    expect(orgs["Liberal Democrats"].kind).to_equal("party")
    expect(orgs["SNP"].canonical).to_equal("Scottish National Party")
    expect(orgs["BJP"].canonical).to_equal("Bharatiya Janata Party")
  end)

  it("keeps a middle initial's dot and a particle inside a person's name", function()
    local r = run("The plan was backed by Rep. Tomas K. Varga and by trade chief Willem de Roos, officials said.")
    local people = by_text(r, "PERSON")
    expect(people["Tomas K. Varga"].canonical).to_equal("Tomas K. Varga")
    expect(people["Willem de Roos"].canonical).to_equal("Willem de Roos")
  end)

  it("gives an acronym the gazetteer knows only as itself the full name the story gives it", function()
    local r = run("Growth will slow, the Organisation for Economic Cooperation and Development, OECD, said. "
      .. "The OECD also cut its forecast for Norway.")
    local orgs = by_text(r, "ORGANIZATION")
    expect(orgs["OECD"].canonical).to_equal("Organisation for Economic Cooperation and Development")
  end)

  it("ends a name at a possessive that another name follows, but not inside a company's name", function()
    local r = run("Economist Eric Lund of Harbour Fleming spoke first. \"Exports are falling,\" Fleming's Lund said. "
      .. "Sales at McDonald's Corp rose.")
    local people = by_text(r, "PERSON")
    expect(people["Lund"].canonical).to_equal("Eric Lund")
    expect(people["Corp"]).to_be_nil()
    expect(by_text(r, "ORGANIZATION")["Corp"]).to_be_nil()
  end)

  it("takes a publication after its noun, with an Arabic article, and a company's subsidiary in a country", function()
    local r = run("Prices will rise, the Kuwait daily al-Rayan said. A spokesman for Selvane Japan, the local "
      .. "unit of Selvane Motors Corp, declined to comment.")
    local orgs = by_text(r, "ORGANIZATION")
    expect(orgs["al-Rayan"]).never.to_be_nil()
    expect(orgs["Selvane Japan"]).never.to_be_nil()
  end)

  it("reads a short form several names share as the company it names without a suffix", function()
    local r = run("Marlow Gas System Inc said its unit Marlow Gas Transmission Corp would cut costs. "
      .. "Marlow Gas said the cuts would save money.")
    local orgs = by_text(r, "ORGANIZATION")
    expect(orgs["Marlow Gas"].canonical).to_equal("Marlow Gas System Inc")
  end)

  it("annotates an acronym in a capitals headline once", function()
    local r = run("NAFG CUTS FLAX QUOTA\n\nOSLO, March 3\n\nThe Northern Association of Flax Growers (NAFG) cut its quota, "
      .. "NAFG said.")
    local at_start = 0
    for _, a in ipairs(r.annotations) do
      if a.type == "ORGANIZATION" and a.start == 1 then at_start = at_start + 1 end
    end
    expect(at_start).to_equal(1)
  end)

  it("takes the whole name an acronym in brackets spells, across a nationality or a place inside it", function()
    local r = run("The Confederation of British Industry (CBI) said the rules would cost jobs. "
      .. "Traders on the London Commodity Exchange (LCE) were quiet. A CBI spokesman declined to comment.")
    local orgs = by_text(r, "ORGANIZATION")
    expect(orgs["Confederation of British Industry"]).never.to_be_nil()
    expect(orgs["CBI"].canonical).to_equal("Confederation of British Industry")
    expect(orgs["LCE"].canonical).to_equal("London Commodity Exchange")
    expect(by_text(r, "NATIONALITY")["British"]).to_be_nil()
  end)

  it("reads a place that is also a given name as a person's when the surname is used alone later", function()
    local r = run("The film, directed by Sydney Pollack, also stars Sean Penn. Pollack told reporters it was hard. "
      .. "He flew home to Sydney on Monday.")
    local people = by_text(r, "PERSON")
    expect(people["Sydney Pollack"]).never.to_be_nil()
    expect(people["Sean Penn"].canonical).to_equal("Sean Penn")
    expect(people["Pollack"].canonical).to_equal("Sydney Pollack")
    expect(by_text(r, "LOCATION")["Sydney"]).never.to_be_nil()
  end)
end)

