// JSON Lines (one object per line) and JSON (an array of objects, or one object): each record is a
// document. A broken line fails alone with its line number and the rest goes on.

import DocumentModel

/// Reads `.jsonl` and `.json` files.
struct JSONRecordsReader: DocumentReader {
    func read(_ input: ReaderInput, into sink: (ReadResult) -> Void) {
        let decoded = TextDecoder.decode(input.bytes)
        guard !decoded.warnings.isEmpty else { return read(decoded, input, into: sink) }
        // JSON is UTF-8: a file that is not says so in every record read from it.
        let warnings = decoded.warnings.map { "the file is not UTF-8 (JSON should be): \($0)" }
        read(decoded, input) { result in
            guard case .document(var doc) = result else { return sink(result) }
            doc.warnings.insert(contentsOf: warnings, at: 0)
            sink(.document(doc))
        }
    }

    private func read(_ decoded: DecodedText, _ input: ReaderInput, into sink: (ReadResult) -> Void) {
        var bytes = decoded.bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        let encoding = decoded.encoding
        bytes.withUnsafeBufferPointer { buf in
            // A file whose first value is an array is JSON; otherwise one object per line.
            var k = 0
            while k < buf.count, buf[k] == 0x20 || buf[k] == 0x0A || buf[k] == 0x0D || buf[k] == 0x09 { k += 1 }
            if k == buf.count {
                sink(input.failure("the file is empty"))
                return
            }
            if buf[k] == UInt8(ascii: "[") {
                readArray(buf, input, encoding, sink)
            } else if input.format == .json, let whole = try? JSONParser.parse(buf, 0..<buf.count) {
                emit(whole, number: 1, line: lineNumber(buf, k), input, encoding, sink)
            } else {
                readLines(buf, input, encoding, sink)
            }
        }
    }

    private func readLines(
        _ buf: UnsafeBufferPointer<UInt8>, _ input: ReaderInput, _ encoding: String,
        _ sink: (ReadResult) -> Void
    ) {
        var line = 0
        var start = 0
        var number = 0
        while start < buf.count {
            line += 1
            var end = start
            while end < buf.count && buf[end] != 0x0A { end += 1 }
            let next = end + 1
            var e = end
            if e > start && buf[e - 1] == 0x0D { e -= 1 }
            var s = start
            while s < e, buf[s] == 0x20 || buf[s] == 0x09 { s += 1 }
            if s < e {
                number += 1
                do {
                    let value = try JSONParser.parse(buf, s..<e)
                    emit(value, number: number, line: line, input, encoding, sink)
                } catch let error as JSONParseError {
                    sink(
                        .failure(
                            ReadFailure(
                                id: "\(input.id)#\(number)", path: input.path, location: "line \(line)",
                                message: "invalid JSON: \(error.message) at column \(error.column)")))
                } catch {
                    sink(input.failure("\(error)", location: "line \(line)"))
                }
            }
            start = next
        }
        if number == 0 { sink(input.failure("no records in the file")) }
    }

    private func readArray(
        _ buf: UnsafeBufferPointer<UInt8>, _ input: ReaderInput, _ encoding: String,
        _ sink: (ReadResult) -> Void
    ) {
        do {
            var count = 0
            var scanned = 0
            var line = 1
            try JSONParser.forEachArrayElement(buf) { number, start, result in
                count += 1
                while scanned < start { if buf[scanned] == 0x0A { line += 1 }; scanned += 1 }
                switch result {
                case .success(let value):
                    emit(value, number: number, line: line, input, encoding, sink)
                case .failure(let error):
                    sink(
                        .failure(
                            ReadFailure(
                                id: "\(input.id)#\(number)", path: input.path,
                                location: "line \(line + error.line - 1)",
                                message:
                                    "invalid JSON in record \(number): \(error.message); the records after it are lost")
                        ))
                }
            }
            if count == 0 { sink(input.failure("the JSON array is empty")) }
        } catch let error as JSONParseError {
            sink(input.failure("invalid JSON: \(error.message)", location: "line \(error.line)"))
        } catch {
            sink(input.failure(error))
        }
    }

    private func emit(
        _ value: JSONValue, number: Int, line: Int, _ input: ReaderInput, _ encoding: String,
        _ sink: (ReadResult) -> Void
    ) {
        guard case .object(let fields) = value else {
            sink(
                .failure(
                    ReadFailure(
                        id: "\(input.id)#\(number)", path: input.path, location: "line \(line)",
                        message: "record \(number) is not a JSON object")))
            return
        }
        do {
            sink(
                .document(
                    try RecordDocument.make(
                        fields: fields, number: number, line: line, input: input,
                        encoding: encoding)))
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

    private func lineNumber(_ buf: UnsafeBufferPointer<UInt8>, _ offset: Int) -> Int {
        var line = 1
        var i = 0
        while i < offset && i < buf.count { if buf[i] == 0x0A { line += 1 }; i += 1 }
        return line
    }
}
