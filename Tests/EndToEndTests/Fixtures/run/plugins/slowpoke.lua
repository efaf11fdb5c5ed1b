-- Loops forever, runs out of memory or of time on request: to check the limits.
return {
  name = "slowpoke", version = "0.1.0", categories = {"slow"},
  description = "Misbehaves on documents that ask for it.",
  applies = function(doc) return doc.text:find("MISBEHAVE", 1, true) ~= nil end,
  process = function(doc, ctx)
    if doc.text:find("LOOP", 1, true) then while true do end end
    if doc.text:find("MEMORY", 1, true) then local t = {} for i = 1, 1e9 do t[i] = ("x"):rep(64) .. i end end
    if doc.text:find("SLEEP", 1, true) then local s = os.clock() while os.clock() - s < 60 do end end
    doc:set("slowpoke", "survived")
  end,
}
