// Reads JSON Lines (gold files, results.jsonl) with the model's JSONParser: one object a line, blank
// lines skipped, errors naming file and line. Also the field readers gold and results lines share.
import DocumentModel

enum JSONLines {
    /// Calls `each` with the 1-based line number and the object of every non-blank line.
    ///
    /// - Throws: `ScoringError` naming `file:line` for a line that is not a JSON object.
    static func forEachObject(
        _ bytes: [UInt8], file: String,
        _ each: (Int, JSONObject) throws -> Void
    ) throws {
        var lineNumber = 0
        var start = 0
        let n = bytes.count
        while start < n {
            lineNumber += 1
            var end = start
            while end < n && bytes[end] != 0x0A { end += 1 }
            var last = end
            if last > start && bytes[last - 1] == 0x0D { last -= 1 }
            var first = start
            if lineNumber == 1, last - first >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { first += 3 }
            let blank = bytes[first..<last].allSatisfy { $0 == 0x20 || $0 == 0x09 }
            if !blank {
                let value: JSONValue
                do {
                    value = try bytes.withUnsafeBufferPointer { try JSONParser.parse($0, first..<last) }
                } catch let error as JSONParseError {
                    throw ScoringError(
                        "invalid JSON: \(error.message) (column \(error.column))", file: file, line: lineNumber)
                }
                guard case .object(let object) = value else {
                    throw ScoringError("expected a JSON object", file: file, line: lineNumber)
                }
                try each(lineNumber, object)
            }
            start = end + 1
        }
    }
}

/// Reads the fields of one annotation object, naming the line and annotation in errors.
struct AnnotationReader {
    var file: String
    var line: Int

    func fail(_ message: String) -> ScoringError { ScoringError(message, file: file, line: line) }

    /// Reads `{"type", "start", "end", "text"?, "features"?, "parts"?}` (the `index`th annotation).
    func span(_ value: JSONValue, index: Int) throws -> LabeledSpan {
        let at = "annotation \(index + 1)"
        guard case .object(let o) = value else { throw fail("\(at): expected an object") }
        guard case .string(let type)? = o["type"], !type.isEmpty else {
            throw fail("\(at): missing \"type\" (a non-empty string)")
        }
        let start = try offset(o["start"], "start", at)
        let end = try offset(o["end"], "end", at)
        guard start <= end else { throw fail("\(at) (\(type)): start \(start) is after end \(end)") }
        var text: String?
        switch o["text"] {
        case nil, .null?: text = nil
        case .string(let s)?: text = s
        default: throw fail("\(at) (\(type)): \"text\" must be a string")
        }
        var features = JSONObject()
        switch o["features"] {
        case nil, .null?: break
        case .object(let f)?: features = f
        default: throw fail("\(at) (\(type)): \"features\" must be an object")
        }
        var parts: [Range<Int>] = []
        switch o["parts"] {
        case nil, .null?: break
        case .array(let items)?:
            for item in items {
                guard case .array(let pair) = item, pair.count == 2, case .int(let s) = pair[0],
                    case .int(let e) = pair[1],
                    s >= 0, s <= e
                else {
                    throw fail("\(at) (\(type)): \"parts\" must be a list of [start, end] pairs")
                }
                parts.append(s..<e)
            }
        default: throw fail("\(at) (\(type)): \"parts\" must be a list of [start, end] pairs")
        }
        return LabeledSpan(type: type, start: start, end: end, parts: parts, text: text, features: features, line: line)
    }

    private func offset(_ value: JSONValue?, _ name: String, _ at: String) throws -> Int {
        switch value {
        case .int(let i)?:
            guard i >= 0 else { throw fail("\(at): \"\(name)\" is negative (\(i))") }
            return i
        case .double(let d)? where d == d.rounded() && abs(d) < 1e15:
            guard d >= 0 else { throw fail("\(at): \"\(name)\" is negative (\(d))") }
            return Int(d)
        case nil: throw fail("\(at): missing \"\(name)\"")
        default: throw fail("\(at): \"\(name)\" must be a non-negative integer")
        }
    }
}
