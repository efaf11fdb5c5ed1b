-- Generated patterns and subjects through find, match, gmatch and gsub; prints one line per case.
-- Run by `quarry script` (the sandbox's matcher) and by `lua5.4` (Lua's own): the outputs must be equal.
-- math.random is the same generator in both, so the same seed gives the same cases.
local pieces = {
  "a", "b", ".", "%a", "%A", "%c", "%d", "%D", "%g", "%l", "%p", "%s", "%S", "%u", "%w", "%x", "%z", "%Z",
  "%%", "\0", "\255", "[a%z]", "[^%z]", "[%Z]", "[\1-\255%z]", "[%l%z]", "[^%l%z]", "[a-c]", "[]]", "[^a]",
  "%f[%z]", "%f[^%z]", "%f[%l%z]", "%f[^%l%z]", "%f[a%z]", "%f[%a]", "%b()", "(", ")", "()", "%1", "*", "+",
  "-", "?", "[", "%", "]", "$", "^",
}
local bytes = { "a", "b", "c", "A", "1", "_", " ", "(", ")", "\0", "\255", "\n", "." }
local count = tonumber(args and args.count or arg and arg[1]) or 5000
math.randomseed(tonumber(args and args.seed or arg and arg[2]) or 42)

local function show(ok, ...)
  local out = { tostring(ok) }
  for i = 1, select("#", ...) do out[#out + 1] = string.format("%q", (select(i, ...))) end
  return table.concat(out, " ")
end

for i = 1, count do
  local p = math.random(5) == 1 and "^" or ""
  for _ = 1, math.random(6) do p = p .. pieces[math.random(#pieces)] end
  local s = ""
  for _ = 1, math.random(0, 10) do s = s .. bytes[math.random(#bytes)] end
  local seen = {}
  local ok, err = pcall(function()
    for a, b in string.gmatch(s, p) do
      seen[#seen + 1] = tostring(a) .. "|" .. tostring(b)
      if #seen > 20 then break end
    end
  end)
  print(i, show(pcall(string.find, s, p)), show(pcall(string.find, s, p, 3)), show(pcall(string.match, s, p)),
    ok and table.concat(seen, ",") or err:gsub("^.-:%d+: ", ""),  -- the chunk's name is the runner's show(pcall(string.gsub, s, p, "<%0>")),
    show(pcall(string.gsub, s, p, "%1", 2)))
end
