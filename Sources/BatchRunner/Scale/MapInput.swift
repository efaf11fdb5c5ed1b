// MapInput: one document of `quarry map`'s standard input — a JSON Lines object with an `id`, the
// content as `text`, `bytes_base64` or a `path` (read only under the --allow-read roots), and optional
// `format`, `metadata` and `seq` (its place in the whole input; default: its line number - 1).
import DocumentModel
import Foundation
import Readers

/// A document given to `quarry map`, checked but not read yet (workers read it).
struct MapInput: Sendable {
    enum Content: Sendable {
        case bytes([UInt8])
        case path(String)
    }

    var seq: Int
    var id: String
    var path: String
    var content: Content
    var format: DocumentFormat?
    var metadata: JSONObject

    /// What a broken line becomes: a failed document with the line's number.
    struct Refusal: Error {
        var seq: Int
        var id: String
        var message: String
    }

    /// Reads line `number` (1-based) of the input.
    /// - Parameter roots: the folders a `path` may point into (resolved, symlinks followed).
    /// - Throws: `Refusal` naming the line and what is wrong with it.
    init(line: ArraySlice<UInt8>, number: Int, roots: [String]) throws(Refusal) {
        let place = "standard input line \(number)"
        let fallbackID = "line-\(number)"
        guard case .object(let object)? = try? JSONParser.parse(bytes: Array(line)) else {
            // Control bytes other than tab, carriage return and form feed, or bytes that are not UTF-8.
            let binary =
                line.contains { $0 < 0x20 && $0 != 0x09 && $0 != 0x0D && $0 != 0x0C }
                || String(validating: line, as: UTF8.self) == nil
            throw Refusal(
                seq: number - 1, id: fallbackID,
                message: "\(place): \(binary ? "not text (binary bytes)" : "not a JSON object")")
        }
        var seq = number - 1
        if let given = object["seq"] {
            guard case .int(let value) = given, value >= 0 else {
                throw Refusal(seq: seq, id: fallbackID, message: "\(place): seq must be a whole number ≥ 0")
            }
            seq = value
        }
        let id: String
        switch object["id"] {
        case .string(let value)? where !value.isEmpty: id = value
        case nil: id = fallbackID
        default: throw Refusal(seq: seq, id: fallbackID, message: "\(place): id must be a non-empty string")
        }
        self.seq = seq
        self.id = id
        let given = ["text", "bytes_base64", "path"].filter { object[$0] != nil }
        guard given.count == 1 else {
            throw Refusal(
                seq: seq, id: id,
                message: given.isEmpty
                    ? "\(place): the document has neither text, bytes_base64 nor path"
                    : "\(place): give one of text, bytes_base64 and path, not \(given.joined(separator: " and "))")
        }
        switch (given[0], object[given[0]]) {
        case ("text", .string(let text)?):
            content = .bytes(Array(text.utf8))
            path = id
        case ("bytes_base64", .string(let encoded)?):
            guard let data = Data(base64Encoded: encoded) else {
                throw Refusal(seq: seq, id: id, message: "\(place): bytes_base64 is not valid base64")
            }
            content = .bytes(Array(data))
            path = id
        case ("path", .string(let file)?):
            guard Self.isInside(file, roots: roots) else {
                throw Refusal(
                    seq: seq, id: id,
                    message: roots.isEmpty
                        ? "\(place): \(file): reading paths needs --allow-read DIR (a map worker reads only the folders it is given)"
                        : "\(place): \(file) is outside the --allow-read folders (\(roots.joined(separator: ", ")))")
            }
            content = .path(file)
            path = file
        default:
            throw Refusal(seq: seq, id: id, message: "\(place): \(given[0]) must be a string")
        }
        switch object["format"] {
        case nil, .null?: format = nil
        case .string(let name)?:
            guard let known = DocumentFormat(name: name) else {
                throw Refusal(
                    seq: seq, id: id,
                    message: "\(place): unknown format '\(name)'; expected one of \(DocumentFormat.names)")
            }
            format = known
        default: throw Refusal(seq: seq, id: id, message: "\(place): format must be a string")
        }
        switch object["metadata"] {
        case nil, .null?: metadata = JSONObject()
        case .object(let values)?: metadata = values
        default: throw Refusal(seq: seq, id: id, message: "\(place): metadata must be an object")
        }
    }

    /// Whether `path` (symlinks followed) is inside one of the roots.
    static func isInside(_ path: String, roots: [String]) -> Bool {
        let target = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
        return roots.contains { root in
            let base = URL(fileURLWithPath: root).standardizedFileURL.resolvingSymlinksInPath().path
            return target == base || target.hasPrefix(base.hasSuffix("/") ? base : base + "/")
        }
    }

    /// Reads the document(s): with the reader options of the run, the line's format if it gives one,
    /// and its metadata over what the reader found.
    func read(options: ReaderOptions, maxBytes: Int) -> [ReadResult] {
        var options = options
        if let format { options.format = format }
        let registry = ReaderRegistry(options: options, maxBytes: maxBytes)
        var results: [ReadResult]
        switch content {
        case .bytes(let bytes):
            results = registry.read(bytes: bytes, id: id, path: path, fileName: (id as NSString).lastPathComponent)
        case .path(let file):
            results = registry.read(CorpusEntry(id: id, path: file))
        }
        guard metadata.count > 0 else { return results }
        for i in results.indices {
            guard case .document(var document) = results[i] else { continue }
            for (key, value) in zip(metadata.keys, metadata.values) {
                switch (key, value) {
                case ("title", .string(let s)): document.metadata.title = s
                case ("date", .string(let s)): document.metadata.date = s
                case ("url", .string(let s)): document.metadata.url = s
                case ("language", .string(let s)): document.metadata.language = s
                default: document.metadata.extra[key] = value
                }
            }
            results[i] = .document(document)
        }
        return results
    }
}
