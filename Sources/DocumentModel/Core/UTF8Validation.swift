// UTF-8 validation, eight ASCII bytes at a time: for readers deciding whether bytes need transcoding,
// and for writers that copy strings as they are when they are valid.

/// Checks of UTF-8 byte sequences.
public enum UTF8Validation {
    /// Whether the bytes are valid UTF-8 (no overlong forms, surrogates or values past U+10FFFF), and
    /// whether they are all ASCII.
    public static func check(_ buf: UnsafeBufferPointer<UInt8>) -> (valid: Bool, ascii: Bool) {
        var i = 0
        let n = buf.count
        var ascii = true
        let raw = UnsafeRawBufferPointer(buf)
        while i < n {
            // Eight ASCII bytes at a time.
            while i + 8 <= n && raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                i += 8
            }
            guard i < n else { break }
            let b = buf[i]
            if b < 0x80 { i += 1; continue }
            ascii = false
            var len = 0
            if b >= 0xC2 && b < 0xE0 {
                len = 2
            } else if b >= 0xE0 && b < 0xF0 {
                len = 3
            } else if b >= 0xF0 && b < 0xF5 {
                len = 4
            } else {
                return (false, false)
            }
            if i + len > n { return (false, false) }
            for k in 1..<len where buf[i + k] & 0xC0 != 0x80 { return (false, false) }
            if len == 3 {
                let b1 = buf[i + 1]
                if (b == 0xE0 && b1 < 0xA0) || (b == 0xED && b1 >= 0xA0) { return (false, false) }
            }
            if len == 4 {
                let b1 = buf[i + 1]
                if (b == 0xF0 && b1 < 0x90) || (b == 0xF4 && b1 >= 0x90) { return (false, false) }
            }
            i += len
        }
        return (true, ascii)
    }
}
