// CSVRows: the fast path of `quarry.csv.encode` — a list of keyed rows with named columns written as
// CSV straight from the Lua tables. `CSVTable.records` + `CSV.encode` is the general path; the test
// `CSVRowsTests` compares the two on generated rows.
import LuaBridge
import LuaShim

extension CSVTable {
    /// The common case written straight from the Lua tables: a list of rows keyed by name, with the
    /// columns given (strings, numbers, booleans, nil). Nil when the arguments are anything else, or
    /// a field is a table: the general path below handles those (and names what is wrong).
    static func encodeKeyedRows(_ call: LuaCall) throws -> String? {
        let L = call.rawState
        guard lua_type(L, 1) == LUA_TTABLE, lua_type(L, 2) == LUA_TTABLE, lua_checkstack(L, 8) != 0 else { return nil }
        let rowCount = Int(lua_rawlen(L, 1))
        let columnCount = Int(lua_rawlen(L, 2))
        guard rowCount > 0, columnCount > 0 else { return nil }
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        // only a plain list of rows (nothing after its last item)
        lua_pushinteger(L, lua_Integer(rowCount))
        guard lua_next(L, 1) == 0 else { return nil }
        lua_pushinteger(L, lua_Integer(columnCount))
        guard lua_next(L, 2) == 0 else { return nil }
        // the column names, kept on the stack for the lookups (a name spelling an integer goes the general way)
        let firstColumn = lua_gettop(L) + 1
        var out: [UInt8] = []
        out.reserveCapacity(rowCount * columnCount * 12)
        for c in 1...columnCount {
            guard lua_rawgeti(L, 2, lua_Integer(c)) == LUA_TSTRING else { return nil }
            var length = 0
            let name = UnsafeRawBufferPointer(start: lua_tolstring(L, -1, &length), count: length)
            if Int(String(decoding: name, as: UTF8.self)) != nil { return nil }
            if c > 1 { out.append(0x2C) }
            appendField(&out, name)
        }
        out.append(0x0A)
        for r in 1...rowCount {
            guard lua_rawgeti(L, 1, lua_Integer(r)) == LUA_TTABLE else { return nil }
            let row = lua_gettop(L)
            // keyed rows only: a list row (row[1] set) or an empty one is the general path's to write
            lua_pushnil(L)
            guard lua_next(L, row) != 0 else { return nil }
            lua_settop(L, row)
            guard lua_rawgeti(L, row, 1) == LUA_TNIL else { return nil }
            lua_settop(L, row)
            for c in 0..<columnCount {
                if c > 0 { out.append(0x2C) }
                lua_pushvalue(L, firstColumn + Int32(c))
                switch lua_rawget(L, row) {
                case LUA_TNIL: break
                case LUA_TSTRING:
                    var length = 0
                    let bytes = UnsafeRawBufferPointer(start: lua_tolstring(L, -1, &length), count: length)
                    // as text (bytes that are not UTF-8 repaired, as the general path's strings are)
                    appendField(&out, String(decoding: bytes, as: UTF8.self).utf8)
                case LUA_TNUMBER:
                    let text: String
                    if qs_isinteger(L, -1) != 0 {
                        text = String(qs_tointeger(L, -1, nil))
                    } else {
                        let d = qs_tonumber(L, -1, nil)
                        text = d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
                    }
                    out.append(contentsOf: text.utf8)
                case LUA_TBOOLEAN:
                    out.append(contentsOf: lua_toboolean(L, -1) != 0 ? Array("true".utf8) : Array("false".utf8))
                default:
                    return nil
                }
                lua_settop(L, row)
            }
            out.append(0x0A)
            lua_settop(L, row - 1)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends one field, quoted when it holds a comma, a quote or a line break (quotes doubled).
    static func appendField(_ out: inout [UInt8], _ bytes: some Collection<UInt8>) {
        guard bytes.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else {
            out.append(contentsOf: bytes)
            return
        }
        out.append(0x22)
        for b in bytes {
            out.append(b)
            if b == 0x22 { out.append(0x22) }
        }
        out.append(0x22)
    }
}
