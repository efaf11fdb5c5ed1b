// Decides a file's format from its first bytes (PDF, ZIP and other magic numbers, HTML, JSON, mail
// headers) and its extension. Content wins over a misleading extension; `--format` wins over both.

import Foundation

/// The outcome of format detection.
struct Detection: Sendable {
    /// The format to read as, or nil when the file is not one Quarry reads.
    var format: DocumentFormat?
    /// Why the file is unsupported, when `format` is nil.
    var unsupported: String?
    /// A note when content and extension disagree.
    var warning: String?
}

/// Format detection by content and extension.
enum FormatDetector {
    /// Detects the format of `bytes` named `fileName` (may be empty for standard input).
    static func detect(_ bytes: [UInt8], fileName: String) -> Detection {
        let ext = fileExtension(fileName)
        let byExtension = DocumentFormat(fileExtension: ext)
        if let magic = magic(bytes) {
            switch magic {
            case .format(let f): return Detection(format: f)
            case .zip:
                if byExtension == .docx || zipNamesWordDocument(bytes) { return Detection(format: .docx) }
                return Detection(unsupported: "a ZIP archive that is not a DOCX document (no word/document.xml)")
            case .other(let what): return Detection(unsupported: what)
            }
        }
        // An extension that names a text format decides (a `.txt` file stays text, whatever it looks
        // like); only files without one, or named PDF/DOCX without the magic number, are sniffed.
        if let byExtension, byExtension != .pdf, byExtension != .docx {
            return Detection(format: byExtension)
        }
        let sniffed = sniff(bytes)
        if let byExtension {
            // The magic number is missing: say what the content really is, if anything.
            if let sniffed, sniffed != .txt {
                return Detection(
                    format: sniffed,
                    warning: "named .\(ext) but the content is \(sniffed.rawValue); read as \(sniffed.rawValue)")
            }
            return Detection(format: byExtension)
        }
        if let sniffed { return Detection(format: sniffed) }
        return Detection(unsupported: "binary data of an unknown kind")
    }

    static func fileExtension(_ name: String) -> String {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return String(name[name.index(after: dot)...]).lowercased()
    }

    enum Magic { case format(DocumentFormat), zip, other(String) }

    /// Recognises binary formats by their first bytes.
    static func magic(_ b: [UInt8]) -> Magic? {
        func starts(_ p: StaticString) -> Bool {
            p.utf8CodeUnitCount <= b.count && (0..<p.utf8CodeUnitCount).allSatisfy { b[$0] == p.utf8Start[$0] }
        }
        func starts(_ p: UInt8...) -> Bool { p.count <= b.count && p.indices.allSatisfy { b[$0] == p[$0] } }
        // `%PDF-` may follow some junk; readers accept it within the first KiB.
        if let r = findSubsequence(b, "%PDF-", limit: 1024),
            r == 0 || !(b.first == UInt8(ascii: "<") || b.first == UInt8(ascii: "{"))
        {
            return .format(.pdf)
        }
        guard let first = b.first,
            first == 0x50 || first == 0xD0 || first == 0x89 || first == 0xFF || first == 0x47
                || first == 0x1F || first == 0x7B || first == 0x7F
        else { return nil }
        if starts(0x50, 0x4B, 0x03, 0x04) || starts(0x50, 0x4B, 0x05, 0x06) { return .zip }
        if starts(0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1) {
            return .other("an OLE compound file (a legacy .doc/.xls/.ppt, or an encrypted Office document)")
        }
        if starts(0x89, 0x50, 0x4E, 0x47) { return .other("a PNG image") }
        if starts(0xFF, 0xD8, 0xFF) { return .other("a JPEG image") }
        if starts("GIF8") { return .other("a GIF image") }
        if starts(0x1F, 0x8B) { return .other("gzip-compressed data") }
        if starts("{\\rtf") { return .other("an RTF document") }
        if starts(0x7F, 0x45, 0x4C, 0x46) { return .other("an executable (ELF)") }
        return nil
    }

