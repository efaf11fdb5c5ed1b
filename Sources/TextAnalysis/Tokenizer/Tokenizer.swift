// The tokenizer: splits normalized text into word, number, punctuation, symbol, URL, e-mail,
// mention and hashtag tokens with shape flags; works on UTF-8 bytes with an ASCII fast path.

import DocumentModel

/// Splits text into tokens.
///
/// Decisions (see docs/document-schema.md): `5%` and `$4.2bn` are one number token each; `don't`,
/// `O'Brien`, `well-known` and `12-point` are one word token (flags `hasApostrophe` / `hyphenated`;
/// `TokenTable.parts` recovers the parts); `U.S.`, `e.g.`, `Mr.` and initials like `J.` keep their
/// period (flag `abbreviation`); `...` and `?!` are one punctuation token; CJK, Thai, Lao, Khmer and
/// Myanmar text gives one token per character (with its combining marks); an emoji is one token per
/// grapheme cluster (kind symbol).
public enum Tokenizer {
    /// Tokenizes all of `text`.
    public static func tokenize(_ text: String) -> TokenTable {
        var t = text
        t.makeContiguousUTF8()
        var table = TokenTable()
        t.utf8.withContiguousStorageIfAvailable { buf in
            tokenize(buf, 0..<buf.count, into: &table)
        }
        return table
    }

    /// Appends the tokens of `buf[range]` to `table`.
    public static func tokenize(_ buf: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, into table: inout TokenTable) {
        let s = Scanner(buf: buf, end: range.upperBound)
        s.run(from: range.lowerBound, into: &table)
    }
}

// MARK: - ASCII classes

/// The class bits of an ASCII byte: letter 1 (upper case adds 8), digit 2, space 4. A function rather
/// than a table: no global to initialize and no bounds check in the tokenizer's inner loops.
@inline(__always) func asciiClass(_ b: UInt8) -> UInt8 {
    switch b {
    case 0x61...0x7A: 1
    case 0x41...0x5A: 1 | 8
    case 0x30...0x39: 2
    case 0x20, 0x09...0x0D: 4
    default: 0
    }
}
private let clsLetter: UInt8 = 1, clsDigit: UInt8 = 2, clsSpace: UInt8 = 4, clsUpper: UInt8 = 8

/// The rough class of a non-ASCII scalar.
enum ScalarKind {
    case space, letter, mark, digit, segmenting, emoji, punctuation, symbol, currency
}

@inline(__always)
func classifyScalar(_ v: UInt32) -> ScalarKind {
    switch v {
    case 0xA0, 0x1680, 0x2000...0x200B, 0x2028, 0x2029, 0x202F, 0x205F, 0x2060, 0x3000, 0xFEFF: return .space
    case 0x0E00...0x0EFF, 0x1000...0x109F, 0x1780...0x17FF, 0x3040...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
        0xF900...0xFAFF, 0x20000...0x3FFFF:
        if v == 0x30FC || (v >= 0x3099 && v <= 0x309C) { return .mark }  // prolonged sound and voicing marks
        if v < 0x1800, let sc = Unicode.Scalar(v) {  // Thai, Lao, Myanmar, Khmer: vowel signs and tones are marks
            switch sc.properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark: return .mark
            case .decimalNumber: return .digit
            case .otherPunctuation: return .punctuation
            default: break
            }
        }
        if v >= 0x3040 && v <= 0x30FF && (v == 0x3001 || v == 0x3002) { return .punctuation }
        return .segmenting
    case 0x1F000...0x1FAFF, 0x2600...0x27BF, 0x2B00...0x2BFF: return .emoji
    default: break
    }
    guard let sc = Unicode.Scalar(v) else { return .symbol }
    let p = sc.properties
    switch p.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return .letter
    case .nonspacingMark, .spacingMark, .enclosingMark: return .mark
    case .decimalNumber, .letterNumber, .otherNumber: return .digit
    case .spaceSeparator, .lineSeparator, .paragraphSeparator: return .space
    case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
        .finalPunctuation, .otherPunctuation:
        return .punctuation
    case .currencySymbol: return .currency
    case .format, .control: return .space
    default: return p.isEmojiPresentation ? .emoji : .symbol
    }
}

