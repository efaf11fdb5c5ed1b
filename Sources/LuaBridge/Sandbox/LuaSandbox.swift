// The sandbox's Lua side: builds one global environment per plugin from the real globals,
// with read-only library tables, a text-only `load`, a confined `require` and a host `print`.

enum LuaSandbox {
    /// Runs once per VM with the real globals; returns the environment factory `new_env(id)`.
    /// Arguments: whether the VM is sandboxed, the host's module resolver, the host's print.
    static let bootstrap = #"""
        local sandboxed, host_require, host_print = ...
        local G = _G
        local type, error, tostring, select, next = type, error, tostring, select, next
        local setmetatable, load, concat = setmetatable, load, table.concat
        local LOADING = {}

        local base_names = {
          "assert", "error", "ipairs", "next", "pairs", "pcall", "rawequal", "rawget", "rawlen",
          "rawset", "select", "tonumber", "tostring", "type", "xpcall", "getmetatable",
          "setmetatable", "collectgarbage", "_VERSION",
        }
        local lib_names = { "string", "table", "math", "utf8", "coroutine", "os" }

        -- A library as the plugin sees it: readable and iterable, never writable. Each
        -- environment gets its own proxies, so even rawset can't reach another plugin.
        local function readonly(lib, name)
          return setmetatable({}, {
            __index = lib,
            __newindex = function(_, key)
              error("attempt to modify read-only library '" .. name .. "' (field '"
                .. tostring(key) .. "')", 2)
            end,
            __pairs = function() return next, lib, nil end,
            __metatable = false,
          })
        end

        return function(id)
          local env
          if sandboxed then
            env = {}
            for i = 1, #base_names do env[base_names[i]] = G[base_names[i]] end
            for i = 1, #lib_names do env[lib_names[i]] = readonly(G[lib_names[i]], lib_names[i]) end
          else
            env = setmetatable({}, { __index = G })
          end
          env._G = env

          env.load = function(chunk, chunkname, mode, chunkenv)
            if sandboxed and mode ~= nil and mode ~= "t" then
              return nil, "load: only text chunks can be loaded in the sandbox (mode \"t\")"
            end
            if chunkenv == nil then chunkenv = env end
            return load(chunk, chunkname, sandboxed and "t" or mode, chunkenv)
          end

          local loaded = {}
          env.require = function(name)
            if type(name) ~= "string" then
              error("bad argument #1 to 'require' (string expected, got " .. type(name) .. ")", 2)
            end
            local cached = loaded[name]
            if cached == LOADING then error("require: module '" .. name .. "' requires itself", 2) end
            if cached ~= nil then return cached end
            local source, path = host_require(id, name)
            if source == nil then
              if not sandboxed and G.require then return G.require(name) end
              error(path, 2)
            end
            local chunk, err = load(source, "@" .. path, "t", env)
            if not chunk then error(err, 0) end
            loaded[name] = LOADING
            local ok, result = G.pcall(chunk, name, path)
            if not ok then loaded[name] = nil; error(result, 0) end
            if result == nil then result = true end
            loaded[name] = result
            return result, path
          end

          env.print = function(...)
            local n = select("#", ...)
            local parts = { ... }
            for i = 1, n do parts[i] = tostring(parts[i]) end
            host_print(id, concat(parts, "\t", 1, n))
          end
          return env
        end
        """#
}
