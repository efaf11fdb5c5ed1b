// A JSON-like value for annotation features, document features and scores.
// Objects keep their keys in insertion order so that every encoding is deterministic.

/// A JSON value: null, bool, integer, double, string, array or an ordered object.
public enum JSONValue: Sendable, Hashable, CustomStringConvertible {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// The value encoded as compact JSON text.
    public var description: String {
        var w = JSONWriter()
        w.value(self)
        return w.string
    }

    /// The value as indented JSON text (two spaces a level), for files people read (run.json).
    public func prettyDescription(indent: String = "") -> String {
        let inner = indent + "  "
        switch self {
        case .array(let items) where !items.isEmpty:
            return "[\n" + items.map { inner + $0.prettyDescription(indent: inner) }.joined(separator: ",\n") + "\n"
                + indent + "]"
        case .object(let object) where object.count > 0:
            let entries = zip(object.keys, object.values).map { key, item in
                inner + JSONValue.string(key).description + ": " + item.prettyDescription(indent: inner)
            }
            return "{\n" + entries.joined(separator: ",\n") + "\n" + indent + "}"
        default:
            return description
        }
    }

    /// The string payload, if this is a string.
    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    /// The numeric payload as a double, if this is a number.
    public var doubleValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByNilLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(nilLiteral: ()) { self = .null }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        var o = JSONObject()
        for (k, v) in elements { o[k] = v }
        self = .object(o)
    }
}

/// A JSON object whose keys keep their insertion order.
///
/// Setting an existing key replaces its value in place; setting a key to `nil` removes it.
public struct JSONObject: Sendable, Hashable, Sequence {
    /// The keys, in insertion order.
    public private(set) var keys: [String] = []
    /// The values, parallel to `keys`.
    public private(set) var values: [JSONValue] = []

    /// Creates an empty object.
    public init() {}

    /// Creates an object from keys that are all different, in their order (no search per key).
    public init(distinctKeys keys: [String], values: [JSONValue]) {
        precondition(keys.count == values.count, "JSONObject: as many keys as values")
        self.keys = keys
        self.values = values
    }

    /// The number of keys.
    public var count: Int { keys.count }
    /// Whether the object has no keys.
    public var isEmpty: Bool { keys.isEmpty }

    /// The value for `key`, or `nil`; assigning `nil` removes the key.
    public subscript(key: String) -> JSONValue? {
        get { keys.firstIndex(of: key).map { values[$0] } }
        set {
            if let i = keys.firstIndex(of: key) {
                if let v = newValue { values[i] = v } else { keys.remove(at: i); values.remove(at: i) }
            } else if let v = newValue {
                keys.append(key)
                values.append(v)
            }
        }
    }

    /// Iterates `(key, value)` pairs in insertion order.
    public func makeIterator() -> AnyIterator<(key: String, value: JSONValue)> {
        var i = 0
        return AnyIterator {
            guard i < keys.count else { return nil }
            defer { i += 1 }
            return (keys[i], values[i])
        }
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init()
        for (k, v) in elements { self[k] = v }
    }
}

extension JSONValue {
    /// About how many bytes the value holds in memory (its strings' bytes and a word or two per item): what
    /// a plugin's features and annotations are counted as against its memory limit.
    public var estimatedBytes: Int {
        switch self {
        case .null, .bool, .int, .double: return 16
        case .string(let s): return 32 + s.utf8.count
        case .array(let items): return 64 + items.reduce(0) { $0 + $1.estimatedBytes }
        case .object(let object):
            var total = 96
            for (key, value) in object { total += 32 + key.utf8.count + value.estimatedBytes }
            return total
        }
    }
}