// MARK: - Scanner

struct Scanner {
    let buf: UnsafeBufferPointer<UInt8>
    let end: Int

    @inline(__always) func cls(_ i: Int) -> UInt8 { i < end && buf[i] < 0x80 ? asciiClass(buf[i]) : 0 }
    @inline(__always) func isASCIIAlnum(_ i: Int) -> Bool { cls(i) & 3 != 0 }

    /// The scalar at `i` and its byte length (text is valid UTF-8 after normalization).
    @inline(__always) func scalar(at i: Int) -> (UInt32, Int) {
        let b = buf[i]
        if b < 0x80 { return (UInt32(b), 1) }
        let len = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2
        guard i + len <= end else { return (0xFFFD, 1) }
        return (UTF8Decoder.scalar(buf, i, len), len)
    }

    /// Whether a letter (ASCII or not, but not a segmenting script) starts at `i`.
    @inline(__always) func isLetter(_ i: Int) -> Bool {
        guard i < end else { return false }
        let b = buf[i]
        if b < 0x80 { return asciiClass(b) & clsLetter != 0 }
        let (v, _) = scalar(at: i)
        let k = classifyScalar(v)
        return k == .letter || k == .mark
    }

    @inline(__always) func isAlnum(_ i: Int) -> Bool {
        guard i < end else { return false }
        let b = buf[i]
        if b < 0x80 { return asciiClass(b) & 3 != 0 }
        let (v, _) = scalar(at: i)
        let k = classifyScalar(v)
        return k == .letter || k == .mark || k == .digit
    }

    /// Whether the bytes at `i` are a right single quotation mark (’), used as an apostrophe.
    @inline(__always) func isCurlyApostrophe(_ i: Int) -> Bool {
        i + 2 < end && buf[i] == 0xE2 && buf[i + 1] == 0x80 && buf[i + 2] == 0x99
    }

    func run(from start: Int, into table: inout TokenTable) {
        var i = start
        while i < end {
            let b = buf[i]
            if b < 0x80 {
                let c = asciiClass(b)
                if c & clsSpace != 0 { i += 1; continue }
                if c & clsLetter != 0 {
                    // Only h(ttp), f(tp) and w(ww) can start a URL.
                    if b | 0x20 == 0x68 || b | 0x20 == 0x66 || b | 0x20 == 0x77, let e = url(at: i) {
                        emit(i, e, .url, &table)
                        i = e
                        continue
                    }
                    i = word(at: i, &table)
                    continue
                }
                if c & clsDigit != 0 { i = number(at: i, &table); continue }
                i = asciiPunct(at: i, &table)
                continue
            }
            let (v, len) = scalar(at: i)
            switch classifyScalar(v) {
            case .space: i += len
            case .letter, .mark: i = word(at: i, &table)
            case .digit: i = number(at: i, &table)
            case .segmenting:
                var e = i + len
                e = skipMarks(e)
                emit(i, e, .word, &table)
                i = e
            case .emoji:
                let e = emojiCluster(at: i, len)
                emit(i, e, .symbol, &table)
                i = e
            case .currency:
                if cls(i + len) & clsDigit != 0 { i = number(at: i + len, &table, from: i); continue }
                emit(i, i + len, .symbol, &table)
                i += len
            case .punctuation:
                var e = i + len
                if v == 0x2026 || v == 0x2014 || v == 0x2013 {  // runs of … or dashes
                    while e + 2 < end && buf[e] == buf[i] && buf[e + 1] == buf[i + 1] && buf[e + 2] == buf[i + 2] {
                        e += 3
                    }
                }
                emit(i, e, .punctuation, &table)
                i = e
            case .symbol:
                emit(i, i + len, .symbol, &table)
                i += len
            }
        }
    }

