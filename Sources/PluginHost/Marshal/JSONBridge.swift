// Converting between the bridge's LuaValue and the model's JSONValue: features, scores and
// annotation features are JSON-like, and anything else is refused with a clear message.
#if canImport(Glibc)
    import Glibc
#endif
import DocumentModel
import LuaBridge
import LuaShim

enum JSONBridge {
    /// A value that is not JSON-like, with the path to it (`features.f`).
    struct Failure: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }

    /// LuaValue → JSONValue; throws a message naming what could not be converted.
    static func json(_ value: LuaValue, path: String = "value") throws -> JSONValue {
        switch value {
        case .nil: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(Int(i))
        case .double(let d):
            guard d.isFinite else { throw JSONBridge.Failure("\(path) is \(d), which JSON cannot hold") }
            return .double(d)
        case .string(let s): return .string(s)
        case .bytes(let b): return .string(String(decoding: b, as: UTF8.self))
        case .array(let items):
            return .array(try items.enumerated().map { try json($0.element, path: "\(path)[\($0.offset + 1)]") })
        case .object(let map):
            var object = JSONObject()
            for key in map.keys.sorted() { object[key] = try json(map[key]!, path: "\(path).\(key)") }
            return .object(object)
        case .opaque(let type, _):
            throw JSONBridge.Failure(
                "\(path) is a \(type), which is not JSON-like data (use strings, numbers, booleans and tables)")
        }
    }

    /// JSONValue → LuaValue (object key order is kept by LuaValue's sorted rendering).
    static func lua(_ value: JSONValue) -> LuaValue {
        switch value {
        case .null: return .nil
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(Int64(i))
        case .double(let d): return .double(d)
        case .string(let s): return .string(s)
        case .array(let items): return .array(items.map(lua))
        case .object(let object):
            var map: [String: LuaValue] = [:]
            for (key, item) in zip(object.keys, object.values) { map[key] = lua(item) }
            return .object(map)
        }
    }

    static func object(_ value: LuaValue, path: String) throws -> JSONObject {
        switch try json(value, path: path) {
        case .object(let object): return object
        case .array(let items) where items.isEmpty: return JSONObject()
        case .null: return JSONObject()
        default: throw JSONBridge.Failure("\(path) must be a table of named values")
        }
    }
}

extension LuaCall {
    /// Runs a JSON conversion, turning its failure into an error naming this function.
    func json<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let failure as JSONBridge.Failure {
            throw error(failure.message)
        }
    }
}

// MARK: - Straight between the Lua stack and JSON

extension JSONBridge {
    /// Reads the value at `index` straight into JSON: raw access (no metamethods), tables with
    /// keys 1...n become arrays, other tables objects with sorted keys.
    /// - Throws: `Failure` naming the path of what is not JSON-like (a function, a cycle...).
    static func read(_ L: OpaquePointer, _ index: Int32, path: String) throws -> JSONValue {
        // The tables being read (for the cycle check) live in a stack buffer: no allocation per call.
        try withUnsafeTemporaryAllocation(of: UnsafeRawPointer.self, capacity: Reader.maxDepth + 1) { visiting in
            var reader = Reader(L: L, visiting: visiting.baseAddress!)
            do {
                return try reader.read(lua_absindex(L, index), depth: 0)
            } catch let failure as Reader.PathFailure {
                throw Failure(failure.message(root: path))
            }
        }
    }

    private static func string(_ L: OpaquePointer, _ index: Int32) -> String {
        var length = 0
        guard let chars = qs_tostringx(L, index, &length) else { return "" }
        return chars.withMemoryRebound(to: UInt8.self, capacity: length) {
            String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
        }
    }

    /// Sorts parallel key and value lists by key: in place for the few keys of a usual record, through
    /// a sorted list of pairs for many.
    static func sortByKey(_ keys: inout [String], _ values: inout [JSONValue]) {
        let n = keys.count
        guard n > 1 else { return }
        if n <= 24 {
            // insertion sort over both buffers at once (no uniqueness check per element)
            keys.withUnsafeMutableBufferPointer { k in
                values.withUnsafeMutableBufferPointer { v in
                    for i in 1..<n where k[i] < k[i - 1] {
                        let key = k[i], value = v[i]
                        var j = i
                        while j > 0 && key < k[j - 1] {
                            k[j] = k[j - 1]
                            v[j] = v[j - 1]
                            j -= 1
                        }
                        k[j] = key
                        v[j] = value
                    }
                }
            }
            return
        }
        let pairs = zip(keys, values).sorted { $0.0 < $1.0 }
        keys = pairs.map(\.0)
        values = pairs.map(\.1)
    }

