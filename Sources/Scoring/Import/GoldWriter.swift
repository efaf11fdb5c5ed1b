// Writes gold documents as the JSON Lines `quarry score` reads: one document a line, fields in a fixed
// order, so that the same input always gives the same file.
import DocumentModel

/// What an importer made of its input: documents and what it noticed.
public struct ImportResult: Sendable {
    /// The gold documents, in input order.
    public var documents: [ScoringDocument] = []
    /// Things the user should know (texts that differ, offsets remapped), with file:line.
    public var warnings: [String] = []
    /// Lines or items skipped on purpose, by kind (`relations`, `events`), counted.
    public var skipped: [String: Int] = [:]
    /// How offsets were made (CoNLL without --text), to print once.
    public var notes: [String] = []

    public init() {}

    /// Adds another file's result.
    public mutating func append(_ other: ImportResult) {
        documents += other.documents
        warnings += other.warnings
        notes += other.notes
        for (k, v) in other.skipped { skipped[k, default: 0] += v }
    }
}

extension ScoringDocument {
    /// The document as one line of a gold file (without the line end).
    public var goldLine: String {
        var o = JSONObject()
        if let id { o["id"] = .string(id) }
        if let sha256 { o["sha256"] = .string(sha256) }
        o["annotations"] = .array(
            spans.map { s in
                var a = JSONObject()
                a["type"] = .string(s.type)
                a["start"] = .int(s.start)
                a["end"] = .int(s.end)
                if !s.parts.isEmpty { a["parts"] = .array(s.parts.map { [.int($0.lowerBound), .int($0.upperBound)] }) }
                if let text = s.text { a["text"] = .string(text) }
                a["features"] = .object(s.features)
                return .object(a)
            })
        if let text { o["text"] = .string(text) }
        return JSONValue.object(o).description
    }
}

/// The file name without its folder and last extension (`a/b/story.ann` → `story`).
func stem(of path: String) -> String {
    let name = path.split(separator: "/").last.map(String.init) ?? path
    guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return name }
    return String(name[..<dot])
}
