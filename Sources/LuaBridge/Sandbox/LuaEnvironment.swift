// LuaEnvironment: a global environment of its own for each plugin or script, with its own
// `load`, `require` and `print`; in the sandbox it sees only the safe libraries, read-only.
import Foundation
import LuaShim

/// A global environment (`_ENV`) of its own, so plugins can't see or clobber each other's globals.
public final class LuaEnvironment {
    struct Info {
        let name: String
        let requireRoots: [String]
    }

    let table: LuaRef
    /// The name `print` and errors use for this environment (a plugin's name).
    public let name: String
    let id: Int

    init(table: LuaRef, name: String, id: Int) {
        self.table = table
        self.name = name
        self.id = id
    }

    func push() throws { try table.push() }

    /// Sets a global in this environment.
    public func set(_ key: String, _ value: LuaValue) throws {
        guard let vm = table.vm else { throw LuaError(kind: .runtime, message: "the Lua VM was closed") }
        try push()
        vm.pushString(key)
        try vm.push(value)
        lua_rawset(vm.L, -3)
        lua_settop(vm.L, -2)
    }

    /// Sets a global in this environment to a referenced Lua value (a module table, a function).
    public func set(_ key: String, _ ref: LuaRef) throws {
        guard let vm = table.vm else { throw LuaError(kind: .runtime, message: "the Lua VM was closed") }
        try push()
        vm.pushString(key)
        try ref.push()
        lua_rawset(vm.L, -3)
        lua_settop(vm.L, -2)
    }

    /// Makes a Swift function a global of this environment.
    public func register(_ key: String, _ body: @escaping LuaFunction) throws {
        guard let vm = table.vm else { throw LuaError(kind: .runtime, message: "the Lua VM was closed") }
        try push()
        vm.pushString(key)
        vm.pushFunction(key, body)
        lua_rawset(vm.L, -3)
        lua_settop(vm.L, -2)
    }

    /// Reads a global of this environment (raw).
    public func get(_ key: String) throws -> LuaValue {
        guard let vm = table.vm else { throw LuaError(kind: .runtime, message: "the Lua VM was closed") }
        try push()
        vm.pushString(key)
        lua_rawget(vm.L, -2)
        defer { lua_settop(vm.L, -3) }
        return try vm.value(at: -1, lenient: true)
    }

    /// A reference to a global of this environment (a function the plugin defined, say), or nil.
    public func reference(_ key: String) throws -> LuaRef? {
        guard let vm = table.vm else { throw LuaError(kind: .runtime, message: "the Lua VM was closed") }
        try push()
        vm.pushString(key)
        lua_rawget(vm.L, -2)
        defer { lua_settop(vm.L, -3) }
        return lua_type(vm.L, -1) == LUA_TNIL ? nil : LuaRef(vm: vm, index: -1)
    }
}

extension LuaVM {
    /// Creates a fresh global environment.
    ///
    /// - Parameters:
    ///   - name: the environment's name (a plugin's name), passed to `printHandler`.
    ///   - requireRoots: folders `require` may load `.lua` modules from, in order.
    public func makeEnvironment(name: String, requireRoots: [String] = []) throws -> LuaEnvironment {
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        let id = nextEnvironmentID
        nextEnvironmentID += 1
        environments[id] = LuaEnvironment.Info(name: name, requireRoots: requireRoots)
        lua_rawgeti(L, qs_registryindex(), lua_Integer(newEnvironmentRef))
        lua_pushinteger(L, lua_Integer(id))
        let status = protectedCall(nargs: 1, nresults: 1, limits: nil)
        if status != LUA_OK { throw popError(status: status, source: nil) }
        return LuaEnvironment(table: LuaRef(vm: self, index: -1), name: name, id: id)
    }

    /// Runs the sandbox bootstrap: builds the environment factory from the real globals.
    func installSandboxBootstrap() throws {
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        try pushLoaded(Array(LuaSandbox.bootstrap.utf8), chunkName: "=[quarry sandbox]", environment: nil)
        lua_pushboolean(L, configuration.sandboxed ? 1 : 0)
        pushFunction("require") { call in
            try call.vm.resolveModule(call)
        }
        pushFunction("print") { call in
            let id = try call.integer(1)
            if let bytesHandler = call.vm.printBytesHandler {
                bytesHandler(call.vm.environments[id]?.name, try call.bytes(2))
            } else {
                call.vm.printHandler(call.vm.environments[id]?.name, try call.string(2))
            }
            return 0
        }
        qs_push_print_maker(L)
        let status = qs_pcall_host(L, 4, 1)
        if status != LUA_OK { throw popError(status: status, source: nil) }
        newEnvironmentRef = luaL_ref(L, qs_registryindex())
    }

    /// `require(name)` for environment `id`: finds `name.lua` or `name/init.lua` under the
    /// environment's roots and returns its source and path.
    func resolveModule(_ call: LuaCall) throws -> Int32 {
        let id = try call.integer(1)
        let module = try call.string(2)
        let roots = environments[id]?.requireRoots ?? []
        let parts = module.split(separator: ".", omittingEmptySubsequences: false)
        let valid =
            !parts.isEmpty
            && parts.allSatisfy { part in
                !part.isEmpty
                    && part.utf8.allSatisfy { c in
                        (c >= 48 && c <= 57) || ((c | 0x20) >= 97 && (c | 0x20) <= 122) || c == 95 || c == 45
                    }
            }
        guard valid else {
            call.pushNil()
            call.push("require: invalid module name '\(module)' (use letters, digits, '_', '-' and dots)")
            return 2
        }
        let relative = parts.joined(separator: "/")
        var tried: [String] = []
        for root in roots {
            let rootURL = URL(fileURLWithPath: root).standardizedFileURL.resolvingSymlinksInPath()
            for candidate in ["\(relative).lua", "\(relative)/init.lua"] {
                let url = rootURL.appendingPathComponent(candidate)
                tried.append(url.path)
                let resolved = url.resolvingSymlinksInPath()
                guard FileManager.default.fileExists(atPath: resolved.path) else { continue }
                guard resolved.path.hasPrefix(rootURL.path + "/") else {
                    call.pushNil()
                    call.push("require: module '\(module)' resolves outside its folder (\(resolved.path))")
                    return 2
                }
                guard let data = FileManager.default.contents(atPath: resolved.path) else {
                    call.pushNil()
                    call.push("require: cannot read '\(resolved.path)'")
                    return 2
                }
                try call.push(.bytes(Array(data)))  // a module is bytes, as Lua reads it
                call.push(url.path)
                return 2
            }
        }
        let list = tried.map { "\n\tno file '\($0)'" }.joined()
        call.pushNil()
        call.push("module '\(module)' not found:" + (list.isEmpty ? "\n\tno folders to load modules from" : list))
        return 2
    }
}
