// QuarryRuntime: the Lua API installed in one VM — the `quarry` module per plugin, the `doc`
// object, spans and views. One runtime per VM, on the VM's thread.
import DocumentModel
import Foundation
import LuaBridge
import LuaShim
import PluginShim
import TextAnalysis

/// The Lua API of one VM.
public final class QuarryRuntime {
    public let vm: LuaVM
    /// Where `quarry.log` lines go: the plugin, the level, the message.
    public var logHandler: (_ plugin: String, _ level: LogLevel, _ message: String) -> Void = { plugin, level, message in
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

    /// Installs the API's types in the VM.
    public init(vm: LuaVM) throws {
        self.vm = vm
        try installPrelude()
        registerDocumentType()
        registerPhraseSetType()
        try installSpanAndViewMetatables()
    }

    // MARK: - Modules

    /// Builds the `quarry` module for one plugin or script.
    public func makeModule(for plugin: PluginScope) throws -> LuaRef {
        let L = vm.rawState
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        lua_createtable(L, 0, 16)
        let root = lua_gettop(L)
        for entry in QuarryAPI.entries where entry.name.hasPrefix("quarry.") {
            let path = entry.name.split(separator: ".").map(String.init)
            // Walk (and create) the sub-tables: quarry.text.lower → root["text"]["lower"]
            lua_pushvalue(L, root)
            for part in path.dropFirst().dropLast() {
                vm.pushString(part)
                if lua_rawget(L, -2) != LUA_TTABLE {
                    lua_settop(L, -2)
                    lua_createtable(L, 0, 8)
                    vm.pushString(part)
                    lua_pushvalue(L, -2)
                    lua_rawset(L, -4)
                }
                lua_rotate(L, -2, -1)
                lua_settop(L, -2)
            }
            vm.pushString(path.last!)
            switch entry.kind {
            case .function:
                guard let body = entry.body else { fatalError("API function \(entry.name) has no body") }
                pushAPIFunction(entry.name, body, plugin)
            case .value:
                try vm.push(moduleValue(entry.name))
            case .method, .field:
                lua_settop(L, -3)
                continue
            }
            lua_rawset(L, -3)
            lua_settop(L, -2)
        }
        lua_settop(L, root)
        return vm.reference(at: root)
    }

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

    // MARK: - Documents

    /// A reference to a document object for Lua (bind it as `doc`).
    public func makeDocument(_ box: DocumentHandle) throws -> LuaRef {
        let L = vm.rawState
        try vm.pushObject(box)
        defer { lua_settop(L, -2) }
        return vm.reference(at: -1)
    }

    /// Wraps the table on top of the stack in a read-only proxy. [-1, +1]
    func wrapReadonly(_ L: OpaquePointer, name: String) throws {
        try vm.push(readonlyFunction)
        lua_rotate(L, -2, 1)
        vm.pushString(name)
        let status = qs_pcall_host(L, 2, 1)
        if status != LUA_OK { throw LuaRaise("could not make a read-only table") }
    }

    // MARK: - Set-up

    static let prelude = #"""
        local next, setmetatable, error, tostring, rawlen = next, setmetatable, error, tostring, rawlen
        local function readonly(t, name)
          return setmetatable({}, {
            __index = t,
            __newindex = function(_, k)
              error(name .. " is read-only (cannot set '" .. tostring(k) .. "')", 2)
            end,
            __pairs = function() return next, t, nil end,
            __len = function() return rawlen(t) end,
            __metatable = false,
          })
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

    private func installPrelude() throws {
        let L = vm.rawState
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        let chunk = try vm.load(QuarryRuntime.prelude, chunkName: "=[quarry prelude]")
        try vm.push(chunk)
        guard qs_pcall_host(L, 0, 2) == LUA_OK else { throw LuaError(kind: .runtime, message: "quarry prelude failed") }
        readonlyFunction = vm.reference(at: -2)
        iterateFunction = vm.reference(at: -1)
    }
}
