// Converting between the bridge's LuaValue and the model's JSONValue: features, scores and
// annotation features are JSON-like, and anything else is refused with a clear message.
import DocumentModel
import LuaBridge

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
            throw JSONBridge.Failure("\(path) is a \(type), which is not JSON-like data (use strings, numbers, booleans and tables)")
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
