-- Spec for quotes (run with `quarry plugins test quotes`; runs entities first).
local function quotes(text)
  local out = {}
  for _, a in ipairs(run(text).annotations) do
    if a.type == "QUOTE" then out[#out + 1] = a end
  end
  return out
end

describe("quotes", function()
  it("attributes “...,” X said and X said: “...”", function()
    local q = quotes([[Harbour master Tove Brandt said: “The channel is open again.” “We expect ships tonight,” Brandt told reporters.]])
    expect(q[1].features.speaker).to_equal("Tove Brandt")
    expect(q[2].features.speaker).to_equal("Tove Brandt")
    expect(q[2].features.verb).to_equal("told")
    expect(q[1].features.direct).to_be(true)
  end)

  it("attributes said X after the quotation", function()
    local q = quotes([[“Nothing has been decided yet,” said Minister Paul Ferro on Tuesday.]])
    expect(q[1].features.speaker).to_equal("Paul Ferro")
  end)

  it("marks indirect speech with direct = false", function()
    local q = quotes([[Mayor Ines Varga warned that the bridge would stay closed until spring.]])
    expect(q[1].features.direct).to_be(false)
    expect(q[1].features.speaker).to_equal("Ines Varga")
    expect(q[1].text).to_match("^the bridge would stay closed")
  end)

  it("resolves a pronoun only when the sentence before names one person", function()
    local q = quotes([[Colonel Rita Moss said the roads were flooded. “We need more boats,” she said.]])
    expect(q[2].features.speaker).to_equal("Rita Moss")
    local unclear = quotes([[Rita Moss met Ana Ruiz on Friday. “We need more boats and more crews,” she said.]])
    expect(unclear[1].features.speaker).to_be_nil()
  end)

  it("continues the speaker of the previous quotation", function()
    local q = quotes([[“Nobody wins a strike,” Rita Moss said. “But we have a deal now.” “And it will hold for years to come.”]])
    expect(q[2].features.speaker).to_equal("Rita Moss")
  end)

  it("skips scare quotes", function()
    expect(#quotes([[The two countries declared a “no limits” friendship.]])).to_equal(0)
  end)
end)

describe("quotes: spans", function()
  it("makes one quotation with parts of a quotation split by its attribution", function()
    local text = [[“We will act,” Rita Moss said, “and we will act soon.”]]
    local q = quotes(text)
    expect(#q).to_equal(1)
    expect(q[1].features.speaker).to_equal("Rita Moss")
    expect(#q[1].features.parts).to_equal(2)
    expect(text:sub(q[1].features.parts[1].start, q[1].features.parts[1].stop)).to_equal("We will act,")
    expect(text:sub(q[1].features.parts[2].start, q[1].features.parts[2].stop)).to_equal("and we will act soon.")
    expect(q[1].features.text).to_equal("We will act, and we will act soon.")
  end)

  it("keeps a second quotation with its own attribution apart", function()
    local q = quotes([[“The filing is holding up trading today,” said one trader. “Everyone is talking about it,” he added.]])
    expect(#q).to_equal(2)
  end)

  it("makes one quotation of a quotation continued over paragraphs", function()
    local q = quotes("Tove Brandt said:\n\n“The channel is open again and the pilots are back at work.\n\n“We expect the first ships tonight.”\n")
    expect(#q).to_equal(1)
    expect(#q[1].features.parts).to_equal(2)
  end)

  it("never runs through a paragraph that does not open with a mark", function()
    local q = quotes("He said “this never closes and goes on for a while.\n\nThe next paragraph is plain narration here.\n")
    for _, a in ipairs(q) do expect(a.text).never.to_match("narration") end
  end)

  it("keeps a quotation inside a quotation inside it, as one QUOTE", function()
    local q = quotes([[“She told me ‘never again’ twice, and I believed her,” Rita Moss said.]])
    expect(#q).to_equal(1)
    expect(q[1].text).to_match("never again")
  end)

  it("leaves scare quotes and short phrases in marks out", function()
    expect(#quotes([[Rogers said the new mill “won't be enough” to ease the shortage.]])).to_equal(0)
    expect(#quotes([[The minister called the plan “too expansive” on Friday.]])).to_equal(0)
  end)

  it("survives 300 quotation marks without a closing one", function()
    local r = run(string.rep("“word ", 300) .. "end.")
    expect(r.errors).to_equal({})
  end)

  it("takes a story that is one long quotation", function()
    local r = run("“" .. string.rep("The harbour is calm and the boats are in. ", 200) .. "”")
    expect(r.errors).to_equal({})
    local n = 0
    for _, a in ipairs(r.annotations) do if a.type == "QUOTE" then n = n + 1 end end
    expect(n).to_equal(1)
  end)
end)

describe("quotes: speakers", function()
  it("gives the name without titles", function()
    local q = quotes([[“Nothing has been decided yet,” said Finance Minister Paul Ferro on Tuesday.]])
    expect(q[1].features.speaker).to_equal("Paul Ferro")
  end)

  it("never takes the addressee for the speaker", function()
    local q = quotes([[Rita Moss met the press. She told Reuters: “We are willing to open the market as much as possible.”]])
    expect(q[1].features.speaker).never.to_equal("Reuters")
  end)

  it("leaves an unnamed source's quotation without a speaker", function()
    local q = quotes([[Rita Moss spoke first. “The market will recover by the summer, I am sure,” a leading bank economist said.]])
    expect(q[1].features.speaker).to_be_nil()
  end)

  it("does not give a pronoun to a person of the other gender", function()
    local q = quotes([[Mrs Rita Moss said the roads were flooded. “We need more boats and more crews,” he said.]])
    expect(q[2].features.direct).to_be(true)
    expect(q[2].features.speaker).to_be_nil()
  end)

  it("takes the person of an apposition before the verb", function()
    local q = quotes([[“Demand continues to climb,” Gene Cartledge, chairman of Union Camp, said.]])
    expect(q[1].features.speaker).to_equal("Gene Cartledge")
  end)
end)

describe("quotes: indirect speakers", function()
  it("takes the person of 'X of Y said'", function()
    local q = quotes([[Colonel Rita Moss said the roads were flooded. Moss of Montgomery Securities said that the new owner would win concessions from the union.]])
    expect(q[2].features.direct).to_be(false)
    expect(q[2].features.speaker).to_equal("Rita Moss")
  end)

  it("never takes a pollster or an addressee for the speaker", function()
    local q = quotes([[Analysts polled by Reuters said the bank had a right to a seat on the board of the company.]])
    for _, a in ipairs(q) do expect(a.features.speaker).never.to_equal("Reuters") end
  end)

  it("reports the clause after the verb when the words before it are only a preposed phrase", function()
    local q = quotes([[In a bid to win back buyers, Marlow Motors said its dealers would cut prices by a tenth next month.]])
    expect(#q).to_equal(1)
    expect(q[1].text).to_match("^its dealers would cut prices")
    expect(q[1].features.speaker).to_match("Marlow")
  end)

  it("reports the clause before the verb when only an adjunct follows it", function()
    local q = quotes([[The ferry fares will rise in April, the Transport Ministry said in a statement.]])
    expect(#q).to_equal(1)
    expect(q[1].text).to_match("^The ferry fares will rise in April")
  end)

  it("finds no reported speech in an addressee or an adjunct alone", function()
    local q = quotes([[The port will reopen, harbour chief Tove Brandt told a news conference. Brandt spoke in a statement.]])
    for _, a in ipairs(q) do expect(a.text).never.to_match("news conference") end
    expect(quotes([[Tove Brandt told the annual meeting.]])[1]).to_be_nil()
  end)
end)

describe("quotes: speakers named around the quotation", function()
  it("takes the person a body or a possessive introduces, not the body", function()
    local q = quotes([[“Prices will fall,” Harbour Fleming Ltd economist Eric Lund said. “Demand is weak in every port,” said Saltmere Port chief Tove Brandt. “The film will open in May,” said Nora Vale's publicist Wendy Day.]])
    expect(q[1].features.speaker).to_equal("Eric Lund")
    expect(q[2].features.speaker).to_equal("Tove Brandt")
    expect(q[3].features.speaker).to_equal("Wendy Day")
  end)

  it("takes the subject of the sentence a quotation ends", function()
    local q = quotes([[Ana Ruiz, an analyst at Kell Securities, told Reuters that sales were weak, but added: “I think sales will get better in the spring.” Rita Moss said the board would approve the plan because “most of its members will back it.”]])
    expect(q[1].features.speaker).to_equal("Ana Ruiz")
    expect(q[2].features.speaker).to_equal("Rita Moss")
  end)

  it("reads 'the report said' and 'the official said' as the body that spoke", function()
    local q = quotes([[The report by the Institute of Harbour Affairs (IHA) said fares were the highest in Europe. “The ferry lines protect their position through secrecy,” the report said. A senior Treasury official rejected the plan. “We will not forgive the debt of any port,” the official said.]])
    local direct = {}
    for _, a in ipairs(q) do if a.features.direct then direct[#direct + 1] = a end end
    expect(direct[1].features.speaker).to_equal("Institute of Harbour Affairs")
    expect(direct[2].features.speaker).to_equal("Treasury")
  end)

  it("resolves a pronoun to a person after titles, and to the speaker of indirect speech", function()
    local q = quotes([[Trade Representative Clara Yeats reminded the meeting that results take years. “The media judge meetings by results,” she said. The port may break even this year, chief executive Hans Jucker said. “The worst is over,” he said.]])
    local direct = {}
    for _, a in ipairs(q) do if a.features.direct then direct[#direct + 1] = a end end
    expect(direct[1].features.speaker).to_equal("Clara Yeats")
    expect(direct[2].features.speaker).to_equal("Hans Jucker")
  end)

  it("follows a body through sentences where nobody speaks, and reads '..., it said.' as indirect speech", function()
    local q = quotes([[Freight rates will rise this spring, the Kuwait daily al-Rayan said. It did not give a source. “Shippers are already paying more for every container,” it said. Rates rose ten percent last year, it said.]])
    local direct, indirect = {}, {}
    for _, a in ipairs(q) do
      if a.features.direct then direct[#direct + 1] = a else indirect[#indirect + 1] = a end
    end
    expect(direct[1].features.speaker).to_equal("al-Rayan")
    expect(indirect[#indirect].features.speaker).to_equal("al-Rayan")
    expect(indirect[#indirect].text).to_equal("Rates rose ten percent last year")
  end)

  it("marks the indirect speech of unnamed sources without a speaker, and of a body's official with the body", function()
    local q = quotes([[Harbour traders said the strike would push freight rates higher next month. Rates could rise a tenth by May, some analysts said. A Saltmere Treasury official said the port would reopen within a week. Marlow Motors Corp cut output. The company said sales had fallen for a third month.]])
    local byText = {}
    for _, a in ipairs(q) do byText[a.text] = a.features end
    local traders = byText["the strike would push freight rates higher next month"]
    expect(traders).never.to_be_nil()
    expect(traders.speaker).to_be_nil()
    expect(traders.role).to_equal("traders")
    expect(byText["Rates could rise a tenth by May"].role).to_equal("analysts")
    expect(byText["the port would reopen within a week"].role).to_equal("official")
    expect(byText["sales had fallen for a third month"].speaker).to_equal("Marlow Motors Corp")
  end)

  it("reads 'the striker said', 'the Frenchman added' and 'the 27-year-old said' as the person named last", function()
    local q = quotes([[Harbour coach Arne Solberg praised his team. “We were outstanding today,” Solberg told reporters. The Norwegian added: “We needed this result after a hard week.” Tove Brandt, 27, said the team had answered well. “We knew we had to win,” the striker said. “It is not over yet,” the 27-year-old said.]])
    local direct = {}
    for _, a in ipairs(q) do if a.features.direct then direct[#direct + 1] = a end end
    expect(direct[2].features.speaker).to_equal("Arne Solberg")
    expect(direct[3].features.speaker).to_equal("Tove Brandt")
    expect(direct[4].features.speaker).to_equal("Tove Brandt")
  end)
end)

