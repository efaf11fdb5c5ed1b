// Scores results.jsonl against a gold file: documents paired by id or SHA-256, spans matched per type,
// features compared on matched spans, figures counted, misses and false hits listed with context.
import DocumentModel

/// How to compare a run with a gold file.
public struct ScoreOptions: Sendable, Hashable {
    /// The types to score; empty means every type in the gold file.
    public var types: [String]
    public var match: MatchMode
    /// Only annotations (on both sides) with all these feature values are scored.
    public var conditions: [FeatureCondition]
    /// Features compared on matched spans.
    public var features: [String]
    public var aliases: AliasTable
    public var key: DocumentKey

    public init(
        types: [String] = [], match: MatchMode = .exact, conditions: [FeatureCondition] = [],
        features: [String] = [], aliases: AliasTable = AliasTable(), key: DocumentKey = .id
    ) {
        self.types = types
        self.match = match
        self.conditions = conditions
        self.features = features
        self.aliases = aliases
        self.key = key
    }
}

/// Compares a run with a gold file.
///
/// Spans: for each scored type, the gold and system annotations of that type (passing every
/// `--where`) are matched one-to-one (`SpanMatcher`); matched pairs are correct, unmatched system
/// spans false hits, unmatched gold spans misses. The total adds the counts of every type (micro
/// average).
///
/// Features: for feature F of type T, the system items are the system annotations of T (passing
/// `--where`) whose F is present and not null; the gold items likewise; an item is correct when its
/// span is matched and both values are equal once normalized (text, case- and white-space-insensitive,
/// then aliases). precision = correct / system items, recall = correct / gold items.
public enum Scorer {
    /// Code points of context shown on each side of a span.
    public static let contextWidth = 40

