// Decides the character encoding of a text file and transcodes it to UTF-8: BOMs first, then valid
// UTF-8, then UTF-8 mixed with a code page (MixedUTF8), then a declared charset (HTML meta, MIME) or
// libuchardet's guess, checked by EncodingChooser, which weighs the likelier code pages when it is doubtful.

import DocumentModel
import CUchardet
import Foundation

/// Text transcoded to UTF-8, and what it was.
struct DecodedText: Sendable {
    /// UTF-8 bytes (a UTF-8 BOM is kept for the normalizer to record and drop).
    var bytes: [UInt8]
    /// The encoding decided on, lower-case (`utf-8`, `utf-16le`, `windows-1252`, `iso-8859-2` ...).
    var encoding: String
    /// Notes about the decision (a guess, replaced bytes).
    var warnings: [String] = []
    /// How many bytes were invalid in the encoding and became U+FFFD.
    var replaced = 0
}

/// Encoding detection and transcoding.
enum TextDecoder {
    /// Decodes `bytes` into UTF-8.
    ///
    /// - Parameters:
    ///   - declared: A charset the container declares (HTML `<meta charset>`, a MIME `charset=`), trusted
    ///     unless the bytes are valid UTF-8 with non-ASCII text, it is unknown, or another code page reads
    ///     the text clearly better (each case with a warning).
    static func decode(_ bytes: [UInt8], declared: String? = nil) -> DecodedText {
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF {
            return DecodedText(bytes: bytes, encoding: "utf-8")
        }
        if bytes.count >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE {
            return transcode(bytes[2...], from: "UTF-16LE", name: "utf-16le")
        }
        if bytes.count >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF {
            return transcode(bytes[2...], from: "UTF-16BE", name: "utf-16be")
        }
        if let utf16 = guessBOMlessUTF16(bytes) {
            var d = transcode(bytes[...], from: utf16.uppercased(), name: utf16)
            d.warnings.append("guessed \(utf16) (no byte-order mark)")
            return d
        }
        let (valid, ascii) = validateUTF8(bytes)
        let declaredName = declared.flatMap(canonicalCharset)
        if valid {
            var d = DecodedText(bytes: bytes, encoding: "utf-8")
            if !ascii, let declared, let name = declaredName, name != "utf-8", name != "ascii" {
                d.warnings.append("declares charset \(declared) but its bytes are UTF-8; read as UTF-8")
            }
            return d
        }
        var notes: [String] = []
        if let declared, declaredName == "utf-8" { notes.append("declares charset \(declared) but is not valid UTF-8") }
        if var mixed = MixedUTF8.decode(bytes, declared: declaredName == "ascii" ? "windows-1252" : declaredName) {
            mixed.warnings.insert(contentsOf: notes, at: 0)
            return mixed
        }
        if let declared, var name = declaredName, name != "utf-8" {
            if name == "ascii" { name = "windows-1252" }
            if SingleBytePage.named(name) != nil {
                let choice = EncodingChooser.choose(bytes[...], proposal: name, source: .declared)
                var d = transcode(bytes[...], from: choice.name.uppercased(), name: choice.name)
                if let why = choice.overridden {
                    d.warnings.insert("declares charset \(declared) but reads as \(choice.name) (\(why))", at: 0)
                }
                return d
            }
            let d = transcode(bytes[...], from: name.uppercased(), name: name)
            if d.encoding == name { return d }
            notes.append("declared charset \(declared) is unknown")
        }
        var proposal: String? = nil
        if let guess = detectCharset(bytes), guess != "utf-8", guess != "ascii" {
            if SingleBytePage.named(guess) != nil {
                proposal = guess
            } else {
                // A multi-byte encoding (CJK): taken when iconv reads every byte of it.
                var d = transcode(bytes[...], from: guess.uppercased(), name: guess)
                if d.encoding == guess && d.replaced == 0 {
                    d.warnings.insert(contentsOf: notes + ["not UTF-8; detected \(guess)"], at: 0)
                    return d
                }
            }
        }
        let choice = EncodingChooser.choose(bytes[...], proposal: proposal, source: .detected)
        var d = transcode(bytes[...], from: choice.name.uppercased(), name: choice.name)
        if let why = choice.overridden {
            notes.append("not UTF-8; read as \(choice.name) (\(why))")
        } else if choice.name == proposal {
            notes.append("not UTF-8; detected \(choice.name)")
        } else {
            notes.append("not UTF-8; read as \(choice.name), the best-scoring code page")
        }
        d.warnings.insert(contentsOf: notes, at: 0)
        return d
    }

