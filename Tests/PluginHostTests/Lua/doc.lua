-- Tests of the doc object: fields, views, spans, regular expressions, phrases.
return {
  api = {
    "Doc.id", "Doc.path", "Doc.format", "Doc.text", "Doc.length", "Doc.meta", "Doc.tokens", "Doc.sentences",
    "Doc.blocks", "Doc.quotes", "Doc:span", "Doc:find", "Doc:match", "quarry.phrases",
    "Span.text", "Span.start", "Span.stop", "Span.index", "Span.doc", "Span.kind", "Span.norm", "Span.capitalized",
    "Span.level", "Span.inner", "Span.balanced", "Span.key", "Span.data", "Span.groups",
    "Span:tokens", "Span:sentence", "Span:block", "Span:context", "Span:source", "Span:copy", "View:each",
    "Doc:frequencies",
  },
  tests = {
    fields = function()
      expect_eq(doc.id, "harbour.txt")
      expect_eq(doc.format, "txt")
      expect_eq(doc.meta.title, "HARBOUR TALKS STALL")
      expect_eq(doc.length, #doc.text)
      expect(doc.path:find("harbour.txt", 1, true) ~= nil, "path names the file")
      expect_error(function() doc.text = "x" end, "doc.text is read.only")
      expect_error(function() doc.meta.title = "x" end, "doc.meta is read.only")
      expect_error(function() rawset(doc.meta, "title", "x") end, "rawset: the table is read.only")
      expect_eq(doc.meta.title, "HARBOUR TALKS STALL")
      expect_eq(quarry.json.decode(quarry.json.encode(doc.meta)).title, "HARBOUR TALKS STALL",
        "JSON sees the values behind the read-only view")
    end,

    spans_compare_only_with_spans = function()
      local t1, t2 = doc.tokens[1], doc.tokens[2]
      expect(t1 < t2, "spans order by start")
      expect(t1 == doc.tokens[1], "equal spans are equal")
      -- another userdata as the other operand (a view, the doc) is never read as a span
      expect(not (t1 == doc.tokens), "a span is not a view")
      expect(not (doc.tokens == t1), "a view is not a span")
      expect_error(function() return t1 < doc.tokens end, "compare a span")
      expect_error(function() return doc.tokens < t1 end, "compare")
      expect_error(function() return t1 < doc end, "compare")
    end,

    every_span_text_matches_its_positions = function()
      for _, view in ipairs{doc.tokens, doc.sentences, doc.blocks, doc.quotes} do
        expect(#view > 0, tostring(view) .. " is not empty")
        for i, s in ipairs(view) do
          expect_eq(doc.text:sub(s.start, s.stop), s.text, tostring(view) .. " item " .. i)
          expect_eq(s.index, i)
          expect(s.doc == doc, "span.doc is the document")
        end
      end
    end,

    views_are_lazy_and_read_only = function()
      local t = doc.tokens
      expect_eq(t[0], nil)
      expect_eq(t[#t + 1], nil)
      expect_eq(t[1].text, "HARBOUR")
      expect_error(function() t[1] = "x" end, "read%-only")
      expect_error(function() t[1].text = "x" end, "spans are read%-only")
      local n = 0
      for i, token in pairs(t) do n = n + 1 end
      expect_eq(n, #t)
    end,

    each_moves_one_cursor = function()
      local texts, kept, last = {}, {}, nil
      for t in doc.tokens:each() do
        texts[#texts + 1] = t.text
        if t.index == 1 then kept = t:copy() end
        last = t
      end
      expect_eq(#texts, #doc.tokens)
      expect_eq(texts[1], "HARBOUR")
      expect_eq(kept.text, "HARBOUR")
      expect_eq(kept.index, 1)
      expect_eq(last.index, #doc.tokens, "the cursor ends on the last token")
      local n = 0
      for s in doc.sentences:each() do n = n + 1 expect_eq(doc.text:sub(s.start, s.stop), s.text) end
      expect_eq(n, #doc.sentences)
      expect_error(function() doc.tokens.each() end, "call it with a colon")
    end,

    each_with_a_filter_visits_only_what_matches = function()
      local function texts(view, filter, field)
        local out = {}
        for s in view:each(filter) do out[#out + 1] = s[field or "text"] end
        return out
      end
      local function reference(view, keep)
        local out = {}
        for _, s in ipairs(view) do if keep(s) then out[#out + 1] = s.text end end
        return out
      end
      local words = texts(doc.tokens, {kind = "word"})
      expect(#words > 0 and #words < #doc.tokens, "some tokens are words, not all")
      expect_eq(table.concat(words, "|"), table.concat(reference(doc.tokens, function(t) return t.kind == "word" end), "|"))
      local either = texts(doc.tokens, {kind = {"number", "punctuation"}})
      expect_eq(table.concat(either, "|"),
        table.concat(reference(doc.tokens, function(t) return t.kind == "number" or t.kind == "punctuation" end), "|"))
      local capitalized_words = texts(doc.tokens, {kind = "word", capitalized = true, all_caps = false})
      expect_eq(table.concat(capitalized_words, "|"), table.concat(reference(doc.tokens, function(t)
        return t.kind == "word" and t.capitalized and not t.all_caps end), "|"))
      expect(#capitalized_words > 0, "there are capitalized words")
      local paragraphs = texts(doc.blocks, {kind = "paragraph"})
      expect_eq(#paragraphs, #doc:blocks{kind = "paragraph"})
      expect_eq(#texts(doc.tokens, {}), #doc.tokens, "an empty filter keeps everything")
      expect_eq(#texts(doc.tokens, {kind = "hashtag"}), 0)
      expect_error(function() doc.tokens:each{kind = "wrod"} end, "unknown kind 'wrod' %(expected one of word, number")
      expect_error(function() doc.tokens:each{colour = true} end, "unknown filter field 'colour'")
      expect_error(function() doc.tokens:each{capitalized = 1} end, "capitalized takes true or false")
      expect_error(function() doc.blocks:each{level = "x"} end, "level takes an integer")
      -- a level no block can have visits nothing (it was truncated to 32 bits: 2^32 visited level 0, -1 all)
      local level0 = #texts(doc.blocks, {level = 0})
      expect(level0 > 0, "the fixture has level-0 blocks")
      for _, level in ipairs({-1, 1 << 31, 1 << 32, math.maxinteger, math.mininteger}) do
        expect_eq(#texts(doc.blocks, {level = level}), 0, "level " .. level)
      end
      expect_error(function() doc.sentences:each{kind = "word"} end, "no fields for this view")
      expect_error(function() doc.tokens:each("word") end, "table expected")
    end,

    frequencies_rank_the_norms_of_tokens = function()
      -- the reference: each word's norm counted in Lua
      local ref, words = {}, 0
      for t in doc.tokens:each{kind = "word"} do ref[t.norm] = (ref[t.norm] or 0) + 1; words = words + 1 end
      local distinct = 0
      for _ in pairs(ref) do distinct = distinct + 1 end
      local function ranked(terms, counts)
        for i = 2, #terms do
          local a, b = counts[i - 1], counts[i]
          expect(a > b or (a == b and terms[i - 1] < terms[i]), "ranked by count, then term, at " .. terms[i])
        end
      end
      local terms, counts, total = doc:frequencies()
      expect_eq(total, words, "total counts the words")
      expect_eq(#terms, distinct)
      expect_eq(#counts, distinct)
      for i, term in ipairs(terms) do expect_eq(counts[i], ref[term], term) end
      ranked(terms, counts)
      local index = {}
      for i, term in ipairs(terms) do index[term] = i end
      expect(index["zürich"] and not index["Zürich"], "a non-ASCII word is counted by its lower-cased norm")
      expect(index["harbour"] and counts[index["harbour"]] == ref["harbour"], "harbour is counted")
      -- options: shorter terms, terms not starting with a letter and excluded terms are left out, before `top`
      local some, some_counts, same_total = doc:frequencies{min_length = 4, letters = true, exclude = {harbour = true,
        talks = false}, top = 5}
      expect_eq(same_total, words, "options do not change the total")
      local expected = {}
      for _, term in ipairs(terms) do
        if #term >= 4 and term:find("^%a") and term ~= "harbour" and #expected < 5 then expected[#expected + 1] = term end
      end
      expect_eq(table.concat(some, " "), table.concat(expected, " "))
      ranked(some, some_counts)
      -- other kinds
      local numbers = 0
      for _ in doc.tokens:each{kind = "number"} do numbers = numbers + 1 end
      local mixed, _, both = doc:frequencies{kind = {"word", "number"}}
      expect_eq(both, words + numbers)
      expect_eq(#mixed > #terms, true, "numbers are terms too")
      expect_eq(#doc:frequencies{kind = "hashtag"}, 0)
      expect_eq(#doc:frequencies{top = 0}, 0)
      expect_error(function() doc:frequencies{kind = "wrod"} end, "unknown token kind 'wrod' %(expected one of word")
      expect_error(function() doc:frequencies{colour = 1} end, "unknown option 'colour'")
      expect_error(function() doc:frequencies{top = -1} end, "top takes a whole number")
      expect_error(function() doc:frequencies{min_length = 2.5} end, "min_length takes a whole number")
      expect_error(function() doc:frequencies{letters = 1} end, "letters takes true or false")
      expect_error(function() doc:frequencies{exclude = "the"} end, "exclude takes a set")
      expect_error(function() doc:frequencies("word") end, "a table of options")
    end,

    tokens_have_kinds_norms_and_shapes = function()
      local seen = {}
      for _, t in ipairs(doc.tokens) do seen[t.text] = t end
      expect_eq(seen["Minister"].kind, "word")
      expect_eq(seen["Minister"].norm, "minister")
      expect(seen["Minister"].capitalized and seen["Minister"].title_case, "Minister is capitalized")
      expect(seen["HARBOUR"].all_caps, "HARBOUR is all caps")
      expect_eq(seen["3,000"].kind, "number")
      expect(seen["3,000"].has_digit, "3,000 has digits")
      expect_eq(seen["U.S."].kind, "word")
      expect(seen["U.S."].abbreviation, "U.S. keeps its period")
      expect_eq(seen["port's"].norm, "port's")
    end,

    blocks_and_filters = function()
      local headings = doc:blocks{kind = "title"}
      expect_eq(#headings, 1)
      expect_eq(headings[1].text, "HARBOUR TALKS STALL")
      expect_eq(headings[1].kind, "title")
      local items = doc:blocks{kind = "item"}
      expect_eq(#items, 2)
      expect(items[1].text:find("Shipping lines", 1, true), "first list item")
      local words = doc:tokens{kind = "word"}
      for _, w in ipairs(words) do expect_eq(w.kind, "word") end
      expect(#words < #doc.tokens, "the filter drops punctuation")
    end,

    quotes_have_inner_spans = function()
      local q = doc.quotes[1]
      expect_eq(q.inner.text, "the harbour will\nreopen within days,")
      expect(q.balanced, "balanced")
      expect_eq(#doc:quotes{balanced = true}, #doc.quotes)
    end,

    span_navigation = function()
      local t = doc.tokens[10]
      local s = t:sentence()
      expect(s.start <= t.start and t.stop <= s.stop, "the token lies in its sentence")
      local toks = s:tokens()
      expect(#toks > 5, "a sentence has tokens")
      expect_eq(toks[1].start, s.start)
      local b = t:block()
      expect(b.start <= t.start and t.stop <= b.stop, "the token lies in its block")
      local c = doc:span(doc.text:find("Reyes told", 1, true)):context(2)
      expect_eq(c.match, "Reyes told")
      expect_eq(c.right, "reporters. The")
      expect_eq(c.left, "is certain,\"")
      expect(doc.tokens[1]:source():match(":1:1$"), "the first token is at 1:1")
    end,

    span_from_positions = function()
      local a, b = doc.text:find("Clara Voss", 1, true)
      local s = doc:span(a, b)
      expect_eq(s.text, "Clara Voss")
      expect_eq(doc:span(a, a - 1).text, "")
      expect_error(function() doc:span(0, 3) end, "outside the text")
      expect_error(function() doc:span(1, #doc.text + 1) end, "outside the text")
      local z = doc.text:find("Zürich", 1, true)
      expect_error(function() doc:span(z + 2, z + 3) end, "inside a UTF%-8 character")
      expect_error(function() doc:span("a", 2) end, "doc:span: argument 1 must be")
    end,

    regular_expressions = function()
      local found = {}
      for m in doc:find([[\b(?<first>[A-Z][a-z]+) (?<last>V\w+|R\w+)\b]]) do
        found[#found + 1] = m.text .. "|" .. m.groups[1].text .. "|" .. m.named.last.text
      end
      expect_eq(table.concat(found, ";"), "Clara Voss|Clara|Voss;Omar Reyes|Omar|Reyes")
      local n = 0
      for m in doc:find("zürich", "i") do n = n + 1 expect_eq(m.text, "Zürich") end
      expect_eq(n, 1)
      local opt
      for m in doc:find("(x)?(Minister)") do opt = m end
      expect_eq(opt.groups[1], false)
      expect_eq(opt.groups[2].text, "Minister")
      expect_error(function() doc:find("(unclosed") end, "offset 9")
      expect_error(function() doc:find("a", "q") end, "unknown flag 'q' %(use i, m, s, x, U, A, a%)")
      -- a pattern without groups: an empty `groups` table all the same, no `named`
      local plain = 0
      for m in doc:find("Minister") do
        plain = plain + 1
        expect_eq(type(m.groups), "table")
        expect_eq(#m.groups, 0)
        expect_eq(next(m.groups), nil)
        expect_eq(m.named, nil)
        expect_eq(m.text, "Minister")
      end
      expect(plain > 0, "Minister is found")
      -- more patterns than the cache keeps (512 a VM): each still compiled and matched right
      for i = 1, 600 do
        local n = 0
        for m in doc:find("Minister" .. string.rep("x?", i % 37) .. string.rep("(?:)", i // 37)) do n = n + 1 end
        expect_eq(n, plain, "pattern " .. i)
      end
      -- `a`: \w and \b are ASCII-only (ü is not a word character), \p{L} and literals stay Unicode
      local function all(pattern, flags)
        local out = {}
        for m in doc:find(pattern, flags) do out[#out + 1] = m.text end
        return table.concat(out, "|")
      end
      expect_eq(all([[Z\w*]]), "Zürich")
      expect_eq(all([[Z\w*]], "a"), "Z")
      expect_eq(all([[Z\p{L}+]], "a"), "Zürich")
      expect_eq(all([[ZÜRICH]], "ia"), "Zürich")
      expect_eq(all([[\d+(?=,)]], "a"), all([[\d+(?=,)]]))
    end,

    phrases = function()
      local p = quarry.phrases{"Clara Voss", {"omar reyes", id = "reyes"}, "U.S. embassy", "Zurich", case = false, accents = false}
      expect_eq(#p, 4)
      local found = {}
      for m in doc:match(p) do found[#found + 1] = m.key .. "=" .. m.text .. (m.data and ("#" .. m.data.id) or "") end
      expect_eq(table.concat(found, ";"), "Clara Voss=Clara Voss;omar reyes=Omar Reyes#reyes;U.S. embassy=U.S. embassy;Zurich=Zürich")
      local strict = quarry.phrases{"clara voss", "Zurich"}
      local n = 0
      for _ in doc:match(strict) do n = n + 1 end
      expect_eq(n, 0)
      local longest = quarry.phrases{"Omar", "Omar Reyes", "Dr. Omar Reyes"}
      for m in doc:match(longest) do expect_eq(m.text, "Dr. Omar Reyes") end
      local file = quarry.phrases{file = "names.tsv", case = false}
      local ids = {}
      for m in doc:match(file) do ids[#ids + 1] = m.data.id .. ":" .. m.data.type end
      expect_eq(table.concat(ids, ","), "halden:LOCATION,voss:PERSON,reyes:PERSON")
      expect_error(function() quarry.phrases{file = "missing.tsv"} end, "not found")
      expect_error(function() quarry.phrases{file = "../secret.tsv"} end, "outside the folders")
      expect_error(function() quarry.phrases{file = "broken.csv"} end, "broken.csv:2:")
      expect_error(function() quarry.phrases{42} end, "phrase 1 must be a string or a table")
      expect_error(function() doc:match({}) end, "doc:match: argument 1 must be a quarry.Phrases")
    end,
  },
}
