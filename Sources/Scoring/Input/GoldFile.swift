// Gold files: JSON Lines, one document a line, `{"id", "sha256", "text"?, "annotations": [...]}`.
// Read with the model's JSONParser; spans sorted, overlaps of one type warned about, errors with file:line.
import DocumentModel

/// The documents of a gold file, in file order, and what reading them noticed.
public struct GoldFile: Sendable {
    /// The file's name as given (for messages).
    public var path: String
    /// The documents, in file order.
    public var documents: [ScoringDocument]
    /// Things worth knowing that do not stop scoring (overlapping spans of one type), with file:line.
    public var warnings: [String]

    /// Reads a gold file.
    ///
    /// Each line holds one document: `id` (a string), `sha256` (optional unless documents are keyed by
    /// it), `annotations` (a list of `{"type", "start", "end", "text"?, "features"?, "parts"?}`; may be
    /// left out for a document with nothing to find) and an optional `text` (the document's text, used
    /// for context). Other top-level fields are ignored. Annotations may come in any order: they are
    /// sorted.
    ///
    /// - Parameters:
    ///   - bytes: The file's contents.
    ///   - path: The file's name, for messages.
    ///   - key: How documents will be matched; each document must have that key, once.
    /// - Throws: `ScoringError` with file and line: malformed JSON, a field of the wrong type, a negative
    ///   offset or start after end, a missing or repeated key, an empty file.
    public init(bytes: [UInt8], path: String, key: DocumentKey) throws {
        self.path = path
        documents = []
        warnings = []
        var seen: [String: Int] = [:]
        try JSONLines.forEachObject(bytes, file: path) { line, object in
            let reader = AnnotationReader(file: path, line: line)
            let id = try Self.string(object, "id", reader)
            let sha = try Self.string(object, "sha256", reader)
            let text = try Self.string(object, "text", reader)
            guard id != nil || sha != nil else {
                throw reader.fail("a gold document needs an \"id\" (or a \"sha256\")")
            }
            var spans: [LabeledSpan] = []
            switch object["annotations"] {
            case nil, .null?: break
            case .array(let items)?:
                spans.reserveCapacity(items.count)
                for (i, item) in items.enumerated() { spans.append(try reader.span(item, index: i)) }
            default: throw reader.fail("\"annotations\" must be a list")
            }
            var document = ScoringDocument(id: id, sha256: sha, spans: spans, text: text, line: line)
            guard let k = document.key(key) else {
                throw reader.fail("no \"\(key.rawValue)\" in this document (documents are matched by \(key.rawValue))")
            }
            if let first = seen[k] {
                throw reader.fail("document \(document.label) is already on line \(first)")
            }
            seen[k] = line
            if !document.spans.isSorted(by: LabeledSpan.documentOrder) {
                document.spans.sort(by: LabeledSpan.documentOrder)
            }
            warnings += Self.overlaps(in: document, file: path)
            documents.append(document)
        }
        if documents.isEmpty { throw ScoringError("no documents in the gold file", file: path) }
    }

    /// The types of the gold annotations, sorted.
    public var types: [String] {
        Array(Set(documents.flatMap { $0.spans.map(\.type) })).sorted()
    }

    private static func string(_ object: JSONObject, _ name: String, _ reader: AnnotationReader) throws -> String? {
        switch object[name] {
        case nil, .null?: return nil
        case .string(let s)?: return s
        default: throw reader.fail("\"\(name)\" must be a string")
        }
    }

    /// One warning per pair of overlapping spans of the same type (they are still scored).
    static func overlaps(in document: ScoringDocument, file: String) -> [String] {
        var out: [String] = []
        var last: [String: LabeledSpan] = [:]  // per type, the span reaching furthest so far
        for span in document.spans {
            if let previous = last[span.type], span.start < previous.end, span.start < span.end {
                out.append(
                    "\(file):\(span.line): \(document.label): \(span.type) spans overlap: "
                        + "\(previous.start)-\(previous.end) and \(span.start)-\(span.end) (both are scored)")
            }
            if last[span.type].map({ span.end > $0.end }) ?? true { last[span.type] = span }
        }
        return out
    }
}

extension Array {
    func isSorted(by before: (Element, Element) -> Bool) -> Bool {
        zip(self, dropFirst()).allSatisfy { !before($1, $0) }
    }
}
