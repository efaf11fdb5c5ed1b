// Text files that mix UTF-8 with a legacy code page (a UTF-8 file with pasted windows-1252 lines): each
// line keeps its UTF-8 sequences and reads its other bytes in the code page that scores best on them,
// unless the line reads better wholly in that code page. TextDecoder tries this before whole-file detection.

/// Decoding of files that are partly UTF-8.
enum MixedUTF8 {
    /// The length of the valid UTF-8 sequence starting at `i` (1 for ASCII), or 0 when none starts there.
    static func sequenceLength(_ bytes: [UInt8], _ i: Int, _ end: Int) -> Int {
        let b = bytes[i]
        if b < 0x80 { return 1 }
        func cont(_ k: Int, _ lo: UInt8 = 0x80, _ hi: UInt8 = 0xBF) -> Bool {
            k < end && bytes[k] >= lo && bytes[k] <= hi
        }
        switch b {
        case 0xC2...0xDF: return cont(i + 1) ? 2 : 0
        case 0xE0: return cont(i + 1, 0xA0) && cont(i + 2) ? 3 : 0
        case 0xED: return cont(i + 1, 0x80, 0x9F) && cont(i + 2) ? 3 : 0
        case 0xE1...0xEF: return cont(i + 1) && cont(i + 2) ? 3 : 0
        case 0xF0: return cont(i + 1, 0x90) && cont(i + 2) && cont(i + 3) ? 4 : 0
        case 0xF1...0xF3: return cont(i + 1) && cont(i + 2) && cont(i + 3) ? 4 : 0
        case 0xF4: return cont(i + 1, 0x80, 0x8F) && cont(i + 2) && cont(i + 3) ? 4 : 0
        default: return 0
        }
    }

    static func scalar(_ bytes: [UInt8], _ i: Int, _ n: Int) -> UInt32 {
        switch n {
        case 2: return UInt32(bytes[i] & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F)
        case 3: return UInt32(bytes[i] & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F)
        case 4:
            return UInt32(bytes[i] & 0x07) << 18 | UInt32(bytes[i + 1] & 0x3F) << 12 | UInt32(bytes[i + 2] & 0x3F) << 6
                | UInt32(bytes[i + 3] & 0x3F)
        default: return UInt32(bytes[i])
        }
    }

    /// A line's non-ASCII content: how many valid multi-byte sequences and how many stray bytes.
    private struct Line {
        var start: Int
        var end: Int
        var sequences = 0
        var stray = 0
    }

    /// The file decoded line by line, or nil when it is not mixed: no line has UTF-8 sequences that read
    /// better as UTF-8 (then the whole file is one legacy encoding, for TextDecoder to detect).
    ///
    /// - Parameter declared: A code page the container declares: it competes for the stray bytes with the
    ///   declared charset's head start.
    static func decode(_ bytes: [UInt8], declared: String? = nil) -> DecodedText? {
        var lines: [Line] = []
        var anySequence = false
        var i = 0
        var line = Line(start: 0, end: 0)
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b == 0x0A {
                line.end = i + 1
                if line.sequences + line.stray > 0 { lines.append(line) }
                line = Line(start: i + 1, end: i + 1)
                i += 1
                continue
            }
            if b < 0x80 {
                i += 1
                continue
            }
            let len = sequenceLength(bytes, i, n)
            if len > 1 {
                line.sequences += 1
                anySequence = true
                i += len
            } else {
                line.stray += 1
                i += 1
            }
        }
        line.end = n
        if line.sequences + line.stray > 0 { lines.append(line) }
        guard anySequence else { return nil }

        // The code page of the stray bytes, scored on the lines that have them.
        var sample: [UInt8] = []
        for l in lines where l.stray > 0 {
            sample.append(contentsOf: EncodingChooser.sample(bytes[l.start..<l.end]))
            sample.append(0x0A)
            if sample.count >= EncodingChooser.sampleLimit { break }
        }
        let proposal = declared.flatMap { SingleBytePage.named($0) }?.name
        guard let page = EncodingChooser.rank(sample: sample, proposal: proposal, source: .declared).first?.page else {
            return nil
        }

        // Per line: UTF-8 sequences as UTF-8 (split), or the whole line in the code page (legacy).
        var split = [Bool](repeating: false, count: lines.count)
        var anySplit = false
        for (k, l) in lines.enumerated() where l.sequences > 0 {
            var asSplit = ReadingScore()
            var asPage = ReadingScore()
            var j = l.start
            while j < l.end {
                let len = bytes[j] < 0x80 ? 1 : sequenceLength(bytes, j, l.end)
                if len > 1 {
                    asSplit.add(CharacterClass.of(scalar(bytes, j, len)))
                    for m in j..<(j + len) { asPage.add(page.classes[Int(bytes[m])]) }
                    j += len
                } else {
                    let c = page.classes[Int(bytes[j])]
                    asSplit.add(c)
                    asPage.add(c)
                    j += 1
                }
            }
            asSplit.endWord()
            asPage.endWord()
            if asSplit.total() >= asPage.total() {
                split[k] = true
                anySplit = true
            }
        }
        guard anySplit else { return nil }

        var out: [UInt8] = []
        out.reserveCapacity(n + n / 8)
        var legacyLines = 0
        var firstLegacy = 0
        var replaced = 0
        var position = 0
        func appendPage(_ b: UInt8) {
            let v = page.scalars[Int(b)]
            if page.classes[Int(b)].kind == .undefined {
                out.append(contentsOf: [0xEF, 0xBF, 0xBD])
                replaced += 1
            } else {
                UTF8.encode(Unicode.Scalar(v) ?? "\u{FFFD}") { out.append($0) }
            }
        }
        for (k, l) in lines.enumerated() {
            out.append(contentsOf: bytes[position..<l.start])
            if split[k] && l.stray == 0 {
                out.append(contentsOf: bytes[l.start..<l.end])
            } else {
                legacyLines += 1
                if firstLegacy == 0 { firstLegacy = lineNumber(bytes, l.start) }
                var j = l.start
                while j < l.end {
                    let b = bytes[j]
                    if b < 0x80 {
                        out.append(b)
                        j += 1
                        continue
                    }
                    let len = split[k] ? sequenceLength(bytes, j, l.end) : 0
                    if len > 1 {
                        out.append(contentsOf: bytes[j..<(j + len)])
                        j += len
                    } else {
                        appendPage(b)
                        j += 1
                    }
                }
            }
            position = l.end
        }
        out.append(contentsOf: bytes[position..<n])
        var d = DecodedText(bytes: out, encoding: "utf-8, \(page.name)")
        d.warnings.append(
            "mixed encodings: \(legacyLines) line\(legacyLines == 1 ? "" : "s") (the first is line \(firstLegacy)) "
                + "not UTF-8, read as \(page.name)")
        if replaced > 0 { d.warnings.append("replaced \(replaced) bytes invalid in \(page.name) with U+FFFD") }
        return d
    }

    private static func lineNumber(_ bytes: [UInt8], _ offset: Int) -> Int {
        var count = 1
        for b in bytes[0..<offset] where b == 0x0A { count += 1 }
        return count
    }
}
