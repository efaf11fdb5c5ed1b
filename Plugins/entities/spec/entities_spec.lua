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
end)
