// SpecLibrary: the small BDD library plugin specs are written with (`describe`, `it`, `expect`,
// hooks, `run`, `finish`), in Lua. PluginSpecRunner loads it into each spec's environment.

enum SpecLibrary {
    /// The chunk name the library's frames carry in tracebacks (filtered out of reports).
    static let chunkName = "[quarry spec]"

    /// Called with the host's `run` and `finish` (Swift functions); defines the globals of
    /// the spec environment and returns the control table (`count`, `info`, `run`, `cleanup`).
    static let source = #"""
        local host_run, host_finish = ...
        local type, tostring, pairs, ipairs, pcall, error, select = type, tostring, pairs, ipairs, pcall, error, select
        local setmetatable, next, rawequal = setmetatable, next, rawequal
        local concat, sort, format = table.concat, table.sort, string.format

        -- MARK: showing values in messages

        local function show(value, depth)
          depth = depth or 0
          local kind = type(value)
          if kind == "string" then return format("%q", value) end
          if kind ~= "table" then return tostring(value) end
          if depth >= 2 then return "{...}" end
          local parts, count, keys = {}, 0, {}
          for k in pairs(value) do keys[#keys + 1] = k end
          sort(keys, function(a, b)
            if type(a) == type(b) and (type(a) == "number" or type(a) == "string") then return a < b end
            return type(a) < type(b)
          end)
          local length = #value
          for _, k in ipairs(keys) do
            count = count + 1
            if count > 12 then parts[#parts + 1] = "..." break end
            local v = value[k]
            if type(k) == "number" and k >= 1 and k <= length and k % 1 == 0 then
              parts[#parts + 1] = show(v, depth + 1)
            elseif type(k) == "string" and k:match("^[%a_][%w_]*$") then
              parts[#parts + 1] = k .. " = " .. show(v, depth + 1)
            else
              parts[#parts + 1] = "[" .. show(k, depth + 1) .. "] = " .. show(v, depth + 1)
            end
          end
          return "{" .. concat(parts, ", ") .. "}"
        end

        local function deep_equal(a, b)
          if rawequal(a, b) or a == b then return true end
          if type(a) ~= "table" or type(b) ~= "table" then return false end
          for k, v in pairs(a) do
            if not deep_equal(v, b[k]) then return false end
          end
          for k in pairs(b) do
            if a[k] == nil then return false end
          end
          return true
        end

        local function contains(haystack, needle)
          if type(haystack) == "string" then
            return type(needle) == "string" and haystack:find(needle, 1, true) ~= nil
          end
          if type(haystack) ~= "table" then return false end
          for _, item in pairs(haystack) do
            if deep_equal(item, needle) then return true end
          end
          return false
        end

        -- `expect(x).to_fail("read-only")`: a plain substring, or else a Lua pattern.
        local function mentions(text, pattern)
          if text:find(pattern, 1, true) then return true end
          local ok, found = pcall(string.find, text, pattern)
          return ok and found ~= nil
        end

        -- MARK: expect

        function expect(actual)
          local function matchers(negated)
            local m = {}
            -- Level 3: the matcher's caller, the spec line.
            local function check(ok, message, negative)
              if negated then ok, message = not ok, negative end
              if not ok then error(message, 3) end
            end
            local function define(name, body)
              m[name] = function(...)
                if select("#", ...) > 0 and rawequal((...), m) then return body(select(2, ...)) end
                return body(...)
              end
            end
            define("to_be", function(expected)
              check(actual == expected, "expected " .. show(expected) .. ", got " .. show(actual),
                "expected anything but " .. show(expected))
            end)
            define("to_equal", function(expected)
              check(deep_equal(actual, expected), "expected " .. show(expected) .. ", got " .. show(actual),
                "expected something other than " .. show(expected))
            end)
            define("to_contain", function(item)
              check(contains(actual, item), show(actual) .. " does not contain " .. show(item),
                show(actual) .. " contains " .. show(item))
            end)
            define("to_be_truthy", function()
              check(actual ~= nil and actual ~= false, "expected a truthy value, got " .. show(actual),
                "expected nil or false, got " .. show(actual))
            end)
            define("to_be_nil", function()
              check(actual == nil, "expected nil, got " .. show(actual), "expected a value, got nil")
            end)
            define("to_match", function(pattern)
              if type(actual) ~= "string" then error("to_match: expected a string, got " .. show(actual), 2) end
              check(actual:find(pattern) ~= nil, show(actual) .. " does not match " .. show(pattern),
                show(actual) .. " matches " .. show(pattern))
            end)
            define("to_have_length", function(n)
              check(#actual == n, "expected length " .. tostring(n) .. ", got " .. tostring(#actual) .. ": " .. show(actual),
                "expected a length other than " .. tostring(n))
            end)
            define("to_be_greater_than", function(n)
              check(actual > n, "expected more than " .. show(n) .. ", got " .. show(actual),
                "expected at most " .. show(n) .. ", got " .. show(actual))
            end)
            define("to_be_less_than", function(n)
              check(actual < n, "expected less than " .. show(n) .. ", got " .. show(actual),
                "expected at least " .. show(n) .. ", got " .. show(actual))
            end)
            define("to_fail", function(pattern)
              if type(actual) ~= "function" then error("to_fail: expected a function, got " .. show(actual), 2) end
              local ok, err = pcall(actual)
              local text = tostring(err)
              if negated then
                check(not ok, "", "expected no error, got " .. text)
              elseif ok then
                check(false, "expected an error" .. (pattern and (" matching " .. show(pattern)) or "") .. ", got none")
              elseif pattern then
                check(mentions(text, pattern), "expected an error matching " .. show(pattern) .. ", got " .. show(text))
              end
            end)
            return m
          end
          local positive = matchers(false)
          positive.never = matchers(true)
          return positive
        end

        -- MARK: describe, it, hooks

        local root = {before = {}, after = {}}
        local current = root
        local tests = {}

        local function named(fname, name, fn)
          if type(name) ~= "string" then error(fname .. ": expected a name (a string) first", 3) end
          if fn ~= nil and type(fn) ~= "function" then error(fname .. ": expected a function after the name", 3) end
        end

        function describe(name, fn)
          named("describe", name, fn)
          if fn == nil then error("describe: expected a function after the name", 2) end
          local suite = {name = name, parent = current, before = {}, after = {}}
          local saved = current
          current = suite
          local ok, err = pcall(fn)
          current = saved
          if not ok then error(err, 0) end
        end

        function it(name, fn)
          named("it", name, fn)
          tests[#tests + 1] = {name = name, suite = current, fn = fn, skip = fn == nil}
        end

        -- `pending("name")` or `xit("name", fn)`: listed as skipped.
        function pending(name) named("pending", name) tests[#tests + 1] = {name = name, suite = current, skip = true} end
        function xit(name, fn) named("xit", name, fn) tests[#tests + 1] = {name = name, suite = current, skip = true} end

        function before_each(fn)
          if type(fn) ~= "function" then error("before_each: expected a function", 2) end
          current.before[#current.before + 1] = fn
        end

        function after_each(fn)
          if type(fn) ~= "function" then error("after_each: expected a function", 2) end
          current.after[#current.after + 1] = fn
        end

        local function chain(suite)
          local list = {}
          while suite do
            table.insert(list, 1, suite)
            suite = suite.parent
          end
          return list
        end

        -- MARK: running the plugin

        local function freeze(value, name)
          if type(value) ~= "table" then return value end
          local inner = {}
          for k, v in pairs(value) do inner[k] = freeze(v, name) end
          return setmetatable({}, {
            __index = inner,
            __newindex = function(_, k) error(name .. " is read-only (cannot set '" .. tostring(k) .. "')", 2) end,
            __len = function() return #inner end,
            __pairs = function() return next, inner, nil end,
            __metatable = false,
          })
        end

        function run(input, options)
          local ok, result = pcall(host_run, input, options)
          if not ok then error(result, 2) end
          return freeze(result, "the result of run")
        end

        function finish(records, options)
          local ok, result = pcall(host_finish, records, options)
          if not ok then error(result, 2) end
          return freeze(result, "the result of finish")
        end

        -- MARK: control (called from Swift)

        local control = {}
        function control.count() return #tests end
        function control.info(i)
          local t = tests[i]
          local names = {}
          for _, suite in ipairs(chain(t.suite)) do
            if suite.name then names[#names + 1] = suite.name end
          end
          names[#names + 1] = t.name
          return names, t.skip
        end
        function control.run(i)
          local t = tests[i]
          for _, suite in ipairs(chain(t.suite)) do
            for _, hook in ipairs(suite.before) do hook() end
          end
          t.fn()
        end
        function control.cleanup(i)
          local list = chain(tests[i].suite)
          for n = #list, 1, -1 do
            for _, hook in ipairs(list[n].after) do hook() end
          end
        end
        return control
        """#
}
