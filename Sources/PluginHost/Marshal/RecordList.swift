// RecordList: the records `finish(records, ctx)` receives, built on the Lua stack from the records a run
// kept (chunks of compact JSON parsed in C by `qp_append_json_records`): a list that loads itself on
// first use (`records[i]`, `#records`, `ipairs`, `pairs`; up to a size limit), and an iterator
// (`for r in records do`) that holds one chunk at a time, so finish can read any number of records.
import DocumentModel
import LuaBridge
import LuaShim
import PluginShim

enum RecordList {
    /// Runs `push` (which leaves one list on the stack) and returns a reference to that list, with the
    /// stack as it was before, also when `push` throws.
    static func reference(in vm: LuaVM, _ push: () throws -> Void) throws -> LuaRef {
        let L = vm.rawState
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        try push()
        return vm.reference(at: -1)
    }

    /// Pushes the records as a Lua list. [-0, +1]
    static func push(_ records: [JSONValue], in vm: LuaVM) {
        JSONBridge.push(vm.rawState, .array(records))
    }

    /// What the lazy list keeps between calls.
    final class LazyState {
        var loaded = false
        var reader: (() throws -> [UInt8]?)?
        var position = 0
        var count = 0
    }

    /// Pushes the lazy record list of a source. [-0, +1]
    ///
    /// The list is empty until first used as a table (`records[i]`, `#records`, `ipairs`, `pairs`):
    /// then every record is loaded into it, which fails with a clear error past `limit` bytes of JSON.
    /// Called, it is an iterator: `for r in records do` reads one chunk at a time, in input order, and
    /// starts over after its end.
    static func pushLazy(_ source: RecordSource, of plugin: String, limit: Int, in vm: LuaVM) {
        let L = vm.rawState
        let state = LazyState()
        lua_createtable(L, 0, 0)
        lua_createtable(L, 0, 5)
        vm.pushFunction("records (iterator)") { call in
            let L = call.rawState
            while true {
                if state.position < state.count {
                    state.position += 1
                    lua_getmetatable(L, 1)
                    lua_getfield(L, -1, "chunk")
                    lua_rawgeti(L, -1, lua_Integer(state.position))
                    return 1
                }
                if state.reader == nil { state.reader = try source.open() }
                guard let chunk = try state.reader?() else {
                    state.reader = nil
                    state.count = 0
                    state.position = 0
                    lua_getmetatable(L, 1)
                    lua_pushnil(L)
                    lua_setfield(L, -2, "chunk")
                    lua_pushnil(L)
                    return 1
                }
                lua_getmetatable(L, 1)
                let meta = lua_gettop(L)
                lua_createtable(L, 0, 0)
                let list = lua_gettop(L)
                state.count = Int(try append(chunk, to: list, after: 0, of: plugin, L))
                state.position = 0
                lua_setfield(L, meta, "chunk")
                lua_settop(L, meta - 1)
            }
        }
        lua_setfield(L, -2, "__call")
        func load(_ call: LuaCall) throws {
            guard !state.loaded else { return }
            guard source.bytes <= limit else {
                throw call.error(
                    "the records of \(plugin) (\(source.bytes >> 20) MB of JSON) are too many to load as a table (limit \(limit >> 20) MB); read them one at a time with `for r in records do ... end`"
                )
            }
            state.loaded = true
            let L = call.rawState
            // The list again on top: appending works at the top of the stack, the call's arguments stay.
            lua_pushvalue(L, 1)
            let list = lua_gettop(L)
            let read = try source.open()
            var n: lua_Integer = 0
            while let chunk = try read() { n = try append(chunk, to: list, after: n, of: plugin, L) }
            lua_settop(L, list - 1)
        }
        vm.pushFunction("records[i]") { call in
            try load(call)
            lua_settop(call.rawState, 2)
            lua_rawget(call.rawState, 1)
            return 1
        }
        lua_setfield(L, -2, "__index")
        vm.pushFunction("#records") { call in
            try load(call)
            lua_pushinteger(call.rawState, lua_Integer(lua_rawlen(call.rawState, 1)))
            return 1
        }
        lua_setfield(L, -2, "__len")
        vm.pushFunction("pairs(records)") { call in
            try load(call)
            let L = call.rawState
            lua_getglobal(L, "next")
            lua_pushvalue(L, 1)
            lua_pushnil(L)
            return 3
        }
        lua_setfield(L, -2, "__pairs")
        lua_setmetatable(L, -2)
    }

    /// Appends the items of one chunk (a JSON array) to the list at `list` after item `n`; the new
    /// count. In C when it can; a chunk the C reader refuses (it never meets one the runner wrote) is
    /// read by the general JSON parser, after the items it had added are taken out. [-0, +0, e]
    static func append(_ chunk: [UInt8], to list: Int32, after n: lua_Integer, of plugin: String, _ L: OpaquePointer)
        throws -> lua_Integer
    {
        if let appended = appendFast(chunk, to: list, after: n, L) { return appended }
        var k = n + 1
        while lua_rawgeti(L, list, k) != LUA_TNIL {
            lua_settop(L, -2)
            lua_pushnil(L)
            lua_rawseti(L, list, k)
            k += 1
        }
        lua_settop(L, -2)
        guard case .array(let items) = try JSONParser.parse(bytes: chunk) else {
            throw LuaRaise("the records of \(plugin) are not a JSON array")
        }
        var count = n
        for item in items {
            JSONBridge.push(L, item)
            count += 1
            lua_rawseti(L, list, count)
        }
        return count
    }

    /// Pushes the records held in `chunks` (each a JSON array) as one Lua list. [-0, +1, e]
    ///
    /// Each chunk is parsed onto the stack in C; a chunk the C reader refuses (it never meets one the
    /// runner wrote) is read by the general JSON parser, after the items it had added are taken out.
    static func push(chunks: [[UInt8]], of plugin: String, in vm: LuaVM) throws {
        let L = vm.rawState
        lua_createtable(L, Int32(clamping: chunks.count), 0)
        let list = lua_gettop(L)
        var n: lua_Integer = 0
        for chunk in chunks {
            if let appended = appendFast(chunk, to: list, after: n, L) {
                n = appended
                continue
            }
            var k = n + 1
            while lua_rawgeti(L, list, k) != LUA_TNIL {
                lua_settop(L, list)
                lua_pushnil(L)
                lua_rawseti(L, list, k)
                k += 1
            }
            lua_settop(L, list)
            guard case .array(let items) = try JSONParser.parse(bytes: chunk) else {
                throw LuaRaise("the records of \(plugin) are not a JSON array")
            }
            for item in items {
                JSONBridge.push(L, item)
                n += 1
                lua_rawseti(L, list, n)
            }
        }
    }

    /// Appends a chunk's items to the list at `list` in C: the new count, or nil when it refused the chunk.
    static func appendFast(_ chunk: [UInt8], to list: Int32, after n: lua_Integer, _ L: OpaquePointer) -> lua_Integer? {
        chunk.withUnsafeBytes { raw -> lua_Integer? in
            lua_pushcclosure(L, qp_append_json_records, 0)
            lua_pushvalue(L, list)
            lua_pushlightuserdata(L, UnsafeMutableRawPointer(mutating: raw.baseAddress))
            lua_pushinteger(L, lua_Integer(raw.count))
            lua_pushinteger(L, n)
            defer { lua_settop(L, list) }
            return qs_pcall_host(L, 4, 1) == LUA_OK ? lua_tointegerx(L, -1, nil) : nil
        }
    }
}
