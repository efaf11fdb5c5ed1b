-- Annotates greetings, emits one record per document, and lists them in finish.
return {
  name = "greeter", kind = "report",
  options = {word = {type = "string", default = "hello", doc = "The greeting."}},
  process = function(doc, ctx)
    local n = 0
    for m in doc:find([[\b]] .. ctx.options.word .. [[\b]], "i") do
      doc:annotate("GREETING", m, {word = ctx.options.word})
      n = n + 1
    end
    doc:set("greetings", n)
    ctx:emit({id = doc.id, greetings = n})
  end,
  finish = function(records, ctx)
    local total = 0
    for _, r in ipairs(records) do total = total + r.greetings end
    ctx:write("greetings.txt", tostring(total))
  end,
}
