// Chooses a single-byte encoding for text that is not UTF-8 when libuchardet's answer (or a declared
// charset) is doubtful: reads a bounded sample (the words holding non-ASCII bytes) in every candidate code
// page, scores each reading (ReadingScore) and keeps the best. Used by TextDecoder and MixedUTF8.

/// Scoring of candidate code pages on a sample.
enum EncodingChooser {
    /// At most this many bytes of a file are scored.
    static let sampleLimit = 16 << 10

    /// Where a proposal comes from, and the head start it gets over the other candidates.
    enum Source: Sendable {
        case declared, detected
        var bonus: Double { self == .declared ? 6 : 2 }
        var label: String { self == .declared ? "the declared charset" : "libuchardet's guess" }
    }

    /// A rare code page must beat the common ones by this much.
    static let rarePenalty = 3.0
    /// Most legacy text is Western European: another reading has to earn more than a detector's nod (a
    /// short English story with `São` reads almost as well in ISO-8859-2, as `Săo`). 2 did best of 1–3
    /// on generated texts of 4–60 words (GeneratedEncodingTests' generator).
    static let westernPrior = 2.0

    /// One candidate's reading of the sample and its total.
    struct Scored: Sendable {
        let page: SingleBytePage
        let reading: ReadingScore
        let total: Double
    }

    /// The words of `bytes` that hold non-ASCII bytes (each with up to 48 bytes of context, cut at spaces),
    /// joined by line ends, up to `limit` bytes: the only places where code pages read differently.
    static func sample(_ bytes: ArraySlice<UInt8>, limit: Int = sampleLimit) -> [UInt8] {
        var out: [UInt8] = []
        var i = bytes.startIndex
        var covered = bytes.startIndex
        let end = bytes.endIndex
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 }
        while i < end && out.count < limit {
            if bytes[i] < 0x80 {
                i += 1
                continue
            }
            var start = i
            while start > covered && i - start < 48 && !isSpace(bytes[start - 1]) { start -= 1 }
            var stop = i + 1
            var lastHigh = i
            while stop < end && stop - lastHigh < 48 && out.count + (stop - start) < limit {
                let b = bytes[stop]
                if b >= 0x80 {
                    lastHigh = stop
                } else if isSpace(b) {
                    // keep going across a space only when more non-ASCII follows soon
                    var k = stop + 1
                    while k < end && k - stop < 24 && bytes[k] < 0x80 && !isSpace(bytes[k]) { k += 1 }
                    if !(k < end && bytes[k] >= 0x80) { break }
                }
                stop += 1
            }
            if start > covered && !out.isEmpty { out.append(0x0A) }
            out.append(contentsOf: bytes[start..<stop])
            covered = stop
            i = stop
        }
        return out
    }

    /// `sample` read in `page`.
    static func read(_ sample: [UInt8], in page: SingleBytePage) -> ReadingScore {
        var score = ReadingScore()
        for b in sample { score.add(page.classes[Int(b)]) }
        score.endWord()
        return score
    }

    /// The code page of each family a doubt is checked against.
    static let familyDefaults = ["windows-1252", "windows-1250", "windows-1251", "windows-1253"]

    /// Whether the proposal needs no scoring of the others: it is a common code page, its reading of the
    /// sample is clean, and no other family's usual code page reads the sample differently and cleanly too
    /// (French in windows-1250 reads as clean Czech-looking `bibliothčque`: windows-1252 settles it).
    static func isSettled(sample: [UInt8], proposal page: SingleBytePage) -> Bool {
        guard SingleBytePage.isCommon(page.name), read(sample, in: page).isClean else { return false }
        for name in familyDefaults where name != page.name {
            guard let other = SingleBytePage.named(name) else { continue }
            if sample.contains(where: { $0 >= 0x80 && other.scalars[Int($0)] != page.scalars[Int($0)] }),
                read(sample, in: other).isClean
            {
                return false
            }
        }
        return true
    }

    /// Every candidate (and `proposal`, when it is a code page) scored on `sample`, best first; ties keep
    /// the proposal, then the candidates' order.
    static func rank(sample: [UInt8], proposal: String?, source: Source) -> [Scored] {
        var pages = SingleBytePage.candidates
        if let proposal {
            if let k = pages.firstIndex(where: { $0.name == proposal }) {
                pages.insert(pages.remove(at: k), at: 0)
            } else if let page = SingleBytePage.named(proposal) {
                pages.insert(page, at: 0)
            }
        }
        var scored: [Scored] = []
        for page in pages {
            let reading = read(sample, in: page)
            var total = reading.total()
            if page.name == proposal { total += source.bonus }
            if !SingleBytePage.isCommon(page.name) { total -= rarePenalty }
            if SingleBytePage.westernNames.contains(page.name) { total += westernPrior }
            scored.append(Scored(page: page, reading: reading, total: total))
        }
        return scored.enumerated().sorted { a, b in
            // totals within 1e-6 tie (sums of the same weights in another order differ in the last bits)
            abs(a.element.total - b.element.total) > 1e-6 ? a.element.total > b.element.total : a.offset < b.offset
        }.map(\.element)
    }

    /// The decision on a file that is not UTF-8, given a proposal (declared or detected; nil when there is
    /// none): the proposal when that is settled (`isSettled`), else the best scored.
    /// `warning` explains a decision that overrides the proposal.
    static func choose(_ bytes: ArraySlice<UInt8>, proposal: String?, source: Source) -> (
        name: String, overridden: String?
    ) {
        let sample = sample(bytes)
        if let proposal, let page = SingleBytePage.named(proposal), isSettled(sample: sample, proposal: page) {
            // The same text in windows-1252 (`café` in ISO-8859-2) goes by the likelier name.
            if let western = SingleBytePage.named("windows-1252"), !SingleBytePage.westernNames.contains(proposal),
                !sample.contains(where: { $0 >= 0x80 && western.scalars[Int($0)] != page.scalars[Int($0)] })
            {
                return ("windows-1252", nil)
            }
            return (proposal, nil)
        }
        let ranked = rank(sample: sample, proposal: proposal, source: source)
        guard let best = ranked.first else { return ("windows-1252", nil) }
        guard let proposal, best.page.name != proposal else { return (best.page.name, nil) }
        if let rejected = ranked.first(where: { $0.page.name == proposal }) {
            return (
                best.page.name,
                "\(source.label) \(proposal) reads with \(rejected.reading.faultSummary)"
            )
        }
        return (best.page.name, nil)
    }
}