    /// Scores `results` against `gold`.
    ///
    /// - Parameters:
    ///   - texts: Document texts by key (`--docs`), for context and to check gold offsets; a gold
    ///     document's own `text` is used when it has none here.
    /// - Throws: `ScoringError` naming the gold file and line when a gold span ends past its
    ///   document's text.
    public static func score(
        gold: GoldFile, results: ResultsFile, options: ScoreOptions,
        texts: [String: String] = [:]
    ) throws -> ScoreReport {
        let key = options.key
        var warnings: [String] = []
        let types = options.types.isEmpty ? gold.types : unique(options.types)
        let goldTypes = Set(gold.types)
        for type in types where !goldTypes.contains(type) {
            warnings.append("type \(type) has no gold annotations: every system \(type) is a false hit")
        }
        let typeSet = Set(types)

        var byKey: [String: Int] = [:]
        var duplicates: Set<String> = []
        for (i, doc) in results.documents.enumerated() {
            guard let k = doc.key(key) else { continue }
            if byKey[k] == nil { byKey[k] = i } else { duplicates.insert(k) }
        }

        var typeCounts = Dictionary(uniqueKeysWithValues: types.map { ($0, Counts()) })
        var featureCounts: [String: [String: Counts]] = [:]
        var missing: [ScoreReport.MissingDocument] = []
        var misses: [ScoreReport.Item] = []
        var falseHits: [ScoreReport.Item] = []
        var mismatches: [ScoreReport.Mismatch] = []
        var scored = 0
        var goldKeys: Set<String> = []

        for goldDoc in gold.documents {
            let k = goldDoc.key(key) ?? ""
            goldKeys.insert(k)
            let text = texts[k] ?? goldDoc.text
            let scalars = text.map { Array($0.unicodeScalars) }
            if let scalars {
                warnings += try check(goldDoc, against: scalars, file: gold.path, fromDocs: texts[k] != nil)
            }
            func context(_ span: LabeledSpan) -> ScoreReport.Context? {
                guard let scalars, span.end <= scalars.count else { return nil }
                return makeContext(scalars, span.start, span.end)
            }
            let goldSpans = goldDoc.spans.filter { typeSet.contains($0.type) && passes($0, options.conditions) }
            guard let index = byKey[k] else {
                for span in goldSpans { typeCounts[span.type, default: Counts()].gold += 1 }
                for span in goldSpans {
                    for feature in options.features where span.value(of: feature) != nil {
                        featureCounts[span.type, default: [:]][feature, default: Counts()].gold += 1
                    }
                }
                missing.append(.init(document: goldDoc.label, line: goldDoc.line, annotations: goldSpans.count))
                continue
            }
            scored += 1
            let systemDoc = results.documents[index]
            if duplicates.contains(k) {
                warnings.append(
                    "\(goldDoc.label): more than one document of the results has this \(key.rawValue); the first (line \(systemDoc.line)) is scored"
                )
            }
            if let status = systemDoc.status, status != "ok" {
                warnings.append(
                    "\(goldDoc.label): its run status is \(status) (\(results.path):\(systemDoc.line)); scored with the annotations it has"
                )
            }
            let systemSpans = systemDoc.spans.filter { typeSet.contains($0.type) && passes($0, options.conditions) }
            for type in types {
                let g = goldSpans.filter { $0.type == type }
                let s = systemSpans.filter { $0.type == type }
                let pairs = SpanMatcher.match(gold: g, system: s, mode: options.match)
                typeCounts[type]! += Counts(gold: g.count, system: s.count, correct: pairs.count)
                var goldMatched = Array(repeating: false, count: g.count)
                var systemMatched = Array(repeating: false, count: s.count)
                for p in pairs { goldMatched[p.gold] = true; systemMatched[p.system] = true }
                for (i, span) in g.enumerated() where !goldMatched[i] {
                    misses.append(.init(document: goldDoc.label, span: span, context: context(span)))
                }
                for (j, span) in s.enumerated() where !systemMatched[j] {
                    falseHits.append(.init(document: goldDoc.label, span: span, context: context(span)))
                }
                for feature in options.features {
                    var c = Counts(
                        gold: g.count { $0.value(of: feature) != nil },
                        system: s.count { $0.value(of: feature) != nil })
                    for p in pairs {
                        let gv = g[p.gold].value(of: feature), sv = s[p.system].value(of: feature)
                        if gv == nil && sv == nil { continue }
                        if let gv, let sv, options.aliases.comparable(gv) == options.aliases.comparable(sv) {
                            c.correct += 1
                        } else {
                            mismatches.append(
                                .init(
                                    document: goldDoc.label, feature: feature, gold: g[p.gold],
                                    system: s[p.system], goldValue: gv, systemValue: sv,
                                    context: context(g[p.gold])))
                        }
                    }
                    featureCounts[type, default: [:]][feature, default: Counts()] += c
                }
            }
            if scalars != nil { continue }
            // Without the document's text, the system's text of an identical span checks the gold's.
            for span in goldSpans {
                guard let expected = span.text,
                    let found = systemSpans.first(where: {
                        $0.start == span.start && $0.end == span.end && $0.text != nil
                    }),
                    found.text != expected
                else { continue }
                warnings.append(
                    "\(gold.path):\(span.line): \(goldDoc.label): gold \(span.type) \(span.start)-\(span.end) has text \(quoted(expected)), the run has \(quoted(found.text!)) there (offsets in another unit?)"
                )
            }
        }

        let figures = types.map { type in
            ScoreReport.TypeFigures(
                type: type, counts: typeCounts[type] ?? Counts(),
                features: options.features.map { f in
                    .init(feature: f, counts: featureCounts[type]?[f] ?? Counts())
                })
        }
        var total = Counts()
        for f in figures { total += f.counts }
        let unscored = results.documents.count { doc in doc.key(key).map { !goldKeys.contains($0) } ?? true }
        return ScoreReport(
            options: options, goldPath: gold.path, resultsPath: results.path, types: figures, total: total,
            goldDocuments: gold.documents.count, scoredDocuments: scored, missingDocuments: missing,
            unscoredResults: unscored, misses: misses, falseHits: falseHits, mismatches: mismatches,
            hints: hints(gold: gold, results: results, key: key, found: byKey), warnings: gold.warnings + warnings)
    }

    // MARK: - Helpers

    static func passes(_ span: LabeledSpan, _ conditions: [FeatureCondition]) -> Bool {
        conditions.allSatisfy { $0.accepts(span) }
    }

