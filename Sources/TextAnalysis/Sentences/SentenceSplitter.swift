// The sentence splitter: deterministic rules over the tokens of one block.
// Sentences never cross blocks; line breaks inside a paragraph are just spaces to it.

import DocumentModel

/// Splits the tokens of a block into sentences.
///
/// A sentence ends at `.`, `?`, `!`, `...`, `…` (with any closing quotes and brackets right after
/// them) when the next token does not start with a lower-case letter, and at the end of the block.
/// The rules (docs/document-schema.md "Sentence boundaries" lists them with examples):
/// - Abbreviations with a period decide by their class: titles (`Mr.`), initials (`J.`) and `e.g.`-like
///   ones never end a sentence; `U.S.`, `Inc.` end one only before a typical sentence starter (`The`,
///   `He` ...); `etc.` before any capitalized word; months and reference words (`No.`, `Fig.`, `p.`,
///   `vol.`, `N°.`) never before a number; `St.` after a name or a number is a street and ends a
///   sentence before a sentence starter (`40 Harbour St. The`).
/// - `a.m.`/`p.m.` end a sentence before a capitalized word unless everything before them in the
///   sentence is a time phrase (numbers, capitalized words, prepositions: `At 5 a.m. Mr. Smith left`).
/// - `I.` after a lower-case word is the pronoun (`you and I. Did`), not an initial (`Albert I. Jones`).
/// - A period after a single lower-case letter (`p. 55`, `x. Then`) ends a sentence only before a
///   sentence starter.
/// - Ellipses: `...`, `…` or `. . .` standing apart from the word before (`is ... I`) mark an omission
///   inside the sentence; attached (`Yes... It`) they end one before a capital; four dots (`that....`,
///   `. . . .`) hold the sentence's own period and end it before a capital.
/// - A parenthesis right after a quotation's closing quote that ends with the period (`"…" (Smith 55).`)
///   is the quotation's citation: the sentence goes on to that period.
/// - List markers (`1.`, `1)`, `1.)`, `a.`, `a)`) at a sentence start are part of the sentence, never a
///   sentence of their own; once a block has started a sentence with one, the next marker of the same
///   series (`2.` after `1.`, `b)` after `a)`) starts a new sentence even without a period before it; a
///   marker after a colon (`goals: 1. Lower costs.`) is part of the sentence but starts no series;
///   a bullet (`•`, `‣`, `⁃`, `▪`, `●`, `■`, `◦`) inside a block always starts one.
/// - A sentence needs a word or a number before its terminator: an ellipsis or an abbreviation that opens
///   a sentence ends nothing (`... The`, `U.K. One billion`); nor does a terminator before `,` `;` `:`.
/// - Inside brackets, a period before a number goes on (`(2d Cir. 1996)`).
public enum SentenceSplitter {
    /// The last list marker that started a sentence of the block.
    struct ListMarker {
        /// 1 number, 2 lower-case letter, 3 upper-case letter.
        var kind: UInt8
        /// 1 `.`, 2 `)`, 3 `.)`.
        var style: UInt8
        var value: Int
        /// The token after the marker (its first word).
        var next: Int
    }

    /// Appends the sentences formed by `tokens[range]` (all inside block `block`) to `sentences`.
    public static func split(
        _ buf: UnsafeBufferPointer<UInt8>, tokens: TokenTable, range: Range<Int>, block: Int,
        into sentences: inout SentenceTable
    ) {
        guard !range.isEmpty else { return }
        var sentStart = range.lowerBound
        var t = range.lowerBound
        let end = range.upperBound
        var list: ListMarker? = nil
        while t < end {
            if t > sentStart && startsInlineItem(buf, tokens, t, end, list) && hasContent(tokens, sentStart, t) {
                sentences.append(TextRange(start: tokens.starts[sentStart], end: tokens.ends[t - 1]), block: block)
                sentStart = t
            }
            if t == sentStart || (t == sentStart + 1 && isBullet(buf, tokens, sentStart)),
                let m = listMarker(buf, tokens, t, end)
            {
                list = m
                t = m.next
                continue
            }
            // After a colon a marker is part of the sentence too, but starts no series (`are: 1) mix 2) bake`).
            if t > sentStart && isColon(buf, tokens, t - 1), let m = listMarker(buf, tokens, t, end) {
                t = m.next
                continue
            }
            guard isTerminator(buf, tokens, t) else { t += 1; continue }
            var last = t
            // Periods spaced one apart (`. . .`) are one ellipsis.
            var dots = periodDots(buf, tokens, t)
            if dots > 0 {
                while last + 1 < end && tokens.starts[last + 1] == tokens.ends[last] + 1
                    && buf[Int(tokens.ends[last])] == 0x20
                {
                    let d = periodDots(buf, tokens, last + 1)
                    guard d > 0 else { break }
                    dots += d
                    last += 1
                }
            }
            while last + 1 < end && tokens.starts[last + 1] == tokens.ends[last]
                && (isCloser(buf, tokens, last + 1)
                    || isTerminator(buf, tokens, last + 1) && tokens.kinds[last + 1] == .punctuation)
            {
                last += 1
                if dots > 0 { dots += periodDots(buf, tokens, last) }
            }
            let next = last + 1
            if next >= end { break }
            let standsApart = t > range.lowerBound && tokens.starts[t] > tokens.ends[t - 1]
            let omission = dots >= 2 && dots <= 3 && standsApart
            if !omission && hasContent(tokens, sentStart, t)
                && !isCitationAfterQuote(buf, tokens, last, next, end)
                && isBoundary(buf, tokens, t, next, sentStart, dots: dots)
            {
                sentences.append(TextRange(start: tokens.starts[sentStart], end: tokens.ends[last]), block: block)
                sentStart = next
            }
            t = next
        }
        if sentStart < end {
            sentences.append(TextRange(start: tokens.starts[sentStart], end: tokens.ends[end - 1]), block: block)
        }
    }

