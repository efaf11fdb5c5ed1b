// What a character is, as far as judging a decoding goes: letter (with script and case), space, joiner
// (apostrophes and dashes that may sit inside words), neutral punctuation, a symbol, a control character.
// ReadingScore counts these; SingleBytePage stores one per byte of an encoding.

/// The class of one character for the plausibility score of a decoding.
struct CharacterClass: Sendable, Equatable {
    enum Kind: UInt8, Sendable {
        case letter
        case digit
        /// Spaces and line ends: word boundaries that cost nothing.
        case space
        /// Characters that may sit inside a word (`l’homme`, `Paris–Lyon`, `l·l`, a soft hyphen).
        case joiner
        /// ASCII punctuation and common typography (quotes, guillemets, €, £, °, ©, …): neutral.
        case punctuation
        /// Symbols that text rarely needs and wrong decodings produce (¤ ¦ ¨ ± ¹ ¶ ˇ ˙ …).
        case symbol
        /// Box drawing, block elements, math operators, arrows: what DOS code pages turn letters into.
        case strongSymbol
        /// Signs text does not use but wrong code pages produce: ¤, the generic currency sign, where
        /// ISO-8859-15 has €.
        case unusedSign
        /// C0 controls other than tab and line ends, C1 controls (U+0080–U+009F).
        case control
        /// A byte the encoding does not define.
        case undefined
    }

    enum Script: UInt8, Sendable {
        case none, latin, cyrillic, greek, hebrew, arabic, thai, other
        var bit: UInt8 { self == .none ? 0 : 1 << (rawValue - 1) }
    }

    var kind: Kind
    var script: Script = .none
    var isUpper = false
    var isLower = false
    var isASCII = false
    /// The lower-case form of a letter (one scalar), else the scalar itself.
    var folded: UInt32 = 0

    static let undefined = CharacterClass(kind: .undefined)

    /// The class of `value`; scalars below U+0800 come from a table built once.
    static func of(_ value: UInt32) -> CharacterClass {
        value < 0x800 ? lowTable[Int(value)] : classify(value)
    }

    private static let lowTable: [CharacterClass] = (0..<0x800).map { classify(UInt32($0)) }

    /// Typography that real text uses; neutral wherever it appears (but not between two letters).
    private static let typography: Set<UInt32> = [
        0xA9, 0xAB, 0xBB, 0xB0, 0xA7, 0xAE, 0xBF, 0xA1, 0xD7, 0xA3, 0x20AC, 0x2122, 0x2026, 0x2022, 0x201C,
        0x201D, 0x201E, 0x201A, 0x2039, 0x203A, 0x2030, 0x2020, 0x2021, 0xAA, 0xBA, 0x2116,
    ]
    /// Characters allowed inside words.
    private static let joiners: Set<UInt32> = [0x2019, 0x2018, 0x02BC, 0xB7, 0x2010, 0x2011, 0x2013, 0x2014, 0xAD]
    /// Letters by category that read as symbols in running text (micro sign, florin).
    private static let letterSymbols: Set<UInt32> = [0xB5, 0x192]

    static func classify(_ value: UInt32) -> CharacterClass {
        if value < 0x80 {
            let b = UInt8(value)
            switch b {
            case 0x41...0x5A:
                return CharacterClass(
                    kind: .letter, script: .latin, isUpper: true, isASCII: true, folded: value + 0x20)
            case 0x61...0x7A:
                return CharacterClass(kind: .letter, script: .latin, isLower: true, isASCII: true, folded: value)
            case 0x30...0x39: return CharacterClass(kind: .digit, isASCII: true, folded: value)
            case 0x09, 0x0A, 0x0C, 0x0D, 0x20: return CharacterClass(kind: .space, isASCII: true, folded: value)
            case 0x27: return CharacterClass(kind: .joiner, isASCII: true, folded: value)
            case 0x21...0x7E: return CharacterClass(kind: .punctuation, isASCII: true, folded: value)
            default: return CharacterClass(kind: .control, isASCII: true, folded: value)
            }
        }
        if value <= 0x9F { return CharacterClass(kind: .control, folded: value) }
        guard let scalar = Unicode.Scalar(value) else { return .undefined }
        if value == 0xFFFD { return .undefined }
        if typography.contains(value) { return CharacterClass(kind: .punctuation, folded: value) }
        if value == 0xA4 { return CharacterClass(kind: .unusedSign, folded: value) }
        if joiners.contains(value) { return CharacterClass(kind: .joiner, folded: value) }
        let p = scalar.properties
        switch p.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .otherLetter:
            if letterSymbols.contains(value) { return CharacterClass(kind: .symbol, folded: value) }
            let lower = p.lowercaseMapping.unicodeScalars
            let folded = lower.count == 1 ? lower.first!.value : value
            return CharacterClass(
                kind: .letter, script: script(of: value), isUpper: p.isUppercase, isLower: p.isLowercase,
                folded: folded)
        case .decimalNumber: return CharacterClass(kind: .digit, folded: value)
        case .spaceSeparator, .lineSeparator, .paragraphSeparator: return CharacterClass(kind: .space, folded: value)
        case .control, .format, .privateUse, .surrogate, .unassigned:
            return CharacterClass(kind: .control, folded: value)
        default:
            if (0x2190...0x2BFF).contains(value) { return CharacterClass(kind: .strongSymbol, folded: value) }
            return CharacterClass(kind: .symbol, folded: value)
        }
    }

    static func script(of value: UInt32) -> Script {
        switch value {
        case 0x41...0x5A, 0x61...0x7A, 0xC0...0x2AF, 0x1E00...0x1EFF: return .latin
        case 0x370...0x3FF, 0x1F00...0x1FFF: return .greek
        case 0x400...0x52F: return .cyrillic
        case 0x590...0x5FF: return .hebrew
        case 0x600...0x6FF: return .arabic
        case 0xE00...0xE7F: return .thai
        default: return .other
        }
    }
}
