-- Annotates capitalised words as CAPS.
return {
  name = "first", categories = {"default", "people"},
  process = function(doc)
    for m in doc:find([[\b\p{Lu}\p{Ll}+]]) do doc:annotate("CAPS", m) end
  end,
}
