return {
  name = "broken",
  process = function(doc, ctx)
    local x = = 1
  end,
}
