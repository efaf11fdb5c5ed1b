-- Spec for newsroom.read_table (Plugins/lib/newsroom.lua), the one way the standard plugins read their data
-- files, through entities' option `lists` (run with `quarry plugins test entities`).
describe("newsroom.read_table", function()
  it("reads a TSV file of the plugin's folder into rows keyed by its header", function()
    local r = run("The Sea Wolf left port.", {lists = {"spec/fixtures/fleet.tsv"}})
    expect(r.errors).to_equal({})
    local a = r.annotations[1]
    expect(a.text).to_be("Sea Wolf")
    expect(a.type).to_be("ORGANIZATION")
    expect(a.features.canonical).to_be("Sea Wolf Shipping")
    expect(a.features.kind).to_be("company")
  end)

  it("fails setup on a missing file, naming the plugin, the file and the cause, at the plugin's line", function()
    local r = run("The Sea Wolf left port.", {lists = {"spec/fixtures/missing.tsv"}})
    expect(r.status).to_be("failed")
    local e = r.errors[1]
    expect(e.phase).to_be("setup")
    expect(e.message).to_match("^[^:]+entities/init%.lua:%d+: entities: cannot read 'spec/fixtures/missing%.tsv': "
      .. "ctx:read: 'spec/fixtures/missing%.tsv' not found in ")
    expect(e.location).to_match("entities/init%.lua:%d+$")
  end)

  it("fails setup on a file that is not TSV, with the decoder's reason", function()
    local r = run("The Sea Wolf left port.", {lists = {"spec/fixtures/broken.tsv"}})
    expect(r.status).to_be("failed")
    expect(r.errors[1].message).to_contain(
      "entities: cannot read 'spec/fixtures/broken.tsv': CSV line 2: a quoted field is never closed")
  end)

  it("fails setup on a gazetteer row with an unknown type or no phrase, naming the file and line", function()
    local r = run("The Sea Wolf left port.", {lists = {"spec/fixtures/bad-type.tsv"}})
    expect(r.status).to_be("failed")
    expect(r.errors[1].message).to_contain(
      "entities: spec/fixtures/bad-type.tsv:3: type 'PLACE' is not one of PERSON, ORGANIZATION, LOCATION")
    local empty = run("The Sea Wolf left port.", {lists = {"spec/fixtures/no-phrase.tsv"}})
    expect(empty.errors[1].message).to_contain("entities: spec/fixtures/no-phrase.tsv:2: a row needs a `phrase`")
  end)

  it("fails setup on aliases that loop, naming the loop", function()
    local r = run("The Harbour Co left port.", {aliases = {"spec/fixtures/loop-aliases.tsv"}})
    expect(r.status).to_be("failed")
    expect(r.errors[1].message).to_match("entities: the aliases loop: Harbour Co[mpany]* %-> Harbour Co")
  end)
end)
