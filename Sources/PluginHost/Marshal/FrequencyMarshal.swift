// The Lua side of `doc:frequencies`: its options table read (kind, min_length, letters, exclude, top)
// and its results pushed (terms, counts, total), with the `exclude` set looked up on the Lua stack.
import DocumentModel
import LuaBridge
import LuaShim

/// The options of `doc:frequencies`.
struct FrequencyOptions {
    /// Token kinds counted, as bits of TokenKind raw values.
    var kinds: UInt32 = 1 << UInt32(TokenKind.word.rawValue)
    var minLength = 1
    var letters = false
    var top = Int.max

    static let names = ["kind", "min_length", "letters", "exclude", "top"]

    /// Reads the options table at `index` (none when nil); returns the stack index of the `exclude`
    /// table (0 when none), left on the stack for the call.
    mutating func read(_ call: LuaCall, at index: Int32) throws -> Int32 {
        let L = call.rawState
        if call.isNil(index) { return 0 }
        guard lua_type(L, index) == LUA_TTABLE else { throw call.argumentError(index, "a table of options") }
        var exclude: Int32 = 0
        lua_pushnil(L)
        while lua_next(L, index) != 0 {
            defer { lua_settop(L, -2) }
            guard lua_type(L, -2) == LUA_TSTRING, let key = call.vm.string(at: -2), FrequencyOptions.names.contains(key)
            else {
                let shown = lua_type(L, -2) == LUA_TSTRING ? "'\(call.vm.string(at: -2) ?? "")'" : "a non-string key"
                throw call.error(
                    "doc:frequencies: unknown option \(shown) (expected one of \(FrequencyOptions.names.joined(separator: ", ")))"
                )
            }
            switch key {
            case "kind":
                kinds = 0
                if lua_type(L, -1) == LUA_TSTRING {
                    kinds = try FrequencyOptions.kindBit(call.vm.string(at: -1) ?? "", call)
                } else if lua_type(L, -1) == LUA_TTABLE, lua_rawlen(L, -1) > 0 {
                    for k in 1...lua_rawlen(L, -1) {
                        defer { lua_settop(L, -2) }
                        guard lua_rawgeti(L, -1, lua_Integer(k)) == LUA_TSTRING else {
                            throw call.error("doc:frequencies: kind takes a token kind or a list of them")
                        }
                        kinds |= try FrequencyOptions.kindBit(call.vm.string(at: -1) ?? "", call)
                    }
                } else {
                    throw call.error("doc:frequencies: kind takes a token kind or a list of them")
                }
            case "min_length", "top":
                guard lua_isinteger(L, -1) != 0, lua_tointegerx(L, -1, nil) >= 0 else {
                    throw call.error("doc:frequencies: \(key) takes a whole number >= 0")
                }
                let value = Int(lua_tointegerx(L, -1, nil))
                if key == "top" { top = value } else { minLength = value }
            case "letters":
                guard lua_type(L, -1) == LUA_TBOOLEAN else {
                    throw call.error("doc:frequencies: letters takes true or false")
                }
                letters = lua_toboolean(L, -1) != 0
            default:  // exclude
                guard lua_type(L, -1) == LUA_TTABLE else {
                    throw call.error("doc:frequencies: exclude takes a set (a table whose keys are the terms left out)")
                }
                exclude = -1
            }
        }
        if exclude != 0 {
            // pushed after the walk (which needs its key on top): it stays on the stack for the call
            lua_pushstring(L, "exclude")
            lua_rawget(L, index)
            exclude = lua_gettop(L)
        }
        return exclude
    }

    static func kindBit(_ name: String, _ call: LuaCall) throws -> UInt32 {
        guard let kind = TokenKind.allCases.first(where: { $0.description == name }) else {
            let known = TokenKind.allCases.map(\.description).joined(separator: ", ")
            throw call.error("doc:frequencies: unknown token kind '\(name)' (expected one of \(known))")
        }
        return 1 << UInt32(kind.rawValue)
    }

    /// Pushes the first `top` terms not in the exclude set, their counts, and the counter's total. [-0, +3]
    static func push(
        _ call: LuaCall, _ ranked: [TermCounter.Term], of counter: TermCounter, top: Int, excludeIndex: Int32
    ) {
        let L = call.rawState
        lua_createtable(L, Int32(clamping: min(ranked.count, top)), 0)
        let terms = lua_gettop(L)
        lua_createtable(L, Int32(clamping: min(ranked.count, top)), 0)
        let counts = lua_gettop(L)
        var n: lua_Integer = 0
        counter.store.withUnsafeBufferPointer { bytes in
            for term in ranked where n < top {
                UnsafeRawPointer(bytes.baseAddress! + Int(term.start)).withMemoryRebound(
                    to: CChar.self, capacity: Int(term.length)
                ) {
                    _ = lua_pushlstring(L, $0, Int(term.length))
                }
                if excludeIndex != 0 {
                    lua_pushvalue(L, -1)
                    let excluded = lua_rawget(L, excludeIndex) != LUA_TNIL && lua_toboolean(L, -1) != 0
                    lua_settop(L, -2)
                    if excluded {
                        lua_settop(L, -2)
                        continue
                    }
                }
                n += 1
                lua_rawseti(L, terms, n)
                lua_pushinteger(L, lua_Integer(term.count))
                lua_rawseti(L, counts, n)
            }
        }
        lua_pushinteger(L, lua_Integer(counter.total))
    }
}
