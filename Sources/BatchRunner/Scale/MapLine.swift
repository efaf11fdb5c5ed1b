// MapLine: the lines `quarry map` writes and `quarry reduce` reads, in one place. A results line is
// {"seq":N,"doc":K,"run":TAG,"result":{…}}, the result with its records for finish; with
// `map --records FILE` the result leaves its `"records"` member out and says where it was
// ({"seq","doc","run","records_at":B,"result"}: B is the byte offset in the result), and FILE gets
// {"seq":N,"doc":K,"run":TAG,"records":{…}} with the member's value as it was written, so reduce puts
// back the very bytes `quarry run` writes.
import DocumentModel

enum MapLine {
    /// What comes before a records member's value.
    static let recordsKey = Array(",\"records\":".utf8)
    /// What comes before a results line's result.
    static let resultKey = Array(",\"result\":".utf8)

    /// Writes map lines for one run (its tag).
    struct Writer {
        private let run: [UInt8]

        /// - Parameter tag: the run's tag (`MapRun.tag`).
        init(tag: String) {
            run = Array(",\"run\":\"\(tag)\"".utf8)
        }

        /// Appends the map line of a document's results line to `results`; with `records` given, the
        /// results line's records member goes there as a records line instead (a line without records
        /// stays whole).
        /// - Parameters:
        ///   - seq: the entry's place in the whole input.
        ///   - doc: the document's place among the entry's documents.
        ///   - line: the results line, with its newline.
        func write(seq: Int, doc: Int, line: EncodedLine, results: inout [UInt8], records: inout [UInt8]?) {
            let head = Array("{\"seq\":\(seq),\"doc\":\(doc)".utf8)
            let bytes = line.bytes
            results += head
            results += run
            if records != nil, let member = line.recordsMember {
                results += Array(",\"records_at\":\(member.lowerBound)".utf8)
                results += MapLine.resultKey
                results += bytes[..<member.lowerBound]
                results += bytes[member.upperBound..<(bytes.count - 1)]
                records! += head
                records! += run
                records! += MapLine.recordsKey
                records! += bytes[(member.lowerBound + MapLine.recordsKey.count)..<member.upperBound]
                records! += [0x7D, 0x0A]
            } else {
                results += MapLine.resultKey
                results += bytes[..<(bytes.count - 1)]
            }
            results += [0x7D, 0x0A]
        }
    }

    /// What reduce's first pass reads of a map line.
    struct Header {
        enum Kind: Equatable {
            /// A results line; `recordsAt` when its records are in a records line.
            case result(recordsAt: Int?)
            /// A records line (`map --records`).
            case records
        }

        var seq: Int
        var doc: Int
        var run: String
        var kind: Kind

        /// Reads a line's fields; nil when it is not a line of `quarry map`.
        init?(_ object: JSONObject) {
            guard case .int(let seq)? = object["seq"], case .int(let doc)? = object["doc"],
                case .string(let run)? = object["run"], seq >= 0, doc >= 0
            else { return nil }
            switch (object["result"], object["records"], object["records_at"]) {
            case (.object?, nil, nil): kind = .result(recordsAt: nil)
            case (.object?, nil, .int(let at)?) where at > 0: kind = .result(recordsAt: at)
            case (nil, .object?, nil): kind = .records
            default: return nil
            }
            self.seq = seq
            self.doc = doc
            self.run = run
        }
    }

    /// The result of a results line (the line without its newline), or nil when it holds none.
    static func result(in line: [UInt8]) -> ArraySlice<UInt8>? {
        value(after: resultKey, in: line)
    }

    /// The records of a records line (the line without its newline), or nil when it holds none.
    static func records(in line: [UInt8]) -> ArraySlice<UInt8>? {
        value(after: recordsKey, in: line)
    }

    /// A result with its records member put back at byte `offset`; nil when the offset is outside the
    /// result or not before a `,` or `}` (reduce checks the records land among the result's own members).
    static func joined(result: ArraySlice<UInt8>, records: ArraySlice<UInt8>, at offset: Int) -> [UInt8]? {
        guard offset > 0, offset < result.count else { return nil }
        let split = result.startIndex + offset
        guard result[split] == 0x2C || result[split] == 0x7D else { return nil }
        return Array(result[..<split]) + recordsKey + records + result[split...]
    }

    /// The bytes after the first `key` up to the line's closing brace.
    private static func value(after key: [UInt8], in line: [UInt8]) -> ArraySlice<UInt8>? {
        guard line.last == 0x7D, let start = find(key, in: line) else { return nil }
        return line[(start + key.count)..<(line.count - 1)]
    }

    static func find(_ needle: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= needle.count else { return nil }
        for i in 0...(bytes.count - needle.count) where bytes[i] == needle[0] {
            if bytes[i..<(i + needle.count)].elementsEqual(needle) { return i }
        }
        return nil
    }
}
