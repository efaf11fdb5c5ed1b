-- Fails on documents that say "boom".
return {
  name = "fragile", categories = {"slow"},
  process = function(doc)
    if doc.text:find("boom") then error("boom found") end
    doc:set("fragile", true)
  end,
}
