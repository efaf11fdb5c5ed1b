// CSVParser: the one CSV reader — CSV corpora (Readers) and `quarry.csv.decode` and phrase files
// (PluginHost) parse the same bytes into the same rows. Lenient like Python's csv module: quoted
// fields, doubled quotes, separators and line breaks inside quotes; a quote inside an unquoted field,
// or text after a closing quote, is literal text; only a quoted field left open at the end is an error.

/// A quoted field that is never closed, at the end of the input.
public struct CSVParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The 1-based line where the row holding the open quote starts.
    public var line: Int

    public init(line: Int) {
        self.line = line
    }

    public var message: String { "a quoted field is never closed" }
    public var description: String { "line \(line): \(message)" }
}

/// A streaming parser of CSV (or TSV, or any separator) bytes into rows of fields.
///
/// Rows end at `\n`, `\r\n` or `\r` outside quotes. A blank line is a row of one empty field. The
/// input is UTF-8; invalid sequences become U+FFFD in the fields.
public struct CSVParser {
    /// One row: its fields and the 1-based line where it starts (for error messages).
    public struct Row: Sendable, Equatable {
        public var fields: [String]
        public var line: Int

        public init(fields: [String], line: Int) {
            self.fields = fields
            self.line = line
        }
    }

    private let bytes: [UInt8]
    private let separator: [UInt8]
    private var i = 0
    private var line = 1

    /// - Parameters:
    ///   - bytes: UTF-8 text (a byte-order mark is not removed: the caller decides about it).
    ///   - separator: the bytes between fields (one byte for `,`, `;` or tab; more for a non-ASCII character).
    public init(bytes: [UInt8], separator: [UInt8] = [UInt8(ascii: ",")]) {
        self.bytes = bytes
        self.separator = separator.isEmpty ? [UInt8(ascii: ",")] : separator
    }

    /// - Parameters:
    ///   - text: the text to parse.
    ///   - separator: the character between fields.
    public init(_ text: String, separator: Character = ",") {
        self.init(bytes: Array(text.utf8), separator: Array(String(separator).utf8))
    }

    /// Every row of `bytes`.
    /// - Throws: `CSVParseError` when the last field opens a quote it never closes.
    public static func rows(_ bytes: [UInt8], separator: [UInt8] = [UInt8(ascii: ",")]) throws(CSVParseError) -> [Row] {
        var parser = CSVParser(bytes: bytes, separator: separator)
        var rows: [Row] = []
        while let row = try parser.next() { rows.append(row) }
        return rows
    }

    /// Every row of `text`.
    /// - Throws: `CSVParseError` when the last field opens a quote it never closes.
    public static func rows(_ text: String, separator: Character = ",") throws(CSVParseError) -> [Row] {
        try rows(Array(text.utf8), separator: Array(String(separator).utf8))
    }

    /// The next row, or nil at the end of the input.
    /// - Throws: `CSVParseError` when the row's last field opens a quote it never closes (the input
    ///   is then at its end).
    public mutating func next() throws(CSVParseError) -> Row? {
        let n = bytes.count
        guard i < n else { return nil }
        let quote = UInt8(ascii: "\"")
        let first = separator[0]
        var row = Row(fields: [], line: line)
        var field: [UInt8] = []
        var quoted = false
        // Whether the field has begun (a character, or a quoted part): a quote after that is literal.
        var fieldStarted = false
        while i < n {
            let b = bytes[i]
            if quoted {
                if b == quote {
                    if i + 1 < n && bytes[i + 1] == quote {
                        field.append(quote)
                        i += 2
                    } else {
                        quoted = false
                        i += 1
                    }
                    continue
                }
                if b == 0x0A { line += 1 }
                field.append(b)
                i += 1
                continue
            }
            if b == quote && !fieldStarted {
                quoted = true
                fieldStarted = true
                i += 1
                continue
            }
            if b == first && isSeparator(at: i) {
                row.fields.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
                fieldStarted = false
                i += separator.count
                continue
            }
            if b == 0x0A || b == 0x0D {
                i += 1
                if b == 0x0D && i < n && bytes[i] == 0x0A { i += 1 }
                line += 1
                row.fields.append(String(decoding: field, as: UTF8.self))
                return row
            }
            fieldStarted = true
            field.append(b)
            i += 1
        }
        if quoted { throw CSVParseError(line: row.line) }
        row.fields.append(String(decoding: field, as: UTF8.self))
        return row
    }

    private func isSeparator(at index: Int) -> Bool {
        guard separator.count > 1 else { return true }
        guard index + separator.count <= bytes.count else { return false }
        for k in 1..<separator.count where bytes[index + k] != separator[k] { return false }
        return true
    }
}
