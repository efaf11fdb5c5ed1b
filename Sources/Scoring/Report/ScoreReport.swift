// What `quarry score` found: figures per type, per feature and in total, the documents that could not be
// scored, and the misses, false hits and feature mismatches with their context (GATE's Annotation Diff).
import DocumentModel

/// The outcome of scoring a run against a gold file.
public struct ScoreReport: Sendable {
    /// Figures of one annotation type.
    public struct TypeFigures: Sendable, Hashable {
        public var type: String
        /// Spans: gold, system, matched.
        public var counts: Counts
        /// One entry per `--feature`, in the order given.
        public var features: [FeatureFigures]
    }

    /// Figures of one feature of one type (see `Scorer` for the definition).
    public struct FeatureFigures: Sendable, Hashable {
        public var feature: String
        public var counts: Counts
    }

    /// Text around a span, from the document's text (--docs, or the gold file's `text`).
    public struct Context: Sendable, Hashable {
        public var left: String
        public var text: String
        public var right: String
    }

    /// A gold span the system missed, or a system span not in the gold.
    public struct Item: Sendable, Hashable {
        /// The document's label (its id, else the start of its SHA-256).
        public var document: String
        public var span: LabeledSpan
        public var context: Context?
    }

    /// A matched pair whose values of one feature differ.
    public struct Mismatch: Sendable, Hashable {
        public var document: String
        public var feature: String
        public var gold: LabeledSpan
        public var system: LabeledSpan
        public var goldValue: JSONValue?
        public var systemValue: JSONValue?
        public var context: Context?
    }

    /// A gold document that is not in the results.
    public struct MissingDocument: Sendable, Hashable {
        public var document: String
        /// Its line in the gold file.
        public var line: Int
        /// Its annotations of the scored types, all counted as misses.
        public var annotations: Int
    }

    /// How the comparison was made.
    public var options: ScoreOptions
    /// The gold file and the results file, as named.
    public var goldPath: String
    public var resultsPath: String
    /// One entry per scored type, in order.
    public var types: [TypeFigures]
    /// The micro-averaged total over the types' spans (features are not in it).
    public var total: Counts
    /// Documents in the gold file.
    public var goldDocuments: Int
    /// Gold documents that are in the results.
    public var scoredDocuments: Int
    /// Gold documents that are not.
    public var missingDocuments: [MissingDocument]
    /// Documents of the results that are not in the gold file (not scored).
    public var unscoredResults: Int
    /// Gold spans not found, in gold order (documents missing from the results are not listed here).
    public var misses: [Item]
    /// System spans not in the gold, in gold-document order.
    public var falseHits: [Item]
    /// Feature values that differ on matched spans.
    public var mismatches: [Mismatch]
    /// Suggestions when documents do not match (`use --by sha256`).
    public var hints: [String]
    /// What scoring noticed that does not stop it.
    public var warnings: [String]

    /// The counts a floor names, or nil when the type or feature is not in the report.
    public func counts(type: String?, feature: String?) -> Counts? {
        guard let type else { return total }
        guard let figures = types.first(where: { $0.type == type }) else { return nil }
        guard let feature else { return figures.counts }
        return figures.features.first { $0.feature == feature }?.counts
    }
}