    /// Where `needle` first occurs within the first `limit` bytes of `hay` (wholly inside them).
    static func findSubsequence(_ hay: [UInt8], _ needle: StaticString, limit: Int) -> Int? {
        let n = needle.utf8CodeUnitCount
        let p = needle.utf8Start
        let end = min(hay.count, limit) - n
        guard n > 0, end >= 0 else { return nil }
        return hay.withUnsafeBufferPointer { h in
            guard let base = h.baseAddress else { return nil }
            var i = 0
            while i <= end {
                // memchr finds the candidates for the first byte (vectorized), then the rest is compared.
                guard let hit = memchr(base + i, Int32(p[0]), end - i + 1) else { return nil }
                i = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                if memcmp(base + i, p, n) == 0 { return i }
                i += 1
            }
            return nil
        }
    }

    /// Whether a ZIP archive's central directory (at its end) names `word/document.xml`.
    static func zipNamesWordDocument(_ b: [UInt8]) -> Bool {
        let tail = Array(b.suffix(256 << 10))
        return findSubsequence(tail, "word/document.xml", limit: tail.count) != nil
            || findSubsequence(b, "word/document.xml", limit: 64 << 10) != nil
    }

    /// Guesses a text format from the start of the content; `.txt` for other text, nil for binary.
    static func sniff(_ bytes: [UInt8]) -> DocumentFormat? {
        var head = Array(bytes.prefix(8192))
        if head.starts(with: [0xEF, 0xBB, 0xBF]) { head.removeFirst(3) }
        if head.starts(with: [0xFF, 0xFE]) || head.starts(with: [0xFE, 0xFF])
            || TextDecoder.guessBOMlessUTF16(head) != nil
        {
            head = head.filter { $0 != 0 && $0 != 0xFF && $0 != 0xFE }
        }
        if looksBinary(head) { return nil }
        var i = 0
        while i < head.count, head[i] == 0x20 || head[i] == 0x0A || head[i] == 0x0D || head[i] == 0x09 { i += 1 }
        let rest = Array(head[i...])
        let lower = String(decoding: rest.prefix(512), as: UTF8.self).lowercased()
        if lower.hasPrefix("<!doctype html") || lower.hasPrefix("<html") || lower.hasPrefix("<head")
            || lower.hasPrefix("<body") || (lower.hasPrefix("<!--") && lower.contains("<html"))
            || (lower.hasPrefix("<?xml") && lower.contains("<html"))
        {
            return .html
        }
        if rest.first == UInt8(ascii: "{") {
            // JSON Lines: the first line is one object on its own.
            let line = rest.prefix { $0 != 0x0A }
            var e = line.count
            while e > 0, line[line.startIndex + e - 1] == 0x20 || line[line.startIndex + e - 1] == 0x0D { e -= 1 }
            if e > 0 && line[line.startIndex + e - 1] == UInt8(ascii: "}") { return .jsonl }
            return .json
        }
        if rest.first == UInt8(ascii: "[") { return .json }
        let text = String(decoding: rest.prefix(4096), as: UTF8.self)
        if text.hasPrefix("From ")
            && MailHeaders.looksLikeHeaderBlock(
                text.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().joined(separator: "\n"))
        {
            return .mbox
        }
        if MailHeaders.looksLikeHeaderBlock(text) { return .eml }
        return .txt
    }

    /// NUL bytes or many control bytes in the first KiB.
    static func looksBinary(_ b: [UInt8]) -> Bool {
        let n = min(b.count, 1024)
        var nul = 0, control = 0
        for i in 0..<n {
            let c = b[i]
            if c == 0 {
                nul += 1
            } else if c < 0x20 && c != 0x09 && c != 0x0A && c != 0x0D && c != 0x0C && c != 0x1B {
                control += 1
            }
        }
        return nul > 0 || control * 10 > n
    }
}
