-- Counts words (tokens of kind word) of at least `min` letters; emits one record per document.
return {
  name = "counter", version = "1.0.0", kind = "extract", categories = {"default"},
  description = "Counts words.",
  options = {
    min = {type = "integer", default = 1, min = 1, doc = "shortest word counted"},
    label = {type = "string", default = "words", doc = "the feature's name"},
  },
  process = function(doc, ctx)
    local n = 0
    for _, t in pairs(doc.tokens) do
      if t.kind == "word" and quarry.text.len(t.text) >= ctx.options.min then n = n + 1 end
    end
    doc:set(ctx.options.label, n)
    ctx:emit({id = doc.id, n = n})
  end,
  finish = function(records, ctx)
    local total = 0
    for _, r in ipairs(records) do total = total + r.n end
    ctx:write("counts/summary.md", quarry.markdown.table(records, {"id", "n"}) .. "total: " .. total .. "\n")
  end,
}