    /// A charset label mapped to the name iconv and the metadata use; `iso-8859-1` means windows-1252,
    /// as browsers and mail readers treat it.
    static func canonicalCharset(_ label: String) -> String? {
        var l = label.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        l = l.trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
        if l.isEmpty { return nil }
        switch l {
        case "utf8", "utf-8", "unicode-1-1-utf-8": return "utf-8"
        case "us-ascii", "ascii", "ansi_x3.4-1968": return "ascii"
        case "latin1", "latin-1", "iso-8859-1", "iso8859-1", "iso_8859-1", "l1", "cp819", "windows-1252", "cp1252",
            "x-cp1252":
            return "windows-1252"
        case "utf-16", "utf16": return "utf-16le"
        default:
            if l.hasPrefix("iso8859-") { l = "iso-8859-" + l.dropFirst(8) }
            if l.hasPrefix("cp125") { l = "windows-125" + l.dropFirst(5) }
            return l
        }
    }

    /// Whether `bytes` are valid UTF-8, and whether they are all ASCII.
    static func validateUTF8(_ bytes: [UInt8]) -> (valid: Bool, ascii: Bool) {
        bytes.withUnsafeBufferPointer { UTF8Validation.check($0) }
    }

    /// Guesses UTF-16 without a BOM from NUL bytes at alternating positions in the first KiB.
    static func guessBOMlessUTF16(_ bytes: [UInt8]) -> String? {
        let n = min(bytes.count, 1024) & ~1
        guard n >= 8 else { return nil }
        // Text without a single NUL in its first KiB (nearly all of it) is not UTF-16: one vectorized scan.
        guard bytes.withUnsafeBytes({ memchr($0.baseAddress!, 0, n) }) != nil else { return nil }
        var evenZero = 0, oddZero = 0
        for i in stride(from: 0, to: n, by: 2) {
            if bytes[i] == 0 { evenZero += 1 }
            if bytes[i + 1] == 0 { oddZero += 1 }
        }
        let pairs = n / 2
        if oddZero * 10 >= pairs * 7 && evenZero * 10 < pairs { return "utf-16le" }
        if evenZero * 10 >= pairs * 7 && oddZero * 10 < pairs { return "utf-16be" }
        return nil
    }

    /// libuchardet's guess for (the first 256 KiB of) `bytes`, canonicalized; nil when it has none.
    static func detectCharset(_ bytes: [UInt8]) -> String? {
        guard let handle = uchardet_new() else { return nil }
        defer { uchardet_delete(handle) }
        let n = min(bytes.count, 256 << 10)
        let status = bytes.withUnsafeBufferPointer { buf in
            buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: n) { uchardet_handle_data(handle, $0, n) }
        }
        guard status == 0 else { return nil }
        uchardet_data_end(handle)
        guard let c = uchardet_get_charset(handle) else { return nil }
        let name = String(cString: c)
        return name.isEmpty ? nil : canonicalCharset(name)
    }

    /// Transcodes with iconv; invalid sequences become U+FFFD (counted in a warning). When iconv does not
    /// know `from`, the result is windows-1252 and `encoding` says so.
    static func transcode(_ input: ArraySlice<UInt8>, from: String, name: String) -> DecodedText {
        guard let cd = openConverter(from: from) else {
            if from != "WINDOWS-1252" { return transcode(input, from: "WINDOWS-1252", name: "windows-1252") }
            return DecodedText(bytes: Array(input), encoding: "utf-8", warnings: ["no converter for \(name)"])
        }
        defer { iconv_close(cd) }
        var out = [UInt8](repeating: 0, count: input.count * 2 + 16)
        var produced = 0
        var replaced = 0
        var inBytes = Array(input)
        let total = inBytes.count
        var consumed = 0
        inBytes.withUnsafeMutableBufferPointer { inBuf in
            while consumed < total {
                if out.count - produced < 16 { out.append(contentsOf: [UInt8](repeating: 0, count: out.count)) }
                var inLeft = total - consumed
                var outLeft = out.count - produced
                let r: Int = out.withUnsafeMutableBufferPointer { outBuf in
                    var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuf.baseAddress! + consumed)
                        .assumingMemoryBound(to: CChar.self)
                    var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuf.baseAddress! + produced)
                        .assumingMemoryBound(to: CChar.self)
                    let r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                    return r == -1 ? Int(errno) : 0
                }
                consumed = total - inLeft
                produced = out.count - outLeft
                if r == 0 { break }
                if r == E2BIG { out.append(contentsOf: [UInt8](repeating: 0, count: out.count)); continue }
                // EILSEQ or EINVAL (truncated at the end): replace one byte and go on.
                if out.count - produced < 3 { out.append(contentsOf: [UInt8](repeating: 0, count: 64)) }
                out[produced] = 0xEF; out[produced + 1] = 0xBF; out[produced + 2] = 0xBD
                produced += 3
                consumed += 1
                replaced += 1
            }
        }
        out.removeSubrange(produced...)
        var d = DecodedText(bytes: out, encoding: name)
        d.replaced = replaced
        if replaced > 0 { d.warnings.append("replaced \(replaced) bytes invalid in \(name) with U+FFFD") }
        return d
    }

    private static func openConverter(from: String) -> iconv_t? {
        let cd = iconv_open("UTF-8", from)
        if cd == iconv_t(bitPattern: -1) { return nil }
        return cd
    }
}
