// A small, fast JSON writer over a byte buffer, used by the document encoder and by JSONValue.
// It escapes strings per RFC 8259 and writes non-finite doubles as null.

/// Appends JSON text to a UTF-8 byte buffer.
public struct JSONWriter: Sendable {
    /// The bytes written so far.
    public var bytes: [UInt8] = []

    /// Creates an empty writer, reserving `capacity` bytes.
    public init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    /// The output as a `String`.
    public var string: String { String(decoding: bytes, as: UTF8.self) }

    /// Appends raw, already valid JSON bytes.
    @inlinable public mutating func raw(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Appends one raw byte.
    @inlinable public mutating func byte(_ b: UInt8) { bytes.append(b) }

    /// Appends an integer.
    public mutating func int<I: BinaryInteger>(_ v: I) {
        if v >= 0 && v < 10 { bytes.append(UInt8(48 + Int(v))); return }
        bytes.append(contentsOf: String(v).utf8)
    }

    /// Appends a double, or `null` when it is not finite.
    public mutating func double(_ d: Double) {
        guard d.isFinite else { raw("null"); return }
        if d == d.rounded(), abs(d) < 1e15 {
            bytes.append(contentsOf: String(Int(d)).utf8)
            raw(".0")
        } else {
            bytes.append(contentsOf: d.description.utf8)
        }
    }

    /// Appends a quoted, escaped string.
    public mutating func string<S: StringProtocol>(_ s: S) {
        bytes.append(0x22)
        for b in s.utf8 { escapeByte(b) }
        bytes.append(0x22)
    }

    /// Appends a quoted, escaped string from UTF-8 bytes (which must be valid UTF-8).
    public mutating func string(utf8 buf: UnsafeBufferPointer<UInt8>) {
        bytes.append(0x22)
        for b in buf { escapeByte(b) }
        bytes.append(0x22)
    }

    @inline(__always)
    mutating func escapeByte(_ b: UInt8) {
        switch b {
        case 0x22: bytes.append(0x5C); bytes.append(0x22)
        case 0x5C: bytes.append(0x5C); bytes.append(0x5C)
        case 0x0A: bytes.append(0x5C); bytes.append(0x6E)
        case 0x0D: bytes.append(0x5C); bytes.append(0x72)
        case 0x09: bytes.append(0x5C); bytes.append(0x74)
        case 0x08: bytes.append(0x5C); bytes.append(0x62)
        case 0x0C: bytes.append(0x5C); bytes.append(0x66)
        case 0..<0x20, 0x7F:
            let hex: [UInt8] = Array("0123456789abcdef".utf8)
            bytes.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 15)]])
        default: bytes.append(b)
        }
    }

    /// Appends `"key":`.
    public mutating func key(_ k: String) {
        string(k)
        bytes.append(0x3A)
    }

    /// Appends any JSON value.
    public mutating func value(_ v: JSONValue) {
        switch v {
        case .null: raw("null")
        case .bool(let b): if b { raw("true") } else { raw("false") }
        case .int(let i): int(i)
        case .double(let d): double(d)
        case .string(let s): string(s)
        case .array(let a):
            byte(0x5B)
            for (i, e) in a.enumerated() {
                if i > 0 { byte(0x2C) }
                value(e)
            }
            byte(0x5D)
        case .object(let o): object(o)
        }
    }

    /// Appends an object with its keys in order.
    public mutating func object(_ o: JSONObject) {
        byte(0x7B)
        for (i, (k, v)) in o.enumerated() {
            if i > 0 { byte(0x2C) }
            key(k)
            value(v)
        }
        byte(0x7D)
    }
}
