-- Counts quotations and capitalized words per document, then reports them in finish().
local lines = {}

function process(doc)
  local names = {}
  for _, t in ipairs(doc:tokens{kind = "word"}) do
    if t.title_case and t.index > 1 then names[#names + 1] = t.text end
  end
  lines[#lines + 1] = string.format("%s: %d quotes; %s", doc.id, #doc.quotes, table.concat(names, " "))
  doc:annotate("SEEN", doc.tokens[1])
end

function finish()
  return table.concat(lines, "\n")
end
