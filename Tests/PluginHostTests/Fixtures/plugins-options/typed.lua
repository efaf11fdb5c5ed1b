-- One option of each type, for OptionSpec and OptionResolver tests.
return {
  name = "typed",
  options = {
    label = {type = "string", default = "none", doc = "A label."},
    threshold = {type = "number", default = 0.5, min = 0, max = 1, doc = "A fraction."},
    limit = {type = "integer", default = 3, min = 1, doc = "A count."},
    strict = {type = "boolean", default = false, doc = "A switch."},
    words = {type = "list", default = {"a", "b"}, doc = "Some words."},
    mode = {type = "choice", choices = {"fast", "slow"}, default = "fast", doc = "A mode."},
    extra = {type = "string", doc = "No default."},
  },
  process = function() end,
}
