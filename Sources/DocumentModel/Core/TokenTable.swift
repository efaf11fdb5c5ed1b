// Tokens as columns: 4-byte start, 4-byte end, 1-byte kind, 1-byte flags (10 bytes a token),
// plus norms stored only where the normalized form differs from the plain lower-cased text.

/// What a token is.
public enum TokenKind: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case word, number, punctuation, symbol, url, email, mention, hashtag

    /// The lower-case name used in JSON and Lua.
    public var description: String {
        switch self {
        case .word: "word"
        case .number: "number"
        case .punctuation: "punctuation"
        case .symbol: "symbol"
        case .url: "url"
        case .email: "email"
        case .mention: "mention"
        case .hashtag: "hashtag"
        }
    }
}

/// Shape flags of a token.
public struct TokenFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// The first character is an upper-case letter.
    public static let capitalized = TokenFlags(rawValue: 1 << 0)
    /// Two or more cased letters, all upper-case (`NATO`).
    public static let allCaps = TokenFlags(rawValue: 1 << 1)
    /// The token holds at least one digit.
    public static let hasDigit = TokenFlags(rawValue: 1 << 2)
    /// Capitalized with lower-case letters after (`London`, not `NATO`).
    public static let titleCase = TokenFlags(rawValue: 1 << 3)
    /// The token holds an apostrophe between letters (`don't`, `O'Brien`); see `TokenTable.parts`.
    public static let hasApostrophe = TokenFlags(rawValue: 1 << 4)
    /// The token holds a hyphen between parts (`well-known`, `12-point`).
    public static let hyphenated = TokenFlags(rawValue: 1 << 5)
    /// The token ends with a period that belongs to it (`U.S.`, `Mr.`, `e.g.`).
    public static let abbreviation = TokenFlags(rawValue: 1 << 6)
    /// The token holds letters outside ASCII.
    public static let nonASCII = TokenFlags(rawValue: 1 << 7)
}

/// The document's tokens, stored as parallel columns in text order.
///
/// The normalized form of a token (`norm`) is its text lower-cased, with typographic quotes, apostrophes
/// and dashes unified; it is stored only when it differs from the plain lower-cased text.
public struct TokenTable: Sendable, Hashable {
    /// Start byte offsets.
    public var starts: [UInt32] = []
    /// End byte offsets (exclusive).
    public var ends: [UInt32] = []
    /// Token kinds.
    public var kinds: [TokenKind] = []
    /// Shape flags.
    public var flags: [TokenFlags] = []
    /// Indexes of the tokens that carry a stored norm, ascending.
    public var normIndexes: [UInt32] = []
    /// The stored norms, parallel to `normIndexes`.
    public var normValues: [String] = []

    /// Creates an empty table.
    public init() {}

    /// The number of tokens.
    public var count: Int { starts.count }

    /// Reserves room for `n` tokens.
    public mutating func reserve(_ n: Int) {
        starts.reserveCapacity(n); ends.reserveCapacity(n); kinds.reserveCapacity(n); flags.reserveCapacity(n)
    }

    /// Appends a token; `norm` is stored only when given.
    @inlinable
    public mutating func append(start: Int, end: Int, kind: TokenKind, flags f: TokenFlags, norm: String? = nil) {
        if let norm {
            normIndexes.append(UInt32(starts.count))
            normValues.append(norm)
        }
        starts.append(UInt32(start))
        ends.append(UInt32(end))
        kinds.append(kind)
        flags.append(f)
    }

    /// The range of token `i`.
    @inlinable public func range(_ i: Int) -> TextRange { TextRange(start: starts[i], end: ends[i]) }

    /// The stored norm of token `i`, if one was stored.
    public func storedNorm(_ i: Int) -> String? {
        let t = UInt32(i)
        var lo = 0, hi = normIndexes.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if normIndexes[mid] < t { lo = mid + 1 } else { hi = mid }
        }
        return lo < normIndexes.count && normIndexes[lo] == t ? normValues[lo] : nil
    }

    /// The normalized form of token `i` in `text`.
    public func norm(_ i: Int, in text: String) -> String {
        if let s = storedNorm(i) { return s }
        return TextSlice.slice(text, range(i)).lowercased()
    }

    /// The index of the first token starting at or after byte `offset`.
    public func firstIndex(atOrAfter offset: Int) -> Int {
        let o = UInt32(clamping: offset)
        var lo = 0, hi = starts.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if starts[mid] < o { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The indexes of the tokens lying inside `range`.
    public func indexes(within range: TextRange) -> Range<Int> {
        let a = firstIndex(atOrAfter: Int(range.start))
        var b = a
        while b < starts.count && ends[b] <= range.end { b += 1 }
        return a..<b
    }

    /// The parts of a token with an inner apostrophe, split before the apostrophe (`do` + `n't` is not
    /// attempted: `don't` → `don`, `'t`; `O'Brien` → `O`, `'Brien`); a single part otherwise.
    public func parts(_ i: Int, in text: String) -> [TextRange] {
        let r = range(i)
        guard flags[i].contains(.hasApostrophe) else { return [r] }
        var out: [TextRange] = []
        var partStart = Int(r.start)
        let u = Array(
            text.utf8[
                text.utf8.index(
                    text.utf8.startIndex, offsetBy: Int(r.start))..<text.utf8.index(
                        text.utf8.startIndex, offsetBy: Int(r.end))])
        var k = 0
        while k < u.count {
            let isStraight = u[k] == 0x27
            let isCurly = k + 2 < u.count && u[k] == 0xE2 && u[k + 1] == 0x80 && u[k + 2] == 0x99
            if (isStraight || isCurly) && k > 0 {
                let at = Int(r.start) + k
                if at > partStart { out.append(TextRange(partStart, at)) }
                partStart = at
            }
            k += isCurly ? 3 : 1
        }
        out.append(TextRange(partStart, Int(r.end)))
        return out
    }

    /// Bytes the table uses per token, counting the columns and the stored norms.
    public var bytesPerToken: Double {
        guard count > 0 else { return 0 }
        var total = starts.capacity * 4 + ends.capacity * 4 + kinds.capacity + flags.capacity
        total += normIndexes.capacity * 4 + normValues.capacity * MemoryLayout<String>.stride
        for s in normValues where s.utf8.count > 15 { total += s.utf8.count + 32 }
        return Double(total) / Double(count)
    }
}
