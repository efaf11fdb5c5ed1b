// Block detection for plain text: paragraphs, headings, the title, list items and datelines.
// Blocks are ranges into the normalized text; the text itself is never rewritten.

import DocumentModel

/// Finds the block structure of plain text.
///
/// Rules: blank lines separate paragraphs; hard-wrapped lines join into one paragraph, but in a stack of
/// short lines none of which ends with punctuation (`features\ncontact manager`) each line is a paragraph;
/// a line indented more than the paragraph's other lines starts a new paragraph (newswire style); a short
/// line without final punctuation standing alone, an ALL-CAPS line and a `Title:` line are headings; the
/// first such line of the document is its title; lines starting with `-`, `*`, `•`, `1.`, `1)`, `a)` are
/// list items, grouped under a list, unless the line goes on with the next marker of its series
/// (`1. One 2. Two`: an inline list, kept as a paragraph with its markers); datelines (`LONDON (Reuters) -`,
/// `KYIV, March 1 (Agency) -`, `SALVADOR, Feb 26`) become their own block.
public enum PlainTextBlockDetector {
    /// The detected blocks and, if the first line is a title, its text.
    public struct Result: Sendable {
        public var blocks: BlockTree
        public var title: String?
    }

    struct Line {
        var start: Int, end: Int  // without the newline, trailing spaces trimmed
        var indent: Int  // columns of leading whitespace
        var contentStart: Int
        var blank: Bool
    }

    /// Detects the blocks of `text`.
    public static func detect(_ text: String) -> Result {
        var t = text
        t.makeContiguousUTF8()
        return t.utf8.withContiguousStorageIfAvailable { detect(buffer: $0) }!
    }

    static func lines(_ buf: UnsafeBufferPointer<UInt8>) -> [Line] {
        var out: [Line] = []
        out.reserveCapacity(buf.count / 48 + 4)
        var i = 0
        let n = buf.count
        while i < n {
            var e = i
            while e < n && buf[e] != 0x0A { e += 1 }
            var c = i, indent = 0
            while c < e && (buf[c] == 0x20 || buf[c] == 0x09) { indent += buf[c] == 0x09 ? 4 : 1; c += 1 }
            var te = e
            while te > c && (buf[te - 1] == 0x20 || buf[te - 1] == 0x09) { te -= 1 }
            out.append(Line(start: i, end: te, indent: indent, contentStart: c, blank: c == te))
            i = e + 1
        }
        return out
    }

