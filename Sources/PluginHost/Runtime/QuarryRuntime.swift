// QuarryRuntime: the Lua API installed in one VM — the `quarry` module per plugin, the `doc`
// object, spans and views. One runtime per VM, on the VM's thread.
import DocumentModel
import Foundation
import LuaBridge
import TextAnalysis

/// The Lua API of one VM.
public final class QuarryRuntime {
    public let vm: LuaVM
    /// Where `quarry.log` lines go: the plugin, the level, the message.
    public var logHandler: (_ plugin: String, _ level: LogLevel, _ message: String) -> Void = {
        plugin, level, message in
        FileHandle.standardError.write(Data("[\(level.rawValue)] \(plugin): \(message)\n".utf8))
    }
    /// The plugin whose code is running: the default layer of new annotations.
    public var currentPlugin = "script"
    /// What `quarry.documents()` iterates (set by `quarry script`); nil elsewhere.
    public var documentSource: (() throws -> Document?)?

    var spanMetatable: LuaRef!
    var viewMetatable: LuaRef!
    var readonlyFunction: LuaRef!
    var iterateFunction: LuaRef!
    /// Compiled `doc:find` patterns, found through `regexIndex`.
    var regexList: [UnicodeRegex] = []
    /// A Lua table: flags (a string, "" for none) -> {pattern string -> index in `regexList` (0-based)}.
    /// Looked up with the caller's own strings as keys: Lua keeps a long string's hash in the string, so
    /// finding a 2 KB pattern costs a pointer comparison, not a hash of its bytes at every call.
    var regexIndex: LuaRef?
    /// Parsed `quarry.template` templates and their partials.
    let templateCache = TemplateCache()

    /// Installs the API's types in the VM.
    public init(vm: LuaVM) throws {
        self.vm = vm
        try installPrelude()
        registerDocumentType()
        registerPhraseSetType()
        try installSpanAndViewMetatables()
    }

    // MARK: - Modules

    /// Makes `quarry` (and `doc`, when given) globals of an environment.
    public func install(in environment: LuaEnvironment, plugin: PluginScope) throws {
        try environment.set("quarry", try makeModule(for: plugin))
    }

    func moduleValue(_ name: String) -> LuaValue {
        switch name {
        case "quarry.version": .string(QuarryAPI.quarryVersion)
        case "quarry.api_version": .string(QuarryAPI.apiVersion)
        default: .nil
        }
    }

    func pushAPIFunction(_ name: String, _ body: @escaping APIBody, _ plugin: PluginScope) {
        vm.pushFunction(name) { [unowned self] call in
            try body(self, plugin, call)
        }
    }

    // MARK: - Set-up

    static let prelude = #"""
        local next, setmetatable, error, tostring, rawlen, type = next, setmetatable, error, tostring, rawlen, type
        local proxies = setmetatable({}, {__mode = "k"})
        -- A read-only view of t, all the way down: nested tables are read-only views too (made once, here),
        -- and rawset refuses the views (`__readonly`, seen by the sandbox's rawset).
        local function readonly(t, name)
          local view = {}
          for k, v in next, t do
            if type(v) == "table" and not proxies[v] then v = readonly(v, name .. "." .. tostring(k)) end
            view[k] = v
          end
          local proxy = setmetatable({}, {
            __index = view,
            __newindex = function(_, k)
              error(name .. " is read-only (cannot set '" .. tostring(k) .. "')", 2)
            end,
            __pairs = function() return next, view, nil end,
            __len = function() return rawlen(view) end,
            __metatable = false,
            __readonly = true,
          })
          proxies[proxy] = true
          return proxy
        end
        local function iterate(list)
          local i = 0
          return function()
            i = i + 1
            return list[i]
          end
        end
        return readonly, iterate
        """#
}
