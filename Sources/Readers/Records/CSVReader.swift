// CSV and TSV through DocumentModel's CSVParser (quoted fields, doubled quotes, line breaks inside
// quotes; a stray quote is text): the first row names the fields, every other row is a document. Ragged
// rows are read with a warning; an unterminated quote fails that record with its line number.

import DocumentModel
import Foundation

/// Reads `.csv` and `.tsv` files.
struct CSVReader: DocumentReader {
    /// Column names for a message: the first 20, then how many more (a header may have thousands).
    static func listed(_ names: [String]) -> String {
        guard names.count > 20 else { return names.joined(separator: ", ") }
        return names.prefix(20).joined(separator: ", ") + " … (\(names.count - 20) more)"
    }

    func read(_ input: ReaderInput, into sink: (ReadResult) -> Void) {
        let decoded = TextDecoder.decode(input.bytes)
        var bytes = decoded.bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        let delimiter = input.format == .tsv ? UInt8(ascii: "\t") : Self.sniffDelimiter(bytes)
        var parser = CSVParser(bytes: bytes, separator: [delimiter])
        let header: CSVParser.Row
        do {
            guard let first = try parser.next() else {
                sink(input.failure("the file is empty"))
                return
            }
            header = first
        } catch {
            sink(input.failure(Self.message(error), location: "line \(error.line)"))
            return
        }
        var names: [String] = []
        var taken = Set<String>()
        for (i, raw) in header.fields.enumerated() {
            var name = raw.trimmingCharacters(in: .whitespaces)
            if name.isEmpty { name = "field\(i + 1)" }
            while taken.contains(name) { name += "_\(i + 1)" }
            names.append(name)
            taken.insert(name)
        }
        let textFields = input.options.textFields
        guard textFields.contains(where: names.contains) else {
            sink(
                input.failure(
                    "no text column (tried \(textFields.joined(separator: ", ")); the header has \(Self.listed(names)); use --text-field)",
                    location: "line \(header.line)"))
            return
        }
        var number = 0
        while true {
            let row: CSVParser.Row
            do {
                guard let next = try parser.next() else { break }
                row = next
            } catch {
                number += 1
                sink(
                    .failure(
                        ReadFailure(
                            id: "\(input.id)#\(number)", path: input.path, location: "line \(error.line)",
                            message: Self.message(error))))
                break  // the open quote ran to the end of the input
            }
            if row.fields.count == 1 && row.fields[0].isEmpty { continue }  // blank line
            number += 1
            var warnings: [String] = []
            // the header's names are distinct: the row's fields become an object in one step; fields past
            // the header are added one by one (their fieldN name may repeat a header name)
            let inHeader = min(row.fields.count, names.count)
            var fields = JSONObject(
                distinctKeys: Array(names[0..<inHeader]), values: row.fields[0..<inHeader].map { .string($0) })
            for i in inHeader..<row.fields.count { fields["field\(i + 1)"] = .string(row.fields[i]) }
            if row.fields.count != names.count {
                warnings.append(
                    "row has \(row.fields.count) fields, the header \(names.count)"
                        + (row.fields.count < names.count
                            ? "; missing fields left out" : "; extra fields kept as fieldN"))
            }
            do {
                sink(
                    .document(
                        try RecordDocument.make(
                            fields: fields, number: number, line: row.line, input: input,
                            encoding: decoded.encoding, warnings: warnings)))
            } catch let error as ReaderError {
                sink(
                    .failure(
                        ReadFailure(
                            id: "\(input.id)#\(number)", path: input.path, location: error.location,
                            message: error.message)))
            } catch {
                sink(input.failure(error))
            }
        }
        if number == 0 { sink(input.failure("no records after the header")) }
    }

    /// The reader's words for a quote that is never closed.
    static func message(_ error: CSVParseError) -> String {
        "unterminated quoted field (the quote opened on line \(error.line) is never closed)"
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
