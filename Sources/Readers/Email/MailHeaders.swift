// RFC 5322 header blocks: recognising one, unfolding and splitting it, and decoding RFC 2047 encoded
// words (`=?utf-8?B?...?=`, `=?iso-8859-1?Q?...?=`) in each part's own charset.

import Foundation

/// Header parsing helpers for mail.
enum MailHeaders {
    static let known: Set<String> = [
        "from", "to", "cc", "subject", "date", "message-id", "received", "return-path",
        "mime-version", "content-type", "reply-to", "delivered-to", "x-mailer", "sender",
    ]

    /// Whether `text` starts with a mail header block (two or more headers, one of them a well-known one).
    static func looksLikeHeaderBlock(_ text: String) -> Bool {
        // Headers come first: look at the first lines only, byte by byte (the text may be long).
        var count = 0
        var knownSeen = false
        var lines = 0
        let bytes = text.utf8
        var i = bytes.startIndex
        while i < bytes.endIndex, lines < 60 {
            lines += 1
            var j = i
            while j < bytes.endIndex, bytes[j] != 0x0A { j = bytes.index(after: j) }
            var lineEnd = j
            if lineEnd > i, bytes[bytes.index(before: lineEnd)] == 0x0D { lineEnd = bytes.index(before: lineEnd) }
            if lineEnd == i { break }  // the blank line ends the headers
            let first = bytes[i]
            if first == 0x20 || first == 0x09 {
                if count == 0 { return false }
            } else {
                var k = i
                while k < lineEnd, bytes[k] != 0x3A { k = bytes.index(after: k) }
                guard k < lineEnd, k > i else { return false }
                let name = bytes[i..<k]
                guard
                    name.allSatisfy({
                        ($0 >= 0x30 && $0 <= 0x39) || (($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A) || $0 == 0x2D
                    })
                else {
                    return false
                }
                count += 1
                if known.contains(String(decoding: name, as: UTF8.self).lowercased()) { knownSeen = true }
            }
            i = j < bytes.endIndex ? bytes.index(after: j) : j
        }
        return count >= 2 && knownSeen
    }

    /// Splits `bytes` into unfolded headers (raw values) and the offset where the body starts.
    static func split(_ bytes: ArraySlice<UInt8>) -> (headers: [(name: String, value: [UInt8])], body: Int) {
        var headers: [(String, [UInt8])] = []
        var i = bytes.startIndex
        let end = bytes.endIndex
        while i < end {
            var j = i
            while j < end && bytes[j] != 0x0A { j += 1 }
            var lineEnd = j
            if lineEnd > i && bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            let next = min(j + 1, end)
            if lineEnd == i { return (headers, next) }  // the blank line
            let line = bytes[i..<lineEnd]
            if line.first == 0x20 || line.first == 0x09, !headers.isEmpty {
                headers[headers.count - 1].1.append(0x20)
                headers[headers.count - 1].1.append(contentsOf: line.drop { $0 == 0x20 || $0 == 0x09 })
            } else if let colon = line.firstIndex(of: 0x3A) {
                let name = String(decoding: line[line.startIndex..<colon], as: UTF8.self).trimmingCharacters(
                    in: .whitespaces)
                let value = Array(line[(colon + 1)...].drop { $0 == 0x20 || $0 == 0x09 })
                headers.append((name, value))
            } else {
                return (headers, i)  // not a header: the body starts here
            }
            i = next
        }
        return (headers, end)
    }

    /// Decodes a raw header value: 8-bit bytes by detection, then RFC 2047 encoded words.
    static func decode(_ raw: [UInt8]) -> String {
        let text = String(decoding: TextDecoder.decode(raw).bytes, as: UTF8.self)
        guard text.contains("=?") else { return text }
        var out = ""
        var rest = Substring(text)
        var lastWasEncoded = false
        while let start = rest.range(of: "=?") {
            let before = rest[..<start.lowerBound]
            let afterStart = rest[start.upperBound...]
            // =?charset?E?payload?=
            let parts = afterStart.split(separator: "?", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3, let endRange = parts[2].range(of: "?=") else {
                out += rest[..<start.upperBound]
                rest = afterStart
                lastWasEncoded = false
                continue
            }
            let charset = String(parts[0]).split(separator: "*").first.map(String.init) ?? "utf-8"
            let encoding = parts[1].uppercased()
            let payload = parts[2][..<endRange.lowerBound]
            var bytes: [UInt8]?
            if encoding == "B" {
                bytes = Base64.decode(Array(payload.utf8))
            } else if encoding == "Q" {
                bytes = QuotedPrintable.decode(Array(payload.utf8), header: true)
            }
            guard let decodedBytes = bytes else {
                out += rest[..<start.upperBound]
                rest = afterStart
                continue
            }
            // White space between two encoded words is dropped (RFC 2047 §6.2).
            if !(lastWasEncoded && before.allSatisfy({ $0 == " " || $0 == "\t" })) { out += before }
            let name = TextDecoder.canonicalCharset(charset) ?? "utf-8"
            let decoded =
                name == "utf-8" || name == "ascii"
                ? decodedBytes : TextDecoder.transcode(decodedBytes[...], from: name.uppercased(), name: name).bytes
            out += String(decoding: decoded, as: UTF8.self)
            rest = parts[2][endRange.upperBound...]
            lastWasEncoded = true
        }
        out += rest
        return out
    }

    /// A header value's main part and its parameters (`text/plain; charset="utf-8"`).
    static func parameters(_ value: String) -> (main: String, params: [String: String]) {
        var params: [String: String] = [:]
        let pieces = splitOutsideQuotes(value, ";")
        let main = pieces.first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        for piece in pieces.dropFirst() {
            guard let eq = piece.firstIndex(of: "=") else { continue }
            let key = piece[..<eq].trimmingCharacters(in: .whitespaces).lowercased()
            var v = piece[piece.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            if v.hasPrefix("\"") && v.hasSuffix("\"") && v.count >= 2 { v = String(v.dropFirst().dropLast()) }
            params[key.hasSuffix("*") ? String(key.dropLast()) : key] = v
        }
        return (main, params)
    }

    static func splitOutsideQuotes(_ s: String, _ sep: Character) -> [String] {
        var out: [String] = []
        var cur = ""
        var quoted = false
        for c in s {
            if c == "\"" { quoted.toggle() }
            if c == sep && !quoted { out.append(cur); cur = ""; continue }
            cur.append(c)
        }
        out.append(cur)
        return out
    }
}

/// Base64 decoding that skips white space and stops at padding or junk.
enum Base64 {
    static func decode(_ input: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(input.count * 3 / 4)
        var acc: UInt32 = 0
        var bits = 0
        for c in input {
            let v: UInt32
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): v = UInt32(c - 65)
            case UInt8(ascii: "a")...UInt8(ascii: "z"): v = UInt32(c - 97 + 26)
            case UInt8(ascii: "0")...UInt8(ascii: "9"): v = UInt32(c - 48 + 52)
            case UInt8(ascii: "+"), UInt8(ascii: "-"): v = 62
            case UInt8(ascii: "/"), UInt8(ascii: "_"): v = 63
            default: continue
            }
            acc = acc << 6 | v
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: acc >> UInt32(bits)))
            }
        }
        return out
    }
}

/// Quoted-printable decoding (RFC 2045; `header` for RFC 2047's Q encoding, where `_` is a space).
enum QuotedPrintable {
    static func decode(_ input: [UInt8], header: Bool = false) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(input.count)
        var i = 0
        func hex(_ c: UInt8) -> UInt8? {
            switch c {
            case 0x30...0x39: c - 0x30
            case 0x41...0x46: c - 0x41 + 10
            case 0x61...0x66: c - 0x61 + 10
            default: nil
            }
        }
        while i < input.count {
            let c = input[i]
            if c == UInt8(ascii: "=") {
                if i + 1 < input.count && input[i + 1] == 0x0A { i += 2; continue }  // soft line break
                if i + 2 < input.count && input[i + 1] == 0x0D && input[i + 2] == 0x0A { i += 3; continue }
                if i + 2 < input.count, let h = hex(input[i + 1]), let l = hex(input[i + 2]) {
                    out.append(h << 4 | l)
                    i += 3
                    continue
                }
                out.append(c)
                i += 1
                continue
            }
            out.append(header && c == UInt8(ascii: "_") ? 0x20 : c)
            i += 1
        }
        return out
    }
}
