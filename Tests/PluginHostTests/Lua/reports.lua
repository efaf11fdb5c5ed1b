-- Tests of quarry.template, quarry.html and quarry.svg (templates from Fixtures/templates/).
local function count(s, pattern)
  local n = 0
  for _ in s:gmatch(pattern) do n = n + 1 end
  return n
end

return {
  api = {
    "quarry.template.render", "quarry.html.escape", "quarry.svg.bars", "quarry.svg.histogram",
    "quarry.svg.timeline", "quarry.svg.sparkline",
  },
  tests = {
    escape = function()
      local e = quarry.html.escape
      expect_eq(e([[<a href="x">Tom & Jerry's</a>]]), "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;")
      expect_eq(e("plain Zürich"), "plain Zürich")
      expect_eq(e(""), "")
      expect_eq(e(42), "42")
      expect_eq(e("&amp;"), "&amp;amp;", "escapes once more: it does not guess what was escaped")
      expect_error(function() e({}) end, "argument 1 must be a string or a number")
    end,

    inline_templates = function()
      local r = quarry.template.render
      expect_eq(r("<li>{{name}} ({{count}})</li>", {name = "Ada & co", count = 3}), "<li>Ada &amp; co (3)</li>")
      expect_eq(r("{{{raw}}}|{{raw}}", {raw = "<b>"}), "<b>|&lt;b&gt;")
      expect_eq(r("{{#xs}}[{{.}}]{{/xs}}", {xs = {"a", "<", 2}}), "[a][&lt;][2]")
      expect_eq(r("{{#xs}}x{{/xs}}{{^xs}}empty{{/xs}}", {xs = {}}), "empty", "an empty table is an empty list")
      expect_eq(r("{{#on}}yes{{/on}}{{^off}}no{{/off}}", {on = true, off = false}), "yesno")
      expect_eq(r("{{n}} {{f}}", {n = 2.0, f = 0.5}), "2 0.5")
      expect_eq(r("{{a.b}}", {a = {b = "deep"}}), "deep")
      expect_eq(r("{{missing}}.\n", {}), ".\n")
      expect_eq(r("{{x}}\n"), "\n", "data is optional")
      expect_error(function() r("{{x}}", {"a"}) end, "argument 2 must be a table with named fields")
      expect_error(function() r("{{x}}", {f = print}) end, "cannot convert a function")
      expect_error(function() r("{{#a}}\n{{/b}}", {}) end, "template text:2:%d+: a section is closed with another name")
    end,

    template_files_and_partials = function()
      local html = quarry.template.render("list", {title = "<People>", items = {{name = "Ada"}, {name = "Bo", count = 2}}})
      expect(html:find("<h2>&lt;People&gt;</h2>", 1, true), html)
      expect_eq(count(html, '<li class="card">'), 2)
      expect(html:find("Bo (2)", 1, true), html)
      expect(quarry.template.render("list", {title = "x", items = {}}):find("<li>none</li>", 1, true))
      -- the same file by its full name, and a second render served from the cache gives the same text
      expect_eq(quarry.template.render("templates/card.mustache", {name = "x"}), quarry.template.render("card", {name = "x"}))
    end,

    template_bad_input = function()
      local r = quarry.template.render
      expect_error(function() r("nowhere", {}) end, "template 'nowhere' not found: looked for templates/nowhere.mustache and nowhere.mustache in")
      expect_error(function() r("broken", {}) end, "broken:3:%d+: a section is closed with another name than it was opened with")
      expect_error(function() r("sneaky", {}) end, "in sneaky: partial '../../LuaAPITests': template '../../LuaAPITests' is outside the plugin's folder")
      expect_error(function() r("lost", {}) end, "in lost: partial 'nowhere': template 'nowhere' not found")
      expect_error(function() r("../LuaAPITests", {}) end, "outside the plugin's folder")
      expect_error(function() r("/etc/passwd", {}) end, "relative to the plugin's folder")
      expect_error(function() r(nil, {}) end, "argument 1 must be a string")
    end,

    bars = function()
      local svg = quarry.svg.bars({
        {label = "Kaldmark", value = 12, href = "entities/kaldmark.html"},
        {label = "<script>alert(1)</script>", value = 3},
        {label = "A very long organisation name that will not fit", value = 6, color = "red\" onload=\"x"},
      }, {title = "Places & more"})
      expect(svg:find('^<svg class="q%-chart q%-bars"'), svg)
      expect(svg:find('aria-label="Places &amp; more"', 1, true), "escaped title")
      expect_eq(count(svg, "<rect "), 3)
      expect_eq(count(svg, '<a href="entities/kaldmark.html">'), 1)
      expect(not svg:find("<script>", 1, true), "labels escaped")
      expect(svg:find("&lt;script&gt;", 1, true), "label kept, escaped")
      expect(not svg:find("onload", 1, true), "a colour that is not a colour is dropped")
      expect(svg:find("…", 1, true), "long labels shortened")
      expect(svg:find("A very long organisation name that will not fit: 6", 1, true), "full label in the tooltip")
      -- the largest value is the widest bar
      local widths = {}
      for w in svg:gmatch('<rect x="[%d.]+" y="[%d.]+" width="([%d.]+)"') do widths[#widths + 1] = tonumber(w) end
      expect(widths[1] > widths[3] and widths[3] > widths[2], table.concat(widths, ","))
      expect(quarry.svg.bars({}):find("no data", 1, true))
      expect_error(function() quarry.svg.bars({{label = "x"}}) end, "item 1 %('x'%) needs a value")
      expect_error(function() quarry.svg.bars({{value = 1}}) end, "item 1 needs a label")
      expect_error(function() quarry.svg.bars({{label = "x", value = 0/0}}) end, "needs a value")
      expect_error(function() quarry.svg.bars("x") end, "argument 1 must be a list")
      expect_error(function() quarry.svg.bars({}, {width = -3}) end, "option 'width' must be a number")
    end,

    histogram = function()
      local svg = quarry.svg.histogram({-1, -0.5, 0, 0, 0.2, 1}, {bins = 4, min = -1, max = 1, title = "Tone"})
      expect_eq(count(svg, "<rect "), 4)
      expect(svg:find("<title>-1 to -0.5: 1</title>", 1, true), svg)
      expect(svg:find("<title>0 to 0.5: 3</title>", 1, true), svg)
      expect(svg:find("<title>0.5 to 1: 1</title>", 1, true), "the top value falls in the last bin")
      expect(quarry.svg.histogram({5, 5}):find("<rect ", 1, true), "one value repeated still draws")
      expect(quarry.svg.histogram({}):find("no data", 1, true))
      expect_error(function() quarry.svg.histogram({1, "x"}) end, "item 2 must be a finite number")
      expect_error(function() quarry.svg.histogram({1}, {bins = 0}) end, "option 'bins'")
    end,

    timeline = function()
      local svg = quarry.svg.timeline({
        {date = "2024-03-09", value = 1, label = "<b>strike</b>"},
        {date = "2024-03-01", value = 4},
        {date = "2024-04", value = 2},
      }, {title = "Events"})
      expect_eq(count(svg, "<rect "), 3)
      expect(svg:find(">2024-03-01</text>", 1, true), "first date on the axis")
      expect(svg:find(">2024-04</text>", 1, true), "last date on the axis")
      expect(svg:find("2024-03-09: 1 — &lt;b&gt;strike&lt;/b&gt;", 1, true), "escaped label in the tooltip")
      -- placed by time: 1 March at the left edge, 1 April at the right
      local xs = {}
      for x in svg:gmatch('<rect x="([%d.]+)"') do xs[#xs + 1] = tonumber(x) end
      expect(xs[1] < xs[2] and xs[2] < xs[3], table.concat(xs, ","))
      expect_error(function() quarry.svg.timeline({{date = "March 2024", value = 1}}) end, "item 1 needs a date as YYYY%-MM%-DD")
      expect_error(function() quarry.svg.timeline({{date = "2024-13-01", value = 1}}) end, "item 1 needs a date")
      expect_error(function() quarry.svg.timeline({{date = "2024-01-01"}}) end, "item 1 %(2024%-01%-01%) needs a value")
    end,

    sparkline = function()
      local svg = quarry.svg.sparkline({3, 5, 2, 8}, {title = "Mentions"})
      expect(svg:find("<polyline points=", 1, true), svg)
      local n = 0
      for _ in svg:match('points="([^"]*)"'):gmatch("[%d.]+,[%d.]+") do n = n + 1 end
      expect_eq(n, 4)
      expect(quarry.svg.sparkline({1}):find("<circle", 1, true))
      expect(quarry.svg.sparkline({}):find("no data", 1, true))
    end,
  },
}