    @inline(__always) func skipMarks(_ start: Int) -> Int {
        var e = start
        while e < end && buf[e] >= 0x80 {
            let (v, l) = scalar(at: e)
            let k = classifyScalar(v)
            if k == .mark || v == 0x200D || v == 0x200C { e += l } else { break }
        }
        return e
    }

    func emojiCluster(at i: Int, _ len: Int) -> Int {
        var e = i + len
        let (first, _) = scalar(at: i)
        if first >= 0x1F1E6 && first <= 0x1F1FF {  // regional indicator pair = flag
            if e < end { let (v, l) = scalar(at: e); if v >= 0x1F1E6 && v <= 0x1F1FF { return e + l } }
            return e
        }
        while e < end && buf[e] >= 0x80 {
            let (v, l) = scalar(at: e)
            if v == 0xFE0F || v == 0xFE0E || (v >= 0x1F3FB && v <= 0x1F3FF) || v == 0x20E3
                || (v >= 0xE0020 && v <= 0xE007F)
            {
                e += l
            } else if v == 0x200D && e + l < end {
                let (_, l2) = scalar(at: e + l)
                e += l + l2
            } else {
                break
            }
        }
        return e
    }

    // MARK: Tokens

    /// Appends a token; `ascii`: the caller saw only ASCII bytes in it, so there is nothing to check.
    func emit(
        _ s: Int, _ e: Int, _ kind: TokenKind, _ table: inout TokenTable, _ flags: TokenFlags = [], ascii: Bool = false
    ) {
        var f = flags
        var norm: String? = nil
        if kind != .url && kind != .email && !ascii {
            // Only tokens with non-ASCII bytes can need a stored norm (typographic marks unified).
            var i = s
            var typographic = false
            while i < e {
                if buf[i] >= 0x80 {
                    f.insert(.nonASCII)
                    if buf[i] == 0xE2 || buf[i] == 0xC2 { typographic = true }
                }
                i += 1
            }
            if typographic { norm = Self.typographicNorm(UnsafeBufferPointer(rebasing: buf[s..<e])) }
        }
        if kind == .punctuation || kind == .symbol { f.remove(.nonASCII) }
        table.append(start: s, end: e, kind: kind, flags: f, norm: norm)
    }

    /// Lower-cases and unifies typographic quotes, apostrophes and dashes; `nil` if that equals plain lower-casing.
    static func typographicNorm(_ b: UnsafeBufferPointer<UInt8>) -> String? {
        let s = String(decoding: b, as: UTF8.self)
        var out = String.UnicodeScalarView()
        var changed = false
        for u in s.unicodeScalars {
            switch u.value {
            case 0x2018, 0x2019, 0x201A, 0x201B, 0x2032, 0x2039, 0x203A: out.append("'"); changed = true
            case 0x201C, 0x201D, 0x201E, 0x201F, 0x2033, 0xAB, 0xBB: out.append("\""); changed = true
            case 0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212: out.append("-"); changed = true
            case 0x2026: out.append(contentsOf: "...".unicodeScalars); changed = true
            case 0xA0: out.append(" "); changed = true
            default: out.append(u)
            }
        }
        return changed ? String(out).lowercased() : nil
    }

