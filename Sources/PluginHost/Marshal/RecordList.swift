// RecordList: the list of records `finish(records, ctx)` receives, built on the Lua stack from the
// records a run kept (JSON values, or chunks of compact JSON parsed in C by `qp_append_json_records`).
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
