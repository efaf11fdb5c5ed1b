-- Tries to write outside the output folder and read outside its folder.
return {
  name = "escape", version = "0.1.0", categories = {"escape"},
  description = "Misbehaves with files.",
  options = { target = {type = "string", default = "../../etc/passwd"} },
  process = function(doc, ctx)
    local ok, err = pcall(ctx.write, ctx, "early.txt", "x")
    doc:set("write_in_process", err)
    local ok2, err2 = pcall(ctx.read, ctx, "../../../../etc/hostname")
    doc:set("read_outside", tostring(err2))
    ctx:emit(1)
  end,
  finish = function(records, ctx)
    ctx:write(ctx.options.target, "pwned")
  end,
}