    /// Scans a URL starting at `i` (`http://`, `https://`, `ftp://`, `www.`); returns its end or `nil`.
    func url(at i: Int) -> Int? {
        @inline(__always) func lower(_ k: Int) -> UInt8 { k < end ? buf[k] | 0x20 : 0 }
        var p = i
        if lower(i) == 0x68 && lower(i + 1) == 0x74 && lower(i + 2) == 0x74 && lower(i + 3) == 0x70 {  // http
            p = i + 4
            if lower(p) == 0x73 { p += 1 }
            guard p + 2 < end && buf[p] == 0x3A && buf[p + 1] == 0x2F && buf[p + 2] == 0x2F else { return nil }
            p += 3
        } else if lower(i) == 0x66 && lower(i + 1) == 0x74 && lower(i + 2) == 0x70 && i + 5 < end
            && buf[i + 3] == 0x3A && buf[i + 4] == 0x2F && buf[i + 5] == 0x2F
        {
            p = i + 6
        } else if lower(i) == 0x77 && lower(i + 1) == 0x77 && lower(i + 2) == 0x77 && i + 3 < end && buf[i + 3] == 0x2E
            && isASCIIAlnum(i + 4)
        {
            p = i + 4
        } else {
            return nil
        }
        var parens = 0
        while p < end {
            let b = buf[p]
            if b < 0x80 {
                if asciiClass(b) & clsSpace != 0 || b == 0x22 || b == 0x3C || b == 0x3E { break }
                if b == 0x28 { parens += 1 } else if b == 0x29 { if parens == 0 { break }; parens -= 1 }
                p += 1
            } else {
                let (v, l) = scalar(at: p)
                let k = classifyScalar(v)
                if k == .space || k == .punctuation { break }
                p += l
            }
        }
        // Trailing sentence punctuation is not part of the URL.
        while p > i {
            let b = buf[p - 1]
            if b == 0x2E || b == 0x2C || b == 0x3B || b == 0x3A || b == 0x21 || b == 0x3F || b == 0x27 {
                p -= 1
            } else {
                break
            }
        }
        return p > i + 4 ? p : nil
    }

    /// Scans a word (letters, marks, digits, inner apostrophes, hyphens, dots of abbreviations) at `i`.
    func word(at i: Int, _ table: inout TokenTable) -> Int {
        var p = i
        var upper = 0, lower = 0, digits = 0
        var firstUpper = false
        var flags: TokenFlags = []
        var first = true
        var hasDot = false
        var ascii = true
        loop: while p < end {
            // Most of a word is lower-case ASCII letters: count a run of them at once.
            if !first {
                let runStart = p
                while p < end && buf[p] &- 0x61 < 26 { p += 1 }
                lower += p - runStart
                if p == end { break }
            }
            let b = buf[p]
            if b < 0x80 {
                let c = asciiClass(b)
                if c & clsLetter != 0 {
                    if c & clsUpper != 0 { upper += 1; if first { firstUpper = true } } else { lower += 1 }
                    first = false
                    p += 1
                    continue
                }
                if c & clsDigit != 0 { digits += 1; first = false; p += 1; continue }
                switch b {
                case 0x27:  // ' between letters
                    if p > i && isLetter(p - 1) && isLetter(p + 1) { flags.insert(.hasApostrophe); p += 1; continue }
                case 0x2D:  // - between alphanumerics
                    if p > i && isAlnum(p + 1) { flags.insert(.hyphenated); p += 1; continue }
                case 0x26:  // & in AT&T
                    if cls(p - 1) & clsUpper != 0 && cls(p + 1) & clsUpper != 0 { p += 1; continue }
                case 0x5F:  // snake_case
                    if isAlnum(p + 1) { p += 1; continue }
                case 0x2E:  // . inside a domain-like word (example.com) — a letter run follows
                    // but not a sentence run on without its space (`world.Today`): lower, dot, Title.
                    let runOn =
                        cls(p - 1) & (clsLetter | clsUpper) == clsLetter && cls(p + 1) & clsUpper != 0
                        && cls(p + 2) & (clsLetter | clsUpper) == clsLetter && !emailAhead(p + 1)
                    if p > i && cls(p + 1) & clsLetter != 0 && cls(p - 1) & 3 != 0 && p - i >= 3
                        && cls(p + 2) & 3 != 0 && !runOn
                    {
                        hasDot = true; p += 1; continue
                    }
                case 0x40:  // e-mail
                    if let e = emailEnd(at: p) { emit(i, e, .email, &table); return e }
                default: break
                }
                break loop
            }
            ascii = false
            let (v, l) = scalar(at: p)
            if v == 0x2019 {
                if p > i && isLetter(p - 1) && isLetter(p + l) { flags.insert(.hasApostrophe); p += l; continue }
                break
            }
            if v == 0x2010 || v == 0x2011 {
                if p > i && isAlnum(p + l) { flags.insert(.hyphenated); p += l; continue }
                break
            }
            switch classifyScalar(v) {
            case .letter:
                if let sc = Unicode.Scalar(v) {
                    let pr = sc.properties
                    if pr.isUppercase {
                        upper += 1; if first { firstUpper = true }
                    } else if pr.isLowercase {
                        lower += 1
                    }
                }
                first = false
                p += l
            case .mark:
                p += l
            case .digit:
                digits += 1
                p += l
            default:
                break loop
            }
        }
        if p == i { p = i + max(1, scalar(at: i).1) }  // defensive: always advance
        var kind = TokenKind.word
        if hasDot {
            kind = looksLikeDomain(i, p) ? .url : .word
        } else if p < end && buf[p] == 0x2E && p - i <= 7 {
            // Abbreviations keep their period: dotted sequences (U.S., e.g., a.m.), initials, known words.
            var q = p
            var segments = 0
            while q < end && buf[q] == 0x2E && q - i <= 12 {
                var r = q + 1
                while r < end && r - q <= 3 && cls(r) & clsLetter != 0 { r += 1 }
                if r > q + 1 && r < end && buf[r] == 0x2E && r - q <= 3 { segments += 1; q = r } else { break }
            }
            if segments >= 1 && p - i <= 2 {
                p = q + 1
                flags.insert(.abbreviation)
                upper = 0; lower = 0
                for k in i..<p {
                    let c = cls(k); if c & clsLetter != 0 { if c & clsUpper != 0 { upper += 1 } else { lower += 1 } }
                }
            } else if Abbreviations.classify(buf, i, p + 1) != nil {
                p += 1
                flags.insert(.abbreviation)
            }
        }
        if firstUpper { flags.insert(.capitalized) }
        if upper >= 2 && lower == 0 { flags.insert(.allCaps) }
        if firstUpper && lower > 0 { flags.insert(.titleCase) }
        if digits > 0 { flags.insert(.hasDigit) }
        emit(i, p, kind, &table, flags, ascii: ascii && buf[i] < 0x80)
        return p
    }

