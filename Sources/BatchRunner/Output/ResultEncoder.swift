// ResultEncoder: one line of results.jsonl per document (schema docs/schemas/result.schema.json)
// and its lines of errors.jsonl. Offsets are 0-based, half-open, in Unicode code points.
import DocumentModel
import PluginHost
import Readers

enum ResultEncoder {
    /// The results line of a processed document.
    static func line(for outcome: ProcessOutcome) -> JSONObject {
        let document = outcome.document
        let codePoints = document.makeCodePointIndex()
        var object = JSONObject()
        object["id"] = .string(document.id)
        object["path"] = .string(document.path)
        object["format"] = .string(document.format)
        object["sha256"] = document.metadata.sha256.map { .string($0) } ?? .null
        object["status"] = .string(outcome.failures.isEmpty ? "ok" : "failed")
        if let title = document.metadata.title { object["title"] = .string(title) }
        var plugins = JSONObject()
        for (plugin, status) in outcome.statuses { plugins[plugin] = .string(status.rawValue) }
        object["plugins"] = .object(plugins)
        object["features"] = .object(document.features)
        object["scores"] = .object(document.scores)
        object["annotations"] = .array(
            document.annotations.all.map { annotation in
                let range = codePoints.codePointRange(annotation.range)
                var a = JSONObject()
                a["id"] = .int(annotation.id)
                a["layer"] = .string(annotation.layer)
                a["type"] = .string(annotation.type)
                a["start"] = .int(range.start)
                a["end"] = .int(range.end)
                a["text"] = .string(document.text(of: annotation.range))
                a["features"] = .object(annotation.features)
                return .object(a)
            })
        var records = JSONObject()
        let values = outcome.records
        for (plugin, _) in outcome.statuses { if let list = values[plugin] { records[plugin] = .array(list) } }
        object["records"] = .object(records)
        object["errors"] = .array(outcome.failures.map(error))
        if !document.warnings.isEmpty { object["warnings"] = .array(document.warnings.map { .string($0) }) }
        return object
    }

