// The sandbox's Lua side: builds one global environment per plugin from the real globals,
// with read-only library tables, a text-only `load`, a confined `require` and a host `print`.

enum LuaSandbox {
    /// Runs once per VM with the real globals; returns the environment factory `new_env(id)`.
    /// Arguments: whether the VM is sandboxed, the host's module resolver, the host's print and the maker of
    /// the environments' `print` (C functions, as Lua's own).
    static let bootstrap = #"""
        local sandboxed, host_require, host_print, make_print = ...
        local G = _G
        local type, error, tostring, select, next = type, error, tostring, select, next
        local setmetatable, load, byte = setmetatable, load, string.byte
        local BINARY = "attempt to load a binary chunk (the sandbox loads text chunks only)"
        local LOADING = {}

        local base_names = {
          "assert", "error", "ipairs", "next", "pairs", "pcall", "rawequal", "rawget", "rawlen",
          "rawset", "select", "tonumber", "tostring", "type", "xpcall", "getmetatable",
          "setmetatable", "collectgarbage", "_VERSION",
        }
        local lib_names = { "string", "table", "math", "utf8", "coroutine", "os" }
        -- the standard libraries the sandbox leaves out: `require` says so instead of searching files
        local withheld = { io = true, debug = true, package = true }

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
            __readonly = true,
          })
        end

        return function(id)
          local env, libs
          if sandboxed then
            env, libs = {}, {}
            for i = 1, #base_names do env[base_names[i]] = G[base_names[i]] end
            for i = 1, #lib_names do
              libs[lib_names[i]] = readonly(G[lib_names[i]], lib_names[i])
              env[lib_names[i]] = libs[lib_names[i]]
            end
          else
            -- every global of Lua's own, as fields of a table of the environment's own (pairs(_G) sees them,
            -- and a script that sets a metatable on _G changes nothing for another)
            env = {}
            for key, value in next, G do env[key] = value end
            libs = G.package and G.package.loaded or {}
          end
          env._G = env

          -- Lua's load, modes included (a text chunk under mode "b" fails as in Lua); in the sandbox a
          -- binary chunk is refused whatever the mode, told by its first byte as Lua tells it.
          env.load = function(chunk, chunkname, mode, ...)
            local chunkenv = env
            if select("#", ...) > 0 then chunkenv = ... end  -- an explicit nil too, as in Lua
            if sandboxed then
              if type(chunk) == "string" then
                if byte(chunk, 1) == 27 then return nil, BINARY end
              elseif type(chunk) == "function" then
                local reader, first = chunk, true
                chunk = function()
                  local piece = reader()
                  if first and piece ~= nil and piece ~= "" then
                    first = false
                    if type(piece) == "string" and byte(piece, 1) == 27 then error(BINARY, 0) end
                  end
                  return piece
                end
              end
            end
            return load(chunk, chunkname, mode, chunkenv)
          end

          local loaded = {}
          env.require = function(name)
            if type(name) ~= "string" then
              error("bad argument #1 to 'require' (string expected, got " .. type(name) .. ")", 2)
            end
            local cached = loaded[name]
            if cached == LOADING then error("require: module '" .. name .. "' requires itself", 2) end
            if cached ~= nil then return cached end
            -- a standard library is already loaded, as in Lua: this environment's own copy
            if name == "_G" then return env end
            local lib = libs[name]
            if lib ~= nil then return lib end
            if sandboxed and withheld[name] then
              error("require: module '" .. name .. "' is not available in the sandbox (it is, with --unsafe)", 2)
            end
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

          env.print = make_print(host_print, id)  -- a C function, as Lua's own print
          return env
        end
        """#
}
