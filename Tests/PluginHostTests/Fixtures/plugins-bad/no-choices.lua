return {
  name = "no-choices",
  options = {mode = {type = "choice", default = "fast"}},
  process = function() end,
}