    static func unique(_ names: [String]) -> [String] {
        var seen: Set<String> = []
        return names.filter { seen.insert($0).inserted }
    }

    /// Checks gold offsets (and texts) against the document's text.
    ///
    /// - Throws: `ScoringError` for a span that ends past the text.
    /// - Returns: Warnings for gold texts that differ from the document's text at their offsets.
    static func check(
        _ document: ScoringDocument, against scalars: [Unicode.Scalar], file: String,
        fromDocs: Bool
    ) throws -> [String] {
        var warnings: [String] = []
        let source = fromDocs ? "the document (--docs)" : "the gold document's text"
        for span in document.spans {
            let last = max(span.end, span.parts.map(\.upperBound).max() ?? 0)
            guard last <= scalars.count else {
                throw ScoringError(
                    "\(document.label): \(span.type) \(span.start)-\(span.end) ends past the end of \(source), which has \(scalars.count) code points",
                    file: file, line: span.line)
            }
            guard let expected = span.text, span.parts.isEmpty else { continue }
            let found = String(String.UnicodeScalarView(scalars[span.start..<span.end]))
            if found != expected {
                warnings.append(
                    "\(file):\(span.line): \(document.label): gold \(span.type) \(span.start)-\(span.end) has text \(quoted(expected)), \(source) has \(quoted(found)) there (offsets in another unit?)"
                )
            }
        }
        return warnings
    }

    static func makeContext(_ scalars: [Unicode.Scalar], _ start: Int, _ end: Int) -> ScoreReport.Context {
        var from = max(0, start - contextWidth), to = min(scalars.count, end + contextWidth)
        // Whole words only at the cut ends.
        func space(_ i: Int) -> Bool { scalars[i].properties.isWhitespace }
        if from > 0 && !space(from - 1) {
            var i = from
            while i < start && !space(i) { i += 1 }
            if i < start { from = i }
        }
        if to < scalars.count && !space(to) {
            var i = to
            while i > end && !space(i - 1) { i -= 1 }
            if i > end { to = i }
        }
        func piece(_ r: Range<Int>) -> String { String(String.UnicodeScalarView(scalars[r])) }
        return .init(left: piece(from..<start), text: piece(start..<end), right: piece(end..<to))
    }

    static func quoted(_ text: String) -> String { JSONValue.string(text).description }

    /// Suggestions when gold documents are missing from the results but would be found another way.
    static func hints(gold: GoldFile, results: ResultsFile, key: DocumentKey, found: [String: Int]) -> [String] {
        let missing = gold.documents.filter { doc in doc.key(key).map { found[$0] == nil } ?? true }
        guard !missing.isEmpty else { return [] }
        var hints: [String] = []
        let other = key.other
        let otherKeys = Set(results.documents.compactMap { $0.key(other) })
        let wouldMatch = missing.count { doc in doc.key(other).map(otherKeys.contains) ?? false }
        if wouldMatch > 0 {
            hints.append(
                "\(wouldMatch) of the \(missing.count) missing documents match a document of the results by \(other == .sha256 ? "SHA-256" : "id"): use --by \(other.rawValue)"
            )
        }
        if key == .id {
            // Gold ids without the folder or extension that quarry run's ids have (brat, CoNLL imports).
            var stems: [String: String] = [:]
            for doc in results.documents {
                guard let id = doc.id else { continue }
                let name = id.split(separator: "/").last.map(String.init) ?? id
                let stem = name.split(separator: ".", omittingEmptySubsequences: false).dropLast().joined(
                    separator: ".")
                if !stem.isEmpty, stems[stem] == nil { stems[stem] = id }
                if stems[name] == nil { stems[name] = id }
            }
            if let example = missing.lazy.compactMap({ doc in doc.id.flatMap { id in stems[id].map { (id, $0) } } })
                .first
            {
                hints.append(
                    "gold id '\(example.0)' looks like the results' '\(example.1)': ids must be equal (quarry run's ids are paths relative to the folder given); fix the gold ids, or use --by sha256"
                )
            }
        }
        return hints
    }
}
