return {
  name = "bad-default",
  options = {limit = {type = "integer", default = "ten", doc = "How many."}},
  process = function() end,
}
