return {name = "plain", process = function() end}