    static func detect(buffer buf: UnsafeBufferPointer<UInt8>) -> Result {
        let ls = lines(buf)
        var blocks: [Block] = []
        blocks.reserveCapacity(ls.count / 4 + 4)
        var title: String? = nil
        var listIndex = -1  // index of the open list block, if any
        var i = 0
        var firstContent = true

        func closeList() { listIndex = -1 }
        func addLeaf(_ kind: BlockKind, _ s: Int, _ e: Int, level: Int = 0) {
            guard e > s else { return }
            if kind == .item {
                // The list covers the markers; each item covers its text after the marker.
                let contentStart =
                    listMarkerEnd(buf, Line(start: s, end: e, indent: 0, contentStart: s, blank: false)) ?? s
                if listIndex < 0 {
                    blocks.append(Block(kind: .list, range: TextRange(s, e)))
                    listIndex = blocks.count - 1
                }
                blocks[listIndex].range.end = UInt32(e)
                guard e > contentStart else { return }
                blocks.append(Block(kind: .item, level: level, range: TextRange(contentStart, e), parent: listIndex))
            } else {
                closeList()
                blocks.append(Block(kind: kind, level: level, range: TextRange(s, e)))
            }
        }

        while i < ls.count {
            if ls[i].blank { i += 1; continue }
            // A chunk: consecutive non-blank lines.
            var j = i
            while j < ls.count && !ls[j].blank { j += 1 }
            let followedByBlank = j < ls.count || true
            let chunk = ls[i..<j]  // indexed from 0 through `chunkLine`
            let chunkStart = i
            func chunkLine(_ k: Int) -> Line { chunk[chunkStart + k] }
            var minIndent = Int.max
            for l in chunk { minIndent = min(minIndent, l.indent) }
            let isFirst = firstContent
            firstContent = false

            // A one-line chunk: title, heading, dateline, item or paragraph.
            if chunk.count == 1 {
                let l = chunkLine(0)
                if let (kind, level) = classifyLone(buf, l, isFirst: isFirst, followedByBlank: followedByBlank) {
                    if kind == .title {
                        title = String(
                            decoding: UnsafeBufferPointer(rebasing: buf[titleStart(buf, l)..<l.end]), as: UTF8.self)
                    }
                    if kind == .item {
                        addLeaf(.item, l.contentStart, l.end, level: 1 + l.indent / 2)
                    } else {
                        addLeaf(kind, l.contentStart, l.end, level: level)
                    }
                    i = j
                    continue
                }
            }
            // A stack of short lines none of which ends a clause (a menu, an address, a table's rows) is
            // not hard-wrapped prose: each line is a paragraph of its own.
            if chunk.count >= 2 && chunk.allSatisfy({ isShortUnpunctuated(buf, $0) }) {
                for l in chunk {
                    addLeaf(isAllCapsHeading(buf, l) ? .heading : .paragraph, l.contentStart, l.end, level: 0)
                }
                i = j
                continue
            }
            // Split the chunk into paragraphs, items, all-caps headings and datelines.
            var k = 0
            var paraStart = -1, paraEnd = -1
            var paraIsItem = false
            var itemLevel = 1
            func flush() {
                if paraStart >= 0 {
                    addLeaf(paraIsItem ? .item : .paragraph, paraStart, paraEnd, level: paraIsItem ? itemLevel : 0)
                }
                paraStart = -1
                paraIsItem = false
            }
            while k < chunk.count {
                let l = chunkLine(k)
                if let _ = listMarkerEnd(buf, l) {
                    flush()
                    paraStart = l.contentStart; paraEnd = l.end; paraIsItem = true; itemLevel = 1 + l.indent / 2
                    k += 1
                    continue
                }
                if isAllCapsHeading(buf, l) && k + 1 < chunk.count {
                    flush()
                    addLeaf(.heading, l.contentStart, l.end, level: 2)
                    k += 1
                    continue
                }
                let startsNew =
                    paraStart < 0 || (l.indent > minIndent && !paraIsItem)
                    || (paraIsItem && l.indent == 0 && minIndent == 0 && false)
                if startsNew {
                    flush()
                    if let dEnd = datelineEnd(buf, l) {
                        addLeaf(.dateline, l.contentStart, dEnd.datelineEnd)
                        if dEnd.restStart < l.end {
                            paraStart = dEnd.restStart; paraEnd = l.end
                        } else {
                            k += 1; continue
                        }
                    } else {
                        paraStart = l.contentStart; paraEnd = l.end
                    }
                } else {
                    paraEnd = l.end
                }
                k += 1
            }
            flush()
            // A list continues across blank lines only if the next chunk starts with an item.
            if listIndex >= 0 && j < ls.count {
                var nj = j
                while nj < ls.count && ls[nj].blank { nj += 1 }
                if nj >= ls.count || listMarkerEnd(buf, ls[nj]) == nil { closeList() }
            }
            i = j
        }
        return Result(blocks: BlockTree(blocks), title: title)
    }

    // MARK: - Line rules

    static func titleStart(_ buf: UnsafeBufferPointer<UInt8>, _ l: Line) -> Int {
        if hasPrefix(buf, l.contentStart, l.end, "Title:") {
            var s = l.contentStart + 6
            while s < l.end && buf[s] == 0x20 { s += 1 }
            return s
        }
        return l.contentStart
    }

    static func hasPrefix(_ buf: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int, _ p: StaticString) -> Bool {
        let n = p.utf8CodeUnitCount
        guard e - s >= n else { return false }
        return p.withUTF8Buffer { pb in
            for k in 0..<n where buf[s + k] != pb[k] { return false }
            return true
        }
    }

