return {name = "kind", kind = "extrakt", process = function() end}
