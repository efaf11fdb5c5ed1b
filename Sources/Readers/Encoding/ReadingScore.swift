// How plausible one decoding of some bytes is as text: faults counted character by character (control
// characters, undefined bytes, symbols inside or against words, words mixing scripts, case breaks) and
// how well its letters fit one language (LanguageProfiles). EncodingChooser and MixedUTF8 compare scores.

/// The evidence one reading of a sample gives, fed one character at a time.
struct ReadingScore: Sendable {
    // Faults.
    var controls = 0
    var undefined = 0
    var symbols = 0
    var strongSymbols = 0
    var unusedSigns = 0
    /// A symbol with a letter right before or after it (`s±`, `¶wiat`).
    var symbolsTouchingLetters = 0
    /// A non-letter between two letters (`Ara˙jo`, `wi±za`).
    var symbolsInWords = 0
    /// Non-ASCII letters in words that mix scripts (`cafй`, `Ïðèâåò` is one script, `trиs` two).
    var mixedScriptLetters = 0
    /// Lower-case followed by upper-case inside a word, or upper, upper, lower (`пРИВЕТ`, `CAFé`), where a
    /// non-ASCII letter takes part.
    var caseBreaks = 0
    /// Letters by kind, for the clean test: a reading whose non-ASCII letters are Cyrillic or Greek (or
    /// Hebrew...) while most letters are ASCII is Latin text misread (`Bologna и dalle`).
    var asciiLetters = 0
    var nonLatinLetters = 0
    /// Folded non-ASCII letters of single-script words, for the language fit.
    /// Counts indexed by folded scalar below U+0800 (allocated on the first letter), the distinct ones in
    /// `seen`, and the rare letters above in `otherLetters`.
    private var counts: [Int32] = []
    private var seen: [UInt32] = []
    private var otherLetters: [UInt32: Int] = [:]

    /// The letter histogram (folded letter → count).
    var letters: [UInt32: Int] {
        var out = otherLetters
        for l in seen { out[l] = Int(counts[Int(l)]) }
        return out
    }

    // Word state.
    private var inWord = false
    private var wordScripts: UInt8 = 0
    private var wordLetters: [UInt32] = []
    private var prevLower = false
    private var prevNonASCII = false
    private var upperRun = 0
    private var afterLetterSymbol = false
    private var prevSymbol = false

    // Weights of the faults (per occurrence).
    static let controlCost = 20.0
    static let undefinedCost = 20.0
    static let symbolCost = 1.0
    static let strongSymbolCost = 3.0
    static let unusedSignCost = 10.0
    static let touchingCost = 2.0
    static let inWordCost = 6.0
    static let mixedScriptCost = 5.0
    static let caseBreakCost = 4.0

    init() { wordLetters.reserveCapacity(32) }

    mutating func add(_ c: CharacterClass) {
        switch c.kind {
        case .letter:
            if afterLetterSymbol { symbolsInWords += 1 }
            if prevSymbol { symbolsTouchingLetters += 1 }
            afterLetterSymbol = false
            prevSymbol = false
            if !inWord {
                inWord = true
                wordScripts = 0
                wordLetters.removeAll(keepingCapacity: true)
                prevLower = false
                prevNonASCII = false
                upperRun = 0
            }
            wordScripts |= c.script.bit
            if c.isASCII { asciiLetters += 1 } else if c.script != .latin { nonLatinLetters += 1 }
            if !c.isASCII { wordLetters.append(c.folded) }
            let involved = !c.isASCII || prevNonASCII
            if c.isUpper {
                if prevLower && involved { caseBreaks += 1 }
                upperRun += 1
            } else if c.isLower {
                if upperRun >= 2 && involved { caseBreaks += 1 }
                upperRun = 0
            }
            prevLower = c.isLower
            prevNonASCII = !c.isASCII
        case .symbol, .strongSymbol, .unusedSign, .control, .undefined, .punctuation:
            switch c.kind {
            case .symbol: symbols += 1
            case .unusedSign: unusedSigns += 1
            case .strongSymbol: strongSymbols += 1
            case .control: if !c.isASCII { controls += 1 }
            case .undefined: undefined += 1
            default: break
            }
            let counts = !c.isASCII
            let symbolLike = c.kind == .symbol || c.kind == .strongSymbol || c.kind == .unusedSign
            if symbolLike && inWord { symbolsTouchingLetters += 1 }
            afterLetterSymbol = counts && inWord
            prevSymbol = symbolLike && !inWord
            endWord()
        case .digit, .space, .joiner:
            afterLetterSymbol = false
            prevSymbol = false
            endWord()
        }
    }