    /// One read, with the tables it is inside (a cycle is an error). Where a failure is, is spelled out
    /// only when there is one: each level adds its key while the failure goes up.
    private struct Reader {
        static let maxDepth = 200

        struct PathFailure: Error {
            enum Step { case key(String), index(Int) }
            /// What went wrong, after the path: "is a function, which...".
            var problem: String
            /// The keys from the failing value up to the root.
            var steps: [Step] = []

            func message(root: String) -> String {
                let path = steps.reversed().reduce(into: root) { path, step in
                    switch step {
                    case .key(let key): path += ".\(key)"
                    case .index(let index): path += "[\(index)]"
                    }
                }
                return "\(path) \(problem)"
            }
        }

        let L: OpaquePointer
        let visiting: UnsafeMutablePointer<UnsafeRawPointer>

        mutating func read(_ index: Int32, depth: Int) throws -> JSONValue {
            switch lua_type(L, index) {
            case LUA_TNIL, LUA_TNONE: return .null
            case LUA_TBOOLEAN: return .bool(lua_toboolean(L, index) != 0)
            case LUA_TNUMBER:
                if qs_isinteger(L, index) != 0 { return .int(Int(qs_tointeger(L, index, nil))) }
                let d = qs_tonumber(L, index, nil)
                guard d.isFinite else { throw PathFailure(problem: "is \(d), which JSON cannot hold") }
                return .double(d)
            case LUA_TSTRING: return .string(JSONBridge.string(L, index))
            case LUA_TTABLE:
                if JSONBridge.pushReadonlyView(L, index) {
                    defer { lua_settop(L, -2) }
                    return try read(lua_gettop(L), depth: depth)
                }
                guard depth < Reader.maxDepth, lua_checkstack(L, 4) != 0 else {
                    throw PathFailure(problem: "is nested deeper than \(Reader.maxDepth) levels")
                }
                let identity = lua_topointer(L, index)!
                for k in 0..<depth where visiting[k] == identity {
                    throw PathFailure(problem: "contains itself (a cycle)")
                }
                visiting[depth] = identity
                var positional: [(Int, JSONValue)] = []
                var keys: [String] = []
                var values: [JSONValue] = []
                lua_pushnil(L)
                while lua_next(L, index) != 0 {
                    let keyType = lua_type(L, -2)
                    if keyType == LUA_TSTRING {
                        let key = JSONBridge.string(L, -2)
                        if keys.isEmpty {
                            keys.reserveCapacity(8)
                            values.reserveCapacity(8)
                        }
                        do {
                            values.append(try read(lua_gettop(L), depth: depth + 1))
                        } catch var failure as PathFailure {
                            failure.steps.append(.key(key))
                            throw failure
                        }
                        keys.append(key)
                    } else if keyType == LUA_TNUMBER, qs_isinteger(L, -2) != 0 {
                        let key = Int(qs_tointeger(L, -2, nil))
                        do {
                            positional.append((key, try read(lua_gettop(L), depth: depth + 1)))
                        } catch var failure as PathFailure {
                            failure.steps.append(.index(key))
                            throw failure
                        }
                    } else {
                        let name = String(cString: qs_typename(L, -2))
                        lua_settop(L, -3)
                        throw PathFailure(problem: "has a \(name) key; JSON-like tables have string keys or are lists")
                    }
                    lua_settop(L, -2)
                }
                if keys.isEmpty {
                    // lua_next gives a list's items in order (they live in the array part): sorted only if not
                    func isList() -> Bool { positional.enumerated().allSatisfy { $0.offset + 1 == $0.element.0 } }
                    if isList() { return .array(positional.map(\.1)) }
                    positional.sort { $0.0 < $1.0 }
                    if isList() { return .array(positional.map(\.1)) }
                }
                for (key, value) in positional {
                    keys.append(String(key))
                    values.append(value)
                }
                JSONBridge.sortByKey(&keys, &values)
                // Keys of a Lua table are unique, but for an integer key and its string spelling.
                if zip(keys, keys.dropFirst()).contains(where: { $0 == $1 }) {
                    var object = JSONObject()
                    for (key, value) in zip(keys, values) { object[key] = value }
                    return .object(object)
                }
                return .object(JSONObject(distinctKeys: keys, values: values))
            default:
                let name = String(cString: qs_typename(L, index))
                throw PathFailure(
                    problem: "is a \(name), which is not JSON-like data (use strings, numbers, booleans and tables)")
            }
        }
    }

