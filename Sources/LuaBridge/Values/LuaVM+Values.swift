// Converting values between Lua's stack and Swift: pushing LuaValue, reading it back.
// Only raw, non-raising Lua calls are used here; the cap is relaxed for host-side pushes.
import LuaShim

extension LuaVM {
    /// Deepest table nesting converted in either direction.
    static let maxConversionDepth = 200

    // MARK: - Swift to Lua

    /// Pushes a value. [-0, +1]
    /// - Throws: `LuaError(.conversion)` for nesting deeper than 200 levels.
    public func push(_ value: LuaValue) throws {
        try push(value, depth: 0)
    }

    private func push(_ value: LuaValue, depth: Int) throws {
        guard depth <= LuaVM.maxConversionDepth, lua_checkstack(L, 4) != 0 else {
            throw LuaError(kind: .conversion, message: "value nested deeper than \(LuaVM.maxConversionDepth) levels")
        }
        switch value {
        case .nil: lua_pushnil(L)
        case .bool(let b): lua_pushboolean(L, b ? 1 : 0)
        case .int(let i): lua_pushinteger(L, lua_Integer(i))
        case .double(let d): lua_pushnumber(L, d)
        case .string(let s): pushString(s)
        case .bytes(let b):
            b.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { _ = lua_pushlstring(L, $0.baseAddress, $0.count) }
            }
        case .opaque(_, let description): pushString(description)
        case .array(let items):
            lua_createtable(L, Int32(clamping: items.count), 0)
            for (i, item) in items.enumerated() {
                try push(item, depth: depth + 1)
                lua_rawseti(L, -2, lua_Integer(i + 1))
            }
        case .object(let map):
            lua_createtable(L, 0, Int32(clamping: map.count))
            for key in map.keys.sorted() {
                pushString(key)
                try push(map[key]!, depth: depth + 1)
                lua_rawset(L, -3)
            }
        }
    }

    /// Pushes a Swift string (binary-safe: NULs included). [-0, +1]
    public func pushString(_ s: String) {
        var s = s
        s.withUTF8 { buffer in
            buffer.withMemoryRebound(to: CChar.self) { _ = lua_pushlstring(L, $0.baseAddress, $0.count) }
        }
    }

    // MARK: - Lua to Swift

    /// The string at `index`, or nil when the value there is not a string (numbers are not
    /// converted). Invalid UTF-8 is repaired.
    public func string(at index: Int32) -> String? {
        lua_type(L, index) == LUA_TSTRING ? stringAt(index) : nil
    }

    /// The string at `index`, which must be a string (not checked). Invalid UTF-8 is repaired.
    func stringAt(_ index: Int32) -> String {
        var length = 0
        guard let chars = qs_tostringx(L, index, &length) else { return "" }
        return chars.withMemoryRebound(to: UInt8.self, capacity: length) {
            String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
        }
    }

    /// Converts the value at `index` to Swift.
    ///
    /// - Parameter lenient: describe functions, userdata and threads as `.opaque` (running
    ///   `__tostring` where there is one) instead of throwing.
    /// - Throws: `LuaError(.conversion)` for a cycle, too deep nesting, a key that is neither a
    ///   string nor an integer, or (strict) a value with no JSON-like form.
    public func value(at index: Int32, lenient: Bool = false) throws -> LuaValue {
        var visiting = Set<UnsafeRawPointer>()
        return try value(at: lua_absindex(L, index), lenient: lenient, depth: 0, visiting: &visiting)
    }

    private func value(
        at index: Int32, lenient: Bool, depth: Int, visiting: inout Set<UnsafeRawPointer>
    ) throws -> LuaValue {
        switch lua_type(L, index) {
        case LUA_TNIL, LUA_TNONE: return .nil
        case LUA_TBOOLEAN: return .bool(lua_toboolean(L, index) != 0)
        case LUA_TNUMBER:
            if qs_isinteger(L, index) != 0 { return .int(Int64(qs_tointeger(L, index, nil))) }
            return .double(qs_tonumber(L, index, nil))
        case LUA_TSTRING:
            var length = 0
            let chars = qs_tostringx(L, index, &length)!
            let bytes = UnsafeRawBufferPointer(start: chars, count: length)
            if let s = String(validating: bytes.bindMemory(to: UInt8.self), as: UTF8.self) { return .string(s) }
            return .bytes(Array(bytes))
        case LUA_TTABLE:
            return try tableValue(at: index, lenient: lenient, depth: depth, visiting: &visiting)
        default:
            let typeName = String(cString: qs_typename(L, index))
            guard lenient else {
                throw LuaError(kind: .conversion, message: "cannot convert a \(typeName) value to data")
            }
            var description = typeName
            if qs_tostring(L, index) == LUA_OK, lua_type(L, -1) == LUA_TSTRING {
                description = stringAt(-1)
            }
            lua_settop(L, -2)
            return .opaque(type: typeName, description: description)
        }
    }

    private func tableValue(
        at index: Int32, lenient: Bool, depth: Int, visiting: inout Set<UnsafeRawPointer>
    ) throws -> LuaValue {
        guard depth < LuaVM.maxConversionDepth, lua_checkstack(L, 4) != 0 else {
            throw LuaError(kind: .conversion, message: "table nested deeper than \(LuaVM.maxConversionDepth) levels")
        }
        let identity = lua_topointer(L, index)!
        guard visiting.insert(identity).inserted else {
            throw LuaError(kind: .conversion, message: "cannot convert a table that contains itself (cycle detected)")
        }
        defer { visiting.remove(identity) }
        var positional: [(Int64, LuaValue)] = []
        var named: [String: LuaValue] = [:]
        let top = lua_gettop(L)
        lua_pushnil(L)
        while lua_next(L, index) != 0 {
            let item = try value(at: lua_gettop(L), lenient: lenient, depth: depth + 1, visiting: &visiting)
            switch lua_type(L, -2) {
            case LUA_TSTRING:
                named[stringAt(-2)] = item
            case LUA_TNUMBER where qs_isinteger(L, -2) != 0:
                positional.append((Int64(qs_tointeger(L, -2, nil)), item))
            default:
                let keyType = String(cString: qs_typename(L, -2))
                lua_settop(L, top)
                throw LuaError(kind: .conversion, message: "cannot convert a table with a \(keyType) key to data")
            }
            lua_settop(L, -2)
        }
        if named.isEmpty {
            positional.sort { $0.0 < $1.0 }
            if positional.enumerated().allSatisfy({ $0.offset + 1 == Int($0.element.0) }) {
                return .array(positional.map(\.1))
            }
        }
        for (key, item) in positional { named[String(key)] = item }
        return .object(named)
    }
}
