-- Marks the names of a short list, with their type: a real run for quarry score's tests to measure.
return {
  name = "gazetteer", version = "0.1.0", kind = "extract",
  description = "Marks four made-up names (quarry score's end-to-end tests).",
  setup = function(ctx)
    NAMES = quarry.phrases{
      {"Ana Ros", type = "PERSON"}, {"Piet Valk", type = "PERSON"},
      {"Tovik", type = "LOCATION"}, {"Café Lund", type = "ORGANIZATION"},
    }
  end,
  process = function(doc, ctx)
    for m in doc:match(NAMES) do doc:annotate(m.data.type, m) end
  end,
}
