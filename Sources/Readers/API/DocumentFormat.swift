// The formats Quarry reads, with their names, aliases and file extensions.
// Detection (FormatDetector) picks one per file; `--format` overrides it.

/// A document format with a reader.
public enum DocumentFormat: String, Sendable, CaseIterable, CustomStringConvertible {
    case txt, md, html, jsonl, json, csv, tsv, docx, pdf, eml, mbox

    public var description: String { rawValue }

    /// The format named `name`: a canonical name (`md`) or an alias (`markdown`, `htm`, `text`, `ndjson`, `email`).
    public init?(name: String) {
        let n = name.lowercased()
        if let f = DocumentFormat(rawValue: n) { self = f; return }
        switch n {
        case "text", "plain", "plaintext": self = .txt
        case "markdown", "mdown", "mkd": self = .md
        case "htm", "xhtml": self = .html
        case "ndjson", "jsonlines", "json-lines": self = .jsonl
        case "email", "mail", "rfc822": self = .eml
        default: return nil
        }
    }

    /// The format a file extension stands for, if any.
    public init?(fileExtension ext: String) {
        switch ext.lowercased() {
        case "txt", "text": self = .txt
        case "md", "markdown", "mdown", "mkd": self = .md
        case "html", "htm", "xhtml": self = .html
        case "jsonl", "ndjson": self = .jsonl
        case "json": self = .json
        case "csv": self = .csv
        case "tsv", "tab": self = .tsv
        case "docx": self = .docx
        case "pdf": self = .pdf
        case "eml": self = .eml
        case "mbox", "mbx": self = .mbox
        default: return nil
        }
    }

    /// Whether one file of this format holds several documents (records or messages).
    public var holdsRecords: Bool {
        switch self {
        case .jsonl, .json, .csv, .tsv, .mbox: true
        default: false
        }
    }

    /// The names accepted by `--format`, for help texts.
    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
