return { name = "typo", proces = function() end }
