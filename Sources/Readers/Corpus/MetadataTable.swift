// MetadataTable: metadata for documents that carry none (`--metadata FILE`): a CSV/TSV file with a header,
// or JSON Lines of objects, keyed by document id (`id`) or path (`path`), with any fields — `date`,
// `title`, `language`, `url`, `authors` go to the document's own fields, the rest (`source`, `category`…)
// to its extra metadata. ReaderRegistry merges a document's row into it as the document is read; the
// file's values replace what the reader found. Errors name the file and line.
import DocumentModel
import Foundation
import Synchronization

/// The keys of a metadata table that documents used, shared by every copy of the table (each worker's).
final class MetadataUsage: Sendable {
    let used = Mutex<Set<String>>([])
}

/// Rows of metadata keyed by document id or path.
public struct MetadataTable: Sendable, Hashable {
    /// The file, as given.
    public var file: String
    /// Its bytes' SHA-256 (a run's settings record it, so `--resume` notices a changed file).
    public var sha256: String
    /// Key (id or path) → the fields to set and the file's line.
    var rows: [String: (fields: JSONObject, line: Int)]
    /// The path keys made absolute (from the working directory) → the key.
    var absolute: [String: String] = [:]
    /// Lines that were read with a problem the run goes on with (a bad date): "FILE:LINE: …".
    public private(set) var warnings: [String] = []
    let usage = MetadataUsage()

