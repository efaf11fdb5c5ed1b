-- tone: sentence and document tone from a word lexicon (data/lexicon.tsv, polarity -3..3), with negation
-- ("not", "never", "didn't" within a few words before flips the sign) and intensifiers or diminishers
-- ("very", "slightly") right before a word. Evidence sentences are kept with the document score.
--
-- Sample output (Samples/saltmere-post/renko-briefing.html):
--   scores.tone = -0.33, with EVIDENCE annotations on the most negative sentences
--   TONE "Mayor Ines Calloway of Saltmere ... said the delays were unacceptable."  {score = -3}
local newsroom = require("newsroom")
local LEX

local NEGATED_FORMS = {"don't", "doesn't", "didn't", "won't", "wouldn't", "can't", "isn't", "wasn't", "aren't",
  "weren't", "couldn't", "shouldn't", "hasn't", "haven't", "hadn't"}

---@param ctx Context
local function setup(ctx)
  local entries = {}
  for _, r in ipairs(newsroom.read_table(ctx, "data/lexicon.tsv")) do
    entries[#entries + 1] = {r.phrase, kind = "word", weight = tonumber(r.polarity)}
  end
  for _, name in ipairs(ctx.options.lexicons or {}) do
    for _, r in ipairs(newsroom.read_table(ctx, name)) do entries[#entries + 1] = {r.phrase or r.word, kind = "word", weight = tonumber(r.polarity or r.weight)} end
  end
  for _, r in ipairs(newsroom.read_table(ctx, "data/modifiers.tsv")) do
    entries[#entries + 1] = {r.phrase, kind = r.kind, weight = tonumber(r.weight)}
  end
  for _, w in ipairs(NEGATED_FORMS) do entries[#entries + 1] = {w, kind = "negator", weight = -1} end
  entries.case = false
  LEX = quarry.phrases(entries)
end

---@param doc Doc
---@param ctx Context
local function process(doc, ctx)
  local window = ctx.options.negation_window
  local sentences = doc.sentences
  local ns = #sentences
  local si, sent = 1, sentences[1]
  local scores, hits = {}, 0
  local pos, neg = 0, 0
  local last_neg, last_mod, last_mod_weight = -1e9, -1e9, 1
  for m in doc:match(LEX) do
    while sent and m.start > sent.stop do
      si = si + 1
      sent = sentences[si]
      last_neg, last_mod = -1e9, -1e9
    end
    if not sent then break end
    local d = m.data
    if d.kind == "negator" then
      last_neg = m.stop
    elseif d.kind == "intensifier" or d.kind == "diminisher" then
      last_mod, last_mod_weight = m.stop, d.weight
    else
      local w = d.weight
      if m.start - last_mod <= 2 then w = w * last_mod_weight end
      if m.start - last_neg <= window then w = -w * 0.75 end
      scores[si] = (scores[si] or 0) + w
      hits = hits + 1
      if w > 0 then pos = pos + w else neg = neg - w end
    end
  end
  local ranked = {}
  for i, v in pairs(scores) do
    if v ~= 0 then
      ranked[#ranked + 1] = i
      doc:annotate("TONE", sentences[i], {score = math.floor(v * 100 + 0.5) / 100})
    end
  end
  local value = (pos - neg) / (pos + neg + 2)
  table.sort(ranked, function(a, b)
    local x, y = scores[a], scores[b]
    if value < 0 then return x < y or (x == y and a < b) end
    return x > y or (x == y and a < b)
  end)
  local evidence = {}
  for k = 1, math.min(ctx.options.evidence, #ranked) do
    local i = ranked[k]
    if (value < 0 and scores[i] < 0) or (value >= 0 and scores[i] > 0) then evidence[#evidence + 1] = sentences[i] end
  end
  doc:score("tone", math.floor(value * 1000 + 0.5) / 1000, {evidence = evidence})
  doc:set("tone_hits", hits)
end

---@type Plugin
return {
  name = "tone",
  version = "1.0.0",
  kind = "score",
  description = "Sentence and document tone from a lexicon with negation and intensifiers; the document score is "
    .. "(positive - negative) / (positive + negative + 2), in -1..1, with the strongest sentences as evidence. "
    .. "Sample: scores.tone = -0.33; TONE \"... the delays were unacceptable.\" {score = -3}.",
  categories = {"default", "score"},
  author = "Quarry",
  license = "MIT",
  options = {
    lexicons = {type = "list", default = {}, doc = "Extra lexicons (TSV: phrase, polarity from -3 to 3) in the plugin "
      .. "folder or an --allow-read folder; their words add to (or override) the built-in list."},
    negation_window = {type = "integer", default = 20, min = 0, max = 200,
      doc = "Bytes between a negator's end and a word's start within which the word is negated."},
    evidence = {type = "integer", default = 3, min = 0, max = 20, doc = "Evidence sentences kept with the score."},
  },
  setup = setup,
  process = process,
}
