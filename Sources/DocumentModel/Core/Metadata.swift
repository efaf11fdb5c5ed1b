// Document metadata: what readers learn about a document besides its text.
// Plugins and readers may add fields under `extra`.

/// Descriptive fields of a document.
public struct Metadata: Sendable, Hashable {
    public var title: String?
    public var authors: [String] = []
    /// ISO 8601 date or date-time.
    public var date: String?
    public var url: String?
    /// BCP 47 language tag, e.g. `en`.
    public var language: String?
    public var sourcePath: String?
    public var format: String?
    /// The detected encoding of the original bytes, e.g. `utf-8`.
    public var encoding: String?
    /// Lower-case hex SHA-256 of the original bytes.
    public var sha256: String?
    /// Any other fields, in insertion order.
    public var extra = JSONObject()

    /// Creates empty metadata.
    public init() {}

    /// All fields as an ordered JSON object; unset optional fields are left out.
    public var json: JSONObject {
        var o = JSONObject()
        if let title { o["title"] = .string(title) }
        if !authors.isEmpty { o["authors"] = .array(authors.map { .string($0) }) }
        if let date { o["date"] = .string(date) }
        if let url { o["url"] = .string(url) }
        if let language { o["language"] = .string(language) }
        if let sourcePath { o["source_path"] = .string(sourcePath) }
        if let format { o["format"] = .string(format) }
        if let encoding { o["encoding"] = .string(encoding) }
        if let sha256 { o["sha256"] = .string(sha256) }
        // extras after the standard fields, skipping any that repeat one; extra's keys are distinct, so
        // the object is built in one step (no search of the keys so far per extra)
        let standard = Set(o.keys)
        var keys = o.keys
        var values = o.values
        for (k, v) in extra where !standard.contains(k) {
            keys.append(k)
            values.append(v)
        }
        return JSONObject(distinctKeys: keys, values: values)
    }
}
