// The `quarry` module, `doc` objects, read-only proxies and the prelude, built on the Lua stack for
// QuarryRuntime: the module's tables are laid out from the API declarations (QuarryAPI.entries).
import DocumentModel
import LuaBridge
import LuaShim

extension QuarryRuntime {
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
        try wrapReadonly(L, name: "quarry")
        return vm.reference(at: -1)
    }

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

    func installPrelude() throws {
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
