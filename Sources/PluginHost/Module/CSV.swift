// CSV: RFC 4180 reading and writing for quarry.csv and phrase files — quoted fields, doubled
// quotes, separators and newlines inside quotes; errors name the line.

enum CSV {
    struct ParseError: Error {
        var line: Int
        var message: String
    }

    /// Parses text into records of fields.
    static func parse(_ text: String, separator: Character = ",") throws -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var inQuotes = false
        var quotedFieldStarted = false
        var line = 1
        var recordLine = 1
        var iterator = text.makeIterator()
        var pending: Character? = nil
        func next() -> Character? {
            if let p = pending {
                pending = nil
                return p
            }
            return iterator.next()
        }
        while let c = next() {
            if inQuotes {
                if c == "\"" {
                    if let following = next() {
                        if following == "\"" {
                            field.append("\"")
                        } else {
                            inQuotes = false
                            pending = following
                        }
                    } else {
                        inQuotes = false
                    }
                } else {
                    if c == "\n" || c == "\r\n" { line += 1 }
                    field.append(c)
                }
                continue
            }
            switch c {
            case "\"":
                if field.isEmpty && !quotedFieldStarted {
                    inQuotes = true
                    quotedFieldStarted = true
                } else {
                    throw ParseError(line: line, message: "a quote inside an unquoted field (quote the whole field)")
                }
            case separator:
                record.append(field)
                field = ""
                quotedFieldStarted = false
            case "\n", "\r\n", "\r":
                record.append(field)
                records.append(record)
                record = []
                field = ""
                quotedFieldStarted = false
                line += 1
                recordLine = line
            default:
                if quotedFieldStarted {
                    throw ParseError(line: line, message: "text after a closing quote")
                }
                field.append(c)
            }
        }
        if inQuotes { throw ParseError(line: recordLine, message: "a quoted field is never closed") }
        if !field.isEmpty || !record.isEmpty || quotedFieldStarted {
            record.append(field)
            records.append(record)
        }
        return records
    }

    /// Encodes one field, quoting it when it holds the separator, a quote or a line break.
    static func field(_ value: String, separator: Character = ",") -> String {
        // bytes, not Characters: "\r\n" is one Character, equal to neither "\r" nor "\n"
        let sep = separator.asciiValue ?? 0x22
        if value.utf8.contains(where: { $0 == sep || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D })
            || (separator.asciiValue == nil && value.contains(separator)) {
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
