return {name = "same", version = "2.0", process = function() end}