    /// Closes the word in progress (call once at the end of the sample).
    mutating func endWord() {
        guard inWord else { return }
        inWord = false
        if wordLetters.isEmpty { return }
        if wordScripts.nonzeroBitCount > 1 {
            mixedScriptLetters += wordLetters.count
        } else {
            for l in wordLetters {
                if l < 0x800 {
                    if counts.isEmpty { counts = [Int32](repeating: 0, count: 0x800) }
                    if counts[Int(l)] == 0 { seen.append(l) }
                    counts[Int(l)] += 1
                } else {
                    otherLetters[l, default: 0] += 1
                }
            }
        }
    }

    var faultCost: Double {
        Double(controls) * Self.controlCost + Double(undefined) * Self.undefinedCost + Double(symbols)
            * Self.symbolCost + Double(strongSymbols) * Self.strongSymbolCost + Double(unusedSigns)
            * Self.unusedSignCost + Double(symbolsTouchingLetters)
            * Self.touchingCost + Double(symbolsInWords) * Self.inWordCost + Double(mixedScriptLetters)
            * Self.mixedScriptCost + Double(caseBreaks) * Self.caseBreakCost
    }

    /// The language the letters fit best, its score (sum of the letters' weights), and how many letters
    /// it does not write.
    func bestLanguage() -> (name: String, score: Double, foreign: Int, total: Int) {
        var total = otherLetters.values.reduce(0, +)
        for l in seen { total += Int(counts[Int(l)]) }
        if total == 0 { return ("", 0, 0, 0) }
        var best = ("", -Double.infinity, 0, total)
        for profile in LanguageProfile.all {
            var score = 0.0
            var foreign = 0
            for l in seen {
                let count = Int(counts[Int(l)])
                let w = profile.table[Int(l)]
                if w == LanguageProfile.foreignLetterCost { foreign += count }
                score += w * Double(count)
            }
            for (l, count) in otherLetters {
                let w = profile.weight(l)
                if w == LanguageProfile.foreignLetterCost { foreign += count }
                score += w * Double(count)
            }
            if score > best.1 { best = (profile.name, score, foreign, total) }
        }
        return best
    }

    /// The whole score: the language fit minus the faults.
    func total() -> Double { bestLanguage().score - faultCost }

    /// Whether nothing in this reading suggests another encoding: no faults, and letters that fit one
    /// language (at most 1 in 20 foreign, and a frequency-weighted mean ≥ 0.25 per letter).
    var isClean: Bool {
        if controls + undefined + symbols + strongSymbols + unusedSigns + symbolsTouchingLetters + symbolsInWords
            + mixedScriptLetters
            + caseBreaks > 0
        {
            return false
        }
        if nonLatinLetters > 0 && asciiLetters > nonLatinLetters { return false }
        let fit = bestLanguage()
        if fit.foreign * 20 > fit.total { return false }
        return fit.total == 0 || fit.score / Double(fit.total) >= 0.25
    }

    /// The faults in words, for a warning (`3 symbols inside words, 2 case breaks`).
    var faultSummary: String {
        var parts: [String] = []
        func add(_ n: Int, _ one: String, _ many: String, _ rest: String = "") {
            if n > 0 { parts.append("\(n) \(n == 1 ? one : many)\(rest)") }
        }
        add(controls, "control character", "control characters")
        add(undefined, "undefined byte", "undefined bytes")
        add(unusedSigns, "unused sign", "unused signs", " (¤)")
        add(symbolsInWords, "symbol", "symbols", " inside words")
        add(symbolsTouchingLetters, "symbol", "symbols", " against letters")
        add(mixedScriptLetters, "letter", "letters", " mixing scripts in a word")
        add(caseBreaks, "case break", "case breaks", " inside words")
        let fit = bestLanguage()
        add(fit.foreign, "letter", "letters", " foreign to \(fit.name)")
        return parts.isEmpty ? "less likely letters" : parts.joined(separator: ", ")
    }
}
