return {
  name = "option-typo",
  options = {limit = {type = "integer", defualt = 3}},
  process = function() end,
}
