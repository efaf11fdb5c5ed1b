// LuaValue: the JSON-like values that cross between Swift and Lua by copy.
// Functions, userdata and threads stay in Lua; `LuaRef` holds those.

/// A Lua value copied into Swift: nil, booleans, numbers, strings, arrays and maps.
///
/// Strings that are valid UTF-8 arrive as `.string`; any other byte string arrives as `.bytes`
/// so that binary data (NULs included) survives a round trip unchanged.
public enum LuaValue: Sendable, Equatable, Hashable {
    case `nil`
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case bytes([UInt8])
    case array([LuaValue])
    case object([String: LuaValue])
    /// A value with no JSON-like form (function, userdata, thread), described for display.
    /// Only produced by lenient conversions; pushing it back to Lua gives its description.
    case opaque(type: String, description: String)

    /// The Lua type name of this value (`"nil"`, `"boolean"`, `"number"`, `"string"`, `"table"`...).
    public var typeName: String {
        switch self {
        case .nil: "nil"
        case .bool: "boolean"
        case .int, .double: "number"
        case .string, .bytes: "string"
        case .array, .object: "table"
        case .opaque(let type, _): type
        }
    }

    /// The string, when this is a string (valid UTF-8 or not, the latter lossily decoded).
    public var stringValue: String? {
        switch self {
        case .string(let s): s
        case .bytes(let b): String(decoding: b, as: UTF8.self)
        default: nil
        }
    }

    /// The number as a `Double`, when this is a number.
    public var doubleValue: Double? {
        switch self {
        case .int(let i): Double(i)
        case .double(let d): d
        default: nil
        }
    }

    /// The number as an integer, when it is one exactly.
    public var intValue: Int64? {
        switch self {
        case .int(let i): i
        case .double(let d): d.rounded() == d && abs(d) < 9.2e18 ? Int64(d) : nil
        default: nil
        }
    }
}

extension LuaValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .nil }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: LuaValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, LuaValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}

// MARK: - Display

extension LuaValue: CustomStringConvertible {
    /// A Lua-like rendering: strings quoted, tables as constructors with sorted keys.
    public var description: String { render(indent: nil) }

    /// Renders the value as Lua source-like text; with `indent`, nested tables go one entry a line.
    public func render(indent: String? = "  ", level: Int = 0) -> String {
        switch self {
        case .nil: return "nil"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return LuaValue.formatNumber(d)
        case .string(let s): return LuaValue.quote(s)
        case .bytes(let b): return LuaValue.quote(String(decoding: b, as: UTF8.self))
        case .opaque(_, let description): return description
        case .array(let items):
            if items.isEmpty { return "{}" }
            return LuaValue.renderEntries(items.map { $0.render(indent: indent, level: level + 1) }, indent, level)
        case .object(let map):
            if map.isEmpty { return "{}" }
            let entries = map.keys.sorted().map { key in
                let k = LuaValue.isIdentifier(key) ? key : "[\(LuaValue.quote(key))]"
                return "\(k) = \(map[key]!.render(indent: indent, level: level + 1))"
            }
            return LuaValue.renderEntries(entries, indent, level)
        }
    }

    private static func renderEntries(_ entries: [String], _ indent: String?, _ level: Int) -> String {
        guard let indent else { return "{" + entries.joined(separator: ", ") + "}" }
        let inner = String(repeating: indent, count: level + 1)
        let outer = String(repeating: indent, count: level)
        let oneLine = "{" + entries.joined(separator: ", ") + "}"
        if oneLine.count + outer.count <= 72 && !oneLine.contains("\n") { return oneLine }
        return "{\n" + entries.map { inner + $0 }.joined(separator: ",\n") + "\n" + outer + "}"
    }

    /// Formats a float as Lua's `%.14g` does, keeping a `.0` on integral values.
    static func formatNumber(_ d: Double) -> String {
        if d.isNaN { return d.sign == .minus ? "-nan" : "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) + ".0" }
        var s = "\(d)"
        if s.hasSuffix(".0") { s.removeLast(2) }
        return s
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\0": out += "\\0"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\\(scalar.value)"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    static func isIdentifier(_ s: String) -> Bool {
        guard let first = s.utf8.first, first == UInt8(ascii: "_") || (first | 0x20) >= 97 && (first | 0x20) <= 122
        else { return false }
        let keywords: Set<String> = [
            "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if", "in",
            "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while",
        ]
        if keywords.contains(s) { return false }
        return s.utf8.allSatisfy { c in
            c == UInt8(ascii: "_") || (c >= 48 && c <= 57) || ((c | 0x20) >= 97 && (c | 0x20) <= 122)
        }
    }
}