    public static func == (a: MetadataTable, b: MetadataTable) -> Bool { a.file == b.file && a.sha256 == b.sha256 }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(file)
        hasher.combine(sha256)
    }

    /// The keys of the table (ids and paths), sorted.
    public var keys: [String] { rows.keys.sorted() }

    /// The number of rows.
    public var count: Int { rows.count }

    /// What is wrong with a metadata file: the file, the line when there is one, and the cause.
    public struct LoadError: Error, Sendable, CustomStringConvertible {
        public var file: String
        public var line: Int?
        public var message: String
        public var description: String { "\(file)\(line.map { ":\($0)" } ?? ""): \(message)" }
    }

    /// Reads `path`: `.jsonl`/`.ndjson` as JSON Lines, `.tsv` as tab-separated, anything else as CSV.
    public static func load(_ path: String) throws(LoadError) -> MetadataTable {
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw LoadError(file: path, message: exists ? "cannot read the metadata file" : "no such metadata file")
        }
        let bytes = [UInt8](data)
        var table = MetadataTable(file: path, sha256: SHA256.hex(bytes), rows: [:])
        let lower = path.lowercased()
        var items: [(fields: JSONObject, line: Int)] = []
        if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") {
            items = try jsonLines(bytes, file: path)
        } else {
            items = try csv(bytes, separator: lower.hasSuffix(".tsv") ? "\t" : ",", file: path)
        }
        for var item in items {
            let key: String
            if case .string(let id)? = item.fields["id"], !id.isEmpty {
                key = id
            } else if case .string(let p)? = item.fields["path"], !p.isEmpty {
                key = Self.normalized(p)
                table.absolute[Self.absolute(p)] = key
            } else {
                throw LoadError(file: path, line: item.line, message: "the row has no `id` or `path`")
            }
            if let earlier = table.rows[key] {
                throw LoadError(
                    file: path, line: item.line,
                    message: "'\(key)' is also on line \(earlier.line); one row per document")
            }
            if case .string(let date)? = item.fields["date"], !Self.isDate(date) {
                table.warnings.append(
                    "\(path):\(item.line): '\(date)' is not a date such as 2024-03-18; the document stays undated")
                item.fields["date"] = nil
            }
            item.fields["id"] = nil
            item.fields["path"] = nil
            table.rows[key] = item
        }
        return table
    }

    /// The row of a document, found by its id, then by its path.
    public func row(id: String, path: String) -> JSONObject? {
        key(id: id, path: path).flatMap { rows[$0]?.fields }
    }

    /// The key of a document's row: its id, its path as given, or its path made absolute.
    public func key(id: String, path: String) -> String? {
        if rows[id] != nil { return id }
        let p = Self.normalized(path)
        if rows[p] != nil { return p }
        return absolute.isEmpty ? nil : absolute[Self.absolute(path)]
    }

    /// The keys no document read so far has used (ids or paths the corpus does not have), sorted.
    public var unusedKeys: [String] {
        let used = usage.used.withLock { $0 }
        return rows.keys.filter { !used.contains($0) }.sorted()
    }

    /// Sets a document's metadata from its row, if it has one.
    public func apply(to doc: inout Document) {
        guard let key = key(id: doc.id, path: doc.metadata.sourcePath ?? doc.path), let fields = rows[key]?.fields
        else { return }
        _ = usage.used.withLock { $0.insert(key) }
        for (name, value) in fields {
            switch (name, value) {
            case ("date", .string(let s)): doc.metadata.date = s
            case ("title", .string(let s)): doc.metadata.title = s
            case ("language", .string(let s)): doc.metadata.language = s
            case ("url", .string(let s)): doc.metadata.url = s
            case ("authors", .string(let s)):
                doc.metadata.authors = s.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
                    .filter { !$0.isEmpty }
            case ("authors", .array(let items)):
                doc.metadata.authors = items.compactMap { if case .string(let s) = $0 { s } else { nil } }
            default: doc.metadata.extra[name] = value
            }
        }
    }

    // MARK: - Reading

    static func jsonLines(_ bytes: [UInt8], file: String) throws(LoadError) -> [(fields: JSONObject, line: Int)] {
        var out: [(fields: JSONObject, line: Int)] = []
        var line = 0
        var start = 0
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
            line += 1
            let slice = Array(bytes[start..<end])
            start = end + 1
            if slice.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            let value: JSONValue
            do {
                value = try JSONParser.parse(bytes: slice)
            } catch {
                throw LoadError(file: file, line: line, message: "not a JSON object: \(error)")
            }
            guard case .object(let object) = value else {
                throw LoadError(file: file, line: line, message: "a line must be a JSON object")
            }
            out.append((object, line))
        }
        return out
    }

    static func csv(_ bytes: [UInt8], separator: Character, file: String) throws(LoadError) -> [(
        fields: JSONObject, line: Int
    )] {
        var body = bytes
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body.removeFirst(3) }
        let rows: [CSVParser.Row]
        do {
            rows = try CSVParser.rows(body, separator: Array(String(separator).utf8))
        } catch {
            throw LoadError(file: file, line: error.line, message: error.message)
        }
        guard let header = rows.first?.fields.map({ $0.trimmingCharacters(in: .whitespaces) }) else {
            throw LoadError(file: file, message: "the file is empty; it needs a header line naming `id` or `path`")
        }
        guard header.contains("id") || header.contains("path") else {
            throw LoadError(
                file: file, line: 1,
                message: "the header has no `id` or `path` column (it has: \(header.joined(separator: ", ")))")
        }
        var out: [(fields: JSONObject, line: Int)] = []
        for row in rows.dropFirst() where !(row.fields.count == 1 && row.fields[0].isEmpty) {
            guard row.fields.count <= header.count else {
                throw LoadError(
                    file: file, line: row.line,
                    message: "\(row.fields.count) fields, the header names \(header.count)")
            }
            var object = JSONObject()
            for (name, value) in zip(header, row.fields) where !value.isEmpty && !name.isEmpty {
                object[name] = .string(value)
            }
            out.append((object, row.line))
        }
        return out
    }

    /// A path as a key: without a leading `./`.
    static func normalized(_ path: String) -> String {
        var p = path
        while p.hasPrefix("./") { p.removeFirst(2) }
        return p
    }

    static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: (path as NSString).expandingTildeInPath).standardizedFileURL.path
    }

    /// `YYYY-MM-DD`, optionally followed by a time (`T…` or ` …`), with a day the calendar has.
    static func isDate(_ text: String) -> Bool {
        let parts = text.prefix(10).split(separator: "-", omittingEmptySubsequences: false)
        guard
            text.count == 10
                || (text.count > 10 && ["T", " "].contains(text[text.index(text.startIndex, offsetBy: 10)])),
            parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]), (1...12).contains(m), d >= 1
        else { return false }
        let days = [31, (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return d <= days[m - 1]
    }
}
