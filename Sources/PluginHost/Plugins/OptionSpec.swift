// OptionSpec: a plugin's typed option — string, number, integer, boolean, list or choice — with
// its default, bounds and doc; parsing from `--set` text and checking values from quarry.toml.
import DocumentModel

/// The type of a plugin option.
public enum OptionType: String, Sendable, CaseIterable {
    case string, number, integer, boolean, list, choice
}

/// One declared option of a plugin.
public struct OptionSpec: Sendable, Equatable {
    public var name: String
    public var type: OptionType
    /// The default (already checked against the type); nil means the option has no value unless set.
    public var defaultValue: JSONValue?
    public var doc: String
    public var min: Double?
    public var max: Double?
    /// The allowed values of a `choice`.
    public var choices: [String]

    public init(
        name: String, type: OptionType, defaultValue: JSONValue? = nil, doc: String = "", min: Double? = nil,
        max: Double? = nil, choices: [String] = []
    ) {
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.doc = doc
        self.min = min
        self.max = max
        self.choices = choices
    }

    /// A human description of what the option takes (`an integer from 1 to 10`).
    public var expectation: String {
        var text: String
        switch type {
        case .string: text = "a string"
        case .number: text = "a number"
        case .integer: text = "an integer"
        case .boolean: text = "true or false"
        case .list: text = "a list of strings (comma-separated)"
        case .choice: text = "one of " + choices.map { "'\($0)'" }.joined(separator: ", ")
        }
        switch (min, max) {
        case let (lo?, hi?): text += " from \(OptionSpec.show(lo)) to \(OptionSpec.show(hi))"
        case let (lo?, nil): text += " >= \(OptionSpec.show(lo))"
        case let (nil, hi?): text += " <= \(OptionSpec.show(hi))"
        default: break
        }
        return text
    }

    static func show(_ d: Double) -> String { d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d) }

    /// Parses command-line text (`--set plugin.option=TEXT`) into a checked value.
    public func parse(_ text: String) throws(OptionError) -> JSONValue {
        let trimmed = text.trimmingSpaces
        switch type {
        case .string: return try check(.string(text))
        case .choice: return try check(.string(trimmed))
        case .integer:
            guard let i = Int(trimmed) else { throw fail("'\(text)'") }
            return try check(.int(i))
        case .number:
            guard let d = Double(trimmed), d.isFinite else { throw fail("'\(text)'") }
            return try check(.double(d))
        case .boolean:
            switch trimmed.lowercased() {
            case "true", "yes", "on", "1": return .bool(true)
            case "false", "no", "off", "0": return .bool(false)
            default: throw fail("'\(text)'")
            }
        case .list:
            if trimmed.isEmpty { return .array([]) }
            return try check(.array(trimmed.split(separator: ",").map { .string(String($0).trimmingSpaces) }))
        }
    }

    /// Checks (and coerces: an integer for a number) a typed value from a file or a default.
    public func check(_ value: JSONValue) throws(OptionError) -> JSONValue {
        switch (type, value) {
        case (.string, .string): return value
        case (.choice, .string(let s)):
            guard choices.contains(s) else { throw fail("'\(s)'") }
            return value
        case (.integer, .int(let i)):
            try bounds(Double(i), value)
            return value
        case (.integer, .double(let d)) where d == d.rounded() && abs(d) < 9e15:
            try bounds(d, value)
            return .int(Int(d))
        case (.number, .int(let i)):
            try bounds(Double(i), value)
            return .double(Double(i))
        case (.number, .double(let d)):
            try bounds(d, value)
            return value
        case (.boolean, .bool): return value
        case (.list, .array(let items)):
            guard items.allSatisfy({ $0.stringValue != nil }) else { throw fail(value.description) }
            return value
        case (.list, .string(let s)):
            return .array(s.split(separator: ",").map { .string(String($0).trimmingSpaces) })
        default:
            throw fail(value.description)
        }
    }

    private func bounds(_ d: Double, _ value: JSONValue) throws(OptionError) {
        if let min, d < min { throw fail(value.description) }
        if let max, d > max { throw fail(value.description) }
    }

    private func fail(_ got: String) -> OptionError {
        OptionError(message: "option '\(name)' must be \(expectation), got \(got)")
    }
}

/// A wrong option value or declaration.
public struct OptionError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
