function process(doc)
  if doc.id == "briefing.txt" then error("cannot handle " .. doc.id) end
end
