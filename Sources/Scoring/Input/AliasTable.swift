// Feature values as `quarry score` compares them: as text, case- and white-space-insensitive, then
// through an alias table (TSV `alias<TAB>canonical`, or a JSON object) to their canonical form.
import DocumentModel

/// Maps feature values to a canonical form before they are compared.
public struct AliasTable: Sendable, Hashable {
    /// Normalized alias → normalized canonical value.
    public private(set) var entries: [String: String] = [:]

    /// An empty table: values are only normalized.
    public init() {}

    /// A table from pairs (alias, canonical).
    public init(_ pairs: [(String, String)]) {
        for (alias, canonical) in pairs { entries[Self.normalize(alias)] = Self.normalize(canonical) }
    }

    /// Reads a TSV file (`alias<TAB>canonical` a line; blank lines and lines starting with `#` skipped)
    /// or, when the text starts with `{`, a JSON object of alias → canonical strings.
    ///
    /// - Throws: `ScoringError` naming `path:line` for a line without a tab or an empty field, or
    ///   invalid JSON.
    public init(text: String, path: String) throws {
        let trimmed = text.drop { $0.isWhitespace || $0 == "\u{FEFF}" }
        if trimmed.first == "{" {
            let value: JSONValue
            do {
                value = try JSONParser.parse(String(trimmed))
            } catch let error as JSONParseError {
                throw ScoringError(
                    "invalid JSON: \(error.message) (column \(error.column))", file: path, line: error.line)
            }
            guard case .object(let object) = value else { throw ScoringError("expected a JSON object", file: path) }
            for (alias, canonical) in object {
                guard case .string(let c) = canonical else {
                    throw ScoringError("alias \"\(alias)\": the canonical value must be a string", file: path)
                }
                entries[Self.normalize(alias)] = Self.normalize(c)
            }
            return
        }
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = Substring(raw)
            if line.hasSuffix("\r") { line = line.dropLast() }
            if i == 0, line.first == "\u{FEFF}" { line = line.dropFirst() }
            if line.allSatisfy(\.isWhitespace) || line.hasPrefix("#") { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count >= 2 else {
                throw ScoringError("expected alias<TAB>canonical", file: path, line: i + 1)
            }
            let alias = Self.normalize(String(fields[0])), canonical = Self.normalize(String(fields[1]))
            guard !alias.isEmpty, !canonical.isEmpty else {
                throw ScoringError("empty alias or canonical value", file: path, line: i + 1)
            }
            entries[alias] = canonical
        }
    }

    /// The comparable form of a feature value: its text (strings as they are, other values as JSON
    /// text), lower-cased, white space collapsed and trimmed, then mapped through the table.
    public func comparable(_ value: JSONValue) -> String {
        let key = Self.normalize(Self.text(of: value))
        return entries[key] ?? key
    }

    /// A value's text: a string's contents, the JSON text of anything else (`true`, `3`, `[1,2]`).
    public static func text(of value: JSONValue) -> String {
        if case .string(let s) = value { return s }
        return value.description
    }

    /// Lower-cased, with runs of white space made one space and the ends trimmed.
    public static func normalize(_ text: String) -> String {
        text.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
