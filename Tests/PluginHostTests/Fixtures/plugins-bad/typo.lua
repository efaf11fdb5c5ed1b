return {
  name = "typo",
  proces = function(doc, ctx) end,
}
