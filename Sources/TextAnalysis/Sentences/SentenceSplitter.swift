// The sentence splitter: deterministic rules over the tokens of one block.
// Sentences never cross blocks; line breaks inside a paragraph are just spaces to it.

import DocumentModel

/// Splits the tokens of a block into sentences.
///
/// A sentence ends at `.`, `?`, `!`, `...`, `…` (with any closing quotes and brackets right after
/// them) when the next token does not start with a lower-case letter, and at the end of the block.
/// Abbreviations with a period decide by their class: titles (`Mr.`), initials (`J.`) and `e.g.`-like
/// ones never end a sentence; `U.S.`, `Inc.` end one only before a typical sentence starter (`The`,
/// `He` ...); `etc.`, `a.m.` before any capitalized word; months never before a number.
public enum SentenceSplitter {
    /// Appends the sentences formed by `tokens[range]` (all inside block `block`) to `sentences`.
    public static func split(
        _ buf: UnsafeBufferPointer<UInt8>, tokens: TokenTable, range: Range<Int>, block: Int,
        into sentences: inout SentenceTable
    ) {
        guard !range.isEmpty else { return }
        var sentStart = range.lowerBound
        var t = range.lowerBound
        let end = range.upperBound
        while t < end {
            guard isTerminator(buf, tokens, t) else { t += 1; continue }
            var last = t
            while last + 1 < end && tokens.starts[last + 1] == tokens.ends[last]
                && (isCloser(buf, tokens, last + 1)
                    || isTerminator(buf, tokens, last + 1) && tokens.kinds[last + 1] == .punctuation)
            {
                last += 1
            }
            let next = last + 1
            if next >= end { break }
            if isBoundary(buf, tokens, t, next) {
                sentences.append(TextRange(start: tokens.starts[sentStart], end: tokens.ends[last]), block: block)
                sentStart = next
            }
            t = next
        }
        if sentStart < end {
            sentences.append(TextRange(start: tokens.starts[sentStart], end: tokens.ends[end - 1]), block: block)
        }
    }

    @inline(__always)
    static func isTerminator(_ buf: UnsafeBufferPointer<UInt8>, _ tokens: TokenTable, _ t: Int) -> Bool {
        let s = Int(tokens.starts[t])
        let b = buf[s]
        switch tokens.kinds[t] {
        case .punctuation:
            if b == 0x2E || b == 0x3F || b == 0x21 { return true }
            if b == 0xE2 && buf[s + 1] == 0x80 && buf[s + 2] == 0xA6 { return true }  // …
            if b == 0xEF && buf[s + 1] == 0xBC && (buf[s + 2] == 0x81 || buf[s + 2] == 0x9F) { return true }  // ！？
            if b == 0xE3 && buf[s + 1] == 0x80 && buf[s + 2] == 0x82 { return true }  // 。
            return false
        case .word:
            return tokens.flags[t].contains(.abbreviation)
        default:
            return false
        }
    }

    /// Closing quotes and brackets that stay with the sentence before them.
    @inline(__always)
    static func isCloser(_ buf: UnsafeBufferPointer<UInt8>, _ tokens: TokenTable, _ t: Int) -> Bool {
        guard tokens.kinds[t] == .punctuation else { return false }
        let s = Int(tokens.starts[t])
        let len = Int(tokens.ends[t]) - s
        let b = buf[s]
        if len == 1 { return b == 0x29 || b == 0x5D || b == 0x7D || b == 0x22 || b == 0x27 }
        if len == 2 && b == 0xC2 { return buf[s + 1] == 0xBB || buf[s + 1] == 0xAB }  // » «
        if len == 3 && b == 0xE2 && buf[s + 1] == 0x80 {
            let c = buf[s + 2]
            return c == 0x9D || c == 0x99 || c == 0xBA || c == 0x9C  // ” ’ › “
        }
        if len == 3 && b == 0xE3 && buf[s + 1] == 0x80 { return buf[s + 2] == 0x8D || buf[s + 2] == 0x8F }  // 」』
        return false
    }

    static func startsLowercase(_ buf: UnsafeBufferPointer<UInt8>, _ tokens: TokenTable, _ t: Int) -> Bool {
        let s = Int(tokens.starts[t])
        let b = buf[s]
        if b < 0x80 { return b >= 0x61 && b <= 0x7A }
        guard tokens.kinds[t] == .word else { return false }
        let str = String(
            decoding: UnsafeBufferPointer(rebasing: buf[s..<min(Int(tokens.ends[t]), s + 4)]), as: UTF8.self)
        return str.unicodeScalars.first?.properties.isLowercase ?? false
    }

    static func isOpener(_ buf: UnsafeBufferPointer<UInt8>, _ tokens: TokenTable, _ t: Int) -> Bool {
        guard tokens.kinds[t] == .punctuation else { return false }
        let s = Int(tokens.starts[t])
        let b = buf[s]
        if b == 0x28 || b == 0x5B || b == 0x22 || b == 0x27 { return true }
        if b == 0xE2 && buf[s + 1] == 0x80 { return buf[s + 2] == 0x9C || buf[s + 2] == 0x98 || buf[s + 2] == 0x9E }
        return b == 0xC2 && (buf[s + 1] == 0xAB || buf[s + 1] == 0xBB)
    }

    static func isBoundary(_ buf: UnsafeBufferPointer<UInt8>, _ tokens: TokenTable, _ t: Int, _ next: Int) -> Bool {
        if startsLowercase(buf, tokens, next) { return false }
        guard tokens.kinds[t] == .word else { return true }  // ., ?, !, ..., …
        let s = Int(tokens.starts[t]), e = Int(tokens.ends[t])
        let nextIsCapital = tokens.flags[next].contains(.capitalized) || isOpener(buf, tokens, next)
        switch Abbreviations.classify(buf, s, e) {
        case .title?, .inner?, .initial?:
            return false
        case .month?:
            if tokens.kinds[next] == .number { return false }
            return isStarter(buf, tokens, next)
        case .beforeStarter?:
            return isStarter(buf, tokens, next)
        case .beforeCapital?:
            return nextIsCapital
        case nil:
            return nextIsCapital || tokens.kinds[next] != .word
        }
    }

    static func isStarter(_ buf: UnsafeBufferPointer<UInt8>, _ tokens: TokenTable, _ t: Int) -> Bool {
        if isOpener(buf, tokens, t) { return true }
        guard tokens.kinds[t] == .word, let k = Abbreviations.key(buf, Int(tokens.starts[t]), Int(tokens.ends[t]))
        else {
            return false
        }
        return Abbreviations.starters.contains(k)
    }
}
