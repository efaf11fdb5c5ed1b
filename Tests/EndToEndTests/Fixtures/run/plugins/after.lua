-- Requires flaky: sees its annotations, and is skipped where flaky failed.
return {
  name = "after", version = "0.1.0", categories = {"default"}, requires = {"flaky"},
  description = "Counts flaky's annotations.",
  process = function(doc, ctx)
    doc:set("caps", #doc:annotations{type = "CAP", layer = "flaky"})
  end,
}
