return {
  name = "syntax",
  process = function(doc, ctx)
    if doc then
  end,
}