    /// Writes the Lua value at `index` as JSON: the same bytes as `JSONWriter.value` of what `read`
    /// gives, without making the values first (the path of every `ctx:emit`). It takes the usual shapes:
    /// booleans, integers, finite numbers, strings, lists (keys 1...n) and tables with ASCII string keys,
    /// nested up to 100 levels. For anything else (a function, mixed or non-ASCII keys, NaN, a cycle) it
    /// returns false, having written part of the value, and the caller takes the general path.
    static func write(_ L: OpaquePointer, _ index: Int32, into w: inout JSONWriter) -> Bool {
        let absolute = lua_absindex(L, index)
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        return writeValue(L, absolute, depth: 0, into: &w)
    }

    private static func writeValue(_ L: OpaquePointer, _ i: Int32, depth: Int, into w: inout JSONWriter) -> Bool {
        switch lua_type(L, i) {
        case LUA_TBOOLEAN:
            if lua_toboolean(L, i) != 0 { w.raw("true") } else { w.raw("false") }
            return true
        case LUA_TNUMBER:
            if qs_isinteger(L, i) != 0 {
                w.int(Int(qs_tointeger(L, i, nil)))
                return true
            }
            let d = qs_tonumber(L, i, nil)
            guard d.isFinite else { return false }
            w.double(d)
            return true
        case LUA_TSTRING:
            var length = 0
            guard let chars = qs_tostringx(L, i, &length) else { return false }
            let bytes = UnsafeBufferPointer(
                start: UnsafeRawPointer(chars).assumingMemoryBound(to: UInt8.self), count: length)
            if UTF8Validation.check(bytes).valid {
                w.string(utf8: bytes)
            } else {
                w.string(String(decoding: bytes, as: UTF8.self))  // repaired, as the general path reads it
            }
            return true
        case LUA_TTABLE:
            if pushReadonlyView(L, i) {
                let ok = writeTable(L, lua_gettop(L), depth: depth, into: &w)
                lua_settop(L, -2)
                return ok
            }
            return writeTable(L, i, depth: depth, into: &w)
        default:
            return false
        }
    }

    private static func writeTable(_ L: OpaquePointer, _ t: Int32, depth: Int, into w: inout JSONWriter) -> Bool {
        guard depth < 100, lua_checkstack(L, 4) != 0 else { return false }
        let base = lua_gettop(L)
        defer { lua_settop(L, base) }
        // The pairs stay on the stack (key, value, key, value...) while they are sorted and written.
        var count = 0
        var integerKeys = 0
        lua_pushnil(L)
        while lua_next(L, t) != 0 {
            let keyType = lua_type(L, -2)
            if keyType == LUA_TNUMBER && qs_isinteger(L, -2) != 0 {
                integerKeys += 1
            } else if keyType != LUA_TSTRING {
                return false
            }
            count += 1
            guard lua_checkstack(L, 4) != 0 else { return false }
            lua_pushvalue(L, -2)  // the key again, for lua_next; the pair stays below it
        }
        if count == 0 {
            w.raw("[]")
            return true
        }
        if integerKeys == count {
            // a list only when its keys are exactly 1...n (n distinct integer keys in 1...n)
            for p in 0..<count {
                let k = qs_tointeger(L, base + 1 + Int32(2 * p), nil)
                if k < 1 || k > count { return false }
            }
            w.byte(0x5B)
            for k in 1...count {
                if k > 1 { w.byte(0x2C) }
                lua_rawgeti(L, t, lua_Integer(k))
                let ok = writeValue(L, lua_gettop(L), depth: depth + 1, into: &w)
                lua_settop(L, -2)
                if !ok { return false }
            }
            w.byte(0x5D)
            return true
        }
        guard integerKeys == 0 else { return false }
        // an object: keys in the order of their bytes (the order of Swift strings for ASCII keys)
        var keys: [(bytes: UnsafeBufferPointer<UInt8>, value: Int32)] = []
        keys.reserveCapacity(count)
        for p in 0..<count {
            let keyIndex = base + 1 + Int32(2 * p)
            var length = 0
            guard let chars = qs_tostringx(L, keyIndex, &length) else { return false }
            let bytes = UnsafeBufferPointer(
                start: UnsafeRawPointer(chars).assumingMemoryBound(to: UInt8.self), count: length)
            guard !bytes.contains(where: { $0 >= 0x80 }) else { return false }
            keys.append((bytes, keyIndex + 1))
        }
        keys.sort { a, b in
            let c = memcmp(a.bytes.baseAddress!, b.bytes.baseAddress!, min(a.bytes.count, b.bytes.count))
            return c != 0 ? c < 0 : a.bytes.count < b.bytes.count
        }
        w.byte(0x7B)
        for (n, key) in keys.enumerated() {
            if n > 0 { w.byte(0x2C) }
            w.string(utf8: key.bytes)
            w.byte(0x3A)
            if !writeValue(L, key.value, depth: depth + 1, into: &w) { return false }
        }
        w.byte(0x7D)
        return true
    }

