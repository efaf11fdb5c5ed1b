-- Tests of annotations, features and scores.
return {
  api = {
    "Doc:annotate", "Doc:annotations", "Doc:set", "Doc:get", "Doc:score",
    "Span.type", "Span.layer", "Span.features", "Span:remove",
  },
  tests = {
    spans_inside_a_character_are_refused = function()
      -- \C matches one byte: a match inside "ü" cannot be annotated or scored (output stays valid UTF-8)
      local inside
      for m in doc:find("Z\\C") do inside = m end
      expect(inside ~= nil and #inside.text == 2, "Z and the first byte of ü")
      expect_error(function() doc:annotate("BYTES", inside) end, "inside a UTF%-8 character")
      expect_error(function() doc:score("bytes", 1, {evidence = {inside}}) end, "inside a UTF%-8 character")
      -- whole characters are fine
      local whole
      for m in doc:find("Zü") do whole = m end
      expect(doc:annotate("WHOLE", whole).text == "Zü", "a whole-character match annotates")
    end,

    annotate_and_query = function()
      local voss = doc:span(doc.text:find("Clara Voss", 1, true))
      local a = doc:annotate("PERSON", voss, {canonical = "Clara Voss", mentions = 1})
      expect_eq(a.type, "PERSON")
      expect_eq(a.layer, "test")
      expect_eq(a.features.canonical, "Clara Voss")
      expect_eq(a.text, "Clara Voss")
      local reyes = doc:annotate("PERSON", {doc.text:find("Omar Reyes", 1, true)}, nil, {layer = "people"})
      expect_eq(reyes.layer, "people")
      local s = voss:sentence()
      local within = doc:annotations{type = "PERSON", within = s}
      expect_eq(#within, 2)
      expect_eq(within[1].text, "Clara Voss")
      expect_eq(#doc:annotations{layer = "people"}, 1)
      doc:annotate("PLACE", {doc.text:find("Zürich", 1, true)})
      expect_eq(#doc:annotations{type = {"PERSON", "PLACE"}}, 3)
      expect_eq(#doc:annotations{type = {"PLACE"}, layer = {"test", "people"}}, 1)
      expect_error(function() doc:annotations{type = {1, 2}} end, "a string or a list of strings")
      local word = doc:span(doc.text:find("Voss", 1, true))
      expect_eq(#doc:annotations{covering = word}, 1)
      expect_eq(#doc:annotations{overlapping = doc:span(voss.start, voss.start + 2)}, 1)
      expect(a:remove(), "removed")
      expect_eq(#doc:annotations{type = "PERSON"}, 1)
    end,

    annotations_come_in_document_order = function()
      local text = doc.text
      doc:annotate("B", {text:find("Reyes told", 1, true)})
      doc:annotate("A", {text:find("Minister", 1, true)})
      doc:annotate("A", {text:find("Minister Clara", 1, true)})
      local all = doc:annotations{}
      expect_eq(all[1].text, "Minister Clara")
      expect_eq(all[2].text, "Minister")
      expect_eq(all[3].text, "Reyes told")
    end,

    bad_annotations_are_refused = function()
      expect_error(function() doc:annotate("", doc.tokens[1]) end, "non%-empty type")
      expect_error(function() doc:annotate("X", doc.tokens[1], {f = function() end}) end, "features.f is a function")
      expect_error(function() doc:annotate("X", {5, 2}) end, "outside the text")
      -- {start, stop} as a list or by name; other fields of the table are not read
      local named = doc:annotate("X", {start = 1, stop = 7, note = "ignored"})
      expect_eq(named.text, doc.text:sub(1, 7))
      local listed = doc:annotate("X", {2, 8})
      expect_eq(listed.text, doc.text:sub(2, 8))
      expect_error(function() doc:annotate("X", {1.5, 3}) end, "table {start, stop} of integers")
      expect_error(function() doc:annotate("X", {1, "3"}) end, "table {start, stop} of integers")
      expect_error(function() doc:annotate("X", {start = 1}) end, "table {start = , stop = }")
      expect_error(function() doc:annotate("X", {}) end, "table {start = , stop = }")
      expect_error(function() doc:annotate("X", "nope") end, "argument 2 must be a span")
      expect_error(function() doc:annotations{within = "x"} end, "must be a span")
      expect_error(function() doc:annotations{typ = "PERSON"} end, "unknown condition 'typ' %(expected type, layer")
      expect_error(function() doc:annotations{"PERSON"} end, "conditions are named")
      expect_error(function() doc:annotations{within = doc.sentences[1], covering = doc.tokens[1]} end,
        "one of within, overlapping and covering")
    end,

    features_and_scores = function()
      doc:set("words", 42)
      doc:set("tags", {"a", "b"})
      expect_eq(doc:get("words"), 42)
      expect_eq(doc:get("tags")[2], "b")
      doc:set("words", nil)
      expect_eq(doc:get("words"), nil)
      expect_error(function() doc:set("bad", coroutine.create(function() end)) end, "not JSON%-like")
      local hits = {}
      for m in doc:find("talks") do hits[#hits + 1] = m end
      doc:score("negotiation", 0.5, {evidence = hits})
      expect_eq(doc:get("negotiation"), 0.5)
      local evidence = doc:annotations{type = "EVIDENCE"}
      expect_eq(#evidence, #hits)
      expect_eq(evidence[1].features.score, "negotiation")
      expect_error(function() doc:score("x", 0/0) end, "finite number")
      expect_error(function() doc:score("x", 1, {evidence = {"no"}}) end, "evidence%[1%] must be a span")
    end,
  },
}
