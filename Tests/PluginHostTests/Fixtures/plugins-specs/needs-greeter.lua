-- Runs after greeter and doubles its count.
return {
  name = "needs-greeter", requires = {"greeter"},
  process = function(doc) doc:set("double", (doc:get("greetings") or 0) * 2) end,
}
