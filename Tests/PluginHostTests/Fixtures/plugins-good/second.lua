-- Counts what first annotated: it runs after first and sees its annotations.
return {
  name = "second", categories = {"default"}, requires = {"first"},
  process = function(doc) doc:set("caps", #doc:annotations{type = "CAPS"}) end,
}
