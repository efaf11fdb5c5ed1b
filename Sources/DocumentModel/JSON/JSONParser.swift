// JSONParser: strict JSON (RFC 8259) into JSONValue, keeping object keys in their order (record fields
// become metadata in the order they were written), integers as integers, nesting capped, and errors
// with line and column. Used by the JSON readers, quarry.json.decode and --resume.

/// A JSON syntax error at a 1-based line and column of the input.
public struct JSONParseError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var line: Int
    public var column: Int
    public var description: String { "\(message) at line \(line), column \(column)" }
}

/// Parses JSON text (RFC 8259) without recursion limits being reachable: nesting is capped.
public struct JSONParser {
    private let b: UnsafeBufferPointer<UInt8>
    private var i: Int
    private let end: Int
    private let start: Int
    private var depth = 0
    public static let maxDepth = 512

    private init(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
        self.b = b
        self.i = range.lowerBound
        self.start = range.lowerBound
        self.end = range.upperBound
    }

    /// Parses exactly one value from `bytes[range]` (white space around it allowed).
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) throws -> JSONValue {
        var p = JSONParser(bytes, range)
        p.skipSpace()
        let v = try p.value()
        p.skipSpace()
        if p.i < p.end { throw p.error("unexpected text after the value") }
        return v
    }

    /// Parses UTF-8 bytes as one JSON value.
    public static func parse(bytes: [UInt8]) throws -> JSONValue {
        try bytes.withUnsafeBufferPointer { try parse($0, 0..<$0.count) }
    }

    /// Parses a text as one JSON value.
    public static func parse(_ text: String) throws -> JSONValue {
        var bytes = Array(text.utf8)
        return try bytes.withUnsafeMutableBufferPointer { try parse(UnsafeBufferPointer($0), 0..<$0.count) }
    }

    /// Parses the values of a top-level array one by one, calling `each` with the element's range and
    /// value or error; a syntax error inside one element stops there (the rest cannot be found reliably).
    public static func forEachArrayElement(
        _ bytes: UnsafeBufferPointer<UInt8>,
        _ each: (Int, Int, Result<JSONValue, JSONParseError>) -> Void
    ) throws {
        var p = JSONParser(bytes, 0..<bytes.count)
        p.skipSpace()
        guard p.i < p.end, p.b[p.i] == UInt8(ascii: "[") else { throw p.error("expected a JSON array") }
        p.i += 1
        p.skipSpace()
        if p.i < p.end && p.b[p.i] == UInt8(ascii: "]") { return }
        var index = 0
        while true {
            let start = p.i
            index += 1
            do {
                p.depth = 1
                let v = try p.value()
                each(index, start, .success(v))
            } catch let e as JSONParseError {
                each(index, start, .failure(e))
                return
            }
            p.skipSpace()
            guard p.i < p.end else { throw p.error("unterminated array") }
            if p.b[p.i] == UInt8(ascii: ",") { p.i += 1; p.skipSpace(); continue }
            if p.b[p.i] == UInt8(ascii: "]") { return }
            throw p.error("expected , or ] in the array")
        }
    }

    /// An error at the current position; line and column count from the start of the parsed range.
    func error(_ message: String) -> JSONParseError {
        var line = 1, col = 1
        var k = start
        while k < min(i, b.count) {
            if b[k] == 0x0A { line += 1; col = 1 } else if b[k] & 0xC0 != 0x80 { col += 1 }
            k += 1
        }
        return JSONParseError(message: message, line: line, column: col)
    }

    private mutating func skipSpace() {
        while i < end, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x09 || b[i] == 0x0D { i += 1 }
    }

    private mutating func value() throws -> JSONValue {
        guard i < end else { throw error("unexpected end of input") }
        switch b[i] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw error("unexpected character")
        }
    }

    private mutating func literal(_ word: String) throws {
        for c in word.utf8 {
            guard i < end, b[i] == c else { throw error("invalid literal") }
            i += 1
        }
    }

    private mutating func object() throws -> JSONValue {
        depth += 1
        defer { depth -= 1 }
        if depth > Self.maxDepth { throw error("nested deeper than \(Self.maxDepth) levels") }
        i += 1
        var o = JSONObject()
        skipSpace()
        if i < end && b[i] == UInt8(ascii: "}") { i += 1; return .object(o) }
        while true {
            skipSpace()
            guard i < end, b[i] == UInt8(ascii: "\"") else { throw error("expected a key string") }
            let key = try string()
            skipSpace()
            guard i < end, b[i] == UInt8(ascii: ":") else { throw error("expected :") }
            i += 1
            skipSpace()
            o[key] = try value()
            skipSpace()
            guard i < end else { throw error("unterminated object") }
            if b[i] == UInt8(ascii: ",") { i += 1; continue }
            if b[i] == UInt8(ascii: "}") { i += 1; return .object(o) }
            throw error("expected , or } in the object")
        }
    }

    private mutating func array() throws -> JSONValue {
        depth += 1
        defer { depth -= 1 }
        if depth > Self.maxDepth { throw error("nested deeper than \(Self.maxDepth) levels") }
        i += 1
        var a: [JSONValue] = []
        skipSpace()
        if i < end && b[i] == UInt8(ascii: "]") { i += 1; return .array(a) }
        while true {
            skipSpace()
            a.append(try value())
            skipSpace()
            guard i < end else { throw error("unterminated array") }
            if b[i] == UInt8(ascii: ",") { i += 1; continue }
            if b[i] == UInt8(ascii: "]") { i += 1; return .array(a) }
            throw error("expected , or ] in the array")
        }
    }

    private mutating func number() throws -> JSONValue {
        let start = i
        var isFloat = false
        if b[i] == UInt8(ascii: "-") { i += 1 }
        while i < end {
            let c = b[i]
            if c >= 0x30 && c <= 0x39 { i += 1; continue }
            if c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") || c == UInt8(ascii: "+")
                || (c == UInt8(ascii: "-") && i > start)
            {
                isFloat = true; i += 1; continue
            }
            break
        }
        if !isFloat {
            // an integer, read from the bytes (no String): digits after an optional minus
            let negative = b[start] == UInt8(ascii: "-")
            let first = negative ? start + 1 : start
            var v = 0
            var fits = first < i
            for k in first..<i where fits {
                let (times, o1) = v.multipliedReportingOverflow(by: 10)
                let (sum, o2) =
                    negative
                    ? times.subtractingReportingOverflow(Int(b[k] &- 0x30))
                    : times.addingReportingOverflow(Int(b[k] &- 0x30))
                fits = !o1 && !o2
                v = sum
            }
            if fits { return .int(v) }
        }
        let s = String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self)
        if !isFloat, let v = Int(s) { return .int(v) }
        if let d = Double(s) { return .double(d) }
        throw error("invalid number")
    }

    private mutating func string() throws -> String {
        i += 1
        var out: [UInt8] = []
        var runStart = i
        var escaped = false
        while i < end {
            // eight bytes at a time past plain text (no quote, backslash or control character)
            if end - i >= 8, let base = b.baseAddress {
                let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
                let quote = word ^ (ones &* 0x22), backslash = word ^ (ones &* 0x5C)
                let special =
                    ((word &- ones &* 0x20) & ~word) | ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash)
                if special & highs == 0 {
                    i += 8
                    continue
                }
            }
            let c = b[i]
            if c == UInt8(ascii: "\"") {
                if !escaped {  // the usual case: the string is its bytes, made into a String at once
                    i += 1
                    return String(decoding: UnsafeBufferPointer(rebasing: b[runStart..<(i - 1)]), as: UTF8.self)
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: b[runStart..<i]))
                i += 1
                return String(decoding: out, as: UTF8.self)
            }
            if c < 0x20 { throw error("control character in a string") }
            if c == UInt8(ascii: "\\") {
                escaped = true
                out.append(contentsOf: UnsafeBufferPointer(rebasing: b[runStart..<i]))
                i += 1
                guard i < end else { break }
                let e = b[i]
                i += 1
                switch e {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if code >= 0xD800 && code < 0xDC00, i + 1 < end, b[i] == UInt8(ascii: "\\"),
                        b[i + 1] == UInt8(ascii: "u")
                    {
                        i += 2
                        let low = try hex4()
                        if low >= 0xDC00 && low < 0xE000 {
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            out.append(contentsOf: "\u{FFFD}".utf8)
                            code = low
                        }
                    }
                    let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
                    out.append(contentsOf: String(scalar).utf8)
                default: throw error("invalid escape")
                }
                runStart = i
                continue
            }
            i += 1
        }
        throw error("unterminated string")
    }

    private mutating func hex4() throws -> UInt32 {
        guard i + 4 <= end else { throw error("invalid \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = b[i]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: throw error("invalid \\u escape")
            }
            v = v << 4 | d
            i += 1
        }
        return v
    }
}
