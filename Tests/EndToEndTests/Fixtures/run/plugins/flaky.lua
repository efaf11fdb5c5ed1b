-- Fails on every third document (by its number), to check isolation.
return {
  name = "flaky", version = "0.1.0", categories = {"default"}, requires = {"counter"},
  description = "Annotates capitalized words; fails on documents whose number is a multiple of 3.",
  process = function(doc, ctx)
    local n = tonumber(doc.id:match("(%d+)"))
    if n and n % 3 == 0 then error("document " .. n .. " is a multiple of three") end
    for m in doc:find([[\b[A-Z][a-z]+\b]]) do doc:annotate("CAP", m, {len = #m.text}) end
  end,
}