    // MARK: - Token shapes

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

    /// The number of dots of a token made only of periods or `…` (each `…` counts three), else 0.
    @inline(__always)
    static func periodDots(_ buf: UnsafeBufferPointer<UInt8>, _ tokens: TokenTable, _ t: Int) -> Int {
        guard tokens.kinds[t] == .punctuation else { return 0 }
        let s = Int(tokens.starts[t])
        let n = Int(tokens.ends[t]) - s
        if buf[s] == 0x2E { return n }  // the tokenizer makes runs of periods only of periods
        if buf[s] == 0xE2 && n >= 3 && buf[s + 1] == 0x80 && buf[s + 2] == 0xA6 { return n }  // runs of …
        return 0
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

    /// A closing quotation mark (not a bracket).
    static func isQuote(_ buf: UnsafeBufferPointer<UInt8>, _ tokens: TokenTable, _ t: Int) -> Bool {
        guard isCloser(buf, tokens, t) else { return false }
        let b = buf[Int(tokens.starts[t])]
        return b != 0x29 && b != 0x5D && b != 0x7D
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

    @inline(__always)
    static func isColon(_ buf: UnsafeBufferPointer<UInt8>, _ tokens: TokenTable, _ t: Int) -> Bool {
        tokens.kinds[t] == .punctuation && buf[Int(tokens.starts[t])] == 0x3A
    }

    /// Whether a `(` or `[` opened in `tokens[from..<to]` is still open at `to`.
    static func insideBrackets(_ buf: UnsafeBufferPointer<UInt8>, _ tokens: TokenTable, _ from: Int, _ to: Int)
        -> Bool
    {
        var depth = 0
        for k in from..<to where tokens.kinds[k] == .punctuation {
            let b = buf[Int(tokens.starts[k])]
            if b == 0x28 || b == 0x5B { depth += 1 } else if (b == 0x29 || b == 0x5D) && depth > 0 { depth -= 1 }
        }
        return depth > 0
    }

    /// A list bullet: `•` `‣` `⁃` `◦` `▪` `▫` `●` `■` `▸` `►`.
    @inline(__always)
    static func isBullet(_ buf: UnsafeBufferPointer<UInt8>, _ tokens: TokenTable, _ t: Int) -> Bool {
        let s = Int(tokens.starts[t])
        guard buf[s] == 0xE2, Int(tokens.ends[t]) - s == 3 else { return false }
        let b1 = buf[s + 1], b2 = buf[s + 2]
        if b1 == 0x80 { return b2 == 0xA2 || b2 == 0xA3 }  // • ‣
        if b1 == 0x81 { return b2 == 0x83 }  // ⁃
        if b1 == 0x97 { return b2 == 0xA6 || b2 == 0x8F }  // ◦ ●
        if b1 == 0x96 { return b2 == 0xAA || b2 == 0xAB || b2 == 0xA0 || b2 == 0xB8 || b2 == 0xBA }  // ▪ ▫ ■ ▸ ►
        return false
    }

    /// Whether a word or number (anything but punctuation and symbols) lies in `tokens[from..<to]`.
    @inline(__always)
    static func hasContent(_ tokens: TokenTable, _ from: Int, _ to: Int) -> Bool {
        var k = from
        while k < to {
            let kind = tokens.kinds[k]
            if kind != .punctuation && kind != .symbol { return true }
            k += 1
        }
        return false
    }

    /// The word or number of one ASCII letter or 1–3 ASCII digits at `t`, as a list marker's value.
    static func markerValue(_ buf: UnsafeBufferPointer<UInt8>, _ tokens: TokenTable, _ t: Int) -> (UInt8, Int)? {
        let s = Int(tokens.starts[t]), e = Int(tokens.ends[t])
        switch tokens.kinds[t] {
        case .number:
            guard e - s <= 3 else { return nil }
            var v = 0
            for k in s..<e {
                guard buf[k] >= 0x30 && buf[k] <= 0x39 else { return nil }
                v = v * 10 + Int(buf[k] - 0x30)
            }
            return (1, v)
        case .word:
            guard e - s == 1 else { return nil }
            let b = buf[s]
            if b >= 0x61 && b <= 0x7A { return (2, Int(b - 0x61)) }
            if b >= 0x41 && b <= 0x5A { return (3, Int(b - 0x41)) }
            return nil
        default:
            return nil
        }
    }

    /// A list marker at `t` (`1.`, `1)`, `1.)`, `a.`, `a)`, `A)`) followed by a space and more text.
    static func listMarker(_ buf: UnsafeBufferPointer<UInt8>, _ tokens: TokenTable, _ t: Int, _ end: Int)
        -> ListMarker?
    {
        guard t + 2 < end, let (kind, value) = markerValue(buf, tokens, t) else { return nil }
        @inline(__always) func attachedByte(_ k: Int) -> UInt8? {
            guard k < end, tokens.starts[k] == tokens.ends[k - 1], tokens.ends[k] == tokens.starts[k] + 1 else {
                return nil
            }
            return buf[Int(tokens.starts[k])]
        }
        var p = t + 1
        var style: UInt8
        switch attachedByte(p) {
        case 0x2E?:
            // `A.` is an initial, not a marker: upper-case letters only with a parenthesis.
            if attachedByte(p + 1) == 0x29 { style = 3; p += 2 } else { style = 1; p += 1 }
            if style == 1 && kind == 3 { return nil }
        case 0x29?:
            style = 2; p += 1
        default:
            return nil
        }
        guard p < end, tokens.starts[p] > tokens.ends[p - 1] else { return nil }
        let k = tokens.kinds[p]
        guard k == .word || k == .number || isOpener(buf, tokens, p) else { return nil }
        return ListMarker(kind: kind, style: style, value: value, next: p)
    }

    /// Whether `t` starts a new item of an inline list: a bullet, or the marker after `list` in its series.
    @inline(__always)
    static func startsInlineItem(
        _ buf: UnsafeBufferPointer<UInt8>, _ tokens: TokenTable, _ t: Int, _ end: Int, _ list: ListMarker?
    ) -> Bool {
        switch tokens.kinds[t] {
        case .punctuation:
            return isBullet(buf, tokens, t)
        case .number, .word:
            guard let l = list, tokens.starts[t] > tokens.ends[t - 1],
                let m = listMarker(buf, tokens, t, end)
            else { return false }
            return m.kind == l.kind && m.style == l.style && m.value == l.value + 1
        default:
            return false
        }
    }

    /// `"…" (Smith 55).`: a parenthesis after a closing quote, itself followed by the sentence's period.
    static func isCitationAfterQuote(
        _ buf: UnsafeBufferPointer<UInt8>, _ tokens: TokenTable, _ last: Int, _ next: Int, _ end: Int
    ) -> Bool {
        guard isQuote(buf, tokens, last), tokens.kinds[next] == .punctuation,
            buf[Int(tokens.starts[next])] == 0x28
        else { return false }
        var k = next + 1
        while k < end && k - next <= 24 {
            if tokens.kinds[k] == .punctuation {
                let b = buf[Int(tokens.starts[k])]
                if b == 0x28 { return false }
                if b == 0x29 {
                    return k + 1 < end && tokens.starts[k + 1] == tokens.ends[k]
                        && isTerminator(buf, tokens, k + 1)
                }
            }
            k += 1
        }
        return false
    }

    // MARK: - The decision

    static func isBoundary(
        _ buf: UnsafeBufferPointer<UInt8>, _ tokens: TokenTable, _ t: Int, _ next: Int, _ sentStart: Int,
        dots: Int
    ) -> Bool {
        if startsLowercase(buf, tokens, next) { return false }
        // A hyphen right after the period goes on with the word (`Calif.-based`, `U.S.-led`).
        if tokens.starts[next] == tokens.ends[next - 1] && buf[Int(tokens.starts[next])] == 0x2D { return false }
        // A comma, semicolon or colon goes on with the sentence (`SANTA CRUZ, Calif., Feb 26`).
        if tokens.kinds[next] == .punctuation {
            let b = buf[Int(tokens.starts[next])]
            if b == 0x2C || b == 0x3B || b == 0x3A { return false }
        }
        let nextIsCapital = tokens.flags[next].contains(.capitalized) || isOpener(buf, tokens, next)
        guard tokens.kinds[t] == .word else {
            // ., ?, !, ..., …
            if dots == 1 && t > sentStart && tokens.starts[t] == tokens.ends[t - 1] {
                return periodAfterWordIsBoundary(buf, tokens, t - 1, next, sentStart)
            }
            return true
        }
        let s = Int(tokens.starts[t]), e = Int(tokens.ends[t])
        switch Abbreviations.classify(buf, s, e) {
        case .title?:
            // `St.` after a name or a number is a street (`Main St. The`), and may end a sentence.
            if e - s == 3 && buf[s] == 0x53 && buf[s + 1] == 0x74 && t > sentStart
                && (tokens.flags[t - 1].contains(.capitalized) || tokens.kinds[t - 1] == .number)
            {
                return isStarter(buf, tokens, next)
            }
            return false
        case .inner?:
            return false
        case .initial?:
            // After a lower-case word a capital letter is no initial: the pronoun `I`, `plan B`, `vitamin C`.
            guard t > sentStart, tokens.kinds[t - 1] == .word, startsLowercase(buf, tokens, t - 1),
                !isInitial(buf, tokens, next)
            else { return false }
            return buf[s] == 0x49 ? nextIsCapital : isStarter(buf, tokens, next)
        case .month?:
            if tokens.kinds[next] == .number { return false }
            return isStarter(buf, tokens, next)
        case .reference?:
            if tokens.kinds[next] == .number { return false }
            return isStarter(buf, tokens, next)
        case .beforeStarter?:
            return isStarter(buf, tokens, next)
        case .beforeCapital?:
            return nextIsCapital
        case .time?:
            return nextIsCapital && !isTimePhrase(buf, tokens, sentStart, t)
        case nil:
            return nextIsCapital || tokens.kinds[next] != .word
        }
    }

    /// A period that stands after word `w` (`p. 55`, `ch. 3`, `N°. 12`, `x. Then`).
    static func periodAfterWordIsBoundary(
        _ buf: UnsafeBufferPointer<UInt8>, _ tokens: TokenTable, _ w: Int, _ next: Int, _ sentStart: Int
    ) -> Bool {
        // Inside brackets a number after a period goes on with the citation (`(2d Cir. 1996)`).
        if tokens.kinds[next] == .number && insideBrackets(buf, tokens, sentStart, w + 1) { return false }
        let kind = tokens.kinds[w]
        guard kind == .word || kind == .symbol else { return true }
        // The word is the attached run of up to two words and symbols before the period (`N°`).
        var first = w
        if first > sentStart && tokens.starts[first] == tokens.ends[first - 1]
            && (tokens.kinds[first - 1] == .word || tokens.kinds[first - 1] == .symbol)
        {
            first -= 1
        }
        let s = Int(tokens.starts[first]), e = Int(tokens.ends[w])
        if tokens.kinds[next] == .number, let k = Abbreviations.lowercasedKey(buf, s, e),
            Abbreviations.references.contains(k)
        {
            return false
        }
        if kind == .word && e - s == 1 && buf[s] >= 0x61 && buf[s] <= 0x7A {
            return isStarter(buf, tokens, next)
        }
        return true
    }

    /// A one-letter initial token (`J.`).
    static func isInitial(_ buf: UnsafeBufferPointer<UInt8>, _ tokens: TokenTable, _ t: Int) -> Bool {
        let s = Int(tokens.starts[t])
        return tokens.kinds[t] == .word && Int(tokens.ends[t]) - s == 2 && buf[s] >= 0x41 && buf[s] <= 0x5A
            && buf[s + 1] == 0x2E
    }

    /// Whether `tokens[from..<to]` is only a time phrase: numbers, punctuation, capitalized words and the
    /// prepositions and determiners of `Abbreviations.timePhraseWords`, with at least one number.
    static func isTimePhrase(_ buf: UnsafeBufferPointer<UInt8>, _ tokens: TokenTable, _ from: Int, _ to: Int) -> Bool {
        var number = false
        for k in from..<to {
            switch tokens.kinds[k] {
            case .number: number = true
            case .punctuation, .symbol: break
            case .word:
                if tokens.flags[k].contains(.capitalized) { break }
                guard let key = Abbreviations.lowercasedKey(buf, Int(tokens.starts[k]), Int(tokens.ends[k])),
                    Abbreviations.timePhraseWords.contains(key)
                else { return false }
            default: return false
            }
        }
        return number
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
