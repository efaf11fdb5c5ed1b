// CSV and TSV (RFC 4180: quoted fields, doubled quotes, line breaks inside quotes): the first row names
// the fields, every other row is a document. Ragged rows are read with a warning; an unterminated quote
// fails that record with its line number.

import DocumentModel
import Foundation

/// Reads `.csv` and `.tsv` files.
struct CSVReader: DocumentReader {
    func read(_ input: ReaderInput, into sink: (ReadResult) -> Void) {
        let decoded = TextDecoder.decode(input.bytes)
        var bytes = decoded.bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        let delimiter = input.format == .tsv ? UInt8(ascii: "\t") : Self.sniffDelimiter(bytes)
        var parser = CSVParser(bytes: bytes, delimiter: delimiter)
        guard let header = parser.next() else {
            sink(input.failure("the file is empty"))
            return
        }
        if let error = header.error {
            sink(input.failure(error, location: "line \(header.line)"))
            return
        }
        var names: [String] = []
        for (i, raw) in header.fields.enumerated() {
            var name = raw.trimmingCharacters(in: .whitespaces)
            if name.isEmpty { name = "field\(i + 1)" }
            while names.contains(name) { name += "_\(i + 1)" }
            names.append(name)
        }
        let textFields = input.options.textFields
        guard textFields.contains(where: names.contains) else {
            sink(input.failure("no text column (tried \(textFields.joined(separator: ", ")); the header has \(names.joined(separator: ", ")); use --text-field)",
                               location: "line \(header.line)"))
            return
        }
        var number = 0
        while let row = parser.next() {
            if row.fields.count == 1 && row.fields[0].isEmpty && row.error == nil { continue }  // blank line
            number += 1
            if let error = row.error {
                sink(.failure(ReadFailure(id: "\(input.id)#\(number)", path: input.path, location: "line \(row.line)",
                                          message: error)))
                continue
            }
            var fields = JSONObject()
            var warnings: [String] = []
            for (i, value) in row.fields.enumerated() {
                let key = i < names.count ? names[i] : "field\(i + 1)"
                fields[key] = .string(value)
            }
            if row.fields.count != names.count {
                warnings.append("row has \(row.fields.count) fields, the header \(names.count)"
                                + (row.fields.count < names.count ? "; missing fields left out" : "; extra fields kept as fieldN"))
            }
            do {
                sink(.document(try RecordDocument.make(fields: fields, number: number, line: row.line, input: input,
                                                       encoding: decoded.encoding, warnings: warnings)))
            } catch let error as ReaderError {
                sink(.failure(ReadFailure(id: "\(input.id)#\(number)", path: input.path, location: error.location,
                                          message: error.message)))
            } catch {
                sink(input.failure(error))
            }
        }
        if number == 0 { sink(input.failure("no records after the header")) }
    }

    /// Comma, semicolon or tab: whichever appears most in the first line (outside quotes).
    static func sniffDelimiter(_ bytes: [UInt8]) -> UInt8 {
        var counts: [UInt8: Int] = [0x2C: 0, 0x3B: 0, 0x09: 0]
        var inQuotes = false
        for b in bytes.prefix(4096) {
            if b == 0x22 { inQuotes.toggle() }
            if inQuotes { continue }
            if b == 0x0A { break }
            if counts[b] != nil { counts[b]! += 1 }
        }
        let best = counts.max { $0.value < $1.value || ($0.value == $1.value && $0.key != 0x2C) }
        return (best?.value ?? 0) > 0 ? best!.key : 0x2C
    }
}

/// A streaming RFC 4180 parser over bytes.
struct CSVParser {
    struct Row {
        var fields: [String]
        /// The 1-based line where the row starts.
        var line: Int
        var error: String?
    }

    let bytes: [UInt8]
    let delimiter: UInt8
    private var i = 0
    private var line = 1

    init(bytes: [UInt8], delimiter: UInt8) {
        self.bytes = bytes
        self.delimiter = delimiter
    }

    mutating func next() -> Row? {
        guard i < bytes.count else { return nil }
        var row = Row(fields: [], line: line)
        var field: [UInt8] = []
        var quoted = false
        var fieldStarted = false
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if quoted {
                if b == 0x22 {
                    if i + 1 < n && bytes[i + 1] == 0x22 { field.append(0x22); i += 2; continue }
                    quoted = false
                    i += 1
                    continue
                }
                if b == 0x0A { line += 1 }
                field.append(b)
                i += 1
                continue
            }
            if b == 0x22 && !fieldStarted {
                quoted = true
                fieldStarted = true
                i += 1
                continue
            }
            if b == delimiter {
                row.fields.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
                fieldStarted = false
                i += 1
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
        if quoted {
            row.error = "unterminated quoted field (the quote opened on line \(row.line) is never closed)"
        }
        row.fields.append(String(decoding: field, as: UTF8.self))
        return row
    }
}