    func looksLikeDomain(_ s: Int, _ e: Int) -> Bool {
        var k = e
        while k > s && buf[k - 1] != 0x2E { k -= 1 }
        let tldLen = e - k
        guard tldLen >= 2 && tldLen <= 4 else { return false }
        for j in k..<e where cls(j) & clsUpper != 0 || cls(j) & clsLetter == 0 { return false }
        let tld = String(decoding: UnsafeBufferPointer(rebasing: buf[k..<e]), as: UTF8.self)
        return [
            "com", "org", "net", "edu", "gov", "io", "uk", "de", "fr", "ru", "ua", "info", "int", "eu", "ch", "nl",
            "it", "es", "jp", "cn", "us", "ca", "au",
        ].contains(tld)
    }

    /// Whether the letters, digits, dots, hyphens and underscores from `start` lead to an `@` (`Lopez@…`).
    func emailAhead(_ start: Int) -> Bool {
        var q = start
        while q < end && (cls(q) & 3 != 0 || buf[q] == 0x2E || buf[q] == 0x2D || buf[q] == 0x5F) { q += 1 }
        return q < end && buf[q] == 0x40
    }

    /// The end of an e-mail address whose `@` is at `at`, or `nil`.
    func emailEnd(at: Int) -> Int? {
        var p = at + 1
        var dots = 0
        var lastDot = -1
        while p < end {
            let c = cls(p)
            if c & 3 != 0 || buf[p] == 0x2D { p += 1; continue }
            if buf[p] == 0x2E && p + 1 < end && cls(p + 1) & 3 != 0 { dots += 1; lastDot = p; p += 1; continue }
            break
        }
        return dots > 0 && p - lastDot > 2 ? p : nil
    }

