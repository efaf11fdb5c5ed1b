-- Does what the document's text asks, to probe ctx: options, emit, write, read, limits.
return {
  name = "ctx-probe",
  options = {x = {type = "integer", default = 1}},
  process = function(doc, ctx)
    local t = doc.text
    if t:find("set%-option") then ctx.options.x = 2 end
    if t:find("emit%-function") then ctx:emit({f = function() end}) end
    if t:find("emit%-record") then ctx:emit({id = doc.id, x = ctx.options.x}) end
    if t:find("write") then ctx:write("a.txt", "x") end
    if t:find("read%-own") then doc:set("read", ctx:read("data.txt")) end
    if t:find("read%-allowed") then doc:set("read", ctx:read("shared.txt")) end
    if t:find("read%-out") then ctx:read("../first.lua") end
    if t:find("loop") then while true do end end
    doc:set("done", true)
  end,
  finish = function(records, ctx)
    local log = {}
    for _, r in ipairs(records) do
      local ok, err = pcall(ctx.write, ctx, r.path, "x")
      log[#log + 1] = r.path .. " " .. (ok and "ok" or tostring(err))
    end
    ctx:write("log.txt", table.concat(log, "\n"))
  end,
}
