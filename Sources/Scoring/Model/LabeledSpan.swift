// The annotations `quarry score` compares: a type, a code-point span and features, from a gold file or
// from results.jsonl. Offsets are 0-based, half-open, in Unicode code points, as in results.jsonl.
import DocumentModel

/// One annotation on either side of a comparison.
public struct LabeledSpan: Sendable, Hashable {
    /// The annotation type (`PERSON`, `QUOTE`).
    public var type: String
    /// The first code point.
    public var start: Int
    /// One past the last code point.
    public var end: Int
    /// The pieces of a discontinuous span (brat `3 9;12 15`), empty when it is one piece. `start` and
    /// `end` then cover all of them, and matching uses `start` and `end`.
    public var parts: [Range<Int>]
    /// The annotated text, when known (always in results.jsonl, optional in gold files).
    public var text: String?
    /// The features, in their order.
    public var features: JSONObject
    /// The 1-based line of the file it came from (0 when it was not read from a file).
    public var line: Int

    public init(
        type: String, start: Int, end: Int, parts: [Range<Int>] = [], text: String? = nil,
        features: JSONObject = JSONObject(), line: Int = 0
    ) {
        self.type = type
        self.start = start
        self.end = end
        self.parts = parts
        self.text = text
        self.features = features
        self.line = line
    }

    /// The value of feature `name`, or `nil` when it is absent or JSON null.
    public func value(of name: String) -> JSONValue? {
        guard let v = features[name], v != .null else { return nil }
        return v
    }

    /// Orders spans by start, then longer first, then type (the order of results.jsonl).
    static func documentOrder(_ a: LabeledSpan, _ b: LabeledSpan) -> Bool {
        if a.start != b.start { return a.start < b.start }
        if a.end != b.end { return a.end > b.end }
        return a.type < b.type
    }
}

/// One document of a gold file or of results.jsonl.
public struct ScoringDocument: Sendable, Hashable {
    /// The document id (required in results, optional in gold files keyed by SHA-256).
    public var id: String?
    /// The SHA-256 of the document's file bytes, as `quarry run` records it.
    public var sha256: String?
    /// The annotations, sorted in document order.
    public var spans: [LabeledSpan]
    /// The document's text, when the gold file gives it (top-level `text`): used for context.
    public var text: String?
    /// The run status of a results line (`ok`, `failed`, `skipped`); nil for gold documents.
    public var status: String?
    /// The 1-based line of the file it came from.
    public var line: Int

    public init(
        id: String?, sha256: String?, spans: [LabeledSpan], text: String? = nil, status: String? = nil,
        line: Int = 0
    ) {
        self.id = id
        self.sha256 = sha256
        self.spans = spans
        self.text = text
        self.status = status
        self.line = line
    }

    /// The key under `key`, if the document has one.
    public func key(_ key: DocumentKey) -> String? {
        switch key {
        case .id: id
        case .sha256: sha256?.lowercased()
        }
    }

    /// How the document is named in messages: its id, else the start of its SHA-256.
    public var label: String {
        if let id { return id }
        if let sha256 { return "sha256:" + sha256.prefix(12) }
        return "line \(line)"
    }
}

/// What ties a gold document to its results line.
public enum DocumentKey: String, Sendable, CaseIterable {
    /// The document id (`quarry run`'s path relative to the folder given, or the `--id-field`).
    case id
    /// The SHA-256 of the document's file bytes.
    case sha256

    /// The other key, for hints.
    public var other: DocumentKey { self == .id ? .sha256 : .id }
}
