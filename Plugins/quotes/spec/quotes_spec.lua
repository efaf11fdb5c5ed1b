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
    local q = quotes([[“Nobody wins a strike,” Rita Moss said. “But we have a deal now.”]])
    expect(q[2].features.speaker).to_equal("Rita Moss")
  end)

  it("skips scare quotes", function()
    expect(#quotes([[The two countries declared a “no limits” friendship.]])).to_equal(0)
  end)
end)
