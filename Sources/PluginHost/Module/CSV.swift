// CSV: reading and writing for quarry.csv and phrase files. Reading is DocumentModel's CSVParser,
// the one CSV corpora use; writing quotes a field that holds the separator, a quote or a line break.
import DocumentModel

enum CSV {
    struct ParseError: Error {
        var line: Int
        var message: String
    }

    /// Parses text into records of fields, through DocumentModel's CSVParser (the parser CSV corpora use).
    static func parse(_ text: String, separator: Character = ",") throws -> [[String]] {
        do {
            return try CSVParser.rows(text, separator: separator).map(\.fields)
        } catch {
            throw ParseError(line: error.line, message: error.message)
        }
    }

    /// Encodes one field, quoting it when it holds the separator, a quote or a line break.
    static func field(_ value: String, separator: Character = ",") -> String {
        // bytes, not Characters: "\r\n" is one Character, equal to neither "\r" nor "\n"
        let sep = separator.asciiValue ?? 0x22
        if value.utf8.contains(where: { $0 == sep || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D })
            || (separator.asciiValue == nil && value.contains(separator))
        {
            return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return value
    }

    /// Encodes records, one a line, ending with a newline.
    static func encode(_ records: [[String]], separator: Character = ",") -> String {
        records.map { $0.map { field($0, separator: separator) }.joined(separator: String(separator)) + "\n" }.joined()
    }
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
