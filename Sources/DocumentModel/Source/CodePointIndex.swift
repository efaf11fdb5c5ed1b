// The one conversion from UTF-8 byte offsets to Unicode code-point offsets (for JSON output).
// Built once per text: a checkpoint every 64 bytes, then at most 63 bytes scanned per lookup.

/// Converts UTF-8 byte offsets of one text into code-point offsets in O(1) per lookup.
///
/// For ASCII-only text the conversion is the identity and no table is kept. Otherwise the index stores
/// the code-point count before every 64th byte (4 bytes per 64 bytes of text) and counts the
/// non-continuation bytes between that checkpoint and the offset.
public struct CodePointIndex: Sendable {
    private let text: String
    private let checkpoints: [UInt32]
    /// Whether the text is pure ASCII (the conversion is then the identity).
    public let isASCII: Bool
    /// The total number of code points.
    public let codePointCount: Int

    /// Builds the index for `text`.
    public init(_ text: String) {
        var t = text
        t.makeContiguousUTF8()
        self.text = t
        let (ascii, cps, n) = t.utf8.withContiguousStorageIfAvailable { bytes -> (Bool, [UInt32], Int) in
            var ascii = true
            for b in bytes where b >= 0x80 { ascii = false; break }
            if ascii { return (true, [], bytes.count) }
            var cps: [UInt32] = []
            cps.reserveCapacity(bytes.count / 64 + 2)
            var n: UInt32 = 0
            for i in 0..<bytes.count {
                if i & 63 == 0 { cps.append(n) }
                if bytes[i] & 0xC0 != 0x80 { n += 1 }
            }
            cps.append(n)  // sentinel for offset == count when count % 64 == 0
            return (false, cps, Int(n))
        }!
        isASCII = ascii
        checkpoints = cps
        codePointCount = n
    }

    /// The code-point offset of UTF-8 byte `offset` (which may equal the text length).
    ///
    /// An offset inside a multi-byte character maps to that character's code-point offset.
    public func codePointOffset(_ offset: Int) -> Int {
        if isASCII { return offset }
        return text.utf8.withContiguousStorageIfAvailable { utf8 in
            precondition(offset >= 0 && offset <= utf8.count, "offset \(offset) out of range")
            if offset == utf8.count { return codePointCount }
            let block = offset >> 6
            var n = Int(checkpoints[block])
            var i = block << 6
            while i < offset {
                if utf8[i] & 0xC0 != 0x80 { n += 1 }
                i += 1
            }
            if utf8[offset] & 0xC0 == 0x80 { n -= 1 }  // inside a character: point at its start
            return n
        }!
    }

    /// The code-point range of a byte range.
    public func codePointRange(_ r: TextRange) -> (start: Int, end: Int) {
        (codePointOffset(Int(r.start)), codePointOffset(Int(r.end)))
    }
}