    /// When the table at `index` is a read-only view (`ctx.options`, `doc.meta`, the libraries: its real
    /// metatable has `__readonly`), pushes the table it reads from and answers true, so that JSON sees
    /// the values and not the view's empty raw table. [-0, +(0|1)]
    static func pushReadonlyView(_ L: OpaquePointer, _ index: Int32) -> Bool {
        let index = lua_absindex(L, index)
        guard lua_checkstack(L, 3) != 0, lua_getmetatable(L, index) != 0 else { return false }
        let marked = lua_getfield(L, -1, "__readonly") == LUA_TBOOLEAN && lua_toboolean(L, -1) != 0
        lua_settop(L, -2)
        if marked && lua_getfield(L, -1, "__index") == LUA_TTABLE {
            lua_rotate(L, -2, 1)
            lua_settop(L, -2)
            return true
        }
        lua_settop(L, marked ? -3 : -2)
        return false
    }

    /// Pushes JSON straight onto the Lua stack (null becomes nil). [-0, +1]
    static func push(_ L: OpaquePointer, _ value: JSONValue) {
        guard lua_checkstack(L, 3) != 0 else {
            lua_pushnil(L)
            return
        }
        switch value {
        case .null: lua_pushnil(L)
        case .bool(let b): lua_pushboolean(L, b ? 1 : 0)
        case .int(let i): lua_pushinteger(L, lua_Integer(i))
        case .double(let d): lua_pushnumber(L, d)
        case .string(let s): pushString(L, s)
        case .array(let items):
            lua_createtable(L, Int32(clamping: items.count), 0)
            for (i, item) in items.enumerated() {
                push(L, item)
                lua_rawseti(L, -2, lua_Integer(i + 1))
            }
        case .object(let object):
            lua_createtable(L, 0, Int32(clamping: object.count))
            for (key, item) in zip(object.keys, object.values) {
                pushString(L, key)
                push(L, item)
                lua_rawset(L, -3)
            }
        }
    }

    private static func pushString(_ L: OpaquePointer, _ s: String) {
        var s = s
        s.withUTF8 { buffer in
            buffer.withMemoryRebound(to: CChar.self) { _ = lua_pushlstring(L, $0.baseAddress, $0.count) }
        }
    }
}

extension LuaCall {
    /// Argument `i` read straight as JSON-like data, failures naming this function and `path`.
    func jsonArgument(_ i: Int32, path: String) throws -> JSONValue {
        try json { try JSONBridge.read(rawState, i, path: path) }
    }

    /// Pushes JSON as a result. Returns 1.
    @discardableResult func push(json value: JSONValue) -> Int32 {
        JSONBridge.push(rawState, value)
        return 1
    }
}

extension LuaValue {
    /// The value as JSON (nil when it has no JSON form: a function, a cycle...), as `ctx:emit` converts it.
    public var jsonValue: JSONValue? { try? JSONBridge.json(self) }
}
