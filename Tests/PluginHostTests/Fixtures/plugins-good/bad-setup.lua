return {
  name = "bad-setup",
  setup = function(ctx) error("no word list") end,
  process = function(doc) end,
}
