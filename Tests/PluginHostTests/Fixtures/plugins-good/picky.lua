-- Only applies to documents that mention "apply".
return {
  name = "picky",
  applies = function(doc) return doc.text:find("apply") ~= nil end,
  process = function(doc) doc:set("picky", true) end,
}