    /// The kind of a line standing alone between blank lines, or `nil` for an ordinary paragraph.
    static func classifyLone(_ buf: UnsafeBufferPointer<UInt8>, _ l: Line, isFirst: Bool, followedByBlank: Bool) -> (
        BlockKind, Int
    )? {
        if hasPrefix(buf, l.contentStart, l.end, "Title:") { return (.title, 1) }
        if listMarkerEnd(buf, l) != nil { return (.item, 1) }
        if let d = datelineEnd(buf, l), d.restStart >= l.end { return (.dateline, 0) }
        let len = l.end - l.contentStart
        let last = buf[l.end - 1]
        let finalPunct =
            last == 0x2E || last == 0x2C || last == 0x3B || last == 0x3A || last == 0x21 || last == 0x3F
            || last == 0x22
            || (l.end >= 3 && buf[l.end - 3] == 0xE2 && buf[l.end - 2] == 0x80
                && (buf[l.end - 1] == 0x9D || buf[l.end - 1] == 0xA6))
        if isAllCapsHeading(buf, l) { return (isFirst ? .title : .heading, 1) }
        if len <= 100 && !finalPunct && startsWithUpperOrDigit(buf, l) && wordCount(buf, l) <= 14 {
            return (isFirst ? .title : .heading, isFirst ? 1 : 2)
        }
        return nil
    }

    static func startsWithUpperOrDigit(_ buf: UnsafeBufferPointer<UInt8>, _ l: Line) -> Bool {
        let b = buf[l.contentStart]
        if b >= 0x80 {
            let s = String(
                decoding: UnsafeBufferPointer(rebasing: buf[l.contentStart..<min(l.end, l.contentStart + 4)]),
                as: UTF8.self)
            return s.unicodeScalars.first.map { $0.properties.isUppercase || $0.properties.numericType != nil } ?? false
        }
        return (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39)
    }

    static func wordCount(_ buf: UnsafeBufferPointer<UInt8>, _ l: Line) -> Int {
        var n = 0
        var inWord = false
        for k in l.contentStart..<l.end {
            let sp = buf[k] == 0x20 || buf[k] == 0x09
            if !sp && !inWord { n += 1 }
            inWord = !sp
        }
        return n
    }

    /// A line of at most 32 bytes that is no list item and does not end with punctuation that ends or
    /// splits a clause (`.` `!` `?` `:` `;` `,` `-`, a closing quote, `…`).
    static func isShortUnpunctuated(_ buf: UnsafeBufferPointer<UInt8>, _ l: Line) -> Bool {
        guard l.end - l.contentStart <= 32, listMarkerEnd(buf, l) == nil else { return false }
        let last = buf[l.end - 1]
        if last < 0x80 {
            return
                !(last == 0x2E || last == 0x21 || last == 0x3F || last == 0x3A || last == 0x3B || last == 0x2C
                || last == 0x2D || last == 0x22 || last == 0x27 || last == 0x29)
        }
        // » (C2 BB) and the closing marks ” ’ … (E2 80 xx) end a clause too.
        if buf[l.end - 2] == 0xC2 { return false }
        return !(l.end - 3 >= l.contentStart && buf[l.end - 3] == 0xE2 && buf[l.end - 2] == 0x80)
    }

    /// An ALL-CAPS line: at least 3 letters, no lower-case ASCII letters, at most 80 bytes.
    static func isAllCapsHeading(_ buf: UnsafeBufferPointer<UInt8>, _ l: Line) -> Bool {
        guard l.end - l.contentStart <= 80 else { return false }
        var upper = 0
        for k in l.contentStart..<l.end {
            let b = buf[k]
            if b >= 0x61 && b <= 0x7A { return false }
            if b >= 0x80 { return false }
            if b >= 0x41 && b <= 0x5A { upper += 1 }
        }
        if datelineEnd(buf, l) != nil { return false }
        return upper >= 3
    }

    /// The end of a list marker (`-`, `*`, `•`, `1.`, `1)`, `a)`) followed by a space, or `nil`.
    ///
    /// A line that goes on with the next marker of its series (`1. The first 2. The second`, `• one • two`)
    /// is an inline list: a paragraph whose markers stay in its sentences, so no item.
    static func listMarkerEnd(_ buf: UnsafeBufferPointer<UInt8>, _ l: Line) -> Int? {
        let s = l.contentStart, e = l.end
        guard s < e else { return nil }
        let b = buf[s]
        if (b == 0x2D || b == 0x2A) && s + 1 < e && buf[s + 1] == 0x20 { return s + 2 }
        // a bullet (•, E2 80 A2) and a space
        if b == 0xE2 && s + 3 < e && buf[s + 1] == 0x80 && buf[s + 2] == 0xA2 && buf[s + 3] == 0x20 {
            return containsInline(buf, s + 4, e, [0x20, 0xE2, 0x80, 0xA2, 0x20]) ? nil : s + 4
        }
        var k = s
        var value = 0
        while k < e && k - s < 3 && buf[k] >= 0x30 && buf[k] <= 0x39 { value = value * 10 + Int(buf[k] - 0x30); k += 1 }
        if k > s && k + 1 < e && (buf[k] == 0x2E || buf[k] == 0x29) && buf[k + 1] == 0x20 {
            let next = [0x20] + Array(String(value + 1).utf8) + [buf[k], 0x20]
            return containsInline(buf, k + 2, e, next) ? nil : k + 2
        }
        if b >= 0x61 && b < 0x7A && s + 2 < e && buf[s + 1] == 0x29 && buf[s + 2] == 0x20 {
            return containsInline(buf, s + 3, e, [0x20, b + 1, 0x29, 0x20]) ? nil : s + 3
        }
        return nil
    }

