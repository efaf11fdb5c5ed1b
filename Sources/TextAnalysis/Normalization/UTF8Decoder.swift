// Small UTF-8 helpers over byte buffers: validation, scalar decoding and quick NFC checks.
// Shared by the normalizer and the tokenizer, which both work on bytes rather than Characters.

/// UTF-8 decoding helpers for byte buffers.
enum UTF8Decoder {
    /// The length of the valid UTF-8 sequence starting at `i`, or 0 if it is invalid (RFC 3629).
    @inline(__always)
    static func validSequenceLength(_ buf: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
        let b0 = buf[i]
        let n = buf.count
        if b0 < 0x80 { return 1 }
        if b0 < 0xC2 { return 0 }
        if b0 < 0xE0 {
            return i + 1 < n && buf[i + 1] & 0xC0 == 0x80 ? 2 : 0
        }
        if b0 < 0xF0 {
            guard i + 2 < n else { return 0 }
            let b1 = buf[i + 1], b2 = buf[i + 2]
            guard b1 & 0xC0 == 0x80, b2 & 0xC0 == 0x80 else { return 0 }
            if b0 == 0xE0 && b1 < 0xA0 { return 0 }  // overlong
            if b0 == 0xED && b1 >= 0xA0 { return 0 }  // surrogates
            return 3
        }
        if b0 < 0xF5 {
            guard i + 3 < n else { return 0 }
            let b1 = buf[i + 1], b2 = buf[i + 2], b3 = buf[i + 3]
            guard b1 & 0xC0 == 0x80, b2 & 0xC0 == 0x80, b3 & 0xC0 == 0x80 else { return 0 }
            if b0 == 0xF0 && b1 < 0x90 { return 0 }  // overlong
            if b0 == 0xF4 && b1 >= 0x90 { return 0 }  // above U+10FFFF
            return 4
        }
        return 0
    }

    /// Decodes the scalar at `i` of a valid sequence of length `len`.
    @inline(__always)
    static func scalar(_ buf: UnsafeBufferPointer<UInt8>, _ i: Int, _ len: Int) -> UInt32 {
        switch len {
        case 1: return UInt32(buf[i])
        case 2: return UInt32(buf[i] & 0x1F) << 6 | UInt32(buf[i + 1] & 0x3F)
        case 3: return UInt32(buf[i] & 0x0F) << 12 | UInt32(buf[i + 1] & 0x3F) << 6 | UInt32(buf[i + 2] & 0x3F)
        default:
            return UInt32(buf[i] & 0x07) << 18 | UInt32(buf[i + 1] & 0x3F) << 12
                | UInt32(buf[i + 2] & 0x3F) << 6 | UInt32(buf[i + 3] & 0x3F)
        }
    }

    /// Whether the scalar at `i` might not be in NFC or might combine with its neighbour.
    ///
    /// Conservative: Latin-1 and Latin Extended letters, most Cyrillic, general punctuation, CJK ideographs
    /// and Hangul syllables are known to be safe; anything else is checked with the full NFC algorithm.
    @inline(__always)
    static func mayChangeUnderNFC(_ buf: UnsafeBufferPointer<UInt8>, _ i: Int, _ len: Int) -> Bool {
        if len < 2 { return false }
        let s = scalar(buf, i, len)
        switch s {
        case 0x80..<0x300: return false
        case 0x400..<0x483, 0x48A..<0x530: return false
        case 0x2000..<0x2100, 0x2190..<0x2300, 0x2500..<0x2800: return false
        case 0x3000..<0x3099, 0x30A0..<0x3100, 0x4E00..<0xA000, 0xAC00..<0xD7A4: return false
        case 0x1F000..<0x1FB00: return false
        default: return true
        }
    }
}
