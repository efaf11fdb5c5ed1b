return {
  name = "after-fragile", requires = {"fragile"},
  process = function(doc) doc:set("after", true) end,
}