    /// The results line of a processed document as bytes, with its records, written straight from
    /// the outcome: the same bytes as `bytes(line(for:))`, without building the line as values first
    /// (this runs once per document). A document with failures takes the general path.
    static func encoded(_ outcome: ProcessOutcome) -> EncodedLine {
        guard outcome.failures.isEmpty else { return EncodedLine(line(for: outcome)) }
        let document = outcome.document
        var w = JSONWriter(capacity: 512)
        w.raw("{\"id\":")
        w.string(document.id)
        w.raw(",\"path\":")
        w.string(document.path)
        w.raw(",\"format\":")
        w.string(document.format)
        w.raw(",\"sha256\":")
        if let sha = document.metadata.sha256 { w.string(sha) } else { w.raw("null") }
        w.raw(",\"status\":\"ok\"")
        if let title = document.metadata.title {
            w.raw(",\"title\":")
            w.string(title)
        }
        w.raw(",\"plugins\":{")
        // As in a JSONObject: a plugin named twice keeps its first place and its last status. (A run has
        // a handful of plugins: plain scans over the list cost less than a set and a dictionary.)
        let statuses = outcome.statuses
        var first = true
        for (i, entry) in statuses.enumerated() where !statuses[..<i].contains(where: { $0.plugin == entry.plugin }) {
            if !first { w.byte(0x2C) }
            first = false
            w.key(entry.plugin)
            w.string(statuses.last(where: { $0.plugin == entry.plugin })!.status.rawValue)
        }
        w.raw("},\"features\":")
        w.object(document.features)
        w.raw(",\"scores\":")
        w.object(document.scores)
        w.raw(",\"annotations\":[")
        let annotations = document.annotations.all
        var text = document.text
        if !annotations.isEmpty {
            text.withUTF8 { utf8 in
                let codePoints = document.makeCodePointIndex()
                for (i, annotation) in annotations.enumerated() {
                    if i > 0 { w.byte(0x2C) }
                    let range = codePoints.codePointRange(annotation.range)
                    w.raw("{\"id\":")
                    w.int(annotation.id)
                    w.raw(",\"layer\":")
                    w.string(annotation.layer)
                    w.raw(",\"type\":")
                    w.string(annotation.type)
                    w.raw(",\"start\":")
                    w.int(range.start)
                    w.raw(",\"end\":")
                    w.int(range.end)
                    w.raw(",\"text\":")
                    let start = min(Int(annotation.range.start), utf8.count),
                        end = min(max(start, Int(annotation.range.end)), utf8.count)
                    w.string(utf8: UnsafeBufferPointer(rebasing: utf8[start..<end]))
                    w.raw(",\"features\":")
                    w.object(annotation.features)
                    w.byte(0x7D)
                }
            }
        }
        w.byte(0x5D)
        let recordsStart = w.bytes.count
        w.raw(",\"records\":{")
        var records: [(plugin: String, json: [UInt8])] = []
        for (i, (plugin, _)) in statuses.enumerated() where !statuses[..<i].contains(where: { $0.plugin == plugin }) {
            guard let json = outcome.encodedRecords[plugin] else { continue }
            if !records.isEmpty { w.byte(0x2C) }
            w.key(plugin)
            w.bytes += json
            records.append((plugin, json))
        }
        w.byte(0x7D)
        let recordsMember = recordsStart..<w.bytes.count
        w.raw(",\"errors\":[]")
        if !document.warnings.isEmpty {
            w.raw(",\"warnings\":[")
            for (i, warning) in document.warnings.enumerated() {
                if i > 0 { w.byte(0x2C) }
                w.string(warning)
            }
            w.byte(0x5D)
        }
        w.raw("}\n")
        return EncodedLine(
            bytes: w.bytes, errorBytes: [], status: .ok, records: records, warnings: document.warnings,
            recordsMember: recordsMember)
    }

    /// The results line of a document the reader could not read.
    static func line(for failure: ReadFailure) -> JSONObject {
        var object = JSONObject()
        object["id"] = .string(failure.id)
        object["path"] = .string(failure.path)
        object["status"] = .string("failed")
        var e = JSONObject()
        e["plugin"] = .null
        e["phase"] = .string("read")
        e["kind"] = .string("reader")
        e["message"] = .string(failure.message)
        e["location"] = failure.location.map { .string($0) } ?? .null
        object["errors"] = .array([.object(e)])
        return object
    }

    /// The results line of a file left out on purpose.
    static func skipped(id: String, path: String, reason: String) -> JSONObject {
        var object = JSONObject()
        object["id"] = .string(id)
        object["path"] = .string(path)
        object["status"] = .string("skipped")
        object["reason"] = .string(reason)
        return object
    }

    static func error(_ failure: PluginFailure) -> JSONValue {
        var e = JSONObject()
        e["plugin"] = .string(failure.plugin)
        e["phase"] = .string(failure.phase.rawValue)
        e["kind"] = .string(failure.kind.name)
        e["message"] = .string(failure.message)
        e["location"] = failure.location.map { .string($0) } ?? .null
        e["traceback"] = failure.traceback.map { .string($0) } ?? .null
        return .object(e)
    }

    /// errors.jsonl lines for a results line: its errors, each with the document.
    static func errorLines(of line: JSONObject) -> [JSONObject] {
        guard case .array(let errors)? = line["errors"] else { return [] }
        return errors.compactMap { value in
            guard case .object(let error) = value else { return nil }
            var out = JSONObject()
            out["document"] = line["id"] ?? .null
            out["path"] = line["path"] ?? .null
            for (key, item) in zip(error.keys, error.values) { out[key] = item }
            return out
        }
    }

    static func bytes(_ object: JSONObject) -> [UInt8] {
        var writer = JSONWriter()
        writer.object(object)
        writer.byte(0x0A)
        return writer.bytes
    }
}
