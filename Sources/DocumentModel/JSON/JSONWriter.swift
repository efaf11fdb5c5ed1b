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

    /// Appends an integer (digits written backwards into a small stack buffer: no String per number,
    /// no generic code).
    public mutating func int(_ v: Int) {
        if v >= 0 && v < 10 { bytes.append(UInt8(48 + v)); return }
        var magnitude = v.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for 20 digits
        withUnsafeMutableBytes(of: &digits) { buffer in
            var i = 24
            repeat {
                i -= 1
                buffer[i] = UInt8(48 + magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if v < 0 { bytes.append(0x2D) }
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[i..<24]))
        }
    }

    /// Appends an integer of any type.
    public mutating func int<I: BinaryInteger>(_ v: I) {
        if let n = Int(exactly: v) { int(n) } else { bytes.append(contentsOf: String(v).utf8) }
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
    public mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { string(utf8: $0) }
    }

    /// Appends a quoted, escaped string (any StringProtocol).
    public mutating func string<S: StringProtocol>(_ s: S) {
        if let done: Void = s.utf8.withContiguousStorageIfAvailable({ string(utf8: $0) }) { return done }
        bytes.append(0x22)
        for b in s.utf8 { escapeByte(b) }
        bytes.append(0x22)
    }

    /// Appends a quoted, escaped string from UTF-8 bytes (which must be valid UTF-8): runs that need
    /// no escaping are copied whole.
    public mutating func string(utf8 buf: UnsafeBufferPointer<UInt8>) {
        bytes.append(0x22)
        var runStart = 0
        var i = 0
        let count = buf.count
        if let base = buf.baseAddress {
            while i < count {
                // eight bytes at a time while none of them needs escaping (the usual case)
                if count - i >= 8 {
                    let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                    if !JSONWriter.needsEscape(word) {
                        i += 8
                        continue
                    }
                }
                let b = base[i]
                if b < 0x20 || b == 0x22 || b == 0x5C || b == 0x7F {
                    if i > runStart {
                        bytes.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: i - runStart))
                    }
                    escapeByte(b)
                    runStart = i + 1
                }
                i += 1
            }
        }
        if count > runStart { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buf[runStart...])) }
        bytes.append(0x22)
    }

    /// Whether any of the eight bytes is a control character, `"`, `\` or DEL (bytes of 0x80 and up,
    /// parts of UTF-8 sequences, never are): the usual "has a zero byte" test on shifted copies.
    @inline(__always)
    static func needsEscape(_ x: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        func hasZero(_ v: UInt64) -> UInt64 { (v &- ones) & ~v & highs }
        let control = (x &- ones &* 0x20) & ~x & highs  // a byte below 0x20 (ASCII only: ~x clears the rest)
        return (control | hasZero(x ^ (ones &* 0x22)) | hasZero(x ^ (ones &* 0x5C)) | hasZero(x ^ (ones &* 0x7F))) != 0
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
            func hex(_ d: UInt8) -> UInt8 { d < 10 ? 48 + d : 87 + d }
            bytes.append(0x5C); bytes.append(0x75); bytes.append(0x30); bytes.append(0x30)
            bytes.append(hex(b >> 4)); bytes.append(hex(b & 15))
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
            for i in a.indices {
                if i > 0 { byte(0x2C) }
                value(a[i])
            }
            byte(0x5D)
        case .object(let o): object(o)
        }
    }

    /// Appends an object with its keys in order.
    public mutating func object(_ o: JSONObject) {
        _ = members(o, locating: nil)
    }

    /// Appends an object with its keys in order, and tells where one of its members was written.
    ///
    /// - Parameter name: the member's key.
    /// - Returns: the range of `bytes` the member takes, from its key's opening quote to the end of its
    ///   value (without the comma before it), or nil when the object has no such key.
    public mutating func object(_ o: JSONObject, locating name: String) -> Range<Int>? {
        members(o, locating: name)
    }

    private mutating func members(_ o: JSONObject, locating name: String?) -> Range<Int>? {
        byte(0x7B)
        var found: Range<Int>?
        let keys = o.keys, values = o.values
        for i in keys.indices {
            if i > 0 { byte(0x2C) }
            let start = bytes.count
            key(keys[i])
            value(values[i])
            if let name, keys[i] == name { found = start..<bytes.count }
        }
        byte(0x7D)
        return found
    }
}