    /// Scans a number at `i` (`3.5`, `1,000,000`, `5%`, `4.2bn`, `10:30`); `from` includes a currency sign.
    func number(at i: Int, _ table: inout TokenTable, from: Int? = nil) -> Int {
        var p = i
        var flags: TokenFlags = [.hasDigit]
        @inline(__always) func isDigitAt(_ k: Int) -> Bool {
            guard k < end else { return false }
            if buf[k] < 0x80 { return asciiClass(buf[k]) & clsDigit != 0 }
            return classifyScalar(scalar(at: k).0) == .digit
        }
        while p < end {
            if isDigitAt(p) { p += buf[p] < 0x80 ? 1 : scalar(at: p).1; continue }
            let b = buf[p]
            if (b == 0x2E || b == 0x2C || b == 0x3A || b == 0x2F) && isDigitAt(p + 1) { p += 1; continue }
            break
        }
        if p < end && buf[p] == 0x25 { p += 1 }  // 5%
        var kind = TokenKind.number
        // Unit or ordinal suffix (4.2bn, 5th, 10am) and hyphenated compounds (12-point).
        var q = p
        while q < end && cls(q) & clsLetter != 0 { q += 1 }
        if q > p && !(q < end && (cls(q) & clsDigit != 0)) { p = q }
        if p < end && buf[p] == 0x2D && isAlnum(p + 1) {
            flags.insert(.hyphenated)
            var allDigits = true
            while p < end && buf[p] == 0x2D && isAlnum(p + 1) {
                p += 1
                while p < end && isAlnum(p) {
                    if !isDigitAt(p) { allDigits = false }
                    p += buf[p] < 0x80 ? 1 : scalar(at: p).1
                }
            }
            if !allDigits { kind = .word }
        }
        emit(from ?? i, p, kind, &table, flags)
        return p
    }

    /// ASCII punctuation and symbols, mentions, hashtags, `'90s`.
    func asciiPunct(at i: Int, _ table: inout TokenTable) -> Int {
        let b = buf[i]
        switch b {
        case 0x2E, 0x3F, 0x21:  // runs of . ? ! (ellipsis, ?!)
            var e = i + 1
            while e < end && (buf[e] == 0x2E || buf[e] == 0x3F || buf[e] == 0x21) && (b != 0x2E || buf[e] == 0x2E) {
                e += 1
            }
            if b != 0x2E { while e < end && (buf[e] == 0x3F || buf[e] == 0x21) { e += 1 } }
            emit(i, e, .punctuation, &table)
            return e
        case 0x2D:  // -- runs
            var e = i + 1
            while e < end && buf[e] == 0x2D { e += 1 }
            emit(i, e, .punctuation, &table)
            return e
        case 0x40:  // @mention
            if isAlnum(i + 1) && (i == 0 || !isAlnum(i - 1)) {
                var e = i + 1
                while e < end && (isAlnum(e) || buf[e] == 0x5F) { e += buf[e] < 0x80 ? 1 : scalar(at: e).1 }
                emit(i, e, .mention, &table)
                return e
            }
        case 0x23:  // #hashtag
            if isLetter(i + 1) || (cls(i + 1) & clsDigit != 0 && isLetter(i + 2)) {
                var e = i + 1
                while e < end && (isAlnum(e) || buf[e] == 0x5F) { e += buf[e] < 0x80 ? 1 : scalar(at: e).1 }
                emit(i, e, .hashtag, &table)
                return e
            }
        case 0x24:  // $4.2bn
            if cls(i + 1) & clsDigit != 0 { return number(at: i + 1, &table, from: i) }
        case 0x27:  // '90s
            if cls(i + 1) & clsDigit != 0 && cls(i + 2) & clsDigit != 0 && (i == 0 || !isAlnum(i - 1)) {
                var e = i + 3
                if e < end && buf[e] == 0x73 { e += 1 }
                if !(e < end && isAlnum(e)) { emit(i, e, .number, &table, [.hasDigit]); return e }
            }
        default: break
        }
        let kind: TokenKind
        switch b {
        case 0x2C, 0x3B, 0x3A, 0x27, 0x22, 0x28, 0x29, 0x5B, 0x5D, 0x7B, 0x7D, 0x2F, 0x5C, 0x5F: kind = .punctuation
        default: kind = .symbol
        }
        emit(i, i + 1, kind, &table)
        return i + 1
    }
}
