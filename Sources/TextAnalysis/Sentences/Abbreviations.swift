// Known abbreviations, keyed by their bytes packed into a UInt64 (up to 8 bytes, period included).
// The tokenizer uses them to keep the period on the token; the splitter to decide sentence ends.

/// How an abbreviation behaves at a possible sentence end.
enum AbbreviationClass: UInt8 {
    /// Titles before names (`Mr.`, `Gen.`): never end a sentence.
    case title
    /// Never ends a sentence (`e.g.`, `vs.`, `No.`).
    case inner
    /// Months: end a sentence only before a capitalized sentence starter, never before a number.
    case month
    /// Reference words (`No.`, `Fig.`, `vol.`): never end a sentence before a number, else only before a
    /// sentence starter (`The answer was no. He left`).
    case reference
    /// Ends a sentence before a typical sentence-starting word (`U.S.`, `Inc.`).
    case beforeStarter
    /// Ends a sentence before any capitalized word (`etc.`, `a.m.`).
    case beforeCapital
    /// A single-letter initial (`J.`): never ends a sentence, but after a lower-case word (the pronoun
    /// `I`, `plan B`) it is no initial.
    case initial
    /// `a.m.`, `p.m.`: end a sentence before a capitalized word unless the sentence so far is a time phrase.
    case time
}

/// The abbreviation table and the packed-key helper.
enum Abbreviations {
    /// Packs up to 8 bytes into a key; returns `nil` when longer.
    @inline(__always)
    static func key(_ buf: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt64? {
        let n = end - start
        guard n > 0 && n <= 8 else { return nil }
        var k: UInt64 = 0
        for i in start..<end { k = k << 8 | UInt64(buf[i]) }
        return k
    }

    static func key(_ s: String) -> UInt64 {
        var k: UInt64 = 0
        for b in s.utf8 { k = k << 8 | UInt64(b) }
        return k
    }

    static let table: [UInt64: AbbreviationClass] = {
        var t: [UInt64: AbbreviationClass] = [:]
        func add(_ c: AbbreviationClass, _ words: String) {
            for w in words.split(separator: " ") {
                t[key(String(w) + ".")] = c
                if let f = w.first, f.isLowercase, c != .inner {
                    t[key(w.prefix(1).uppercased() + w.dropFirst() + ".")] = c
                }
            }
        }
        add(
            .title,
            "Mr Mrs Ms Dr Gen Sen Rep Gov Col Lt Sgt St Prof Capt Maj Cmdr Adm Rev Hon Pres Supt Det Insp Mt Ft Messrs Mme Mlle Gens Reps Sens Brig Cpl Pvt Lt.Col Sr.Lt Fr Rt Atty Amb"
        )
        add(.month, "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec")
        add(.inner, "v vs cf approx est ca viz al")
        add(.reference, "no nos fig figs vol vols pp art arts nr")
        add(.beforeStarter, "Inc Ltd Corp Co Bros Plc plc Cos Dept Univ Assn Ave Blvd Rd")
        add(.beforeCapital, "etc Jr Sr Esq")
        for m in ["e.g.", "i.e.", "E.g.", "I.e.", "a.k.a."] { t[key(m)] = .inner }
        for m in ["Ph.D.", "B.A.", "M.A.", "B.C.", "A.D."] { t[key(m)] = .beforeCapital }
        for m in ["a.m.", "p.m.", "A.M.", "P.M."] { t[key(m)] = .time }
        return t
    }()

    /// The class of the token text `buf[start..<end]`, which ends with a period.
    static func classify(_ buf: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> AbbreviationClass? {
        if end - start == 2 && buf[start] >= 0x41 && buf[start] <= 0x5A { return .initial }
        if let k = key(buf, start, end), let c = table[k] { return c }
        // Any other dotted letter sequence (U.S., U.K., N.Y.) behaves like U.S.
        var dots = 0
        for i in start..<end where buf[i] == 0x2E { dots += 1 }
        return dots >= 2 ? .beforeStarter : nil
    }

    /// Words that typically start a sentence; after `U.S.` or `Inc.` they signal a sentence end.
    static let starters: Set<UInt64> = {
        var s = Set<UInt64>()
        let words = """
            The A An He She It They We I You In On At But And Or So This That These Those There Here His Her \
            Its Their Our My Your As After Before When While However Meanwhile Also If Some Many Most One Two \
            Three Four No Not Then Now Yet Still Earlier Later Last Next Both Each Such What Who Why How \
            Where Officials Analysts Prices Shares Police For From With By Under Despite Although Though \
            Since Until Because Asked Instead Other Another All Several Few Only Even Just Thus Therefore
            """
        for w in words.split(whereSeparator: { $0 == " " || $0 == "\n" }) { s.insert(key(String(w))) }
        return s
    }()

    /// The key of `buf[start..<end]` with ASCII letters lower-cased; `nil` when longer than 8 bytes.
    @inline(__always)
    static func lowercasedKey(_ buf: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt64? {
        let n = end - start
        guard n > 0 && n <= 8 else { return nil }
        var k: UInt64 = 0
        for i in start..<end {
            let b = buf[i]
            k = k << 8 | UInt64(b >= 0x41 && b <= 0x5A ? b | 0x20 : b)
        }
        return k
    }

    /// Words that, followed by a period and a number, point into a text (`p. 55`, `ch. 3`, `N°. 12`): the
    /// period is theirs, not a sentence end. Lower-case, compared case-insensitively, without the period.
    static let references: Set<UInt64> = {
        let words = """
            p pp ch chap sec sect para paras pt pts eq eqs ed eds col cols ref refs tab ex fn n nn no nos nr \
            l ll ff bk op cl sch art arts fig figs vol vols ser app tel ext pl n° nº
            """
        return Set(words.split(whereSeparator: { $0 == " " || $0 == "\n" }).map { key(String($0)) })
    }()

    /// The lower-case words a time phrase may hold before `a.m.`/`p.m.` (`At 5 a.m.`, `on Monday at 9 p.m.`).
    static let timePhraseWords: Set<UInt64> = {
        let words = """
            at on by in about around after before until till from to since the of and or between shortly \
            just exactly early late near past every each this that last next roughly \
            sometime o'clock
            """
        return Set(words.split(whereSeparator: { $0 == " " || $0 == "\n" }).map { key(String($0)) })
    }()
}
