return {name = "same", process = function() end}
