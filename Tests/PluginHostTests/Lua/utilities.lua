-- Tests of quarry.text, quarry.json, quarry.csv, quarry.markdown, quarry.log and versions.
return {
  api = {
    "quarry.version", "quarry.api_version", "quarry.at_least",
    "quarry.text.len", "quarry.text.sub", "quarry.text.lower", "quarry.text.upper", "quarry.text.fold",
    "quarry.text.normalize", "quarry.text.strip_accents", "quarry.text.words",
    "quarry.json.encode", "quarry.json.decode", "quarry.csv.encode", "quarry.csv.decode",
    "quarry.markdown.table", "quarry.log.debug", "quarry.log.info", "quarry.log.warn", "quarry.log.error",
    "quarry.documents",
  },
  tests = {
    versions = function()
      expect(quarry.version:match("^%d+%.%d+%.%d+$"), "a semantic version")
      expect_eq(quarry.api_version, "1.0")
      expect(quarry.at_least("1.0"), "1.0 is at least 1.0")
      expect(quarry.at_least("0.9.9"), "newer than 0.9.9")
      expect(not quarry.at_least("1.1"), "older than 1.1")
      expect_error(function() quarry.at_least("one") end, "a version like")
    end,

    the_module_is_read_only_all_the_way_down = function()
      expect_error(function() quarry.json.encode = print end, "quarry.json is read.only")
      expect_error(function() quarry.text = {} end, "quarry is read.only")
      expect_error(function() rawset(quarry.json, "encode", print) end, "rawset: the table is read.only")
      expect_error(function() rawset(string, "lower", print) end, "rawset: the table is read.only")
      local own = {}
      rawset(own, "a", 1)
      expect_eq(rawget(own, "a"), 1, "rawset works on the plugin's own tables")
      expect(type(quarry.json.encode) == "function", "the module is unchanged")
    end,

    text = function()
      local t = quarry.text
      expect_eq(t.len("Zürich"), 6)
      expect_eq(t.sub("Zürich", 1, 2), "Zü")
      expect_eq(t.sub("Zürich", -3), "ich")
      expect_eq(t.sub("abc", 3, 2), "")
      expect_eq(t.lower("ÉTÉ"), "été")
      expect_eq(t.upper("straße"), "STRASSE")
      expect_eq(t.fold("Straße"), t.fold("STRASSE"))
      expect_eq(t.strip_accents("Zürich café"), "Zurich cafe")
      expect_eq(t.normalize("e\204\129"), "é")
      expect_eq(#t.normalize("é", "NFD"), 3)
      expect_error(function() t.normalize("x", "NFX") end, "one of")
      local words = t.words("U.S. talks, day 2!")
      expect_eq(table.concat(words, "|"), "U.S.|talks|day|2")
      expect_error(function() t.lower(nil) end, "quarry.text.lower: argument 1 must be a string, got nil")
    end,

    json = function()
      local j = quarry.json
      expect_eq(j.encode({name = "Ada", tags = {"a", "b"}, n = 2, ok = true}), '{"n":2,"name":"Ada","ok":true,"tags":["a","b"]}')
      expect_eq(j.encode({}), "[]")
      expect_eq(j.encode("é\n"), '"é\\n"')
      local v = j.decode('{"a": [1, 2.5, "x", true, null], "b": {"c": -3e2}}')
      expect_eq(v.a[1], 1)
      expect_eq(math.type(v.a[1]), "integer")
      expect_eq(v.a[2], 2.5)
      expect_eq(v.b.c, -300.0)
      local bad, err = j.decode('{"a": }')
      expect_eq(bad, nil)
      expect(err:find("line 1, column 7"), err)
      expect_error(function() j.encode({f = print}) end, "value%.f is a function, which is not JSON%-like")
      expect_error(function() j.encode({list = {1, {x = {print}}}}) end, "value%.list%[2%]%.x%[1%] is a function")
      expect_error(function() local t = {} t.t = t j.encode(t) end, "value%.t contains itself %(a cycle%)")
      -- The same table twice, side by side, is no cycle.
      local shared = {1}
      expect_eq(j.encode({a = shared, b = shared}), '{"a":[1],"b":[1]}')
      -- An integer key and its string spelling make one JSON key.
      local mixed = j.encode({[1] = "x", ["1"] = "y", z = 0})
      expect(mixed:match('^{"1":"[xy]","z":0}$'), mixed)
      expect(j.encode({a = 1}, {pretty = true}):find("\n"), "pretty has newlines")
    end,

    csv = function()
      local c = quarry.csv
      expect_eq(c.encode({{name = "Ada, Countess", n = 2}, {name = 'say "hi"', n = 3}}, {"name", "n"}),
        'name,n\n"Ada, Countess",2\n"say ""hi""",3\n')
      expect_eq(c.encode({{"a", "b"}, {1, 2}}), "a,b\n1,2\n")
      -- keyed rows with columns are written straight from the tables: every kind of field, as the general
      -- path writes it (the same rows with one list row among them take the general path)
      local keyed = {
        {a = "plain", b = 3, c = 2.5, d = true},
        {a = "with, comma", b = -7, c = 1e20, d = false},
        {a = 'with "quote"', b = 0, c = 0.1},
        {a = "line\nbreak", b = 1.0, c = -0.0},
        {a = "crlf\r\nbreak", c = 1e15},
        {a = "Zürich “q”", b = 2^53, c = 123456789012345.0},
        {a = "bad \255 byte", b = math.maxinteger},
      }
      local expected = 'a,b,c,d\nplain,3,2.5,true\n"with, comma",-7,1e+20,false\n"with ""quote""",0,0.1,\n'
        .. '"line\nbreak",1,0,\n"crlf\r\nbreak",,1000000000000000.0,\nZürich “q”,9007199254740992.0,123456789012345,\n'
        .. 'bad \u{FFFD} byte,9223372036854775807,,\n'
      expect_eq(c.encode(keyed, {"a", "b", "c", "d"}), expected)
      local mixed = {table.unpack(keyed)}
      mixed[#mixed + 1] = {"list", "row"}
      expect_eq(c.encode(mixed, {"a", "b", "c", "d"}), expected .. "list,row\n")
      expect_eq(c.encode({{a = 1, b = {1, 2}}}, {"a", "b"}), "a,b\n1,\"{1, 2}\"\n")
      expect_eq(c.encode({{a = 1}}, {"a", "1"}), "a,1\n1,\n")
      expect_error(function() c.encode({{a = 1}, "x"}, {"a"}) end, "row 2 must be a table")
      local rows = c.decode('name,note\nAda,"two\nlines"\nBob,x\n')
      expect_eq(#rows, 2)
      expect_eq(rows[1].note, "two\nlines")
      expect_eq(rows[2].name, "Bob")
      local raw = c.decode("a;b\n1;2\n", {header = false, separator = ";"})
      expect_eq(raw[2][2], "2")
      local none, err = c.decode('a,b\n"open,2\n')
      expect_eq(none, nil)
      expect(err:find("line 2"), err)
    end,

    markdown = function()
      expect_eq(quarry.markdown.table({{name = "A|B", n = 1}}, {"name", "n"}), "| name | n |\n| --- | --- |\n| A\\|B | 1 |\n")
    end,

    log = function()
      quarry.log.debug("debug", 1)
      quarry.log.info("info", {a = 1})
      quarry.log.warn("warn")
      quarry.log.error("error", doc.tokens[1])
      local lines = test_log()
      expect_eq(#lines, 4)
      expect_eq(lines[1], "debug test: debug 1")
      expect_eq(lines[2], "info test: info {a = 1}")
      expect(lines[4]:find('Token%[1..7%] "HARBOUR"'), lines[4])
    end,

    documents_only_in_scripts = function()
      expect_error(function() quarry.documents() end, "only available in `quarry script`")
    end,
  },
}
