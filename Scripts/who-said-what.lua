-- who-said-what.lua: every quotation attributed to one person, with where and when it was said.
--   quarry script Scripts/who-said-what.lua Samples/ --arg person=Torvald
-- The person (a surname is enough; Brekke by default). A quotation counts when the person's name is in
-- the words right after it ("...," Brekke said) or in the sentence that introduces it (Brekke told
-- reporters: "...").
local PERSON = args.person or "Brekke"

local found = 0

function process(doc)
  for _, q in ipairs(doc.quotes) do
    local after = q:context(4).right:match("^[^.!?]*")  -- up to the end of the sentence
    local s = q:sentence()
    local before = s and doc.text:sub(s.start, q.start - 1) or ""
    local by_after = after:find(PERSON, 1, true) ~= nil
    local by_before = before:find(PERSON, 1, true) ~= nil
    if (by_after or by_before) and #q.inner.text > 0 then
      found = found + 1
      local when = doc.meta.date and doc.meta.date:sub(1, 10) or "undated"
      print(("%s  %s  %s"):format(when, q:source(), q.inner.text:gsub("%s+", " ")))
    end
  end
end

function finish()
  return ("%d quotations by %s"):format(found, PERSON)
end