    /// Whether `pattern` occurs in `buf[from..<to]`.
    static func containsInline(_ buf: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int, _ pattern: [UInt8]) -> Bool {
        let n = pattern.count
        guard to - from >= n else { return false }
        var i = from
        while i <= to - n {
            if buf[i] == pattern[0] {
                var k = 1
                while k < n && buf[i + k] == pattern[k] { k += 1 }
                if k == n { return true }
            }
            i += 1
        }
        return false
    }

    /// A dateline at the start of a line: `PLACE[, Month Day] [(Agency)] -` or `PLACE, Mon Day` alone.
    ///
    /// - Returns: The end of the dateline (after the dash, or the line end) and where the rest begins.
    static func datelineEnd(_ buf: UnsafeBufferPointer<UInt8>, _ l: Line) -> (datelineEnd: Int, restStart: Int)? {
        var k = l.contentStart
        let e = l.end
        // PLACE: upper-case words (letters, spaces, dots, apostrophes, hyphens), at least 2 letters.
        var letters = 0
        while k < e {
            let b = buf[k]
            if b >= 0x41 && b <= 0x5A { letters += 1; k += 1; continue }
            if (b == 0x20 || b == 0x2E || b == 0x27 || b == 0x2D) && k + 1 < e && buf[k + 1] >= 0x41
                && buf[k + 1] <= 0x5A
            {
                k += 1; continue
            }
            break
        }
        guard letters >= 2, k < e else { return nil }
        var hasDate = false, hasAgency = false
        if buf[k] == 0x2C && k + 1 < e && buf[k + 1] == 0x20 {
            // , Month Day
            var m = k + 2
            let ms = m
            while m < e && ((buf[m] >= 0x41 && buf[m] <= 0x5A) || (buf[m] >= 0x61 && buf[m] <= 0x7A)) { m += 1 }
            guard m - ms >= 3, buf[ms] >= 0x41, buf[ms] <= 0x5A else { return nil }
            if m < e && buf[m] == 0x2E { m += 1 }
            guard m < e && buf[m] == 0x20 else { return nil }
            m += 1
            let ds = m
            while m < e && buf[m] >= 0x30 && buf[m] <= 0x39 { m += 1 }
            guard m > ds && m - ds <= 2 else { return nil }
            hasDate = true
            k = m
        }
        // optional " (Agency)"
        if k + 1 < e && buf[k] == 0x20 && buf[k + 1] == 0x28 {
            var m = k + 2
            while m < e && buf[m] != 0x29 && m - k < 40 { m += 1 }
            guard m < e && buf[m] == 0x29 else { return nil }
            hasAgency = true
            k = m + 1
        }
        if k == e { return hasDate ? (e, e) : nil }  // `SALVADOR, Feb 26` alone on a line
        // " - " or " -- " or " — "
        guard hasDate || hasAgency, k < e, buf[k] == 0x20 else { return nil }
        var m = k + 1
        if m < e && buf[m] == 0x2D {
            m += 1; if m < e && buf[m] == 0x2D { m += 1 }
        } else if m + 2 < e && buf[m] == 0xE2 && buf[m + 1] == 0x80 && (buf[m + 2] == 0x94 || buf[m + 2] == 0x93) {
            m += 3
        } else {
            return nil
        }
        let dEnd = m
        while m < e && buf[m] == 0x20 { m += 1 }
        return (dEnd, m)
    }
}
