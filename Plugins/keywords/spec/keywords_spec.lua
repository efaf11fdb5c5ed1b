-- Spec for keywords (run with `quarry plugins test keywords`).
describe("keywords", function()
  it("emits each document's most frequent terms, stop words, short words and numbers left out", function()
    local r = run("Dockworkers struck. The dockworkers want cranes; cranes cost money. The 10-year deal is off.")
    local rec = r.records[1]
    -- 14 words: Dockworkers struck The dockworkers want cranes cranes cost money The 10-year deal is off
    expect(rec.words).to_be(14)
    expect(r.features.words).to_be(14)
    -- by count, then in byte order; "the", "is", "off" are stop words, "10-year" does not start with a letter
    expect(table.concat(rec.terms, " ")).to_be("cranes dockworkers cost deal money struck want")
    expect(table.concat(rec.counts, " ")).to_be("2 2 1 1 1 1 1")
  end)

  it("keeps at most max_terms terms and honours min_length", function()
    local r = run("Alpha beta gamma delta alpha beta alpha epsilon zeta.", {max_terms = 2, min_length = 5})
    local rec = r.records[1]
    expect(table.concat(rec.terms, " ")).to_be("alpha delta")
    expect(table.concat(rec.counts, " ")).to_be("3 1")
  end)

  it("ranks each document's terms by TF-IDF in finish and writes the CSV and the Markdown", function()
    local out = finish({
      {doc = "a.txt", words = 10, terms = {"harbour", "strike", "port"}, counts = {3, 2, 1}},
      {doc = "b.txt", words = 4, terms = {"strike", "union"}, counts = {1, 1}},
    }, {per_document = 2, min_count = 1})
    expect(out.errors).to_equal({})
    -- idf = log(3 / (1 + df)): harbour, port, union 0.405465; strike 0; plus tf * 1e-6, rounded to 1e-5
    expect(out.files["keywords.csv"]).to_equal("doc,term,count,tfidf\n"
      .. "a.txt,harbour,3,0.12164\na.txt,port,1,0.04055\nb.txt,union,1,0.10137\nb.txt,strike,1,0\n")
    expect(out.files["keywords.md"]).to_contain("2 documents, 14 words.")
    expect(out.files["keywords.md"]).to_contain("- a.txt: harbour, port")
  end)
end)
